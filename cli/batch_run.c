/*
 * batch_run.c — the batch driver of `clusterplan batch`: a scenario study
 * run by run, each run through the one pipeline (pipeline.c).
 * Runs: for each instance, each scenario solved ("solve"), and, when the
 * instance asks for it, its existing layout evaluated under each scenario
 * ("existing"), in that order; run k belongs to shard (k % n) + 1.
 * Each run lives in OUT/runs/RUN/: its outputs (solution.EXT), summary.txt
 * (the indicators, key=value), inputs.sha256, or error.txt when it failed.
 * A run is skipped when inputs.sha256 matches the SHA-256 of everything
 * that decides its result (program version, instance and scenario file
 * bytes, overrides, field mapping, solver settings, formats) and its
 * summary is there; a run that is redone first drops its old result and
 * any temporary a killed process left, so a run cut short never shows an
 * old result.  Runs go in parallel (cp_parallel_for), one solver thread
 * each; each writes only its own slot, so the order of the table never
 * depends on timing.  The comparison of every run present is then written
 * (write_comparison.c), except by one shard of several: shards may run at
 * once into one folder, and only the merge writes the table.
 */
#include "cli.h"
#include "io/write/summary.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum { RUN_PENDING = 0, RUN_RAN, RUN_SKIPPED, RUN_FAILED, RUN_INTERRUPTED } run_state;

typedef struct {
    int instance, scenario, existing;
    char id[300];
    char dir[1200];
    char inputs[65];  /* the SHA-256 of its inputs, once this batch has hashed them */
    run_state state;
} run_spec;

typedef struct {
    const cp_study *st;
    const batch_options *opt;
    run_spec *runs;
    int n_runs;
    int *mine;     /* indices of this shard's runs */
    int n_mine;
    atomic_int done;
} batch_ctx;

/* ------------------------------------------------------------- folders */

int cli_make_dirs(const char *path)
{
    char buf[1200];
    size_t k, n = strlen(path);
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, path, n + 1);
    for (k = 1; k <= n; k++)
        if (buf[k] == '/' || buf[k] == '\0') {
            char keep = buf[k];
            buf[k] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            buf[k] = keep;
        }
    return 0;
}

static void run_file(const run_spec *r, const char *name, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", r->dir, name);
}

/* --------------------------------------------------------------- setup */

static const char *scenario_id(const cp_study *st, int s)
{
    return s >= 0 ? st->scenarios[s].id : "default";
}

static cp_code plan_runs(batch_ctx *b)
{
    const cp_study *st = b->st;
    int per = st->n_scenarios ? st->n_scenarios : 1, i, s, e, k = 0;
    for (i = 0; i < st->n_instances; i++)
        b->n_runs += per * (1 + (st->instances[i].existing != 0));
    b->runs = cp_calloc((size_t)(b->n_runs ? b->n_runs : 1), sizeof *b->runs);
    b->mine = cp_malloc((size_t)(b->n_runs ? b->n_runs : 1) * sizeof(int));
    if (!b->runs || !b->mine)
        return CP_ERESOURCE;
    for (i = 0; i < st->n_instances; i++)
        for (e = 0; e <= (st->instances[i].existing != 0); e++)
            for (s = 0; s < per; s++, k++) {
                run_spec *r = &b->runs[k];
                r->instance = i;
                r->scenario = st->n_scenarios ? s : -1;
                r->existing = e;
                snprintf(r->id, sizeof r->id, "%s--%s%s", st->instances[i].id, e ? "existing--" : "",
                         scenario_id(st, r->scenario));
                snprintf(r->dir, sizeof r->dir, "%s/runs/%s", b->opt->out_dir, r->id);
                if (b->opt->shard_count <= 1 || k % b->opt->shard_count == b->opt->shard_index - 1)
                    b->mine[b->n_mine++] = k;
            }
    return CP_OK;
}

/* The study's overrides and settings over the run's scenario file (or
 * SPEC's defaults); one solver thread (runs are the parallelism).  The
 * pipeline then maps the instance's fields and checks the result. */
typedef struct {
    const batch_ctx *b;
    const run_spec *r;
} run_ref;

/* The run's scenario takes the study's name for it, with the file it
 * comes from and the overrides ("size4-6: base with size-min=4
 * size-max=6"), so the run's report and solution say which scenario they
 * are. */
