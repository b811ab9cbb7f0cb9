/*
 * batch_slurm.c — `clusterplan batch STUDY -o DIR --slurm`: the study as a
 * Slurm job array and a merge job that waits for it.
 * Writes DIR/slurm/array.sh (array task I runs `batch STUDY -o DIR --shard
 * I/N --threads $SLURM_CPUS_PER_TASK`) and DIR/slurm/merge.sh (`batch
 * STUDY -o DIR --merge`), submits the array over the tasks that still have
 * runs to do (`sbatch --array=...`) and the merge after it
 * (`--dependency=afterok:ARRAY --kill-on-invalid-dep=yes`: it runs when
 * every task succeeded and is cancelled otherwise), and prints both job ids.
 * Safe on a shared file system: each run's folder belongs to one task;
 * tasks never write the comparison (the merge job does); a task that Slurm
 * stops with SIGTERM (time limit, scancel, preemption) writes its running
 * runs' outputs whole, marked interrupted, and leaves them to be redone
 * (batch_run.c); and a submission is refused while jobs of the same study
 * into the same folder are queued or running, so two tasks never run one
 * run.  Submitting again (the same command) submits only the tasks that
 * have runs still to do.  Every sbatch option goes on sbatch's command line
 * (an argument vector, no shell); the scripts hold only the command.
 */
#include "cli.h"
#include "io/write/summary.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLURM_MAX_ARRAY 1000 /* Slurm's default MaxArraySize is 1001 */
#define SLURM_MAX_ARGS 40

typedef struct {
    char program[PATH_MAX], study[PATH_MAX], dir[PATH_MAX];
    char name[80];   /* the job name: cp-STUDY-HASH, HASH from the folder */
    char array[PATH_MAX + 16], merge[PATH_MAX + 16]; /* the two scripts */
    int tasks;
} slurm_job;

/* ------------------------------------------------------------ programs */

/* Runs argv (found on PATH), its standard output into out (trimmed, cut at
 * n - 1 bytes), its standard error through to ours.  The exit status, 127
 * when the program cannot run, -1 when it died of a signal. */
static int run_capture(const char *const argv[], char *out, size_t n)
{
    int fd[2], status = 0;
    size_t len = 0;
    ssize_t got;
    char spill[256];
    pid_t pid;
    out[0] = '\0';
    if (pipe(fd))
        return -1;
    if ((pid = fork()) < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        char *args[SLURM_MAX_ARGS];
        size_t count = 0;
        while (argv[count] && count + 1 < SLURM_MAX_ARGS)
            count++;
        /* execvp's vector is not const for historic reasons; it writes nothing */
        memcpy(args, argv, count * sizeof *args);
        args[count] = NULL;
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execvp(args[0], args);
        _exit(127);
    }
    close(fd[1]);
    while ((got = len + 1 < n ? read(fd[0], out + len, n - 1 - len)
                              : read(fd[0], spill, sizeof spill)) != 0) {
        if (got < 0 && errno != EINTR)
            break;
        if (got > 0 && len + 1 < n)
            len += (size_t)got;
    }
    close(fd[0]);
    out[len] = '\0';
    while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
        out[--len] = '\0';
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int tool_failed(const char *tool, int status)
{
    if (status == 127)
        fprintf(stderr, "clusterplan: %s: cannot run it (is this a Slurm login node? Slurm's "
                        "client commands must be on PATH)\n", tool);
    else
        fprintf(stderr, "clusterplan: %s failed (exit %d): nothing more submitted\n", tool,
                status);
    return 3;
}

/* ------------------------------------------------------------- the job */

/* Absolute paths, so a task finds the program, the study and the folder
 * from any node and working folder of a shared file system. */
static int resolve_paths(slurm_job *j, const char *study_path, const char *dir)
{
    ssize_t n = readlink("/proc/self/exe", j->program, sizeof j->program - 1);
    char sub[PATH_MAX + 8];
    if (n <= 0) {
        fprintf(stderr, "clusterplan: --slurm: cannot find this program's own path\n");
        return 3;
    }
    j->program[n] = '\0';
    if (!realpath(study_path, j->study)) {
        fprintf(stderr, "clusterplan: %s: %s\n", study_path, strerror(errno));
        return 2;
    }
    snprintf(sub, sizeof sub, "%s/slurm", dir);
    if (cli_make_dirs(sub) || !realpath(dir, j->dir)) {
        fprintf(stderr, "clusterplan: %s: cannot create the output folder\n", sub);
        return 3;
    }
    /* '%' would be read by sbatch as a pattern in the log names, and a line
     * break would end the script's command */
    if (strpbrk(j->dir, "%\n") || strchr(j->study, '\n') || strchr(j->program, '\n')) {
        fprintf(stderr, "clusterplan: --slurm: %s: a path with '%%' or a line break cannot "
                        "be given to Slurm\n", strpbrk(j->dir, "%\n") ? j->dir : j->study);
        return 2;
    }
    snprintf(j->array, sizeof j->array, "%s/slurm/array.sh", j->dir);
    snprintf(j->merge, sizeof j->merge, "%s/slurm/merge.sh", j->dir);
    return 0;
}

/* cp-STUDY-HASH: the study file's name (letters, digits, '.', '_', '-')
 * and 8 hex digits of the output folder, so the queue tells which jobs
 * write into which folder. */
static void job_name(slurm_job *j)
{
    const char *base = strrchr(j->study, '/') + 1, *dot = strrchr(base, '.');
    size_t k, n = dot && dot > base ? (size_t)(dot - base) : strlen(base), at;
    char hex[65];
    cp_sha256 h;
    cp_sha256_init(&h);
    cp_sha256_update(&h, j->dir, strlen(j->dir));
    cp_sha256_final(&h, hex);
    at = (size_t)snprintf(j->name, sizeof j->name, "cp-");
    for (k = 0; k < n && at < 60; k++)
        j->name[at++] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
                               base[k]) ? base[k] : '_';
    snprintf(j->name + at, sizeof j->name - at, "-%.8s", hex);
}

