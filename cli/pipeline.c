/*
 * pipeline.c — the one read -> solve or evaluate -> check -> write path
 * (cli.h).  solve, evaluate, compare, validate, assign and every batch run
 * open a pipeline; none of them reads an instance or evaluates a layout on
 * its own.
 *
 * Order, and why:
 *   1. the scenario: defaults, the file, the job's overrides, the field
 *      mapping, then cp_scenario_check once, so every way of filling it
 *      meets the same rules;
 *   2. the instance (the mapping decides its columns), joined to its road
 *      layer when the scenario names one, and its distances;
 *   3. the layout: solved, read from a solution file, or the instance's own;
 *   4. the independent evaluation (cp_evaluate, from the instance alone);
 *   5. for a solved layout, its claims against that evaluation: a layout
 *      that claims to be a solution must have no violation and the
 *      objective it reports.  A mismatch is a defect of the solver, so the
 *      run stops with CP_EINTERNAL (exit 3) before anything is written.
 * Outputs come last (pipeline_write), after every step has succeeded.
 */
#include "cli.h"
#include "solver/model/model.h"

#include <math.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The scenario: defaults, the file, the job's overrides, the field
 * mapping and <where>, then the checks.  A check's message names the file,
 * and the overrides when they changed anything ("base.xml with the command
 * line's options: snap-max 3 km asks for a road layer"): a setting given
 * on the command line was blamed on the file. */
static cp_code load_scenario(pipeline *p, const pipeline_job *job)
{
    cp_scenario before;
    char where[1200];
    int k, changed;
    cp_scenario_defaults(&p->sc);
    if (job->scenario_path && cp_read_scenario(job->scenario_path, &p->sc, &p->err))
        return p->err.code;
    memcpy(&before, &p->sc, sizeof before); /* compared only, never freed */
    if (job->overrides && job->overrides(&p->sc, job->overrides_arg))
        return cp_fail_nomem(&p->err);
    changed = memcmp(&before, &p->sc, sizeof before) != 0;
    if (changed && job->overrides_label)
        snprintf(where, sizeof where, "%s with %s",
                 job->scenario_path ? job->scenario_path : "the default scenario",
                 job->overrides_label);
    else
        snprintf(where, sizeof where, "%s", job->scenario_path ? job->scenario_path : "");
    for (k = 0; k < job->n_fields; k++)
        if (cp_scenario_map_field(&p->sc, job->fields[k], &p->err))
            return p->err.code;
    for (k = 0; k < job->n_where; k++)
        if (cp_scenario_add_where(&p->sc, job->where[k], &p->err))
            return p->err.code;
    return cp_scenario_check(&p->sc, where[0] ? where : NULL, &p->err);
}

cp_code pipeline_check_scenario(const pipeline_job *job, cp_error *err)
{
    pipeline p;
    cp_code rc;
    memset(&p, 0, sizeof p);
    cp_error_clear(&p.err);
    rc = load_scenario(&p, job);
    if (rc)
        *err = p.err;
    cp_scenario_clear(&p.sc);
    return rc;
}

int pipeline_same_number(double a, double b)
{
    return fabs(a - b) <= 1e-6 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* Statuses under which a solved layout claims to satisfy every rule. */
static int claims_solution(const cp_layout *lay)
{
    cp_status s = lay->info.status;
    return s == CP_STATUS_OPTIMAL || s == CP_STATUS_FEASIBLE ||
           ((s == CP_STATUS_TIME_LIMIT || s == CP_STATUS_INTERRUPTED) && lay->n_clusters > 0);
}

/* A layout's claims against its evaluation: every rule kept (a solve's
 * own layout only: a layout read may be evaluated under a what-if rule,
 * such as a shorter --distance-max, and then its violations are the
 * answer, not an error), the objective and the unassigned count. */
static cp_code check_claims(pipeline *p, const cp_layout *lay, const cp_evaluation *ev, int read)
{
    const cp_info *info = &lay->info;
    /* an interrupted run claims its objective and count, not every rule: a
     * part it never reached may leave a required centre unopened; a run the
     * time limit stopped short of a fixed count breaks that one rule */
    int count_cut = info->status == CP_STATUS_TIME_LIMIT && p->sc.cluster_count > 0 &&
                    lay->n_clusters != p->sc.cluster_count && ev->n_violations == 1;
    int rules_kept = read || info->status == CP_STATUS_INTERRUPTED || count_cut ||
                     ev->n_violations == 0;
    if (!claims_solution(lay))
        return CP_OK;
    if (rules_kept && pipeline_same_number(ev->ind.objective, info->objective) &&
        info->unassigned == ev->ind.unassigned)
        return CP_OK;
    return cp_fail(&p->err, CP_EINTERNAL,
                   "internal error: the %s layout does not re-evaluate to its claims "
                   "(%d violations; objective %.17g claimed, %.17g recomputed; unassigned %d "
                   "claimed, %d recomputed)%s: nothing written", cp_status_name(info->status),
                   ev->n_violations, info->objective, ev->ind.objective,
                   info->unassigned, ev->ind.unassigned,
                   read ? "; with the layer it was made with, the objective must agree: if the "
                          "speeds or the objective's settings differ from those it was made "
                          "with, give those" : "");
}

/* A layout file made with distances by road is checked with the same road
 * layer and travel mode, or not at all (a straight-line evaluation of it
 * would be a confident wrong answer); then, like a solve, its claims must
 * re-evaluate (exit 3 otherwise).  A layout made with straight lines may
 * be evaluated by road: that is how the two are compared. */
static cp_code check_road_record(pipeline *p, const char *path, cp_layout *lay)
{
    cp_info *info = &lay->info;
    const cp_road_summary *r = cp_road_info(p->inst);
    if (!info->roads_sha256 && r) {
        /* made in straight lines, measured by road: its status, bound and
         * gap were about straight lines, and say nothing here */
        info->status = CP_STATUS_NONE;
        info->bound = info->gap = NAN;
        return CP_OK;
    }
    if (!info->roads_sha256)
        return CP_OK;
    if (!r)
        return cp_fail(&p->err, CP_EINPUT, "%s was made with distances by road (a road layer "
                       "with SHA-256 %.16s..., travel %s): evaluate it with the same layer "
                       "(--roads FILE, or the scenario's <roads path>)", path, info->roads_sha256,
                       info->roads_travel);
    if (strcmp(info->roads_sha256, r->sha256))
        return cp_fail(&p->err, CP_EINPUT, "%s was made with another road layer (SHA-256 "
                       "%.16s...) than %s (%.16s...): evaluate it with the layer it was made "
                       "with", path, info->roads_sha256, r->source, r->sha256);
    if (strcmp(info->roads_travel, cp_travel_name(r->travel)))
        return cp_fail(&p->err, CP_EINPUT, "%s was made with travel %s, not %s: evaluate it in "
                       "the same mode (--travel-mode, <travel mode>)", path, info->roads_travel,
                       cp_travel_name(r->travel));
    return CP_OK;
}

/* Settings that cannot mean what they say, before the layout is made: the
 * model checks of `validate` (its errors too, as warnings: the run goes on
 * and its statuses and reasons say the rest). */
cp_code pipeline_warn_rules(pipeline *p)
{
    cp_warnings errors = {0, 0, NULL};
    int k, n = cp_validate_instance(p->inst, &p->sc, &errors, &p->warn);
    cp_code rc = n < 0 ? CP_ERESOURCE : CP_OK;
    for (k = 0; !rc && k < errors.count; k++)
        rc = cp_warn(&p->warn, "%s", errors.items[k]);
    cp_warnings_free(&errors);
    return rc ? cp_fail_nomem(&p->err) : CP_OK;
}

/* No distance limit: said, with the farthest member the layout has. */
static cp_code warn_no_limit(pipeline *p)
{
    int i, unlimited = 0;
    if (cp_scenario_timed(&p->sc) && !isfinite(p->sc.time_max) && p->ev->ind.assigned > 0)
        return cp_warn(&p->warn, "no time limit (<travel time-max=\"...\"> or --time-max): the "
                       "farthest member is %.1f %s from its centre", p->ev->ind.dist_max,
                       p->inst->units);
    if (cp_scenario_timed(&p->sc) || isfinite(p->sc.distance_max) || p->ev->ind.assigned == 0)
        return CP_OK;
    for (i = 0; i < p->inst->n_schools; i++)
        unlimited += isnan(p->inst->schools[i].max_distance);
    if (!unlimited)
        return CP_OK; /* every school carries its own limit */
    return cp_warn(&p->warn, "no distance limit (scenario <distance max=\"...\"> or "
                   "--distance-max): the farthest member is %.1f %s from its centre",
                   p->ev->ind.dist_max, p->inst->units);
}

/* A scenario with <zones> and a layout read without them: its zone rules
 * cannot be checked, which is said rather than passed over. */
static cp_code warn_unzoned(pipeline *p, const char *name, const cp_layout *lay)
{
    if (!p->sc.has_zones || lay->zones)
        return CP_OK;
    return cp_warn(&p->warn, "the scenario asks for zones (<zones>, --zones) but %s has none: "
                   "its zone rules are not checked (clusterplan zones forms them)", name);
}

/* Whether every condition of `a` ("F=V; F=V") is one of `b`'s, in any
 * order, letters compared without case (cp_where_matches' rule). */
static int conditions_within(const char *a, const char *b)
{
    while (*a) {
        size_t len = strcspn(a, ";");
        const char *q = b;
        int found = 0;
        while (*q && !found) {
            size_t qlen = strcspn(q, ";");
            found = qlen == len && strncasecmp(a, q, len) == 0;
            q += qlen;
            q += strspn(q, "; ");
        }
        if (!found)
            return 0;
        a += len;
        a += strspn(a, "; ");
    }
    return 1;
}

/* A solution file made for some schools only (its `where`) read for
 * others: every school outside the layout would count as unassigned, a
 * confident wrong figure, so it is said first (a newcomer's find: a
 * county's layout scored against the whole register, 28,631 unassigned).
 * Files without `where` (older ones, or made for every school) pass. */
static cp_code warn_where(pipeline *p, const char *path, const cp_layout *lay)
{
    char now[4096];
    const char *made = lay->info.where;
    if (!made)
        return CP_OK;
    cp_scenario_where_text(&p->sc, now, sizeof now);
    if (conditions_within(made, now) && conditions_within(now, made))
        return CP_OK;
    if (cp_warn(&p->warn, "%s was made for the schools where %s, but this run reads %s%s: "
                "every school outside it counts as unassigned; give the same --where", path,
                made, now[0] ? "the schools where " : "every school", now))
        return cp_fail_nomem(&p->err);
    return CP_OK;
}

/* An admin level deeper than the instance's units: the rule is kept at the
 * deepest level it has, and said.  Before, no rule was kept at all: Lamu
 * at --admin-level 4 (units down to zones, level 3) placed 87 of 92
 * schools against 75 under the zone rule.  CP_OK, or out of memory. */
static cp_code keep_deepest_admin(pipeline *p)
{
    int asked = p->sc.admin_level, present = p->inst->admin_levels_present;
    if (asked <= present)
        return CP_OK;
    p->sc.admin_level = present;
    if (present ? cp_warn(&p->warn, "admin level %d (--admin-level, <admin level>), but the "
                          "instance has admin units only down to level %d: clusters are kept "
                          "inside its admin%d units (map admin%d with --field admin%d=COLUMN to "
                          "keep them inside those)", asked, present, present, asked, asked)
                : cp_warn(&p->warn, "admin level %d (--admin-level, <admin level>), but the "
                          "instance has no admin units: no admin rule applies (map admin1.."
                          "admin%d with --field admin1=COLUMN ...)", asked, asked))
        return cp_fail_nomem(&p->err);
    return CP_OK;
}

/* How this run's rules are named: "scenario \"base\"", a file without a
 * name, or the defaults. */
static void rules_name(const pipeline *p, char *out, size_t n)
{
    if (p->sc.name)
        snprintf(out, n, "scenario \"%s\"", p->sc.name);
    else if (p->job_scenario)
        snprintf(out, n, "%s, a scenario without a name", p->job_scenario);
    else
        snprintf(out, n, "the default rules (no -s)");
}

/* Whether the layout was made under other rules than this run's: its
 * digest decides; without one (a hand-made file, 0.2.0), its scenario's
 * name. */
static int made_under_other_rules(const pipeline *p, const cp_layout *lay)
{
    const char *made = lay->info.scenario, *now = p->sc.name;
    char rules[65];
    if (!lay->info.rules_sha256)
        return made && made[0] && !(now && !strcmp(made, now));
    cp_scenario_rules_digest(&p->sc, rules);
    return strcmp(rules, lay->info.rules_sha256) != 0;
}

/* A solution file made under other rules than this run's: another
 * scenario, the defaults (-s forgotten), or the same scenario with an
 * option that changed a rule (--distance-max 8).  Its admin unit, sizes and
 * distance are not the rules it is now scored or staffed against (a
 * newcomer's find: assign without -s gave Ganze's clusters facilitators
 * from another sub-county, with exit 0), and its status and bound were
 * claims under its own rules: they are dropped, so no page calls an 8 km
 * layout "optimal" under 10 km.  The solution's rules-sha256 decides; a
 * file without one (a hand-made layout, an older version) is compared by
 * scenario name alone. */
static cp_code warn_scenario(pipeline *p, const char *path, cp_layout *lay)
{
    const char *made = lay->info.scenario && lay->info.scenario[0] ? lay->info.scenario : NULL;
    const char *now = p->sc.name;
    char reads[1200];
    int same_name = made ? now && !strcmp(made, now) : !now;
    cp_code rc;
    if (!made_under_other_rules(p, lay))
        return CP_OK;
    rules_name(p, reads, sizeof reads);
    if (same_name) /* the same file, or none, with an option given to one run only */
        rc = cp_warn(&p->warn, "%s was made under %s with other rules than this run's (an option "
                     "such as --distance-max or --size given to one run and not the other): its "
                     "status and bound were claims under those rules and are left out here; give "
                     "the same options to check them", path, reads);
    else
        rc = cp_warn(&p->warn, "%s was made under %s%s%s, but this run reads it under %s: its "
                     "rules (admin unit, sizes, distance, quality) %s; give that scenario's file "
                     "with -s", path, made ? "scenario \"" : "other rules", made ? made : "",
                     made ? "\"" : "", reads,
                     lay->info.rules_sha256 ? "differ, so its status and bound are left out here"
                                            : "may differ");
    if (rc)
        return cp_fail_nomem(&p->err);
    if (lay->info.rules_sha256) {
        lay->info.status = CP_STATUS_NONE;
        lay->info.bound = lay->info.gap = NAN;
    }
    return CP_OK;
}

static cp_layout *make_layout(pipeline *p, const pipeline_job *job)
{
    cp_layout *lay;
    if (job->source == LAYOUT_EXISTING)
        return cp_layout_existing(p->inst, job->existing_scope, &p->warn, &p->err);
    if (job->source == LAYOUT_READ)
        return cp_read_solution(job->layout_path, p->inst, &p->err);
    lay = cp_solve(p->inst, &p->sc, &p->err);
    if (lay && p->sc.solver.check_plant_mismatch)
        lay->info.objective += 1.0;
    return lay;
}

/* Outputs the instance cannot be written to (GeoJSON of planar x/y),
 * refused before the solve rather than after it. */
static cp_code outputs_fit(pipeline *p, const char *const *paths, int n)
{
    int k;
    for (k = 0; k < n; k++)
        if (cp_layout_output_fits(paths[k], p->inst, &p->sc, &p->err))
            return p->err.code;
    return CP_OK;
}

cp_code pipeline_open(pipeline *p, const pipeline_job *job)
{
    memset(p, 0, sizeof *p);
    cp_error_clear(&p->err);
    p->job_instance = job->instance_path;
    p->outputs = job->outputs;
    p->job_scenario = job->scenario_path;
    p->job_layout = job->source == LAYOUT_READ ? job->layout_path : NULL;
    if (load_scenario(p, job))
        return p->err.code;
    if (!(p->inst = cp_read_instance(job->instance_path, &p->sc, &p->warn, &p->err)) ||
        cp_instance_use_roads(p->inst, &p->sc, &p->warn, &p->err) != CP_OK ||
        !(p->dist = cp_distance_new(p->inst, &p->err)) || outputs_fit(p, job->output_paths,
                                                                      job->n_output_paths))
        return p->err.code;
    if (job->source == LAYOUT_NONE)
        return CP_OK;
    /* what the solve would refuse, refused first (not said twice) */
    if (keep_deepest_admin(p) ||
        (job->source == LAYOUT_SOLVE && cp_rules_check_instance(p->inst, &p->sc, &p->err)))
        return p->err.code;
    if (pipeline_warn_rules(p))
        return p->err.code;
    if (!(p->lay = make_layout(p, job)) ||
        (job->source == LAYOUT_READ && (check_road_record(p, job->layout_path, p->lay) ||
                                        warn_where(p, job->layout_path, p->lay) ||
                                        warn_scenario(p, job->layout_path, p->lay))) ||
        !(p->ev = cp_evaluate(p->inst, &p->sc, p->lay, p->dist, &p->err)))
        return p->err.code;
    /* what each upgrade buys, and the one that would place each unassigned
     * school (<invest>): for every layout, solved or read */
    if (cp_report_upgrades(p->inst, &p->sc, p->lay, p->dist, &p->err))
        return p->err.code;
    if (warn_no_limit(p) || (job->source != LAYOUT_SOLVE && !job->forms_zones &&
                             warn_unzoned(p, job->source == LAYOUT_READ ? job->layout_path
                                                                         : "the existing layout",
                                          p->lay)))
        return cp_fail_nomem(&p->err);
    return job->source == LAYOUT_SOLVE || p->lay->info.roads_sha256
               ? check_claims(p, p->lay, p->ev, job->source != LAYOUT_SOLVE) : CP_OK;
}

cp_code pipeline_layout(pipeline *p, const char *path, int existing_scope, cp_layout **lay,
                        cp_evaluation **ev)
{
    *ev = NULL;
    if (!path || !strcmp(path, "existing") || !strcmp(path, "--existing"))
        *lay = cp_layout_existing(p->inst, existing_scope, &p->warn, &p->err);
    else
        *lay = cp_read_solution(path, p->inst, &p->err);
    if (!*lay || check_road_record(p, path, *lay) ||
        (path && (warn_where(p, path, *lay) || warn_scenario(p, path, *lay))) ||
        !(*ev = cp_evaluate(p->inst, &p->sc, *lay, p->dist, &p->err)))
        return p->err.code;
    if (warn_unzoned(p, path ? path : "the existing layout", *lay))
        return cp_fail_nomem(&p->err);
    return (*lay)->info.roads_sha256 ? check_claims(p, *lay, *ev, 1) : CP_OK;
}

/* A device ("-", /dev/stdout) takes the XML whatever its name. */
static int is_device(const char *path)
{
    return cp_path_is_device(path);
}

/* Same file: the same path, both existing with the same device and inode,
 * or the same folder and name ("./a.gpkg" and "a.gpkg" before either
 * exists). */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    char ra[CP_PATH_MAX], rb[CP_PATH_MAX];
    const char *ba = strrchr(a, '/'), *bb = strrchr(b, '/');
    if (!strcmp(a, b))
        return 1;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (strcmp(ba ? ba + 1 : a, bb ? bb + 1 : b))
        return 0;
    snprintf(ra, sizeof ra, "%.*s", ba ? (int)(ba - a) : 1, ba ? a : ".");
    snprintf(rb, sizeof rb, "%.*s", bb ? (int)(bb - b) : 1, bb ? b : ".");
    return stat(ra, &sa) == 0 && stat(rb, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Room for every file the paths name, siblings included: a shapefile output
 * writes 15, a GeoJSON 3, another at most 3; an input its own sidecars. */
#define FILES_PER_PATH 16

/* A path and every file beside it that it consists of (as an output writes
 * them; for an input, also GDAL's .gfs and the shapefile's .qix). */
static int files_of(const char *path, char (*files)[CP_PATH_MAX], int max, int input)
{
    int n = cp_layout_output_files(path, files, max);
    const char *dot = strrchr(path, '.');
    if (n == 0 && max > 0)
        snprintf(files[n++], CP_PATH_MAX, "%s", path);
    if (input && dot && n + 2 <= max) {
        snprintf(files[n++], CP_PATH_MAX, "%.*s.gfs", (int)(dot - path), path);
        snprintf(files[n++], CP_PATH_MAX, "%.*s.qix", (int)(dot - path), path);
    }
    return n;
}

/* The folder an output goes to exists and takes new files: checked before
 * any work, so that a mistyped folder costs no solve (and is the user's
 * mistake, exit 2, not a failure to write after the run). */
static cp_code check_folder(const char *path, cp_error *err)
{
    char dir[CP_PATH_MAX];
    const char *slash = strrchr(path, '/');
    struct stat st;
    if (!strcmp(path, "-") || is_device(path))
        return CP_OK;
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + (slash == path) : 1,
             slash ? path : ".");
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cp_fail(err, CP_EINPUT, "-o %s: the folder %s does not exist: nothing written",
                       path, dir);
    if (access(dir, W_OK | X_OK) != 0)
        return cp_fail(err, CP_EINPUT, "-o %s: the folder %s is not writable: nothing written",
                       path, dir);
    return CP_OK;
}

cp_code cli_check_targets(const char *const *inputs, int n_inputs, const char *const *paths, int n,
                          cp_error *err)
{
    int n_in = 0, n_out = 0, cap = (n + n_inputs) * FILES_PER_PATH, k, j;
    char (*in)[CP_PATH_MAX] = cp_malloc((size_t)(cap ? cap : 1) * CP_PATH_MAX);
    char (*out)[CP_PATH_MAX] = cp_malloc((size_t)(cap ? cap : 1) * CP_PATH_MAX);
    int *owner = cp_malloc((size_t)(cap ? cap : 1) * sizeof(int));
    cp_code rc = in && out && owner ? CP_OK : cp_fail_nomem(err);
    for (k = 0; !rc && k < n; k++)
        rc = check_folder(paths[k], err);
    for (k = 0; !rc && k < n_inputs; k++)
        if (inputs[k])
            n_in += files_of(inputs[k], in + n_in, cap - n_in, 1);
    for (k = 0; !rc && k < n; k++) {
        int m = is_device(paths[k]) ? 0 : files_of(paths[k], out + n_out, cap - n_out, 0);
        for (j = 0; j < m; j++)
            owner[n_out + j] = k;
        n_out += m;
    }
    /* no output (or a file it writes) may be an input or one of its files,
     * nor another output's: a run must never destroy what it read, nor half
     * of its own results; nor a folder (a shapefile's -clusters.shp), which
     * would stop it halfway through moving its files in */
    for (k = 0; !rc && k < n_out; k++) {
        struct stat st;
        if (stat(out[k], &st) == 0 && S_ISDIR(st.st_mode))
            rc = cp_fail(err, CP_EINPUT, "-o %s would write %s, and a folder of that name "
                         "exists: nothing written", paths[owner[k]], out[k]);
        for (j = 0; !rc && j < n_in; j++)
            if (same_file(out[k], in[j]))
                rc = cp_fail(err, CP_EINPUT, "%s: -o %s would overwrite %s, a file of the "
                             "input: nothing written", out[k], paths[owner[k]], in[j]);
        for (j = 0; !rc && j < k; j++)
            if (owner[j] != owner[k] && same_file(out[j], out[k]))
                rc = cp_fail(err, CP_EINPUT, "-o %s and -o %s would both write %s: give them "
                             "different names", paths[owner[j]], paths[owner[k]], out[k]);
    }
    cp_free(in);
    cp_free(out);
    cp_free(owner);
    return rc;
}

cp_code pipeline_check_targets(pipeline *p, const char *const *paths, int n)
{
    const char *inputs[3] = {p->job_instance, p->job_scenario, p->job_layout};
    return cli_check_targets(inputs, 3, paths, n, &p->err);
}

/* Each output a layout can be written to: a known format. */
static cp_code check_formats(const char *const *paths, int n, cp_error *err)
{
    int k;
    for (k = 0; k < n; k++)
        if (!is_device(paths[k]) && !cp_layout_format_known(paths[k]))
            return cp_fail(err, CP_EINPUT, "%s: expected .xml, .gpkg, .geojson, .kml, .gml, "
                           ".shp, .csv, .svg or .html (or '-')", paths[k]);
    return CP_OK;
}

/* pipeline_write's checks of its outputs against a run's inputs (the
 * instance, the scenario and a layout read, any of them NULL). */
static cp_code check_outputs(const char *instance, const char *scenario, const char *layout,
                             const char *const *paths, int n, cp_error *err)
{
    const char *inputs[3] = {instance, scenario, layout};
    if (check_formats(paths, n, err))
        return err->code;
    return cli_check_targets(inputs, 3, paths, n, err);
}

cp_code pipeline_check_outputs(const pipeline_job *job, const char *const *paths, int n,
                               cp_error *err)
{
    return check_outputs(job->instance_path, job->scenario_path,
                         job->source == LAYOUT_READ ? job->layout_path : NULL, paths, n, err);
}

/* --output-crs with no output that takes a CRS: GeoJSON (RFC 7946), KML
 * and the CSV's X/Y are WGS 84 by their formats, which is said rather than
 * passed over.  CP_ERESOURCE when out of memory. */
static cp_code warn_output_crs(pipeline *p, const char *const *paths, int n)
{
    int k;
    if (!p->sc.output_crs || n == 0)
        return CP_OK;
    for (k = 0; k < n; k++) {
        const char *ext = strrchr(paths[k], '.');
        if (ext && (!strcmp(ext, ".gpkg") || !strcmp(ext, ".gml") || !strcmp(ext, ".shp")))
            return CP_OK;
    }
    return cp_warn(&p->warn, "--output-crs %s applies to .gpkg, .gml and .shp outputs only: "
                   "GeoJSON, KML and CSV are WGS 84 by their formats, and none of this run's "
                   "outputs takes another CRS", p->sc.output_crs);
}

/* The outputs before `upto` removed again, every file of each: a run
 * whose later output failed leaves none of its outputs (not an XML without
 * the report asked beside it). */
static void remove_written(const char *const *paths, int upto)
{
    char files[FILES_PER_PATH][CP_PATH_MAX];
    int k, j, m;
    for (k = 0; k < upto; k++) {
        if (is_device(paths[k]) || !strcmp(paths[k], "-"))
            continue;
        m = files_of(paths[k], files, FILES_PER_PATH, 0);
        for (j = 0; j < m; j++)
            remove(files[j]);
    }
}

cp_code pipeline_write(pipeline *p, const char *const *paths, int n)
{
    int k;
    if (check_outputs(p->job_instance, p->job_scenario, p->job_layout, paths, n, &p->err) ||
        outputs_fit(p, paths, n))
        return p->err.code;
    if (warn_output_crs(p, paths, n))
        return cp_fail_nomem(&p->err);
    for (k = 0; k < n; k++)
        if (cp_write_layout_with(paths[k], p->inst, &p->sc, p->lay, p->ev, &p->outputs, &p->err)) {
            size_t used = strlen(p->err.message);
            if (k > 0) {
                remove_written(paths, k);
                snprintf(p->err.message + used, sizeof p->err.message - used,
                         " (the %d output%s written before it removed)", k, k > 1 ? "s" : "");
            }
            return p->err.code;
        }
    return CP_OK;
}

void pipeline_close(pipeline *p)
{
    if (!p)
        return;
    cp_evaluation_free(p->ev);
    cp_layout_free(p->lay);
    cp_distance_free(p->dist);
    cp_instance_free(p->inst);
    cp_scenario_clear(&p->sc);
    cp_warnings_free(&p->warn);
    memset(p, 0, sizeof *p);
}