static cp_code name_after_study(cp_scenario *sc, const cp_study_scenario *s)
{
    char name[600];
    char *copy;
    const char *file = sc->name && sc->name[0] ? sc->name : "the defaults";
    if (s->overrides && s->overrides[0])
        snprintf(name, sizeof name, "%s: %s with %s", s->id, file, s->overrides);
    else if (strcmp(file, s->id))
        snprintf(name, sizeof name, "%s: %s", s->id, file);
    else
        snprintf(name, sizeof name, "%s", s->id);
    copy = cp_strdup(name);
    if (!copy)
        return CP_ERESOURCE;
    cp_free(sc->name);
    sc->name = copy;
    return CP_OK;
}

/* A study scenario's group-min, max-upgrades, upgrade-budget and zone
 * overrides (checked by the study reader). */
static cp_code study_rules24(cp_scenario *sc, const cp_study_scenario *s)
{
    cp_error err;
    const char *p = s->group_min;
    while (p && *p) {
        char spec[128];
        size_t len = strcspn(p, " ");
        snprintf(spec, sizeof spec, "%.*s", (int)(len < 127 ? len : 127), p);
        if (len && cp_scenario_set_group(sc, spec, &err))
            return CP_ERESOURCE;
        p += len + (p[len] == ' ');
    }
    if (s->max_upgrades >= 0 || !isnan(s->upgrade_budget))
        sc->has_invest = 1;
    if (s->max_upgrades >= 0)
        sc->max_upgrades = s->max_upgrades;
    if (!isnan(s->upgrade_budget))
        sc->upgrade_budget = s->upgrade_budget;
    if (s->zone_min > 0 || s->zone_max > 0 || !isnan(s->zone_distance))
        sc->has_zones = 1;
    if (s->zone_min > 0)
        sc->zone_min = s->zone_min;
    if (s->zone_max > 0)
        sc->zone_max = s->zone_max;
    if (!isnan(s->zone_distance))
        sc->zone_distance = s->zone_distance;
    return CP_OK;
}

static cp_code study_overrides(cp_scenario *sc, const void *arg)
{
    const run_ref *ref = arg;
    const cp_study *st = ref->b->st;
    const cp_study_scenario *s = ref->r->scenario >= 0 ? &st->scenarios[ref->r->scenario] : NULL;
    const cp_study_instance *in = &st->instances[ref->r->instance];
    if (s && s->size_min > 0)
        sc->size_min = s->size_min;
    if (s && s->size_max > 0)
        sc->size_max = s->size_max;
    if (s && s->admin_level >= 0)
        sc->admin_level = s->admin_level;
    if (s && s->cluster_count >= 0)
        sc->cluster_count = s->cluster_count;
    if (s && !isnan(s->distance_max))
        sc->distance_max = s->distance_max;
    if (s && !isnan(s->min_quality))
        sc->min_quality = s->min_quality;
    if (s && study_rules24(sc, s))
        return CP_ERESOURCE;
    if (st->method >= 0)
        sc->solver.method = (cp_method)st->method;
    if (st->time_limit >= 0)
        sc->solver.time_limit = st->time_limit;
    if (st->seed >= 0)
        sc->solver.seed = (uint64_t)st->seed;
    sc->solver.threads = 1;
    sc->solver.interrupt = ref->b->opt->interrupt;
    if (in->roads) {
        char *path = cp_strdup(in->roads), *layer = in->roads_layer ? cp_strdup(in->roads_layer) : NULL;
        if (!path || (in->roads_layer && !layer)) {
            cp_free(path);
            return CP_ERESOURCE;
        }
        cp_free(sc->roads);
        cp_free(sc->roads_layer);
        sc->roads = path;
        sc->roads_layer = layer;
    }
    return s ? name_after_study(sc, s) : CP_OK;
}

/* ---------------------------------------------------------------- hashing */

static void hash_text(cp_sha256 *h, const char *label, const char *text)
{
    cp_sha256_update(h, label, strlen(label));
    cp_sha256_update(h, "=", 1);
    cp_sha256_update(h, text ? text : "", text ? strlen(text) : 0);
    cp_sha256_update(h, "\n", 1);
}

/* The files beside a GIS instance that are part of it (a shapefile's .dbf,
 * .prj, .cpg; a CSV's .csvt and .prj; a GML's .xsd): an edit to any of
 * them must make the run again. */
