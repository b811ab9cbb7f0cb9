/*
 * report_rules.c — the HTML report's sections for issue 24's rules, in a
 * planner's words (README "Study groups", "New exemplar centres", "Zones"):
 *   study groups   how many clusters can hold each group's meeting;
 *   upgrades       each new exemplar centre with the schools it brings in
 *                  and what it saves the others, then each unassigned
 *                  school that one more upgrade would place, and which;
 *   zones          each zone with its centre cluster, clusters, teachers
 *                  and the zonal facilitator's travel; clusters left out.
 * Nothing when the scenario and the layout have none of them.
 */
#include "writers.h"

#include <math.h>

static void school_cells(FILE *f, const cp_school *s)
{
    fputs("<td>", f);
    cp_out_escaped(f, s->id);
    fputs("</td><td>", f);
    cp_out_escaped(f, s->name);
    fputs("</td>", f);
}

static void groups_section(FILE *f, const layout_view *v)
{
    const cp_evaluation *ev = v->ev;
    int k;
    if (!ev->group_hosting)
        return;
    fprintf(f, "<h2>Study groups</h2>\n<p>A cluster is worth meeting when each study group "
               "has enough teachers in it. %s <b>%d of %d clusters</b> can hold every group's "
               "meeting.</p>\n<table class=\"ind\"><tr><th>group</th><th>teachers a cluster "
               "needs</th><th>clusters that have them</th></tr>\n",
            v->sc->groups_soft ? "The groups are soft here: after placing the most schools, the "
                                 "layout has as many such clusters as it can."
                               : "Every cluster must have them (a hard rule).",
            ev->ind.clusters_hosting_all, ev->ind.clusters);
    for (k = 0; k < ev->n_groups; k++) {
        fputs("<tr><td>", f);
        cp_out_escaped(f, v->sc->groups[k].name);
        fprintf(f, "</td><td class=\"num\">%g</td><td class=\"num\">%d</td></tr>\n",
                v->sc->groups[k].min, ev->group_hosting[k]);
    }
    fputs("</table>\n", f);
}

static void answers(FILE *f, const layout_view *v)
{
    const cp_upgrades *u = v->lay->upgrades;
    int i, n = 0;
    for (i = 0; i < v->inst->n_schools; i++)
        n += u->answer[i] >= 0;
    if (n == 0)
        return;
    fprintf(f, "<p>%d unassigned school%s would be placed by one more upgrade (beyond the cap "
               "or budget if need be):</p>\n<table class=\"sortable\"><thead><tr><th>unassigned "
               "school</th><th>name</th><th>upgrade</th><th>its name</th><th>schools it would "
               "place</th></tr></thead><tbody>\n", n, n == 1 ? "" : "s");
    for (i = 0; i < v->inst->n_schools; i++) {
        if (u->answer[i] < 0)
            continue;
        fputs("<tr>", f);
        school_cells(f, &v->inst->schools[i]);
        school_cells(f, &v->inst->schools[u->answer[i]]);
        fprintf(f, "<td class=\"num\">%d</td></tr>\n", u->answer_places[i]);
    }
    fputs("</tbody></table>\n", f);
}