/* The tasks: --tasks, else one per CPU's worth of runs (each task runs
 * --cpus-per-task runs at once), never more than the runs nor Slurm's
 * default array limit. */
static int task_count(const cli_args *a, int runs)
{
    int cpus = a->cpus_per_task > 0 ? a->cpus_per_task : 1, n;
    if (a->slurm_tasks > 0)
        return a->slurm_tasks;
    n = (runs + cpus - 1) / cpus;
    return n < 1 ? 1 : n > SLURM_MAX_ARRAY ? SLURM_MAX_ARRAY : n;
}

/* --------------------------------------------------------------- scripts */

static void put_quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    fputc('\'', f);
}

/* A script whose command is `PROGRAM batch STUDY -o DIR REST`. */
static int write_script(const slurm_job *j, const char *path, const char *what,
                        const char *rest)
{
    char *text = NULL;
    size_t size = 0;
    cp_error err;
    FILE *f = open_memstream(&text, &size);
    int rc;
    if (!f) {
        fprintf(stderr, "clusterplan: out of memory\n");
        return 3;
    }
    fprintf(f, "#!/bin/sh\n# Written by `clusterplan batch --slurm` and submitted by it with "
               "sbatch (options on sbatch's\n# command line). %s\nexec ", what);
    put_quoted(f, j->program);
    fputs(" batch ", f);
    put_quoted(f, j->study);
    fputs(" -o ", f);
    put_quoted(f, j->dir);
    fprintf(f, " %s\n", rest);
    fclose(f);
    cp_error_clear(&err);
    rc = text ? (cp_write_text(path, text, &err) ? cli_fail(&err) : 0) : 3;
    free(text);
    return rc;
}

static int write_scripts(const slurm_job *j)
{
    char what[600], rest[200];
    snprintf(what, sizeof what,
             "Array task I runs shard I/%d of the\n# study (its runs k with k mod %d = I - 1), "
             "as many at once as the task has CPUs;\n# runs done before with the same inputs "
             "are skipped.  On SIGTERM (time limit,\n# scancel) the running runs write their "
             "best layouts, marked interrupted,\n# and are redone by the next submission.",
             j->tasks, j->tasks);
    snprintf(rest, sizeof rest,
             "--shard \"$SLURM_ARRAY_TASK_ID/%d\" --threads \"${SLURM_CPUS_PER_TASK:-1}\"",
             j->tasks);
    if (write_script(j, j->array, what, rest))
        return 3;
    return write_script(j, j->merge,
                        "Runs after every array task has\n# succeeded: the comparison of every "
                        "run, from the run folders.", "--merge");
}

