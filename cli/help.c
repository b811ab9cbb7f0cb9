/*
 * help.c — `clusterplan COMMAND --help`: each command's usage, what it
 * does, and every option it takes with its unit and default.  One table of
 * options, each marked with the commands it applies to, so an option's
 * words are written once.
 */
#include "cli.h"

#include <string.h>

enum {
    VALIDATE = 1 << 0, SOLVE = 1 << 1, EVALUATE = 1 << 2, COMPARE = 1 << 3,
    GENERATE = 1 << 4, RANK = 1 << 5, ASSIGN = 1 << 6, BATCH = 1 << 7, ZONES = 1 << 8
};
#define MODEL (VALIDATE | SOLVE | EVALUATE | COMPARE | ASSIGN | ZONES)

typedef struct {
    const char *name, *usage, *what;
    int bit;
} command_help;

static const command_help commands[] = {
    {"validate", "validate FILE [-s SCENARIO] [--instance INSTANCE]",
     "Checks any input file (instance, GIS layer, scenario, solution, candidates,\n"
     "rubric, study) against its format and, for an instance, against the model:\n"
     "errors, and warnings for settings that cannot mean what they say (a quality\n"
     "rule with no quality column, no distance limit, likely coordinate errors).",
     VALIDATE},
    {"solve", "solve INSTANCE [-s SCENARIO] [options] [-o OUT]...",
     "Forms clusters: the instance split into independent parts (admin units,\n"
     "distance), each solved by the method asked for (auto: the local search, then\n"
     "the exact MILP on the parts small enough to prove), the layout re-evaluated\n"
     "from the instance alone before anything is written.  Prints the status, the\n"
     "annual cost and the unassigned schools grouped by the rule that keeps them out.",
     SOLVE},
    {"evaluate", "evaluate INSTANCE [LAYOUT | --existing] [-s SCENARIO] [-o OUT]",
     "Indicators and every violation of a layout (a solution file, or the\n"
     "instance's own cluster and centre columns with --existing).",
     EVALUATE},
    {"compare", "compare INSTANCE LAYOUT_A LAYOUT_B ... [-s SCENARIO] [-o OUT.csv|.html]",
     "The same indicators side by side ('existing' = the instance's own clusters).",
     COMPARE},
    {"generate", "generate --schools N [--seed S] [--groups A,B] [-o OUT.xml]\n"
                 "       [--roads ROADS.gpkg]",
     "A synthetic country for scale tests (the same seed gives the same file).", GENERATE},
    {"zones", "zones INSTANCE SOLUTION [-s SCENARIO] [options] [-o OUT]...",
     "Zones of a solution's clusters for zonal facilitators: min..max clusters around a\n"
     "zone-centre cluster, within a distance of it, inside the admin units, found by\n"
     "the same engine run on the cluster centres weighted by their teachers.  The\n"
     "scenario's <zones> (or the options below) gives the rules; the outputs carry\n"
     "the zone of every school and cluster, and a GPKG a zones layer.",
     ZONES},
    {"rank", "rank CANDIDATES RUBRIC [-o OUT.xml|.csv|.html]... [--public]\n"
             "       [--verify RANKING.xml|.csv|DIGEST]\n"
             "       rank --diff OLD.xml NEW.xml",
     "Transparent scores, ranks, percentiles, roles and exclusions; the .html is the\n"
     "committee's publication (A4).  --verify recomputes a published ranking field by\n"
     "field, or its list digest (exit 1 when it differs); --diff lists who moved\n"
     "between two rankings and why (exit 1 when they differ).",
     RANK},
    {"assign", "assign INSTANCE SOLUTION RANKING [-s SCENARIO] [-o OUT]... [options]",
     "Facilitators (role holders) to clusters: fewest clusters uncovered, then\n"
     "insiders, then least travel from the facilitator's school to the centre.",
     ASSIGN},
    {"batch", "batch STUDY [-o DIR] [--shard I/N] [--merge] [--threads N]\n"
              "       batch STUDY [-o DIR] --slurm [--tasks N] [--cpus-per-task C] [--time T]\n"
              "             [--mem M] [--partition P] [--sbatch-arg=--OPTION=VALUE]...",
     "Instances x scenarios (and existing layouts) run in parallel, unchanged runs\n"
     "skipped; DIR/comparison.csv and .html.  With --slurm: submits the study as a\n"
     "Slurm job array (task I runs shard I/N into DIR) and a merge job that runs\n"
     "after every task has succeeded, and prints their job ids; the same command\n"
     "again submits only the runs still to do (after a cancelled or failed task).",
     BATCH},
};

