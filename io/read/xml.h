/*
 * xml.h — a thin layer over libxml2's streaming reader (xmlTextReader) used
 * by every reader in io/.  It never builds a DOM, never touches the network,
 * never loads a DTD or external entity, refuses any DOCTYPE (so no entity can
 * be expanded at all), and turns every parse error into a cp_error naming
 * the file and line.
 */
#ifndef CP_IO_XML_H
#define CP_IO_XML_H

#include "solver/model/model.h"

#define CP_XML_MAX_ATTRS 64
#define CP_XML_MAX_TEXT (1 << 20) /* longest text we accept in one element */
#define CP_XML_MAX_DEPTH 16       /* open elements whose names cp_xml_parent keeps */
#define CP_XML_MAX_NAME 64

typedef struct cp_xml cp_xml;

typedef enum { CP_XML_START, CP_XML_END, CP_XML_TEXT, CP_XML_EOF } cp_xml_event;

cp_xml *cp_xml_open(const char *path, const char *buf, size_t len, cp_error *err);
void cp_xml_close(cp_xml *x);
/* Validates the document against an XSD (its text) while it is read; call
 * before the first cp_xml_next.  Violations are input errors naming the
 * line and the schema. */
cp_code cp_xml_use_schema(cp_xml *x, const char *schema_name, const char *xsd);

/* The shipped schemas (the .xsd files in schemas/, compiled in by the Makefile). */
extern const char cp_schema_candidates[];
extern const char cp_schema_rubric[];

/* Next event; returns CP_XML_EOF at the end or -1 on error (err set).
 * Self-closing elements give START then END. */
int cp_xml_next(cp_xml *x);

const char *cp_xml_name(const cp_xml *x);  /* local name of current element */
const char *cp_xml_qname(const cp_xml *x); /* qualified name, for messages  */
int cp_xml_line(const cp_xml *x);          /* line of the current element   */
/* Of the current element: its depth (the root 0) and its parent's local
 * name ("" for the root). */
int cp_xml_depth(const cp_xml *x);
const char *cp_xml_parent(const cp_xml *x);
const char *cp_xml_file(const cp_xml *x);

/* Attributes of the current START element, copied when the element is read. */
int cp_xml_attr_count(const cp_xml *x);
const char *cp_xml_attr_name(const cp_xml *x, int k);
const char *cp_xml_attr_value(const cp_xml *x, int k);
const char *cp_xml_attr(const cp_xml *x, const char *name); /* NULL if absent */

/* Value of the current TEXT event. */
const char *cp_xml_value(const cp_xml *x);

/* Reads the text content of the current START element up to its END
 * (child elements are an error).  Returns a buffer valid until the next call. */
char *cp_xml_text(cp_xml *x);

/* Reads the root element and checks its name ("not a rubric (expected
 * <rubric>)" otherwise; an empty document is an error too). */
cp_code cp_xml_root(cp_xml *x, const char *root, const char *what);
/* Calls read(ctx) at every element start after the root, to the end. */
cp_code cp_xml_each_element(cp_xml *x, cp_code (*read)(void *ctx), void *ctx);

/* Formats "FILE:LINE: <element> attr="value": reason" into err; returns CP_EINPUT. */
cp_code cp_xml_fail(cp_xml *x, const char *attr, const char *value, const char *fmt, ...)
    CP_PRINTF(4, 5);
cp_error *cp_xml_error(cp_xml *x);

/* Typed attribute getters: absent or empty -> keep *out, return 0;
 * malformed -> error naming the attribute, return CP_EINPUT. */
cp_code cp_xml_get_double(cp_xml *x, const char *attr, double lo, double hi, double *out);
cp_code cp_xml_get_int(cp_xml *x, const char *attr, long lo, long hi, int *out);
cp_code cp_xml_get_bool(cp_xml *x, const char *attr, int *out);
/* Fails unless every attribute of the element is in the NULL-terminated
 * list (an entry ending in '*' takes every name it starts: "teachers-*"). */
cp_code cp_xml_only_attrs(cp_xml *x, const char *const *known);

/* sniff.c: 1 when the bytes are a native XML file (see sniff.c), 0 for a
 * GIS source; cp_sniff_native_file: the same for a file or folder (-1 when
 * it cannot be read). */
int cp_sniff_native(const char *buf, size_t len);
int cp_sniff_native_file(const char *path, int *native);

#endif
