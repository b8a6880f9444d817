"""Contained failures (issue #8, acceptance 4): the quick preset plus a deliberately diverging
entry (config/diverging.yaml) completes, marks that entry failed and scores every other entry
exactly as a run without it.

Runs the quick preset in a copy of the workflow, then adds config/diverging.yaml in the same
folder (Snakemake runs only the new entry's jobs and the leaderboard and report), and compares
the other entries' leaderboard slices bit for bit (``fwbm_bench.leaderboard.compare``), except
``wall_s``/``max_rss_mb`` (costs), ``config``/``config_hash`` (the entry list differs) and the
new entry's own ``fitted_<parameter>`` variables (NaN for the others, checked).

    python benchmarks/diverging_entry.py                          # ~4 min on 2 cores
    python benchmarks/diverging_entry.py --reference /tmp/resume/uninterrupted   # reuse a finished quick run
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import xarray as xr
from resume_after_kill import ROOT, copy_workflow, run

from fwbm_bench.leaderboard import unscored_table
from fwbm_bench.leaderboard.compare import COST_VARIABLES, leaderboard_differences

NEW = "fhn-diverging"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, help="a folder where the quick preset already ran (copied)")
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()
    snakemake = [sys.executable, "-m", "snakemake", "--cores", str(args.cores), "--configfile", "config/quick.yaml"]
    base = Path(tempfile.mkdtemp(prefix="fwbm-diverging-"))
    if args.reference:
        folder = base / "run"
        shutil.copytree(args.reference, folder, symlinks=True)  # results, .snakemake metadata and workflow copy
        shutil.copy(ROOT / "config" / "diverging.yaml", folder / "config")
        check = run([*snakemake, "-n", "--quiet", "rules"], folder, "dry.log")
        print(f"reference copied from {args.reference}; Snakemake on it: {check[2].strip().splitlines()[-1]}")
    else:
        folder = copy_workflow(base / "run")
        code, seconds, _ = run(snakemake, folder, "quick.log")
        if code != 0:
            raise SystemExit(f"the quick preset failed (exit {code}); see {folder / 'quick.log'}")
        print(f"quick preset: {seconds:.0f} s")
    with xr.open_zarr(folder / "results" / "leaderboard.zarr") as ds:
        before = ds.load()
    code, seconds, text = run([*snakemake, "config/diverging.yaml"], folder, "diverging.log")
    print(f"quick preset + config/diverging.yaml: exit {code}, {seconds:.0f} s, "
          f"{text.count('Finished jobid')} jobs run (the new entry's, the leaderboard, the report)")
    if code != 0:
        raise SystemExit(f"the run with the diverging entry failed; see {folder / 'diverging.log'}")
    with xr.open_zarr(folder / "results" / "leaderboard.zarr") as ds:
        after = ds.load()
    others = [str(e) for e in before.entry.values]
    extra = sorted(set(after.data_vars) - set(before.data_vars))
    assert all(np.isnan(after[name].sel(entry=others)).all() for name in extra), extra
    print("\nentry_status:")
    for entry in after.entry.values:
        one = after.sel(entry=entry)
        print(f"  {entry}: {one.entry_status.item()} (overall {float(one.overall):.4f}, "
              f"coverage {float(one.overall_coverage):.3f})")
    statuses = after.status.sel(entry=NEW).values.astype(str).ravel()
    print(f"\n{NEW}: status of its {statuses.size} (subject, connectome, benchmark) results:")
    for status, count in zip(*np.unique([s.split(":")[0] for s in statuses], return_counts=True)):
        print(f"  {status}: {count}")
    print(f"\nresults without a score ({NEW}):")
    for row in unscored_table(after.sel(entry=[NEW])).itertuples(index=False):
        print(f"  [{row.results}] {row.status}")
        print(f"      subjects: {row.subjects}; benchmarks: {row.benchmarks}")
    differences = leaderboard_differences(before, after, entries=others, skip_variables=[*COST_VARIABLES, *extra],
                                          skip_attrs=["config", "config_hash"])
    page = (folder / "results" / "report" / "index.html").read_text()
    print(f"\nother entries ({', '.join(others)}) identical to the run without {NEW}: "
          f"{'yes' if not differences else 'NO: ' + '; '.join(differences)}")
    print(f"  (compared every variable bit for bit except {', '.join([*COST_VARIABLES, *extra])}, and every "
          f"attribute except config, config_hash)")
    banner = 'id="failures"' in page
    print(f"report: failure banner {'present' if banner else 'MISSING'}; "
          f"work folder {folder}")
    if differences:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
