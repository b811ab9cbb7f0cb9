/*
 * cli.h — the `clusterplan` program: argument parsing and the commands.
 * All logic lives in the library; this layer reads options, calls it, and
 * prints.  Exit codes per SPEC: 0 ran, 2 bad usage or input, 3 resource,
 * 130 interrupted.
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
    long schools;                /* generate --schools N (-1 = not given) */
    int existing;
    int existing_scope;
    int quiet, verbose;
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
    const char *verify;          /* rank --verify RANKING */
    const char *roles[16];       /* assign --role NAME (repeatable) */
    int n_roles;
    int per_facilitator;         /* assign --per-facilitator K (0 = not given) */
    const char *supervisor_role; /* assign --supervisors ROLE */
    int per_supervisor;          /* assign --per-supervisor M (0 = balanced) */
    int shard_index, shard_count; /* batch --shard I/N */
    int merge;                   /* batch --merge */
} cli_args;

/* Parses argv; returns 0, or 2 after printing a usage error. */
int cli_parse(int argc, char **argv, cli_args *a);
void cli_usage(FILE *f);

/* Reads the scenario (or defaults) and applies command-line overrides. */
int cli_load_scenario(const cli_args *a, cp_scenario *sc);
int cli_exit_code(const cp_error *err);
/* Installs the SIGINT/SIGTERM handlers; returns the flag they set. */
volatile int *cli_catch_interrupts(void);
/* The progress line of a long solve on a terminal (stderr). */
void cli_progress_line(const char *phase, int done, int total, void *arg);
void cli_print_warnings(const cli_args *a, const cp_warnings *w);

int cmd_validate(const cli_args *a);
int cmd_evaluate(const cli_args *a);
int cmd_compare(const cli_args *a);
int cmd_solve(const cli_args *a);
int cmd_generate(const cli_args *a);
int cmd_rank(const cli_args *a);
int cmd_assign(const cli_args *a);
int cmd_batch(const cli_args *a);
/* validate for candidates (candidates.xsd), rubric (rubric.xsd), ranking. */
int validate_facilitator_file(const cli_args *a, const char *path, cp_file_kind kind);

/* Indicator tables on stdout. */
void report_indicators(FILE *f, const char *const *names, const cp_evaluation *const *evs,
                       int count, const char *units);
void report_violations(FILE *f, const cp_instance *inst, const cp_layout *lay,
                       const cp_evaluation *ev, int list_all);

#endif
