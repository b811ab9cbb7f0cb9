/*
 * write_ranking_html.c — the list a selection committee publishes and
 * signs, as one self-contained HTML page that prints on A4 (landscape: the
 * list is wide) and reads right to left when the rubric's language does:
 *   the decree and the result (each role, its seats and holders);
 *   the rubric: criteria, points tables, requirements (per gender),
 *   targeted regions, bands, quotas, tie-break order, the rounding rule;
 *   the ranked list: per nominee every rater's score, the combined score
 *   and its points per criterion, points for attributes, total, rank,
 *   percentile, band and role, notes below the row;
 *   excluded nominees with each rule they fail, quoted;
 *   quotas: needed, achieved, shortfall, whom each admitted and displaced,
 *   its cost per role with its sign;
 *   reserve lists; rater statistics and recusals;
 *   the digests, the program version, how to check; signatures.
 * The public version (rank --public) leaves out what the rubric marks
 * private.  Figures are printed to the rubric's decimals, as computed, so
 * the printed contributions and points add up to the printed total.
 */
#include "output.h"
#include "writers.h"
#include "solver/facilitators/facilitators.h"

#include <math.h>
#include <string.h>

typedef struct {
    FILE *f;
    const cp_ranking *r;
    const cp_rubric *rub;
    const cp_publication *tree;
    unsigned hide;           /* CP_PRIVATE_* left out */
    int d;                   /* decimals */
    int *has_raters;         /* per criterion: the list shows its raters' scores */
} page;

static void esc(const page *pg, const char *s)
{
    cp_out_escaped(pg->f, s ? s : "");
}

static void figure(const page *pg, double v)
{
    if (isnan(v))
        fputs("&ndash;", pg->f);
    else
        fprintf(pg->f, "%.*f", pg->d, v + 0.0); /* + 0.0: no "-0.00" */
}

/* "+5.00", "&minus;1.50" or "0.00", kept left to right in an RTL page. */
static void signed_figure(const page *pg, double v)
{
    double shown = fabs(v) < 0.5 * pow(10.0, -pg->d) ? 0.0 : v;
    fprintf(pg->f, "<span dir=\"ltr\">%s", shown > 0 ? "+" : shown < 0 ? "&minus;" : "");
    fprintf(pg->f, "%.*f</span>", pg->d, fabs(shown));
}

static const char *role_name(const page *pg, int role)
{
    return role >= 0 ? pg->rub->roles[role].name : NULL;
}

/* "Y05 Amal" (the name unless it is private), isolated for bidi. */
static void nominee(const page *pg, int c)
{
    const cp_candidate *cand = &pg->r->candidates->items[c];
    fprintf(pg->f, "<bdi>");
    esc(pg, cand->id);
    fprintf(pg->f, "</bdi>");
    if (!(pg->hide & CP_PRIVATE_NAME) && cand->name[0]) {
        fprintf(pg->f, " <bdi>");
        esc(pg, cand->name);
        fprintf(pg->f, "</bdi>");
    }
}

static const char *digest(const page *pg, const char *name)
{
    const char *v = cp_pub_get(pg->tree, 0, name);
    return v ? v : "";
}

/* ----------------------------------------------------------------- head */

