/*
 * facilitators.h — the facilitators room: scoring and ranking (rank.c),
 * rater statistics (raters.c), constrained selection under quotas
 * (select.c, through the GLPK wall of exact/), what a ranking publishes
 * (publish.c), verification of a published ranking (verify_ranking.c), the
 * changes between two (diff_ranking.c) and assignment to clusters
 * (assign.c).
 */
#ifndef CP_FACILITATORS_H
#define CP_FACILITATORS_H

#include "solver/exact/exact.h"

/* ----------------------------------------------------------- facilitators */

struct cp_candidate_pool {
    cp_pool pool;
    cp_intern ids;          /* candidate id -> index */
    int cap;
};

struct cp_rubric_pool {
    cp_pool pool;
    int caps[7];            /* criteria, points, requirements, roles, quotas, targets, their lines */
};

struct cp_pub_pool {
    cp_pool pool;
};

/* Candidate attributes written as XML attributes of <candidate> (the rest
 * come as <attribute name value/>); every one is a known name for the
 * rubric's points, requirements and tie-break. */
extern const char *const cp_candidate_builtin_attributes[];

/* The attribute's table of levels (a <points> table without per-unit), or
 * NULL (also for a NULL attribute): the rubric reader's checks and the
 * ranking's requirements and tie-breaks read levels through it. */
const cp_points_rule *cp_rubric_level_table(const cp_rubric *rub, const char *attribute);

/* Rounds v to `decimals` places, half away from zero, after snapping away
 * the binary noise of a decimal computation (2.675 is 2.68, as on paper). */
double cp_round_decimals(double v, int decimals);
/* The exact sum of figures rounded to `decimals` (two arrays, either may
 * be empty), computed in whole units of the last decimal. */
double cp_sum_decimals(const double *a, int na, const double *b, int nb, int decimals);
/* A figure already rounded to `decimals`, written without trailing zeros
 * ("88.1", "20"): the same text as the shortest form that reads back. */
void cp_format_decimals(char *buf, size_t n, double v, int decimals);
/* "experience-years at least 5 of women": a requirement in words, as the
 * rubric section of the publication and the exclusion reasons quote it. */
void cp_requirement_text(const cp_requirement *q, char *buf, size_t n);
/* "women at least 40 % of teacher-trainer": a quota in words. */
void cp_quota_text(const cp_rubric *rub, const cp_quota *q, char *buf, size_t n);
const char *cp_quota_kind_name(cp_quota_kind k);

/* Krippendorff's alpha over n values, value[k] given to unit[k] (units are
 * any ints; units with one value are not pairable and left out).  The
 * interval metric (squared difference) when `interval`, else nominal
 * (values equal or not).  NAN when undefined.  Work: O(n log n). */
double cp_krippendorff_alpha(const double *value, const int *unit, int n, int interval);
/* Fills r->reliability and r->offsets from the scores in use (raters.c). */
cp_code cp_rater_statistics(cp_ranking *r, cp_error *err);

/* Building a publication: records are opened in document order (a child
 * after its parent) and take fields until the next is opened.  An
 * allocation failure sets p->failed; the caller checks it once. */
cp_publication *cp_publication_new(const char *source, int csv);
int cp_pub_open(cp_publication *p, const char *element, int parent, int line);
void cp_pub_add(cp_publication *p, const char *name, const char *value);
void cp_pub_add_number(cp_publication *p, const char *name, double v);
void cp_pub_add_int(cp_publication *p, const char *name, long v);
void cp_pub_set_text(cp_publication *p, int record, const char *text);
/* Replaces the value of an existing field of a record (no-op when absent). */
void cp_pub_replace(cp_publication *p, int record, const char *name, const char *value);
/* The record's depth (0 for the root). */
int cp_pub_depth(const cp_publication *p, int record);

/* Value of a candidate's attribute by name, or NULL. */
const char *cp_candidate_attribute(const cp_candidate *c, const char *name);
cp_gender cp_gender_parse(const char *s); /* -1 when not a gender name */
/* Chooses role holders under the rubric's quotas (select.c); fills each
 * item's role and the ranking's effects. */
cp_code cp_select_with_quotas(cp_ranking *r, cp_error *err);
/* Without quotas (roles.c): each role, in rubric order, takes its seats'
 * worth of nominees from the top of its band down, skipping the withdrawn
 * and those already holding a role; then every role's reserve list. */
cp_code cp_fill_roles(cp_ranking *r, cp_error *err);
cp_code cp_reserve_lists(cp_ranking *r, cp_error *err);
/* The first rank of role j's band (0 when the band is empty). */
int cp_band_start(const cp_ranking *r, int role);
/* Facilitators per cluster in assign.c's first sparse round (32); tests
 * lower it to exercise the optimality proof and the doubling. */
extern int cp_assign_first_neighbours;

#endif
