/*
 * raters.c — how far the raters agree, per criterion, and how each rater
 * leans.
 *   reliability  Krippendorff's alpha, alpha = 1 - D_o / D_e, with the
 *                interval metric (squared difference): D_o is the mean
 *                squared difference between two scores of the same nominee,
 *                D_e between any two scores (Krippendorff, "Computing
 *                Krippendorff's Alpha-Reliability", 2011: only nominees with
 *                at least two usable scores are pairable; each pair within a
 *                nominee of m scores weighs 1 / (m - 1)).  Alpha handles
 *                nominees scored by different numbers of raters, which
 *                recusals make common.  1 is perfect agreement, 0 agreement
 *                no better than chance; Krippendorff asks for 0.800, and
 *                0.667 at the least for tentative conclusions.
 *   mean offset  for each rater and criterion, the mean over the nominees
 *                another rater also scored of (own score - the mean of the
 *                other raters' scores of that nominee): + is lenient.
 * Scores excluded for a conflict of interest are left out of both.  Alpha
 * is rounded to 3 decimals, offsets to the rubric's decimals.
 * Work: O(scores log scores).
 */
#include "facilitators.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int unit;
    double value;
} unit_value;

static int by_unit_value(const void *pa, const void *pb)
{
    const unit_value *a = pa, *b = pb;
    if (a->unit != b->unit)
        return (a->unit > b->unit) - (a->unit < b->unit);
    return (a->value > b->value) - (a->value < b->value);
}

static int by_value(const void *pa, const void *pb)
{
    const unit_value *a = pa, *b = pb;
    return (a->value > b->value) - (a->value < b->value);
}

/* Sum over ordered pairs i != j of [v_i != v_j] for sorted v: m^2 minus the
 * sum of squared counts of equal values. */
static double nominal_pairs(const unit_value *v, int m)
{
    double same = 0;
    int k = 0;
    while (k < m) {
        int j = k;
        while (j < m && v[j].value == v[k].value)
            j++;
        same += (double)(j - k) * (j - k);
        k = j;
    }
    return (double)m * m - same;
}

/* Sum over ordered pairs i != j of (v_i - v_j)^2 = 2 m sum (v - mean)^2. */
static double interval_pairs(const unit_value *v, int m)
{
    double mean = 0, ss = 0;
    int k;
    for (k = 0; k < m; k++)
        mean += v[k].value;
    mean /= m;
    for (k = 0; k < m; k++)
        ss += (v[k].value - mean) * (v[k].value - mean);
    return 2.0 * m * ss;
}

double cp_krippendorff_alpha(const double *value, const int *unit, int n, int interval)
{
    unit_value *v = cp_malloc((size_t)(n ? n : 1) * sizeof *v);
    double observed = 0, expected, alpha;
    int k = 0, pairable = 0;
    if (!v)
        return NAN;
    for (k = 0; k < n; k++) {
        v[k].unit = unit[k];
        v[k].value = value[k];
    }
    qsort(v, (size_t)n, sizeof *v, by_unit_value);
    for (k = 0; k < n;) { /* each unit: its disagreement, then keep it if pairable */
        int j = k, m;
        while (j < n && v[j].unit == v[k].unit)
            j++;
        m = j - k;
        if (m >= 2) {
            observed += (interval ? interval_pairs(v + k, m) : nominal_pairs(v + k, m)) / (m - 1);
            memmove(v + pairable, v + k, (size_t)m * sizeof *v);
            pairable += m;
        }
        k = j;
    }
    if (pairable < 2) {
        cp_free(v);
        return NAN;
    }
    if (!interval)
        qsort(v, (size_t)pairable, sizeof *v, by_value);
    expected = (interval ? interval_pairs(v, pairable) : nominal_pairs(v, pairable)) /
               ((double)pairable * (pairable - 1));
    observed /= pairable;
    alpha = expected > 0 ? 1.0 - observed / expected : NAN;
    cp_free(v);
    return alpha;
}

/* ------------------------------------------------------------ the ranking */

typedef struct {
    cp_ranking *r;
    cp_pool pool;
    cp_intern raters;       /* rater id -> index, first appearance first */
    cp_rater_offset *cell;  /* [rater x criterion] */
    int cells_cap, cells_used;
    double *value;          /* one criterion's usable scores ... */
    int *unit;              /* ... and their nominees */
} stats;

/* The usable scores of nominee c on criterion ci: their count and sum. */
static int usable(const cp_ranking *r, int c, const char *crit, double *sum)
{
    const cp_candidate *cand = &r->candidates->items[c];
    int k, m = 0;
    *sum = 0;
    for (k = 0; k < cand->n_scores; k++)
        if (r->items[c].score_use[k] == CP_SCORE_USED && !strcmp(cand->scores[k].criterion, crit)) {
            *sum += cand->scores[k].value;
            m++;
        }
    return m;
}

/* The cell of (rater, criterion ci); a new rater gets a zeroed row of cells
 * naming it (ids are dense and new ids come last). */