static void head(const page *pg, int public_version)
{
    const cp_rubric *rub = pg->rub;
    const char *title = rub->name[0] ? rub->name : "Facilitator selection";
    fprintf(pg->f, "<!DOCTYPE html>\n<html lang=\"");
    esc(pg, rub->lang[0] ? rub->lang : "en");
    fprintf(pg->f, "\" dir=\"%s\"><head><meta charset=\"utf-8\">\n"
                   "<meta name=\"list-sha256\" content=\"%s\">\n<title>", rub->rtl ? "rtl" : "ltr",
            digest(pg, "list-sha256"));
    esc(pg, title);
    fprintf(pg->f, "%s</title>\n<style>\n"
        "@page{size:A4 landscape;margin:12mm}\n"
        "body{font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif;font-size:10pt;color:#111;"
        "max-width:1360px;margin:1.5em auto;padding:0 1em;line-height:1.35}\n"
        "h1{font-size:17pt;margin:.2em 0}h2{font-size:13pt;border-bottom:1px solid #888;"
        "margin-top:1.5em;break-after:avoid}h3{font-size:11pt;margin:1em 0 .3em;break-after:avoid}\n"
        "table{border-collapse:collapse;margin:.3em 0 .8em}th,td{border:1px solid #aaa;"
        "padding:2px 5px;vertical-align:top;text-align:start}th{background:#eee;font-weight:600}\n"
        "td.n,th.n{text-align:end;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
        "table.list{width:100%%;font-size:9pt}td.raters{font-size:8pt;color:#333;min-width:5em}\n"
        "tr.note td{border-top:none;font-size:8.5pt;color:#333;background:#f7f7f7}\n"
        "tr.withdrawn td{color:#777}td.role{font-weight:600}.v{color:#555}\n"
        "s.out{color:#a00}.decree{font-size:11pt;font-style:italic}.lead{max-width:60em}\n"
        ".digest{font-family:monospace;font-size:8.5pt;word-break:break-all}\n"
        "table.sign{width:100%%}table.sign td{height:2.4em}ol.reserve li{margin:.1em 0}\n"
        "@media print{body{margin:0;max-width:none;font-size:8.5pt;padding:0}"
        "table.list{font-size:7pt}table.list td,table.list th{padding:1px 3px}"
        "td.raters{font-size:6.5pt}"
        "tr{break-inside:avoid}thead{display:table-header-group}h2{margin-top:1em}"
        "#signatures{break-inside:avoid}}\n"
        /* in a right-to-left page each paragraph and cell takes the direction
         * of its own first letter, so the English words of the page read
         * left to right (with their punctuation) and the names right to left */
        "[dir=rtl] :is(p,li,h1,h2,h3,th,td){unicode-bidi:plaintext}\n"
        "</style></head>\n<body>\n<header>\n<h1>", public_version ? " (public version)" : "");
    esc(pg, title);
    fprintf(pg->f, "</h1>\n");
    if (rub->decree[0]) {
        fprintf(pg->f, "<p class=\"decree\">");
        esc(pg, rub->decree);
        fprintf(pg->f, "</p>\n");
    }
}

static void hidden_fields(const page *pg)
{
    int k, first = 1;
    if (!pg->hide)
        return;
    fprintf(pg->f, "<p class=\"lead\"><b>Public version.</b> The rubric keeps these fields "
                   "private, and this page leaves them out:");
    for (k = 0; cp_private_field_names[k]; k++)
        if (pg->hide & (1u << k)) {
            fprintf(pg->f, "%s %s", first ? "" : ",", cp_private_field_names[k]);
            first = 0;
        }
    fprintf(pg->f, ". Everything else is the committee's full list, whose digest is below.</p>\n");
}

/* The result first: each role, how many seats, who holds them. */
static void result(const page *pg)
{
    const cp_ranking *r = pg->r;
    int k, j;
    fprintf(pg->f, "<p class=\"lead\">%d nominees: %d meet every requirement and are ranked, "
                   "%d are excluded (each with the rule it fails, below)", r->n, r->ranked,
            r->n - r->ranked);
    if (r->withdrawn)
        fprintf(pg->f, "; %d withdrew after ranking and hold no role (their seats passed down "
                       "the reserve list)", r->withdrawn);
    fprintf(pg->f, ".%s", r->constrained
                   ? " The quotas decided who holds each role (see &ldquo;Quotas&rdquo;)." : "");
    for (k = j = 0; r->effects && k < pg->rub->n_quotas; k++)
        j += r->effects[k].achieved < r->effects[k].needed;
    if (j) /* an unmet quota is the committee's first question, not a row far below */
        fprintf(pg->f, " <strong>%d quota%s could not be met</strong> (the shortfall is in "
                       "&ldquo;Quotas&rdquo;).", j, j == 1 ? "" : "s");
    fprintf(pg->f, "</p>\n</header>\n");
    hidden_fields(pg);
    fprintf(pg->f, "<section id=\"result\"><h2>Result</h2>\n<table><thead><tr><th>Role</th>"
                   "<th class=\"n\">Seats</th><th>Holders, in rank order</th></tr></thead>"
                   "<tbody>\n");
    for (k = 0; k < pg->rub->n_roles; k++) {
        int first = 1;
        fprintf(pg->f, "<tr><td class=\"role\">");
        esc(pg, pg->rub->roles[k].name);
        fprintf(pg->f, "</td><td class=\"n\">%d</td><td>", r->seats[k]);
        for (j = 0; j < r->ranked; j++) {
            int c = r->order[j];
            if (r->items[c].role != k)
                continue;
            fprintf(pg->f, "%s%d.&nbsp;", first ? "" : ", ", r->items[c].rank);
            nominee(pg, c);
            first = 0;
        }
        fprintf(pg->f, "%s</td></tr>\n", first ? "none" : "");
    }
    fprintf(pg->f, "</tbody></table>\n</section>\n");
}

/* --------------------------------------------------------------- rubric */

static const char *combine_words(const cp_criterion *c, char *buf, size_t n)
{
    if (c->combine == CP_COMBINE_MEDIAN)
        return "median";
    if (c->combine == CP_COMBINE_TRIMMED_MEAN) {
        snprintf(buf, n, "mean after dropping the %d lowest and %d highest (the median with "
                 "fewer than %d scores)", c->trim, c->trim, 2 * c->trim + 1);
        return buf;
    }
    return "mean";
}

