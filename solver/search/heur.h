/*
 * heur.h — the heuristic tier's shared state: one part (or one region of a
 * part) as a local problem, its current layout, a journal of changes that
 * can be rolled back, and the neighbourhoods that improve it.
 *
 * Local indices 0..n-1 stand for the global schools `schools[]`; a pair
 * (member i, centre c) belongs to the problem only when both schools carry
 * this problem's `group` id.  The layout is always feasible: every open
 * cluster has min..max schools, its teachers fit the capacity, every member
 * is admissible to its centre.  Schools that do not fit are unassigned and
 * the score is lexicographic: (unassigned, cost), as SPEC's objective.
 */
#ifndef CP_HEUR_H
#define CP_HEUR_H

#include "solver/exact/exact.h"

/* The objective of a layout, compared lexicographically: first the
 * upgrades beyond the part's cap and budget (0 in every layout the search
 * keeps), then unassigned schools, then, with soft study groups, minus the
 * clusters hosting every group, then the cost (heur_rules.c).  Hard study
 * groups count the schools of a cluster short of a group as unassigned
 * and leave its cost out: the score of the layout with such clusters
 * dissolved, which is what the search returns. */
typedef struct {
    long unassigned;
    double cost;
    double excess;
    long groups;
} hscore;

/* A change is kept when it improves the score by more than this (relative
 * to the cost's magnitude): floating noise never counts as progress. */
#define HEUR_EPS 1e-9

enum { H_ASSIGN = 1, H_UNASSIGN, H_OPEN, H_CLOSE };

typedef struct {
    int op, school, centre;
    double dist;
} hentry;

typedef struct {
    /* ---- the problem (fixed after setup) */
    const cp_instance *inst;
    const cp_scenario *sc;
    const cp_candidates *cand;
    const int *schools;          /* local -> global */
    int n;
    const int *local_of;         /* global -> local (valid when group matches) */
    const int *group;            /* global -> problem id */
    int group_id;
    int count;                   /* exactly this many open clusters; 0 = free */
    int size_min, size_max;
    double capacity;
    double *w, *teachers, *open_cost;    /* per local school */
    unsigned char *eligible, *required;
    int *rstart, *rmember;       /* members admissible to each centre, by distance */
    double *rdist;
    int *kstart, *kcentre;       /* each member's centres sorted by local index */
    int *knear;                  /* each member's centres by distance (kstart's ranges) */
    double *kdist;
    /* ---- the layout */
    int *centre;                 /* per school: local centre or -1 */
    double *dist;                /* per school: distance to its centre */
    int *size;                   /* per centre: schools in its cluster (0 = closed) */
    double *load;                /* per centre: teachers */
    int *head, *next, *prev;     /* members of each cluster (centre included) */
    int n_open;
    hscore score;
    long clock;                  /* counts cluster changes */
    long *changed_at;            /* per centre: clock of its last change */
    long *resplit_at;            /* per centre: clock of its last fruitless re-split */
    void *cyclic_cache;          /* heur_cyclic.c's clusters seen lately (allocated there) */
    uint64_t *ring_fruitless;    /* signatures of ring searches in vain (heur_cyclic.c) */
    int rings_off;               /* 1: heur_try_cyclic tries nothing */
    uint64_t *cluster_sig;       /* per centre: xor of its schools' keys (heur_school_key) */
    uint64_t *fruitless;         /* signatures of cluster pairs re-split in vain (heur_pairopt.c) */
    unsigned fruitless_mask;     /* their size - 1 (a power of two - 1) */
    /* ---- journal of changes since the last mark */
    hentry *log;
    long log_len, log_cap;
    int log_on, log_failed;
    int trial;                   /* 1 inside an ILS step: keep the journal */
    /* ---- search */
    uint64_t rng;
    int *queue, *queued, q_head, q_len; /* schools to examine, FIFO ring */
    volatile int *interrupt;
    double deadline;             /* cp_now_seconds() value; 0 = none */
    int solved;                  /* an exact window covered the whole part */
    /* ---- issue 24's rules (heur_rules.c); rules = 0 leaves every path as it was */
    int rules;                   /* study groups, or upgradable centres in the part */
    int n_groups;
    int groups_soft;
    double gmin[CP_MAX_GROUPS];
    double *gteach;              /* per school x group: its teachers of the group */
    double *gload;               /* per centre x group: its cluster's */
    unsigned char *short_of;     /* per open centre: some group below its min */
    double *ccost;               /* per open centre: its cluster's cost (opening included) */
    unsigned char *upgradable;   /* per school: a centre only by an upgrade; NULL = none */
    double *ucost;               /* per school: what its upgrade spends of the budget */
    int n_upgradable;            /* upgradable schools the search may open */
    int upgradable_in_part;      /* upgradable schools of the part, opened or not:
                                    no exact window then (it knows no allowance) */
    int up_count, up_cap;        /* upgraded centres open; the part's cap (-1 none) */
    double up_spend, up_budget;  /* their cost; the part's budget (INFINITY none) */
    int *up_open, *up_pos;       /* the upgraded centres open, and each one's place */
    double *up_loss_cost;        /* heur_upgrade.c: per centre, what closing it costs */
    long *up_loss_unassigned, *up_loss_at;
} hstate;

