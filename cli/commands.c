/*
 * commands.c — validate, evaluate, compare, generate and solve.  Each
 * command opens the one pipeline (pipeline.c) for what it needs, prints,
 * and maps errors to exit codes.  Outputs are written only after
 * everything succeeded.
 */
#include "cli.h"
#include "solver/base/base.h"

#include <math.h>
#include <signal.h>
#include <unistd.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* A solution file's own claims against the recomputation from the instance
 * (printed: a file from elsewhere may be wrong; a layout this program
 * solved is checked by the pipeline instead). */
static void report_claims(const cp_instance *inst, const cp_layout *lay, const cp_evaluation *ev)
{
    const cp_info *info = &lay->info;
    if (inst->road && !info->roads_sha256 && (!isnan(info->objective) || info->unassigned >= 0)) {
        printf("claims not compared: the file's figures are straight-line, these are by road\n");
        return;
    }
    if (!isnan(info->objective))
        printf("claimed objective %.6g, recomputed %.6g: %s\n", info->objective,
               ev->ind.objective, pipeline_same_number(info->objective, ev->ind.objective) ? "match" : "MISMATCH");
    if (info->unassigned >= 0)
        printf("claimed unassigned %d, recomputed %d: %s\n", info->unassigned,
               ev->ind.unassigned, info->unassigned == ev->ind.unassigned ? "match" : "MISMATCH");
}

int cmd_evaluate(const cli_args *a)
{
    pipeline p;
    pipeline_job job;
    const char *spec = a->existing ? NULL : (a->n_positional > 1 ? a->positional[1] : NULL);
    const char *name = spec ? spec : "existing";
    int rc = 0;
    if (a->n_positional < 1 || (!a->existing && a->n_positional < 2)) {
        fprintf(stderr, "clusterplan: usage: evaluate INSTANCE [LAYOUT | --existing]\n");
        return 2;
    }
    if (a->existing && a->n_positional > 1) {
        fprintf(stderr, "clusterplan: evaluate %s: a layout (%s) and --existing: give one of "
                        "them (compare evaluates both side by side)\n", a->positional[0],
                a->positional[1]);
        return 2;
    }
    job = cli_job(a, a->positional[0], LAYOUT_EXISTING);
    job.output_paths = a->outputs;
    job.n_output_paths = a->n_outputs;
    if (spec && strcmp(spec, "existing") && strcmp(spec, "--existing")) {
        job.source = LAYOUT_READ;
        job.layout_path = spec;
    }
    if (pipeline_open(&p, &job) || pipeline_write(&p, a->outputs, a->n_outputs))
        rc = cli_fail(&p.err);
    cli_print_warnings(a, &p.warn);
    if (!rc && !a->quiet) {
        printf("instance %s: %d schools; layout %s\n", p.inst->name[0] ? p.inst->name :
               p.inst->source, p.inst->n_schools, name);
        cli_print_roads(p.inst);
        report_indicators(stdout, &name, (const cp_evaluation *const *)&p.ev, 1, p.inst->units);
        cli_print_annual_cost(&p.sc, p.ev);
        cli_print_rules(p.inst, &p.sc, p.lay, p.ev);
        report_claims(p.inst, p.lay, p.ev);
        report_violations(stdout, p.inst, p.lay, p.ev, a->verbose);
    }
    pipeline_close(&p);
    return rc;
}

/* --------------------------------------------------------------- generate */

/* --groups math,english: each school's teachers of each group, made up. */
static cp_code generate_groups(cp_instance *inst, const cli_args *a, cp_error *err)
{
    char names[CP_MAX_GROUPS + 1][48];
    const char *list[CP_MAX_GROUPS + 1];
    const char *p = a->generate_groups;
    int n = 0;
    while (*p && n <= CP_MAX_GROUPS) {
        size_t len = strcspn(p, ",");
        snprintf(names[n], sizeof names[n], "%.*s", (int)(len < 47 ? len : 47), p);
        list[n] = names[n];
        n++;
        p += len + (p[len] == ',');
    }
    return cp_generate_groups(inst, list, n, a->seed >= 0 ? (uint64_t)a->seed : 1, err);
}

/* Whether a path ends in an extension, letters without case (OUT.XML). */
static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcasecmp(s + n - m, suffix);
}

