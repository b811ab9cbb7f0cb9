/*
 * xml.c — the streaming XML layer over libxml2's xmlTextReader; see xml.h.
 */
#include "xml.h"

#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

struct cp_xml {
    xmlTextReaderPtr reader;
    xmlSchemaPtr schema;      /* validates while reading, when set */
    const char *schema_name;
    char *file;
    cp_error *err;
    int parse_failed;
    int line;
    const char *name, *qname;
    int n_attrs;
    const char *attr_name[CP_XML_MAX_ATTRS];
    const char *attr_value[CP_XML_MAX_ATTRS];
    size_t attr_off[2 * CP_XML_MAX_ATTRS];
    char *attr_buf; /* names and values of the current element, NUL-separated */
    size_t attr_len, attr_cap;
    char *text;
    size_t text_len, text_cap;
    int pending_end; /* an empty element's END still to report */
    /* the open elements' local names, outermost first, for cp_xml_parent
     * (the deepest CP_XML_MAX_DEPTH kept; deeper ones count only) */
    int depth;
    char open[CP_XML_MAX_DEPTH][CP_XML_MAX_NAME];
};

/* libxml2 reports parse errors here instead of printing them. */
static void on_parse_error(void *ctx, xmlErrorPtr e)
{
    cp_xml *x = ctx;
    char msg[512];
    size_t n, k;
    if (x->parse_failed || !e)
        return;
    x->parse_failed = 1;
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "malformed XML");
    n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    for (k = 0; k < n; k++) /* one line per error */
        if (msg[k] == '\n')
            msg[k] = ' ';
    if (e->domain == XML_FROM_SCHEMASV && strstr(msg, "No matching global declaration"))
        /* libxml2's words for "another kind of file": a rubric given as the candidates */
        cp_fail(x->err, CP_EINPUT, "%s:%d: its root element is not the one %s has (%.*s): is "
                "this the right file, and are the files given in the right order?", x->file,
                e->line, x->schema_name, (int)(strchr(msg, ':') ? strchr(msg, ':') - msg : 0),
                msg);
    else if (e->domain == XML_FROM_SCHEMASV)
        cp_fail(x->err, CP_EINPUT, "%s:%d: does not follow %s: %s", x->file, e->line,
                x->schema_name, msg);
    else
        cp_fail(x->err, CP_EINPUT, "%s:%d: not well-formed XML: %s", x->file, e->line, msg);
}

/* libxml2 reports a few encoding errors through its generic channel, which
 * would print to stderr; they also reach on_parse_error, so drop them here. */
static void ignore_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Options: no network, no DTD loading, no entity substitution, and libxml2's
 * own size limits (XML_PARSE_HUGE is deliberately not set). */
#define READER_OPTIONS (XML_PARSE_NONET)

cp_xml *cp_xml_open(const char *path, const char *buf, size_t len, cp_error *err)
{
    struct stat st;
    cp_xml *x = cp_calloc(1, sizeof *x);
    if (!x) {
        cp_fail_nomem(err);
        return NULL;
    }
    x->err = err;
    xmlSetGenericErrorFunc(NULL, ignore_generic); /* per thread in libxml2 */
    x->file = cp_strdup(path);
    if (!x->file) {
        cp_xml_close(x);
        cp_fail_nomem(err);
        return NULL;
    }
    if (!buf && stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0) {
        cp_fail(err, CP_EINPUT, "%s: the file is empty", path);
        cp_xml_close(x);
        return NULL;
    }
    if (buf)
        x->reader = xmlReaderForMemory(buf, (int)len, path, NULL, READER_OPTIONS);
    else
        x->reader = xmlReaderForFile(path, NULL, READER_OPTIONS);
    if (!x->reader) {
        cp_fail(err, buf ? CP_ERESOURCE : CP_EINPUT, "%s: cannot open for reading", path);
        cp_xml_close(x);
        return NULL;
    }
    xmlTextReaderSetStructuredErrorHandler(x->reader, on_parse_error, x);
    return x;
}

