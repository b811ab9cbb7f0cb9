/*
 * cli.h — the `clusterplan` program: argument parsing and the commands.
 * All logic lives in the library; this layer reads options, runs the one
 * pipeline (pipeline.c) or the batch driver (batch_run.c), and prints.
 * Exit codes per SPEC, decided here only: 0 ran, 2 bad usage or input,
 * 3 resource or internal error, 130 interrupted.
 */
#ifndef CP_CLI_H
#define CP_CLI_H

#include "clusterplan.h"

#include <stdio.h>

#define CLI_MAX_POSITIONAL 64
#define CLI_MAX_OUTPUTS 16

typedef struct {
    const char *command;
    const char *positional[CLI_MAX_POSITIONAL];
    int n_positional;
    const char *scenario_path;
    const char *outputs[CLI_MAX_OUTPUTS];
    int n_outputs;
    const char *instance_path;   /* validate SOLUTION --instance FILE */
    const char *export_lp;       /* solve --export-lp FILE */
    const char *layer, *crs, *output_crs; /* --layer, --crs, --output-crs */
    const char *basemap;         /* --basemap URL_TEMPLATE: the report's tiles */
    long schools;                /* generate --schools N (-1 = not given) */
    int existing;
    int existing_scope;
    int existing_scope_given;
    int quiet, verbose;
    int anytime;             /* --anytime: search until the time limit */
    /* overrides of the scenario, applied after it is read (-1 = not given) */
    int threads;
    long long seed;
    double time_limit;
    double effort;
    int bound_rounds;
    int method;
    const char *fields[64];
    int n_fields;
    /* rank and assign */
    const char *verify;          /* rank --verify RANKING.xml|.csv|DIGEST */
    int public_version;          /* rank --public: leave out the rubric's private fields */
    int diff;                    /* rank --diff OLD.xml NEW.xml */
    const char *roles[16];       /* assign --role NAME (repeatable) */
    int n_roles;
    int per_facilitator;         /* assign --per-facilitator K (0 = not given) */
    const char *supervisor_role; /* assign --supervisors ROLE */
    int per_supervisor;          /* assign --per-supervisor M (0 = balanced) */
    int shard_index, shard_count; /* batch --shard I/N */
    int merge;                   /* batch --merge */
    int slurm;                   /* batch --slurm: submit a job array and a merge job */
    int slurm_tasks;             /* --tasks N: array tasks (0 = not given) */
    int cpus_per_task;           /* --cpus-per-task C (0 = not given) */
    const char *partition, *wall_time, *memory; /* --partition, --time, --mem */
    const char *sbatch_args[16]; /* --sbatch-arg ARG (repeatable), passed to sbatch */
    int n_sbatch_args;
    int plant_mismatch;          /* --test-plant-mismatch (a test hook) */
    /* the scenario's rules from the command line (-1 / NAN = not given) */
    int size_min, size_max, admin_level, clusters;
    double distance_max, min_quality, capacity, cluster_cost;
    cp_objective_kind objective; /* --objective (CP_OBJECTIVE_DEFAULT = not given) */
    const char *where[64];       /* --where FIELD=VALUE */
    int n_where;
    /* issue 24's rules from the command line (args.c, rules24_option) */
    const char *group_min[CP_MAX_GROUPS]; /* --group-min NAME=MIN (repeatable) */
    int n_group_min;
    int groups_soft;             /* --groups-soft */
    int max_upgrades;            /* --max-upgrades N (-1 = not given) */
    double upgrade_budget;       /* --upgrade-budget B (NAN = not given) */
    int zone_min, zone_max;      /* --zones MIN-MAX (-1 = not given) */
    double zone_distance;        /* --zone-distance KM (NAN = not given) */
    int zone_admin_level;        /* --zone-admin-level L (-1 = not given) */
    const char *generate_groups; /* generate --groups math,english */
    /* distances by road (NULL / NAN / -1 = not given) */
    const char *roads, *roads_layer, *roads_class; /* --roads, --roads-layer, --roads-class */
    double snap_max, time_max;   /* --snap-max KM, --time-max MIN */
    int straight_access;         /* --straight-access */
    int travel;                  /* --travel-mode */
    const char *speeds[64];      /* --speed CLASS=KMH */
    int n_speeds;
} cli_args;

/* ----------------------------------------------------------------- batch */

typedef struct {
    const char *out_dir;
    int shard_index, shard_count; /* run k belongs to shard (k % count) + 1 */
    int threads;                  /* runs at once (0 = all cores); each solve uses 1 */
    int merge_only;               /* only rebuild the comparison from the run folders */
    volatile int *interrupt;
    /* called after each run (from the thread that ran it) */
    void (*progress)(int done, int total, const char *run, void *arg);
    void *progress_arg;
} batch_options;