/* generate's files: folders that exist, not the same file twice. */
static cp_code check_generate_targets(const char *out, const char *roads, cp_error *err)
{
    const char *targets[2] = {out, roads};
    return cli_check_targets(NULL, 0, targets, roads ? 2 : 1, err);
}

int cmd_generate(const cli_args *a)
{
    cp_error err;
    cp_instance *inst;
    const char *out = a->n_outputs ? a->outputs[0] : "-";
    long lines = 0, edges = 0;
    int rc = 0;
    if (a->schools < 0 || a->n_positional) {
        fprintf(stderr, "clusterplan: usage: generate --schools N [--seed S] [--groups A,B] "
                        "[-o OUT.xml] [--roads ROADS.gpkg]\n");
        return 2;
    }
    cp_error_clear(&err);
    if (a->n_outputs > 1 ||
        (strcmp(out, "-") && !cp_path_is_device(out) && !ends_with(out, ".xml")) ||
        (a->roads && !ends_with(a->roads, ".gpkg"))) {
        fprintf(stderr, "clusterplan: generate writes one native instance (-o OUT.xml) and its "
                        "roads as a GeoPackage (--roads ROADS.gpkg); convert with ogr2ogr "
                        "for another format\n");
        return 2;
    }
    if (check_generate_targets(out, a->roads, &err)) {
        fprintf(stderr, "clusterplan: %s\n", err.message);
        return 2;
    }
    inst = cp_generate(a->schools, a->seed >= 0 ? (uint64_t)a->seed : 1, &err);
    if (inst && a->generate_groups && generate_groups(inst, a, &err)) {
        cp_instance_free(inst);
        inst = NULL;
    }
    if (!inst || cp_write_instance(out, inst, &err) ||
        (a->roads && cp_generate_roads(a->roads, inst, a->seed >= 0 ? (uint64_t)a->seed : 1,
                                       &lines, &edges, &err))) {
        fprintf(stderr, "clusterplan: %s\n", err.message);
        rc = cli_exit_code(&err);
    }
    if (!rc && !a->quiet && strcmp(out, "-"))
        printf("%s: %d schools, %d admin levels\n", out, inst->n_schools,
               inst->admin_levels_present);
    if (!rc && !a->quiet && a->roads)
        printf("%s: %ld roads, %ld edges\n", a->roads, lines, edges);
    cp_instance_free(inst);
    return rc;
}

/* ------------------------------------------------------------------ solve */

static void print_solve_summary(const cp_instance *inst, const cp_scenario *sc,
                                const cp_layout *lay, const cp_evaluation *ev)
{
    const cp_info *info = &lay->info;
    printf("status %s; %d clusters, %d of %d schools assigned; objective (%s) %.6g",
           cp_status_name(info->status), ev->ind.clusters, ev->ind.assigned, inst->n_schools,
           cp_objective_name(cp_scenario_objective(sc)), info->objective);
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
    if (info->effort > 0 && info->effort < sc->solver.effort * (1 - 1e-9))
        printf("work budgets at effort %.3g (%g asked): above 50,000 schools they shrink in "
               "proportion, so that a run stays within minutes\n", info->effort,
               sc->solver.effort);
    if (ev->road_km && isfinite(ev->ind.circuity))
        printf("members' routes by road: mean %.2f km against %.2f km in a straight line "
               "(circuity %.2f)\n", ev->ind.road_km_mean, ev->ind.straight_mean,
               ev->ind.circuity);
    else if (ev->road_km)
        printf("members' routes by road: none (no member reaches its centre by road)\n");
}

/* With status infeasible, the reasons of the schools that make it so (and
 * a count that a time limit left unmet). */
