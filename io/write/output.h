/*
 * output.h — output files written whole or not at all: content goes to a
 * temporary file beside the target, which is renamed over it only after
 * every byte was written and flushed.  "-" writes to standard output, and a
 * target that is not a regular file (a device such as /dev/full, a pipe) is
 * written directly, with every write error reported.
 */
#ifndef CP_IO_OUTPUT_H
#define CP_IO_OUTPUT_H

#include "solver/model/model.h"

#include <stdio.h>

typedef struct {
    FILE *f;
    char *path;
    char *tmp;   /* NULL when writing directly */
    int is_stdout;
} cp_out;

cp_code cp_out_open(cp_out *o, const char *path, cp_error *err);
/* Flushes, checks for write errors, renames into place. */
cp_code cp_out_commit(cp_out *o, cp_error *err);
/* Drops everything written (removes the temporary file). */
void cp_out_abort(cp_out *o);
/* Several outputs, all or nothing: each is opened as a temporary file
 * beside its target (a failure aborts those opened); the commit flushes
 * and syncs them all before the first rename, and a rename that fails
 * removes the outputs already renamed. */
cp_code cp_out_open_all(cp_out *outs, const char *const *paths, int n, cp_error *err);
cp_code cp_out_commit_all(cp_out *outs, int n, cp_error *err);
void cp_out_abort_all(cp_out *outs, int n);

/* Writes s with XML escaping for attribute values and text. */
void cp_out_escaped(FILE *f, const char *s);
/* Writes ` name="value"` with a double formatted to round-trip; nothing
 * when v is NaN (an absent value). */
void cp_out_double_attr(FILE *f, const char *name, double v);
/* Writes ` name="value"` with the value XML-escaped; nothing when v is NULL. */
void cp_out_text_attr(FILE *f, const char *name, const char *v);

/* RFC 4180 CSV field: always quoted, quotes doubled; NULL writes "". */
void cp_out_csv_text(FILE *f, const char *s);
/* The same for a CSV a spreadsheet opens: a text that would run as a
 * formula (= + - @ tab CR, unless a plain number) gets a leading ' (OWASP). */
void cp_out_csv_cell(FILE *f, const char *s);
/* The UTF-8 byte order mark that makes spreadsheets read a CSV as UTF-8. */
void cp_out_csv_bom(FILE *f);
/* A number in the shortest round-trip form, or `absent` for NaN/inf. */
void cp_out_number(FILE *f, double v, const char *absent);

/* A few lines of inline script that sort any <table class="sortable"> by
 * the clicked column (numbers as numbers); no file is fetched. */
extern const char cp_html_sort_script[];

#endif
