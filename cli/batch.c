/*
 * batch.c — `clusterplan batch STUDY [-o DIR] [--shard I/N] [--merge]
 * [--slurm ...]`: reads the study, runs it (batch_run.c) or submits it to
 * Slurm (batch_slurm.c), shows a progress bar on a terminal, and prints
 * what happened, with every run's warnings.  Exit 0 when every run of
 * this batch (or, for --merge, every row) has its result; 1 when a run
 * failed (its row and error.txt say why), a merge finds a row failed,
 * missing or made from inputs since edited; 2 for a bad study or usage
 * (checked before any run); 130 when interrupted (SIGINT, or the SIGTERM
 * a scheduler sends before it kills a job).  Why 1: scripts and Slurm's
 * afterok took a study whose every run had failed for a success.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* One line, redrawn in place: "[#####.....] 12/40 runs  kenya--size-4-6". */
static void progress_bar(int done, int total, const char *run, void *arg)
{
    int width = 30, k, fill = total ? width * done / total : width;
    (void)arg;
    fputs("\r[", stderr);
    for (k = 0; k < width; k++)
        fputc(k < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %d/%d runs  %-40.40s", done, total, run);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

static void default_dir(const char *study_path, char *out, size_t n)
{
    const char *base = strrchr(study_path, '/'), *dot;
    base = base ? base + 1 : study_path;
    dot = strrchr(base, '.');
    snprintf(out, n, "%.*s-out", (int)(dot ? (size_t)(dot - base) : strlen(base)), base);
}

static void report(const cli_args *a, const batch_result *r, const char *dir)
{
    if (a->quiet)
        return;
    if (a->merge)
        printf("%d runs in the study: comparison rebuilt from the run folders\n", r->runs);
    else
        printf("%d runs in the study, %d in this %s: %d ran, %d skipped (inputs unchanged), "
           "%d failed, %d interrupted\n", r->runs, r->mine, a->shard_count > 1 ? "shard" : "batch",
           r->ran, r->skipped, r->failed, r->interrupted);
    if (r->missing)
        printf("%d runs have no result yet (other shards, or not run)\n", r->missing);
    if (r->stale)
        printf("%d results were made from inputs edited since: their rows say failed; run the "
               "batch again\n", r->stale);
    if (r->wrote_comparison)
        printf("comparison: %s/comparison.csv, %s/comparison.html\n", dir, dir);
    else
        printf("comparison: not written by a shard; `batch STUDY -o %s --merge` writes it "
               "once every shard has ended\n", dir);
}

/* The options of --slurm alone, and those it cannot take.  (Options of
 * the runs' scenario and solver, which the study file sets, cli_parse
 * refuses for batch from help.c's table.) */
static int batch_usage(const cli_args *a)
{
    const char *given = a->slurm_tasks ? "--tasks" : a->cpus_per_task ? "--cpus-per-task"
                      : a->partition ? "--partition" : a->wall_time ? "--time"
                      : a->memory ? "--mem" : a->n_sbatch_args ? "--sbatch-arg" : NULL;
    if (!a->slurm && given)
        fprintf(stderr, "clusterplan: %s is an option of batch --slurm\n", given);
    else if (a->slurm && (a->shard_count || a->merge))
        fprintf(stderr, "clusterplan: --slurm submits every shard and the merge itself: "
                        "without --shard and --merge\n");
    else if (a->slurm && a->threads >= 0)
        fprintf(stderr, "clusterplan: --slurm: each task runs as many runs at once as it has "
                        "CPUs: give --cpus-per-task instead of --threads\n");
    else
        return 0;
    return 2;
}

int cmd_batch(const cli_args *a)
{
    cp_error err;
    cp_study *st;
    batch_options opt;
    batch_result res;
    char dir[1024];
    int rc;
    cp_error_clear(&err);
    if (a->n_positional != 1 || a->n_outputs > 1) { /* one folder: a second -o was ignored */
        fprintf(stderr, "clusterplan: usage: batch STUDY [-o DIR] [--shard I/N] [--merge] "
                        "[--slurm ...]%s\n", a->n_outputs > 1 ? " (one -o: the study's folder)" : "");
        return 2;
    }
    if (batch_usage(a))
        return 2;
    if (!(st = cp_read_study(a->positional[0], &err))) {
        fprintf(stderr, "clusterplan: %s\n", err.message);
        return cli_exit_code(&err);
    }
    if (a->n_outputs > 0)
        snprintf(dir, sizeof dir, "%s", a->outputs[0]);
    else
        default_dir(a->positional[0], dir, sizeof dir);
    if (a->slurm) {
        rc = batch_slurm_submit(a, st, a->positional[0], dir);
        cp_study_free(st);
        return rc;
    }
    memset(&opt, 0, sizeof opt);
    opt.out_dir = dir;
    opt.shard_index = a->shard_count ? a->shard_index : 1;
    opt.shard_count = a->shard_count ? a->shard_count : 1;
    opt.threads = a->threads >= 0 ? a->threads : 0;
    opt.merge_only = a->merge;
    opt.interrupt = cli_catch_interrupts();
    if (!a->quiet && isatty(2))
        opt.progress = progress_bar;
    rc = batch_run(st, &opt, &res, &err) ? (fprintf(stderr, "clusterplan: %s\n", err.message),
                                           cli_exit_code(&err))
                                        : 0;
    if (!rc) {
        cli_print_warnings(a, &res.warnings);
        report(a, &res, dir);
    }
    cp_warnings_free(&res.warnings);
    if (!rc && *opt.interrupt)
        rc = 130;
    else if (!rc && (res.failed > 0 || (a->merge && (res.failed_rows > 0 || res.missing > 0)) ||
                     (res.wrote_comparison && res.stale > 0)))
        rc = 1;
    cp_study_free(st);
    return rc;
}
