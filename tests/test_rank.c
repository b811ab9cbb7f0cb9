/*
 * test_rank.c — facilitator selection: SHA-256 against the FIPS 180-4
 * vectors; the worked example in instances/ (yemen-*.xml) against totals,
 * ranks, roles and exclusions computed by hand below; ties, missing
 * scores, several raters, gender-specific requirements; quotas that bind
 * and quotas that cannot be met, on small rubrics whose answers follow by
 * hand; --verify on a faithful and a tampered ranking; bad input.
 */
#include "testutil.h"
#include "solver/facilitators/facilitators.h"

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
 * doctorate 10, experience 0.5 a year up to 5. */
static void test_worked_totals(void **state)
{
    ranked_files f;
    (void)state;
    rank_files(&f, CANDIDATES, RUBRIC);
    /* Y29: written 89, interview 18/19/17 -> 18, demonstration 24 (middle of three) */
    assert_float_equal(item(&f, "Y29")->total, 40 * 89 / 100.0 + 25 * 18 / 20.0 + 25 * 24 / 30.0 + 7 + 3, 1e-9);
    /* Y20: interview 15/12/18 -> 15; demonstration 24/25/25 -> 25; 15 years cap at 5 points */
    assert_float_equal(item(&f, "Y20")->total, 36.4 + 18.75 + 25 * 25 / 30.0 + 7 + 5, 1e-9);
    /* Y35: two demonstration raters (18, 24): too few to trim, the median 21 */
    assert_float_equal(item(&f, "Y35")->combined[2], 21.0, 1e-12);
    assert_float_equal(item(&f, "Y35")->total, 24 + 20 + 17.5 + 10 + 4, 1e-9);
    /* Y36: four raters 10/20/25/29: drop one at each end, mean of 20 and 25 */
    assert_float_equal(item(&f, "Y36")->combined[2], 22.5, 1e-12);
    assert_float_equal(item(&f, "Y36")->total, 25.2 + 15 + 18.75 + 4 + 2.5, 1e-9);
    /* Y13: a woman with a diploma meets the lowered standard: 0 points, ranked */
    assert_float_equal(item(&f, "Y13")->total, 34 + 13.75 + 25 * 25 / 30.0 + 0 + 3, 1e-9);
    assert_int_equal(item(&f, "Y13")->rank, 21);
    /* Y16: a woman with 3 years meets the 2.5-year minimum */
    assert_float_equal(item(&f, "Y16")->total, 24 + 20 + 25 * 23 / 30.0 + 0 + 1.5, 1e-9);
    assert_int_equal(item(&f, "Y16")->rank, 28);
    free_files(&f);
}

