/*
 * args.c — command-line parsing for every command, and scenario loading
 * with command-line overrides (a command-line option beats the scenario).
 */
#include "cli.h"

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

void cli_usage(FILE *f)
{
    fputs("usage: clusterplan COMMAND [ARGS] [OPTIONS]\n"
          "\n"
          "commands:\n"
          "  validate FILE [-s SCENARIO] [--instance INSTANCE]\n"
          "                         check any input file against its format and the model\n"
          "  solve INSTANCE [-s SCENARIO] [-o OUT]... [--export-lp FILE]\n"
          "                         form clusters (split into independent parts; auto:\n"
          "                         local search, then the exact MILP where it can prove)\n"
          "  evaluate INSTANCE [LAYOUT | --existing] [-s SCENARIO] [-o OUT]\n"
          "                         indicators and every violation of a layout\n"
          "  generate --schools N [--seed S] [-o OUT.xml] [--roads ROADS.gpkg]\n"
          "                         a synthetic country for scale tests (same seed, same file)\n"
          "  zones INSTANCE SOLUTION [-s SCENARIO] [-o OUT]...\n"
          "                         zones of the solution's clusters (the same engine on\n"
          "                         the cluster centres, weighted by teachers)\n"
          "  compare INSTANCE LAYOUT_A LAYOUT_B ... [-s SCENARIO]\n"
          "                         the same indicators side by side ('existing' = the\n"
          "                         instance's own cluster attributes)\n"
          "  rank CANDIDATES RUBRIC [-o OUT.xml|.csv|.html]... [--public]\n"
          "       [--verify RANKING.xml|.csv|DIGEST]\n"
          "                         transparent scores, ranks, percentiles, roles and\n"
          "                         exclusions; the committee's page; --verify recomputes a\n"
          "                         published ranking (exit 1 when it differs)\n"
          "  rank --diff OLD.xml NEW.xml\n"
          "                         who moved between two rankings, and why\n"
          "  assign INSTANCE SOLUTION RANKING [-s SCENARIO] [-o OUT.xml|.csv|.html]\n"
          "         [--role NAME]... [--per-facilitator K]\n"
          "         [--supervisors ROLE [--per-supervisor M]]\n"
          "                         facilitators (role holders) to clusters, fewest\n"
          "                         uncovered, then insiders, then least travel\n"
          "  batch STUDY [-o DIR] [--shard I/N] [--merge] [--threads N]\n"
          "                         instances x scenarios (and existing layouts), runs in\n"
          "                         parallel, unchanged runs skipped; DIR/comparison.csv\n"
          "                         and .html; --shard runs one share, --merge only\n"
          "                         rebuilds the comparison from the run folders\n"
          "  batch STUDY [-o DIR] --slurm [--tasks N] [--cpus-per-task C] [--time T]\n"
          "        [--mem M] [--partition P] [--sbatch-arg=--OPTION=VALUE]...\n"
          "                         a Slurm job array of shards and a merge job after it\n"
          "\n",
          f);
    fputs("options:\n"
          "  -s, --scenario FILE    scenario (defaults of SPEC.md otherwise)\n"
          "  -o, --output FILE      output file (repeatable; '-' = standard output)\n"
          "  --existing             evaluate the instance's own cluster/centre attributes\n"
          "  --existing-scope N     existing cluster labels are unique only within admin\n"
          "                         units down to level N (default 0: the label alone)\n"
          "  --field FIELD=COLUMN   map a GIS attribute to a model field (repeatable;\n"
          "                         id=FID takes the feature id)\n"
          "  --layer NAME           the layer of a multi-layer GIS source\n"
          "  --where FIELD=VALUE    only the schools whose FIELD is VALUE (repeatable: all\n"
          "                         at once); FIELD is a model field, or any column of a\n"
          "                         GIS source (e.g. --where county=Kilifi)\n"
          "scenario rules (each overrides the scenario file):\n"
          "  --size MIN-MAX         schools per cluster, centre included (default 3-7)\n"
          "  --distance-max KM      member-to-centre limit, km (default: none, warned)\n"
          "  --min-quality Q        a centre's quality at least Q, 0..1 (default: any)\n"
          "  --admin-level L        members share admin1..adminL with their centre (0: none)\n"
          "  --capacity T           teachers per cluster at most T (default: none)\n"
          "  --clusters N           exactly N clusters (0: free, the default)\n"
          "  --cluster-cost C       cost added per cluster in the objective (default 0)\n"
          "  --objective KIND       travel or cost (annual cost; default cost with <costs>)\n"
          "  --group-min GROUP=MIN  every cluster holds MIN teachers of GROUP (teachers-GROUP;\n"
          "                         repeatable); --groups-soft: most clusters hosting every group\n"
          "  --max-upgrades N, --upgrade-budget B\n"
          "                         upgrade at most N hosts below the quality rule (or with\n"
          "                         upgrade-cost) to exemplar centres, costing at most B\n"
          "  --zones MIN-MAX, --zone-distance KM, --zone-admin-level L\n"
          "                         group the clusters into zones for zonal facilitators\n"
          "distances by road (README \"Within reach by road\"):\n"
          "  --roads FILE           a road line layer (any OGR format and CRS): every\n"
          "                         distance by road from the nearest point of it\n"
          "  --roads-layer NAME     its layer; --roads-class COLUMN its road classes\n"
          "                         (default highway, else fclass)\n"
          "  --snap-max KM          farthest a school may lie from a road (default 2)\n"
          "  --straight-access      schools beyond it keep straight-line access\n"
          "                         (default: unassigned, \"road rule\")\n"
          "  --travel-mode MODE     walk, bike, motorbike or car: minutes instead of km\n"
          "  --time-max MIN         member-to-centre limit in minutes (travel mode)\n"
          "  --speed CLASS=KMH      a road class's speed in the mode (repeatable; 0 = not\n"
          "                         usable; off-road = the walk to the road, 5)\n"
          "  --crs EPSG:N           the CRS of a GIS source that states none\n"
          "  --output-crs EPSG:N    GPKG, GML and SHP outputs in this CRS (default: the\n"
          "                         source's; GeoJSON, KML and CSV are always WGS 84)\n"
          "  --basemap URL          the HTML report's map over these tiles ({z}/{x}/{y});\n"
          "                         default none: the report needs no network\n"
          "  --instance FILE        with validate: the instance a solution refers to\n"
          "  --threads N, --seed N, --time-limit SECONDS, --method auto|milp|heuristic\n"
          "  --effort E             quick, default, thorough or a number: every work budget\n"
          "                         times it (deterministic, unlike a time limit)\n"
          "  --anytime              with --time-limit: search on until the limit (not\n"
          "                         reproducible, and said so)\n"
          "  --bound-rounds N       heuristic: rounds of the Lagrangian bound (default 400,\n"
          "                         3N on parts of at most 20,000 pairs; more give a\n"
          "                         tighter bound, same layout)\n"
          "  --quiet, --verbose, --help, --version\n"
          "\n"
          "clusterplan COMMAND --help lists a command's options with units and defaults.\n"
          "\n"
          "exit codes: 0 ran, 2 bad usage or input (nothing written), 3 resource or\n"
          "internal failure, 130 interrupted\n",
          f);
}