typedef struct {
    int runs;          /* in the study */
    int mine;          /* in this shard */
    int ran, skipped, failed, interrupted, missing; /* missing: merge found no result */
    int wrote_comparison; /* 0 for one shard of several: the merge writes it */
    int stale;         /* results whose inputs changed since they ran */
    int failed_rows;   /* rows of the comparison without a result: failed (any shard's,
                          or stale) or interrupted */
    cp_warnings warnings; /* this shard's runs' warnings, "RUN: text" */
} batch_result;

/* Runs the study: every run of this shard writes its outputs into
 * OUT/runs/RUN/ (a failure is recorded there and the others go on; a run
 * whose inputs are unchanged since its last success is skipped), then the
 * comparison of every run present is written to OUT/comparison.csv and
 * OUT/comparison.html (not by one shard of several: by the merge).
 * Returns CP_OK when it ran, whatever the runs did. */
cp_code batch_run(const cp_study *st, const batch_options *opt, batch_result *res,
                 cp_error *err);

/* The study's runs still to do in OUT (never ran, failed, interrupted, or
 * their inputs changed): a cp_malloc'd flag per run k (1 = to do), NULL
 * with err on failure; *n_runs is the study's run count.  What the next
 * `batch` would run, found without running anything. */
int *batch_runs_to_do(const cp_study *st, const char *out_dir, int *n_runs, cp_error *err);

/* Every run's inputs that can be checked without reading an instance: its
 * instance file can be opened, its scenario passes.  CP_EINPUT naming the
 * study, the run's scenario and the reason. */
cp_code batch_check(const cp_study *st, cp_error *err);

/* `batch STUDY --slurm` (batch_slurm.c): writes DIR/slurm/array.sh and
 * merge.sh, submits the array over the tasks that have runs to do and the
 * merge after them, prints the job ids; returns the exit code. */
int batch_slurm_submit(const cli_args *a, const cp_study *st, const char *study_path,
                       const char *dir);

/* mkdir -p; 0 or -1. */
int cli_make_dirs(const char *path);

/* ------------------------------------------------------------ the pipeline */

/* The one read -> solve or evaluate -> check -> write pipeline that solve,
 * evaluate, compare, assign and every batch run go through (pipeline.c).
 * A job names its inputs; pipeline_run loads the scenario (file, then
 * overrides), the instance, the distances and the layout (solved, read,
 * or the instance's own), evaluates it, and checks that a solved layout
 * re-evaluates to its claims (CP_EINTERNAL when it does not: nothing is
 * written).  Outputs are written by pipeline_write only after everything
 * succeeded. */
typedef enum { LAYOUT_NONE = 0, LAYOUT_SOLVE, LAYOUT_READ, LAYOUT_EXISTING } layout_source;

typedef struct {
    const char *instance_path;
    const char *scenario_path;   /* NULL = SPEC's defaults */
    const char *const *fields;   /* "FIELD=COLUMN", n_fields of them */
    int n_fields;
    const char *const *where;    /* "FIELD=VALUE" (a study instance's <where>) */
    int n_where;
    layout_source source;
    const char *layout_path;     /* LAYOUT_READ */
    int existing_scope;          /* LAYOUT_EXISTING */
    /* applied to the scenario after it is read (cli_apply_overrides) */
    cp_code (*overrides)(cp_scenario *sc, const void *arg); /* CP_ERESOURCE: memory */
    const void *overrides_arg;
    const char *overrides_label; /* how a check's message names them ("the command
                                    line's options"), when they changed anything */
    cp_output_options outputs;   /* how pipeline_write draws the maps */
    const char *const *output_paths; /* checked against the instance before any work */
    int n_output_paths;
    int forms_zones;             /* `zones`: the read layout's zones are made next */
} pipeline_job;

typedef struct {
    cp_scenario sc;
    cp_instance *inst;
    cp_distance_ctx *dist;
    cp_layout *lay;
    cp_evaluation *ev;
    cp_warnings warn;
    cp_error err;
    const char *job_instance, *job_scenario, *job_layout; /* inputs never overwritten */
    cp_output_options outputs;
} pipeline;

/* Everything up to the evaluation (and the check of a solved layout's
 * claims); CP_OK or the error, with p->err filled. */
cp_code pipeline_open(pipeline *p, const pipeline_job *job);
/* The job's scenario alone (file, overrides, field mapping, <where>,
 * cp_scenario_check), as pipeline_open reads it, without the instance. */
