"""Adapters (fwbm_bench.adapters): neurolib's and TVB's Hopf models run through the benchmark
protocol give the trajectories of our own engine for the same equations. Skipped where the
peer is not installed (extras [neurolib] and [tvb])."""

import math

import numpy as np
import pytest

from fwbm_bench.entries import ENTRIES, HOPF_G_GRID
from fwbm_bench.errors import ConfigError
from fwbm_bench.models import MODELS, get_model
from fwbm_bench.models.base import register_node_functions
from fwbm_bench.models.hopf import StuartLandau
from fwbm_bench.simulate import Stimulus, simulate
from fwbm_bench.testing import check_entry, check_node_model

neurolib = pytest.importorskip("neurolib", reason="the neurolib adapter needs the extra [neurolib]")


class HopfCoupledInX(StuartLandau):
    """Our hopf with only x coupled: the equations of neurolib's HopfModel."""

    name = "hopf-x-coupled-test"
    coupling_variables = ("x",)


def _drift_x_only(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    omega = 2.0 * math.pi * global_params[2, b]
    radial = global_params[1, b] - x[0] * x[0] - x[1] * x[1]
    dxdt[0] = radial * x[0] - omega * x[1] + global_params[0, b] * (coupling[0, i, b] - node_params[0, i, b] * x[0]) \
        + ext[i, b]
    dxdt[1] = radial * x[1] + omega * x[0]


def _observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    out_row[0, i, b] += x[0] * weight
    out_row[1, i, b] += x[1] * weight


register_node_functions(HopfCoupledInX, _drift_x_only, _observe)


@pytest.fixture(scope="module")
def network():
    rng = np.random.default_rng(3)
    weights = rng.random((4, 4))
    np.fill_diagonal(weights, 0.0)
    lengths = rng.uniform(5.0, 40.0, (4, 4))
    lengths = (lengths + lengths.T) / 2
    np.fill_diagonal(lengths, 0.0)
    return weights, lengths


DETERMINISTIC = {"G": 2.0, "a": 5.0, "f": 8.0, "beta": 0.0}
RUN = {"duration_ms": 200.0, "seeds": [0], "dt_ms": 0.1, "conduction_speed_m_per_s": 5.0, "output_period_ms": 0.5}


def test_neurolib_adapter_reproduces_our_trajectory_with_input(network):
    """Delays up to 80 steps, a limit cycle (|x| up to 0.6) and an input pulse into two regions:
    the same trajectory to rounding (measured 2e-15)."""
    stimulus = Stimulus(np.array([[20.0, 60.0]]), np.array([3.0, 0.0, 0.0, -2.0])[None, :, None])
    ours = simulate(HopfCoupledInX, *network, DETERMINISTIC, stimulus=stimulus, **RUN)
    peer = simulate(get_model("neurolib_hopf"), *network, DETERMINISTIC, stimulus=stimulus, **RUN)
    assert np.abs(ours).max() > 0.3
    np.testing.assert_allclose(peer, ours, rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", ["neurolib_hopf", "tvb_suphopf"])
def test_adapters_map_the_noise_onto_ours(name):
    """Linear regime, uncoupled: the stationary variance of x is beta^2 / (2 |a|) (the model's
    docstring); neurolib's OU input of 5 ms lowers it by about |a| tau_ou = 5 %."""
    if name == "tvb_suphopf":
        pytest.importorskip("tvb", reason="the TVB adapter needs the extra [tvb]")
    params = {"G": 0.0, "a": -10.0, "f": 1.0, "beta": 0.5}
    out = simulate(get_model(name), np.zeros((4, 4)), np.zeros((4, 4)), params, duration_ms=12_000.0, seeds=[7],
                   dt_ms=1.0, output_period_ms=1.0)
    variance = out[1000:, 0].var()  # after 10 decay times; 4 independent regions pooled
    assert variance == pytest.approx(0.5 ** 2 / (2 * 10.0), rel=0.12)


def test_tvb_adapter_reproduces_our_trajectory(network):
    """The registered hopf (x and y coupled) against TVB's SupHopf + Difference: equal within
    TVB's float32 coupling sums (measured 2.4e-9)."""
    pytest.importorskip("tvb", reason="the TVB adapter needs the extra [tvb]")
    ours = simulate(get_model("hopf"), *network, DETERMINISTIC, **RUN)
    peer = simulate(get_model("tvb_suphopf"), *network, DETERMINISTIC, **RUN)
    np.testing.assert_allclose(peer, ours, rtol=0, atol=1e-6)
    stimulus = Stimulus(np.array([[20.0, 60.0]]), np.ones((1, 4, 1)))
    with pytest.raises(ConfigError, match="this adapter takes no external input"):
        simulate(get_model("tvb_suphopf"), *network, DETERMINISTIC, stimulus=stimulus, **RUN)


def test_adapters_are_registered_entries_that_pass_the_kit():
    assert "neurolib_hopf" in MODELS and "neurolib-hopf" in ENTRIES
    assert ENTRIES["neurolib-hopf"].free == ENTRIES["hopf"].free == {"G": HOPF_G_GRID}
    check_node_model(get_model("neurolib_hopf"))
    check_entry(ENTRIES["neurolib-hopf"])
    with pytest.raises(ConfigError, match="only scheme 'euler' is available through the adapter"):
        simulate(get_model("neurolib_hopf"), np.zeros((2, 2)), np.zeros((2, 2)), {}, duration_ms=10.0, seeds=[0],
                 scheme="heun")