/* ------------------------------------------------------------ submitting */

/* Refuses a second submission while the first one's jobs are in the queue:
 * its tasks would run the same runs into the same folders. */
static int still_queued(const slurm_job *j)
{
    char name_opt[100], out[400];
    const char *argv[] = {"squeue", "--noheader", "--format=%i", name_opt, NULL};
    int status;
    snprintf(name_opt, sizeof name_opt, "--name=%s", j->name);
    if ((status = run_capture(argv, out, sizeof out)) != 0)
        return tool_failed("squeue", status);
    if (!out[0])
        return 0;
    for (char *c = out; *c; c++)
        if (*c == '\n')
            *c = ' ';
    fprintf(stderr, "clusterplan: jobs %s of this study into %s are still queued or running "
                    "(job name %s): submit again when they have ended, or scancel them\n",
            out, j->dir, j->name);
    return 2;
}

/* "1-3,5,7-8": the tasks that have runs to do. */
static void array_spec(const int *pending, int tasks, char *out, size_t n)
{
    size_t at = 0;
    int k = 0, end;
    out[0] = '\0';
    while (k < tasks && at < n) {
        if (!pending[k]) {
            k++;
            continue;
        }
        for (end = k; end + 1 < tasks && pending[end + 1]; end++)
            ;
        at += (size_t)snprintf(out + at, n - at, end > k ? "%s%d-%d" : "%s%d", at ? "," : "",
                               k + 1, end + 1);
        k = end + 1;
    }
}

/* sbatch --parsable with the common options, then `extra`, then the script;
 * the job id into id ("123", or "123;cluster" cut at ';'). */
static int sbatch(const cli_args *a, const slurm_job *j, const char *const *extra,
                  const char *script, char *id, size_t n)
{
    char opts[6][PATH_MAX + 32];
    const char *argv[SLURM_MAX_ARGS];
    int k = 0, o = 0, status;
    argv[k++] = "sbatch";
    argv[k++] = "--parsable";
    snprintf(opts[o], sizeof opts[o], "--job-name=%s", j->name);
    argv[k++] = opts[o++];
    if (a->partition)
        snprintf(opts[o], sizeof opts[o], "--partition=%s", a->partition), argv[k++] = opts[o++];
    if (a->wall_time)
        snprintf(opts[o], sizeof opts[o], "--time=%s", a->wall_time), argv[k++] = opts[o++];
    if (a->memory)
        snprintf(opts[o], sizeof opts[o], "--mem=%s", a->memory), argv[k++] = opts[o++];
    for (o = 0; o < a->n_sbatch_args; o++)
        argv[k++] = a->sbatch_args[o];
    for (; *extra; extra++)
        argv[k++] = *extra;
    argv[k++] = script;
    argv[k] = NULL;
    if ((status = run_capture(argv, id, n)) != 0)
        return tool_failed("sbatch", status);
    id[strcspn(id, ";")] = '\0';
    if (!id[0] || strspn(id, "0123456789") != strlen(id)) {
        fprintf(stderr, "clusterplan: sbatch gave no job id (\"%s\")\n", id);
        return 3;
    }
    return 0;
}

static int submit_array(const cli_args *a, const slurm_job *j, const char *spec, char *id,
                        size_t n)
{
    char *array = cp_malloc(strlen(spec) + 16), output[PATH_MAX + 32], cpus[32];
    const char *extra[4] = {array, output, NULL, NULL};
    int rc;
    if (!array)
        return 3;
    snprintf(array, strlen(spec) + 16, "--array=%s", spec);
    snprintf(output, sizeof output, "--output=%s/slurm/task-%%A_%%a.out", j->dir);
    if (a->cpus_per_task > 0) {
        snprintf(cpus, sizeof cpus, "--cpus-per-task=%d", a->cpus_per_task);
        extra[2] = cpus;
    }
    rc = sbatch(a, j, extra, j->array, id, n);
    cp_free(array);
    return rc;
}

