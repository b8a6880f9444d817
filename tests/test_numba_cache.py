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


THROWAWAY_MODEL = """
import numpy as np
from fwbm_bench.models.base import NodeModel, Parameter, register_node_functions
from fwbm_bench.simulate import simulate

def drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    dxdt[0] = -x[0]

def observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    out_row[0, i, b] += x[0] * weight

class Throwaway(NodeModel):
    name = "throwaway"
    state_variables = coupling_variables = output_variables = ("x",)
    bold_variable = "x"
    parameters = (Parameter("k", 1.0, "1", (0.0, 2.0), "unused", "test"),)

    @classmethod
    def prepare(cls, params, weights):
        n, b = len(weights), len(params["k"])
        return np.zeros((0, n, b)), np.ones((1, n, b))

register_node_functions(Throwaway, drift, observe)
w = np.array([[0, 1.0], [1.0, 0]])
simulate(Throwaway, w, w, {}, duration_ms=5.0, seeds=[0])
"""


def test_second_process_loads_the_compiled_time_loop_from_disk(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("NUMBA_CACHE_DIR", None)
    runs = [subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env,
                           timeout=300, check=True).stdout.split() for _ in range(2)]
    assert runs[0] == ["0", "1"]  # first process compiles
    assert runs[1] == ["1", "0"]  # second process hits the cache
    assert any((tmp_path / "fwbm_bench" / "numba").rglob("*.nbi"))


def test_a_model_missing_from_a_later_process_does_not_break_the_cache(tmp_path):
    """A plugin or test model compiled once must not make the cache unreadable without it."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("NUMBA_CACHE_DIR", None)
    subprocess.run([sys.executable, "-c", THROWAWAY_MODEL + SCRIPT], env=env, timeout=300, check=True,
                   capture_output=True)
    later = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300,
                           check=False)
    assert later.returncode == 0, later.stderr[-2000:]
    assert later.stdout.split() == ["1", "0"]