static cp_code hash_sidecars(cp_sha256 *h, const char *path, cp_error *err)
{
    char (*files)[CP_PATH_MAX] = cp_malloc(16 * (size_t)CP_PATH_MAX);
    char hex[65];
    int n, k;
    cp_code rc = files ? CP_OK : cp_fail_nomem(err);
    n = files ? cp_layout_output_files(path, files, 16) : 0;
    for (k = 0; !rc && k < n; k++)
        if (strcmp(files[k], path) && access(files[k], R_OK) == 0) {
            if (!(rc = cp_sha256_file(files[k], hex, err)))
                hash_text(h, files[k], hex);
        }
    cp_free(files);
    return rc;
}

/* The road layer the run uses (the instance's <roads>, else its
 * scenario's): an edit to it must make the run again. */
static cp_code hash_roads(cp_sha256 *h, const cp_study_instance *in, const cp_study_scenario *s,
                          cp_error *err)
{
    cp_scenario sc;
    char hex[65];
    const char *path = in->roads;
    cp_code rc = CP_OK;
    cp_scenario_defaults(&sc);
    if (!path && s && s->path && cp_read_scenario(s->path, &sc, err) == CP_OK)
        path = sc.roads;
    cp_error_clear(err); /* a bad scenario is the run's own error, said when it runs */
    if (path && !(rc = cp_sha256_file(path, hex, err))) {
        hash_text(h, "roads", hex);
        hash_text(h, "roads-layer", in->roads ? in->roads_layer : sc.roads_layer);
        rc = hash_sidecars(h, path, err);
    }
    cp_scenario_clear(&sc);
    return rc;
}

/* Everything that decides the run's result and outputs. */
static cp_code inputs_hash(const batch_ctx *b, const run_spec *r, char hex[65], cp_error *err)
{
    const cp_study *st = b->st;
    const cp_study_scenario *s = r->scenario >= 0 ? &st->scenarios[r->scenario] : NULL;
    const cp_study_instance *in = &st->instances[r->instance];
    char file_hex[65], buf[64];
    cp_sha256 h;
    int k;
    cp_sha256_init(&h);
    hash_text(&h, "version", CP_VERSION);
    hash_text(&h, "kind", r->existing ? "existing" : "solve");
    if (cp_sha256_file(in->path, file_hex, err))
        return err->code;
    hash_text(&h, "instance", file_hex);
    if (hash_sidecars(&h, in->path, err))
        return err->code;
    for (k = 0; k < in->n_fields; k++)
        hash_text(&h, "field", in->fields[k]);
    for (k = 0; k < in->n_where; k++)
        hash_text(&h, "where", in->where[k]);
    snprintf(buf, sizeof buf, "%d", in->existing_scope);
    hash_text(&h, "existing-scope", buf);
    if (s && s->path) {
        if (cp_sha256_file(s->path, file_hex, err))
            return err->code;
        hash_text(&h, "scenario", file_hex);
    }
    if (hash_roads(&h, in, s, err))
        return err->code;
    hash_text(&h, "overrides", s ? s->overrides : "");
    snprintf(buf, sizeof buf, "%d %.17g %lld", st->method, st->time_limit, st->seed);
    hash_text(&h, "solver", buf);
    for (k = 0; k < st->n_formats; k++)
        hash_text(&h, "format", st->formats[k]);
    cp_sha256_final(&h, hex);
    return CP_OK;
}

static int read_line_file(const char *path, char *out, size_t n)
{
    FILE *f = fopen(path, "r");
    int ok = f && fgets(out, (int)n, f) != NULL;
    if (f)
        fclose(f);
    if (ok)
        out[strcspn(out, "\r\n")] = '\0';
    return ok;
}

/* The run's result is there for these inputs: the same inputs.sha256,
 * its summary, and every output the study asks for (one deleted by hand
 * is written again, not left missing behind "skipped"). */
