#!/usr/bin/env bash
# Checks `chase sweep --emit slurm` on a real Slurm, not a mock: starts a private munged and a
# single-node Slurm (slurmctld + slurmd on this machine, no accounting), emits the job array for
# sweeps/example-synthetic.yaml, submits it with sbatch and polls squeue until it ends, runs the
# same sweep locally with one thread, and compares the two sweep folders: the same entries, every
# entry finished with exit 0, sweep-results present, and per run equal metrics.jsonl and
# summary.json (wall times, timestamps, paths and host/pid fields left out), equal model parameters
# (bytes) and equal sweep-results.json.
# Prints PASS or FAIL and exits 0 or 1 (2: something it needs is missing or Slurm did not start).
#
# Needs: root (slurmd runs the tasks, munged runs as user munge), the Debian packages slurm-wlm and
# munge (apt-get install -y slurm-wlm munge), jq, and a JDK for ./chase. Not run by tests or CI.
#
#   experiments/slurm-check.sh [WORK_DIR]     # default: /tmp/chase-slurm-check
#
# WORK_DIR/slurm and WORK_DIR/local (the two sweep folders), WORK_DIR/job.sh and WORK_DIR/daemons
# (slurm.conf and the daemons' logs) are removed and rewritten on every run. The daemons run from a
# fresh /tmp/chase-slurm.XXXXXX (slurm.conf takes no paths with spaces), which is removed on exit
# after the daemons it started are stopped. Environment: CHASE_SLURM_PORT (slurmctld's port,
# slurmd uses the next one; default 16817), CHASE_SLURM_TIMEOUT (seconds to wait for the array,
# default 1800), CHASE_SLURM_REQUEUE=1 (also requeue array task 0 with scontrol requeue a few
# seconds into its training: it must start again, and its run still end equal to the local one).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-/tmp/chase-slurm-check}"
sweep=sweeps/example-synthetic.yaml
port="${CHASE_SLURM_PORT:-16817}"
timeout_s="${CHASE_SLURM_TIMEOUT:-1800}"
requeue="${CHASE_SLURM_REQUEUE:-0}"

say() { echo "slurm-check: $*"; }
die() { echo "slurm-check: $*" >&2; exit 2; }

# ---- what it needs --------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "run as root (it starts slurmctld, slurmd and munged, and slurmd runs the tasks)"
missing=()
for c in slurmctld slurmd sbatch squeue sinfo scontrol scancel munged munge unmunge; do
  command -v "$c" >/dev/null || missing+=("$c")
done
[ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}: install the packages with: apt-get install -y slurm-wlm munge"
command -v jq >/dev/null || die "missing jq: apt-get install -y jq"
command -v java >/dev/null || die "missing java (a JDK 17 for ./chase)"
id munge >/dev/null 2>&1 || die "no user munge (the munge package creates it): apt-get install -y munge"
[ -r /etc/munge/munge.key ] || die "no /etc/munge/munge.key: create it with: mungekey --verbose (as user munge)"

host="$(hostname -s)"
logs="$work/daemons"
slurm_dir="$work/slurm"
local_dir="$work/local"
job="$work/job.sh"
mkdir -p "$work"
rm -rf "$logs" "$slurm_dir" "$local_dir" "$job"
daemons="$(mktemp -d /tmp/chase-slurm.XXXXXX)"
chmod 755 "$daemons"
mkdir -p "$daemons/state" "$daemons/spool" "$daemons/munge"
chown munge: "$daemons/munge"
chmod 755 "$daemons/munge"   # munged wants the socket's folder searchable by all

