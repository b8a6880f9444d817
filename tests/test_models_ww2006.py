"""Wong & Wang (2006) circuit (ww2006) and its selective whole-brain variant (ww2006_selective)."""

import numpy as np
import pytest

from fwbm_bench.connectome import delay_steps
from fwbm_bench.models import MODELS
from fwbm_bench.models.wong_wang_2006 import WongWang2006, resting_gating
from fwbm_bench.simulate import Stimulus, simulate
from fwbm_bench.simulate.random import simulation_noise
from fwbm_bench.tasks.perceptual_decision import behaviour_summary
from fwbm_bench.tasks.readout import intrinsic_decisions

COHERENCES = np.array([0.0, 3.2, 6.4, 12.8, 25.6, 51.2])
# literature.md 1b, independent re-implementation (tag D): mean RT of correct trials incl. 100 ms
REFERENCE_RT_MS = np.array([730, 702, 659, 576, 459, 355])


def ww2006_euler(weights, delays, p, s0, n_steps, dt, noise, gate, selective):
    """Independent NumPy Euler loop of either variant, one parameter set.

    delays (N, N) in steps, gate (n_steps, N) the 0/1 stimulus, noise (n_steps, 2, N).
    Returns r_1, r_2 and S = (S_1 + S_2) / 2 at the start of every step, shape (n_steps, 3, N).
    """
    n = len(weights)
    s1, s2 = np.full(n, s0), np.full(n, s0)
    i1, i2 = np.zeros(n), np.zeros(n)
    hist1, hist2 = [s1.copy()], [s2.copy()]  # hist[-1 - d] = value d steps ago

    def delayed(hist):
        return np.array([sum(weights[i, j] * hist[max(0, len(hist) - 1 - delays[i, j])][j] for j in range(n))
                         for i in range(n)])

    def rate(x):
        y = p["a"] * x - p["b"]
        return y / (1 - np.exp(-p["d"] * y))

    out = []
    for t in range(n_steps):
        c1, c2 = delayed(hist1), delayed(hist2)
        if selective:
            l1 = p["G"] * (p["J_N"] * c1 - p["J_X"] * c2)
            l2 = p["G"] * (p["J_N"] * c2 - p["J_X"] * c1)
        else:
            l1 = l2 = p["G"] * p["J_N"] * (c1 + c2) / 2
        stim = p["J_A_ext"] * p["mu_0"] * gate[t]
        x1 = p["J_N11"] * s1 - p["J_N12"] * s2 + p["I_0"] + stim * (1 + p["coherence"] / 100) + i1 + l1
        x2 = p["J_N11"] * s2 - p["J_N12"] * s1 + p["I_0"] + stim * (1 - p["coherence"] / 100) + i2 + l2
        r1, r2 = rate(x1), rate(x2)
        out.append(np.stack([r1, r2, (s1 + s2) / 2]))
        kick = p["sigma"] / np.sqrt(p["tau_AMPA"]) * np.sqrt(dt)
        s1 = np.clip(s1 + dt * (-s1 / p["tau_S"] + (1 - s1) * p["gamma"] * r1 / 1000), 0, 1)
        s2 = np.clip(s2 + dt * (-s2 / p["tau_S"] + (1 - s2) * p["gamma"] * r2 / 1000), 0, 1)
        i1, i2 = i1 - dt * i1 / p["tau_AMPA"] + kick * noise[t, 0], i2 - dt * i2 / p["tau_AMPA"] + kick * noise[t, 1]
        hist1.append(s1.copy())
        hist2.append(s2.copy())
    return np.array(out)


@pytest.mark.parametrize("name", ["ww2006_selective", "ww2006"])
def test_kernel_matches_numpy_reference_with_delays_noise_and_stimulus(name):
    model = MODELS[name]
    rng = np.random.default_rng(17)
    weights = rng.random((3, 3))
    np.fill_diagonal(weights, 0)
    lengths = rng.uniform(5, 40, (3, 3))
    dt, n_steps, speed, seeds = 0.2, 600, 4.0, [21, 22]
    params = {"G": [1.5, 0.8], "coherence": [25.6, -12.8], "sigma": [0.03, 0.02], "tau_AMPA": [3.0, 2.0]}
    if name == "ww2006_selective":
        params["J_X"] = [0.1, 0.4]
    amplitudes = np.zeros((1, 3, 2))
    amplitudes[0, 0] = 1.0  # region 0 sees the stimulus from 20 to 80 ms
    out = simulate(model, weights, lengths, params, duration_ms=n_steps * dt, seeds=seeds, dt_ms=dt,
                   output_period_ms=dt, conduction_speed_m_per_s=speed,
                   stimulus=Stimulus(np.array([[20.0, 80.0]]), amplitudes))
    gate = np.zeros((n_steps, 3))
    gate[100:400, 0] = 1.0
    delays = delay_steps(lengths, speed, dt)
    assert delays.max() > 10
    for b, seed in enumerate(seeds):
        p = {q.name: q.default for q in model.parameters} | {k: v[b] for k, v in params.items()}
        noise = simulation_noise(seed, n_steps, 2, 3)
        expected = ww2006_euler(weights, delays, p, resting_gating(p), n_steps, dt, noise, gate,
                                name == "ww2006_selective")
        np.testing.assert_allclose(out[..., b], expected, rtol=1e-10, atol=1e-12)
    assert np.ptp(out[:, 0, 0, 0]) > 1.0  # the stimulus and the noise move the rates


