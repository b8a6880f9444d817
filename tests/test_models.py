"""Node models: one conformance check over the registry, plus model-specific science."""

import numpy as np
import pytest
from reference import hopf_reference, jansen_rit_euler, rww_ei_euler

from fwbm_bench.connectome import delay_steps
from fwbm_bench.entries import ENTRIES
from fwbm_bench.models import MODELS
from fwbm_bench.models.rww_ei import ReducedWongWangEI, fic_fixed_point, fic_weights
from fwbm_bench.simulate import simulate
from fwbm_bench.simulate.random import simulation_noise
from fwbm_bench.testing import check_node_model


@pytest.mark.parametrize("name", sorted(MODELS))
def test_node_model_conformance(name):
    """The conformance kit (fwbm_bench.testing), as plugin authors run it."""
    assert MODELS[name].name == name
    check_node_model(MODELS[name])


def test_rww_kernel_matches_numpy_reference():
    """Deterministic and noisy trajectories equal an independent NumPy Euler loop."""
    rng = np.random.default_rng(7)
    weights = rng.random((4, 4))
    np.fill_diagonal(weights, 0)
    lengths = rng.uniform(5, 60, (4, 4))
    dt, n_steps, G = 0.5, 400, 0.3
    p = {q.name: q.default for q in ReducedWongWangEI.parameters} | {"G": G}
    J = fic_weights(p, weights.sum(axis=1))
    _, s_e0, s_i0 = fic_fixed_point(p)
    out = simulate(ReducedWongWangEI, weights, lengths, {"G": G}, duration_ms=n_steps * dt,
                   seeds=[11], dt_ms=dt, output_period_ms=dt, conduction_speed_m_per_s=5.0)
    noise = simulation_noise(11, n_steps, 2, 4)
    s_ref, r_ref = rww_ei_euler(weights, delay_steps(lengths, 5.0, dt), G, J, p, np.full(4, s_e0),
                                np.full(4, s_i0), n_steps, dt, noise)
    np.testing.assert_allclose(out[:, 0, :, 0], s_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out[:, 1, :, 0], r_ref, rtol=1e-10, atol=1e-9)


def test_fic_fixed_point_is_deco_2014_target():
    p = {q.name: q.default for q in ReducedWongWangEI.parameters}
    current_e, s_e, s_i = fic_fixed_point(p)
    assert current_e == pytest.approx(125 / 310 - 0.026)
    # literature.md section 3 (computed there independently): r_E = 3.063 Hz, S_E* = 0.1641, S_I* = 0.0392
    assert s_e == pytest.approx(0.1641, abs=1e-4)
    assert s_i == pytest.approx(0.0392, abs=1e-4)
    J = fic_weights(p | {"G": 1.0}, np.array([0.0, 1.0]))
    assert J[0] == pytest.approx(1.002, abs=2e-3)
    assert J[1] - J[0] == pytest.approx(0.628, abs=2e-3)


G_GRID = np.asarray(ENTRIES["rww-ei-fic"].free["G"])  # the entry's fitting grid


def test_fic_keeps_deterministic_rates_at_3_hz_on_hcp(hcp_connectome):
    out = simulate(ReducedWongWangEI, hcp_connectome.weights, hcp_connectome.tract_lengths_mm,
                   {"G": G_GRID, "sigma": 0.0}, duration_ms=2000.0, seeds=range(len(G_GRID)), dt_ms=1.0)
    np.testing.assert_allclose(out[-500:, 1], 3.063, atol=0.01)


def test_fic_keeps_noisy_mean_rates_near_3_hz_across_the_grid(hcp_connectome):
    """Deco et al. (2014): FIC clamps excitatory rates at ~3 Hz below the critical coupling; with
    noise, the HCP-80 network leaves that state near G = 0.4 (where its FC fit peaks)."""
    out = simulate(ReducedWongWangEI, hcp_connectome.weights, hcp_connectome.tract_lengths_mm,
                   {"G": G_GRID}, duration_ms=12000.0, seeds=range(len(G_GRID)), dt_ms=1.0)
    mean_rate = out[2000:, 1].mean(axis=(0, 1))
    low = G_GRID <= 0.35
    assert np.all((mean_rate[low] > 2.8) & (mean_rate[low] < 4.5)), mean_rate
    assert mean_rate[-1] > 8.0 and np.all(np.diff(mean_rate) > 0), mean_rate
    without_fic = simulate(ReducedWongWangEI, hcp_connectome.weights, hcp_connectome.tract_lengths_mm,
                           {"G": 0.35, "fic": 0.0}, duration_ms=3000.0, seeds=[0], dt_ms=1.0)
    assert without_fic[1000:, 1].mean() > 8.0  # without FIC the coupled network leaves 3 Hz


