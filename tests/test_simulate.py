"""Integrator: determinism, batching, chunking, delays, divergence, input validation."""

import platform
from typing import ClassVar

import numpy as np
import pytest

from fwbm_bench._numba import njit
from fwbm_bench.errors import ConfigError, InputError, SimulationError
from fwbm_bench.models import MODELS
from fwbm_bench.models.base import NodeModel, Parameter, register_node_functions
from fwbm_bench.models.hopf import StuartLandau
from fwbm_bench.models.rww_ei import ReducedWongWangEI
from fwbm_bench.simulate import Stimulus, network_step, simulate
from fwbm_bench.simulate.integrator import _edges_by_delay_class
from fwbm_bench.simulate.primitives import gather_level, write_history

W = np.array([[0, 1.0, 0.5], [1.0, 0, 0.2], [0.5, 0.2, 0]])
L = np.array([[0, 30.0, 80], [30, 0, 10], [80, 10, 0]])


def run(**kwargs):
    settings = {"duration_ms": 300.0, "seeds": [5], "dt_ms": 0.5, "output_period_ms": 1.0}
    settings.update(kwargs)
    params = settings.pop("params", {"G": 0.2})
    return simulate(ReducedWongWangEI, W, L, params, **settings)


def test_same_seed_is_bit_identical_and_other_seed_differs():
    np.testing.assert_array_equal(run(), run())
    assert not np.array_equal(run(), run(seeds=[6]))


def test_batch_element_equals_single_run():
    batch = run(params={"G": [0.0, 0.2, 0.3]}, seeds=[9, 5, 7])
    np.testing.assert_array_equal(batch[..., 1], run()[..., 0])


def test_chunk_size_does_not_change_results():
    np.testing.assert_array_equal(run(chunk_ms=7.0), run(chunk_ms=1000.0))


def test_dense_network_is_bit_identical_alone_in_a_batch_in_tiles_and_in_chunks(monkeypatch):
    """Many inputs per region (the gather's 4-way blocks), zero and long delays (its scalar and
    vector paths), batch tiles and chunk boundaries: every element's trajectory is the same."""
    from fwbm_bench.simulate import integrator

    rng = np.random.default_rng(4)
    weights = rng.random((12, 12)) * (rng.random((12, 12)) < 0.8)
    np.fill_diagonal(weights, 0.0)
    lengths = np.where(rng.random((12, 12)) < 0.3, 0.0, rng.uniform(5.0, 150.0, (12, 12)))
    settings = {"duration_ms": 200.0, "dt_ms": 0.5, "output_period_ms": 0.5, "conduction_speed_m_per_s": 10.0}
    alone = simulate(ReducedWongWangEI, weights, lengths, {"G": 0.4}, seeds=[3], **settings)
    batch = simulate(ReducedWongWangEI, weights, lengths, {"G": [0.1, 0.4, 0.2]}, seeds=[8, 3, 5],
                     chunk_ms=3.5, **settings)
    monkeypatch.setattr(integrator, "HISTORY_TILE_BYTES", 1)  # one element per tile
    monkeypatch.setattr(integrator, "VECTORISED_HISTORY_TILE_BYTES", 1)
    tiled = simulate(ReducedWongWangEI, weights, lengths, {"G": [0.1, 0.4, 0.2]}, seeds=[8, 3, 5], **settings)
    np.testing.assert_array_equal(batch[..., 1], alone[..., 0])
    np.testing.assert_array_equal(tiled, batch)


@pytest.mark.parametrize(("shape", "dtype"), [((3, 80, 16), np.float64), ((7,), np.uint64), ((0, 5), np.float64),
                                             ((1, 80, 250, 16), np.float64)])
def test_time_loop_arrays_start_on_a_cache_line(shape, dtype):
    """numba's own arrays are 32-byte aligned and NumPy's 16: aligned_empty gives 64 (and
    the integrator's tile copies keep the values)."""
    from fwbm_bench.simulate.integrator import _aligned_copy
    from fwbm_bench.simulate.primitives import CACHE_LINE_BYTES, aligned_empty

    for _ in range(4):  # successive allocations land at different offsets
        array = aligned_empty(shape, dtype)
        assert array.shape == shape and array.dtype == dtype and array.flags.c_contiguous
        assert array.ctypes.data % CACHE_LINE_BYTES == 0
    values = np.arange(np.prod(shape), dtype=dtype).reshape(shape)
    copy = _aligned_copy(values[..., :])
    assert copy.ctypes.data % CACHE_LINE_BYTES == 0
    np.testing.assert_array_equal(copy, values)


