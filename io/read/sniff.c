/*
 * sniff.c — native file or GIS layer, from the first bytes: XML whose root
 * element is not a GIS format's (kml, FeatureCollection, gpx, osm) is one
 * of clusterplan's own files, read by libxml2's streaming reader with its
 * errors by line; anything else (GeoPackage, Shapefile, GeoJSON, CSV, KML,
 * GML, a folder) goes to GDAL.  Reads at most 8 KB; never parses.
 */
#include "xml.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The first `pat` in b[0..n), or NULL. */
static const char *find(const char *b, size_t n, const char *pat)
{
    size_t k, m = strlen(pat);
    for (k = 0; k + m <= n; k++)
        if (b[k] == pat[0] && !memcmp(b + k, pat, m))
            return b + k;
    return NULL;
}

/* Skips "<?...?>", "<!--...-->" and "<!...>" before the root; returns the
 * offset of the root's '<', or -1 when the bytes are not XML. */
static long root_offset(const char *b, size_t n)
{
    size_t k = 0;
    if (n >= 3 && (unsigned char)b[0] == 0xEF && (unsigned char)b[1] == 0xBB &&
        (unsigned char)b[2] == 0xBF)
        k = 3;
    for (;;) {
        const char *end;
        while (k < n && is_space(b[k]))
            k++;
        if (k >= n || b[k] != '<')
            return k >= n && k > 0 ? (long)k : -1;
        if (k + 9 <= n && !strncmp(b + k, "<!DOCTYPE", 9))
            return (long)k; /* XML with a DTD: the native reader refuses it by line */
        if (k + 1 < n && (b[k + 1] == '?' || b[k + 1] == '!')) {
            const char *close = k + 3 < n && !strncmp(b + k, "<!--", 4) ? "-->" :
                                b[k + 1] == '?' ? "?>" : ">";
            end = find(b + k, n - k, close);
            if (!end)
                return (long)k; /* cut short: let the XML reader say so */
            k = (size_t)(end - b) + strlen(close);
            continue;
        }
        return (long)k;
    }
}

/* 1: native (XML with a root that is not a GIS format's); 0: GDAL's. */
int cp_sniff_native(const char *b, size_t n)
{
    static const char *const gis_roots[] = {"kml", "FeatureCollection", "gpx", "osm", NULL};
    long at = root_offset(b, n);
    size_t k, len;
    const char *name, *colon;
    int r;
    if (at < 0)
        return n == 0; /* an empty file is the native reader's "empty document" */
    if ((size_t)at >= n || !strncmp(b + at, "<!", 2))
        return 1;
    name = b + at + 1;
    for (len = 0; (size_t)at + 1 + len < n && !is_space(name[len]) && name[len] != '>' &&
                  name[len] != '/';
         len++)
        ;
    colon = memchr(name, ':', len);
    if (colon) {
        len -= (size_t)(colon + 1 - name);
        name = colon + 1;
    }
    for (r = 0; gis_roots[r]; r++) {
        k = strlen(gis_roots[r]);
        if (k == len && !strncmp(name, gis_roots[r], k))
            return 0;
    }
    return 1;
}

int cp_sniff_native_file(const char *path, int *native)
{
    char buf[8192];
    size_t n;
    struct stat st;
    FILE *f;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) { /* a shapefile folder, a .gdb */
        *native = 0;
        return 0;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        *native = 1; /* a pipe: sniffing would eat its first bytes; GDAL needs a file */
        return 0;
    }
    if (!(f = fopen(path, "rb")))
        return -1;
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    *native = cp_sniff_native(buf, n);
    return 0;
}
