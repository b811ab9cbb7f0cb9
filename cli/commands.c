/*
 * commands.c — validate, evaluate and compare.  Each command loads what it
 * needs, calls the library, prints, and maps errors to exit codes.  Outputs
 * are written only after everything succeeded.
 */
#include "cli.h"

#include <math.h>
#include <signal.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    cp_instance *inst;
    cp_distance_ctx *dist;
    cp_scenario sc;
    cp_warnings warn;
    cp_error err;
} session;

static void session_free(session *s)
{
    cp_distance_free(s->dist);
    cp_instance_free(s->inst);
    cp_scenario_clear(&s->sc);
    cp_warnings_free(&s->warn);
}

static int fail(const session *s)
{
    fprintf(stderr, "clusterplan: %s\n", s->err.message);
    return cli_exit_code(&s->err);
}

/* Scenario, instance and distance context; returns an exit code. */
static int session_open(session *s, const cli_args *a, const char *instance_path)
{
    int rc;
    memset(s, 0, sizeof *s);
    cp_error_clear(&s->err);
    if ((rc = cli_load_scenario(a, &s->sc)))
        return rc;
    s->inst = cp_read_instance(instance_path, &s->sc, &s->warn, &s->err);
    if (!s->inst)
        return fail(s);
    s->dist = cp_distance_new(s->inst, &s->err);
    if (!s->dist)
        return fail(s);
    return 0;
}

static cp_layout *load_layout(session *s, const cli_args *a, const char *spec)
{
    if (!spec || !strcmp(spec, "existing") || !strcmp(spec, "--existing"))
        return cp_layout_existing(s->inst, a->existing_scope, &s->warn, &s->err);
    return cp_read_solution(spec, s->inst, &s->err);
}