static void criteria_table(const page *pg)
{
    const cp_rubric *rub = pg->rub;
    char buf[160];
    int k;
    fprintf(pg->f, "<h3>Criteria</h3>\n<table id=\"criteria\"><thead><tr><th>Criterion</th>"
                   "<th class=\"n\">Scored out of</th><th class=\"n\">Points at full marks</th>"
                   "<th>Several raters&rsquo; scores combine by</th><th>No score</th>"
                   "<th>Flagged when raters differ by more than</th></tr></thead><tbody>\n");
    for (k = 0; k < rub->n_criteria; k++) {
        const cp_criterion *c = &rub->criteria[k];
        fprintf(pg->f, "<tr class=\"criterion\"><td>");
        esc(pg, c->id);
        fprintf(pg->f, "</td><td class=\"n\">%g</td><td class=\"n\">%g</td><td>%s</td><td>%s</td>"
                       "<td>", c->max, c->weight, combine_words(c, buf, sizeof buf),
                c->missing_excludes ? "excluded" : "counts 0");
        if (isnan(c->flag_spread))
            fprintf(pg->f, "&ndash;");
        else
            fprintf(pg->f, "%g", c->flag_spread);
        fprintf(pg->f, "</td></tr>\n");
    }
    fprintf(pg->f, "</tbody></table>\n<p>A criterion&rsquo;s points = points at full marks "
                   "&times; combined score &divide; the score it is out of.</p>\n");
}

static void points_rules(const page *pg)
{
    const cp_rubric *rub = pg->rub;
    int k, j;
    if (!rub->n_points)
        return;
    fprintf(pg->f, "<h3>Points for qualifications</h3>\n<ul id=\"points\">\n");
    for (k = 0; k < rub->n_points; k++) {
        const cp_points_rule *p = &rub->points[k];
        fprintf(pg->f, "<li><b>");
        esc(pg, p->attribute);
        fprintf(pg->f, "</b>: ");
        if (isnan(p->per_unit)) {
            for (j = 0; j < p->n_values; j++) {
                fprintf(pg->f, "%s", j ? " &middot; " : "");
                esc(pg, p->values[j]);
                fprintf(pg->f, " %g", p->points[j]);
            }
            fprintf(pg->f, " (levels from the lowest; rubric line %d)</li>\n", p->line);
        } else {
            fprintf(pg->f, "%g per unit", p->per_unit);
            if (!isinf(p->cap))
                fprintf(pg->f, ", at most %g", p->cap);
            fprintf(pg->f, " (rubric line %d)</li>\n", p->line);
        }
    }
    fprintf(pg->f, "</ul>\n");
}

static void requirements(const page *pg)
{
    const cp_rubric *rub = pg->rub;
    char rule[256];
    int k;
    if (rub->n_requirements) {
        fprintf(pg->f, "<h3>Requirements</h3>\n<ul id=\"requirements\">\n");
        for (k = 0; k < rub->n_requirements; k++) {
            cp_requirement_text(&rub->requirements[k], rule, sizeof rule);
            fprintf(pg->f, "<li>");
            esc(pg, rule);
            fprintf(pg->f, " (rubric line %d)</li>\n", rub->requirements[k].line);
        }
        fprintf(pg->f, "</ul>\n<p>A requirement for one gender replaces the general requirement "
                       "on the same subject for that gender. A nominee who fails any requirement "
                       "is excluded, with every failure listed.</p>\n");
    }
    if (rub->n_targets) {
        fprintf(pg->f, "<h3>Targeted regions</h3>\n<p>Nominees are drawn from ");
        for (k = 0; k < rub->n_targets; k++) {
            fprintf(pg->f, "%s", k ? ", " : "");
            esc(pg, rub->targets[k]);
        }
        fprintf(pg->f, " only.</p>\n");
    }
}

