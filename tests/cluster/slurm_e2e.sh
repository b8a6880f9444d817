#!/usr/bin/env bash
# End to end on a real SLURM: a one-node cluster on this machine, the quick preset through
# `--profile profiles/slurm` (every job via sbatch), the same preset locally with --cores 2, and
# the two leaderboards compared value by value.
#
#   sudo tests/cluster/slurm_e2e.sh        # as root on Debian (12)
#
# On this project's 2-core CI kind of machine, shared with other work (load 2-6), it took 10.3 min:
# SLURM up in 1 s, the quick preset via SLURM 410 s (26 sbatch jobs for 60 Snakemake jobs; most of
# the extra time is the plugin's status polls, +10 s per poll while nothing finishes), locally
# 204 s, leaderboards identical.
#
# It installs Debian's slurm-wlm and munge with apt-get if they are missing, and the [slurm]
# extra into the virtual environment ($FWBM_VENV, default .venv; created by the README's test
# command). The cluster's config is /etc/slurm/slurm.conf (the plugin's job step drops SLURM_CONF
# from the environment of its srun, so a config elsewhere is not found inside jobs); a config
# already there is put back on exit. Ports 16817 and 16818; no slurmdbd: job states come from
# squeue, which keeps finished jobs for MinJobAge = 600 s. State and logs go to the run
# directory. The daemons it starts are stopped on exit; munged only if it was not running.
# Each run works in its own copy of the tree under $FWBM_SLURM_WORK (default a new /tmp/fwbm-slurm.*).
# Prints `slurm_e2e: PASS ...` (exit 0) or `slurm_e2e: FAIL: <why>` (exit 1).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${FWBM_VENV:-$ROOT/.venv}
WORK=${FWBM_SLURM_WORK:-$(mktemp -d /tmp/fwbm-slurm.XXXXXX)}
CTLD_PORT=${FWBM_SLURMCTLD_PORT:-16817}
SLURMD_PORT=${FWBM_SLURMD_PORT:-16818}
TIMEOUT_S=${FWBM_SLURM_TIMEOUT_S:-1200}   # per Snakemake run; a hang (e.g. lost job states) fails, never blocks CI
STATE=$WORK/slurm
START=$(date +%s)

fail() { echo "slurm_e2e: FAIL: $*" >&2; exit 1; }
say() { echo "slurm_e2e: $*"; }

[ "$(id -u)" = 0 ] || fail "run as root: it installs and starts SLURM"
[ -x "$VENV/bin/python" ] || fail "no virtual environment at $VENV (create it with the README's test command)"
mkdir -p "$STATE"

# --- 1. packages ---------------------------------------------------------------------------
if ! command -v slurmctld > /dev/null || ! command -v slurmd > /dev/null || ! command -v munged > /dev/null; then
  command -v apt-get > /dev/null || fail "slurmctld, slurmd or munged missing and no apt-get to install them"
  say "installing slurm-wlm and munge (apt-get, log $WORK/apt.log)"
  export DEBIAN_FRONTEND=noninteractive
  (apt-get install -y -q slurm-wlm munge || (apt-get update -q && apt-get install -y -q slurm-wlm munge)) \
    > "$WORK/apt.log" 2>&1 || fail "apt-get install slurm-wlm munge failed (see $WORK/apt.log)"
fi
if ! "$VENV/bin/python" -c "import snakemake_executor_plugin_slurm" 2> /dev/null; then
  say "installing the [slurm] extra into $VENV"
  "$VENV/bin/pip" install -q -e "$ROOT[slurm]" > "$WORK/pip.log" 2>&1 \
    || fail "pip install -e '.[slurm]' failed (see $WORK/pip.log)"
fi

# --- 2. a one-node cluster on this machine ---------------------------------------------------
for port in "$CTLD_PORT" "$SLURMD_PORT"; do
  if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
    fail "port $port is in use (another SLURM?); set FWBM_SLURMCTLD_PORT / FWBM_SLURMD_PORT"
  fi
done
HOST=$(hostname -s)
# the node as slurmd sees it (CPUs, sockets, cores, threads); RealMemory 1 GiB under the
# machine's, since a value above the real memory makes the node INVALID
NODE=$(slurmd -C | head -1 | sed -E 's/^NodeName=[^ ]+ //; s/ RealMemory=[0-9]+//')
MEM_MB=$(( $(awk '/^MemTotal/ {print int($2 / 1024)}' /proc/meminfo) - 1024 ))
mkdir -p "$STATE/ctld" "$STATE/spool" /etc/slurm
export SLURM_CONF=/etc/slurm/slurm.conf
MARK="# written by fwbm-bench tests/cluster/slurm_e2e.sh"
if [ -f "$SLURM_CONF" ] && ! grep -qF "$MARK" "$SLURM_CONF"; then
  pgrep -x slurmctld > /dev/null && fail "a slurmctld from another config is running; stop it first"
  cp -p "$SLURM_CONF" "$STATE/slurm.conf.before"
