/*
 * util.c — errors and warnings, growable arrays, the string pool, string
 * interning, number parsing and formatting, and order statistics.
 */
#include "base.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <strings.h>
#include <time.h>

void cp_error_clear(cp_error *err)
{
    if (err) {
        err->code = CP_OK;
        err->message[0] = '\0';
    }
}

cp_code cp_fail(cp_error *err, cp_code code, const char *fmt, ...)
{
    va_list ap;
    if (!err)
        return code;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

cp_code cp_fail_at(cp_error *err, const char *file, int line, const char *element,
                   const char *attr, const char *value, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (attr)
        return cp_fail(err, CP_EINPUT, "%s:%d: <%s> %s=\"%.200s\": %s", file, line, element,
                       attr, value ? value : "", why);
    return cp_fail(err, CP_EINPUT, "%s:%d: <%s>: %s", file, line, element, why);
}

cp_code cp_fail_nomem(cp_error *err)
{
    return cp_fail(err, CP_ERESOURCE, "out of memory");
}

cp_code cp_grow(void **items, int *capacity, int need, size_t size)
{
    int cap = *capacity;
    void *p;
    if (need <= cap)
        return CP_OK;
    if (cap < 16)
        cap = 16;
    while (cap < need) {
        if (cap > (1 << 29))
            return CP_ERESOURCE;
        cap *= 2;
    }
    p = cp_realloc(*items, (size_t)cap * size);
    if (!p)
        return CP_ERESOURCE;
    *items = p;
    *capacity = cap;
    return CP_OK;
}

double cp_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int cp_path_is_device(const char *path)
{
    struct stat st;
    char target[64];
    ssize_t n;
    if (!strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6))
        return 1;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
        (n = readlink(path, target, sizeof target - 1)) > 0) {
        target[n] = '\0';
        if (!strncmp(target, "/proc/", 6) || !strncmp(target, "/dev/", 5))
            return 1;
    }
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

int cp_bound_meets(double bound, double cost)
{
    return bound >= cost - 1e-9 * fmax(1.0, fabs(cost));
}

cp_code cp_reserve(char **buf, size_t *capacity, size_t need)
{
    size_t cap = *capacity ? *capacity : 256;
    char *p;
    if (need <= *capacity)
        return CP_OK;
    while (cap < need)
        cap *= 2;
    p = cp_realloc(*buf, cap);
    if (!p)
        return CP_ERESOURCE;
    *buf = p;
    *capacity = cap;
    return CP_OK;
}

cp_code cp_warn(cp_warnings *w, const char *fmt, ...)
{
    char buf[CP_MSG_MAX];
    va_list ap;
    char *copy;
    if (!w)
        return CP_OK;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (cp_grow((void **)&w->items, &w->capacity, w->count + 1, sizeof(char *)))
        return CP_ERESOURCE;
    copy = cp_strdup(buf);
    if (!copy)
        return CP_ERESOURCE;
    w->items[w->count++] = copy;
    return CP_OK;
}

void cp_warnings_free(cp_warnings *w)
{
    int i;
    if (!w)
        return;
    for (i = 0; i < w->count; i++)
        cp_free(w->items[i]);
    cp_free(w->items);
    w->items = NULL;
    w->count = w->capacity = 0;
}

/* ------------------------------------------------------------ string pool */

#define POOL_BLOCK 65536

struct cp_pool_block {
    cp_pool_block *next;
    size_t used, size;
    char data[];
};

const char *cp_pool_add(cp_pool *pool, const char *s, size_t len)
{
    cp_pool_block *b = pool->head;
    char *out;
    if (!b || b->size - b->used < len + 1) {
        size_t size = len + 1 > POOL_BLOCK ? len + 1 : POOL_BLOCK;
        b = cp_malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->next = pool->head;
        b->used = 0;
        b->size = size;
        pool->head = b;
    }
    out = b->data + b->used;
    memcpy(out, s, len);
    out[len] = '\0';
    b->used += len + 1;
    return out;
}

void cp_pool_clear(cp_pool *pool)
{
    cp_pool_block *b = pool->head;
    while (b) {
        cp_pool_block *next = b->next;
        cp_free(b);
        b = next;
    }
    pool->head = NULL;
}

/* ---------------------------------------------------------------- intern */

