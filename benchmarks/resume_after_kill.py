"""Resume after SIGKILL (issue #8, acceptance 2): a workflow killed at any point and resumed with
``--rerun-incomplete`` ends with the leaderboard of an uninterrupted run.

Every run happens in its own copy of the workflow (Snakefile, workflow/, config/; outputs go to
``results/`` under the copy). First an uninterrupted run; then, for each kill point, a fresh run
that is SIGKILLed (its whole process group, and any process left in the copy) while a job of the
chosen rule is running, followed by ``snakemake --unlock`` (a killed Snakemake leaves its lock)
and ``snakemake --rerun-incomplete`` to the end. A job counts as running from the moment its log
file exists (the job's Python code has started) until Snakemake reports it finished; the kill
comes ``delay`` seconds after that. The resumed leaderboard is compared with the uninterrupted
one, every variable bit for bit (``fwbm_bench.leaderboard.compare``) except the per-job costs
``wall_s`` and ``max_rss_mb``, and every attribute; ``leaderboard.csv`` byte for byte.

    python benchmarks/resume_after_kill.py                    # quick preset, 4 kill points, ~10 min on 2 cores
    python benchmarks/resume_after_kill.py --points simulate_rest leaderboard --keep /tmp/resume
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import xarray as xr

from fwbm_bench.entries import BUILTIN_ENTRIES
from fwbm_bench.leaderboard.compare import COST_VARIABLES, leaderboard_differences

ROOT = Path(__file__).resolve().parents[1]

#: kill points: name -> (rule, what its job is doing then, when to kill: seconds after the job's log
#: file appears, or a file pattern (under the work folder) whose appearance triggers the kill)
KILL_POINTS = {
    "fit": ("fit", "mid-fit (batched grid simulation)", 2.0),
    "simulate_rest": ("simulate_rest", "mid-simulation (scoring run of a model)", 1.0),
    "run_task": ("run_task", "mid-task (trial simulations of a model)", 2.0),
    "leaderboard": ("leaderboard", "mid-aggregation (building the leaderboard)", 0.3),
    "leaderboard-write": ("leaderboard", "mid-aggregation (writing the Zarr store)", "results/.leaderboard.zarr.*.tmp"),
    "report": ("report", "mid-report (figures and entry pages)", 1.0),
}
DEFAULT_POINTS = ["simulate_rest", "run_task", "leaderboard-write", "report"]
#: simulation kill points skip the baselines' jobs, which simulate nothing
BASELINES = [name for name, entry in BUILTIN_ENTRIES.items() if not entry.is_model]

_JOB = re.compile(r"^(?:local)?rule (\w+):\n((?:    .*\n)+)", re.MULTILINE)
_FINISHED = re.compile(r"^Finished jobid: (\d+)", re.MULTILINE)


def copy_workflow(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "Snakefile", folder)
    shutil.copytree(ROOT / "workflow", folder / "workflow")
    shutil.copytree(ROOT / "config", folder / "config")
    return folder


def snakemake_command(args, *extra) -> list[str]:
    return [sys.executable, "-m", "snakemake", "--cores", str(args.cores), "--configfile", *args.configfile, *extra]


def run(command, folder: Path, log_name: str) -> tuple[int, float, str]:
    started = time.perf_counter()
    with open(folder / log_name, "w") as log:
        code = subprocess.run(command, check=False, cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "PYTHONWARNINGS": "ignore"}).returncode
    return code, time.perf_counter() - started, (folder / log_name).read_text()


def jobs(log_text: str) -> tuple[dict, set]:
    """Started jobs (jobid -> (rule, wildcards, log file)) and finished job ids in a Snakemake log."""
    started = {}
    for rule, block in _JOB.findall(log_text):
        fields = dict(re.findall(r"^    (\w+): (.*)$", block, re.MULTILINE))
        if "jobid" in fields:
            started[fields["jobid"]] = (rule, fields.get("wildcards", ""), fields.get("log", ""))
    return started, set(_FINISHED.findall(log_text))


def processes_in(folder: Path) -> list[int]:
    """Ids of processes whose working directory is ``folder`` (the runs this script started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if Path(os.readlink(entry / "cwd")) == folder:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _label(job) -> str:
    values = [value.split("=", 1)[1] for value in job[1].split(", ") if "=" in value]
    return f"{job[0]}[{'/'.join(values)}]" if values else job[0]


def kill_during(args, folder: Path, rule: str, when) -> tuple[list[str], float]:
    """Start the workflow in ``folder`` and SIGKILL it while a job of ``rule`` runs: ``when``
    seconds after the job started, or as soon as a file matching the pattern ``when`` exists.
    Returns the jobs running then (rule[wildcards]) and the seconds since the start."""
    log_path = folder / "killed.log"
    started_at = time.perf_counter()
    with open(log_path, "w") as log:
        process = subprocess.Popen(snakemake_command(args), cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    target_seen = None
    while True:
        if process.poll() is not None:
            raise SystemExit(f"{rule}: the workflow ended (exit {process.returncode}) before a {rule} job could be "
                             f"killed; see {log_path}")
        started, finished = jobs(log_path.read_text())
        running = [(jobid, job) for jobid, job in started.items() if jobid not in finished and job[0] == rule
                   and job[2] and (folder / job[2]).exists()
                   and not any(f"entry={name}," in job[1] + "," for name in BASELINES)]
        if isinstance(when, str):
            if running and any(folder.glob(when)):
                break
            time.sleep(0.01)
            continue
        if running and target_seen is None:
            target_seen = time.perf_counter()
        if target_seen is not None and time.perf_counter() - target_seen >= when:
            started, finished = jobs(log_path.read_text())
            if any(jobid not in finished for jobid, _ in running):
                break
            target_seen = None  # it finished during the delay: wait for the next one
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    for pid in processes_in(folder):  # a job in a session of its own would escape the group
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()
    elapsed = time.perf_counter() - started_at
    started, finished = jobs(log_path.read_text())
    running = [_label(job) for jobid, job in started.items() if jobid not in finished]
    deadline = time.time() + 10
    while processes_in(folder) and time.time() < deadline:
        time.sleep(0.1)
    if processes_in(folder):
        raise SystemExit(f"processes survived the kill in {folder}: {processes_in(folder)}")
    return running, elapsed


def compare(reference: Path, folder: Path) -> list[str]:
    with xr.open_zarr(reference / "results" / "leaderboard.zarr") as a, \
            xr.open_zarr(folder / "results" / "leaderboard.zarr") as b:
        differences = leaderboard_differences(a.load(), b.load())
    csv = Path("results") / "leaderboard.csv"
    if (reference / csv).read_bytes() != (folder / csv).read_bytes():
        differences.append("leaderboard.csv differs")
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configfile", nargs="+", default=["config/quick.yaml"])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--points", nargs="+", default=DEFAULT_POINTS, choices=list(KILL_POINTS))
    parser.add_argument("--keep", type=Path, help="keep the work folders here (default: a temporary folder)")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="fwbm-resume-"))
    base.mkdir(parents=True, exist_ok=True)
    print(f"config: {' '.join(args.configfile)}, --cores {args.cores}; work folders under {base}")
    reference = copy_workflow(base / "uninterrupted")
    code, seconds, text = run(snakemake_command(args), reference, "run.log")
    if code != 0:
        raise SystemExit(f"the uninterrupted run failed (exit {code}); see {reference / 'run.log'}")
    print(f"uninterrupted run: {seconds:.0f} s, {len(_FINISHED.findall(text))} jobs")
    rows = []
    for point in args.points:
        rule, what, when = KILL_POINTS[point]
        folder = copy_workflow(base / f"killed-{point}")
        running, killed_after = kill_during(args, folder, rule, when)
        done_before = len(jobs((folder / "killed.log").read_text())[1])
        run([sys.executable, "-m", "snakemake", "--unlock", "--configfile", *args.configfile], folder, "unlock.log")
        code, seconds, text = run(snakemake_command(args, "--rerun-incomplete"), folder, "resumed.log")
        if code != 0:
            rows.append((what, ", ".join(running), killed_after, done_before, seconds, 0,
                         f"resume failed (exit {code})"))
            continue
        differences = compare(reference, folder)
        leftovers = sorted(str(p.relative_to(folder)) for p in (folder / "results").rglob("*.tmp"))
        verdict = "yes" if not differences else "NO: " + "; ".join(differences[:3])
        if leftovers:
            verdict += f" (temporary files left: {leftovers[:3]})"
        rows.append((what, ", ".join(running), killed_after, done_before, seconds,
                     len(_FINISHED.findall(text)), verdict))
    print()
    print("| kill point | running when killed | killed at (s) | jobs done before | resume wall (s) | jobs rerun "
          "| leaderboard identical |")
    print("|---|---|---|---|---|---|---|")
    for what, running, killed_after, done_before, seconds, rerun, verdict in rows:
        print(f"| {what} | {running} | {killed_after:.1f} | {done_before} | {seconds:.0f} | {rerun} | {verdict} |")
    print(f"\ncompared: every variable bit for bit and every attribute, except {', '.join(COST_VARIABLES)} "
          "(per-job wall time and peak memory: measurements of the run, not results); leaderboard.csv byte for byte")
    if any(not row[-1].startswith("yes") for row in rows):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