/* The command being parsed, once named: a usage error points to its own
 * --help, which lists its options with units and defaults. */
static const char *help_command;

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "clusterplan: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (help_command)
        fprintf(stderr, "\n(clusterplan %s --help lists its options, their units and "
                        "defaults)\n", help_command);
    else
        fprintf(stderr, "\n(clusterplan --help lists the commands and options)\n");
    return 2;
}

/* What a value must be, for the error: "a number of at least 0", "a whole
 * number from 0 to 5". */
static int bad_value(const char *opt, const char *v, double lo, double hi, int whole)
{
    const char *kind = whole ? "a whole number" : "a number";
    if (hi >= 1e9 && lo <= -1e9)
        return usage_error("%s \"%s\": expected %s", opt, v, kind);
    if (hi >= 1e9)
        return usage_error("%s \"%s\": expected %s of at least %g%s", opt, v, kind, lo,
                           strstr(opt, "distance") ? " (without a unit: the instance's units, "
                                                     "km for a GIS layer)" : "");
    return usage_error("%s \"%s\": expected %s from %g to %g", opt, v, kind, lo, hi);
}

static int parse_value(const char *opt, const char *v, double lo, double hi, int whole,
                       double *out)
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || strpbrk(v, "xX") || !isfinite(d) || d < lo || d > hi ||
        (whole && d != floor(d)))
        return bad_value(opt, v, lo, hi, whole);
    *out = d;
    return 0;
}

static int parse_number(const char *opt, const char *v, double lo, double hi, double *out)
{
    return parse_value(opt, v, lo, hi, 0, out);
}

/* A count, level or seed: a whole number (2.5 clusters must not silently
 * become 2). */
static int parse_whole(const char *opt, const char *v, double lo, double hi, double *out)
{
    return parse_value(opt, v, lo, hi, 1, out);
}

static int parse_method(const char *v, int *out)
{
    if ((*out = cp_method_parse(v)) < 0)
        return usage_error("--method \"%s\": expected auto, milp or heuristic", v);
    return 0;
}

