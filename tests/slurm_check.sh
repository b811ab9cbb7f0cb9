#!/usr/bin/env bash
# A scenario study on a real Slurm (issue 29, part of `make check`).
# Starts a single-node Slurm on localhost from Debian's munge and slurm-wlm
# (munged, slurmctld, slurmd as root; one node with 2 CPUs; proctrack/
# linuxproc and task/none, so no cgroups; config, keys, state, spool and
# logs in a temporary folder; every daemon stopped on exit, failure or not),
# then:
#  1. a 6-run study (two generated countries of 700 schools x three
#     scenarios, about 1.5 s a run) submitted with `batch --slurm` as a 3-task
#     array plus the merge job: the merged comparison.csv equals a
#     single-machine `batch` run's, the seconds column aside; a second
#     submission while the first is queued is refused; the sbatch options
#     reach the jobs;
#  2. the same again from scratch, one task cancelled midway
#     (scancel: SIGTERM): no partial or temporary file, its runs marked
#     interrupted and not complete, the merge job cancelled; submitted
#     again: only that task's runs run, and the table is complete and the
#     same.
# Outside CI, a missing Slurm (or not being root) skips with a message; in
# CI (CI=true) it fails.  Prints the seconds it took.
# Usage: tests/slurm_check.sh PATH/TO/clusterplan
set -u
cp_bin=$(realpath "$1")
repo=$(cd "$(dirname "$0")/.." && pwd)
started=$SECONDS
fails=0
checks=0

skip_or_fail() { # skip_or_fail WHY
    if [ "${CI:-}" = true ]; then
        echo "slurm: FAIL $1 (CI=true: .ci/install-deps.sh installs slurm-wlm and munge)"
        exit 1
    fi
    echo "slurm: $1: skipped"
    exit 0
}
for tool in munged slurmctld slurmd sbatch squeue scancel scontrol sinfo; do
    command -v "$tool" >/dev/null 2>&1 || skip_or_fail "$tool absent"
done
[ "$(id -u)" -eq 0 ] || skip_or_fail "not root (slurmd runs jobs as root here)"

