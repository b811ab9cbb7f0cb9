/*
 * detect.c — which kind of file this is, from its root element (anything
 * that is not native XML is a GIS layer), so that `validate FILE` can check
 * any input without being told its kind.
 */
#include "xml.h"

#include <stdio.h>
#include <string.h>

const char *cp_file_kind_name(cp_file_kind k)
{
    static const char *const names[] = {"unknown", "instance", "scenario", "solution",
                                        "GIS layer", "candidates", "rubric", "ranking",
                                        "study"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "unknown";
}

/* A ranking's CSV (write_ranking.c) ends with its "# list-sha256 ..."
 * footer (a quoted cell); any other text file is taken for a GIS layer. */
static int is_ranking_csv(const char *path)
{
    FILE *f = fopen(path, "rb");
    char tail[4097];
    long size;
    size_t got;
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, size > 4096 ? size - 4096 : 0, SEEK_SET);
    got = fread(tail, 1, 4096, f);
    fclose(f);
    tail[got] = '\0';
    return strstr(tail, "\n\"# list-sha256 ") != NULL || strstr(tail, "\n# list-sha256 ") != NULL;
}

cp_file_kind cp_detect_file(const char *path, cp_error *err)
{
    static const struct {
        const char *root;
        cp_file_kind kind;
    } roots[] = {{"instance", CP_FILE_INSTANCE}, {"scenario", CP_FILE_SCENARIO},
                 {"solution", CP_FILE_SOLUTION}, {"candidates", CP_FILE_CANDIDATES},
                 {"rubric", CP_FILE_RUBRIC}, {"ranking", CP_FILE_RANKING},
                 {"study", CP_FILE_STUDY}};
    cp_xml *x;
    cp_file_kind kind = CP_FILE_UNKNOWN;
    size_t k;
    int ev, native = 1;
    if (cp_sniff_native_file(path, &native) == 0 && !native)
        return is_ranking_csv(path) ? CP_FILE_RANKING : CP_FILE_GIS;
    if (!(x = cp_xml_open(path, NULL, 0, err)))
        return CP_FILE_UNKNOWN;
    ev = cp_xml_next(x);
    if (ev == CP_XML_START) {
        for (k = 0; k < sizeof roots / sizeof *roots; k++)
            if (strcmp(cp_xml_name(x), roots[k].root) == 0)
                kind = roots[k].kind;
        if (kind == CP_FILE_UNKNOWN)
            cp_xml_fail(x, NULL, NULL, "unknown kind of file (root element <%s>)",
                        cp_xml_name(x));
    } else if (ev == CP_XML_EOF) {
        cp_fail(err, CP_EINPUT, "%s: empty document", path);
    }
    cp_xml_close(x);
    return kind;
}