static int same(double a, double b)
{
    return fabs(a - b) <= 1e-6 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* A solution's own claims against the recomputation from the instance. */
static void report_claims(const cp_layout *lay, const cp_evaluation *ev)
{
    const cp_solution_info *info = &lay->info;
    if (!isnan(info->objective))
        printf("claimed objective %.6g, recomputed %.6g: %s\n", info->objective,
               ev->ind.objective, same(info->objective, ev->ind.objective) ? "match" : "MISMATCH");
    if (info->unassigned >= 0)
        printf("claimed unassigned %d, recomputed %d: %s\n", info->unassigned,
               ev->ind.unassigned, info->unassigned == ev->ind.unassigned ? "match" : "MISMATCH");
}

static int write_outputs(session *s, const cli_args *a, const cp_layout *lay,
                         const cp_evaluation *ev)
{
    int k;
    for (k = 0; k < a->n_outputs; k++) {
        struct stat st;
        int device = stat(a->outputs[k], &st) == 0 && !S_ISREG(st.st_mode);
        if (!device && !cp_layout_format_known(a->outputs[k])) {
            fprintf(stderr, "clusterplan: %s: expected .xml, .geojson, .kml, .gml, .csv, .svg "
                            "or .html (or '-')\n", a->outputs[k]);
            return 2;
        }
    }
    for (k = 0; k < a->n_outputs; k++)
        if (cp_write_layout(a->outputs[k], s->inst, &s->sc, lay, ev, &s->err))
            return fail(s);
    return 0;
}

int cmd_evaluate(const cli_args *a)
{
    session s;
    cp_layout *lay = NULL;
    cp_evaluation *ev = NULL;
    const char *spec = a->existing ? NULL : (a->n_positional > 1 ? a->positional[1] : NULL);
    const char *name;
    int rc;
    if (a->n_positional < 1 || (!a->existing && a->n_positional < 2)) {
        fprintf(stderr, "clusterplan: usage: evaluate INSTANCE [LAYOUT | --existing]\n");
        return 2;
    }
    rc = session_open(&s, a, a->positional[0]);
    if (!rc && !(lay = load_layout(&s, a, spec)))
        rc = fail(&s);
    if (!rc && !(ev = cp_evaluate(s.inst, &s.sc, lay, s.dist, &s.err)))
        rc = fail(&s);
    if (!rc)
        rc = write_outputs(&s, a, lay, ev);
    cli_print_warnings(a, &s.warn);
    if (!rc && !a->quiet) {
        name = spec ? spec : "existing";
        printf("instance %s: %d schools; layout %s\n", s.inst->name[0] ? s.inst->name :
               s.inst->source, s.inst->n_schools, name);
        report_indicators(stdout, &name, (const cp_evaluation *const *)&ev, 1, s.inst->units);
        report_claims(lay, ev);
        report_violations(stdout, s.inst, lay, ev, a->verbose);
    }
    cp_evaluation_free(ev);
    cp_layout_free(lay);
    session_free(&s);
    return rc;
}

/* --------------------------------------------------------------- generate */

int cmd_generate(const cli_args *a)
{
    cp_error err;
    cp_instance *inst;
    const char *out = a->n_outputs ? a->outputs[0] : "-";
    int rc = 0;
    if (a->schools < 0 || a->n_positional) {
        fprintf(stderr, "clusterplan: usage: generate --schools N [--seed S] [-o OUT.xml]\n");
        return 2;
    }
    cp_error_clear(&err);
    inst = cp_generate(a->schools, a->seed >= 0 ? (uint64_t)a->seed : 1, &err);
    if (!inst || cp_write_instance(out, inst, &err)) {
        fprintf(stderr, "clusterplan: %s\n", err.message);
        rc = cli_exit_code(&err);
    }
    if (!rc && !a->quiet && strcmp(out, "-"))
        printf("%s: %d schools, %d admin levels\n", out, inst->n_schools,
               inst->admin_levels_present);
    cp_instance_free(inst);
    return rc;
}

/* ------------------------------------------------------------------ solve */


/* First signal: ask the solver to stop and keep its best; second: leave now. */
static void print_solve_summary(const cp_instance *inst, const cp_layout *lay,
                                const cp_evaluation *ev)
{
    const cp_solution_info *info = &lay->info;
    printf("status %s; %d clusters, %d of %d schools assigned; objective %.6g", 
           cp_status_name(info->status), ev->ind.clusters, ev->ind.assigned, inst->n_schools,
           info->objective);
    if (!isnan(info->bound))
        printf(", bound %.6g, gap %.4g%%", info->bound, 100.0 * info->gap);
    printf("; %s, %d threads, %.2f s\n", info->method, info->threads, info->seconds);
    if (info->nearest_cap > 0)
        printf("searched each school's %d nearest admissible centres only (national scale): "
               "no bound or optimality is claimed\n", info->nearest_cap);
    if (info->parts > 0)
        printf("%d independent parts, %d proven optimal; largest %d schools; slowest part "
               "%.2f s\n", info->parts, info->parts_optimal, info->largest_part,
               info->slowest_part_seconds);
}

/* Statuses under which the layout claims to satisfy every rule. */
static int solution_claimed(const cp_layout *lay)
{
    cp_status s = lay->info.status;
    return s == CP_STATUS_OPTIMAL || s == CP_STATUS_FEASIBLE ||
           ((s == CP_STATUS_TIME_LIMIT || s == CP_STATUS_INTERRUPTED) && lay->n_clusters > 0);
}

int cmd_solve(const cli_args *a)
{
    session s;
    cp_layout *lay = NULL;
    cp_evaluation *ev = NULL;
    cp_solve_options opt = {0, NULL, NULL, NULL, NULL};
    int rc;
    if (a->n_positional != 1) {
        fprintf(stderr, "clusterplan: usage: solve INSTANCE [-s SCENARIO] [-o OUT]...\n");
        return 2;
    }
    /* before reading: a background job starts with SIGINT ignored, and a
     * signal during a long read would otherwise be lost (the solve would
     * then run to its end); caught here, it stops the solve at its start */
    opt.interrupt = cli_catch_interrupts();
    rc = session_open(&s, a, a->positional[0]);
    opt.verbose = a->verbose;
    opt.export_lp = a->export_lp;
    if (!a->quiet && isatty(2))
        opt.progress = cli_progress_line;
    if (!rc && !(lay = cp_solve(s.inst, &s.sc, &opt, &s.err)))
        rc = fail(&s);
    if (!rc && !(ev = cp_evaluate(s.inst, &s.sc, lay, s.dist, &s.err)))
        rc = fail(&s);
    if (!rc && solution_claimed(lay) &&
        (ev->n_violations > 0 || !same(ev->ind.objective, lay->info.objective)))
        fprintf(stderr, "clusterplan: internal error: the solution does not re-evaluate to "
                        "its claims (%d violations, objective %.17g vs %.17g)\n",
                ev->n_violations, lay->info.objective, ev->ind.objective);
    if (!rc)
        rc = write_outputs(&s, a, lay, ev);
    cli_print_warnings(a, &s.warn);
    if (!rc && !a->quiet)
        print_solve_summary(s.inst, lay, ev);
    if (!rc && lay->info.status == CP_STATUS_INTERRUPTED)
        rc = 130;
    cp_evaluation_free(ev);
    cp_layout_free(lay);
    session_free(&s);
    return rc;
}

int cmd_compare(const cli_args *a)
{
    session s;
    int n = a->n_positional - 1, k, rc;
    cp_layout **lays;
    cp_evaluation **evs;
    if (n < 1) {
        fprintf(stderr, "clusterplan: usage: compare INSTANCE LAYOUT_A [LAYOUT_B ...]\n");
        return 2;
    }
    lays = calloc((size_t)n, sizeof *lays);
    evs = calloc((size_t)n, sizeof *evs);
    if (!lays || !evs) {
        free(lays);
        free(evs);
        fprintf(stderr, "clusterplan: out of memory\n");
        return 3;
    }
    rc = session_open(&s, a, a->positional[0]);
    for (k = 0; !rc && k < n; k++) {
        if (!(lays[k] = load_layout(&s, a, a->positional[k + 1])) ||
            !(evs[k] = cp_evaluate(s.inst, &s.sc, lays[k], s.dist, &s.err)))
            rc = fail(&s);
    }
    cli_print_warnings(a, &s.warn);
    if (!rc)
        report_indicators(stdout, (const char *const *)a->positional + 1,
                          (const cp_evaluation *const *)evs, n, s.inst->units);
    for (k = 0; !rc && k < a->n_outputs; k++) {
        const char *ext = strrchr(a->outputs[k], '.');
        if (!ext || (strcmp(ext, ".csv") && strcmp(ext, ".html"))) {
            fprintf(stderr, "clusterplan: %s: compare writes .csv or .html\n", a->outputs[k]);
            rc = 2;
        } else if (cp_write_compare(a->outputs[k], s.inst, &s.sc, (const char *const *)a->positional + 1,
                                    (const cp_layout *const *)lays,
                                    (const cp_evaluation *const *)evs, n, &s.err)) {
            rc = fail(&s);
        }
    }
    for (k = 0; k < n; k++) {
        cp_evaluation_free(evs[k]);
        cp_layout_free(lays[k]);
    }
    free(lays);
    free(evs);
    session_free(&s);
    return rc;
}

static int validate_instance(const cli_args *a, const char *path)
{
    session s;
    cp_warnings errors = {0, 0, NULL};
    int rc = session_open(&s, a, path), k, n_err = 0;
    if (!rc) {
        n_err = cp_validate_instance(s.inst, &s.sc, &errors, &s.warn);
        if (n_err < 0) {
            fprintf(stderr, "clusterplan: out of memory\n");
            rc = 3;
        }
    }
    cli_print_warnings(a, &s.warn);
    for (k = 0; k < errors.count; k++)
        fprintf(stderr, "clusterplan: error: %s\n", errors.items[k]);
    if (!rc && n_err > 0)
        rc = 2;
    if (!rc && !a->quiet)
        printf("%s: valid instance, %d schools, %d roads, %d od pairs, admin levels %d\n", path,
               s.inst->n_schools, s.inst->n_roads, s.inst->n_od, s.inst->admin_levels_present);
    cp_warnings_free(&errors);
    session_free(&s);
    return rc;
}

static int validate_solution(const cli_args *a, const char *path)
{
    session s;
    cp_layout *lay = NULL;
    int rc;
    if (!a->instance_path) {
        printf("%s: solution file (give --instance FILE to check it against its instance)\n",
               path);
        return 0;
    }
    rc = session_open(&s, a, a->instance_path);
    if (!rc && !(lay = cp_read_solution(path, s.inst, &s.err)))
        rc = fail(&s);
    if (!rc && !a->quiet)
        printf("%s: valid solution, %d clusters over %d schools\n", path, lay->n_clusters,
               s.inst->n_schools);
    cp_layout_free(lay);
    session_free(&s);
    return rc;
}

int cmd_validate(const cli_args *a)
{
    cp_error err;
    cp_file_kind kind;
    cp_scenario sc;
    const char *path = a->n_positional ? a->positional[0] : NULL;
    if (!path) {
        fprintf(stderr, "clusterplan: usage: validate FILE\n");
        return 2;
    }
    cp_error_clear(&err);
    kind = cp_detect_file(path, &err);
    if (kind == CP_FILE_UNKNOWN) {
        fprintf(stderr, "clusterplan: %s\n", err.message);
        return cli_exit_code(&err);
    }
    if (kind == CP_FILE_SOLUTION)
        return validate_solution(a, path);
    if (kind == CP_FILE_CANDIDATES || kind == CP_FILE_RUBRIC || kind == CP_FILE_RANKING)
        return validate_facilitator_file(a, path, kind);
    if (kind != CP_FILE_SCENARIO)
        return validate_instance(a, path);
    cp_scenario_defaults(&sc);
    if (cp_read_scenario(path, &sc, &err)) {
        fprintf(stderr, "clusterplan: %s\n", err.message);
        cp_scenario_clear(&sc);
        return cli_exit_code(&err);
    }
    if (!a->quiet)
        printf("%s: valid scenario \"%s\"\n", path, sc.name ? sc.name : "");
    cp_scenario_clear(&sc);
    return 0;
}