def test_resting_state_is_a_fixed_point_and_regions_are_isolated_without_weights():
    p = {q.name: q.default for q in WongWang2006.parameters}
    s = resting_gating(p)
    assert s == pytest.approx(0.1027, abs=1e-4)  # literature.md 1b re-implementation starts at S0 = 0.1
    out = simulate(MODELS["ww2006_selective"], np.zeros((2, 2)), np.zeros((2, 2)), {"sigma": 0.0, "G": 5.0},
                   duration_ms=500.0, seeds=[0], dt_ms=0.5)
    np.testing.assert_allclose(out[:, 2], s, rtol=1e-9)  # S stays at rest, whatever G
    np.testing.assert_allclose(out[:, 0], out[:, 1], rtol=1e-12)


def test_noise_current_is_ornstein_uhlenbeck_with_std_sigma_over_sqrt2():
    """tau dI/dt = -I + eta sqrt(tau sigma^2), eta unit white noise: var = sigma^2 / 2, correlation time tau.

    With J_N11 = J_N12 = 0 and a steep H (d = 10 s, a x - b ~ 54 Hz > 0) r_1 = a (I_0 + I_noise,1) - b
    exactly, so the outputs give back the noise current at every step. Euler's stationary
    variance at h = dt / tau is sigma^2 / (2 - h), 1.3 % above sigma^2 / 2 at dt = 0.1, tau = 2.
    """
    dt, taus, sigmas = 0.1, np.array([2.0, 5.0] * 8), np.array([0.02, 0.03] * 8)
    params = {"J_N11": 0.0, "J_N12": 0.0, "d": 10.0, "I_0": 0.6, "tau_AMPA": taus, "sigma": sigmas}
    out = simulate(WongWang2006, np.zeros((2, 2)), np.zeros((2, 2)), params, duration_ms=10000.0,
                   seeds=range(16), dt_ms=dt, output_period_ms=dt)
    current = (out[500:, :2] + 108.0) / 270.0 - 0.6  # (T, pool, region, batch)
    for k, (tau, sigma) in enumerate([(2.0, 0.02), (5.0, 0.03)]):
        series = current[..., k::2].reshape(current.shape[0], -1)
        assert abs(series.mean()) < 0.02 * sigma
        h = dt / tau
        assert series.std() == pytest.approx(sigma / np.sqrt(2 - h), rel=0.01)
        assert series.std() == pytest.approx(sigma / np.sqrt(2), rel=0.02)
        lag = round(tau / dt)
        correlation = (series[lag:] * series[:-lag]).mean() / series.var()
        assert correlation == pytest.approx((1 - h) ** lag, abs=0.015)  # ~ exp(-1): correlation time tau


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_isolated_circuit_psychometric_and_chronometric_functions(seed):
    """Wong & Wang (2006) Fig. 3 / literature.md 1b, through the tasks' intrinsic readout and
    behavioural summary: alpha 5.5-9 %, beta 1.0-1.7, mean correct RT falling by >= 250 ms
    from 0 % to 51.2 % (acceptance 1 of issue #5).

    2000 trials per coherence (as the paper): 2 unconnected regions x 1000 batch elements each,
    one simulate call. dt = 0.5 ms gives the same curves as the paper's 0.1 ms (checked once:
    alpha 6.26 / 6.34 % at dt 0.1 vs 6.28-6.42 % at dt 0.5, RTs within 5 ms): Euler keeps the
    low-frequency power of the OU noise exactly, and that is what the slow NMDA gating integrates.
    """
    per_region = 1000
    coherence = np.repeat(COHERENCES, per_region)
    pre, stim, period = 500.0, 2000.0, 5.0
    out = simulate(WongWang2006, np.zeros((2, 2)), np.zeros((2, 2)), {"coherence": coherence},
                   duration_ms=pre + stim, seeds=seed * 10**6 + np.arange(len(coherence)), dt_ms=0.5,
                   output_period_ms=period,
                   stimulus=Stimulus(np.array([[pre, pre + stim]]), np.ones((1, 2, len(coherence)))))
    after_onset = out[round(pre / period):]  # (samples, outputs, regions, batch)
    n_samples = after_onset.shape[0]
    decisions = intrinsic_decisions(after_onset[:, 0].reshape(n_samples, -1), after_onset[:, 1].reshape(n_samples, -1),
                                    period)
    trial_coherence = np.broadcast_to(coherence, out.shape[2:]).ravel()
    assert (decisions.choice >= 0).mean() > 0.995
    # coherence > 0 favours pool 1, i.e. alternative 0
    summary = behaviour_summary(decisions, trial_coherence, np.zeros(trial_coherence.size, dtype=int))
    assert 5.5 < summary["weibull_alpha_pct"] < 9.0, summary
    assert 1.0 < summary["weibull_beta"] < 1.7, summary
    p_correct = np.array(summary["p_correct"])
    assert abs(p_correct[0] - 0.5) < 0.04 and p_correct[-1] > 0.99
    mean_rt = np.array(summary["mean_rt_correct_ms"])
    assert np.all(np.diff(mean_rt) < 0), mean_rt
    assert mean_rt[0] - mean_rt[-1] >= 250.0
    np.testing.assert_allclose(mean_rt, REFERENCE_RT_MS, atol=50)
    assert summary["chronometric_r2"] > 0.9  # the paper's RTs have the monkeys' shape