static int unchanged(const batch_ctx *b, const run_spec *r, const char *hex)
{
    char path[1300], old[80], name[64];
    int k;
    run_file(r, "inputs.sha256", path, sizeof path);
    if (!read_line_file(path, old, sizeof old) || strcmp(old, hex))
        return 0;
    run_file(r, "summary.txt", path, sizeof path);
    if (access(path, R_OK) != 0)
        return 0;
    run_file(r, "map.svg", path, sizeof path);
    if (access(path, R_OK) != 0)
        return 0;
    for (k = 0; k < b->st->n_formats; k++) {
        snprintf(name, sizeof name, "solution.%s", b->st->formats[k]);
        run_file(r, name, path, sizeof path);
        if (access(path, R_OK) != 0)
            return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------ a run */

/* The pipeline's job for run r; ref must outlive it. */
static pipeline_job run_job(const batch_ctx *b, const run_spec *r, run_ref *ref)
{
    const cp_study *st = b->st;
    const cp_study_scenario *s = r->scenario >= 0 ? &st->scenarios[r->scenario] : NULL;
    const cp_study_instance *in = &st->instances[r->instance];
    pipeline_job job;
    memset(&job, 0, sizeof job);
    ref->b = b;
    ref->r = r;
    job.instance_path = in->path;
    job.scenario_path = s ? s->path : NULL;
    job.fields = (const char *const *)in->fields;
    job.n_fields = in->n_fields;
    job.where = (const char *const *)in->where;
    job.n_where = in->n_where;
    job.source = r->existing ? LAYOUT_EXISTING : LAYOUT_SOLVE;
    job.existing_scope = in->existing_scope;
    job.overrides = study_overrides;
    job.overrides_arg = ref;
    return job;
}

/* A scenario error, named after the study and the run's scenario (or its
 * instance, for an instance's <field> or <where>, which the pipeline
 * reads as --field and --where). */
static void name_study_scenario(const batch_ctx *b, const run_spec *r, cp_error *err)
{
    const cp_study_scenario *s = r->scenario >= 0 ? &b->st->scenarios[r->scenario] : NULL;
    char where[600], why[CP_MSG_MAX];
    if (!strncmp(err->message, "--field ", 8) || !strncmp(err->message, "--where ", 8)) {
        const char *element = err->message[2] == 'f' ? "field" : "where";
        snprintf(why, sizeof why, "%s", err->message + 8);
        cp_fail(err, err->code, "%s: instance %s: <%s> %s", b->st->source,
                b->st->instances[r->instance].id, element, why);
        return;
    }
    snprintf(where, sizeof where, "%s: scenario %s: ", b->st->source, s ? s->id : "default");
    if (strncmp(err->message, where, strlen(where))) {
        snprintf(why, sizeof why, "%s", err->message);
        cp_fail(err, err->code, "%s%s", where, why);
    }
}

static cp_code compute(const batch_ctx *b, const run_spec *r, pipeline *p)
{
    run_ref ref;
    pipeline_job job = run_job(b, r, &ref);
    cp_code rc = pipeline_open(p, &job);
    if (rc == CP_EINPUT && !p->inst) /* the scenario */
        name_study_scenario(b, r, &p->err);
    return rc;
}

/* What can be checked of every run without reading an instance, before
 * any runs: its instance file is there, and its scenario (file, the
 * study's overrides, the field mapping, <where>) passes cp_scenario_check.
 * A misspelt scenario path or a size-min above the file's size max used
 * to fail each run at its turn, and the batch exit 0. */
static cp_code check_runs(const batch_ctx *b, cp_error *err)
{
    int k;
    for (k = 0; k < b->n_runs; k++) {
        const run_spec *r = &b->runs[k];
        const cp_study_instance *in = &b->st->instances[r->instance];
        run_ref ref;
        pipeline_job job = run_job(b, r, &ref);
        if (access(in->path, R_OK) != 0)
            return cp_fail(err, CP_EINPUT, "%s: instance %s: %s: %s", b->st->source, in->id,
                           in->path, strerror(errno));
        if (in->roads && access(in->roads, R_OK) != 0)
            return cp_fail(err, CP_EINPUT, "%s: instance %s: <roads path=\"%s\">: %s",
                           b->st->source, in->id, in->roads, strerror(errno));
        if (pipeline_check_scenario(&job, err)) {
            name_study_scenario(b, r, err);
            return err->code;
        }
    }
    return CP_OK;
}

/* Whether `input` is a file the batch writes or clears in `dir` (resolved):
 * the comparison, or anything under runs/ (a run redone first drops every
 * file of its folder) or slurm/. */
static int written_by_batch(const char *dir, const char *input)
{
    static const char *const files[] = {"/comparison.csv", "/comparison.html", NULL};
    static const char *const folders[] = {"/runs/", "/slurm/", NULL};
    char real[PATH_MAX];
    size_t n = strlen(dir);
    int k;
    if (!input || !realpath(input, real) || strncmp(real, dir, n))
        return 0;
    for (k = 0; files[k]; k++)
        if (!strcmp(real + n, files[k]))
            return 1;
    for (k = 0; folders[k]; k++)
        if (!strncmp(real + n, folders[k], strlen(folders[k])))
            return 1;
    return 0;
}

/* The refusal of an input of the study (an instance's file or road
 * layer, a scenario's file) that the batch would overwrite or delete. */
static cp_code refuse_input(const batch_ctx *b, const char *kind, const char *id,
                            const char *path, cp_error *err)
{
    return cp_fail(err, CP_EINPUT, "%s: %s %s: %s lies where -o %s writes or clears its results "
                   "(comparison.csv, comparison.html, runs/, slurm/): move it or give another "
                   "-o: nothing run", b->st->source, kind, id, path, b->opt->out_dir);
}

/* No input of the study among the files the batch writes or clears: an
 * instance put in a run's folder was deleted when the run was redone, and
 * a register called comparison.csv in the output folder replaced by the
 * table.  O(instances + scenarios). */
static cp_code check_inputs_kept(const batch_ctx *b, cp_error *err)
{
    const cp_study *st = b->st;
    char dir[PATH_MAX];
    int k;
    if (!realpath(b->opt->out_dir, dir))
        return CP_OK; /* not made yet: nothing in it */
    if (written_by_batch(dir, st->source))
        return cp_fail(err, CP_EINPUT, "%s: the study file lies where -o %s writes its results: "
                       "nothing run", st->source, b->opt->out_dir);
    for (k = 0; k < st->n_instances; k++) {
        const cp_study_instance *in = &st->instances[k];
        if (written_by_batch(dir, in->path) || written_by_batch(dir, in->roads))
            return refuse_input(b, "instance", in->id,
                                written_by_batch(dir, in->path) ? in->path : in->roads, err);
    }
    for (k = 0; k < st->n_scenarios; k++)
        if (written_by_batch(dir, st->scenarios[k].path))
            return refuse_input(b, "scenario", st->scenarios[k].id, st->scenarios[k].path, err);
    return CP_OK;
}

cp_code batch_check(const cp_study *st, cp_error *err)
{
    batch_options all;
    batch_ctx b;
    cp_code rc;
    memset(&all, 0, sizeof all);
    all.out_dir = ".";
    all.shard_count = 1;
    memset(&b, 0, sizeof b);
    b.st = st;
    b.opt = &all;
    rc = plan_runs(&b) ? cp_fail_nomem(err) : check_runs(&b, err);
    cp_free(b.runs);
    cp_free(b.mine);
    return rc;
}

static void describe(const batch_ctx *b, const run_spec *r, cp_run_summary *s)
{
    const cp_study_scenario *sc = r->scenario >= 0 ? &b->st->scenarios[r->scenario] : NULL;
    memset(s, 0, sizeof *s);
    snprintf(s->run, sizeof s->run, "%s", r->id);
    snprintf(s->instance, sizeof s->instance, "%s", b->st->instances[r->instance].id);
    snprintf(s->scenario, sizeof s->scenario, "%s", scenario_id(b->st, r->scenario));
    snprintf(s->kind, sizeof s->kind, "%s", r->existing ? "existing" : "optimised");
    snprintf(s->overrides, sizeof s->overrides, "%s", sc && sc->overrides ? sc->overrides : "");
}

static cp_code write_run_outputs(const batch_ctx *b, const run_spec *r, pipeline *p)
{
    char path[1300];
    int k;
    cp_code rc = CP_OK;
    for (k = 0; !rc && k < b->st->n_formats; k++) {
        const char *one = path;
        snprintf(path, sizeof path, "%s/solution.%s", r->dir, b->st->formats[k]);
        rc = pipeline_write(p, &one, 1);
    }
    if (!rc) { /* the study page's small map of this run */
        cp_output_options small = {NULL, 1};
        snprintf(path, sizeof path, "%s/map.svg", r->dir);
        rc = cp_write_layout_with(path, p->inst, &p->sc, p->lay, p->ev, &small, &p->err);
    }
    return rc;
}

/* A temporary file (NAME.tmp.XXXXXX, output.c) or folder
 * (.NAME.tmp.XXXXXX, gdal_ogr.c) of an output being written. */
static int is_temporary(const char *name)
{
    size_t n = strlen(name);
    return n > 11 && !strncmp(name + n - 11, ".tmp.", 5);
}

/* Removes the temporaries a process killed while writing (SIGKILL after
 * the scheduler's grace time) left in the run's folder: the folder is this
 * run's alone, so nothing else is writing them.  A temporary folder holds
 * only files (one output's layers). */
static void remove_leftovers(const run_spec *r)
{
    DIR *d = opendir(r->dir), *sub;
    struct dirent *e, *f;
    char path[1600], inner[2000];
    while (d && (e = readdir(d)) != NULL) {
        if (!is_temporary(e->d_name))
            continue;
        snprintf(path, sizeof path, "%s/%s", r->dir, e->d_name);
        if (unlink(path) == 0 || !(sub = opendir(path)))
            continue;
        while ((f = readdir(sub)) != NULL) {
            snprintf(inner, sizeof inner, "%s/%s", path, f->d_name);
            unlink(inner);
        }
        closedir(sub);
        rmdir(path);
    }
    if (d)
        closedir(d);
}

/* Before a run is (re)done: its old result goes, so that until it ends
 * its row says missing (or failed, or interrupted), never the result of
 * other inputs beside half-replaced outputs.  Every file goes, not only
 * those this run will write: a study whose formats changed kept the last
 * run's solution.html (8 km) beside this run's solution.xml (5 km), and
 * the study page linked it.  The folder is this run's alone. */
static void forget_result(const run_spec *r)
{
    DIR *d;
    struct dirent *e;
    char path[1600];
    remove_leftovers(r);
    if (!(d = opendir(r->dir)))
        return;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", r->dir, e->d_name);
        if (e->d_name[0] != '.' && lstat(path, &st) == 0 && S_ISREG(st.st_mode))
            unlink(path);
    }
    closedir(d);
}

/* Records a failure in error.txt and drops a stale summary. */
static void record_failure(const run_spec *r, const cp_error *e)
{
    char path[1300];
    cp_error ignored;
    forget_result(r);
    run_file(r, "error.txt", path, sizeof path);
    cp_write_text(path, e->message[0] ? e->message : "failed", &ignored);
}

/* The run's warnings, one a line, in warnings.txt: the batch prints them
 * at its end, also for a run skipped later (a study whose scenario asked
 * for a quality no school had placed no school, and the terminal said
 * nothing). */
static cp_code write_warnings(const run_spec *r, const cp_warnings *w, cp_error *err)
{
    char path[1300], *text;
    size_t len = 1, at = 0;
    int k;
    cp_code rc;
    for (k = 0; k < w->count; k++)
        len += strlen(w->items[k]) + 1;
    if (!(text = cp_malloc(len)))
        return cp_fail_nomem(err);
    for (k = 0; k < w->count; k++)
        at += (size_t)sprintf(text + at, "%s\n", w->items[k]);
    text[at] = '\0';
    run_file(r, "warnings.txt", path, sizeof path);
    rc = cp_write_text(path, text, err);
    cp_free(text);
    return rc;
}

/* This shard's runs' warnings (warnings.txt), as "RUN: warning". */
static cp_code gather_warnings(const batch_ctx *b, cp_warnings *out)
{
    char path[1300], line[CP_MSG_MAX];
    int k;
    for (k = 0; k < b->n_mine; k++) {
        const run_spec *r = &b->runs[b->mine[k]];
        FILE *f;
        if (r->state != RUN_RAN && r->state != RUN_SKIPPED)
            continue;
        run_file(r, "warnings.txt", path, sizeof path);
        if (!(f = fopen(path, "r")))
            continue;
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = '\0';
            if (line[0] && cp_warn(out, "%s: %s", r->id, line)) {
                fclose(f);
                return CP_ERESOURCE;
            }
        }
        fclose(f);
    }
    return CP_OK;
}