def test_batch_tiles_cover_the_batch_in_whole_cache_lines_for_the_simd_path():
    """3 MB tiles of 160 kB per element hold 18 elements: the SIMD path rounds that down to 16 (two
    64-byte lines per step and region); fewer than 8 and the per-element path's tiles stay as they are."""
    from fwbm_bench.simulate.integrator import VECTORISED_HISTORY_TILE_BYTES, _tile_bounds

    assert VECTORISED_HISTORY_TILE_BYTES // 160_000 == 18
    assert _tile_bounds(40, 160_000, vectorised=True) == [(0, 16), (16, 32), (32, 40)]
    assert _tile_bounds(16, 160_000, vectorised=True) == [(0, 16)]
    assert _tile_bounds(18, 160_000, vectorised=True) == [(0, 18)]  # one tile: nothing to round
    assert _tile_bounds(8, 1_000_000, vectorised=True) == [(0, 3), (3, 6), (6, 8)]  # under a line: as is
    assert _tile_bounds(20, 160_000) == [(0, 9), (9, 18), (18, 20)]  # 1.5 MB, per-element path: not rounded


@pytest.mark.parametrize("scheme", ["euler", "heun"])
@pytest.mark.parametrize("model", [ReducedWongWangEI, StuartLandau], ids=lambda m: m.name)
@pytest.mark.parametrize("seeds", [[3], [8, 3, 5], list(range(45))], ids=["single", "batch", "rows"])
def test_batch_forms_step_the_network_bit_identically_to_the_scalar_path(monkeypatch, model, scheme, seeds):
    """simulate.network_step (SIMD along rows of regions times elements) against the per-element
    loop: same trajectories to the last bit, with delays, white and OU noise, state bounds
    (rWW-EI) and a stimulus. 9 regions in a batch of 45 are seen as 3 rows of 3 regions."""
    assert model.has_batch_form
    rng = np.random.default_rng(11)
    weights = rng.random((9, 9)) * (rng.random((9, 9)) < 0.7)
    np.fill_diagonal(weights, 0.0)
    lengths = rng.uniform(5.0, 120.0, (9, 9))
    amplitudes = np.zeros((1, 9, len(seeds)))
    amplitudes[0, 2] = 0.05
    settings = {"duration_ms": 300.0, "dt_ms": 0.5, "output_period_ms": 1.0, "conduction_speed_m_per_s": 10.0,
                "seeds": seeds, "scheme": scheme, "stimulus": Stimulus(np.array([[50.0, 120.0]]), amplitudes)}
    params = {"G": np.linspace(0.1, 0.4, len(seeds))}
    for noise_tau_ms in (0.0, 5.0):
        vectorised = simulate(model, weights, lengths, params, noise_tau_ms=noise_tau_ms, **settings)
        with monkeypatch.context() as patch:
            patch.setattr(model, "has_batch_form", False)
            scalar = simulate(model, weights, lengths, params, noise_tau_ms=noise_tau_ms, **settings)
        assert np.isfinite(vectorised).all() and vectorised.std() > 0
        np.testing.assert_array_equal(vectorised, scalar)


def test_doubled_ring_buffer_gathers_the_values_from_d_steps_ago():
    n_slots = 5
    history = np.zeros((1, 2, 2 * n_slots, 1))  # one variable, 2 regions, batch 1
    head = 0
    for step in range(1, 8):
        head = (head + 1) % n_slots
        write_history(history, head, n_slots, np.array([[[float(step)], [10.0 * step]]]))
    # region 0 reads region 1 with delay 3: level_ptr lists the connections into each target
    connection = (np.array([0, 1, 1]), np.array([1]), np.array([3]), np.array([2.0]))
    block = np.zeros((1, 2, 4))
    gather_level(history, head, n_slots, *connection, 0, 1, block)
    # the value written 3 steps before the newest (7) -> 40
    assert block[0, 0, 0] == 2.0 * 40.0 and (block[0, 0, 1:] == 0).all() and (block[0, 1] == 0).all()
    # a block of the next 4 steps reads steps 4 .. 7, contiguous despite the wrap of the ring
    block[:] = 0.0
    gather_level(history, head, n_slots, *connection, 0, 4, block)
    np.testing.assert_array_equal(block[0, 0], 2.0 * np.array([40.0, 50.0, 60.0, 70.0]))
    np.testing.assert_array_equal(block[0, 1], 0.0)