/* rank and assign options; returns 1 if `opt` was one of them. */
static int facilitator_option(cli_args *a, const char *opt, const char *v, int *rc)
{
    double d;
    if (!strcmp(opt, "--verify"))
        a->verify = v;
    else if (!strcmp(opt, "--role")) {
        if (a->n_roles == 16)
            *rc = usage_error("too many %s options", opt);
        else
            a->roles[a->n_roles++] = v;
    } else if (!strcmp(opt, "--per-facilitator")) {
        if (!(*rc = parse_whole(opt, v, 1, 1e6, &d)))
            a->per_facilitator = (int)d;
    } else if (!strcmp(opt, "--supervisors"))
        a->supervisor_role = v;
    else if (!strcmp(opt, "--shard")) {
        if (sscanf(v, "%d/%d", &a->shard_index, &a->shard_count) != 2 || a->shard_count < 1 ||
            a->shard_index < 1 || a->shard_index > a->shard_count)
            *rc = usage_error("--shard \"%s\": expected I/N with 1 <= I <= N", v);
    }
    else if (!strcmp(opt, "--per-supervisor")) {
        if (!(*rc = parse_whole(opt, v, 1, 1e6, &d)))
            a->per_supervisor = (int)d;
    } else
        return 0;
    return 1;
}

/* 1 when v is not empty and every character is in `set`. */
static int only_chars(const char *v, const char *set)
{
    return v[0] && strspn(v, set) == strlen(v);
}

/* The sbatch options batch --slurm sets itself: the array, the dependency,
 * the job name (its guard against two submissions of one study) and the
 * logs. */
static int sbatch_reserved(const char *v)
{
    static const char *const reserved[] = {"--array", "--dependency", "--job-name", "--output",
                                           "--error", "--wrap", "--parsable", NULL};
    int k;
    for (k = 0; reserved[k]; k++)
        if (!strncmp(v, reserved[k], strlen(reserved[k])))
            return 1;
    return 0;
}

static int check_sbatch_arg(cli_args *a, const char *v)
{
    size_t k;
    for (k = 0; v[k] && (unsigned char)v[k] >= 0x20; k++)
        ;
    if (strncmp(v, "--", 2) || v[k])
        return usage_error("--sbatch-arg \"%s\": expected one sbatch option, e.g. "
                           "--sbatch-arg=--account=geo", v);
    if (sbatch_reserved(v))
        return usage_error("--sbatch-arg \"%s\": batch --slurm sets this option itself", v);
    if (a->n_sbatch_args == 16)
        return usage_error("too many --sbatch-arg options");
    a->sbatch_args[a->n_sbatch_args++] = v;
    return 0;
}

/* What batch --slurm passes to sbatch; 1 when opt is one of them.  Only
 * the form of a value is checked here: Slurm checks the rest (a partition
 * that does not exist) and says so. */