static void bands_and_rules(const page *pg)
{
    const cp_rubric *rub = pg->rub;
    char rule[256];
    int k, n = pg->r->ranked;
    fprintf(pg->f, "<h3>Roles by percentile</h3>\n<ul id=\"bands\">\n");
    for (k = 0; k < rub->n_roles; k++) {
        const cp_role *role = &rub->roles[k];
        fprintf(pg->f, "<li><b>");
        esc(pg, role->name);
        fprintf(pg->f, "</b>: percentile above %g", role->min_percentile);
        if (!isinf(role->max_percentile))
            fprintf(pg->f, " and at most %g", role->max_percentile);
        fprintf(pg->f, " &mdash; the top %g %% of the %d ranked, counted up to a whole seat: "
                       "%d seats</li>\n", 100.0 - role->min_percentile, n, pg->r->seats[k]);
    }
    fprintf(pg->f, "</ul>\n<p>Percentile = 100 &times; (ranked &minus; rank + 1) &divide; ranked, "
                   "the share of ranked nominees at or below that rank; the top <i>s</i> %% of "
                   "<i>N</i> is the first &lceil;<i>s</i> &times; <i>N</i> &divide; 100&rceil; "
                   "ranks. A role listed first takes precedence.</p>\n");
    if (rub->n_quotas) {
        fprintf(pg->f, "<h3>Quotas</h3>\n<ul>\n");
        for (k = 0; k < rub->n_quotas; k++) {
            cp_quota_text(rub, &rub->quotas[k], rule, sizeof rule);
            fprintf(pg->f, "<li>");
            esc(pg, rule);
            fprintf(pg->f, " (rubric line %d)</li>\n", rub->quotas[k].line);
        }
        fprintf(pg->f, "</ul>\n");
    }
    fprintf(pg->f, "<h3>Ties</h3>\n<p>Equal totals are ordered by ");
    for (k = 0; k < rub->n_tie_keys; k++) {
        fprintf(pg->f, "%s", k ? ", then " : "");
        esc(pg, rub->tie_keys[k]);
    }
    fprintf(pg->f, "%sthe nominee id. Every figure is rounded to %d decimals before it is added, "
                   "so each total is the sum of the figures printed.</p>\n",
            rub->n_tie_keys ? ", then " : "", pg->d);
}

static void rubric_section(const page *pg)
{
    fprintf(pg->f, "<section id=\"rubric\"><h2>The rubric</h2>\n");
    criteria_table(pg);
    points_rules(pg);
    requirements(pg);
    bands_and_rules(pg);
    fprintf(pg->f, "</section>\n");
}

/* ----------------------------------------------------------------- list */

/* A criterion has a raters column when some score of it names a rater. */
static int rated(const page *pg, const char *criterion)
{
    const cp_candidate_set *set = pg->r->candidates;
    int k, j;
    if (pg->hide & CP_PRIVATE_RATER_SCORES)
        return 0;
    for (k = 0; k < set->n; k++)
        for (j = 0; j < set->items[k].n_scores; j++)
            if (set->items[k].scores[j].rater && !strcmp(set->items[k].scores[j].criterion, criterion))
                return 1;
    return 0;
}

static int list_columns(const page *pg)
{
    int k, n = 2 + !(pg->hide & CP_PRIVATE_GENDER) + !(pg->hide & CP_PRIVATE_REGION) + 4;
    for (k = 0; k < pg->rub->n_criteria; k++)
        n += 2 + pg->has_raters[k];
    return n + pg->rub->n_points;
}

static void list_head(const page *pg)
{
    const int *has_raters = pg->has_raters;
    const cp_rubric *rub = pg->rub;
    int k;
    fprintf(pg->f, "<table class=\"list\" id=\"ranked\"><thead><tr><th rowspan=\"2\" class=\"n\">"
                   "Rank</th><th rowspan=\"2\">Nominee</th>");
    if (!(pg->hide & CP_PRIVATE_GENDER))
        fprintf(pg->f, "<th rowspan=\"2\">Gender</th>");
    if (!(pg->hide & CP_PRIVATE_REGION))
        fprintf(pg->f, "<th rowspan=\"2\">Region</th>");
    for (k = 0; k < rub->n_criteria; k++) {
        fprintf(pg->f, "<th colspan=\"%d\">", 2 + has_raters[k]);
        esc(pg, rub->criteria[k].id);
        fprintf(pg->f, " <span class=\"v\">(out of %g; %g points)</span></th>", rub->criteria[k].max,
                rub->criteria[k].weight);
    }
    for (k = 0; k < rub->n_points; k++) {
        fprintf(pg->f, "<th rowspan=\"2\">");
        esc(pg, rub->points[k].attribute);
        fprintf(pg->f, "</th>");
    }
    fprintf(pg->f, "<th rowspan=\"2\" class=\"n\">Total</th><th rowspan=\"2\" class=\"n\">"
                   "Percentile</th><th rowspan=\"2\">Band</th><th rowspan=\"2\">Role</th></tr>\n"
                   "<tr>");
    for (k = 0; k < rub->n_criteria; k++)
        fprintf(pg->f, "%s<th class=\"n\">score</th><th class=\"n\">points</th>",
                has_raters[k] ? "<th>by rater</th>" : "");
    fprintf(pg->f, "</tr></thead><tbody>\n");
}

