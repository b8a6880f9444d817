"""Write tests/data/leaderboard_v1.zarr: a tiny schema-v1 store that tests keep loadable.

Run from the repository root: ``python tests/data/make_leaderboard_v1.py``. Rewrite it only
together with a schema version bump (fwbm_bench.leaderboard.schema.SCHEMA_VERSION).
"""

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from test_leaderboard import CONFIG, _files

from fwbm_bench.leaderboard import build_leaderboard, write_leaderboard
from fwbm_bench.scoring import benchmark_registry

with tempfile.TemporaryDirectory() as folder:
    results, fits = _files(Path(folder))
    registry = {k: b for k, b in benchmark_registry(["hcp"]).items()
                if k in ("hcp-fc-corr", "hcp-fcd-ks", "roitman2002-psychometric")}
    ds = build_leaderboard(results, fits, [], CONFIG, registry, {"hcp": {"description": "d", "provenance": "p",
                           "licence": "l", "caveats": "c"}}, "abc")
    ds.attrs["git_commit"] = "fixture"
    write_leaderboard(ds, HERE / "leaderboard_v1.zarr")
