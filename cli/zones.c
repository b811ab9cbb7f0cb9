/*
 * zones.c — `clusterplan zones INSTANCE SOLUTION [-s SCENARIO] [-o OUT]...`:
 * zones of an existing layout's clusters for zonal facilitators (README
 * "Zones"), by the same engine on the cluster centres (cp_form_zones).  The
 * scenario's <zones> (or --zones, --zone-distance, --zone-admin-level)
 * gives the rules, SPEC's example 3..6 clusters without one.  The layout is
 * read and evaluated by the one pipeline; the zoned layout is evaluated
 * again, and a zone solve that claims a solution but breaks a zone rule is
 * an internal error (exit 3, nothing written), as for clusters.
 */
#include "cli.h"
#include "solver/model/model.h"

#include <math.h>
#include <string.h>

/* The command line's settings, then zones on whatever the scenario says. */
static cp_code zone_hooks(cp_scenario *sc, const void *arg)
{
    cp_code rc = cli_apply_overrides(sc, arg);
    sc->has_zones = 1;
    return rc;
}

/* Whether a violation is of a zone rule (the zone-* kinds, in a row). */
static int is_zone_rule(cp_violation_kind kind)
{
    return kind >= CP_V_ZONE_SIZE_BELOW_MIN && kind <= CP_V_ZONE_ADMIN;
}

static int zone_rules_broken(const cp_evaluation *ev)
{
    int k, broken = 0;
    for (k = 0; k < ev->n_violations; k++)
        broken += is_zone_rule(ev->violations[k].kind);
    return broken;
}

/* The layout read breaks rules of the scenario's clusters (a --capacity
 * given here, say): the zones are formed over it as it is, and their
 * "optimal" is about the zones alone, which is said. */
static cp_code warn_cluster_rules(pipeline *p)
{
    int per_kind[CP_V_KIND_COUNT] = {0}, k, total = 0;
    char kinds[512] = "";
    size_t used = 0;
    for (k = 0; k < p->ev->n_violations; k++)
        if (!is_zone_rule(p->ev->violations[k].kind)) {
            per_kind[p->ev->violations[k].kind]++;
            total++;
        }
    if (total == 0)
        return CP_OK;
    for (k = 0; k < CP_V_KIND_COUNT; k++)
        if (per_kind[k] && used < sizeof kinds)
            used += (size_t)snprintf(kinds + used, sizeof kinds - used, "%s%d %s", used ? ", " : "",
                                     per_kind[k], cp_violation_name((cp_violation_kind)k));
    return cp_warn(&p->warn, "the layout read breaks %d rules of this scenario's clusters (%s): "
                   "zones groups its clusters as they are, and its status is the zones' alone "
                   "(`evaluate` lists every violation)", total, kinds)
               ? CP_ERESOURCE : CP_OK;
}

static int zone_and_check(pipeline *p)
{
    const cp_zoning *z;
    if (cp_form_zones(p->inst, &p->sc, p->lay, p->dist, &p->err))
        return cli_fail(&p->err);
    cp_evaluation_free(p->ev);
    if (!(p->ev = cp_evaluate(p->inst, &p->sc, p->lay, p->dist, &p->err)))
        return cli_fail(&p->err);
    if (warn_cluster_rules(p)) {
        cp_fail_nomem(&p->err);
        return cli_fail(&p->err);
    }
    z = p->lay->zones;
    if ((z->info.status == CP_STATUS_OPTIMAL || z->info.status == CP_STATUS_FEASIBLE) &&
        zone_rules_broken(p->ev)) {
        cp_fail(&p->err, CP_EINTERNAL, "internal error: the zones break %d zone rules: nothing "
                "written", zone_rules_broken(p->ev));
        return cli_fail(&p->err);
    }
    return 0;
}

int cmd_zones(const cli_args *a)
{
    pipeline p;
    pipeline_job job;
    int rc = 0;
    if (a->n_positional != 2) {
        fprintf(stderr, "clusterplan: usage: zones INSTANCE SOLUTION [-s SCENARIO] [-o OUT]...\n");
        return 2;
    }
    job = cli_job(a, a->positional[0], LAYOUT_READ);
    job.layout_path = a->positional[1];
    job.overrides = zone_hooks;
    job.forms_zones = 1;
    job.output_paths = a->outputs;
    job.n_output_paths = a->n_outputs;
    if (pipeline_open(&p, &job))
        rc = cli_fail(&p.err);
    if (!rc)
        rc = zone_and_check(&p);
    if (!rc && pipeline_write(&p, a->outputs, a->n_outputs))
        rc = cli_fail(&p.err);
    cli_print_warnings(a, &p.warn);
    if (!rc && !a->quiet)
        cli_print_rules(p.inst, &p.sc, p.lay, p.ev);
    pipeline_close(&p);
    return rc;
}