static run_state execute(const batch_ctx *b, run_spec *r)
{
    pipeline d;
    cp_run_summary s;
    char hex[65], path[1300], line[80];
    run_state state;
    cp_code rc;
    memset(&d, 0, sizeof d);
    cp_error_clear(&d.err);
    if (cli_make_dirs(r->dir)) {
        cp_fail(&d.err, CP_ERESOURCE, "%s: cannot create the folder", r->dir);
        record_failure(r, &d.err);
        return RUN_FAILED;
    }
    if (inputs_hash(b, r, hex, &d.err)) {
        record_failure(r, &d.err);
        return RUN_FAILED;
    }
    memcpy(r->inputs, hex, sizeof r->inputs); /* the comparison reads it again */
    if (unchanged(b, r, hex))
        return RUN_SKIPPED;
    forget_result(r);
    rc = compute(b, r, &d);
    if (!rc)
        rc = write_run_outputs(b, r, &d);
    if (!rc) {
        describe(b, r, &s);
        cp_summary_fill(&s, d.inst, &d.sc, d.lay, d.ev);
        snprintf(s.inputs, sizeof s.inputs, "%s", hex);
        run_file(r, "summary.txt", path, sizeof path);
        rc = cp_write_summary(path, &s, &d.err);
    }
    if (!rc && d.warn.count > 0)
        rc = write_warnings(r, &d.warn, &d.err);
    if (!rc && d.lay->info.status != CP_STATUS_INTERRUPTED) { /* an interrupted run is redone */
        snprintf(line, sizeof line, "%s\n", hex);
        run_file(r, "inputs.sha256", path, sizeof path);
        rc = cp_write_text(path, line, &d.err);
    }
    if (rc)
        record_failure(r, &d.err);
    state = rc ? RUN_FAILED : d.lay->info.status == CP_STATUS_INTERRUPTED ? RUN_INTERRUPTED
                                                                         : RUN_RAN;
    pipeline_close(&d);
    return state;
}