/* Schema errors are the schema's author's, not the user's: they go nowhere. */
static void ignore_schema_error(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

cp_code cp_xml_use_schema(cp_xml *x, const char *schema_name, const char *xsd)
{
    xmlSchemaParserCtxtPtr parser = xmlSchemaNewMemParserCtxt(xsd, (int)strlen(xsd));
    if (!parser)
        return cp_fail_nomem(x->err);
    xmlSchemaSetParserStructuredErrors(parser, ignore_schema_error, NULL);
    x->schema = xmlSchemaParse(parser);
    xmlSchemaFreeParserCtxt(parser);
    if (!x->schema)
        return cp_fail(x->err, CP_ERESOURCE, "%s: the built-in schema does not load", schema_name);
    x->schema_name = schema_name;
    if (xmlTextReaderSetSchema(x->reader, x->schema) != 0)
        return cp_fail(x->err, CP_ERESOURCE, "%s: cannot validate with it", schema_name);
    return CP_OK;
}

static void free_attrs(cp_xml *x)
{
    x->n_attrs = 0;
    x->attr_len = 0;
}

void cp_xml_close(cp_xml *x)
{
    if (!x)
        return;
    cp_free(x->attr_buf);
    if (x->reader)
        xmlFreeTextReader(x->reader);
    if (x->schema)
        xmlSchemaFree(x->schema);
    cp_free(x->text);
    cp_free(x->file);
    cp_free(x);
}

const char *cp_xml_file(const cp_xml *x) { return x->file; }
const char *cp_xml_name(const cp_xml *x) { return x->name ? x->name : ""; }
const char *cp_xml_qname(const cp_xml *x) { return x->qname ? x->qname : ""; }
int cp_xml_line(const cp_xml *x) { return x->line; }
int cp_xml_depth(const cp_xml *x) { return x->depth - 1; }

const char *cp_xml_parent(const cp_xml *x)
{
    int at = x->depth - 2;
    return at >= 0 && at < CP_XML_MAX_DEPTH ? x->open[at] : at < 0 ? "" : "?";
}
int cp_xml_attr_count(const cp_xml *x) { return x->n_attrs; }
const char *cp_xml_attr_name(const cp_xml *x, int k) { return x->attr_name[k]; }
const char *cp_xml_attr_value(const cp_xml *x, int k) { return x->attr_value[k]; }
cp_error *cp_xml_error(cp_xml *x) { return x->err; }

const char *cp_xml_value(const cp_xml *x)
{
    const xmlChar *v = xmlTextReaderConstValue(x->reader);
    return v ? (const char *)v : "";
}

const char *cp_xml_attr(const cp_xml *x, const char *name)
{
    int k;
    for (k = 0; k < x->n_attrs; k++)
        if (strcmp(x->attr_name[k], name) == 0)
            return x->attr_value[k];
    return NULL;
}

cp_code cp_xml_fail(cp_xml *x, const char *attr, const char *value, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return cp_fail_at(x->err, x->file, x->line, cp_xml_qname(x), attr, value, "%s", why);
}

static cp_code attr_append(cp_xml *x, const char *s)
{
    size_t n = strlen(s) + 1;
    if (cp_reserve(&x->attr_buf, &x->attr_cap, x->attr_len + n))
        return cp_fail_nomem(x->err);
    memcpy(x->attr_buf + x->attr_len, s, n);
    x->attr_len += n;
    return CP_OK;
}

/* Copies the attributes into one reused buffer: libxml2's value pointers do
 * not outlive the node, and one buffer avoids an allocation per attribute. */
static int load_attrs(cp_xml *x)
{
    int k;
    free_attrs(x);
    while (xmlTextReaderMoveToNextAttribute(x->reader) == 1) {
        const xmlChar *name = xmlTextReaderConstName(x->reader);
        const xmlChar *value = xmlTextReaderConstValue(x->reader);
        if (x->n_attrs == CP_XML_MAX_ATTRS)
            return cp_xml_fail(x, NULL, NULL, "more than %d attributes", CP_XML_MAX_ATTRS);
        x->attr_off[2 * x->n_attrs] = x->attr_len;
        if (attr_append(x, (const char *)name))
            return -1;
        x->attr_off[2 * x->n_attrs + 1] = x->attr_len;
        if (attr_append(x, value ? (const char *)value : ""))
            return -1;
        x->n_attrs++;
    }
    for (k = 0; k < x->n_attrs; k++) {
        x->attr_name[k] = x->attr_buf + x->attr_off[2 * k];
        x->attr_value[k] = x->attr_buf + x->attr_off[2 * k + 1];
    }
    xmlTextReaderMoveToElement(x->reader);
    return 0;
}

static int parse_failure(cp_xml *x)
{
    if (!x->parse_failed)
        cp_fail(x->err, CP_EINPUT, "%s:%d: not well-formed XML", x->file,
                xmlTextReaderGetParserLineNumber(x->reader));
    return -1;
}

/* The line of the node itself: the parser's own line runs ahead. */
static int node_line(const cp_xml *x)
{
    xmlNodePtr node = xmlTextReaderCurrentNode(x->reader);
    long line = node ? xmlGetLineNo(node) : -1;
    return line > 0 ? (int)line : xmlTextReaderGetParserLineNumber(x->reader);
}

static int element_event(cp_xml *x, int type)
{
    x->name = (const char *)xmlTextReaderConstLocalName(x->reader);
    x->qname = (const char *)xmlTextReaderConstName(x->reader);
    x->line = node_line(x);
    if (type == XML_READER_TYPE_END_ELEMENT) {
        x->depth--;
        return CP_XML_END;
    }
    if (x->depth < CP_XML_MAX_DEPTH)
        snprintf(x->open[x->depth], CP_XML_MAX_NAME, "%s", x->name);
    x->depth++;
    if (xmlTextReaderIsEmptyElement(x->reader))
        x->pending_end = 1;
    if (xmlTextReaderHasAttributes(x->reader) == 1)
        return load_attrs(x) ? -1 : CP_XML_START;
    free_attrs(x);
    return CP_XML_START;
}

int cp_xml_next(cp_xml *x)
{
    if (x->pending_end) {
        x->pending_end = 0;
        x->depth--;
        return CP_XML_END;
    }
    for (;;) {
        int rc = xmlTextReaderRead(x->reader), type;
        if (rc == 0)
            return x->parse_failed ? -1 : CP_XML_EOF;
        if (rc < 0 || x->parse_failed)
            return parse_failure(x);
        type = xmlTextReaderNodeType(x->reader);
        switch (type) {
        case XML_READER_TYPE_ELEMENT:
        case XML_READER_TYPE_END_ELEMENT:
            return element_event(x, type);
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
            return CP_XML_TEXT;
        case XML_READER_TYPE_DOCUMENT_TYPE:
            cp_fail(x->err, CP_EINPUT,
                    "%s: <!DOCTYPE>: DTDs and entity declarations are not accepted "
                    "(entities are never expanded)", x->file);
            return -1;
        case XML_READER_TYPE_ENTITY_REFERENCE:
            cp_fail(x->err, CP_EINPUT, "%s:%d: entity reference \"&%s;\" is not accepted",
                    x->file, xmlTextReaderGetParserLineNumber(x->reader),
                    (const char *)xmlTextReaderConstName(x->reader));
            return -1;
        default:
            break; /* comments, whitespace, processing instructions */
        }
    }
}

static cp_code append_text(cp_xml *x, const char *s)
{
    size_t n = strlen(s);
    if (x->text_len + n > CP_XML_MAX_TEXT)
        return cp_xml_fail(x, NULL, NULL, "text longer than %d bytes", CP_XML_MAX_TEXT);
    if (cp_reserve(&x->text, &x->text_cap, x->text_len + n + 1))
        return cp_fail_nomem(x->err);
    memcpy(x->text + x->text_len, s, n + 1);
    x->text_len += n;
    return CP_OK;
}

char *cp_xml_text(cp_xml *x)
{
    int ev;
    x->text_len = 0;
    if (append_text(x, ""))
        return NULL;
    while ((ev = cp_xml_next(x)) == CP_XML_TEXT) {
        const xmlChar *v = xmlTextReaderConstValue(x->reader);
        if (v && append_text(x, (const char *)v))
            return NULL;
    }
    if (ev == CP_XML_END)
        return x->text;
    if (ev == CP_XML_START)
        cp_xml_fail(x, NULL, NULL, "unexpected element inside a text field");
    else if (ev == CP_XML_EOF)
        cp_xml_fail(x, NULL, NULL, "unexpected end of file");
    return NULL;
}

cp_code cp_xml_get_double(cp_xml *x, const char *attr, double lo, double hi, double *out)
{
    const char *v = cp_xml_attr(x, attr);
    double d;
    if (!v || !v[0])
        return CP_OK;
    if (cp_parse_double(v, &d))
        return cp_xml_fail(x, attr, v, "not a finite number");
    if (d < lo || d > hi)
        return cp_xml_fail(x, attr, v, "out of range [%g, %g]", lo, hi);
    *out = d;
    return CP_OK;
}

cp_code cp_xml_get_int(cp_xml *x, const char *attr, long lo, long hi, int *out)
{
    const char *v = cp_xml_attr(x, attr);
    long n;
    if (!v || !v[0])
        return CP_OK;
    if (cp_parse_int(v, lo, hi, &n))
        return cp_xml_fail(x, attr, v, "expected a whole number in [%ld, %ld]", lo, hi);
    *out = (int)n;
    return CP_OK;
}

cp_code cp_xml_get_bool(cp_xml *x, const char *attr, int *out)
{
    const char *v = cp_xml_attr(x, attr);
    if (!v || !v[0])
        return CP_OK;
    if (cp_parse_bool(v, out))
        return cp_xml_fail(x, attr, v, "expected true or false");
    return CP_OK;
}

cp_code cp_xml_only_attrs(cp_xml *x, const char *const *known)
{
    int k, j;
    for (k = 0; k < x->n_attrs; k++) {
        const char *name = x->attr_name[k];
        int ok = strncmp(name, "xmlns", 5) == 0 || strchr(name, ':') != NULL;
        for (j = 0; !ok && known[j]; j++) {
            size_t len = strlen(known[j]);
            ok = len > 0 && known[j][len - 1] == '*' ? strncmp(name, known[j], len - 1) == 0
                                                      : strcmp(name, known[j]) == 0;
        }
        if (!ok)
            return cp_xml_fail(x, name, x->attr_value[k], "unknown attribute");
    }
    return CP_OK;
}

cp_code cp_xml_root(cp_xml *x, const char *root, const char *what)
{
    int ev = cp_xml_next(x);
    if (ev == CP_XML_EOF)
        return cp_fail(x->err, CP_EINPUT, "%s: empty document", x->file);
    if (ev < 0)
        return x->err->code;
    if (strcmp(cp_xml_name(x), root) != 0)
        return cp_xml_fail(x, NULL, NULL, "not %s (expected <%s>)", what, root);
    return CP_OK;
}

cp_code cp_xml_each_element(cp_xml *x, cp_code (*read)(void *ctx), void *ctx)
{
    int ev;
    cp_code rc;
    while ((ev = cp_xml_next(x)) != CP_XML_EOF) {
        if (ev < 0)
            return x->err->code;
        if (ev == CP_XML_START && (rc = read(ctx)))
            return rc;
    }
    return CP_OK;
}