fi
cat > "$STATE/slurm.conf" << EOF
$MARK ($WORK)
ClusterName=fwbmci
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# no cgroups needed: plain process tracking, no task affinity
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
# no accounting database; finished jobs stay visible to squeue for 10 minutes
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MinJobAge=600
ReturnToService=2
MpiDefault=none
NodeName=$HOST NodeAddr=127.0.0.1 $NODE RealMemory=$MEM_MB State=UNKNOWN
PartitionName=ci Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF

STARTED_MUNGED=0
cleanup() {
  local code=$?
  set +e
  if [ -f "$STATE/slurmctld.pid" ]; then
    scancel --full --quiet --user=root 2> /dev/null
  fi
  for daemon in slurmd slurmctld; do
    if [ -f "$STATE/$daemon.pid" ]; then
      pid=$(cat "$STATE/$daemon.pid")
      kill "$pid" 2> /dev/null
      for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2> /dev/null && kill -9 "$pid" 2> /dev/null
      rm -f "$STATE/$daemon.pid"
    fi
  done
  if [ "$STARTED_MUNGED" = 1 ] && [ -f /run/munge/munged.pid ]; then
    kill "$(cat /run/munge/munged.pid)" 2> /dev/null
  fi
  if [ -f "$STATE/slurm.conf.before" ]; then
    cp -p "$STATE/slurm.conf.before" "$SLURM_CONF"
  elif grep -qF "$MARK ($WORK)" "$SLURM_CONF" 2> /dev/null; then
    rm -f "$SLURM_CONF"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cp "$STATE/slurm.conf" "$SLURM_CONF"

if ! (munge -n | unmunge) > /dev/null 2>&1; then
  if [ ! -f /etc/munge/munge.key ]; then
    (mungekey --create 2> /dev/null || create-munge-key -f) > /dev/null
    chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  fi
  mkdir -p /run/munge && chown munge:munge /run/munge && chmod 755 /run/munge
  runuser -u munge -- /usr/sbin/munged || fail "munged did not start"
  STARTED_MUNGED=1
  sleep 1
  (munge -n | unmunge) > /dev/null 2>&1 || fail "munge does not work after starting munged"
fi
slurmctld -c -i || fail "slurmctld did not start (see $STATE/slurmctld.log)"
slurmd || fail "slurmd did not start (see $STATE/slurmd.log)"
for _ in $(seq 60); do
  state=$(sinfo -h -N -o %t 2> /dev/null | head -1 || true)
  [ "$state" = idle ] && break
  sleep 1
done
[ "$state" = idle ] || fail "node not idle after 60 s (state '${state:-none}'; see $STATE/slurmctld.log)"
timeout 60 srun -N1 -n1 true 2> /dev/null || fail "srun smoke test failed (see $STATE/slurmd.log)"
SETUP_S=$(( $(date +%s) - START ))
say "one-node SLURM up in ${SETUP_S} s: $(sinfo -h -o '%P %D %c CPUs %m MB %t')"

# --- 3. the quick preset via sbatch, and locally -------------------------------------------
tree() {  # a copy of the workflow with its own results/ and .snakemake/
  mkdir -p "$1"
  cp "$ROOT/Snakefile" "$1/"
  cp -r "$ROOT/workflow" "$ROOT/config" "$ROOT/profiles" "$1/"
}
tree "$WORK/via-slurm"
tree "$WORK/local"
export PYTHONWARNINGS=ignore

say "quick preset via sbatch (log $WORK/via-slurm.log)"
t0=$(date +%s)
# SIGINT on timeout: the plugin then scancels its jobs (SIGTERM would wait for them)
(cd "$WORK/via-slurm" && timeout -s INT -k 60 "$TIMEOUT_S" "$VENV/bin/snakemake" --profile profiles/slurm \
  --configfile config/quick.yaml --slurm-init-seconds-before-status-checks 5 --seconds-between-status-checks 5) \
  > "$WORK/via-slurm.log" 2>&1 || { tail -30 "$WORK/via-slurm.log" >&2; fail "the SLURM run failed (log $WORK/via-slurm.log)"; }
SLURM_S=$(( $(date +%s) - t0 ))

say "quick preset locally, --cores 2 (log $WORK/local.log)"
t0=$(date +%s)
(cd "$WORK/local" && timeout -s INT -k 60 "$TIMEOUT_S" "$VENV/bin/snakemake" --cores 2 --configfile config/quick.yaml) \
  > "$WORK/local.log" 2>&1 || { tail -30 "$WORK/local.log" >&2; fail "the local run failed (log $WORK/local.log)"; }
LOCAL_S=$(( $(date +%s) - t0 ))

# --- 4. checks -----------------------------------------------------------------------------
# every submission Snakemake reports must be a batch job that slurmctld accepted and that exited
# with 0 (from slurmctld's log: squeue forgets jobs MinJobAge after they end, and there is no sacct)
grep -o "has been submitted with SLURM jobid [0-9]*" "$WORK/via-slurm.log" | awk '{print $NF}' | sort -n > "$WORK/snakemake-jobids"
grep -o "_slurm_rpc_submit_batch_job: JobId=[0-9]*" "$STATE/slurmctld.log" | sed 's/.*=//' | sort -n > "$WORK/sbatch-jobids"
N_SUBMITTED=$(wc -l < "$WORK/snakemake-jobids")
N_SBATCH=$(wc -l < "$WORK/sbatch-jobids")
[ "$N_SUBMITTED" -gt 0 ] || fail "Snakemake submitted no SLURM job"
diff -q "$WORK/snakemake-jobids" "$WORK/sbatch-jobids" > /dev/null \
  || fail "Snakemake's $N_SUBMITTED submissions differ from slurmctld's $N_SBATCH batch jobs"
grep -o "_job_complete: JobId=[0-9]* WEXITSTATUS 0" "$STATE/slurmctld.log" | sed 's/.*JobId=//; s/ .*//' > "$WORK/exit0-jobids"
N_EXIT0=$(awk 'NR == FNR {ok[$1]; next} $1 in ok' "$WORK/exit0-jobids" "$WORK/sbatch-jobids" | wc -l)
[ "$N_EXIT0" = "$N_SBATCH" ] || fail "only $N_EXIT0 of $N_SBATCH SLURM jobs exited with 0 (see $STATE/slurmctld.log)"
N_JOBS=$(awk '$1 == "total" {print $2 - 1; exit}' "$WORK/via-slurm.log")  # without the target rule `all`
[ "$N_SBATCH" -lt "$N_JOBS" ] || fail "$N_SBATCH sbatch jobs for $N_JOBS Snakemake jobs: the small jobs were not grouped"
# a group job runs its jobs one after another on one CPU (profiles/slurm: cpus_per_task, local scope)
grep "sched: Allocate JobId=" "$STATE/slurmctld.log" | grep -v "#CPUs=1 " \
  && fail "a SLURM job was given more than one CPU (above)"
grep -q "^localrule \(fit\|simulate_rest\|run_task\|prepare\|observables\|score_rest\|specificity\|leaderboard\|report\)" \
  "$WORK/via-slurm.log" && fail "a workflow job ran on the submit host, not through sbatch"

COMPARISON=$("$VENV/bin/python" -c '
import sys
from fwbm_bench.leaderboard.compare import COST_VARIABLES, leaderboard_differences
from fwbm_bench.leaderboard.store import open_leaderboard
a, b = (open_leaderboard(p) for p in sys.argv[1:])
# git_commit and snakemake_version describe where a run happened, not what it found
differences = leaderboard_differences(a, b, skip_attrs=("git_commit", "snakemake_version"))
compared = len(set(a.variables) - set(COST_VARIABLES))
if differences:
    print(f"DIFFERENT in {len(differences)} of {compared} variables: " + "; ".join(differences[:5]))
    sys.exit(1)
print(f"identical ({compared} variables, every value equal; compute cost wall_s/max_rss_mb not compared)")
' "$WORK/via-slurm/results/leaderboard.zarr" "$WORK/local/results/leaderboard.zarr") \
  || fail "leaderboards via SLURM and local differ: $COMPARISON"

TOTAL_S=$(( $(date +%s) - START ))
say "SLURM setup ${SETUP_S} s; run via SLURM ${SLURM_S} s; local run (--cores 2) ${LOCAL_S} s; total ${TOTAL_S} s"
say "sbatch jobs: $N_SBATCH, every one exited with 0, for $N_JOBS Snakemake jobs (small ones grouped)"
say "leaderboards via SLURM vs local: $COMPARISON"
say "PASS"