def test_delay_classes_cover_every_connection_once():
    rng = np.random.default_rng(3)
    weights = rng.random((6, 6)) * (rng.random((6, 6)) < 0.7)
    delays = rng.integers(0, 70, (6, 6))
    level_ptr, source, delay, weight = _edges_by_delay_class(weights, delays)
    rebuilt = np.zeros_like(weights)
    for level in range(level_ptr.shape[0]):
        for target in range(6):
            for e in range(level_ptr[level, target], level_ptr[level, target + 1]):
                assert delay[e] >= 2**level - 1 and (level == level_ptr.shape[0] - 1 or delay[e] < 2**(level + 1) - 1)
                assert delays[target, source[e]] == delay[e]
                rebuilt[target, source[e]] += weight[e]
    np.testing.assert_array_equal(rebuilt, weights)


def test_stimulus_raises_rates_only_while_on():
    amplitudes = np.zeros((1, 3, 1))
    amplitudes[0, 0, 0] = 0.1
    out = run(params={"G": 0.0, "sigma": 0.0}, stimulus=Stimulus(np.array([[100.0, 200.0]]), amplitudes))
    rate = out[:, 1, :, 0]
    assert rate[150, 0] > 2 * rate[50, 0]
    np.testing.assert_allclose(rate[150, 1:], rate[50, 1:])