static int submit_merge(const cli_args *a, const slurm_job *j, const char *after, char *id,
                        size_t n)
{
    char output[PATH_MAX + 32], dependency[80];
    const char *extra[4] = {output, NULL, NULL, NULL};
    snprintf(output, sizeof output, "--output=%s/slurm/merge-%%j.out", j->dir);
    if (after) {
        snprintf(dependency, sizeof dependency, "--dependency=afterok:%s", after);
        extra[1] = dependency;
        extra[2] = "--kill-on-invalid-dep=yes";
    }
    return sbatch(a, j, extra, j->merge, id, n);
}

static void print_plan(const cli_args *a, const cp_study *st, const slurm_job *j, int runs,
                       int to_do, int used)
{
    if (a->quiet)
        return;
    printf("study \"%s\": %d runs, %d to do", st->name ? st->name : "", runs, to_do);
    if (to_do < runs)
        printf(" (%d done before with the same inputs)", runs - to_do);
    if (to_do)
        printf(", in %d of %d array tasks (task I runs shard I/%d)", used, j->tasks, j->tasks);
    printf("\n");
}

static int submit(const cli_args *a, const slurm_job *j, const char *spec, int to_do)
{
    char array_id[40], merge_id[40];
    int rc = 0;
    if (to_do) {
        if ((rc = submit_array(a, j, spec, array_id, sizeof array_id)) != 0)
            return rc;
        printf("array job %s: tasks %s of %d (%s; logs %s/slurm/task-%s_I.out)\n", array_id,
               spec, j->tasks, j->array, j->dir, array_id);
        fflush(stdout);
    }
    if ((rc = submit_merge(a, j, to_do ? array_id : NULL, merge_id, sizeof merge_id)) != 0) {
        if (to_do)
            fprintf(stderr, "clusterplan: array job %s was submitted, the merge job was not: "
                            "once the array has ended, submit again (the same command "
                            "submits the merge alone)\n", array_id);
        return rc;
    }
    printf("merge job %s: %s%s/comparison.csv and comparison.html (%s)\n", merge_id,
           to_do ? "after every task has succeeded, " : "", j->dir, j->merge);
    if (to_do && !a->quiet)
        printf("if a task fails or is cancelled the merge job is cancelled too: submit again "
               "with the same command, which submits only the runs still to do\n");
    return 0;
}

int batch_slurm_submit(const cli_args *a, const cp_study *st, const char *study_path,
                       const char *dir)
{
    slurm_job j;
    cp_error err;
    char *spec = NULL;
    int runs = 0, to_do = 0, used = 0, k, rc, *flags, *pending = NULL;
    memset(&j, 0, sizeof j);
    cp_error_clear(&err);
    if (batch_check(st, &err)) /* as batch checks before its first run: before any job */
        return cli_fail(&err);
    if ((rc = resolve_paths(&j, study_path, dir)) != 0)
        return rc;
    job_name(&j);
    if ((rc = still_queued(&j)) != 0)
        return rc;
    if (!(flags = batch_runs_to_do(st, j.dir, &runs, &err)))
        return cli_fail(&err);
    j.tasks = task_count(a, runs);
    if (j.tasks > runs && runs > 0) {
        fprintf(stderr, "clusterplan: --tasks %d: the study has %d runs\n", j.tasks, runs);
        cp_free(flags);
        return 2;
    }
    pending = cp_calloc((size_t)j.tasks, sizeof *pending);
    spec = cp_malloc((size_t)j.tasks * 16 + 16);
    if (!pending || !spec) {
        cp_fail_nomem(&err);
        rc = cli_fail(&err);
    }
    for (k = 0; !rc && k < runs; k++) {
        pending[k % j.tasks] += flags[k];
        to_do += flags[k];
    }
    for (k = 0; !rc && k < j.tasks; k++)
        used += pending[k] > 0;
    if (!rc) {
        array_spec(pending, j.tasks, spec, (size_t)j.tasks * 16 + 16);
        print_plan(a, st, &j, runs, to_do, used);
        rc = write_scripts(&j);
    }
    if (!rc)
        rc = submit(a, &j, spec, to_do);
    cp_free(flags);
    cp_free(pending);
    cp_free(spec);
    return rc;
}