static void rater_cell(const page *pg, int c, const char *criterion)
{
    const cp_candidate *cand = &pg->r->candidates->items[c];
    int k, first = 1;
    fprintf(pg->f, "<td class=\"raters\">");
    for (k = 0; k < cand->n_scores; k++) {
        const cp_score *s = &cand->scores[k];
        int out = pg->r->items[c].score_use[k] != CP_SCORE_USED;
        if (strcmp(s->criterion, criterion))
            continue;
        fprintf(pg->f, "%s%s<bdi>", first ? "" : " &middot; ", out ? "<s class=\"out\" title=\""
                "excluded: conflict of interest\">" : "");
        esc(pg, s->rater ? s->rater : "");
        fprintf(pg->f, "</bdi>:&nbsp;%g%s", s->value, out ? "</s>" : "");
        first = 0;
    }
    fprintf(pg->f, "</td>");
}

static void list_row(const page *pg, int c, int columns)
{
    const int *has_raters = pg->has_raters;
    const cp_candidate *cand = &pg->r->candidates->items[c];
    const cp_ranked *it = &pg->r->items[c];
    int k;
    fprintf(pg->f, "<tr%s><td class=\"n\">%d</td><td>", cand->withdrawn ? " class=\"withdrawn\"" : "",
            it->rank);
    nominee(pg, c);
    fprintf(pg->f, "</td>");
    if (!(pg->hide & CP_PRIVATE_GENDER))
        fprintf(pg->f, "<td>%s</td>", cp_gender_name(cand->gender));
    if (!(pg->hide & CP_PRIVATE_REGION)) {
        fprintf(pg->f, "<td>");
        esc(pg, cand->region);
        fprintf(pg->f, "</td>");
    }
    for (k = 0; k < pg->rub->n_criteria; k++) {
        if (has_raters[k])
            rater_cell(pg, c, pg->rub->criteria[k].id);
        fprintf(pg->f, "<td class=\"n\">");
        figure(pg, it->combined[k]);
        fprintf(pg->f, "</td><td class=\"n\">");
        figure(pg, it->contribution[k]);
        fprintf(pg->f, "</td>");
    }
    for (k = 0; k < pg->rub->n_points; k++) {
        fprintf(pg->f, "<td class=\"n\">");
        if (!(pg->hide & CP_PRIVATE_ATTRIBUTE_VALUES)) {
            fprintf(pg->f, "<span class=\"v\">");
            esc(pg, cp_candidate_attribute(cand, pg->rub->points[k].attribute));
            fprintf(pg->f, "</span> ");
        }
        figure(pg, it->points[k]);
        fprintf(pg->f, "</td>");
    }
    fprintf(pg->f, "<td class=\"n\"><b>");
    figure(pg, it->total);
    fprintf(pg->f, "</b></td><td class=\"n\">%.2f</td><td>", it->percentile);
    esc(pg, role_name(pg, it->band_role));
    fprintf(pg->f, "</td><td class=\"role\">");
    esc(pg, cand->withdrawn ? "withdrawn" : role_name(pg, it->role));
    fprintf(pg->f, "</td></tr>\n");
    if ((it->n_flags && !(pg->hide & CP_PRIVATE_FLAGS)) || cand->withdrawn ||
        it->role != it->band_role) {
        fprintf(pg->f, "<tr class=\"note\"><td></td><td colspan=\"%d\">Note: ", columns - 1);
        for (k = 0; !(pg->hide & CP_PRIVATE_FLAGS) && k < it->n_flags; k++) {
            fprintf(pg->f, "%s", k ? "; " : "");
            esc(pg, it->flags[k]);
        }
        if (cand->withdrawn)
            fprintf(pg->f, "%swithdrew after the ranking: keeps its rank, holds no role",
                    k ? "; " : "");
        else if (it->role != it->band_role)
            fprintf(pg->f, "%s%s", k ? "; " : "", pg->r->constrained
                    ? "role set by the quotas, not by the band (see Quotas)"
                    : "role passed down from a withdrawn nominee's seat (see Reserve lists)");
        fprintf(pg->f, ".</td></tr>\n");
    }
}

static void list_section(const page *pg)
{
    const cp_ranking *r = pg->r;
    int k, columns = list_columns(pg);
    fprintf(pg->f, "<section id=\"list\"><h2>The ranked list</h2>\n<p>For each criterion: the "
                   "raters&rsquo; scores (struck through when excluded for a conflict of "
                   "interest), the combined score and the points it gives. Total = the points of "
                   "every criterion and qualification. The band is the role the percentile gives; "
                   "the role is the one held after withdrawals and quotas.</p>\n");
    list_head(pg);
    for (k = 0; k < r->ranked; k++)
        list_row(pg, r->order[k], columns);
    fprintf(pg->f, "</tbody></table>\n</section>\n");
}