def test_benchmark_dt_gives_the_same_rates_as_reference_dt(hcp_connectome):
    """dt = 1 ms (benchmark default) vs the model's reference 0.1 ms: mean r_E within 5 %."""
    rates = []
    for dt in (0.1, 1.0):
        out = simulate(ReducedWongWangEI, hcp_connectome.weights, hcp_connectome.tract_lengths_mm,
                       {"G": [0.1, 0.25]}, duration_ms=6000.0, seeds=[3, 4], dt_ms=dt, output_period_ms=1.0)
        rates.append(out[1000:, 1].mean(axis=(0, 1)))
    np.testing.assert_allclose(rates[1], rates[0], rtol=0.05)


def test_hopf_limit_cycle_radius_is_sqrt_a():
    """Isolated regions above the bifurcation settle on a circle of radius sqrt(a) at f."""
    weights = np.zeros((2, 2))
    weights[0, 1] = weights[1, 0] = 1.0
    out = simulate(MODELS["hopf"], weights, np.full((2, 2), 10.0), {"a": 0.25, "f": 1.0, "beta": 0.0},
                   duration_ms=20000.0, seeds=[0], dt_ms=0.1, output_period_ms=0.1)
    radius = np.hypot(out[-20000:, 0, :, 0], out[-20000:, 1, :, 0])
    # Euler's O(omega^2 dt) bias: r^2 = a + omega^2 dt / 2 = 0.25197 -> r = 0.502
    np.testing.assert_allclose(radius, 0.5, rtol=0.01)
    upward = np.sum((out[-20000:-1, 0, 0, 0] < 0) & (out[-19999:, 0, 0, 0] >= 0))
    assert upward == 2  # 2 s at 1 Hz


def test_hopf_below_bifurcation_has_the_linear_noise_variance():
    """a < 0, small noise: each coordinate is an OU-like process with variance beta^2 / (2 |a|)."""
    weights = np.zeros((2, 2))
    out = simulate(MODELS["hopf"], weights, np.zeros((2, 2)), {"a": -0.5, "beta": 0.05, "f": 0.05},
                   duration_ms=200000.0, seeds=range(8), dt_ms=1.0, output_period_ms=10.0)
    variance = out[1000:, :2].var()
    assert variance == pytest.approx(0.05**2 / (2 * 0.5), rel=0.1)


@pytest.mark.parametrize("scheme", ["euler", "heun"])
def test_hopf_kernel_matches_numpy_reference(scheme):
    rng = np.random.default_rng(3)
    weights = rng.random((4, 4))
    np.fill_diagonal(weights, 0)
    lengths = rng.uniform(5, 60, (4, 4))
    params = {"G": 0.8, "a": 0.1, "f": 2.0, "beta": 0.05}
    out = simulate(MODELS["hopf"], weights, lengths, params, duration_ms=300.0, seeds=[4], dt_ms=1.0,
                   output_period_ms=1.0, conduction_speed_m_per_s=2.0, scheme=scheme)
    _, initial = MODELS["hopf"].prepare(MODELS["hopf"].resolve(params, 1), weights)
    noise = simulation_noise(4, 300, 2, 4)
    expected = hopf_reference(weights, delay_steps(lengths, 2.0, 1.0), 0.8, 0.1, 2.0, 0.05,
                              initial[0, :, 0], initial[1, :, 0], 300, 1.0, noise, scheme)
    np.testing.assert_allclose(out[..., 0], expected, rtol=1e-10, atol=1e-13)


def test_heun_removes_eulers_limit_cycle_bias():
    """At dt = 1 ms and f = 1 Hz, Euler inflates the radius by ~4 %; Heun's error is O(dt^2)."""
    weights = np.zeros((2, 2))
    radius = {}
    for scheme in ("euler", "heun"):
        out = simulate(MODELS["hopf"], weights, np.zeros((2, 2)), {"a": 0.25, "f": 1.0, "beta": 0.0},
                       duration_ms=30000.0, seeds=[0], dt_ms=1.0, scheme=scheme)
        radius[scheme] = np.hypot(out[-2000:, 0, 0, 0], out[-2000:, 1, 0, 0]).mean()
    assert radius["euler"] == pytest.approx(np.sqrt(0.25 + (2 * np.pi) ** 2 * 1e-3 / 2), rel=2e-3)
    assert radius["heun"] == pytest.approx(0.5, rel=1e-3)