static void run_task(int k, void *arg)
{
    batch_ctx *b = arg;
    run_spec *r = &b->runs[b->mine[k]];
    int done;
    if (b->opt->interrupt && *b->opt->interrupt) {
        r->state = RUN_INTERRUPTED; /* not started */
        return;
    }
    r->state = execute(b, r);
    done = atomic_fetch_add(&b->done, 1) + 1;
    if (b->opt->progress)
        b->opt->progress(done, b->n_mine, r->id, b->opt->progress_arg);
}

/* ------------------------------------------------------------ comparison */

/* The run's inputs digest: the one this batch computed when it ran or
 * skipped the run, else hashed now.  0 when the inputs cannot be read. */
static int run_inputs(const batch_ctx *b, const run_spec *r, char hex[65])
{
    cp_error ignored;
    if (r->inputs[0]) {
        memcpy(hex, r->inputs, 65);
        return 1;
    }
    cp_error_clear(&ignored);
    return inputs_hash(b, r, hex, &ignored) == CP_OK;
}

/* A run's row: its summary when its inputs are still those it ran with,
 * else a failure saying so (*stale set): a merge after the study was
 * edited showed the old 8 km results as the study's 5 km ones. */
static void collect(const batch_ctx *b, const run_spec *r, cp_run_summary *s, int *stale)
{
    char path[1300], hex[65];
    FILE *f;
    *stale = 0;
    run_file(r, "summary.txt", path, sizeof path);
    if (cp_read_summary(path, s) == 0) {
        /* the summary names its inputs (interrupted runs too; older ones do
         * not); inputs this machine cannot read (a merge of run folders
         * copied from elsewhere) cannot say it changed */
        if (s->inputs[0] && run_inputs(b, r, hex) && strcmp(s->inputs, hex)) {
            describe(b, r, s);
            s->state = CP_SUMMARY_FAILED;
            snprintf(s->error, sizeof s->error, "its inputs changed since it ran (the study, "
                     "its scenario or instance was edited): run the batch again");
            *stale = 1;
            return;
        }
        run_file(r, "solution.html", path, sizeof path);
        s->has_report = access(path, R_OK) == 0;
        run_file(r, "map.svg", path, sizeof path);
        s->has_map = access(path, R_OK) == 0;
        return;
    }
    describe(b, r, s);
    run_file(r, "error.txt", path, sizeof path);
    f = fopen(path, "r");
    s->state = f ? CP_SUMMARY_FAILED : CP_SUMMARY_MISSING;
    if (f) {
        if (!fgets(s->error, sizeof s->error, f))
            s->error[0] = '\0';
        s->error[strcspn(s->error, "\n")] = '\0';
        fclose(f);
    }
}