static void test_worked_ranks_and_roles(void **state)
{
    ranked_files f;
    (void)state;
    rank_files(&f, CANDIDATES, RUBRIC);
    assert_int_equal(f.r->ranked, 28);
    /* 28 ranked: master trainers need 100 (28 - r) / 28 >= 90, so r <= 2;
     * teacher trainers >= 50, so r <= 14 */
    assert_int_equal(f.r->seats[0], 2);
    assert_int_equal(f.r->seats[1], 12);
    assert_int_equal(item(&f, "Y29")->rank, 1);
    assert_int_equal(item(&f, "Y20")->rank, 2);
    assert_string_equal(role_of(&f, "Y20"), "master-trainer");
    assert_string_equal(role_of(&f, "Y17"), "teacher-trainer");
    assert_float_equal(item(&f, "Y17")->percentile, 100.0 * 25 / 28, 1e-9);
    assert_int_equal(item(&f, "Y31")->rank, 14);
    assert_float_equal(item(&f, "Y31")->percentile, 50.0, 1e-12);
    assert_string_equal(role_of(&f, "Y31"), "teacher-trainer");
    assert_string_equal(role_of(&f, "Y11"), "none"); /* rank 15 */
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
    it = item(&f, "Y12"); /* a man with a diploma */
    assert_int_equal(it->n_reasons, 1);
    assert_true(has_note(it->reasons, it->n_reasons, "education diploma is below bachelor"));
    it = item(&f, "Y19"); /* every failed requirement is listed */
    assert_int_equal(it->n_reasons, 3);
    assert_true(has_note(it->reasons, it->n_reasons, "experience-years 2 is below the minimum 5"));
    assert_true(has_note(it->reasons, it->n_reasons, "written 48 is below the minimum 50"));
    it = item(&f, "Y22");
    assert_true(has_note(it->reasons, it->n_reasons, "region Sanaa is not a targeted region"));
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

static char *rubric_with(const char *extra)
{
    static char buf[2048];
    snprintf(buf, sizeof buf, "<rubric><criterion id='w' max='100' weight='100' missing='zero'/>"
             "<role name='lead' min-percentile='75'/>%s</rubric>", extra);
    return buf;
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
    cp_ranking_free(r);
    cp_rubric_free(rub);
    cp_candidate_set_free(set);
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
    cp_ranking_free(r);
    cp_rubric_free(rub);
    cp_candidate_set_free(set);
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
    cp_ranking_free(r);
    cp_rubric_free(rub);
    cp_candidate_set_free(set);
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
    cp_ranking_free(r);
    cp_rubric_free(rub);
    cp_candidate_set_free(set);
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
    assert_int_equal(r->items[0].role, 1); /* percentile 0: member */
    assert_int_equal(r->effects[1].needed, 2);
    assert_int_equal(r->effects[1].achieved, 0);
    cp_ranking_free(r);
    cp_rubric_free(rub);
    cp_candidate_set_free(set);
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
    assert_int_equal(masters, 2);
    assert_int_equal(women, 1); /* ceil(0.5 x 2) */
    /* Y30 and Y31 share a school: at most one of them holds a role */
    assert_true((item(&f, "Y30")->role >= 0) + (item(&f, "Y31")->role >= 0) <= 1);
    for (k = 0; k < f.rub->n_quotas; k++)
        assert_true(f.r->effects[k].achieved >= f.r->effects[k].needed);
    free_files(&f);
}

/* ------------------------------------------------------------------ verify */

static void test_verify_round_trip(void **state)
{
    ranked_files f;
    char path[] = "/tmp/cp-rank-XXXXXX";
    cp_published_ranking *pub;
    cp_warnings diff = {0, 0, NULL};
    cp_error err;
    int fd = mkstemp(path);
    FILE *io;
    char *text;
    size_t len = 0;
    (void)state;
    close(fd);
    rank_files(&f, CANDIDATES, RUBRIC_QUOTAS);
    assert_int_equal(cp_write_ranking(path, f.r, &err), CP_OK);
    pub = cp_read_ranking(path, &err);
    assert_non_null(pub);
    assert_int_equal(cp_ranking_verify(pub, f.r, &diff), 0);
    cp_published_ranking_free(pub);
    /* tamper with one total: exactly that difference is found */
    text = slurp(path, &len);
    assert_non_null(strstr(text, "total=\"88.1\""));
    memcpy(strstr(text, "total=\"88.1\""), "total=\"98.1\"", 12);
    io = fopen(path, "wb");
    fwrite(text, 1, len, io);
    fclose(io);
    free(text);
    pub = cp_read_ranking(path, &err);
    assert_non_null(pub);
    assert_int_equal(cp_ranking_verify(pub, f.r, &diff), 1);
    assert_non_null(strstr(diff.items[0], "Y29: published total 98.1"));
    cp_published_ranking_free(pub);
    cp_warnings_free(&diff);
    unlink(path);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_worked_totals),
        cmocka_unit_test(test_worked_ranks_and_roles),
        cmocka_unit_test(test_worked_ties),
        cmocka_unit_test(test_worked_exclusions),
        cmocka_unit_test(test_missing_counts_zero),
        cmocka_unit_test(test_quota_binds),
        cmocka_unit_test(test_quota_cannot_be_met),
        cmocka_unit_test(test_quota_school_and_region_max),
        cmocka_unit_test(test_quotas_outnumber_candidates),
        cmocka_unit_test(test_worked_quotas),
        cmocka_unit_test(test_verify_round_trip),
        cmocka_unit_test(test_bad_input)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
