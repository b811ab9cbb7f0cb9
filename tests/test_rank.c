/*
 * test_rank.c — facilitator selection: SHA-256 against the FIPS 180-4
 * vectors; the worked example in instances/ (yemen-*.xml) against totals,
 * ranks, roles and exclusions computed by hand below (every figure rounded
 * to 2 decimals before it is added, so printed figures add up); ties,
 * missing scores, several raters, gender-specific requirements; seats at
 * small N; quotas that bind, cannot be met, or raise the total (a negative
 * cost), on small rubrics whose answers follow by hand; recusals and
 * same-school raters; Krippendorff's alpha against his published example;
 * withdrawals and reserve lists; --verify of the XML and CSV (faithful and
 * tampered); --diff; CSV neutralisation; bad input and unknown names.
 */
#include "testutil.h"
#include "solver/facilitators/facilitators.h"

#include <limits.h>

#define CANDIDATES "instances/yemen-candidates.xml"
#define RUBRIC "instances/yemen-rubric.xml"
#define RUBRIC_QUOTAS "instances/yemen-rubric-quotas.xml"

static void sha_of(const char *text, char hex[65])
{
    cp_sha256 h;
    cp_sha256_init(&h);
    cp_sha256_update(&h, text, strlen(text));
    cp_sha256_final(&h, hex);
}

