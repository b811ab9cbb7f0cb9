/*
 * rubric_text.c — the rubric's rules in words, one function per kind of
 * rule, so the exclusion reasons, the publication's rubric section and the
 * quota section quote a rule the same way everywhere ("experience-years at
 * least 2.5 (women)", "women at least 40 % of teacher-trainer"), and the
 * rounding every published figure goes through.
 */
#include "facilitators.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double cp_round_decimals(double v, int decimals)
{
    static const double scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
    double x;
    if (isnan(v) || isinf(v) || decimals < 0 || decimals > 6)
        return v;
    /* v * 10^d is a decimal computed in binary: 2.675 * 100 is
     * 267.49999999999997.  Snapping to 6 more places first makes it 267.5,
     * which rounds to 268 as a person rounds 2.675. */
    x = v * scale[decimals];
    x = round(x * 1e6) / 1e6;
    return round(x) / scale[decimals];
}

void cp_format_decimals(char *buf, size_t n, double v, int decimals)
{
    char *end;
    snprintf(buf, n, "%.*f", decimals, v);
    if (strchr(buf, '.')) { /* "88.10" -> "88.1", "20.00" -> "20" */
        end = buf + strlen(buf) - 1;
        while (*end == '0')
            *end-- = '\0';
        if (*end == '.')
            *end = '\0';
    }
    if (!strcmp(buf, "-0"))
        snprintf(buf, n, "0");
}

double cp_sum_decimals(const double *a, int na, const double *b, int nb, int decimals)
{
    double scale = pow(10.0, decimals);
    long long units = 0;
    int k;
    /* in whole units of the last decimal: the sum of rounded figures is
     * exact, so 1.88 + 1.88 + 1.87 is 5.63 whatever the order */
    for (k = 0; k < na; k++)
        units += llround(a[k] * scale);
    for (k = 0; k < nb; k++)
        units += llround(b[k] * scale);
    return (double)units / scale;
}

static const char *gender_group(cp_gender g)
{
    return g == CP_GENDER_FEMALE ? "women" : g == CP_GENDER_MALE ? "men" : "other genders";
}

void cp_requirement_text(const cp_requirement *q, char *buf, size_t n)
{
    char min[40], who[40] = "";
    size_t used;
    int k;
    cp_format_double(min, sizeof min, q->min);
    if (q->gender != CP_GENDER_UNSPECIFIED)
        snprintf(who, sizeof who, " (%s)", gender_group(q->gender));
    switch (q->kind) {
    case CP_REQ_AT_LEAST:
        snprintf(buf, n, "%s at least %s%s", q->attribute, q->level, who);
        return;
    case CP_REQ_TOTAL:
        snprintf(buf, n, "total at least %s%s", min, who);
        return;
    case CP_REQ_MIN:
        snprintf(buf, n, "%s%s at least %s%s", q->attribute ? q->attribute : q->criterion,
                 q->attribute ? "" : " score", min, who);
        return;
    case CP_REQ_ONE_OF:
        used = (size_t)snprintf(buf, n, "%s one of", q->attribute);
        for (k = 0; k < q->n_values && used < n; k++)
            used += (size_t)snprintf(buf + used, n - used, " %s", q->values[k]);
        if (used < n)
            snprintf(buf + used, n - used, "%s", who);
        return;
    }
}

const char *cp_quota_kind_name(cp_quota_kind k)
{
    static const char *const names[] = {"women-at-least", "region-at-least", "region-at-most",
                                        "per-school-at-most"};
    return (unsigned)k < 4 ? names[k] : "?";
}

void cp_quota_text(const cp_rubric *rub, const cp_quota *q, char *buf, size_t n)
{
    const char *among = q->role >= 0 ? rub->roles[q->role].name : "all role holders together";
    char share[40];
    cp_format_double(share, sizeof share, q->share * 100.0);
    switch (q->kind) {
    case CP_QUOTA_WOMEN_SHARE:
        snprintf(buf, n, "women at least %s %% of %s", share, among);
        return;
    case CP_QUOTA_REGION_MIN:
        snprintf(buf, n, "at least %d from %s among %s", q->count, q->region, among);
        return;
    case CP_QUOTA_REGION_MAX:
        snprintf(buf, n, "at most %d from %s among %s", q->count, q->region, among);
        return;
    case CP_QUOTA_SCHOOL_MAX:
        snprintf(buf, n, "at most %d from any one school among %s", q->count, among);
        return;
    }
}