static void print_infeasible_reasons(const cp_instance *inst, const cp_scenario *sc,
                                     const cp_layout *lay)
{
    int i;
    if (lay->info.status == CP_STATUS_TIME_LIMIT && sc->cluster_count > 0 &&
        lay->n_clusters != sc->cluster_count)
        printf("time-limit: this layout has %d clusters, not the %d asked for: the time limit "
               "stopped the search before it reached the count\n", lay->n_clusters,
               sc->cluster_count);
    if (lay->info.status != CP_STATUS_INFEASIBLE)
        return;
    /* "infeasible" here says the layout is no solution of the model; with a
     * count, that the search found none with it, not that none exists */
    if (sc->cluster_count > 0 && lay->n_clusters != sc->cluster_count)
        printf("infeasible: this layout has %d clusters, not the %d asked for (--clusters or "
               "<clusters count>): no layout with exactly %d was found, which does not prove "
               "that none exists (--method milp proves it either way on small parts; a count "
               "near the free solve's is easier to reach)\n", lay->n_clusters,
               sc->cluster_count, sc->cluster_count);
    for (i = 0; i < inst->n_schools; i++)
        if (inst->schools[i].centre == CP_CENTRE_REQUIRED && lay->reason[i])
            printf("infeasible: school %s: %s\n", inst->schools[i].id, lay->reason[i]);
}

/* Ctrl-C is caught before the instance is read: a background job starts
 * with SIGINT ignored, and a signal during a long read would otherwise be
 * lost (the solve would then run to its end); caught here, it stops the
 * solve at its start.  First signal: stop and keep the best; second: leave
 * now. */
static cp_code solve_hooks(cp_scenario *sc, const void *arg)
{
    const cli_args *a = arg;
    sc->solver.interrupt = cli_catch_interrupts();
    if (!a->quiet && isatty(2))
        sc->solver.progress = cli_progress_line;
    return cli_apply_overrides(sc, a);
}

/* solve's files beyond pipeline_check_outputs': the road layer is an
 * input too, and --export-lp a target (in an existing folder, never an
 * input, never one of the -o). */
static cp_code check_solve_targets(const cli_args *a, cp_error *err)
{
    const char *inputs[3] = {a->positional[0], a->scenario_path, a->roads};
    const char *targets[CLI_MAX_OUTPUTS + 1];
    int k;
    for (k = 0; k < a->n_outputs; k++)
        targets[k] = a->outputs[k];
    if (a->export_lp)
        targets[k++] = a->export_lp;
    return cli_check_targets(inputs, 3, targets, k, err);
}

/* The file the model is written to first: beside the target, named
 * ".partial." + its name, so GLPK still compresses a .gz; a device is
 * written directly.  Kept (renamed) only when the run succeeds. */
static const char *export_lp_partial(const char *path, char *buf, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (cp_path_is_device(path))
        return path;
    snprintf(buf, n, "%.*s.partial.%s", slash ? (int)(slash - path + 1) : 0, path,
             slash ? slash + 1 : path);
    return buf;
}

int cmd_solve(const cli_args *a)
{
    pipeline p;
    pipeline_job job;
    cli_args lp_args;
    char lp_buf[CP_PATH_MAX + 16];
    const char *lp_partial = NULL;
    int rc = 0, shows_phases, failed;
    if (a->n_positional != 1) {
        fprintf(stderr, "clusterplan: usage: solve INSTANCE [-s SCENARIO] [-o OUT]...\n");
        return 2;
    }
    cli_catch_interrupts();
    job = cli_job(a, a->positional[0], LAYOUT_SOLVE);
    job.overrides = solve_hooks;
    job.output_paths = a->outputs;
    job.n_output_paths = a->n_outputs;
    if (pipeline_check_outputs(&job, a->outputs, a->n_outputs, &p.err) ||
        check_solve_targets(a, &p.err))
        return cli_fail(&p.err);
    if (a->export_lp) { /* the model goes to a temporary file, kept only if the run succeeds */
        lp_args = *a;
        lp_args.export_lp = lp_partial = export_lp_partial(a->export_lp, lp_buf, sizeof lp_buf);
        job.overrides_arg = &lp_args;
    }
    shows_phases = !a->quiet && isatty(2);
    if (shows_phases)
        fprintf(stderr, "\rsolve: reading %s", a->positional[0]);
    failed = pipeline_open(&p, &job) != CP_OK;
    if (!failed && shows_phases && a->n_outputs)
        fprintf(stderr, "\r%-78s", "solve: writing the outputs");
    failed = failed || pipeline_write(&p, a->outputs, a->n_outputs) != CP_OK;
    if (shows_phases) /* the phase line is wiped before any message */
        fprintf(stderr, "\r%-78s\r", "");
    if (!failed && a->export_lp && lp_partial != a->export_lp &&
        rename(lp_partial, a->export_lp) != 0) {
        p.err.code = CP_ERESOURCE;
        snprintf(p.err.message, sizeof p.err.message, "--export-lp %s: the model could not be "
                 "put in place: %s", a->export_lp, strerror(errno));
        failed = 1;
    }
    if (failed && a->export_lp && lp_partial != a->export_lp)
        remove(lp_partial);
    if (failed)
        rc = cli_fail(&p.err);
    cli_print_warnings(a, &p.warn);
    if (!rc && p.sc.solver.anytime)
        fprintf(stderr, "note: --anytime searched until the time limit (%g s): this layout "
                        "depends on the machine and its load; without --anytime the same input "
                        "gives the same layout anywhere\n", p.sc.solver.time_limit);
    else if (!rc && p.lay->info.status == CP_STATUS_TIME_LIMIT) /* a guard, and it fired */
        fprintf(stderr, "warning: the time limit (%g s) stopped the search before its work "
                        "budget was spent: this layout may differ on another machine, thread "
                        "count or load; without --time-limit the same input gives the same "
                        "layout anywhere\n", p.sc.solver.time_limit);
    if (!rc && !a->quiet) {
        cli_print_roads(p.inst);
        print_solve_summary(p.inst, &p.sc, p.lay, p.ev);
        cli_print_annual_cost(&p.sc, p.ev);
        cli_print_rules(p.inst, &p.sc, p.lay, p.ev);
        cli_print_reason_groups(p.inst, p.lay);
        print_infeasible_reasons(p.inst, &p.sc, p.lay);
    }
    if (!rc && p.lay->info.status == CP_STATUS_INTERRUPTED)
        rc = 130;
    pipeline_close(&p);
    return rc;
}