# slurmd runs each job's script from its spool folder: not on a noexec mount
base=${TMPDIR:-/tmp}
findmnt -no OPTIONS --target "$base" 2>/dev/null | grep -qw noexec && base=/var/tmp
tmp=$(mktemp -d "$base/cp-slurm.XXXXXX") || skip_or_fail "no temporary folder"
chmod 755 "$tmp" # munged wants its socket's folder searchable by all
pids=()
cleanup() {
    # the jobs first (slurmstepd outlives slurmd), then the daemons, newest first
    if [ -e "$tmp/slurm.conf" ] && scontrol ping >/dev/null 2>&1; then
        jobs=$(squeue -h -o %A 2>/dev/null | tr '\n' ' ')
        [ -n "$jobs" ] && scancel $jobs 2>/dev/null
        for _ in $(seq 1 40); do [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break; sleep 0.25; done
    fi
    for ((k = ${#pids[@]} - 1; k >= 0; k--)); do kill "${pids[k]}" 2>/dev/null; done
    for ((k = ${#pids[@]} - 1; k >= 0; k--)); do
        for _ in $(seq 1 40); do kill -0 "${pids[k]}" 2>/dev/null || break; sleep 0.25; done
        kill -9 "${pids[k]}" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { # fail WHAT: a failed check, with the daemons' last words
    fails=$((fails + 1))
    echo "slurm: FAIL $1"
}
check() { # check DESCRIPTION COMMAND...
    checks=$((checks + 1))
    "${@:2}" || fail "$1"
}
show_logs() {
    for f in "$tmp"/log/*.log; do echo "--- $f"; tail -n 15 "$f"; done
}
die() {
    echo "slurm: FAIL $1"
    show_logs
    exit 1
}

# ------------------------------------------------------------ the cluster
# Two free ports (a system slurmctld on 6817 must not matter).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=$((20000 + RANDOM % 30000))
while ! port_free $port || ! port_free $((port + 1)); do port=$((port + 2)); done
node=$(hostname -s 2>/dev/null || uname -n | cut -d. -f1)
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/log"
head -c 1024 /dev/urandom >"$tmp/munge.key"
chmod 600 "$tmp/munge.key"
: >"$tmp/plugstack.conf"
cat >"$tmp/slurm.conf" <<EOF
ClusterName=cpcheck
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
PlugStackConfig=$tmp/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
MpiDefault=none
ReturnToService=2
KillWait=10
MailProg=/bin/true
NodeName=$node NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
# nothing of a surrounding Slurm (a CI runner inside a job) may leak in
unset $(env | sed -n 's/^\(SLURM_[A-Z_]*\|SBATCH_[A-Z_]*\|SQUEUE_[A-Z_]*\)=.*/\1/p')
export SLURM_CONF=$tmp/slurm.conf

munged -F --socket="$tmp/munge.sock" --key-file="$tmp/munge.key" --pid-file="$tmp/munged.pid" \
    --seed-file="$tmp/munged.seed" --log-file="$tmp/log/munged.log" >>"$tmp/log/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 40); do [ -S "$tmp/munge.sock" ] && break; sleep 0.25; done
[ -S "$tmp/munge.sock" ] || die "munged did not start"
slurmctld -D >>"$tmp/log/slurmctld.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.25; done
scontrol ping 2>/dev/null | grep -q UP || die "slurmctld did not answer"
slurmd -D -N "$node" >>"$tmp/log/slurmd.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 80); do [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break; sleep 0.25; done
[ "$(sinfo -h -o %T 2>/dev/null)" = idle ] || die "the node is not idle: $(sinfo -h -o '%T %E' 2>&1)"
echo "slurm: single-node Slurm $(sinfo -V | cut -d' ' -f2) up on $node with 2 CPUs in $((SECONDS - started)) s"

# -------------------------------------------------------------- the study
"$cp_bin" generate --schools 700 --seed 1 -o "$tmp/g1.xml" --quiet || die "generate"
"$cp_bin" generate --schools 700 --seed 2 -o "$tmp/g2.xml" --quiet || die "generate"
cat >"$tmp/study.xml" <<EOF
<study name="slurm check">
  <instance id="g1" path="g1.xml"/>
  <instance id="g2" path="g2.xml"/>
  <scenario id="base" path="$repo/instances/base.xml"/>
  <scenario id="size4-6" path="$repo/instances/base.xml" size-min="4" size-max="6"/>
  <scenario id="near8" path="$repo/instances/base.xml" distance-max="8"/>
  <outputs formats="xml csv"/>
  <solver method="heuristic" seed="1"/>
</study>
EOF
"$cp_bin" batch "$tmp/study.xml" -o "$tmp/single" --threads 2 --quiet ||
    die "the single-machine batch failed"

# The table without its seconds column (the only one that depends on timing).
table() { awk -F, 'NR == 1 { for (k = 1; k <= NF; k++) if ($k == "seconds") drop = k }
                   { line = ""; for (k = 1; k <= NF; k++) if (k != drop) line = line $k ","; print line }' "$1"; }
same_table() { # same_table DIR
    [ -f "$1/comparison.csv" ] || { echo "    no $1/comparison.csv"; return 1; }
    diff <(table "$tmp/single/comparison.csv") <(table "$1/comparison.csv") >"$tmp/diff" && return 0
    head -5 "$tmp/diff"
    return 1
}
# submit DIR: the command of README "Running a study on a cluster", from
# the study's folder; sets array and merge (the job ids it printed)
submit() {
    (cd "$tmp" && "$cp_bin" batch study.xml -o "$1" --slurm --tasks 3 --cpus-per-task 2 \
        --time 10 --mem 200M) >"$tmp/submit.out" 2>&1
    local rc=$?
    array=$(sed -n 's/^array job \([0-9]*\):.*/\1/p' "$tmp/submit.out")
    merge=$(sed -n 's/^merge job \([0-9]*\):.*/\1/p' "$tmp/submit.out")
    [ "$rc" -eq 0 ] && [ -n "$merge" ] || { sed 's/^/    /' "$tmp/submit.out"; return 1; }
}
wait_jobs() { # wait_jobs JOBID...: until none is queued or running (2 min at most)
    local ids
    ids=$(echo "$@" | tr ' ' ',')
    for _ in $(seq 1 480); do
        [ -z "$(squeue -h -j "$ids" -o %A 2>/dev/null)" ] && return 0
        sleep 0.25
    done
    echo "    jobs $ids still queued after 2 minutes"; squeue; return 1
}
job_field() { # job_field JOBID FIELD: FIELD=value of scontrol show job
    scontrol show job "$1" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}
has() { grep -qF -- "$2" "$1" || { echo "    '$2' not in $1"; return 1; }; }

# 1. the study as a 3-task array and the merge
t=$SECONDS
submit study-out || die "batch --slurm did not submit"
check "the plan said" has "$tmp/submit.out" "6 runs, 6 to do, in 3 of 3 array tasks"
check "tasks 1-3" has "$tmp/submit.out" "array job $array: tasks 1-3 of 3"
(cd "$tmp" && "$cp_bin" batch study.xml -o study-out --slurm --tasks 3) >"$tmp/again.out" 2>&1
check "a second submission while the first is queued: exit 2" test $? -eq 2
check "a second submission says why" has "$tmp/again.out" "still queued or running"
check "--cpus-per-task reaches the tasks" test "$(job_field "$array" MinCPUsNode)" = 2
check "--time reaches the tasks" test "$(job_field "$array" TimeLimit)" = 00:10:00
check "--mem reaches the tasks" test "$(job_field "$array" MinMemoryNode)" = 200M
check "the merge waits for the array" test "$(job_field "$merge" Dependency | cut -d'(' -f1)" = "afterok:${array}_*"
wait_jobs "$array" "$merge" || die "the array did not end"
check "the merge job completed" test "$(job_field "$merge" JobState)" = COMPLETED
check "each task ran its 2 runs" test "$(cat "$tmp"/study-out/slurm/task-"$array"_*.out | grep -c ' 2 ran, 0 skipped')" = 3
check "tasks write no comparison" test "$(grep -c 'not written by a shard' "$tmp"/study-out/slurm/task-"$array"_*.out | awk -F: '{ s += $2 } END { print s }')" = 3
check "the merged table equals the single machine's" same_table "$tmp/study-out"
echo "slurm: 6 runs as 3 array tasks + merge: the same table as one machine's ($((SECONDS - t)) s)"

# 2. the same from scratch, one task cancelled midway, then the same
# command again
t=$SECONDS
rm -rf "$tmp/study-out"
submit study-out || die "batch --slurm did not submit"
# task 2 runs shard 2/3: runs 1 and 4 (g1--size4-6, g2--size4-6), both at once
run="$tmp/study-out/runs/g1--size4-6"
for _ in $(seq 1 600); do [ -d "$run" ] && break; sleep 0.05; done
sleep 0.3
check "task 2 still running when cancelled" test ! -e "$run/summary.txt"
scancel "${array}_2"
wait_jobs "$array" "$merge" || die "the array did not end after scancel"
check "task 2 cancelled" test "$(job_field "${array}_2" JobState)" = CANCELLED
check "the merge job cancelled with it" test "$(job_field "$merge" Reason)" = DependencyNeverSatisfied
check "task 2's runs interrupted" has "$tmp/study-out/slurm/task-${array}_2.out" "0 ran, 0 skipped (inputs unchanged), 0 failed, 2 interrupted"
check "no temporary file left" test -z "$(find "$tmp/study-out" -name '*.tmp.*')"
check "no comparison without the merge" test ! -e "$tmp/study-out/comparison.csv"
check "an interrupted run is not complete" test ! -e "$run/inputs.sha256"
if command -v xmllint >/dev/null 2>&1; then
    check "every solution written whole" xmllint --noout "$tmp"/study-out/runs/*/solution.xml
fi
check "an interrupted run says so" has "$run/summary.txt" "status=interrupted"
submit study-out || die "batch --slurm did not submit again"
check "again: only the runs to do" has "$tmp/submit.out" "6 runs, 2 to do (4 done before with the same inputs), in 1 of 3 array tasks"
check "again: task 2 alone" has "$tmp/submit.out" "array job $array: tasks 2 of 3"
wait_jobs "$array" "$merge" || die "the resubmitted array did not end"
check "again: task 2 ran its 2 runs" has "$tmp/study-out/slurm/task-${array}_2.out" " 2 ran, 0 skipped"
check "again: the merge job completed" test "$(job_field "$merge" JobState)" = COMPLETED
check "again: no run missing or interrupted" test -z "$(grep -E ',(missing|interrupted|failed),' "$tmp/study-out/comparison.csv")"
check "again: the table is complete and the same" same_table "$tmp/study-out"
echo "slurm: a task cancelled midway, submitted again: its 2 runs redone, the same table ($((SECONDS - t)) s)"

[ "$fails" -eq 0 ] || show_logs
echo "slurm: $((checks - fails)) passed, $fails failed, $((SECONDS - started)) s in all"
[ "$fails" -eq 0 ]
