#!/usr/bin/env bash
# The example plugin end to end (issue #9): install examples/fwbm-bench-mpr into the project's
# .venv, check that its entry is listed and passes the conformance kit, run the quick preset with
# it in a scratch copy of the workflow, and check that the leaderboard scores it.
# Run from the repository root after the README's test command (.ci/run does).
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
.venv/bin/pip install -q -e examples/fwbm-bench-mpr
.venv/bin/fwbm-bench entries | grep -E "^mpr +model .*\[from plugin package 'fwbm-bench-mpr'" \
  || { echo "example plugin: 'mpr' is not listed by fwbm-bench entries"; exit 1; }
.venv/bin/pytest -q -p no:cacheprovider examples/fwbm-bench-mpr/tests
work=$(mktemp -d /tmp/fwbm-plugin-e2e.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r Snakefile config workflow "$work"/
(cd "$work" && "$OLDPWD"/.venv/bin/snakemake --cores 2 --quiet progress --configfile config/quick.yaml \
   --config 'entries=["sc-as-fc","mpr"]' > snakemake.log 2>&1) \
  || { tail -30 "$work/snakemake.log"; echo "example plugin: the quick preset with 'mpr' failed"; exit 1; }
.venv/bin/python - "$work/results/leaderboard.zarr" <<'PY'
import sys

import numpy as np

from fwbm_bench.leaderboard.store import open_leaderboard

board = open_leaderboard(sys.argv[1])
assert "mpr" in board["entry"].values, "mpr is not in the leaderboard"
overall = float(board["overall"].sel(entry="mpr"))
scored = int((board["status"].sel(entry="mpr") == "ok").sum())
assert np.isfinite(overall) and scored > 0, f"mpr is not scored (overall {overall}, {scored} ok scores)"
print(f"example plugin: mpr scored by the quick preset: overall {overall:.3f}, {scored} benchmark scores ok")
PY
echo "example plugin end to end: $(( $(date +%s) - started )) s"