/* compare's outputs, before any work: .csv or .html, never an input (the
 * instance, the scenario, a layout), never two the same.  1 when refused
 * (said on stderr). */
static int compare_outputs_refused(const cli_args *a)
{
    const char *inputs[CLI_MAX_POSITIONAL + 1];
    cp_error err;
    int k, n = 0;
    for (k = 0; k < a->n_outputs; k++) {
        const char *ext = strrchr(a->outputs[k], '.');
        if (!ext || (strcmp(ext, ".csv") && strcmp(ext, ".html"))) {
            fprintf(stderr, "clusterplan: %s: compare writes .csv or .html: nothing written\n",
                    a->outputs[k]);
            return 1;
        }
    }
    inputs[n++] = a->scenario_path;
    for (k = 0; k < a->n_positional; k++)
        if (strcmp(a->positional[k], "existing"))
            inputs[n++] = a->positional[k];
    cp_error_clear(&err);
    if (cli_check_targets(inputs, n, a->outputs, a->n_outputs, &err)) {
        fprintf(stderr, "clusterplan: %s\n", err.message);
        return 1;
    }
    return 0;
}

int cmd_compare(const cli_args *a)
{
    pipeline p;
    pipeline_job job;
    int n = a->n_positional - 1, k, rc = 0;
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
    if (compare_outputs_refused(a)) {
        free(lays);
        free(evs);
        return 2;
    }
    job = cli_job(a, a->positional[0], LAYOUT_NONE);
    if (pipeline_open(&p, &job))
        rc = cli_fail(&p.err);
    else if (pipeline_warn_rules(&p))
        rc = cli_fail(&p.err);
    for (k = 0; !rc && k < n; k++)
        if (pipeline_layout(&p, a->positional[k + 1], a->existing_scope, &lays[k], &evs[k]))
            rc = cli_fail(&p.err);
    cli_print_warnings(a, &p.warn);
    if (!rc && !a->quiet)
        cli_print_roads(p.inst);
    if (!rc)
        report_indicators(stdout, (const char *const *)a->positional + 1,
                          (const cp_evaluation *const *)evs, n, p.inst->units);
    for (k = 0; !rc && k < a->n_outputs; k++)
        if (cp_write_compare(a->outputs[k], p.inst, &p.sc, (const char *const *)a->positional + 1,
                             (const cp_layout *const *)lays, (const cp_evaluation *const *)evs, n,
                             &p.err)) {
            while (k-- > 0) /* all or nothing */
                remove(a->outputs[k]);
            rc = cli_fail(&p.err);
        }
    for (k = 0; k < n; k++) {
        cp_evaluation_free(evs[k]);
        cp_layout_free(lays[k]);
    }
    free(lays);
    free(evs);
    pipeline_close(&p);
    return rc;
}