static void excluded_section(const page *pg)
{
    const cp_ranking *r = pg->r;
    int k, j;
    if (r->ranked == r->n)
        return;
    fprintf(pg->f, "<section id=\"excluded\"><h2>Excluded nominees and why</h2>\n<table>"
                   "<thead><tr><th>Nominee</th><th class=\"n\">Total</th><th>%s</th></tr>"
                   "</thead><tbody>\n", pg->hide & CP_PRIVATE_REASONS
                   ? "Reasons (private: given to each nominee)" : "Every rule not met, as the "
                   "rubric states it");
    for (k = r->ranked; k < r->n; k++) {
        const cp_ranked *it = &r->items[r->order[k]];
        fprintf(pg->f, "<tr><td>");
        nominee(pg, r->order[k]);
        fprintf(pg->f, "</td><td class=\"n\">");
        figure(pg, it->total);
        fprintf(pg->f, "</td><td>");
        for (j = 0; !(pg->hide & CP_PRIVATE_REASONS) && j < it->n_reasons; j++) {
            fprintf(pg->f, "%s", j ? "<br>" : "");
            esc(pg, it->reasons[j]);
        }
        fprintf(pg->f, "</td></tr>\n");
    }
    fprintf(pg->f, "</tbody></table>\n</section>\n");
}

/* --------------------------------------------------------------- quotas */

/* Nominees who hold role j with the quota but not without it (admitted),
 * or the other way round, each with rank and total; their number. */
static int moved(const page *pg, const cp_quota_effect *e, int j, int admitted)
{
    const cp_ranking *r = pg->r;
    int k, n = 0;
    for (k = 0; k < r->ranked; k++) {
        int c = r->order[k], with = r->items[c].role, without = e->without[c];
        if (admitted ? with != j || without == j : without != j || with == j)
            continue;
        fprintf(pg->f, "%s", n++ ? ", " : admitted ? "<br>admitted: " : "<br>displaced: ");
        nominee(pg, c);
        fprintf(pg->f, " (rank %d, ", r->items[c].rank);
        figure(pg, r->items[c].total);
        fprintf(pg->f, ")");
    }
    return n;
}

static void quota_row(const page *pg, int q)
{
    const cp_quota_effect *e = &pg->r->effects[q];
    char rule[256];
    int j;
    cp_quota_text(pg->rub, &pg->rub->quotas[q], rule, sizeof rule);
    fprintf(pg->f, "<tr class=\"quota\"><td>");
    esc(pg, rule);
    fprintf(pg->f, " (rubric line %d)</td>", pg->rub->quotas[q].line);
    if (e->needed)
        fprintf(pg->f, "<td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td>",
                e->needed, e->achieved, e->achieved < e->needed ? e->needed - e->achieved : 0);
    else
        fprintf(pg->f, "<td class=\"n\">&ndash;</td><td class=\"n\">&ndash;</td>"
                       "<td class=\"n\">&ndash;</td>");
    fprintf(pg->f, "<td>");
    for (j = 0; e->role_cost && e->without && j < pg->rub->n_roles; j++) {
        fprintf(pg->f, "%s<div class=\"effect\"><b>", j ? "" : "");
        esc(pg, pg->rub->roles[j].name);
        fprintf(pg->f, "</b> ");
        signed_figure(pg, e->role_cost[j]);
        if (!moved(pg, e, j, 1) + !moved(pg, e, j, 0) == 2)
            fprintf(pg->f, ": no change");
        fprintf(pg->f, "</div>");
    }
    fprintf(pg->f, "</td><td class=\"n\"><b>");
    signed_figure(pg, e->cost);
    fprintf(pg->f, "</b></td></tr>\n");
}

static void quota_section(const page *pg)
{
    int q;
    if (!pg->r->effects || !pg->rub->n_quotas)
        return;
    fprintf(pg->f, "<section id=\"quotas\"><h2>Quotas: what each one did</h2>\n<p class=\"lead\">"
                   "Role holders were chosen to meet the quotas as far as possible, then for the "
                   "largest total score of each role in the order the rubric lists them, then for "
                   "the better ranks. To see what a quota did, the selection was made again "
                   "without it (the other quotas kept). For each role: <i>admitted</i> hold it "
                   "only because of the quota, <i>displaced</i> would hold it without the quota. "
                   "The quota&rsquo;s cost on a role = the totals of those it displaced minus "
                   "the totals of those it admitted: + points given up, &minus; points gained "
                   "(possible because roles are filled in order of precedence).</p>\n"
                   "<table id=\"quota-effects\"><thead><tr><th>Quota</th>"
                   "<th class=\"n\">Needed</th><th class=\"n\">Achieved</th>"
                   "<th class=\"n\">Shortfall</th><th>Effect on each role: cost, admitted, "
                   "displaced</th><th class=\"n\">Cost, all roles</th></tr></thead><tbody>\n");
    for (q = 0; q < pg->rub->n_quotas; q++)
        quota_row(pg, q);
    fprintf(pg->f, "</tbody></table>\n</section>\n");
}