static cp_rater_offset *cell_of(stats *st, const char *rater, int ci)
{
    int nc = st->r->rubric->n_criteria, id = cp_intern_add(&st->raters, rater, strlen(rater));
    int k, need = (id + 1) * nc;
    if (id < 0)
        return NULL;
    if (need > st->cells_used) {
        if (cp_grow((void **)&st->cell, &st->cells_cap, need, sizeof *st->cell))
            return NULL;
        memset(st->cell + st->cells_used, 0, (size_t)(need - st->cells_used) * sizeof *st->cell);
        for (k = 0; k < nc; k++) {
            st->cell[id * nc + k].rater = rater; /* the candidates file's string */
            st->cell[id * nc + k].criterion = k;
        }
        st->cells_used = need;
    }
    return &st->cell[id * nc + ci];
}

/* One criterion: every rated score counted into its rater's cell, the
 * offsets summed, and the values gathered for alpha. */
static cp_code criterion_scores(stats *st, int ci, int *n_values)
{
    const cp_ranking *r = st->r;
    const char *crit = r->rubric->criteria[ci].id;
    int c, k;
    *n_values = 0;
    for (c = 0; c < r->n; c++) {
        const cp_candidate *cand = &r->candidates->items[c];
        double sum;
        int m = usable(r, c, crit, &sum);
        for (k = 0; k < cand->n_scores; k++) {
            const cp_score *s = &cand->scores[k];
            cp_rater_offset *o;
            if (!s->rater || strcmp(s->criterion, crit))
                continue;
            if (!(o = cell_of(st, s->rater, ci)))
                return CP_ERESOURCE;
            if (r->items[c].score_use[k] != CP_SCORE_USED) {
                o->excluded++;
                continue;
            }
            o->scores++;
            if (m >= 2) {
                o->compared++;
                o->mean_offset += s->value - (sum - s->value) / (m - 1);
                st->value[*n_values] = s->value;
                st->unit[(*n_values)++] = c;
            }
        }
    }
    return CP_OK;
}

static cp_code reliability(stats *st, int ci, int n_values)
{
    cp_ranking *r = st->r;
    cp_reliability *rel = &r->reliability[r->n_reliability];
    int k, units = 0;
    if (n_values < 2)
        return CP_OK;
    for (k = 0; k < n_values; k++)
        units += k == 0 || st->unit[k] != st->unit[k - 1];
    rel->criterion = ci;
    rel->values = n_values;
    rel->units = units;
    rel->raters = 0;
    for (k = 0; k < st->raters.count; k++)
        rel->raters += st->cell[k * r->rubric->n_criteria + ci].scores > 0;
    rel->alpha = cp_round_decimals(cp_krippendorff_alpha(st->value, st->unit, n_values, 1), 3);
    r->n_reliability++;
    return CP_OK;
}

/* The cells with any score, rater by rater (first appearance), each
 * criterion in rubric order, offsets turned into means. */
static cp_code collect_offsets(stats *st)
{
    cp_ranking *r = st->r;
    int nc = r->rubric->n_criteria, k;
    r->offsets = cp_malloc((size_t)(st->raters.count * nc + 1) * sizeof *r->offsets);
    if (!r->offsets)
        return CP_ERESOURCE;
    for (k = 0; k < st->raters.count * nc; k++) {
        cp_rater_offset o = st->cell[k];
        if (o.scores + o.excluded == 0)
            continue;
        o.mean_offset = o.compared ? cp_round_decimals(o.mean_offset / o.compared,
                                                       r->rubric->decimals)
                                   : NAN;
        r->offsets[r->n_offsets++] = o;
    }
    return CP_OK;
}

cp_code cp_rater_statistics(cp_ranking *r, cp_error *err)
{
    stats st;
    int k, scores = 0, n_values;
    cp_code rc = CP_OK;
    memset(&st, 0, sizeof st);
    st.r = r;
    cp_intern_init(&st.raters, &st.pool);
    for (k = 0; k < r->n; k++)
        scores += r->candidates->items[k].n_scores;
    st.value = cp_malloc((size_t)(scores ? scores : 1) * sizeof(double));
    st.unit = cp_malloc((size_t)(scores ? scores : 1) * sizeof(int));
    r->reliability = cp_calloc((size_t)(r->rubric->n_criteria ? r->rubric->n_criteria : 1),
                               sizeof *r->reliability);
    if (!st.value || !st.unit || !r->reliability)
        rc = CP_ERESOURCE;
    for (k = 0; !rc && k < r->rubric->n_criteria; k++)
        if (!(rc = criterion_scores(&st, k, &n_values)))
            rc = reliability(&st, k, n_values);
    if (!rc)
        rc = collect_offsets(&st);
    cp_free(st.value);
    cp_free(st.unit);
    cp_free(st.cell);
    cp_intern_clear(&st.raters);
    cp_pool_clear(&st.pool);
    return rc ? cp_fail_nomem(err) : CP_OK;
}

const char *cp_alpha_reading(double a)
{
    return isnan(a) ? "undefined (no pairs of scores, or no variation)"
           : a >= 0.8 ? "reliable (at least 0.800)"
           : a >= 0.667 ? "tentative (0.667 to 0.800)"
                        : "unreliable (below 0.667): the committee should review";
}