/* Every run's row; the comparison is written unless this is one shard
 * of several: shards may run at once on a shared folder, and one of them
 * writing the table could miss another's last run (the merge writes it). */
static cp_code compare_all(const batch_ctx *b, batch_result *res, cp_error *err)
{
    cp_run_summary *rows = cp_calloc((size_t)(b->n_runs ? b->n_runs : 1), sizeof *rows);
    int k;
    cp_code rc;
    if (!rows)
        return cp_fail_nomem(err);
    for (k = 0; k < b->n_runs; k++) {
        int stale;
        collect(b, &b->runs[k], &rows[k], &stale);
        res->missing += rows[k].state == CP_SUMMARY_MISSING;
        res->stale += stale;
        /* an interrupted run's best layout is no result: it is redone */
        res->failed_rows += rows[k].state == CP_SUMMARY_FAILED ||
                            (rows[k].state == CP_SUMMARY_OK &&
                             !strcmp(rows[k].status, "interrupted"));
    }
    res->wrote_comparison = b->opt->shard_count <= 1 || b->opt->merge_only;
    rc = res->wrote_comparison
             ? cp_write_comparison(b->opt->out_dir, b->st->name, rows, b->n_runs, err)
             : CP_OK;
    cp_free(rows);
    return rc;
}

int *batch_runs_to_do(const cp_study *st, const char *out_dir, int *n_runs, cp_error *err)
{
    batch_options all;
    batch_ctx b;
    char hex[65];
    int *to_do = NULL, k;
    memset(&all, 0, sizeof all);
    all.out_dir = out_dir;
    all.shard_count = 1;
    memset(&b, 0, sizeof b);
    b.st = st;
    b.opt = &all;
    if (plan_runs(&b) || !(to_do = cp_calloc((size_t)(b.n_runs ? b.n_runs : 1), sizeof *to_do)))
        cp_fail_nomem(err);
    for (k = 0; to_do && k < b.n_runs; k++) { /* an input it cannot hash fails in its task */
        cp_error ignored;
        cp_error_clear(&ignored);
        to_do[k] = inputs_hash(&b, &b.runs[k], hex, &ignored) || !unchanged(&b, &b.runs[k], hex);
    }
    *n_runs = b.n_runs;
    cp_free(b.runs);
    cp_free(b.mine);
    return to_do;
}

