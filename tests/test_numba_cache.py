"""A DAG of many small jobs must not pay JIT compilation in every process."""

import os
import subprocess
import sys

SCRIPT = """
import numpy as np
from fwbm_bench.models import get_model
from fwbm_bench.simulate import simulate
from fwbm_bench.simulate.kernel import integrate_chunk
w = np.array([[0, 1.0], [1.0, 0]])
simulate(get_model("rww_ei"), w, w * 20, {"G": 0.1}, duration_ms=10.0, seeds=[0])
print(sum(integrate_chunk.stats.cache_hits.values()), sum(integrate_chunk.stats.cache_misses.values()))
"""


def test_second_process_loads_the_compiled_time_loop_from_disk(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("NUMBA_CACHE_DIR", None)
    runs = [subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env,
                           timeout=300, check=True).stdout.split() for _ in range(2)]
    assert runs[0] == ["0", "1"]  # first process compiles
    assert runs[1] == ["1", "0"]  # second process hits the cache
    assert any((tmp_path / "fwbm_bench" / "numba").rglob("*.nbi"))