@pytest.mark.parametrize("kwargs, match", [
    ({"dt_ms": 0.0}, "dt_ms must be a positive number"),
    ({"dt_ms": 0.3}, r"output_period_ms \(1.0\) must be a whole multiple of dt_ms \(0.3\)"),
    ({"conduction_speed_m_per_s": -1.0}, "conduction speed must be > 0"),
    ({"params": {"G": -1.0}}, r"parameter 'G' must lie in \[0.0, 50.0\]"),
    ({"params": {"Gee": 1.0}}, "has no parameter 'Gee'"),
    ({"seeds": [-1]}, "seeds must be non-negative integers"),
    ({"scheme": "rk4"}, "scheme must be one of"),
    ({"noise_tau_ms": -5.0}, "noise_tau_ms must be 0 ms"),
    ({"noise_tau_ms": 0.5}, r"noise_tau_ms must be 0 ms \(white noise\) or >= 2 dt_ms = 1 ms"),
])
def test_bad_settings_fail_before_numba(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        run(**kwargs)


def test_bad_connectome_fails_before_numba():
    with pytest.raises(InputError, match="tract lengths: expected finite values"):
        simulate(ReducedWongWangEI, W, L * np.nan, {}, duration_ms=10.0, seeds=[0])
    with pytest.raises(InputError, match=r"tract lengths: expected non-negative values, found negatives in 2 entries, first at index \(0, 1\)"):
        simulate(ReducedWongWangEI, W, np.where(W > 0.9, -L, L), {}, duration_ms=10.0, seeds=[0])


@pytest.mark.parametrize("tau_ms, expected_ratio", [(0.0, 1.0), (10.0, 1.0 / (1.0 + 5.0 * 0.01)),
                                                    (200.0, 0.5)])
def test_ou_noise_variance_matches_the_filtered_spectrum(tau_ms, expected_ratio):
    """Linear regime of an isolated Hopf node, x' = -k x + beta eta: with eta white the
    stationary variance is beta^2 / (2 k); with OU eta of correlation time tau (normalised to the
    same low-frequency power) it is beta^2 / (2 k (1 + k tau)); k = 5 /s, tau = 0.2 s halves it."""
    from fwbm_bench.models import get_model

    k, beta, n_regions, batch = 5.0, 0.02, 20, 16
    out = simulate(get_model("hopf"), np.zeros((n_regions, n_regions)), np.zeros((n_regions, n_regions)),
                   {"a": -k, "f": 0.0, "beta": beta}, duration_ms=22_000.0, seeds=range(batch), dt_ms=1.0,
                   output_period_ms=1.0, noise_tau_ms=tau_ms)
    variance = out[2000:, 0].var()  # after a 2 s transient (1 / k = 0.2 s)
    white = beta ** 2 / (2 * k)
    assert variance / white == pytest.approx(expected_ratio, rel=0.05)


def _exploding_drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    dxdt[0] = global_params[0, b] * x[0] * (i + 1)


def _exploding_observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    out_row[0, i, b] += x[0] * weight


class _ExplodingModel(NodeModel):
    name = "exploding"
    state_variables = ("x",)
    coupling_variables = ("x",)
    output_variables = ("x",)
    bold_variable = "x"
    noise: ClassVar[dict] = {}
    parameters = (Parameter("growth", 50.0, "1/ms", (0.0, 1e6), "growth rate", "test"),)

    @classmethod
    def prepare(cls, params, weights):
        batch = len(params["growth"])
        return np.zeros((0, len(weights), batch)), np.ones((1, len(weights), batch))


register_node_functions(_ExplodingModel, _exploding_drift, _exploding_observe)


def test_divergence_stops_with_region_and_time():
    with pytest.raises(SimulationError, match=r"diverged \(non-finite x\) in region 2, batch element 0, at t = \d"):
        simulate(_ExplodingModel, W, L, {}, duration_ms=1000.0, seeds=[0], dt_ms=1.0)


def test_initial_state_override_sets_first_output_and_is_validated():
    from fwbm_bench.models import get_model

    model = get_model("hopf")
    weights = np.array([[0.0, 1.0], [1.0, 0.0]])
    start = np.array([[0.3, -0.2], [0.1, 0.4]])
    out = simulate(model, weights, np.full((2, 2), 10.0), {"beta": 0.0, "a": 1.0}, duration_ms=2.0,
                   seeds=[0], dt_ms=1.0, output_period_ms=1.0, initial_state=start)
    np.testing.assert_allclose(out[0, :, :, 0], start)
    with pytest.raises(ConfigError, match="initial_state needs shape"):
        simulate(model, weights, np.full((2, 2), 10.0), {}, duration_ms=2.0, seeds=[0], initial_state=np.zeros(3))


def test_clip_has_python_min_max_semantics_including_nan_and_signed_zero():
    from fwbm_bench.simulate.primitives import clip

    for value in (-0.0, 0.0, 0.5, -3.0, 7.0, np.inf, -np.inf, np.nan):
        for low, high in ((0.0, 1.0), (-np.inf, np.inf), (-0.0, 0.0)):
            ours, python = clip(value, low, high), min(max(value, low), high)
            assert (np.isnan(ours) and np.isnan(python)) or (ours == python and np.signbit(ours) == np.signbit(python))


@pytest.mark.parametrize(("n_regions", "batch", "expected"),
                         [(80, 16, 8), (80, 32, 4), (80, 1, 80), (80, 128, 1), (68, 16, 17), (67, 16, 67), (9, 45, 3)])
def test_rows_hold_the_fewest_regions_that_reach_the_minimum_width(n_regions, batch, expected):
    assert network_step.regions_per_row(n_regions, batch) == expected
    assert expected == n_regions or expected * batch >= network_step.MIN_ROW_WIDTH


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="checks x86 packed-double instructions")
@pytest.mark.parametrize("model", [MODELS[name] for name in MODELS if MODELS[name].has_batch_form],
                         ids=lambda m: m.name)
def test_batch_forms_compile_to_simd_code_that_rows_use(model):
    """The point of the batch forms: their loops become packed (SIMD) arithmetic. A call left in
    the loop (math.exp, min/max, a scalar .view) silently turns them scalar again. LLVM also
    guards its vector loop by a minimum trip count (network_step.regions_per_row): the rows the
    loop presents must be at least that long, or the SIMD code is never run."""
    import re

    from fwbm_bench.models.base import node_drift_batch, node_drift_observe_batch

    @njit(cache=False)
    def drift_all(tag, state, coupling, ext, global_params, node_params, dxdt):
        node_drift_batch(tag, state, coupling, ext, global_params, node_params, dxdt)

    @njit(cache=False)
    def drift_observe_all(tag, state, coupling, ext, global_params, node_params, dxdt, out_row):
        node_drift_observe_batch(tag, state, coupling, ext, global_params, node_params, dxdt, out_row, 0.5)

    batch, n_regions = 16, 4
    params = model.resolve({}, batch)
    node_params, state = model.prepare(params, np.ones((n_regions, n_regions)) / n_regions)
    arrays = (model.tag, state, np.zeros((len(model.coupling_variables), n_regions, batch)),
              np.zeros((n_regions, batch)), model.parameter_rows(params), node_params, np.empty(state.shape))
    drift_all(*arrays)
    drift_observe_all(*arrays, np.zeros((len(model.output_variables), n_regions, batch)))
    for function in (drift_all, drift_observe_all):
        ir = function.inspect_llvm(function.signatures[0])
        assert re.search(r"^vector\.body[\w.]*:", ir, re.MULTILINE), f"LLVM did not vectorise {function.__name__}"
        guards = [int(n) for n in re.findall(r"icmp ult i64 %arg\.state\.5\.2, (\d+)", ir)]
        assert guards or "found.conflict" not in ir, "overlap checks without a guard found: update the pattern"
        assert all(n <= network_step.MIN_ROW_WIDTH for n in guards), (function.__name__, guards)