static int slurm_option(cli_args *a, const char *opt, const char *v, int *rc)
{
    double d;
    size_t n;
    if (!strcmp(opt, "--tasks")) {
        if (!(*rc = parse_whole(opt, v, 1, 1e6, &d)))
            a->slurm_tasks = (int)d;
    } else if (!strcmp(opt, "--cpus-per-task")) {
        if (!(*rc = parse_whole(opt, v, 1, 4096, &d)))
            a->cpus_per_task = (int)d;
    } else if (!strcmp(opt, "--partition")) {
        if (!only_chars(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,-"))
            *rc = usage_error("--partition \"%s\": expected a partition name (or several, "
                              "comma-separated)", v);
        a->partition = v;
    } else if (!strcmp(opt, "--time")) {
        if (!only_chars(v, "0123456789:-"))
            *rc = usage_error("--time \"%s\": expected the wall time of each task as Slurm "
                              "writes it: MINUTES, HH:MM:SS or D-HH:MM:SS", v);
        a->wall_time = v;
    } else if (!strcmp(opt, "--mem")) {
        n = strspn(v, "0123456789");
        if (n == 0 || (v[n] && (!strchr("KMGTkmgt", v[n]) || v[n + 1])))
            *rc = usage_error("--mem \"%s\": expected the memory of each task, e.g. 4G or 500M",
                              v);
        a->memory = v;
    } else if (!strcmp(opt, "--sbatch-arg"))
        *rc = check_sbatch_arg(a, v);
    else
        return 0;
    return 1;
}

/* Options that take a value; returns 1 if `opt` was one of them. */
/* "4-6" (or "5": both bounds) for --size. */
static int parse_size(const char *v, cli_args *a)
{
    long lo, hi;
    char *end;
    lo = strtol(v, &end, 10);
    if (*end != '-') /* "--size 5" read as 5-5 had halved the schools placed without a word */
        return usage_error("--size %s: expected MIN-MAX schools per cluster (for example 4-6; "
                           "5-5 for exactly 5)", v);
    hi = strtol(end + 1, &end, 10);
    if (*end || lo < 1 || hi < lo || hi > 1000000000L)
        return usage_error("--size %s: expected MIN-MAX schools per cluster, 1 <= MIN <= MAX "
                           "(for example 4-6)", v);
    a->size_min = (int)lo;
    a->size_max = (int)hi;
    return 0;
}

/* Distances by road; 1 when opt is one of them. */
static int road_option(cli_args *a, const char *opt, const char *v, int *rc)
{
    if (!strcmp(opt, "--roads"))
        a->roads = v;
    else if (!strcmp(opt, "--roads-layer"))
        a->roads_layer = v;
    else if (!strcmp(opt, "--roads-class"))
        a->roads_class = v;
    else if (!strcmp(opt, "--snap-max"))
        *rc = parse_number(opt, v, 0, 1e6, &a->snap_max);
    else if (!strcmp(opt, "--time-max"))
        *rc = parse_number(opt, v, 0, 1e9, &a->time_max);
    else if (!strcmp(opt, "--travel-mode")) {
        if ((a->travel = cp_travel_parse(v)) < 0)
            *rc = usage_error("--travel-mode %s: expected walk, bike, motorbike or car (or "
                              "distance: road km)", v);
    } else if (!strcmp(opt, "--speed")) {
        const char *eq = strrchr(v, '=');
        double kmh;
        if (!eq || eq == v)
            *rc = usage_error("--speed %s: expected CLASS=KMH (for example track=20)", v);
        else if (parse_number("--speed", eq + 1, 0, 1000, &kmh)) /* it said what is wrong */
            *rc = 2;
        else if (a->n_speeds == 64)
            *rc = usage_error("too many %s options", opt);
        else
            a->speeds[a->n_speeds++] = v;
    } else
        return 0;
    return 1;
}

/* The scenario's rules as options (SPEC: every scenario setting has a
 * command-line twin); 1 when opt is one of them. */
static int rule_option(cli_args *a, const char *opt, const char *v, int *rc)
{
    double d;
    if (!strcmp(opt, "--size"))
        *rc = parse_size(v, a);
    else if (!strcmp(opt, "--distance-max"))
        *rc = parse_number(opt, v, 0, 1e9, &a->distance_max);
    else if (!strcmp(opt, "--min-quality"))
        *rc = parse_number(opt, v, 0, 1, &a->min_quality);
    else if (!strcmp(opt, "--capacity"))
        *rc = parse_number(opt, v, 0, 1e12, &a->capacity);
    else if (!strcmp(opt, "--cluster-cost"))
        *rc = parse_number(opt, v, -1e12, 1e12, &a->cluster_cost);
    else if (!strcmp(opt, "--admin-level")) {
        if (!(*rc = parse_whole(opt, v, 0, CP_ADMIN_LEVELS, &d)))
            a->admin_level = (int)d;
    } else if (!strcmp(opt, "--clusters")) {
        if (!(*rc = parse_whole(opt, v, 0, 1e9, &d)))
            a->clusters = (int)d;
    } else if (!strcmp(opt, "--objective")) {
        if (!strcmp(v, "travel"))
            a->objective = CP_OBJECTIVE_TRAVEL;
        else if (!strcmp(v, "cost"))
            a->objective = CP_OBJECTIVE_COST;
        else
            *rc = usage_error("--objective %s: expected travel or cost", v);
    } else if (road_option(a, opt, v, rc)) {
        ;
    } else if (!strcmp(opt, "--where")) {
        if (!strchr(v, '=') || v[0] == '=')
            *rc = usage_error("--where %s: expected FIELD=VALUE (for example county=Kilifi)", v);
        else if (a->n_where == 64)
            *rc = usage_error("too many %s options", opt);
        else
            a->where[a->n_where++] = v;
    } else
        return 0;
    return 1;
}

/* --group-min NAME=MIN, --max-upgrades N, --upgrade-budget B, --zones
 * MIN-MAX, --zone-distance KM, --zone-admin-level L, generate --groups
 * NAMES: the twins of <groups>, <invest> and <zones>. */
int cli_rules24_option(cli_args *a, const char *opt, const char *v, int *rc)
{
    double d;
    long lo, hi;
    char *end;
    if (!strcmp(opt, "--group-min")) {
        const char *eq = strchr(v, '=');
        if (!eq || eq == v || !eq[1] || strpbrk(eq + 1, "xX") || strtod(eq + 1, &end) < 0 ||
            *end)
            *rc = usage_error("--group-min %s: expected GROUP=MIN (for example math=4)", v);
        else if (a->n_group_min == CP_MAX_GROUPS)
            *rc = usage_error("too many %s options (at most %d groups)", opt, CP_MAX_GROUPS);
        else
            a->group_min[a->n_group_min++] = v;
    } else if (!strcmp(opt, "--max-upgrades")) {
        if (!(*rc = parse_whole(opt, v, 0, 1e9, &d)))
            a->max_upgrades = (int)d;
    } else if (!strcmp(opt, "--upgrade-budget")) {
        *rc = parse_number(opt, v, 0, 1e15, &a->upgrade_budget);
    } else if (!strcmp(opt, "--zones")) {
        lo = strtol(v, &end, 10);
        hi = *end == '-' ? strtol(end + 1, &end, 10) : -1;
        if (*end || lo < 1 || hi < lo || hi > 1000000000L)
            *rc = usage_error("--zones %s: expected MIN-MAX clusters per zone, 1 <= MIN <= MAX "
                              "(for example 3-6; 4-4 for exactly 4)", v);
        a->zone_min = (int)lo;
        a->zone_max = (int)hi;
    } else if (!strcmp(opt, "--zone-distance")) {
        *rc = parse_number(opt, v, 0, 1e9, &a->zone_distance);
    } else if (!strcmp(opt, "--zone-admin-level")) {
        if (!(*rc = parse_whole(opt, v, 0, CP_ADMIN_LEVELS, &d)))
            a->zone_admin_level = (int)d;
    } else if (!strcmp(opt, "--groups")) {
        a->generate_groups = v;
    } else
        return 0;
    return 1;
}

static int value_option(cli_args *a, const char *opt, const char *v, int *rc)
{
    double d;
    if (!strcmp(opt, "-s") || !strcmp(opt, "--scenario"))
        a->scenario_path = v;
    else if (!strcmp(opt, "-o") || !strcmp(opt, "--output")) {
        if (a->n_outputs == CLI_MAX_OUTPUTS)
            *rc = usage_error("too many %s options", opt);
        else
            a->outputs[a->n_outputs++] = v;
    } else if (!strcmp(opt, "--instance"))
        a->instance_path = v;
    else if (!strcmp(opt, "--export-lp"))
        a->export_lp = v;
    else if (rule_option(a, opt, v, rc) || cli_rules24_option(a, opt, v, rc))
        ;
    else if (!strcmp(opt, "--layer"))
        a->layer = v;
    else if (!strcmp(opt, "--crs"))
        a->crs = v;
    else if (!strcmp(opt, "--output-crs"))
        a->output_crs = v;
    else if (!strcmp(opt, "--basemap")) {
        const char *problem = cp_basemap_problem(v);
        if (problem)
            *rc = usage_error("--basemap %s: %s", v, problem);
        else
            a->basemap = v;
    }
    else if (!strcmp(opt, "--schools")) {
        if (!(*rc = parse_whole(opt, v, 0, 1e8, &d)))
            a->schools = (long)d;
    }
    else if (!strcmp(opt, "--field")) {
        if (a->n_fields == 64)
            *rc = usage_error("too many %s options", opt);
        else
            a->fields[a->n_fields++] = v;
    } else if (!strcmp(opt, "--threads")) {
        if (!(*rc = parse_whole(opt, v, 0, 4096, &d)))
            a->threads = (int)d;
    } else if (!strcmp(opt, "--seed")) {
        if (!(*rc = parse_whole(opt, v, 0, 9.2e18, &d)))
            a->seed = (long long)d;
    } else if (!strcmp(opt, "--time-limit"))
        *rc = parse_number(opt, v, 0, 1e12, &a->time_limit);
    else if (!strcmp(opt, "--effort")) {
        cp_error err;
        if (cp_effort_parse(v, &a->effort, &err))
            *rc = usage_error("--effort: %s", err.message);
    }
    else if (!strcmp(opt, "--bound-rounds")) {
        if (!(*rc = parse_whole(opt, v, 1, 1000000, &d)))
            a->bound_rounds = (int)d;
    }
    else if (!strcmp(opt, "--existing-scope")) {
        if (!(*rc = parse_whole(opt, v, 0, CP_ADMIN_LEVELS, &d))) {
            a->existing_scope = (int)d;
            a->existing_scope_given = 1;
        }
    } else if (!strcmp(opt, "--method"))
        *rc = parse_method(v, &a->method);
    else if (!facilitator_option(a, opt, v, rc))
        return slurm_option(a, opt, v, rc);
    return 1;
}

static int flag_option(cli_args *a, const char *opt)
{
    if (!strcmp(opt, "--existing"))
        a->existing = 1;
    else if (!strcmp(opt, "--quiet") || !strcmp(opt, "-q"))
        a->quiet = 1;
    else if (!strcmp(opt, "--anytime"))
        a->anytime = 1;
    else if (!strcmp(opt, "--verbose") || !strcmp(opt, "-v"))
        a->verbose = 1;
    else if (!strcmp(opt, "--merge"))
        a->merge = 1;
    else if (!strcmp(opt, "--slurm"))
        a->slurm = 1;
    else if (!strcmp(opt, "--public"))
        a->public_version = 1;
    else if (!strcmp(opt, "--diff"))
        a->diff = 1;
    else if (!strcmp(opt, "--groups-soft"))
        a->groups_soft = 1;
    else if (!strcmp(opt, "--test-plant-mismatch")) /* tests only: settings' check hook */
        a->plant_mismatch = 1;
    else if (!strcmp(opt, "--straight-access"))
        a->straight_access = 1;
    else
        return 0;
    return 1;
}

/* An option the command would ignore is refused: a setting that cannot
 * mean what it says gets an error that names it (issue 23). */
static int check_applies(const cli_args *a, char *const *argv, const int *given, int n_given)
{
    int k;
    for (k = 0; a->command && k < n_given; k++) {
        const char *arg = argv[given[k]], *eq = strchr(arg, '=');
        int len = eq && !strncmp(arg, "--", 2) ? (int)(eq - arg) : (int)strlen(arg);
        if (!cli_option_applies(a->command, arg, len))
            return usage_error("%.*s does not apply to %s: it would be ignored%s (clusterplan "
                               "%s --help lists its options)", len, arg, a->command,
                               strcmp(a->command, "batch") ? ""
                               : "; the study file sets every run's scenario and solver "
                                 "(<scenario> and its overrides, the study's <solver method "
                                 "time-limit seed>; the effort in the scenario file's <solver "
                                 "effort>)",
                               a->command);
    }
    return 0;
}

/* An option's name as typed ("--field" of "--field=a=b"), the long forms
 * of -s and -o as their short ones; and its value. */
static void option_parts(char *const *argv, int at, char *name, size_t size, const char **value)
{
    const char *arg = argv[at], *eq = strncmp(arg, "--", 2) ? NULL : strchr(arg, '=');
    snprintf(name, size, "%.*s", eq ? (int)(eq - arg) : (int)strlen(arg), arg);
    if (!strcmp(name, "--scenario"))
        snprintf(name, size, "-s");
    if (!strcmp(name, "--output"))
        snprintf(name, size, "-o");
    *value = eq ? eq + 1 : argv[at + 1];
}

/* The length of a keyed value's name ("teachers" of "teachers=TSC"), or
 * -1 when it has none. */
static int key_length(const char *value)
{
    const char *eq = value ? strchr(value, '=') : NULL;
    return eq ? (int)(eq - value) : -1;
}

/* An option given twice would have the last one win without a word (a
 * scenario's element given twice is refused the same way).  Options that
 * add up (-o, --where, --role, --sbatch-arg) may repeat, and flags (the
 * same said twice); --field, --speed and --group-min may, each for
 * another name.  O(options^2). */
static int check_repeats(char *const *argv, const int *given, const unsigned char *is_flag,
                         int n_given)
{
    static const char *const adds_up[] = {"-o", "--where", "--role", "--sbatch-arg", NULL};
    static const char *const keyed[] = {"--field", "--speed", "--group-min", NULL};
    int k, j, m;
    for (k = 0; k < n_given; k++) {
        char name[64], other[64];
        const char *value, *other_value;
        int is_keyed = 0, repeats = 0;
        option_parts(argv, given[k], name, sizeof name, &value);
        for (m = 0; adds_up[m]; m++)
            repeats |= !strcmp(name, adds_up[m]);
        for (m = 0; keyed[m]; m++)
            is_keyed |= !strcmp(name, keyed[m]);
        if (repeats || is_flag[k] || strncmp(name, "-", 1))
            continue;
        for (j = 0; j < k; j++) {
            option_parts(argv, given[j], other, sizeof other, &other_value);
            if (strcmp(name, other))
                continue;
            if (!is_keyed)
                return usage_error("%s is given twice: give it once (the last one would have "
                                   "won without a word)", name);
            if (key_length(value) > 0 && key_length(value) == key_length(other_value) &&
                !strncmp(value, other_value, (size_t)key_length(value)))
                return usage_error("%s %s and %s %s: the same %.*s twice: give it once",
                                   name, other_value, name, value, key_length(value), value);
        }
    }
    return 0;
}

/* --existing-scope reads the labels of the instance's own layout: with
 * no `existing` layout to read it would change nothing. */
static int check_existing_scope(const cli_args *a)
{
    int k;
    if (!a->existing_scope_given || a->existing)
        return 0;
    for (k = 1; k < a->n_positional; k++)
        if (!strcmp(a->positional[k], "existing"))
            return 0;
    return usage_error("--existing-scope %d applies to the instance's own layout, and none is "
                       "read: add --existing (evaluate) or name `existing` as a layout "
                       "(compare)", a->existing_scope);
}

int cli_parse(int argc, char **argv, cli_args *a)
{
    int given[256]; /* argv indices of the options given */
    unsigned char is_flag[256] = {0}; /* the option at given[k] takes no value */
    int k, rc = 0, n_given = 0;
    memset(a, 0, sizeof *a);
    help_command = NULL;
    a->threads = -1;
    a->seed = -1;
    a->time_limit = -1;
    a->effort = -1;
    a->bound_rounds = -1;
    a->size_min = a->size_max = a->admin_level = a->clusters = -1;
    a->distance_max = a->min_quality = a->capacity = a->cluster_cost = NAN;
    a->method = -1;
    a->schools = -1;
    a->max_upgrades = a->zone_min = a->zone_max = a->zone_admin_level = -1;
    a->upgrade_budget = a->zone_distance = NAN;
    a->snap_max = a->time_max = NAN;
    a->straight_access = a->travel = -1;
    for (k = 1; k < argc && !rc; k++) {
        const char *arg = argv[k];
        char opt[64];
        const char *eq = strchr(arg, '=');
        if (arg[0] != '-' || !strcmp(arg, "-")) {
            if (!a->command) {
                a->command = arg;
                help_command = cli_command_known(arg) ? arg : NULL;
            } else if (a->n_positional == CLI_MAX_POSITIONAL)
                return usage_error("too many arguments (%s)", arg);
            else
                a->positional[a->n_positional++] = arg;
            continue;
        }
        if (flag_option(a, arg)) {
            if (n_given < 256) {
                is_flag[n_given] = 1;
                given[n_given++] = k;
            }
            continue;
        }
        if (!strncmp(arg, "--", 2) && eq && (size_t)(eq - arg) < sizeof opt) {
            memcpy(opt, arg, (size_t)(eq - arg));
            opt[eq - arg] = '\0';
            if (value_option(a, opt, eq + 1, &rc)) {
                if (n_given < 256)
                    given[n_given++] = k;
                continue;
            }
        }
        if (k + 1 < argc && value_option(a, arg, argv[k + 1], &rc)) {
            if (n_given < 256)
                given[n_given++] = k;
            k++;
            continue;
        }
        if (!rc)
            rc = k + 1 < argc ? usage_error("unknown option %s", arg)
                              : usage_error("option %s needs a value", arg);
    }
    if (!rc)
        rc = check_applies(a, argv, given, n_given);
    if (!rc)
        rc = check_repeats(argv, given, is_flag, n_given);
    return rc ? rc : check_existing_scope(a);
}

int cli_exit_code(const cp_error *err)
{
    return err->code == CP_ERESOURCE || err->code == CP_EINTERNAL ? 3 : 2;
}

int cli_fail(const cp_error *err)
{
    fprintf(stderr, "clusterplan: %s\n", err->message);
    return cli_exit_code(err);
}

/* A string setting of the scenario replaced by the command line's. */
static cp_code replace_text(char **slot, const char *value)
{
    char *copy;
    if (!value)
        return CP_OK;
    if (!(copy = cp_strdup(value)))
        return CP_ERESOURCE;
    cp_free(*slot);
    *slot = copy;
    return CP_OK;
}

static cp_code apply_road_overrides(cp_scenario *sc, const cli_args *a)
{
    cp_error err;
    int k;
    if (replace_text(&sc->roads, a->roads) || replace_text(&sc->roads_layer, a->roads_layer) ||
        replace_text(&sc->roads_class, a->roads_class))
        return CP_ERESOURCE;
    if (!isnan(a->snap_max)) {
        sc->snap_max = a->snap_max;
        sc->snap_max_given = 1;
    }
    if (!isnan(a->time_max))
        sc->time_max = a->time_max;
    if (a->straight_access > 0)
        sc->straight_access = 1;
    if (a->travel >= 0)
        sc->travel = (cp_travel_mode)a->travel;
    if (a->travel == CP_TRAVEL_DISTANCE)
        sc->time_max = INFINITY; /* road km again: the scenario's minutes no longer apply */
    for (k = 0; k < a->n_speeds; k++) { /* the form was checked by cli_parse */
        const char *eq = strrchr(a->speeds[k], '=');
        char cls[256];
        snprintf(cls, sizeof cls, "%.*s", (int)(eq - a->speeds[k]), a->speeds[k]);
        if (cp_scenario_set_speed(sc, cls, strtod(eq + 1, NULL), &err))
            return CP_ERESOURCE;
    }
    return CP_OK;
}

cp_code cli_apply_overrides(cp_scenario *sc, const void *arg)
{
    const cli_args *a = arg;
    cp_error err;
    int k;
    if (a->threads >= 0)
        sc->solver.threads = a->threads;
    if (a->seed >= 0)
        sc->solver.seed = (uint64_t)a->seed;
    if (a->time_limit >= 0)
        sc->solver.time_limit = a->time_limit;
    if (a->effort >= 0)
        sc->solver.effort = a->effort;
    if (a->anytime)
        sc->solver.anytime = 1;
    if (a->bound_rounds > 0)
        sc->solver.bound_rounds = a->bound_rounds;
    if (a->method >= 0)
        sc->solver.method = (cp_method)a->method;
    sc->solver.verbose = a->verbose;
    sc->solver.export_lp = a->export_lp;
    sc->solver.check_plant_mismatch = a->plant_mismatch;
    if (a->size_min > 0) {
        sc->size_min = a->size_min;
        sc->size_max = a->size_max;
    }
    if (!isnan(a->distance_max))
        sc->distance_max = a->distance_max;
    if (!isnan(a->min_quality))
        sc->min_quality = a->min_quality;
    if (!isnan(a->capacity))
        sc->capacity = a->capacity;
    if (!isnan(a->cluster_cost))
        sc->cluster_cost = a->cluster_cost;
    if (a->objective != CP_OBJECTIVE_DEFAULT)
        sc->objective = a->objective;
    if (a->admin_level >= 0)
        sc->admin_level = a->admin_level;
    if (a->clusters >= 0)
        sc->cluster_count = a->clusters;
    for (k = 0; k < a->n_where; k++) /* the form was checked by cli_parse */
        if (cp_scenario_add_where(sc, a->where[k], &err))
            return CP_ERESOURCE;
    for (k = 0; k < a->n_group_min; k++) /* likewise */
        if (cp_scenario_set_group(sc, a->group_min[k], &err))
            return CP_ERESOURCE;
    if (a->groups_soft)
        sc->groups_soft = 1;
    if (a->max_upgrades >= 0 || !isnan(a->upgrade_budget))
        sc->has_invest = 1;
    if (a->max_upgrades >= 0)
        sc->max_upgrades = a->max_upgrades;
    if (!isnan(a->upgrade_budget))
        sc->upgrade_budget = a->upgrade_budget;
    if (a->zone_min > 0 || !isnan(a->zone_distance) || a->zone_admin_level >= 0)
        sc->has_zones = 1;
    if (a->zone_min > 0) {
        sc->zone_min = a->zone_min;
        sc->zone_max = a->zone_max;
    }
    if (!isnan(a->zone_distance))
        sc->zone_distance = a->zone_distance;
    if (a->zone_admin_level >= 0)
        sc->zone_admin_level = a->zone_admin_level;
    if (replace_text(&sc->layer, a->layer) || replace_text(&sc->crs, a->crs) ||
        replace_text(&sc->output_crs, a->output_crs))
        return CP_ERESOURCE;
    return apply_road_overrides(sc, a);
}

pipeline_job cli_job(const cli_args *a, const char *instance_path, layout_source source)
{
    pipeline_job job;
    memset(&job, 0, sizeof job);
    job.instance_path = instance_path;
    job.scenario_path = a->scenario_path;
    job.fields = a->fields;
    job.n_fields = a->n_fields;
    job.source = source;
    job.existing_scope = a->existing_scope;
    job.overrides = cli_apply_overrides;
    job.overrides_arg = a;
    job.overrides_label = "the command line's options";
    job.outputs.basemap = a->basemap;
    return job;
}

void cli_print_warnings(const cli_args *a, const cp_warnings *w)
{
    int k;
    if (a->quiet)
        return;
    for (k = 0; k < w->count; k++)
        fprintf(stderr, "warning: %s\n", w->items[k]);
}

static volatile int interrupted;

/* The first SIGINT/SIGTERM asks the running work to stop and keep its best;
 * a second one exits at once. */
static void on_signal(int sig)
{
    (void)sig;
    if (interrupted)
        _exit(130);
    interrupted = 1;
}

volatile int *cli_catch_interrupts(void)
{
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    return &interrupted;
}

/* "solve: round 1 512/1279 parts" redrawn in place on a terminal, at most
 * once per percent (the callback comes from worker threads; a skipped or
 * doubled redraw is harmless). */
/* One line, rewritten in place: the phase, the schools of the parts
 * finished (a bar that moves with the work, not with the count of parts:
 * one large part would hold it at 99 %), and the parts. */
void cli_progress_line(const cp_progress *p, void *arg)
{
    static char last[160];
    char line[160];
    int percent = p->schools_total ? (int)(100 * p->schools_done / p->schools_total) : 0;
    (void)arg;
    if (p->schools_total == 0)
        snprintf(line, sizeof line, "solve: %s", p->phase);
    else
        snprintf(line, sizeof line, "solve: %s, %ld of %ld schools (%d%%), %d of %d parts",
                 p->phase, p->schools_done, p->schools_total, percent, p->parts_done,
                 p->parts_total);
    if (!strcmp(line, last))
        return;
    snprintf(last, sizeof last, "%s", line);
    fprintf(stderr, "\r%-78s", line);
    if (p->schools_total > 0 && p->parts_done == p->parts_total)
        fputc('\n', stderr);
    fflush(stderr);
}