static int validate_instance(const cli_args *a, const char *path)
{
    pipeline p;
    pipeline_job job = cli_job(a, path, LAYOUT_NONE);
    cp_warnings errors = {0, 0, NULL};
    int rc = 0, k, n_err = 0;
    if (pipeline_open(&p, &job))
        rc = cli_fail(&p.err);
    if (!rc) {
        n_err = cp_validate_instance(p.inst, &p.sc, &errors, &p.warn);
        if (n_err < 0) {
            fprintf(stderr, "clusterplan: out of memory\n");
            rc = 3;
        }
    }
    cli_print_warnings(a, &p.warn);
    for (k = 0; k < errors.count; k++)
        fprintf(stderr, "clusterplan: error: %s\n", errors.items[k]);
    if (!rc && n_err > 0)
        rc = 2;
    if (!rc && !a->quiet) {
        char where[512];
        cp_scenario_where_text(&p.sc, where, sizeof where);
        printf("%s: valid instance, %d schools%s%s%s, %d roads, %d od pairs, admin levels %d\n",
               path, p.inst->n_schools, where[0] ? " (those where " : "", where,
               where[0] ? ")" : "", p.inst->n_roads, p.inst->n_od, p.inst->admin_levels_present);
    }
    if (!rc && !a->quiet)
        cli_print_roads(p.inst);
    cp_warnings_free(&errors);
    pipeline_close(&p);
    return rc;
}

static int validate_solution(const cli_args *a, const char *path)
{
    pipeline p;
    pipeline_job job;
    int rc = 0;
    if (!a->instance_path) {
        printf("%s: solution file (give --instance FILE to check it against its instance)\n",
               path);
        return 0;
    }
    job = cli_job(a, a->instance_path, LAYOUT_NONE);
    if (pipeline_open(&p, &job) || !(p.lay = cp_read_solution(path, p.inst, &p.err)))
        rc = cli_fail(&p.err);
    if (!rc && !a->quiet)
        printf("%s: valid solution, %d clusters over %d schools\n", path, p.lay->n_clusters,
               p.inst->n_schools);
    pipeline_close(&p);
    return rc;
}

/* A study: the file, then every run's scenario and instance path
 * (batch_check), as batch checks them before its first run. */
static int validate_study(const cli_args *a, const char *path)
{
    cp_error err;
    cp_study *st;
    int runs = 0, k;
    cp_error_clear(&err);
    if (!(st = cp_read_study(path, &err)) || batch_check(st, &err)) {
        fprintf(stderr, "clusterplan: %s\n", err.message);
        cp_study_free(st);
        return cli_exit_code(&err);
    }
    for (k = 0; k < st->n_instances; k++)
        runs += (st->n_scenarios ? st->n_scenarios : 1) * (1 + (st->instances[k].existing != 0));
    if (!a->quiet)
        printf("%s: valid study \"%s\": %d instances, %d scenarios, %d runs; every scenario "
               "(file, overrides, fields) checked; the instances are read when the runs "
               "start\n", path, st->name, st->n_instances, st->n_scenarios, runs);
    cp_study_free(st);
    return 0;
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
    if (kind == CP_FILE_STUDY)
        return validate_study(a, path);
    if (kind == CP_FILE_CANDIDATES || kind == CP_FILE_RUBRIC || kind == CP_FILE_RANKING)
        return validate_facilitator_file(a, path, kind);
    if (kind != CP_FILE_SCENARIO)
        return validate_instance(a, path);
    cp_scenario_defaults(&sc);
    if (cp_read_scenario(path, &sc, &err) || cp_scenario_check(&sc, path, &err)) {
        fprintf(stderr, "clusterplan: %s\n", err.message);
        cp_scenario_clear(&sc);
        return cli_exit_code(&err);
    }
    if (!a->quiet)
        printf("%s: valid scenario \"%s\"\n", path, sc.name ? sc.name : "");
    cp_scenario_clear(&sc);
    return 0;
}