/* -------------------------------------------------------------- reserve */

static void reserve_section(const page *pg)
{
    const cp_ranking *r = pg->r;
    int j, k;
    fprintf(pg->f, "<section id=\"reserve\"><h2>Reserve lists</h2>\n<p class=\"lead\">When a "
                   "role holder withdraws, the seat goes to the first on that role&rsquo;s list "
                   "who can take it%s. A re-run with <code>withdrawn=\"true\"</code> on the "
                   "nominee records it%s.</p>\n",
            r->constrained ? " while every quota still holds" : "",
            r->constrained ? "; the quotas are chosen again, so when no one on the list can take "
                             "the seat without breaking a quota (all men where a women&rsquo;s "
                             "quota binds), it goes to the best-ranked nominee who can, even "
                             "from outside the list, and <code>rank --diff</code> names who"
                           : "");
    for (j = 0; r->reserve && j < pg->rub->n_roles; j++) {
        if (!r->seats[j])
            continue;
        fprintf(pg->f, "<h3>");
        esc(pg, pg->rub->roles[j].name);
        fprintf(pg->f, "</h3>\n<ol class=\"reserve\" data-role=\"");
        esc(pg, pg->rub->roles[j].name);
        fprintf(pg->f, "\">\n");
        for (k = 0; k < r->n_reserve[j]; k++) {
            int c = r->reserve[j][k];
            fprintf(pg->f, "<li>");
            nominee(pg, c);
            fprintf(pg->f, " &mdash; rank %d, total ", r->items[c].rank);
            figure(pg, r->items[c].total);
            if (r->items[c].role >= 0) {
                fprintf(pg->f, ", now ");
                esc(pg, role_name(pg, r->items[c].role));
            }
            fprintf(pg->f, "</li>\n");
        }
        if (!r->n_reserve[j])
            fprintf(pg->f, "<li>nobody left in line</li>\n");
        fprintf(pg->f, "</ol>\n");
    }
    fprintf(pg->f, "</section>\n");
}

/* --------------------------------------------------------------- raters */

static void raters_section(const page *pg)
{
    const cp_ranking *r = pg->r;
    const cp_candidate_set *set = r->candidates;
    int k;
    if (!r->n_reliability && !r->n_offsets && !set->n_recusals)
        return;
    fprintf(pg->f, "<section id=\"raters\"><h2>Raters</h2>\n<p class=\"lead\">Agreement between "
                   "raters per criterion is Krippendorff&rsquo;s alpha (interval), over nominees "
                   "scored by two raters or more: 1 is perfect agreement, 0 no better than "
                   "chance. A rater&rsquo;s mean offset is the mean of (own score &minus; the "
                   "other raters&rsquo; mean) on the same nominees: + lenient, &minus; "
                   "severe. Scores excluded for a conflict of interest count in neither.</p>\n"
                   "<table id=\"reliability\"><thead><tr><th>Criterion</th><th class=\"n\">Alpha"
                   "</th><th class=\"n\">Nominees</th><th class=\"n\">Scores</th>"
                   "<th class=\"n\">Raters</th><th>Reading</th></tr></thead><tbody>\n");
    for (k = 0; k < r->n_reliability; k++) {
        const cp_reliability *rel = &r->reliability[k];
        fprintf(pg->f, "<tr><td>");
        esc(pg, pg->rub->criteria[rel->criterion].id);
        fprintf(pg->f, "</td><td class=\"n\">");
        if (isnan(rel->alpha))
            fprintf(pg->f, "&ndash;");
        else
            fprintf(pg->f, "%.3f", rel->alpha);
        fprintf(pg->f, "</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td>"
                       "<td>%s</td></tr>\n", rel->units, rel->values, rel->raters,
                cp_alpha_reading(rel->alpha));
    }
    fprintf(pg->f, "</tbody></table>\n");
    if (pg->hide & CP_PRIVATE_RATERS) {
        fprintf(pg->f, "</section>\n");
        return;
    }
    fprintf(pg->f, "<table id=\"rater-offsets\"><thead><tr><th>Rater</th><th>Criterion</th>"
                   "<th class=\"n\">Scores used</th><th class=\"n\">Compared with others</th>"
                   "<th class=\"n\">Mean offset</th><th class=\"n\">Excluded (conflict of "
                   "interest)</th></tr></thead><tbody>\n");
    for (k = 0; k < r->n_offsets; k++) {
        const cp_rater_offset *o = &r->offsets[k];
        fprintf(pg->f, "<tr><td><bdi>");
        esc(pg, o->rater);
        fprintf(pg->f, "</bdi></td><td>");
        esc(pg, pg->rub->criteria[o->criterion].id);
        fprintf(pg->f, "</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">",
                o->scores, o->compared);
        if (isnan(o->mean_offset))
            fprintf(pg->f, "&ndash;");
        else
            signed_figure(pg, o->mean_offset);
        fprintf(pg->f, "</td><td class=\"n\">%d</td></tr>\n", o->excluded);
    }
    fprintf(pg->f, "</tbody></table>\n");
    for (k = 0; k < set->n_recusals; k++) {
        fprintf(pg->f, "%s<li>", k ? "" : "<h3>Recusals</h3>\n<ul id=\"recusals\">\n");
        esc(pg, set->recusals[k].rater);
        fprintf(pg->f, " does not score ");
        esc(pg, set->recusals[k].nominee);
        if (set->recusals[k].reason) {
            fprintf(pg->f, ": ");
            esc(pg, set->recusals[k].reason);
        }
        fprintf(pg->f, "</li>\n%s", k + 1 == set->n_recusals ? "</ul>\n" : "");
    }
    fprintf(pg->f, "</section>\n");
}