def test_jansen_rit_isolated_column_oscillates_in_alpha():
    """Standard parameters: PSD peak 10.7-11.0 Hz, mean y1 - y2 ~ 7.6 mV (literature.md section 5)."""
    from scipy.signal import welch

    out = simulate(MODELS["jansen_rit"], np.zeros((2, 2)), np.zeros((2, 2)), {},
                   duration_ms=20000.0, seeds=[0, 1, 2], dt_ms=0.1, output_period_ms=1.0)
    signal = out[2000:, 0, 0, :]
    for k in range(3):
        freqs, power = welch(signal[:, k] - signal[:, k].mean(), fs=1000.0, nperseg=4096)
        assert 10.0 <= freqs[np.argmax(power)] <= 11.5
    assert signal.mean() == pytest.approx(7.6, abs=0.3)


def test_jansen_rit_kernel_matches_numpy_reference():
    rng = np.random.default_rng(5)
    weights = rng.random((3, 3))
    np.fill_diagonal(weights, 0)
    lengths = rng.uniform(5, 40, (3, 3))
    params = {"G": 2.0}
    out = simulate(MODELS["jansen_rit"], weights, lengths, params, duration_ms=50.0, seeds=[8], dt_ms=0.1,
                   output_period_ms=0.1, conduction_speed_m_per_s=5.0)
    p = {q.name: q.default for q in MODELS["jansen_rit"].parameters} | params
    noise = simulation_noise(8, 500, 1, 3)
    expected = jansen_rit_euler(weights, delay_steps(lengths, 5.0, 0.1), p, 500, 0.1, noise)
    np.testing.assert_allclose(out[:, 0, :, 0], expected, rtol=1e-9, atol=1e-9)


def test_kuramoto_order_parameter_rises_with_coupling():
    """All-to-all, Gaussian frequencies: R stays small below K_c and approaches 1 above it."""
    n = 60
    weights = np.ones((n, n)) - np.eye(n)
    sigma_omega = 2 * np.pi * 0.1
    k_critical = 2 * np.sqrt(2 * np.pi) * sigma_omega / np.pi
    ks = np.array([0.0, 0.5, 2.0, 4.0]) * k_critical
    out = simulate(MODELS["kuramoto"], weights, np.zeros((n, n)), {"G": ks / n, "f": 1.0, "f_sd": 0.1},
                   duration_ms=60000.0, seeds=range(4), dt_ms=1.0, output_period_ms=10.0)
    sin, cos = out[-2000:, 0], out[-2000:, 1]
    order = np.hypot(sin.mean(axis=1), cos.mean(axis=1)).mean(axis=0)
    # below K_c both stay at the incoherent floor (~0.05 here); above it R jumps towards 1
    assert order[0] < 0.15 and order[1] < 0.15, order
    assert order[2] > 0.85 and order[3] >= order[2], order


def test_kuramoto_kernel_matches_numpy_reference():
    rng = np.random.default_rng(11)
    weights = rng.random((4, 4))
    np.fill_diagonal(weights, 0)
    lengths = rng.uniform(5, 60, (4, 4))
    params = {"G": 3.0, "f": 5.0, "f_sd": 1.0, "sigma": 0.3}
    model = MODELS["kuramoto"]
    out = simulate(model, weights, lengths, params, duration_ms=200.0, seeds=[2], dt_ms=1.0,
                   output_period_ms=1.0, conduction_speed_m_per_s=2.0)
    omega, theta0 = model.prepare(model.resolve(params, 1), weights)
    delays = delay_steps(lengths, 2.0, 1.0)
    noise = simulation_noise(2, 200, 1, 4)
    thetas = [theta0[0, :, 0]]
    expected = []
    for t in range(200):
        theta = thetas[-1]
        expected.append(np.sin(theta))
        delayed = np.array([[thetas[max(0, len(thetas) - 1 - delays[i, j])][j] for j in range(4)] for i in range(4)])
        drift = omega[0, :, 0] + 3.0 * (weights * np.sin(delayed - theta[:, None])).sum(axis=1)
        thetas.append(theta + 1e-3 * drift + 0.3 * np.sqrt(1e-3) * noise[t, 0])
    np.testing.assert_allclose(out[:, 0, :, 0], np.array(expected), rtol=1e-9, atol=1e-12)