static void upgrades_section(FILE *f, const layout_view *v)
{
    const cp_upgrades *u = v->lay->upgrades;
    const cp_scenario *sc = v->sc;
    int k;
    if (!sc->has_invest)
        return;
    fprintf(f, "<h2>New exemplar centres (%d)</h2>\n<p>Hosts below the quality rule, or schools "
               "with an upgrade cost, may be made exemplar centres", v->ev->ind.upgrades);
    if (sc->max_upgrades >= 0)
        fprintf(f, ", at most %d", sc->max_upgrades);
    if (isfinite(sc->upgrade_budget))
        fprintf(f, ", within a budget of %g (these cost %g)", sc->upgrade_budget,
                v->ev->ind.upgrade_spend);
    fputs(". Each upgrade below is measured against the same layout without it: the schools "
          "it brings into clusters, and what the other schools save (travel, or the annual "
          "cost).</p>\n", f);
    if (u && u->n > 0) {
        fputs("<table class=\"sortable\"><thead><tr><th>school</th><th>name</th><th>cluster</th>"
              "<th>cost</th><th>schools it brings in</th><th>the others save</th></tr></thead>"
              "<tbody>\n", f);
        for (k = 0; k < u->n; k++) {
            fputs("<tr>", f);
            school_cells(f, &v->inst->schools[u->items[k].school]);
            fputs("<td>", f);
            if (u->items[k].cluster >= 0)
                cp_out_escaped(f, v->lay->label[u->items[k].cluster]);
            fputs("</td><td class=\"num\">", f);
            if (!isnan(u->items[k].cost))
                fprintf(f, "%g", u->items[k].cost);
            fprintf(f, "</td><td class=\"num\">%d</td><td class=\"num\">%.1f</td></tr>\n",
                    u->items[k].brings, u->items[k].saves);
        }
        fputs("</tbody></table>\n", f);
        for (k = 0; k < u->n && u->items[k].saves >= 0.0; k++)
            ;
        if (k < u->n) /* a negative saving reads as a mistake unless it is said */
            fputs("<p>A negative saving means the other schools pay more with the upgrade than "
                  "without it: the upgrade is there for the schools it brings in, which the "
                  "objective counts before travel and cost.</p>\n", f);
    }
    if (u)
        answers(f, v);
}

static void zones_section(FILE *f, const layout_view *v)
{
    const cp_zoning *z = v->lay->zones;
    const cp_evaluation *ev = v->ev;
    int k, c;
    if (!z)
        return;
    fprintf(f, "<h2>Zones (%d)</h2>\n<p>Clusters grouped for zonal facilitators around a "
               "zone-centre cluster (the same engine run on the cluster centres, weighted by "
               "teachers); status %s.</p>\n<table class=\"sortable\"><thead><tr><th>zone</th>"
               "<th>centre cluster</th><th>centre school</th><th>clusters</th><th>teachers</th>"
               "<th>teacher-km to the zone centre</th><th>farthest cluster centre (straight line)</th></tr></thead>"
               "<tbody>\n", ev->ind.zones, cp_status_name(z->info.status));
    for (k = 0; k < z->n_zones; k++) {
        int size = 0, centre = ev->centre_used[z->centre[k]];
        double teachers = 0.0, travel = 0.0, far = 0.0;
        for (c = 0; c < z->n_clusters; c++) {
            double d = ev->cluster_zone_distance ? ev->cluster_zone_distance[c] : NAN;
            if (z->zone_of[c] != k || ev->cluster_size[c] == 0)
                continue;
            size++;
            teachers += ev->cluster_teachers[c];
            travel += isnan(d) ? 0.0 : ev->cluster_teachers[c] * d;
            far = isnan(d) ? far : fmax(far, d);
        }
        fputs("<tr><td>", f);
        cp_out_escaped(f, z->label[k]);
        fputs("</td><td>", f);
        cp_out_escaped(f, v->lay->label[z->centre[k]]);
        fputs("</td><td>", f);
        cp_out_escaped(f, centre >= 0 ? v->inst->schools[centre].name : "");
        fprintf(f, "</td><td class=\"num\">%d</td><td class=\"num\">%.0f</td><td class=\"num\">"
                   "%.1f</td><td class=\"num\">%.1f</td></tr>\n", size, teachers, travel, far);
    }
    fputs("</tbody></table>\n", f);
    for (c = 0; c < z->n_clusters; c++) {
        if (z->zone_of[c] >= 0 || ev->cluster_size[c] == 0)
            continue;
        fputs("<p class=\"note\">Cluster ", f);
        cp_out_escaped(f, v->lay->label[c]);
        fputs(" has no zone: ", f);
        cp_out_escaped(f, z->reason[c] ? z->reason[c] : "it has no centre");
        fputs("</p>\n", f);
    }
}

void report_rules(FILE *f, const layout_view *v)
{
    groups_section(f, v);
    upgrades_section(f, v);
    zones_section(f, v);
}