typedef struct {
    const char *option, *meaning;
    int commands;
} option_help;

static const option_help options[] = {
    {"-s, --scenario FILE", "the scenario (default: SPEC.md's defaults)", MODEL},
    {"-o, --output FILE", "an output, its format by extension (repeatable; '-' = stdout):\n"
                          ".xml .csv .geojson .kml .gml .gpkg .shp .svg .html",
     MODEL | GENERATE | RANK | BATCH},
    {"--size MIN-MAX", "schools per cluster, centre included (default 3-7)", MODEL},
    {"--distance-max KM", "member-to-centre limit, in km (in the instance's units when\n"
                          "projected; default: none, which is warned about)", MODEL},
    {"--min-quality Q", "a centre's quality at least Q, 0..1 (default: any host);\n"
                        "0 asks nothing, so schools without a quality value may host", MODEL},
    {"--admin-level L", "members share admin1..adminL with their centre (default 0: no rule)",
     MODEL},
    {"--capacity T", "teachers per cluster at most T (default: none)", MODEL},
    {"--clusters N", "exactly N clusters (default 0: free)", MODEL},
    {"--objective KIND", "travel (teacher-km) or cost (the annual cost in the scenario's\n"
                         "currency: travel at per-km plus host stipends; needs <costs>);\n"
                         "default: cost when the scenario has <costs>, travel otherwise", MODEL},
    {"--cluster-cost C", "added per cluster to the objective (default 0)", MODEL},
    {"--group-min GROUP=MIN", "every cluster holds at least MIN teachers of study group GROUP\n"
                              "(the schools' teachers-GROUP; repeatable)", MODEL},
    {"--groups-soft", "study groups as a wish: after placing the most schools, as many\n"
                      "clusters as possible hold every group's minimum", MODEL},
    {"--max-upgrades N", "upgrade at most N schools to exemplar centres (hosts below the\n"
                         "quality rule, or schools with upgrade-cost); chosen with the layout",
     MODEL},
    {"--upgrade-budget B", "upgrades' upgrade-cost at most B in all", MODEL},
    {"--zones MIN-MAX", "also group the clusters into zones of MIN..MAX clusters (solve:\n"
                        "both levels in one run; default with <zones> 3-6)", MODEL},
    {"--zone-distance KM", "a cluster's centre within KM of its zone centre's (default none)",
     MODEL},
    {"--zone-admin-level L", "zones inside admin units down to L (default: the scenario's\n"
                             "admin level)", MODEL},
    {"--groups A,B", "teachers-A and teachers-B per school, made up from its teachers",
     GENERATE},
    {"--where FIELD=VALUE", "only the schools whose FIELD is VALUE (repeatable: all at once);\n"
                            "any column of a GIS layer, e.g. --where county=Kilifi", MODEL},
    {"--field FIELD=COLUMN", "map a GIS column to a model field (repeatable; id=FID takes the\n"
                             "feature id); an unknown column is an error listing the columns",
     MODEL},
    {"--layer NAME", "the layer of a multi-layer GIS source", MODEL},
    {"--roads FILE", "distances by road on this line layer (any OGR format and CRS, e.g.\n"
                     "an OSM export); a layout made with roads is evaluated with them", MODEL},
    {"--roads-layer NAME", "the layer of a multi-layer road file", MODEL},
    {"--roads-class COLUMN", "the column of road classes (default highway, else fclass)", MODEL},
    {"--snap-max KM", "farthest a school may lie from a road, km (default 2); beyond it\n"
                      "a school is unassigned (road rule)", MODEL},
    {"--straight-access", "schools beyond --snap-max keep straight-line access instead", MODEL},
    {"--travel-mode MODE", "walk, bike, motorbike or car: limits and objective in minutes at\n"
                           "the mode's speeds (default distance: road km)", MODEL},
    {"--time-max MIN", "member-to-centre limit in minutes (with --travel-mode)", MODEL},
    {"--speed CLASS=KMH", "a road class's speed in the mode (repeatable; 0 = not usable;\n"
                          "off-road = the walk to the road, default 5)", MODEL},
    {"--crs EPSG:N", "the CRS of a GIS source that states none", MODEL},
    {"--output-crs EPSG:N", "GPKG, GML and SHP outputs in this CRS (default: the source's;\n"
                            "GeoJSON, KML and CSV are always WGS 84)", SOLVE | EVALUATE | ZONES},
    {"--basemap URL", "the HTML report's map over these tiles, e.g.\n"
                      "https://tile.openstreetmap.org/{z}/{x}/{y}.png (default none: the\n"
                      "report opens offline)", SOLVE | EVALUATE | ZONES},
    {"--method M", "auto (default), milp or heuristic", SOLVE | ZONES},
    {"--time-limit SECONDS", "a guard, not a budget (default none: every budget is work, so the\n"
                             "layout is the same on any machine; it says so when it fires)",
     SOLVE | ZONES},
    {"--threads N", "threads (default 0: every core); the layout is the same on any count",
     SOLVE | BATCH | ZONES},
    {"--seed N", "the search's seed (default 1)", SOLVE | GENERATE | ZONES},
    {"--effort E", "quick, default or thorough, or a number: every work budget (search\n"
                   "steps, the MILP's iterations) times it (default 1; quick 0.25,\n"
                   "thorough 4; deterministic, unlike a time limit; 0 = descent only)", SOLVE | ZONES},
    {"--anytime", "with --time-limit: search on until the limit, restarting unproven\n"
                  "parts from the best layout with new seeds; uses all of the time,\n"
                  "so the layout depends on the machine (said in the output)", SOLVE},
    {"--bound-rounds N", "heuristic: Lagrangian rounds for the bound (default 400)", SOLVE},
    {"--export-lp FILE", "also write the whole model as one MILP (CPLEX LP), unsolved", SOLVE},
    {"--existing", "evaluate the instance's own cluster/centre attributes (compare names it\n"
                    "`existing` among its layouts)", EVALUATE},
    {"--existing-scope N", "existing cluster labels are unique only within admin units down\n"
                           "to level N (default 0: the label alone)", EVALUATE | COMPARE},
    {"--instance FILE", "the instance a solution refers to", VALIDATE},
    {"--schools N", "how many schools", GENERATE},
    {"--roads FILE", "also a dense road network around them (.gpkg .geojson .shp .fgb)",
     GENERATE},
    {"--verify RANKING.xml", "recompute a published ranking (.xml or .csv, full or public)\n"
                             "or its list-sha256; exit 1 when it differs", RANK},
    {"--public", "leave out the fields the rubric's <private> names", RANK},
    {"--diff", "OLD.xml NEW.xml: who moved and why; exit 1 when they differ", RANK},
    {"--role NAME", "the roles that facilitate (repeatable; default: every role)", ASSIGN},
    {"--per-facilitator K", "clusters one itinerant facilitator may take (default 1)", ASSIGN},
    {"--supervisors ROLE", "also assign supervisors of this role over the facilitators", ASSIGN},
    {"--per-supervisor M", "facilitators per supervisor (default: balanced)", ASSIGN},
    {"--shard I/N", "run only the runs k with k mod N = I - 1 (no comparison: --merge\n"
                    "writes it once every shard has ended)", BATCH},
    {"--merge", "only rebuild the comparison from the run folders", BATCH},
    {"--slurm", "submit to Slurm (sbatch): a job array and a merge job", BATCH},
    {"--tasks N", "--slurm: array tasks (default: runs / CPUs per task, at most 1000)",
     BATCH},
    {"--cpus-per-task C", "--slurm: CPUs of each task, which runs C runs at once (default 1)",
     BATCH},
    {"--time T", "--slurm: wall time of each task, MINUTES or [D-]HH:MM:SS (default:\n"
                 "the partition's); not the solver's --time-limit", BATCH},
    {"--mem M", "--slurm: memory of each task, e.g. 4G (default: the partition's)", BATCH},
    {"--partition P", "--slurm: the partition (default: the cluster's default)", BATCH},
    {"--sbatch-arg ARG", "--slurm: one more sbatch option for both jobs, e.g.\n"
                         "--sbatch-arg=--account=geo (repeatable)", BATCH},
    {"--quiet", "print nothing but errors", ~0},
    {"--verbose", "list every violation; let GLPK print its progress", ~0},
};