cp_code pipeline_check_scenario(const pipeline_job *job, cp_error *err);
/* Loads one more layout over the open instance (compare): read, or the
 * instance's own when path is "existing". */
cp_code pipeline_layout(pipeline *p, const char *path, int existing_scope, cp_layout **lay,
                        cp_evaluation **ev);
/* CP_EINPUT when an output path (or a file it writes beside it) is an input
 * or one of its files, or when two outputs would write the same file. */
cp_code pipeline_check_targets(pipeline *p, const char *const *paths, int n);
/* The model checks of `validate` as warnings (its errors too): solve and
 * evaluate run them in pipeline_open; compare, with no layout of its own
 * there, after it.  CP_ERESOURCE in p->err when out of memory. */
cp_code pipeline_warn_rules(pipeline *p);
/* The same checks as pipeline_write's, before any work: each output's
 * format, its folder, and that it overwrites no input nor another output. */
cp_code pipeline_check_outputs(const pipeline_job *job, const char *const *paths, int n,
                               cp_error *err);
/* The same for any command's inputs (NULL entries skipped) and outputs. */
cp_code cli_check_targets(const char *const *inputs, int n_inputs, const char *const *paths, int n,
                          cp_error *err);
/* A claimed number equals its recomputation (relative 1e-6): how the
 * pipeline checks a solve and evaluate reports a file's claims. */
int pipeline_same_number(double a, double b);
/* Writes the layout to every path (format by extension; checked first, so
 * an unknown one writes nothing). */
cp_code pipeline_write(pipeline *p, const char *const *paths, int n);
void pipeline_close(pipeline *p);

/* Parses argv; returns 0, or 2 after printing a usage error. */
int cli_parse(int argc, char **argv, cli_args *a);
void cli_usage(FILE *f);

/* A pipeline job for this command line: its scenario file, --field
 * mappings and overrides, over the given instance. */
pipeline_job cli_job(const cli_args *a, const char *instance_path, layout_source source);
/* The command line's settings over the scenario's (arg: the cli_args). */
cp_code cli_apply_overrides(cp_scenario *sc, const void *arg);
/* Prints the error and returns its exit code: 2 bad input, 3 resource or
 * internal.  Exit codes live here only (0 ran, 130 interrupted: cli). */
int cli_fail(const cp_error *err);
int cli_exit_code(const cp_error *err);
/* Installs the SIGINT/SIGTERM handlers; returns the flag they set. */
volatile int *cli_catch_interrupts(void);
/* The progress line of a long solve on a terminal (stderr). */
void cli_progress_line(const cp_progress *p, void *arg);
/* `clusterplan COMMAND --help` (help.c); -1 for an unknown command. */
int cli_command_help(FILE *f, const char *command);
/* Whether COMMAND is one of clusterplan's (help.c's table). */
int cli_command_known(const char *command);
/* Whether an option is one COMMAND takes (help.c's table): 0 when the
 * table lists it for other commands only, so it would be silently ignored. */
int cli_option_applies(const char *command, const char *option, int len);
void cli_print_warnings(const cli_args *a, const cp_warnings *w);

int cmd_validate(const cli_args *a);
int cmd_evaluate(const cli_args *a);
int cmd_compare(const cli_args *a);
int cmd_solve(const cli_args *a);
int cmd_generate(const cli_args *a);
int cmd_rank(const cli_args *a);
int cmd_assign(const cli_args *a);
int cmd_batch(const cli_args *a);
int cmd_zones(const cli_args *a);
/* validate for candidates (candidates.xsd), rubric (rubric.xsd), ranking. */
int validate_facilitator_file(const cli_args *a, const char *path, cp_file_kind kind);

/* Indicator tables on stdout. */
void cli_print_reason_groups(const cp_instance *inst, const cp_layout *lay);
void cli_print_annual_cost(const cp_scenario *sc, const cp_evaluation *ev);
void report_indicators(FILE *f, const char *const *names, const cp_evaluation *const *evs,
                       int count, const char *units);
void report_violations(FILE *f, const cp_instance *inst, const cp_layout *lay,
                       const cp_evaluation *ev, int list_all);
/* Study groups, upgrades (each with what it buys) and zones, when the
 * scenario or the layout has them (report.c). */
void cli_print_rules(const cp_instance *inst, const cp_scenario *sc, const cp_layout *lay,
                     const cp_evaluation *ev);
/* issue 24's options (args.c): 1 when opt is one of them. */
int cli_rules24_option(cli_args *a, const char *opt, const char *v, int *rc);
/* With roads: the network and how the schools joined it, on stdout. */
void cli_print_roads(const cp_instance *inst);

#endif
