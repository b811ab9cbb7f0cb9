/*
 * summary.h — one run's line of a study's comparison: the batch driver
 * (cli/batch_run.c) fills it from a layout and its evaluation, and this
 * room writes it as OUT/runs/RUN/summary.txt (key=value per line), reads
 * it back and writes the comparison tables (write_comparison.c).
 */
#ifndef CP_SUMMARY_H
#define CP_SUMMARY_H

#include "solver/model/model.h"

/* One run's line of a study's comparison (cli/batch_run.c fills it, io writes and
 * reads it as OUT/runs/RUN/summary.txt, key=value per line). */
#define CP_SUMMARY_VALUES 22
extern const char *const cp_summary_names[CP_SUMMARY_VALUES];

typedef enum { CP_SUMMARY_OK = 0, CP_SUMMARY_FAILED, CP_SUMMARY_MISSING } cp_summary_state;

typedef struct {
    char run[300], instance[128], scenario[128], kind[16], status[32], method[16];
    char overrides[512], error[800], currency[17];
    char objective_kind[16];       /* "travel" (teacher-km) or "cost" (a year, in currency) */
    char distance_unit[32];        /* "km", "km by road", "min by motorbike"...: the instance's */
    char inputs[65];               /* the SHA-256 of the run's inputs (batch_run.c), also for an
                                      interrupted run, which writes no inputs.sha256 */
    double v[CP_SUMMARY_VALUES];   /* NAN when unknown */
    cp_summary_state state;
    int has_report;                /* runs/RUN/solution.html exists */
    int has_map;                   /* runs/RUN/map.svg exists (the small map) */
} cp_run_summary;

void cp_summary_fill(cp_run_summary *s, const cp_instance *inst, const cp_scenario *sc,
                     const cp_layout *lay, const cp_evaluation *ev);
cp_code cp_write_summary(const char *path, const cp_run_summary *s, cp_error *err);
int cp_read_summary(const char *path, cp_run_summary *s); /* 0 when read */
cp_code cp_write_text(const char *path, const char *text, cp_error *err);
/* One comparison table, .csv or .html by extension. */
cp_code cp_write_comparison_file(const char *path, const char *title, const cp_run_summary *rows,
                                 int n, cp_error *err);
/* OUT/comparison.csv and OUT/comparison.html. */
cp_code cp_write_comparison(const char *dir, const char *study, const cp_run_summary *rows,
                            int n, cp_error *err);

#endif