/* Whether `name` is one of the comma-separated forms of an entry
 * ("-s, --scenario FILE" has -s and --scenario). */
static int names_option(const char *entry, const char *name, size_t len)
{
    const char *p = entry;
    while (p && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!strncmp(p, name, len) && (p[len] == ' ' || p[len] == ',' || p[len] == '\0'))
            return 1;
        p = strchr(p, ',');
    }
    return 0;
}

/* The command's entry in the table; -1 when there is none. */
static int find_command(const char *command)
{
    size_t c;
    for (c = 0; command && c < sizeof commands / sizeof commands[0]; c++)
        if (!strcmp(commands[c].name, command))
            return (int)c;
    return -1;
}

int cli_command_known(const char *command)
{
    return find_command(command) >= 0;
}

int cli_option_applies(const char *command, const char *option, int len)
{
    size_t o;
    int c = find_command(command), listed = 0;
    if (c < 0)
        return 1; /* an unknown command is main's to refuse */
    for (o = 0; o < sizeof options / sizeof options[0]; o++)
        if (names_option(options[o].option, option, (size_t)len)) {
            if (options[o].commands & commands[c].bit)
                return 1;
            listed = 1; /* an option may have an entry per meaning (--roads) */
        }
    return !listed; /* --help, --version and the test hooks are every command's */
}