static void test_sha256_vectors(void **state)
{
    char hex[65];
    cp_sha256 h;
    int k;
    (void)state;
    sha_of("abc", hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha_of("", hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    cp_sha256_init(&h); /* one million 'a', fed in uneven pieces */
    for (k = 0; k < 1000000; k += 999) {
        char block[999];
        int n = 1000000 - k < 999 ? 1000000 - k : 999;
        memset(block, 'a', (size_t)n);
        cp_sha256_update(&h, block, (size_t)n);
    }
    cp_sha256_final(&h, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* ------------------------------------------------------ the worked example */

typedef struct {
    cp_candidate_set *set;
    cp_rubric *rub;
    cp_ranking *r;
} ranked_files;

static void rank_files(ranked_files *f, const char *candidates, const char *rubric)
{
    cp_error err;
    f->set = cp_read_candidates(candidates, &err);
    if (!f->set)
        fail_msg("%s", err.message);
    f->rub = cp_read_rubric(rubric, &err);
    if (!f->rub)
        fail_msg("%s", err.message);
    f->r = cp_rank(f->set, f->rub, &err);
    if (!f->r)
        fail_msg("%s", err.message);
}

static void free_files(ranked_files *f)
{
    cp_ranking_free(f->r);
    cp_rubric_free(f->rub);
    cp_candidate_set_free(f->set);
}

static const cp_ranked *item(const ranked_files *f, const char *id)
{
    int k;
    for (k = 0; k < f->set->n; k++)
        if (strcmp(f->set->items[k].id, id) == 0)
            return &f->r->items[k];
    fail_msg("no candidate %s", id);
    return NULL;
}

static const char *role_of(const ranked_files *f, const char *id)
{
    const cp_ranked *it = item(f, id);
    return it->role >= 0 ? f->rub->roles[it->role].name : "none";
}

static int has_note(char **notes, int n, const char *text)
{
    int k;
    for (k = 0; k < n; k++)
        if (strstr(notes[k], text))
            return 1;
    return 0;
}

/* The rubric: written 40 x s/100, interview 25 x median/20, demonstration
 * 25 x trimmed mean/30, education diploma 0 / bachelor 4 / master 7 /
 * doctorate 10, experience 0.5 a year up to 5; every figure rounded to 2
 * decimals (half away from zero) before the total adds them. */
static void test_worked_totals(void **state)
{
    ranked_files f;
    (void)state;
    rank_files(&f, CANDIDATES, RUBRIC);
    /* Y29: written 89, interview 18/19/17 -> 18, demonstration 24 (middle of three) */
    assert_float_equal(item(&f, "Y29")->total, 35.6 + 22.5 + 20 + 7 + 3, 1e-9);
    /* Y20: interview 15/12/18 -> 15; demonstration 24/25/25 -> 25, whose
     * 25 x 25 / 30 = 20.8333 prints and counts as 20.83; 15 years cap at 5 */
    assert_float_equal(item(&f, "Y20")->contribution[2], 20.83, 1e-12);
    assert_float_equal(item(&f, "Y20")->total, 87.98, 1e-9);
    /* Y35: two demonstration raters (18, 24): too few to trim, the median 21 */
    assert_float_equal(item(&f, "Y35")->combined[2], 21.0, 1e-12);
    assert_float_equal(item(&f, "Y35")->total, 24 + 20 + 17.5 + 10 + 4, 1e-9);
    /* Y36: four raters 10/20/25/29: drop one at each end, mean of 20 and 25 */
    assert_float_equal(item(&f, "Y36")->combined[2], 22.5, 1e-12);
    assert_float_equal(item(&f, "Y36")->total, 25.2 + 15 + 18.75 + 4 + 2.5, 1e-9);
    /* Y13: a woman with a diploma meets the lowered standard: 0 points, ranked */
    assert_float_equal(item(&f, "Y13")->total, 34 + 13.75 + 20.83 + 0 + 3, 1e-9);
    assert_int_equal(item(&f, "Y13")->rank, 21);
    /* Y16: a woman with 3 years meets the 2.5-year minimum; 25 x 23 / 30 =
     * 19.1667 counts as 19.17 */
    assert_float_equal(item(&f, "Y16")->total, 24 + 20 + 19.17 + 0 + 1.5, 1e-9);
    assert_int_equal(item(&f, "Y16")->rank, 28);
    free_files(&f);
}

/* Every ranked nominee's printed figures (2 decimals) add up to its printed
 * total, to the cent: the figures are what is computed. */
static void test_printed_figures_add_up(void **state)
{
    ranked_files f;
    int k, j;
    (void)state;
    rank_files(&f, CANDIDATES, RUBRIC_QUOTAS);
    for (k = 0; k < f.set->n; k++) {
        const cp_ranked *it = &f.r->items[k];
        char buf[64];
        long cents = 0, total;
        for (j = 0; j < f.rub->n_criteria; j++) {
            snprintf(buf, sizeof buf, "%.2f", it->contribution[j]);
            cents += lround(atof(buf) * 100);
        }
        for (j = 0; j < f.rub->n_points; j++) {
            snprintf(buf, sizeof buf, "%.2f", it->points[j]);
            cents += lround(atof(buf) * 100);
        }
        snprintf(buf, sizeof buf, "%.2f", it->total);
        total = lround(atof(buf) * 100);
        if (cents != total)
            fail_msg("%s: printed figures add to %ld cents, printed total %ld",
                     f.set->items[k].id, cents, total);
    }
    free_files(&f);
}

static void test_worked_ranks_and_roles(void **state)
{
    ranked_files f;
    (void)state;
    rank_files(&f, CANDIDATES, RUBRIC);
    assert_int_equal(f.r->ranked, 28);
    /* 28 ranked: the top 10 % are the first ceil(2.8) = 3 ranks (percentile
     * 100 (28 - r + 1) / 28 > 90 exactly for r <= 3); the top 50 % the first
     * 14, so teacher trainers are ranks 4 to 14 */
    assert_int_equal(f.r->seats[0], 3);
    assert_int_equal(f.r->seats[1], 11);
    assert_int_equal(item(&f, "Y29")->rank, 1);
    assert_float_equal(item(&f, "Y29")->percentile, 100.0, 1e-12);
    assert_int_equal(item(&f, "Y20")->rank, 2);
    assert_string_equal(role_of(&f, "Y20"), "master-trainer");
    assert_string_equal(role_of(&f, "Y17"), "master-trainer");
    assert_float_equal(item(&f, "Y17")->percentile, 100.0 * 26 / 28, 1e-9);
    assert_string_equal(role_of(&f, "Y33"), "teacher-trainer"); /* rank 4: 89.29 */
    assert_int_equal(item(&f, "Y31")->rank, 14);
    assert_float_equal(item(&f, "Y31")->percentile, 100.0 * 15 / 28, 1e-12);
    assert_string_equal(role_of(&f, "Y31"), "teacher-trainer");
    assert_string_equal(role_of(&f, "Y11"), "none"); /* rank 15: exactly 50, not above */
    free_files(&f);
}

static void test_worked_ties(void **state)
{
    ranked_files f;
    (void)state;
    rank_files(&f, CANDIDATES, RUBRIC);
    /* Y25 (32 + 20 + 17.5 + 10) and Y26 (27 + 20 + 22.5 + 10) tie at 79.5;
     * the first tie-break key, demonstration, puts Y26 first */
    assert_float_equal(item(&f, "Y25")->total, 79.5, 1e-9);
    assert_float_equal(item(&f, "Y26")->total, 79.5, 1e-9);
    assert_int_equal(item(&f, "Y26")->rank, 11);
    assert_int_equal(item(&f, "Y25")->rank, 12);
    assert_int_equal(item(&f, "Y25")->n_flags, 0);
    /* Y30 and Y31 are equal in every key: ordered by id, and flagged */
    assert_int_equal(item(&f, "Y30")->rank, 13);
    assert_true(has_note(item(&f, "Y31")->flags, item(&f, "Y31")->n_flags, "tied with Y30"));
    free_files(&f);
}

static void test_worked_exclusions(void **state)
{
    ranked_files f;
    const cp_ranked *it;
    (void)state;
    rank_files(&f, CANDIDATES, RUBRIC);
    it = item(&f, "Y07");
    assert_int_equal(it->rank, 0);
    assert_true(has_note(it->reasons, it->n_reasons, "no score for criterion demonstration"));
    it = item(&f, "Y12"); /* a man with a diploma: the rule is quoted */
    assert_int_equal(it->n_reasons, 1);
    assert_true(has_note(it->reasons, it->n_reasons,
                         "education is diploma; the rubric requires education at least bachelor "
                         "(line 24)"));
    it = item(&f, "Y19"); /* every failed requirement is listed */
    assert_int_equal(it->n_reasons, 3);
    assert_true(has_note(it->reasons, it->n_reasons,
                         "experience-years is 2; the rubric requires experience-years at least 5"));
    assert_true(has_note(it->reasons, it->n_reasons,
                         "written score is 48; the rubric requires written score at least 50"));
    it = item(&f, "Y22");
    assert_true(has_note(it->reasons, it->n_reasons, "region Sanaa is not targeted; the rubric "
                         "draws nominees from Taiz, Ibb, Lahj, Hadramawt only"));
    it = item(&f, "Y33"); /* interview raters 8, 15, 18: spread 10 > 6 */
    assert_true(it->rank > 0);
    assert_true(has_note(it->flags, it->n_flags, "raters disagree on interview: 8 to 18"));
    assert_int_equal(f.r->n - f.r->ranked, 12);
    free_files(&f);
}

/* ------------------------------------------------- small rubrics in memory */

static cp_ranking *rank_texts(const char *candidates, const char *rubric, cp_candidate_set **set,
                              cp_rubric **rub, cp_error *err)
{
    *set = cp_read_candidates_memory(candidates, strlen(candidates), "c.xml", err);
    *rub = *set ? cp_read_rubric_memory(rubric, strlen(rubric), "r.xml", err) : NULL;
    return *rub ? cp_rank(*set, *rub, err) : NULL;
}

/* Eight candidates, total = written score; "lead" is the top 25 %, so with
 * 8 ranked 100 (8 - r) / 8 >= 75 gives 2 seats. */
static const char *eight =
    "<candidates>"
    "<candidate id='A' gender='male' region='North' school='S1'><score criterion='w' value='90'/></candidate>"
    "<candidate id='B' gender='male' region='North' school='S1'><score criterion='w' value='85'/></candidate>"
    "<candidate id='C' gender='female' region='South' school='S2'><score criterion='w' value='80'/></candidate>"
    "<candidate id='D' gender='male' region='South' school='S3'><score criterion='w' value='75'/></candidate>"
    "<candidate id='E' gender='female' region='North' school='S4'><score criterion='w' value='70'/></candidate>"
    "<candidate id='F' gender='male' region='East' school='S5'><score criterion='w' value='65'/></candidate>"
    "<candidate id='G' gender='male' region='East' school='S6'><score criterion='w' value='60'/></candidate>"
    "<candidate id='H' gender='male' region='East' school='S7'></candidate>"
    "</candidates>";

static void expect_read_error(const char *candidates, const char *needle)
{
    cp_error err;
    cp_candidate_set *set = cp_read_candidates_memory(candidates, strlen(candidates), "c.xml", &err);
    assert_null(set);
    if (!strstr(err.message, needle))
        fail_msg("'%s' not in '%s'", needle, err.message);
}

static char *rubric_with(const char *extra)
{
    static char buf[2048];
    snprintf(buf, sizeof buf, "<rubric><criterion id='w' max='100' weight='100' missing='zero'/>"
             "<role name='lead' min-percentile='75'/>%s</rubric>", extra);
    return buf;
}

static void free_ranked(cp_ranking *r, cp_rubric *rub, cp_candidate_set *set)
{
    cp_ranking_free(r);
    cp_rubric_free(rub);
    cp_candidate_set_free(set);
}

static int holds(const cp_ranking *r, const cp_candidate_set *set, const char *id)
{
    int k;
    for (k = 0; k < set->n; k++)
        if (!strcmp(set->items[k].id, id))
            return r->items[k].role == 0;
    return 0;
}

static void test_missing_counts_zero(void **state)
{
    cp_candidate_set *set;
    cp_rubric *rub;
    cp_error err;
    cp_ranking *r = rank_texts(eight, rubric_with(""), &set, &rub, &err);
    (void)state;
    assert_non_null(r);
    assert_int_equal(r->ranked, 8); /* H has no score: 0 with missing="zero" */
    assert_int_equal(r->items[7].rank, 8);
    assert_float_equal(r->items[7].total, 0.0, 0);
    assert_true(holds(r, set, "A") && holds(r, set, "B") && !holds(r, set, "C"));
    free_ranked(r, rub, set);
}

static void test_quota_binds(void **state)
{
    cp_candidate_set *set;
    cp_rubric *rub;
    cp_error err;
    cp_ranking *r = rank_texts(eight, rubric_with("<quota role='lead' women-at-least='0.5'/>"),
                               &set, &rub, &err);
    (void)state;
    assert_non_null(r);
    /* 2 seats, at least ceil(0.5 x 2) = 1 woman: A (90) and C (80); B (85)
     * is displaced, at a cost of 85 - 80 = 5 points */
    assert_true(holds(r, set, "A") && holds(r, set, "C") && !holds(r, set, "B"));
    assert_int_equal(r->effects[0].needed, 1);
    assert_int_equal(r->effects[0].achieved, 1);
    assert_float_equal(r->effects[0].cost, 5.0, 1e-9);
    assert_int_equal(r->effects[0].n_displaced, 1);
    assert_string_equal(set->items[r->effects[0].displaced[0]].id, "B");
    assert_string_equal(set->items[r->effects[0].admitted[0]].id, "C");
    free_ranked(r, rub, set);
}

static void test_quota_cannot_be_met(void **state)
{
    cp_candidate_set *set;
    cp_rubric *rub;
    cp_error err;
    /* 3 from the West are asked for; nobody is from the West */
    cp_ranking *r = rank_texts(eight, rubric_with("<quota role='lead' region='West' at-least='3'/>"),
                               &set, &rub, &err);
    (void)state;
    assert_non_null(r);
    assert_int_equal(r->effects[0].needed, 3);
    assert_int_equal(r->effects[0].achieved, 0); /* the shortfall is reported */
    assert_true(holds(r, set, "A") && holds(r, set, "B")); /* the seats are still filled */
    free_ranked(r, rub, set);
}

static void test_quota_school_and_region_max(void **state)
{
    cp_candidate_set *set;
    cp_rubric *rub;
    cp_error err;
    /* A and B share school S1: one of them; then North at most 1 rules out
     * E as well, so the seats go to A and C */
    cp_ranking *r = rank_texts(eight, rubric_with("<quota per-school-at-most='1'/>"
                                                  "<quota region='North' at-most='1'/>"),
                               &set, &rub, &err);
    (void)state;
    assert_non_null(r);
    assert_true(holds(r, set, "A") && holds(r, set, "C") && !holds(r, set, "B"));
    free_ranked(r, rub, set);
}

/* More slack columns (roles + at-least quotas) than ranked candidates: the
 * selection model's scratch rows must still hold every slack (found by the
 * fuzz seed tests/fuzz/seeds/rubric-quotas.xml, an overflow before). */
static void test_quotas_outnumber_candidates(void **state)
{
    cp_candidate_set *set;
    cp_rubric *rub;
    cp_error err;
    cp_ranking *r = rank_texts("<candidates><candidate id='A' gender='male' region='North'>"
                               "<score criterion='w' value='50'/></candidate></candidates>",
                               rubric_with("<role name='member' min-percentile='0'/>"
                                           "<quota role='lead' women-at-least='1'/>"
                                           "<quota region='South' at-least='2'/>"
                                           "<quota region='East' at-least='1' role='member'/>"),
                               &set, &rub, &err);
    (void)state;
    assert_non_null(r);
    assert_int_equal(r->ranked, 1);
    /* a sole nominee has percentile 100: the top band (the quota for a
     * woman lead cannot be met, and the seat is still filled) */
    assert_int_equal(r->items[0].role, 0);
    assert_int_equal(r->effects[0].needed, 1);
    assert_int_equal(r->effects[0].achieved, 0);
    assert_int_equal(r->effects[1].needed, 2);
    assert_int_equal(r->effects[1].achieved, 0);
    free_ranked(r, rub, set);
}

static void test_worked_quotas(void **state)
{
    ranked_files f;
    int k, women = 0, masters = 0;
    (void)state;
    rank_files(&f, CANDIDATES, RUBRIC_QUOTAS);
    assert_true(f.r->constrained);
    for (k = 0; k < f.set->n; k++) {
        masters += f.r->items[k].role == 0;
        women += f.r->items[k].role == 0 && f.set->items[k].gender == CP_GENDER_FEMALE;
    }
    assert_int_equal(masters, 3);
    assert_int_equal(women, 2); /* ceil(0.5 x 3) */
    /* Y30 and Y31 share a school: at most one of them holds a role */
    assert_true((item(&f, "Y30")->role >= 0) + (item(&f, "Y31")->role >= 0) <= 1);
    for (k = 0; k < f.rub->n_quotas; k++)
        assert_true(f.r->effects[k].achieved >= f.r->effects[k].needed);
    free_files(&f);
}

/* ------------------------------------------------------------ small N */

static cp_ranking *rank_n(int n, const char *roles, cp_candidate_set **set, cp_rubric **rub)
{
    char cand[8192], rubric[1024];
    size_t used = 0;
    cp_error err;
    cp_ranking *r;
    int k;
    used += (size_t)snprintf(cand, sizeof cand, "<candidates>");
    for (k = 0; k < n; k++)
        used += (size_t)snprintf(cand + used, sizeof cand - used,
                                 "<candidate id='N%02d'><score criterion='w' value='%d'/></candidate>",
                                 k, 90 - k);
    snprintf(cand + used, sizeof cand - used, "</candidates>");
    snprintf(rubric, sizeof rubric, "<rubric><criterion id='w' max='100' weight='100'/>%s</rubric>",
             roles);
    r = rank_texts(cand, rubric, set, rub, &err);
    if (!r)
        fail_msg("%s", err.message);
    return r;
}

/* Seats are the first ceil(share x N) ranks: "top 10 %" of 9 is 1 seat (it
 * was 0), of 10 exactly 1, of 28 three; a sole nominee has percentile 100
 * and takes the top band. */
static void test_small_n_seats(void **state)
{
    static const struct { int n, master, teacher; } cases[] = {
        {1, 1, 0}, {2, 1, 0}, {9, 1, 4}, {10, 1, 4}, {11, 2, 4}, {28, 3, 11}};
    const char *roles = "<role name='master' min-percentile='90'/>"
                        "<role name='teacher' min-percentile='50'/>";
    size_t k;
    (void)state;
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        cp_candidate_set *set;
        cp_rubric *rub;
        cp_ranking *r = rank_n(cases[k].n, roles, &set, &rub);
        if (r->seats[0] != cases[k].master || r->seats[1] != cases[k].teacher)
            fail_msg("%d ranked: %d and %d seats, expected %d and %d", cases[k].n, r->seats[0],
                     r->seats[1], cases[k].master, cases[k].teacher);
        assert_float_equal(r->items[r->order[0]].percentile, 100.0, 1e-12);
        assert_int_equal(r->items[r->order[0]].role, 0);
        free_ranked(r, rub, set);
    }
}

/* ---------------------------------------------------- a negative cost */

/* Roles fill in precedence order, so a quota can raise the total.  A (100)
 * and P (95) share school S; L (99) is the only woman, from region R,
 * which may not hold the member role; C (50) is elsewhere.  Lead: 1 seat,
 * member: 1 seat, at most one nominee per school.  Without the women quota
 * on lead: lead A, and the member can be neither P (A's school) nor L
 * (region R): C, 150 in all.  With it: lead L, member A: 199.  Its cost on
 * lead is A - L = +1, on member C - A = -50, in all -49. */
static void test_negative_quota_cost(void **state)
{
    static const char *cands =
        "<candidates>"
        "<candidate id='A' gender='male' school='S' region='Q'><score criterion='w' value='100'/></candidate>"
        "<candidate id='P' gender='male' school='S' region='Q'><score criterion='w' value='95'/></candidate>"
        "<candidate id='L' gender='female' school='T' region='R'><score criterion='w' value='99'/></candidate>"
        "<candidate id='C' gender='male' school='U' region='Q'><score criterion='w' value='50'/></candidate>"
        "</candidates>";
    static const char *rubric =
        "<rubric><criterion id='w' max='100' weight='100'/>"
        "<role name='lead' min-percentile='75'/><role name='member' min-percentile='50'/>"
        "<quota per-school-at-most='1'/><quota role='member' region='R' at-most='0'/>"
        "<quota role='lead' women-at-least='1'/></rubric>";
    cp_candidate_set *set;
    cp_rubric *rub;
    cp_error err;
    cp_ranking *r = rank_texts(cands, rubric, &set, &rub, &err);
    const cp_quota_effect *e;
    (void)state;
    assert_non_null(r);
    assert_int_equal(r->seats[0], 1);
    assert_int_equal(r->seats[1], 1);
    assert_int_equal(r->items[2].role, 0); /* L leads */
    assert_int_equal(r->items[0].role, 1); /* A is the member */
    assert_int_equal(r->items[3].role, -1);
    e = &r->effects[2];
    assert_float_equal(e->role_cost[0], 1.0, 1e-9);
    assert_float_equal(e->role_cost[1], -50.0, 1e-9);
    assert_float_equal(e->cost, -49.0, 1e-9);
    assert_int_equal(e->without[0], 0); /* without it A leads ... */
    assert_int_equal(e->without[3], 1); /* ... and C is the member */
    assert_int_equal(e->n_admitted, 1); /* L holds a role only because of it ... */
    assert_int_equal(e->n_displaced, 1); /* ... and C only without it */
    free_ranked(r, rub, set);
}

/* The quota MILP against enumeration: 7 nominees whose totals are distinct
 * powers of two (so every sum of totals is unique and the best selection
 * is one assignment), 2 roles by random bands, 1 to 3 random quotas.  The
 * definition enumerated: the least shortfall (empty seats plus what each
 * at-least quota lacks; at-most and school quotas are hard), then role by
 * role in rubric order the largest total, then the largest rank-sum (pool
 * size - position, over the holders).  Each quota's selection without it
 * is enumerated the same way. */
#define ENUM_N 7

typedef struct {
    int gender[ENUM_N], region[ENUM_N], school[ENUM_N], score[ENUM_N];
    int n_quotas, kind[3], role[3], group[3], count[3];
    int seats[2];
} enum_case;

static int enum_needed(const enum_case *c, int q, int seats_all)
{
    if (c->kind[q] == 0) /* women-at-least share count/4 */
        return (int)ceil(c->count[q] / 4.0 * seats_all - 1e-9);
    return c->kind[q] == 1 ? c->count[q] : 0;
}

/* Lexicographic value of an assignment (by rank position k, the candidate
 * ranked k-th is order[k]); returns 0 when a hard rule is broken. */
static int enum_value(const enum_case *c, const int *order, const int *a, int skip, long long *v)
{
    int k, q, j, holders[2] = {0, 0}, shortfall = 0;
    for (k = 0; k < ENUM_N; k++)
        if (a[k] >= 0 && ++holders[a[k]] > c->seats[a[k]])
            return 0;
    for (q = 0; q < c->n_quotas; q++) {
        int in = 0, seats = 0, s;
        if (q == skip)
            continue;
        for (j = 0; j < 2; j++)
            seats += c->role[q] < 0 || c->role[q] == j ? c->seats[j] : 0;
        if (c->kind[q] == 3) { /* per school at most count */
            for (s = 0; s < 3; s++) {
                int at = 0;
                for (k = 0; k < ENUM_N; k++)
                    at += a[k] >= 0 && (c->role[q] < 0 || c->role[q] == a[k]) &&
                          c->school[order[k]] == s;
                if (at > c->count[q])
                    return 0;
            }
            continue;
        }
        for (k = 0; k < ENUM_N; k++)
            in += a[k] >= 0 && (c->role[q] < 0 || c->role[q] == a[k]) &&
                  (c->kind[q] == 0 ? c->gender[order[k]] == 1 : c->region[order[k]] == c->group[q]);
        if (c->kind[q] == 2 && in > c->count[q])
            return 0;
        if (c->kind[q] != 2 && in < enum_needed(c, q, seats))
            shortfall += enum_needed(c, q, seats) - in;
    }
    v[0] = -(shortfall + (c->seats[0] - holders[0]) + (c->seats[1] - holders[1]));
    for (j = 0; j < 2; j++) {
        v[1 + 2 * j] = v[2 + 2 * j] = 0;
        for (k = 0; k < ENUM_N; k++)
            if (a[k] == j) {
                v[1 + 2 * j] += c->score[order[k]];
                v[2 + 2 * j] += ENUM_N - k;
            }
    }
    return 1;
}

static void enum_best(const enum_case *c, const int *order, int skip, int *best)
{
    long long v[5], top[5] = {LLONG_MIN, 0, 0, 0, 0};
    int a[ENUM_N], code, k, j;
    for (code = 0; code < 2187; code++) { /* 3^7: none, role 0 or role 1 each */
        int x = code, better = 0;
        for (k = 0; k < ENUM_N; k++, x /= 3)
            a[k] = x % 3 - 1;
        if (!enum_value(c, order, a, skip, v))
            continue;
        for (j = 0; j < 5 && !better; j++) {
            if (v[j] != top[j]) {
                better = v[j] > top[j] ? 1 : -1;
                break;
            }
        }
        if (better > 0) {
            memcpy(top, v, sizeof top);
            for (k = 0; k < ENUM_N; k++)
                best[order[k]] = a[k];
        }
    }
}

static void test_quotas_against_enumeration(void **state)
{
    static const char *const genders[] = {"male", "female"};
    test_rng rng = {25};
    int t;
    (void)state;
    for (t = 0; t < 150; t++) {
        enum_case c;
        char cand[4096], rubric[1024];
        size_t used = 0, ru = 0;
        int k, q, best[ENUM_N];
        cp_candidate_set *set;
        cp_rubric *rub;
        cp_error err;
        cp_ranking *r;
        memset(&c, 0, sizeof c);
        used += (size_t)snprintf(cand, sizeof cand, "<candidates>");
        for (k = 0; k < ENUM_N; k++) { /* totals: a shuffle of 1, 2, 4, ..., 64 */
            c.score[k] = 1 << k;
            c.gender[k] = uniform(&rng, 0, 1);
            c.region[k] = uniform(&rng, 0, 2);
            c.school[k] = uniform(&rng, 0, 2);
        }
        for (k = ENUM_N - 1; k > 0; k--) {
            int j = uniform(&rng, 0, k), tmp = c.score[k];
            c.score[k] = c.score[j];
            c.score[j] = tmp;
        }
        for (k = 0; k < ENUM_N; k++)
            used += (size_t)snprintf(cand + used, sizeof cand - used,
                                     "<candidate id='C%d' gender='%s' region='R%d' school='S%d'>"
                                     "<score criterion='w' value='%d'/></candidate>", k,
                                     genders[c.gender[k]], c.region[k], c.school[k], c.score[k]);
        snprintf(cand + used, sizeof cand - used, "</candidates>");
        ru += (size_t)snprintf(rubric, sizeof rubric, "<rubric><criterion id='w' max='100' "
                               "weight='100'/><role name='lead' min-percentile='%d'/><role "
                               "name='member' min-percentile='%d'/>",
                               uniform(&rng, 0, 1) ? 60 : 80, uniform(&rng, 0, 1) ? 20 : 40);
        c.n_quotas = uniform(&rng, 1, 3);
        for (q = 0; q < c.n_quotas; q++) {
            const char *role = "";
            c.kind[q] = uniform(&rng, 0, 3);
            c.role[q] = uniform(&rng, -1, 1);
            c.group[q] = uniform(&rng, 0, 2);
            c.count[q] = uniform(&rng, c.kind[q] == 3 ? 1 : 0, c.kind[q] == 0 ? 4 : 2);
            role = c.role[q] < 0 ? "" : c.role[q] == 0 ? " role='lead'" : " role='member'";
            if (c.kind[q] == 0)
                ru += (size_t)snprintf(rubric + ru, sizeof rubric - ru,
                                       "<quota%s women-at-least='%g'/>", role, c.count[q] / 4.0);
            else if (c.kind[q] == 3)
                ru += (size_t)snprintf(rubric + ru, sizeof rubric - ru,
                                       "<quota%s per-school-at-most='%d'/>", role, c.count[q]);
            else
                ru += (size_t)snprintf(rubric + ru, sizeof rubric - ru,
                                       "<quota%s region='R%d' %s='%d'/>", role, c.group[q],
                                       c.kind[q] == 1 ? "at-least" : "at-most", c.count[q]);
        }
        snprintf(rubric + ru, sizeof rubric - ru, "</rubric>");
        r = rank_texts(cand, rubric, &set, &rub, &err);
        if (!r)
            fail_msg("case %d: %s", t, err.message);
        c.seats[0] = r->seats[0];
        c.seats[1] = r->seats[1];
        enum_best(&c, r->order, -1, best);
        for (k = 0; k < ENUM_N; k++)
            if (r->items[k].role != best[k])
                fail_msg("case %d: C%d holds role %d, enumeration %d\n%s\n%s", t, k,
                         r->items[k].role, best[k], cand, rubric);
        for (q = 0; q < c.n_quotas; q++) {
            enum_best(&c, r->order, q, best);
            for (k = 0; k < ENUM_N; k++)
                if (r->effects[q].without[k] != best[k])
                    fail_msg("case %d, without quota %d: C%d role %d, enumeration %d\n%s\n%s", t,
                             q, k, r->effects[q].without[k], best[k], cand, rubric);
        }
        free_ranked(r, rub, set);
    }
}

/* ------------------------------------------------ conflicts of interest */

/* R1 works at S1, the school of nominees A and B: R1's scores of them are
 * excluded; R2 recused from C; B keeps R2's score; C has R1's only. */
static void test_recusal_and_same_school(void **state)
{
    static const char *cands =
        "<candidates><rater id='R1' school='S1'/><rater id='R2' school='S9'/>"
        "<recuse rater='R2' nominee='C' reason='C is R2&apos;s cousin'/>"
        "<candidate id='A' school='S1'><score criterion='i' rater='R1' value='20'/>"
        "<score criterion='i' rater='R2' value='10'/></candidate>"
        "<candidate id='B' school='S1'><score criterion='i' rater='R1' value='18'/>"
        "<score criterion='i' rater='R2' value='12'/></candidate>"
        "<candidate id='C' school='S2'><score criterion='i' rater='R1' value='14'/>"
        "<score criterion='i' rater='R2' value='20'/></candidate>"
        "<candidate id='D' school='S3'><score criterion='i' rater='R1' value='16'/>"
        "<score criterion='i' rater='R2' value='12'/></candidate>"
        "</candidates>";
    static const char *rubric = "<rubric><criterion id='i' max='20' weight='20'/>"
                                "<role name='lead' min-percentile='50'/></rubric>";
    cp_candidate_set *set;
    cp_rubric *rub;
    cp_error err;
    cp_ranking *r = rank_texts(cands, rubric, &set, &rub, &err);
    (void)state;
    assert_non_null(r);
    assert_float_equal(r->items[0].combined[0], 10.0, 1e-12); /* A: R2's 10 only */
    assert_int_equal(r->items[0].score_use[0], CP_SCORE_SAME_SCHOOL);
    assert_true(has_note(r->items[0].flags, r->items[0].n_flags, "i score 20 by R1 excluded: "
                         "the rater works at the nominee's school S1"));
    assert_float_equal(r->items[2].combined[0], 14.0, 1e-12); /* C: R1's 14 only */
    assert_int_equal(r->items[2].score_use[1], CP_SCORE_RECUSED);
    assert_true(has_note(r->items[2].flags, r->items[2].n_flags, "i score 20 by R2 excluded: "
                         "the rater recused"));
    assert_float_equal(r->items[3].combined[0], 14.0, 1e-12); /* D: both, mean 14 */
    /* only D has two usable scores; R1 excluded twice, R2 once */
    assert_int_equal(r->n_reliability, 1);
    assert_int_equal(r->reliability[0].units, 1);
    assert_int_equal(r->n_offsets, 2);
    assert_int_equal(r->offsets[0].excluded, 2);
    assert_int_equal(r->offsets[1].excluded, 1);
    assert_float_equal(r->offsets[0].mean_offset, 4.0, 1e-12); /* D: 16 - 12 */
    free_ranked(r, rub, set);
    /* a rater named by a score but not declared is an error with its line */
    expect_read_error("<candidates><rater id='R1'/>\n<candidate id='A'>\n"
                      "<score criterion='i' rater='R7' value='1'/></candidate></candidates>",
                      "c.xml:3: <score> rater=\"R7\": not a declared <rater>");
    expect_read_error("<candidates><candidate id='A'/>\n<recuse rater='R1' nominee='Z'/>"
                      "</candidates>", "c.xml:2: <recuse> nominee=\"Z\": no candidate has this id");
}

/* --------------------------------------------------- Krippendorff's alpha */

/* Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), the
 * example of 4 observers and 12 units with missing values: nominal alpha
 * 0.743, interval alpha 0.849 (also in Hayes and Krippendorff 2007). */
static const double kripp[4][12] = {
    {1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN},
    {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3},
    {NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN},
    {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN}};

static void test_krippendorff_published_example(void **state)
{
    double value[48];
    int unit[48], n = 0, o, u;
    char cand[8192];
    size_t used = 0;
    cp_candidate_set *set;
    cp_rubric *rub;
    cp_error err;
    cp_ranking *r;
    (void)state;
    for (o = 0; o < 4; o++)
        for (u = 0; u < 12; u++)
            if (!isnan(kripp[o][u])) {
                value[n] = kripp[o][u];
                unit[n++] = u;
            }
    assert_float_equal(cp_krippendorff_alpha(value, unit, n, 0), 0.743, 0.0005);
    assert_float_equal(cp_krippendorff_alpha(value, unit, n, 1), 0.849, 0.0005);
    /* the same data as 12 nominees scored by raters A-D: the ranking's
     * reliability of that criterion is the published interval alpha */
    used += (size_t)snprintf(cand, sizeof cand, "<candidates>");
    for (u = 0; u < 12; u++) {
        used += (size_t)snprintf(cand + used, sizeof cand - used, "<candidate id='U%02d'>", u);
        for (o = 0; o < 4; o++)
            if (!isnan(kripp[o][u]))
                used += (size_t)snprintf(cand + used, sizeof cand - used,
                                         "<score criterion='c' rater='%c' value='%g'/>", 'A' + o,
                                         kripp[o][u]);
        used += (size_t)snprintf(cand + used, sizeof cand - used, "</candidate>");
    }
    snprintf(cand + used, sizeof cand - used, "</candidates>");
    r = rank_texts(cand, "<rubric><criterion id='c' max='5' weight='5'/></rubric>", &set, &rub,
                   &err);
    assert_non_null(r);
    assert_int_equal(r->n_reliability, 1);
    assert_float_equal(r->reliability[0].alpha, 0.849, 1e-12); /* rounded to 3 decimals */
    assert_int_equal(r->reliability[0].units, 11); /* unit 12 has one value */
    assert_int_equal(r->reliability[0].values, 40);
    free_ranked(r, rub, set);
}

/* ------------------------------------------------ withdrawals, reserve */

/* Eight ranked, "lead" = top 25 % = 2 seats (A, B).  When A withdraws it
 * keeps rank 1, the seat count stays 2, and the seat goes to C, first on
 * the reserve list; the reserve list then starts at D. */
static void test_withdrawal_frees_the_seat(void **state)
{
    const char *rest = strstr(eight, "<candidate id='A' ") + strlen("<candidate id='A' ");
    char *withdrawn = malloc(strlen(eight) + 32);
    cp_candidate_set *set;
    cp_rubric *rub;
    cp_error err;
    cp_ranking *r = rank_texts(eight, rubric_with(""), &set, &rub, &err);
    (void)state;
    assert_non_null(r);
    assert_int_equal(r->n_reserve[0], 2);
    assert_string_equal(set->items[r->reserve[0][0]].id, "C");
    assert_string_equal(set->items[r->reserve[0][1]].id, "D");
    free_ranked(r, rub, set);
    strcpy(withdrawn, "<candidates><candidate id='A' withdrawn='true' ");
    strcat(withdrawn, rest);
    r = rank_texts(withdrawn, rubric_with(""), &set, &rub, &err);
    assert_non_null(r);
    assert_int_equal(r->items[0].rank, 1);
    assert_int_equal(r->items[0].role, -1);
    assert_int_equal(r->seats[0], 2);
    assert_int_equal(r->withdrawn, 1);
    assert_true(holds(r, set, "B") && holds(r, set, "C") && !holds(r, set, "D"));
    assert_string_equal(set->items[r->reserve[0][0]].id, "D");
    free_ranked(r, rub, set);
    /* with a quota the MILP fills the seat: at least one woman still holds */
    r = rank_texts(withdrawn, rubric_with("<quota role='lead' women-at-least='0.5'/>"), &set,
                   &rub, &err);
    assert_non_null(r);
    assert_true(holds(r, set, "B") && holds(r, set, "C") && !holds(r, set, "A"));
    free_ranked(r, rub, set);
    free(withdrawn);
}

/* ------------------------------------------------------------------ verify */

static cp_publication *published(const ranked_files *f, int csv)
{
    cp_error err;
    cp_publication *tree = cp_ranking_publish(f->r, 0, &err), *rows;
    assert_non_null(tree);
    if (!csv)
        return tree;
    rows = cp_publication_rows(tree, &err);
    assert_non_null(rows);
    cp_publication_free(tree);
    return rows;
}

/* Written, read back and verified, XML and CSV; a tampered figure is found
 * and named; the list digest survives re-indenting and reordering the
 * attributes (content, not bytes). */
static void test_verify_round_trip(void **state)
{
    ranked_files f;
    char path[] = "/tmp/cp-rank-XXXXXX.xml", csv[] = "/tmp/cp-rank-XXXXXX.csv", digest[65];
    const char *paths[2] = {path, csv};
    cp_publication *pub;
    cp_warnings diff = {0, 0, NULL};
    cp_error err;
    FILE *io;
    char *text;
    size_t len = 0;
    (void)state;
    close(mkstemps(path, 4));
    close(mkstemps(csv, 4));
    rank_files(&f, CANDIDATES, RUBRIC_QUOTAS);
    assert_int_equal(cp_write_rankings(paths, 2, f.r, 0, &err), CP_OK);
    pub = cp_read_publication(path, &err);
    assert_non_null(pub);
    assert_int_equal(cp_ranking_verify(pub, f.r, &diff), 0);
    assert_int_equal(cp_publication_digest(pub, digest, &err), CP_OK);
    assert_string_equal(digest, cp_pub_get(pub, 0, "list-sha256"));
    cp_publication_free(pub);
    pub = cp_read_publication(csv, &err);
    assert_non_null(pub);
    assert_true(pub->csv);
    assert_int_equal(cp_ranking_verify(pub, f.r, &diff), 0);
    cp_publication_free(pub);
    /* tamper with one total: exactly that difference is found, by name */
    text = slurp(path, &len);
    assert_non_null(strstr(text, "total=\"88.1\""));
    memcpy(strstr(text, "total=\"88.1\""), "total=\"98.1\"", 12);
    io = fopen(path, "wb");
    fwrite(text, 1, len, io);
    fclose(io);
    free(text);
    pub = cp_read_publication(path, &err);
    assert_non_null(pub);
    assert_int_equal(cp_ranking_verify(pub, f.r, &diff), 1);
    assert_string_equal(diff.items[0], "candidate Y29: total: published \"98.1\", "
                                       "recomputed \"88.1\"");
    assert_int_equal(cp_publication_digest(pub, digest, &err), CP_OK);
    assert_string_not_equal(digest, cp_pub_get(pub, 0, "list-sha256"));
    cp_publication_free(pub);
    cp_warnings_free(&diff);
    /* the same content written differently has the same digest */
    {
        const char *one = "<ranking b='2'  a='1'>\n\n  <candidate id='X' total='1'/></ranking>";
        const char *two = "<?xml version='1.0'?><ranking a=\"1\" b=\"2\"><candidate total=\"1\" "
                          "id=\"X\"/></ranking>";
        cp_publication *other = cp_read_publication_memory(two, strlen(two), "b.xml", &err);
        char d2[65];
        pub = cp_read_publication_memory(one, strlen(one), "a.xml", &err);
        assert_non_null(pub);
        assert_non_null(other);
        assert_int_equal(cp_publication_digest(pub, digest, &err), CP_OK);
        assert_int_equal(cp_publication_digest(other, d2, &err), CP_OK);
        assert_string_equal(digest, d2);
        cp_publication_free(other);
    }
    cp_publication_free(pub);
    unlink(path);
    unlink(csv);
    free_files(&f);
}

/* Cells a spreadsheet would run are neutralised; numbers stay numbers. */
static void test_csv_neutralised(void **state)
{
    static const char *cands =
        "<candidates>"
        "<candidate id='=HYPERLINK(\"http://x\",\"y\")' name='+1+cmd|&apos; /C calc&apos;!A0'>"
        "<score criterion='w' value='5'/><attribute name='bonus' value='-2'/></candidate>"
        "<candidate id='B' name='@SUM(1)'><score criterion='w' value='4'/>"
        "<attribute name='bonus' value='1'/></candidate>"
        "<candidate id='C' name='&#9;tab'><score criterion='w' value='3'/>"
        "<attribute name='bonus' value='0'/></candidate></candidates>";
    static const char *rubric = "<rubric><criterion id='w' max='10' weight='10'/>"
                                "<points attribute='bonus' per-unit='1'/></rubric>";
    cp_candidate_set *set;
    cp_rubric *rub;
    cp_error err;
    cp_ranking *r = rank_texts(cands, rubric, &set, &rub, &err);
    ranked_files f;
    cp_publication *rows;
    (void)state;
    assert_non_null(r);
    f.set = set;
    f.rub = rub;
    f.r = r;
    rows = published(&f, 1);
    /* rows in rank order: B (4 + 1), then A and C tie at 3: '=' sorts first */
    assert_string_equal(cp_pub_get(rows, 1, "name"), "'@SUM(1)");
    assert_string_equal(cp_pub_get(rows, 2, "id"), "'=HYPERLINK(\"http://x\",\"y\")");
    assert_string_equal(cp_pub_get(rows, 2, "name"), "'+1+cmd|' /C calc'!A0");
    assert_string_equal(cp_pub_get(rows, 2, "bonus value"), "-2"); /* a number */
    assert_string_equal(cp_pub_get(rows, 2, "bonus points"), "-2");
    assert_string_equal(cp_pub_get(rows, 3, "name"), "'\ttab");
    cp_publication_free(rows);
    free_files(&f);
}

/* --------------------------------------------------------------- diff */

static void test_diff_explains_moves(void **state)
{
    ranked_files f;
    cp_candidate_set *set2;
    cp_error err;
    cp_ranking *r2;
    cp_publication *before, *after;
    cp_warnings lines = {0, 0, NULL};
    char *text;
    size_t len = 0;
    (void)state;
    rank_files(&f, CANDIDATES, RUBRIC);
    before = published(&f, 0);
    /* Y20 (rank 2, master trainer) withdraws; Y33's written score 85 -> 70 */
    text = slurp(CANDIDATES, &len);
    assert_non_null(strstr(text, "<candidate id=\"Y20\""));
    {
        char *fixed = malloc(len + 64), *at = strstr(text, "<candidate id=\"Y20\"") + 11;
        char *y33 = strstr(text, "<candidate id=\"Y33\""), *w;
        size_t head = (size_t)(at - text);
        w = strstr(y33, "criterion=\"written\" value=\"85\"");
        assert_non_null(w);
        memcpy(w + strlen("criterion=\"written\" value=\""), "70", 2);
        memcpy(fixed, text, head);
        strcpy(fixed + head, "withdrawn=\"true\" ");
        strcat(fixed, at);
        set2 = cp_read_candidates_memory(fixed, strlen(fixed), "c2.xml", &err);
        free(fixed);
    }
    free(text);
    assert_non_null(set2);
    r2 = cp_rank(set2, f.rub, &err);
    assert_non_null(r2);
    {
        ranked_files g = {set2, f.rub, r2};
        after = published(&g, 0);
    }
    assert_true(cp_publication_diff(before, after, &lines) > 0);
    if (getenv("CP_TEST_SHOW_DIFF")) {
        int k;
        for (k = 0; k < lines.count; k++)
            printf("%s\n", lines.items[k]);
    }
    assert_true(has_note(lines.items, lines.count, "Y20 Walid: withdrew, role master-trainer -> none"));
    assert_true(has_note(lines.items, lines.count, "Y33 Anwar: rank 4 -> "));
    assert_true(has_note(lines.items, lines.count, "own changes: written score 85 -> 70"));
    /* Y08 moved up past Y33 without a change of its own */
    assert_true(has_note(lines.items, lines.count, "no change of its own; moved by: Y33"));
    assert_true(has_note(lines.items, lines.count, "candidates file changed"));
    /* Y37 takes the freed master seat; Y11 (rank 15) was first in line for
     * the teacher seat it frees */
    assert_true(has_note(lines.items, lines.count, "Y11 Abdullah: rank 15 -> 14, role none -> "
                                                   "teacher-trainer; no change of its own; "
                                                   "moved by: Y20 (withdrew), Y33"));
    cp_warnings_free(&lines);
    assert_int_equal(cp_publication_diff(before, before, &lines), 0);
    cp_warnings_free(&lines);
    cp_publication_free(before);
    cp_publication_free(after);
    cp_ranking_free(r2);
    cp_candidate_set_free(set2);
    free_files(&f);
}

/* --------------------------------------------------------------- bad input */

static void expect_error(const char *candidates, const char *rubric, const char *needle)
{
    cp_candidate_set *set = NULL;
    cp_rubric *rub = NULL;
    cp_error err;
    cp_ranking *r;
    cp_error_clear(&err);
    r = rank_texts(candidates, rubric, &set, &rub, &err);
    assert_null(r);
    assert_int_equal(err.code, CP_EINPUT);
    if (!strstr(err.message, needle))
        fail_msg("'%s' not in '%s'", needle, err.message);
    cp_rubric_free(rub);
    cp_candidate_set_free(set);
}

static void test_bad_input(void **state)
{
    const char *ok_rubric = "<rubric><criterion id='w' max='100' weight='1'/></rubric>";
    (void)state;
    expect_error("<candidates>\n<candidate id='A'>\n<score criterion='w' value='120'/>"
                 "</candidate></candidates>", ok_rubric,
                 "c.xml:3: <score> value=\"120\": above the maximum 100");
    expect_error("<candidates>\n<candidate id='A'>\n<score criterion='oral' value='12'/>"
                 "</candidate></candidates>", ok_rubric,
                 "c.xml:3: <score> criterion=\"oral\": not a criterion");
    expect_error("<candidates>\n<candidate id='A' gender='x'/></candidates>", ok_rubric,
                 "c.xml:2: does not follow candidates.xsd");
    expect_error("<candidates><candidate id='A'/>\n<candidate id='A'/></candidates>", ok_rubric,
                 "c.xml:2: <candidate> id=\"A\": duplicate candidate id (first on line 1)");
    expect_error("<candidates><candidate id='A'><score criterion='w' value='1' rater='R'/>\n"
                 "<score criterion='w' value='2' rater='R'/></candidate></candidates>", ok_rubric,
                 "scored twice by rater R");
    expect_error("<candidates/>", "<rubric><criterion id='w' max='100' weight='1'/>\n"
                 "<require attribute='education' at-least='phd'/></rubric>",
                 "r.xml:2: <require> at-least=\"phd\": not a level of education");
    expect_error("<candidates/>", "<rubric><criterion id='w' max='100' weight='1'/>\n"
                 "<quota role='chief' women-at-least='0.5'/></rubric>",
                 "r.xml:2: <quota> role=\"chief\": no such role");
    expect_error("<candidates/>", "<rubric><criterion id='w' max='0' weight='1'/></rubric>",
                 "max=\"0\": must be above 0");
}

/* A typo in the rubric or a value outside a points table changes the
 * ranking silently unless it is an error naming the line. */
static void test_unknown_names(void **state)
{
    const char *cand = "<candidates>\n<candidate id='A' education='phd' experience-years='3'>"
                       "<score criterion='w' value='5'/></candidate></candidates>";
    const char *ok = "<candidates>\n<candidate id='A' education='master' experience-years='3'>"
                     "<score criterion='w' value='5'/></candidate></candidates>";
    (void)state;
    expect_error(ok, "<rubric><criterion id='w' max='10' weight='1'/>\n"
                 "<tie-break order='demonstraton w'/></rubric>",
                 "r.xml:2: <tie-break> order=\"demonstraton\": not a criterion");
    expect_error(ok, "<rubric><criterion id='w' max='10' weight='1'/>\n"
                 "<require attribute='experiance-years' min='2'/></rubric>",
                 "r.xml:2: <require> attribute=\"experiance-years\": no nominee has this attribute");
    expect_error(cand, "<rubric><criterion id='w' max='10' weight='1'/>\n<points attribute="
                 "'education'><value is='bachelor' points='1'/><value is='master' points='2'/>"
                 "</points></rubric>",
                 "c.xml:2: <candidate> education=\"phd\": not a level of the rubric's education "
                 "table (r.xml line 2");
    expect_error(ok, "<rubric><criterion id='w' max='10' weight='1'/>\n<private fields='gender "
                 "shoe-size'/></rubric>", "\"shoe-size\" is not a field a public version can "
                 "leave out");
    /* quotas may come before the roles they name (elements in any order) */
    {
        cp_candidate_set *set;
        cp_rubric *rub;
        cp_error err;
        cp_ranking *r = rank_texts(ok, "<rubric><quota role='lead' women-at-least='0.5'/>"
                                   "<criterion id='w' max='10' weight='1'/>"
                                   "<role name='lead' min-percentile='0'/></rubric>",
                                   &set, &rub, &err);
        assert_non_null(r);
        assert_int_equal(rub->quotas[0].role, 0);
        free_ranked(r, rub, set);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_worked_totals),
        cmocka_unit_test(test_printed_figures_add_up),
        cmocka_unit_test(test_worked_ranks_and_roles),
        cmocka_unit_test(test_worked_ties),
        cmocka_unit_test(test_worked_exclusions),
        cmocka_unit_test(test_missing_counts_zero),
        cmocka_unit_test(test_quota_binds),
        cmocka_unit_test(test_quota_cannot_be_met),
        cmocka_unit_test(test_quota_school_and_region_max),
        cmocka_unit_test(test_quotas_outnumber_candidates),
        cmocka_unit_test(test_worked_quotas),
        cmocka_unit_test(test_small_n_seats),
        cmocka_unit_test(test_negative_quota_cost),
        cmocka_unit_test(test_quotas_against_enumeration),
        cmocka_unit_test(test_recusal_and_same_school),
        cmocka_unit_test(test_krippendorff_published_example),
        cmocka_unit_test(test_withdrawal_frees_the_seat),
        cmocka_unit_test(test_verify_round_trip),
        cmocka_unit_test(test_csv_neutralised),
        cmocka_unit_test(test_diff_explains_moves),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_unknown_names)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