/* Setup and cleanup (heur_state.c).  incumbent: per local school a global
 * centre or -1 (a known layout to start from), or NULL. */
cp_code heur_setup(hstate *h, const cp_milp_input *in, const int *group, int group_id);
void heur_free(hstate *h);
/* The pair's index in i's centre list (kcentre, kdist), or -1: binary
 * search without branches on the comparison (a conditional move per
 * halving; the re-split neighbourhood asks for u^2 pairs at a time).
 * Inline: it is a fifth of a national run's samples. */
static inline int heur_pair_index(const hstate *h, int i, int c)
{
    const int *base = h->kcentre + h->kstart[i];
    int len = h->kstart[i + 1] - h->kstart[i];
    if (len == 0)
        return -1;
    while (len > 1) {
        int half = len >> 1;
        base = base[half] <= c ? base + half : base;
        len -= half;
    }
    return *base == c ? (int)(base - h->kcentre) : -1;
}
/* Distance from member i to centre c (local), or -1 when not admissible.
 * Inline with its search: a fifth of a national run's samples were here. */
static inline double heur_pair(const hstate *h, int i, int c)
{
    int q = heur_pair_index(h, i, c);
    return q < 0 ? -1.0 : h->kdist[q];
}
/* Admissible centres of member i, by distance: local ids via heur_local. */
static inline int heur_local(const hstate *h, int global)
{
    return h->group[global] == h->group_id ? h->local_of[global] : -1;
}

/* A school's random key (splitmix64 of its global index): a cluster's
 * signature is the xor of its schools' keys. */