# ---- clean-up: stop only what this script started ---------------------------------------------
ctld_pid= slurmd_pid= munged_started= jobid=
cleanup() {
  local rc=$?
  set +e
  if [ -n "$jobid" ] && [ -n "$ctld_pid" ] && kill -0 "$ctld_pid" 2>/dev/null; then
    scancel "$jobid" 2>/dev/null
  fi
  for p in $slurmd_pid $ctld_pid; do
    kill -TERM "$p" 2>/dev/null
  done
  for p in $slurmd_pid $ctld_pid; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$p" 2>/dev/null
  done
  if [ -n "$munged_started" ] && [ -f "$daemons/munge/munged.pid" ]; then
    kill -TERM "$(cat "$daemons/munge/munged.pid")" 2>/dev/null
  fi
  mkdir -p "$logs"
  cp "$daemons"/*.log "$daemons"/*.stdout "$daemons/slurm.conf" "$daemons/munge/munged.log" "$logs/" 2>/dev/null
  rm -rf "$daemons"
  [ -n "$ctld_pid$slurmd_pid$munged_started" ] && say "stopped the daemons it started (their logs: $logs)"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for p in "$port" "$((port + 1))"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    die "port $p is in use (another Slurm, or a daemon of an earlier check still running?); choose others with CHASE_SLURM_PORT"
  fi
done

cd "$root"

# ---- build chase and emit the job array (before the daemons start) -----------------------------
say "building chase if needed and emitting the job array"
./chase sweep "$sweep" --emit slurm --threads 1 --script "$job" --dir "$slurm_dir"
entries="$(jq '.entries | length' "$slurm_dir/sweep.json")"

# ---- munge: a private munged on its own socket --------------------------------------------------
sock="$daemons/munge/munge.socket"
runuser -u munge -- munged --socket="$sock" --pid-file="$daemons/munge/munged.pid" \
  --seed-file="$daemons/munge/munged.seed" --log-file="$daemons/munge/munged.log" ||
  die "munged did not start: $(tail -n 3 "$daemons/munge/munged.log" 2>/dev/null)"
munged_started=1
munge -n --socket="$sock" | unmunge --socket="$sock" >/dev/null || die "munge does not work (see $logs/munged.log)"

# ---- single-node Slurm ------------------------------------------------------------------------------
# The node as slurmd sees it (CPUs, sockets, cores, threads, memory), under this host's short name.
node="$(slurmd -C | head -n 1 | sed -e "s/^NodeName=[^ ]*/NodeName=$host NodeAddr=127.0.0.1/")"
export SLURM_CONF="$daemons/slurm.conf"
cat > "$SLURM_CONF" <<EOF
ClusterName=chasecheck
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$daemons/state
SlurmdSpoolDir=$daemons/spool
SlurmctldPidFile=$daemons/slurmctld.pid
SlurmdPidFile=$daemons/slurmd.pid
SlurmctldLogFile=$daemons/slurmctld.log
SlurmdLogFile=$daemons/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MinJobAge=3600
$node State=UNKNOWN
PartitionName=check Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -i -f "$SLURM_CONF" > "$daemons/slurmctld.stdout" 2>&1 &
ctld_pid=$!
slurmd -D -f "$SLURM_CONF" > "$daemons/slurmd.stdout" 2>&1 &
slurmd_pid=$!
state=
for _ in $(seq 120); do
  state="$(sinfo -h -n "$host" -o %t 2>/dev/null || true)"
  [ "$state" = idle ] && break
  kill -0 "$ctld_pid" 2>/dev/null || break
  kill -0 "$slurmd_pid" 2>/dev/null || break
  sleep 0.5
done
if [ "$state" != idle ]; then
  tail -n 5 "$daemons/slurmctld.log" "$daemons/slurmd.log" "$daemons"/*.stdout >&2 2>/dev/null || true
  die "the node $host did not become idle (state: '${state:-none}'); logs in $logs"
fi
version="$(sinfo --version)"
say "$version up: node $host ($(echo "$node" | grep -o 'CPUs=[0-9]*') $(echo "$node" | grep -o 'RealMemory=[0-9]*'))"

# ---- the array on Slurm ---------------------------------------------------------------------------
say "sbatch $job ($entries array tasks, 1 CPU each)"
start=$(date +%s)
jobid="$(sbatch --parsable "$job")"
jobid="${jobid%%;*}"
if [ "$requeue" = 1 ]; then
  # Once task 0's chase train has taken its run directory, let it train a little, then requeue it.
  first="$(jq -r '.entries[0].name' "$slurm_dir/sweep.json")"
  for _ in $(seq 240); do [ -e "$slurm_dir/runs/$first/lock" ] && break; sleep 0.5; done
  sleep 8
  scontrol requeue "${jobid}_0" && say "requeued array task ${jobid}_0 (running $first) $(($(date +%s) - start))s after submission"
fi
until [ -z "$(squeue -h -j "$jobid" 2>/dev/null)" ]; do
  if [ $(($(date +%s) - start)) -gt "$timeout_s" ]; then
    echo "slurm-check: the array did not finish in ${timeout_s}s; cancelling it" >&2
    scancel "$jobid"
    break
  fi
  sleep 2
done
slurm_wall=$(($(date +%s) - start))
# Each task's end as Slurm recorded it (there is no accounting: from slurmctld, kept MinJobAge).
task_report="$(scontrol -o show job "$jobid" 2>/dev/null |
  sed -n 's/.*ArrayTaskId=\([0-9]*\) .*JobState=\([A-Z_]*\) .*Restarts=\([0-9]*\) .*ExitCode=\([0-9:]*\) .*/\1 \2 \4 restarts=\3/p' |
  sort -n)"
say "array $jobid ended after ${slurm_wall}s; task, state, exit code, restarts:"
echo "$task_report" | sed 's/^/    /'

# ---- the same sweep locally ------------------------------------------------------------------------
say "the same sweep locally: chase sweep $sweep --dir $local_dir --threads 1"
start=$(date +%s)
local_rc=0
./chase sweep "$sweep" --dir "$local_dir" --threads 1 > "$work/local.out" 2> "$work/local.err" || local_rc=$?
local_wall=$(($(date +%s) - start))
say "local sweep exit $local_rc after ${local_wall}s"