/* FNV-1a: short keys, good enough spread with a power-of-two table. */
uint64_t cp_hash_bytes(const void *p, size_t len)
{
    const unsigned char *c = p;
    uint64_t h = 1469598103934665603ULL;
    size_t i;
    for (i = 0; i < len; i++) {
        h ^= c[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

int cp_cmp_int(const void *a, const void *b)
{
    int p = *(const int *)a, q = *(const int *)b;
    return (p > q) - (p < q);
}

int cp_uf_find(int *parent, int i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

void cp_uf_unite(int *parent, int a, int b)
{
    a = cp_uf_find(parent, a);
    b = cp_uf_find(parent, b);
    if (a != b)
        parent[a > b ? a : b] = a < b ? a : b;
}

void cp_intern_init(cp_intern *t, cp_pool *pool)
{
    memset(t, 0, sizeof *t);
    t->pool = pool;
}

void cp_intern_clear(cp_intern *t)
{
    cp_free(t->keys);
    cp_free(t->slots);
    cp_free(t->slot_hash);
    t->keys = NULL;
    t->slots = NULL;
    t->slot_hash = NULL;
    t->n_slots = t->count = t->keys_cap = 0;
}

static int key_equal(const char *stored, const char *key, size_t len)
{
    return strncmp(stored, key, len) == 0 && stored[len] == '\0';
}

static int probe(const cp_intern *t, const char *key, size_t len, uint32_t h, int *slot)
{
    size_t mask = (size_t)t->n_slots - 1;
    size_t i = (size_t)h & mask;
    for (;;) {
        int id = t->slots[i];
        if (id < 0 || (t->slot_hash[i] == h && key_equal(t->keys[id], key, len))) {
            *slot = (int)i;
            return id;
        }
        i = (i + 1) & mask;
    }
}

static int rehash(cp_intern *t, int n_slots)
{
    int *slots = cp_malloc((size_t)n_slots * sizeof *slots);
    uint32_t *hashes = cp_malloc((size_t)n_slots * sizeof *hashes);
    int i, s;
    if (!slots || !hashes) {
        cp_free(slots);
        cp_free(hashes);
        return -1;
    }
    for (i = 0; i < n_slots; i++)
        slots[i] = -1;
    cp_free(t->slots);
    cp_free(t->slot_hash);
    t->slots = slots;
    t->slot_hash = hashes;
    t->n_slots = n_slots;
    for (i = 0; i < t->count; i++) {
        size_t len = strlen(t->keys[i]);
        uint32_t h = (uint32_t)cp_hash_bytes(t->keys[i], len);
        probe(t, t->keys[i], len, h, &s);
        t->slots[s] = i;
        t->slot_hash[s] = h;
    }
    return 0;
}

int cp_intern_find(const cp_intern *t, const char *key, size_t len)
{
    int slot;
    if (t->n_slots == 0)
        return -1;
    return probe(t, key, len, (uint32_t)cp_hash_bytes(key, len), &slot);
}

int cp_intern_add(cp_intern *t, const char *key, size_t len)
{
    int slot, id;
    const char *copy;
    uint32_t h = (uint32_t)cp_hash_bytes(key, len);
    if (t->count * 2 + 2 > t->n_slots &&
        rehash(t, t->n_slots ? t->n_slots * 2 : 64))
        return -1;
    id = probe(t, key, len, h, &slot);
    if (id >= 0)
        return id;
    if (cp_grow((void **)&t->keys, &t->keys_cap, t->count + 1, sizeof(char *)))
        return -1;
    copy = cp_pool_add(t->pool, key, len);
    if (!copy)
        return -1;
    t->keys[t->count] = copy;
    t->slots[slot] = t->count;
    t->slot_hash[slot] = h;
    return t->count++;
}

/* --------------------------------------------------------------- numbers */

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return s;
}

int cp_parse_double(const char *s, double *out)
{
    char *end;
    double v;
    if (!s)
        return -1;
    s = skip_space(s);
    /* strtod also reads hexadecimal ("0x10" = 16, "0x1p3" = 8): no register
     * writes numbers so, and a value read that way would be a silent guess */
    if (*s == '\0' || strpbrk(s, "xX"))
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (end == s || *skip_space(end) != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int cp_parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    if (!s)
        return -1;
    s = skip_space(s);
    if (*s == '\0')
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (end == s || *skip_space(end) != '\0' || errno == ERANGE || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cp_parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"true", "1", "yes", "y", "t"};
    static const char *const no[] = {"false", "0", "no", "n", "f"};
    size_t i;
    for (i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

void cp_format_double(char *buf, size_t n, double v)
{
    int prec;
    if (isnan(v)) {
        snprintf(buf, n, "nan");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, n, v > 0 ? "inf" : "-inf");
        return;
    }
    /* Any decimal of <= 15 significant digits survives a round trip through
     * a double (DBL_DIG), so if some precision <= 15 reads back exactly,
     * %.15g prints that same string (%g drops the trailing zeros): three
     * tries give the shortest form, where counting up from 1 took up to 17. */
    for (prec = 15; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

int cp_csv_formula_like(const char *s)
{
    double d;
    return s[0] != '\0' && strchr("=+-@\t\r", s[0]) && cp_parse_double(s, &d) != 0;
}

double cp_sorted_median(const double *v, int n)
{
    if (n <= 0)
        return 0.0;
    if (n % 2)
        return v[n / 2];
    return 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double cp_sorted_percentile(const double *v, int n, double p)
{
    int rank;
    if (n <= 0)
        return 0.0;
    rank = (int)ceil(p / 100.0 * n);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return v[rank - 1];
}

static int nearest_before(const cp_nearest *a, const cp_nearest *b)
{
    return a->d < b->d || (a->d == b->d && a->index < b->index);
}

int cp_nearest_cmp(const void *a, const void *b)
{
    return nearest_before(a, b) ? -1 : nearest_before(b, a) ? 1 : 0;
}

/* ------------------------------------------------ sorting (d, index) pairs
 * Introsort without comparator calls: quicksort on the median of three,
 * insertion sort below 16 items, heapsort past 2 log2(n) levels, so
 * O(n log n) whatever the input.  The set-up of a large part sorts tens of
 * millions of pairs, and qsort's indirect comparisons were half of it. */

static void swap_nearest(cp_nearest *a, cp_nearest *b)
{
    cp_nearest t = *a;
    *a = *b;
    *b = t;
}

static void insertion_sort(cp_nearest *a, long n)
{
    long i, j;
    for (i = 1; i < n; i++) {
        cp_nearest e = a[i];
        for (j = i; j > 0 && nearest_before(&e, &a[j - 1]); j--)
            a[j] = a[j - 1];
        a[j] = e;
    }
}

static void sift_down(cp_nearest *a, long root, long n)
{
    long child;
    while ((child = 2 * root + 1) < n) {
        if (child + 1 < n && nearest_before(&a[child], &a[child + 1]))
            child++;
        if (!nearest_before(&a[root], &a[child]))
            return;
        swap_nearest(&a[root], &a[child]);
        root = child;
    }
}

static void heap_sort(cp_nearest *a, long n)
{
    long i;
    for (i = n / 2 - 1; i >= 0; i--)
        sift_down(a, i, n);
    for (i = n - 1; i > 0; i--) {
        swap_nearest(&a[0], &a[i]);
        sift_down(a, 0, i);
    }
}

/* Hoare partition around the median of a[0], a[mid], a[n-1]; returns the
 * last index of the left side (0 <= j < n - 1). */
static long partition(cp_nearest *a, long n)
{
    long mid = (n - 1) / 2, i = -1, j = n;
    cp_nearest pivot;
    if (nearest_before(&a[mid], &a[0]))
        swap_nearest(&a[mid], &a[0]);
    if (nearest_before(&a[n - 1], &a[mid]))
        swap_nearest(&a[n - 1], &a[mid]);
    if (nearest_before(&a[mid], &a[0]))
        swap_nearest(&a[mid], &a[0]);
    pivot = a[mid];
    for (;;) {
        do
            i++;
        while (nearest_before(&a[i], &pivot));
        do
            j--;
        while (nearest_before(&pivot, &a[j]));
        if (i >= j)
            return j;
        swap_nearest(&a[i], &a[j]);
    }
}

static void intro_sort(cp_nearest *a, long n, int depth)
{
    while (n > 16) {
        long j;
        if (depth-- == 0) {
            heap_sort(a, n);
            return;
        }
        j = partition(a, n) + 1;
        if (j < n - j) { /* the smaller side first: the stack stays O(log n) */
            intro_sort(a, j, depth);
            a += j;
            n -= j;
        } else {
            intro_sort(a + j, n - j, depth);
            n = j;
        }
    }
    insertion_sort(a, n);
}

void cp_nearest_sort(cp_nearest *a, long n)
{
    int depth = 0;
    long m;
    for (m = n; m > 1; m >>= 1)
        depth += 2;
    if (n > 1)
        intro_sort(a, n, depth);
}

void cp_nearest_offer(cp_nearest *heap, int *n, int cap, cp_nearest e)
{
    int i, c;
    if (*n < cap) {
        for (i = (*n)++; i > 0 && nearest_before(&heap[(i - 1) / 2], &e); i = (i - 1) / 2)
            heap[i] = heap[(i - 1) / 2];
        heap[i] = e;
        return;
    }
    if (!nearest_before(&e, &heap[0]))
        return;
    for (i = 0; (c = 2 * i + 1) < *n; i = c) {
        if (c + 1 < *n && nearest_before(&heap[c], &heap[c + 1]))
            c++;
        if (!nearest_before(&e, &heap[c]))
            break;
        heap[i] = heap[c];
    }
    heap[i] = e;
}

void cp_chunk_range(long count, int k, int chunks, long *lo, long *hi)
{
    *lo = count * k / chunks;
    *hi = count * (k + 1) / chunks;
}