static inline uint64_t heur_school_key(const hstate *h, int i)
{
    uint64_t z = (uint64_t)h->schools[i] * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Primitives; each keeps size, load, score and the journal up to date.
 * They fail (return 0) only when the journal cannot grow. */
int heur_assign(hstate *h, int i, int c, double d);   /* i unassigned, c open */
int heur_unassign(hstate *h, int i);                  /* i a member, not a centre */
int heur_open(hstate *h, int j);                      /* j unassigned and eligible */
int heur_close(hstate *h, int j);                     /* j alone in its cluster */
int heur_relocate(hstate *h, int i, int c, double d); /* member i to open c */
/* Places unassigned i in the nearest open cluster with room: 1 when placed,
 * 0 when none has room (or the journal failed: check log_failed). */
int heur_place(hstate *h, int i);
/* The same among i's `scan` nearest centres only (0: all). */
int heur_place_near(hstate *h, int i, int scan);
/* The cost of the cluster at open centre c, its opening cost included. */
double heur_cluster_cost(const hstate *h, int c);
/* Unassigns every member of c's cluster and closes it. */
int heur_dissolve(hstate *h, int c);
/* Pulls schools admissible to open centre j into its cluster, nearest
 * first: unassigned ones, and members that get closer while their cluster
 * stays at its minimum; then, while j is below the minimum, any member a
 * cluster can spare (heur_open.c).  Returns 0 when the journal failed. */
int heur_pull(hstate *h, int j);
/* Offers every school the journal shows unassigned since `mark` the
 * nearest open cluster with room (heur_close.c); 0 when the journal failed. */
int heur_rehouse(hstate *h, long mark);
/* Rolls back to the journal position `mark`. */
void heur_rollback(hstate *h, long mark);

/* Score comparison: is (du, dc) an improvement? */
int heur_improves(const hstate *h, long du, double dc);
int heur_better(hscore a, hscore b);
/* Whether cluster c can take school i (room and capacity). */
int heur_fits(const hstate *h, int c, int i);
/* Interrupted, or past the deadline. */
int heur_should_stop(const hstate *h);
uint64_t heur_random(hstate *h);
int heur_random_below(hstate *h, int bound);
/* Queue of schools to examine again. */
void heur_push(hstate *h, int i);
/* Pushes the schools around centre c that a change to its cluster concerns. */
void heur_push_around(hstate *h, int c);

/* Issue 24's rules in the search (heur_rules.c).  Setup from the part's
 * input (study groups, upgradable centres and the part's share of the
 * upgrades); the primitives call the hooks so the score stays as heur.h's
 * hscore says.  heur_rules_finish dissolves clusters short of a hard group
 * and closes upgrades beyond the cap, then re-places what it freed. */
cp_code heur_rules_setup(hstate *h, const cp_milp_input *in);
void heur_rules_free(hstate *h);
void heur_rules_off(hstate *h, int c);                      /* before c's cluster changes */
void heur_rules_member(hstate *h, int i, int c, int sign, double d); /* after i joins/leaves */
void heur_rules_opened(hstate *h, int j);                   /* after j opened */
void heur_rules_closing(hstate *h, int j);                  /* before j closes */
cp_code heur_rules_finish(hstate *h);
/* Upgradable schools hidden from (1) or shown to (0) the eligibility test:
 * a construction from scratch opens no upgrade, the search adds them. */
void heur_rules_hide_upgrades(hstate *h, int hide);
/* The upgradable schools that head no cluster hidden for good: the search
 * keeps the upgrades it has and opens none. */
void heur_rules_freeze_upgrades(hstate *h);

/* Construction (heur_construct.c): from the incumbent when given, else
 * greedy; the result is feasible (schools that do not fit unassigned). */
cp_code heur_construct(hstate *h, const int *incumbent);

/* Neighbourhoods, one file each; each tries improving moves around school
 * i, applies the first it finds and returns 1 (0 = none, -1 = no memory). */
int heur_try_move(hstate *h, int i);      /* heur_move.c: relocate or insert i */
int heur_try_swap(hstate *h, int i);      /* heur_swap.c: exchange i with a member elsewhere */
/* The neighbourhoods in the order the descent tries them (neighbourhoods.c). */
typedef struct {
    const char *name;
    int (*try_at)(hstate *h, int i); /* 1 improved, 0 not, -1 out of memory */
} heur_neighbourhood;
extern const heur_neighbourhood heur_neighbourhoods[];
extern const int heur_n_neighbourhoods;

int heur_try_recentre(hstate *h, int i);  /* heur_recentre.c: i's cluster on another member */
int heur_try_open(hstate *h, int i);      /* heur_open.c: a new cluster centred at i */
int heur_try_close(hstate *h, int i);     /* heur_close.c: dissolve i's cluster */
int heur_try_eject(hstate *h, int i);     /* heur_eject.c: place unassigned i by ejecting */
int heur_try_exchange_centre(hstate *h, int i); /* heur_close.c: close one, open at i */
int heur_try_resplit(hstate *h, int i);   /* heur_pairopt.c: re-divide i's and a nearby cluster */
int heur_try_cyclic(hstate *h, int i);    /* heur_cyclic.c: i and others move round a ring of clusters */
int heur_try_groups(hstate *h, int i);    /* heur_groups.c: complete a cluster short of a study group */
/* The same for centre c's cluster, kept whatever the score and nothing
 * queued (the caller judges and rolls back); 0 when the journal failed. */
int heur_fill_groups(hstate *h, int c);
int heur_try_upgrade(hstate *h, int i);   /* heur_upgrade.c: open an upgrade, or move one here */
/* Closes the upgrades whose closing costs least until the layout is within
 * the part's cap and budget (heur_upgrade.c); the schools freed are queued. */
cp_code heur_upgrades_within_cap(hstate *h);
/* A trial of upgrade j (heur_upgrade.c): j leaves its cluster (dissolved
 * when at its minimum), opens with school i (or none, -1; at distance d)
 * in its cluster, pulls the schools round it (chains of two where a
 * cluster at its minimum gives one), completes its study groups, and a
 * descent re-places what moved.  The caller rolls it back or keeps it;
 * 0 when the journal failed. */
int heur_upgrade_trial(hstate *h, int j, int i, double d);
/* Opens the one upgrade that gains most, every closed upgradable school
 * tried with a descent and rolled back (heur_upgrade.c); none when none
 * gains. */
cp_code heur_add_best_upgrade(hstate *h);
/* Whether rings are tried: every cluster small enough (heur_cyclic.c). */
int heur_cyclic_active(const hstate *h);
int heur_cyclic_sizes(int size_max);

/* Local search to a local optimum over the queued schools, then iterated
 * local search (heur_search.c).  Stops after `iterations` perturbations,
 * at the deadline or on interrupt; returns CP_OK or CP_ERESOURCE. */
cp_code heur_descend(hstate *h);
/* One random perturbation (dissolve and rebuild clusters around a random
 * school, force a centre open there, or scatter a few of its members);
 * the touched schools are queued.  Returns 0 when the journal failed. */
int heur_perturb(hstate *h);
cp_code heur_iterate(hstate *h, long iterations);

/* Centre interchange for parts whose sizes and capacity never bind (the
 * p-median case), heur_interchange.c.  Fills h's layout. */
int heur_uncapacitated(const hstate *h);
cp_code heur_interchange(hstate *h, long iterations);

/* Exact MILP windows around unplaced schools (heur_window.c): returns how
 * many windows improved the layout, -1 when memory ran out; *solved = 1
 * when a window was the whole part, so the layout is proven optimal. */
int heur_place_by_windows(hstate *h, const cp_milp_input *part, int *solved);
/* Repair windows where the capacity binds (heur_window.c): neighbouring
 * clusters re-formed by the MILP, at most `budget` windows; returns how
 * many improved, -1 when memory ran out. */
int heur_repair_by_windows(hstate *h, const cp_milp_input *part, long budget);

#endif