# ---- compare ------------------------------------------------------------------------------------
fails=()
fail() { fails+=("$*"); echo "  FAIL: $*"; }
# Leaves out what differs between two correct runs: wall times, rates, timestamps, host and pid
# fields; the sweep folder in a path becomes DIR.
norm='walk(if type == "object" then with_entries(select(.key | test("seconds|per-second|time|-at$|date|host|pid"; "i") | not))
           elif type == "string" and startswith($d) then "DIR" + .[($d | length):] else . end)'
normalize() { jq -S -c --arg d "$2" "$norm" "$1"; }

n_tasks="$(echo "$task_report" | grep -c . || true)"
n_ok="$(echo "$task_report" | grep -c ' COMPLETED 0:0 ' || true)"
[ "$n_tasks" = "$entries" ] && [ "$n_ok" = "$entries" ] ||
  fail "Slurm: $n_ok of $entries array tasks COMPLETED with exit 0 (of $n_tasks reported)"
if [ "$requeue" = 1 ] && ! echo "$task_report" | grep -q '^0 .* restarts=[1-9]'; then
  fail "Slurm: array task 0 was to be requeued but shows no restart"
fi
[ "$local_rc" = 0 ] || fail "the local sweep exited $local_rc (see $work/local.err)"
if [ -f "$local_dir/sweep.json" ] && ! diff <(jq -S .entries "$slurm_dir/sweep.json") <(jq -S .entries "$local_dir/sweep.json") >/dev/null; then
  fail "sweep.json: the entries differ"
fi
for d in "$slurm_dir" "$local_dir"; do
  for f in sweep-results.md sweep-results.json compare/compare.json; do
    [ -s "$d/$f" ] || fail "missing $d/$f"
  done
done
if [ -s "$slurm_dir/sweep-results.json" ] && [ -s "$local_dir/sweep-results.json" ] &&
  ! diff <(normalize "$slurm_dir/sweep-results.json" "$slurm_dir") <(normalize "$local_dir/sweep-results.json" "$local_dir") >/dev/null; then
  fail "sweep-results.json differs"
fi

echo
printf '  %-52s %-8s %-8s %-10s %-10s %s\n' entry slurm local "acc slurm" "acc local" equal
equal_runs=0
for name in $(jq -r '.entries[].name' "$slurm_dir/sweep.json"); do
  s="$slurm_dir/runs/$name" l="$local_dir/runs/$name"
  s_exit="$(jq -r '."exit-code" // "none"' "$slurm_dir/state/$name.json" 2>/dev/null || echo none)"
  l_exit="$(jq -r '."exit-code" // "none"' "$local_dir/state/$name.json" 2>/dev/null || echo none)"
  s_acc="$(jq -r '.accuracy."final-test" // "-"' "$s/summary.json" 2>/dev/null || echo -)"
  l_acc="$(jq -r '.accuracy."final-test" // "-"' "$l/summary.json" 2>/dev/null || echo -)"
  what=()
  [ "$s_exit" = 0 ] || what+=("slurm state exit $s_exit")
  [ "$l_exit" = 0 ] || what+=("local state exit $l_exit")
  for f in model/parameters.bin summary.json metrics.jsonl; do
    [ -s "$s/$f" ] || what+=("slurm lacks $f")
    [ -s "$l/$f" ] || what+=("local lacks $f")
  done
  if [ ${#what[@]} -eq 0 ]; then
    [ "$(jq -r .finished "$s/summary.json")" = true ] || what+=("slurm run not finished")
    diff <(normalize "$s/summary.json" "$s") <(normalize "$l/summary.json" "$l") >/dev/null || what+=("summary.json differs")
    diff <(normalize "$s/metrics.jsonl" "$s") <(normalize "$l/metrics.jsonl" "$l") >/dev/null || what+=("metrics.jsonl differs")
    cmp -s "$s/model/parameters.bin" "$l/model/parameters.bin" || what+=("model parameters differ")
  fi
  if [ ${#what[@]} -eq 0 ]; then
    equal_runs=$((equal_runs + 1)); eq=yes
  else
    eq=no
  fi
  printf '  %-52s %-8s %-8s %-10s %-10s %s\n' "$name" "exit $s_exit" "exit $l_exit" "$s_acc" "$l_acc" "$eq"
  [ ${#what[@]} -eq 0 ] || fail "$name: $(IFS=';'; echo "${what[*]}" | sed 's/;/; /g')"
done
echo

if [ ${#fails[@]} -eq 0 ]; then
  say "PASS: $version, $entries entries finished on Slurm in ${slurm_wall}s (local: ${local_wall}s), $equal_runs/$entries runs equal to the local sweep (metrics.jsonl, summary.json, model parameters bitwise), sweep-results equal"
  exit 0
fi
say "FAIL: ${#fails[@]} problem(s), $equal_runs/$entries runs equal; see $work (Slurm task output: $slurm_dir/logs/slurm-*.out)"
exit 1