static void print_meaning(FILE *f, const char *meaning)
{
    const char *line = meaning;
    while (line && *line) {
        const char *nl = strchr(line, '\n');
        int len = nl ? (int)(nl - line) : (int)strlen(line);
        fprintf(f, "%.*s\n", len, line);
        line = nl ? nl + 1 : NULL;
        if (line && *line)
            fprintf(f, "  %-24s ", "");
    }
}

int cli_command_help(FILE *f, const char *command)
{
    size_t k, o;
    for (k = 0; k < sizeof commands / sizeof *commands; k++) {
        if (strcmp(commands[k].name, command))
            continue;
        fprintf(f, "usage: clusterplan %s\n\n%s\n\noptions:\n", commands[k].usage,
                commands[k].what);
        for (o = 0; o < sizeof options / sizeof *options; o++)
            if (options[o].commands & commands[k].bit) {
                fprintf(f, "  %-24s ", options[o].option);
                print_meaning(f, options[o].meaning);
            }
        fputs("\nDistances are in km for longitude/latitude, otherwise in the instance's units;\n"
              "with --roads, in km by road (or minutes with --travel-mode).\n"
              "Exit codes: 0 ran, 2 bad usage or input (nothing written), 3 resource or\n"
              "internal failure, 130 interrupted.\n",
              f);
        return 0;
    }
    return -1;
}