/* The study's output folder; a file of that name is bad input (-o names
 * a folder), not a resource failure. */
static cp_code make_out_dir(const char *dir, cp_error *err)
{
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
        return cp_fail(err, CP_EINPUT, "%s: not a folder (-o names the study's output folder)",
                       dir);
    if (cli_make_dirs(dir))
        return cp_fail(err, CP_ERESOURCE, "%s: cannot create the output folder: %s", dir,
                       strerror(errno));
    return CP_OK;
}

cp_code batch_run(const cp_study *st, const batch_options *opt, batch_result *res,
                 cp_error *err)
{
    batch_ctx b;
    int k;
    cp_code rc;
    memset(&b, 0, sizeof b);
    memset(res, 0, sizeof *res);
    b.st = st;
    b.opt = opt;
    atomic_init(&b.done, 0);
    if (plan_runs(&b)) {
        cp_free(b.runs);
        cp_free(b.mine);
        return cp_fail_nomem(err);
    }
    res->runs = b.n_runs;
    res->mine = b.n_mine;
    rc = check_inputs_kept(&b, err); /* before the folder is made: a refusal leaves none */
    if (!rc)
        rc = make_out_dir(opt->out_dir, err);
    if (!rc && !opt->merge_only)
        rc = check_runs(&b, err);
    if (!rc && !opt->merge_only)
        cp_parallel_for(b.n_mine, opt->threads, run_task, &b);
    for (k = 0; k < b.n_mine && !opt->merge_only; k++) {
        run_state s = b.runs[b.mine[k]].state;
        res->ran += s == RUN_RAN;
        res->skipped += s == RUN_SKIPPED;
        res->failed += s == RUN_FAILED;
        res->interrupted += s == RUN_INTERRUPTED;
    }
    if (!rc && gather_warnings(&b, &res->warnings))
        rc = cp_fail_nomem(err);
    if (!rc)
        rc = compare_all(&b, res, err);
    cp_free(b.runs);
    cp_free(b.mine);
    return rc;
}
