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

/* Writes s with XML escaping for attribute values and text. */
void cp_out_escaped(FILE *f, const char *s);
/* Writes ` name="value"` with a double formatted to round-trip; nothing
 * when v is NaN (an absent value). */
void cp_out_double_attr(FILE *f, const char *name, double v);
/* Writes ` name="value"` with the value XML-escaped; nothing when v is NULL. */
void cp_out_text_attr(FILE *f, const char *name, const char *v);

/* RFC 4180 CSV field: always quoted, quotes doubled; NULL writes "". */
void cp_out_csv_text(FILE *f, const char *s);
/* A number in the shortest round-trip form, or `absent` for NaN/inf. */
void cp_out_number(FILE *f, double v, const char *absent);

/* A few lines of inline script that sort any <table class="sortable"> by
 * the clicked column (numbers as numbers); no file is fetched. */
extern const char cp_html_sort_script[];

#endif