/* ---------------------------------------------------- checks, signatures */

static void digest_row(const page *pg, const char *what, const char *hex)
{
    fprintf(pg->f, "<tr><th>%s</th><td class=\"digest\">%s</td></tr>\n", what, hex);
}

static void verify_section(const page *pg)
{
    fprintf(pg->f, "<section id=\"verify\"><h2>How anyone can check this list</h2>\n"
                   "<p class=\"lead\">With the candidates file and the rubric file whose SHA-256 "
                   "digests are below, <code>clusterplan rank CANDIDATES RUBRIC --verify %s"
                   "</code> recomputes every figure and says &ldquo;verified&rdquo; or names each "
                   "difference. The list digest covers the content of the whole list (not the "
                   "bytes of a file); the XML and CSV files of this list carry it too. It "
                   "proves the list this page was made from, not the figures printed here: "
                   "to check the figures as published, verify the XML or CSV file "
                   "(<code>--verify list.xml</code>), which names every figure that "
                   "differs.</p>\n"
                   "<table>\n", digest(pg, "list-sha256"));
    digest_row(pg, "List (SHA-256)", digest(pg, "list-sha256"));
    digest_row(pg, "Public version (SHA-256)", digest(pg, "public-sha256"));
    digest_row(pg, "Candidates file (SHA-256)", pg->r->candidates->sha256);
    digest_row(pg, "Rubric file (SHA-256)", pg->rub->sha256);
    digest_row(pg, "Program", "clusterplan " CP_VERSION);
    fprintf(pg->f, "</table>\n</section>\n");
}

static void signatures(const page *pg)
{
    int k;
    fprintf(pg->f, "<section id=\"signatures\"><h2>Signatures of the selection committee</h2>\n"
                   "<p>We have checked this list against the rubric and sign it as the "
                   "committee&rsquo;s decision.</p>\n<table class=\"sign\"><thead><tr>"
                   "<th>Name</th><th>Position on the committee</th><th>Signature</th>"
                   "<th>Date</th></tr></thead><tbody>\n");
    for (k = 0; k < 5; k++)
        fprintf(pg->f, "<tr><td></td><td></td><td></td><td></td></tr>\n");
    fprintf(pg->f, "</tbody></table>\n</section>\n");
}

cp_code cp_write_ranking_html(FILE *f, const cp_ranking *r, const cp_publication *tree,
                              int public_version)
{
    page pg;
    int k;
    pg.has_raters = cp_calloc((size_t)(r->rubric->n_criteria ? r->rubric->n_criteria : 1),
                              sizeof(int));
    if (!pg.has_raters)
        return CP_ERESOURCE;
    pg.f = f;
    pg.r = r;
    pg.rub = r->rubric;
    pg.tree = tree;
    pg.hide = public_version ? r->rubric->private_fields : 0;
    pg.d = r->rubric->decimals;
    for (k = 0; k < r->rubric->n_criteria; k++)
        pg.has_raters[k] = rated(&pg, r->rubric->criteria[k].id);
    head(&pg, public_version);
    result(&pg);
    rubric_section(&pg);
    list_section(&pg);
    excluded_section(&pg);
    quota_section(&pg);
    reserve_section(&pg);
    raters_section(&pg);
    verify_section(&pg);
    signatures(&pg);
    fprintf(f, "</body></html>\n");
    cp_free(pg.has_raters);
    return CP_OK;
}