@njit(inline="always")
def _leaky_rates(x, y, i, b, coupling, ext, global_params):
    return (-x / global_params[1, b] + global_params[0, b] * coupling[0, i, b] + ext[i, b], x - 2.0 * y)


def _leaky_drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    dxdt[0], dxdt[1] = _leaky_rates(x[0], x[1], i, b, coupling, ext, global_params)


def _leaky_observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    out_row[0, i, b] += x[1] * weight


def _leaky_drift_batch(tag, state, coupling, ext, global_params, node_params, dxdt):
    for i in range(state.shape[1]):
        for b in range(state.shape[2]):
            dxdt[0, i, b], dxdt[1, i, b] = _leaky_rates(state[0, i, b], state[1, i, b], i, b, coupling, ext,
                                                        global_params)


def _leaky_drift_observe_batch(tag, state, coupling, ext, global_params, node_params, dxdt, out_row, weight):
    for i in range(state.shape[1]):
        for b in range(state.shape[2]):
            out_row[0, i, b] += state[1, i, b] * weight
            dxdt[0, i, b], dxdt[1, i, b] = _leaky_rates(state[0, i, b], state[1, i, b], i, b, coupling, ext,
                                                        global_params)


class _LeakyPair(NodeModel):
    """x noisy and unbounded, y noiseless and clipped to [0, 0.05]: the branches hopf and rww_ei do not take."""

    name = "leaky-pair"
    description = "a leaky integrator x feeding a clipped, noiseless y (test model)"
    citation = "this test"
    state_variables = ("x", "y")
    coupling_variables = ("x",)
    output_variables = ("y",)
    bold_variable = task_readout = "y"
    noise: ClassVar[dict] = {"x": "sigma"}
    state_bounds: ClassVar[dict] = {"y": (0.0, 0.05)}
    parameters = (Parameter("G", 0.5, "1", (0.0, 5.0), "coupling", "this test"),
                  Parameter("tau", 10.0, "ms", (0.1, 100.0), "leak time", "this test"),
                  Parameter("sigma", 0.05, "ms^-1/2", (0.0, 1.0), "noise on x", "this test"))

    @classmethod
    def prepare(cls, params, weights):
        n, batch = weights.shape[0], len(params["G"])
        return np.zeros((0, n, batch)), np.zeros((2, n, batch))


register_node_functions(_LeakyPair, _leaky_drift, _leaky_observe, drift_batch=_leaky_drift_batch,
                        drift_observe_batch=_leaky_drift_observe_batch)


def test_batch_forms_with_a_noiseless_clipped_variable_pass_the_kit():
    from fwbm_bench.testing import check_node_model

    check_node_model(_LeakyPair)  # includes batch 1 and 2 simulated through both paths, compared bit for bit
    out = simulate(_LeakyPair, W, L, {}, duration_ms=200.0, seeds=[5])  # x runs away upwards with this seed
    assert out.max() == pytest.approx(0.05, rel=1e-12) and out.min() == 0.0  # the bound is reached and held


def test_register_node_functions_wants_both_batch_forms():
    with pytest.raises(TypeError, match="give both drift_batch and drift_observe_batch"):
        register_node_functions(type("HalfBatch", (_LeakyPair,), {}), _leaky_drift, _leaky_observe,
                                drift_batch=_leaky_drift_batch)
