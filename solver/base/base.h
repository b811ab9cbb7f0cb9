/*
 * base.h — the bottom room of the library, shared by every other room and
 * by io/: error and warning formatting, the clock and time shares, growable
 * arrays, a string pool with interning, number parsing and formatting,
 * order statistics, the parallel loops (par_omp.c or its serial twin
 * par_none.c, chosen by the build) and SHA-256.  Knows nothing of schools.
 */
#ifndef CP_BASE_H
#define CP_BASE_H

#include "clusterplan.h"

#include <stdarg.h>

#if defined(__GNUC__)
#define CP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CP_PRINTF(a, b)
#endif

/* Sets err (when not NULL) and returns code, so callers can `return cp_fail(...)`. */
cp_code cp_fail(cp_error *err, cp_code code, const char *fmt, ...) CP_PRINTF(3, 4);
cp_code cp_fail_nomem(cp_error *err);
/* The input-error form every reader uses:
 * "FILE:LINE: <ELEMENT> ATTR=\"VALUE\": why" (attr may be NULL). */
cp_code cp_fail_at(cp_error *err, const char *file, int line, const char *element,
                   const char *attr, const char *value, const char *fmt, ...) CP_PRINTF(7, 8);
/* Appends a formatted line; returns CP_ERESOURCE if it could not be stored. */
cp_code cp_warn(cp_warnings *w, const char *fmt, ...) CP_PRINTF(2, 3);

/* Monotonic wall clock in seconds, for time limits. */
double cp_now_seconds(void);
/* Whether a lower bound proves a cost optimal: it reaches the cost within
 * a relative 1e-9 (the one tolerance of every proof: the parts' status,
 * the whole-cluster tree's nodes, the Lagrangian ascent's stop). */
int cp_bound_meets(double bound, double cost);
/* Whether an output path is a device to write in place (never through a
 * temporary file renamed onto it): under /dev/ or /proc/, a symlink into
 * /proc/ (/dev/stdout is one, and points at a regular file when the
 * shell redirects it: a rename there had replaced /dev/stdout itself),
 * or anything but a regular file or a folder (a folder is no output:
 * cli_check_targets refuses it). */
int cp_path_is_device(const char *path);
/* Grows a byte buffer to hold at least `need` bytes (doubling). */
cp_code cp_reserve(char **buf, size_t *capacity, size_t need);
/* Grows *items (element size `size`) to hold at least `need` elements. */
cp_code cp_grow(void **items, int *capacity, int need, size_t size);

/* ------------------------------------------------------------ string pool */

/* Strings stored in fixed blocks that never move, so pointers stay valid. */
typedef struct cp_pool_block cp_pool_block;
typedef struct {
    cp_pool_block *head;
} cp_pool;

const char *cp_pool_add(cp_pool *pool, const char *s, size_t len);
void cp_pool_clear(cp_pool *pool);

/* Open-addressing hash from strings to dense ints 0..count-1.  Keys are
 * copied into the pool; lookups visit at most one probe run. */
typedef struct {
    cp_pool *pool;
    const char **keys;   /* by id */
    int *slots;          /* -1 empty, else id */
    uint32_t *slot_hash; /* hash of the key in each slot: most misses skip the key */
    int n_slots;         /* power of two */
    int count;
    int keys_cap;
} cp_intern;

void cp_intern_init(cp_intern *t, cp_pool *pool);
void cp_intern_clear(cp_intern *t);
/* Returns the id of key (adding it when absent), or -1 on allocation failure. */
int cp_intern_add(cp_intern *t, const char *key, size_t len);
/* Returns the id, or -1 when absent. */
int cp_intern_find(const cp_intern *t, const char *key, size_t len);
uint64_t cp_hash_bytes(const void *p, size_t len);
/* qsort comparator of ints, ascending. */
int cp_cmp_int(const void *a, const void *b);

/* Union-find over parent[] (each element its own parent at first): the
 * root of i, halving the path it walks, so a pass over every edge stays
 * near-linear without ranks; and the union of a's and b's sets, the
 * smaller root index winning, so the roots are the same on any order of
 * the edges. */
int cp_uf_find(int *parent, int i);
void cp_uf_unite(int *parent, int a, int b);

/* ---------------------------------------------------------------- parallel */

/* Runs task(k, arg) for k = 0..count-1 on `threads` threads (0 = all
 * cores), dynamically scheduled in index order; the serial twin runs them in
 * order.  Tasks must write only their own slots of any shared result array
 * (slots a task owns by its index, or hands itself by an atomic counter). */
void cp_parallel_for(int count, int threads, void (*task)(int k, void *arg), void *arg);
/* Threads actually used for `threads` (0 = all cores). */
int cp_parallel_threads(int threads);
/* Slice k of `chunks` equal slices of 0..count-1, [*lo, *hi): a fixed cut
 * of the work, the same whatever the thread count. */
void cp_chunk_range(long count, int k, int chunks, long *lo, long *hi);

/* --------------------------------------------------------------- numbers */

/* Parses a whole string as a finite double; returns 0 on success. */
int cp_parse_double(const char *s, double *out);
int cp_parse_int(const char *s, long lo, long hi, long *out);
int cp_parse_bool(const char *s, int *out);
/* Formats a double with the fewest digits that read back exactly. */
void cp_format_double(char *buf, size_t n, double v);
/* A CSV cell a spreadsheet would run as a formula: it starts with = + - @
 * tab or CR and is not a plain number (OWASP's CSV injection rule; such a
 * cell is written with a leading '). */
int cp_csv_formula_like(const char *s);

/* The `cap` nearest of a stream of (distance, index), ties by index, kept
 * in a max-heap (root = the farthest kept): O(log cap) per offer. */
typedef struct {
    double d;
    int index;
} cp_nearest;

void cp_nearest_offer(cp_nearest *heap, int *n, int cap, cp_nearest e);
/* qsort comparator: nearest first, ties by index. */
int cp_nearest_cmp(const void *a, const void *b);
/* The same order, sorted in place in O(n log n) without comparator calls. */
void cp_nearest_sort(cp_nearest *a, long n);

/* Median of sorted values (mean of the two middle ones); 0 when empty. */
double cp_sorted_median(const double *v, int n);
/* Nearest-rank percentile p in (0,100] of sorted values; 0 when empty. */
double cp_sorted_percentile(const double *v, int n, double p);

/* ---------------------------------------------------------------- SHA-256 */

typedef struct {
    uint32_t h[8];
    uint64_t length;
    unsigned char block[64];
    size_t used;
} cp_sha256;

void cp_sha256_init(cp_sha256 *ctx);
void cp_sha256_update(cp_sha256 *ctx, const void *data, size_t len);
void cp_sha256_final(cp_sha256 *ctx, char hex[65]); /* 64 hex digits + NUL */
cp_code cp_sha256_file(const char *path, char hex[65], cp_error *err);
/* The digest of a buffer, or of the file at path when buf is NULL (the
 * two ways every reader is called). */
cp_code cp_sha256_source(const char *buf, size_t len, const char *path, char hex[65],
                         cp_error *err);

#endif
