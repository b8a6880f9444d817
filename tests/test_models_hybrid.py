"""Per-region hybrid models (models.hybrid): dispatch, parameters, noise, bounds and channel adapters."""

import numpy as np
import pytest

from fwbm_bench.errors import ConfigError
from fwbm_bench.models import get_model
from fwbm_bench.models.hybrid import hybrid_model, region_assignment
from fwbm_bench.simulate import simulate

W = np.array([[0, 1.0, 0.5], [1.0, 0, 0.2], [0.5, 0.2, 0]])
L = np.array([[0, 30.0, 80], [30, 0, 10], [80, 10, 0]])
RWW, SELECTIVE = get_model("rww_ei"), get_model("ww2006_selective")
MIXED = get_model("hybrid(rww_ei+ww2006_selective)")
RUN = {"duration_ms": 200.0, "dt_ms": 0.5, "output_period_ms": 0.5}


@pytest.mark.parametrize("component, params", [(RWW, {"G": 0.3}), (SELECTIVE, {"G": 0.2, "coherence": 12.8})])
def test_one_component_hybrid_is_bit_identical_to_its_component(component, params):
    stimulus_free = simulate(component, W, L, params, seeds=[3, 8], **RUN)
    hybrid = hybrid_model((component,))
    out = simulate(hybrid, W, L, {"region_model": [0, 0, 0]} | {f"{component.name}.{k}": v for k, v in params.items()},
                   seeds=[3, 8], **RUN)
    np.testing.assert_array_equal(out[:, 2:], stimulus_free)
    bold = component.output_variables.index(component.bold_variable)
    np.testing.assert_array_equal(out[:, 0], stimulus_free[:, bold])


def test_uncoupled_mixed_regions_follow_their_own_models():
    """G = 0 and no noise: each region evolves as in a network of its own model, other outputs stay 0."""
    params = {"rww_ei.G": 0.0, "rww_ei.sigma": 0.0, "ww2006_selective.G": 0.0, "ww2006_selective.sigma": 0.0}
    out = simulate(MIXED, W, L, params | {"region_model": [0, 1, 0]}, seeds=[1], **RUN)
    rww = simulate(RWW, W, L, {"G": 0.0, "sigma": 0.0}, seeds=[1], **RUN)
    selective = simulate(SELECTIVE, W, L, {"G": 0.0, "sigma": 0.0}, seeds=[1], **RUN)
    np.testing.assert_array_equal(out[:, 2:4, [0, 2]], rww[:, :, [0, 2]])
    np.testing.assert_array_equal(out[:, 4:7, 1], selective[:, :, 1])
    assert not out[:, 2:4, 1].any() and not out[:, 4:7, [0, 2]].any()
    readout = [RWW.output_variables.index(RWW.task_readout), SELECTIVE.output_variables.index(SELECTIVE.task_readout)]
    np.testing.assert_array_equal(out[:, 1, 1], selective[:, readout[1], 1])
    np.testing.assert_array_equal(out[:, 1, 0], rww[:, readout[0], 0])


def test_non_selective_regions_feed_both_pools_and_hear_their_mean():
    deterministic = {"rww_ei.G": 0.5, "rww_ei.sigma": 0.0, "ww2006_selective.G": 0.5, "ww2006_selective.sigma": 0.0,
                     "region_model": [0, 1, 0]}

    def run(s_1, s_2):
        start = np.zeros((4, 3))
        start[:2, [0, 2]] = [[0.1641, 0.1641], [0.0392, 0.0392]]  # rww_ei's FIC fixed point
        start[:2, 1] = s_1, s_2
        return simulate(MIXED, W, L, deterministic, seeds=[0], initial_state=start, **RUN)

    symmetric = run(0.3, 0.3)
    # the selective region hears identical input on both pools: it stays symmetric
    np.testing.assert_array_equal(symmetric[:, 4, 1], symmetric[:, 5, 1])
    # until the selective region's own changes arrive (6 steps = 30 mm at 10 m/s), region 0 hears
    # only the delay history, i.e. the mean of S_1 and S_2: (0.5, 0.1) looks like (0.3, 0.3)
    np.testing.assert_array_equal(run(0.5, 0.1)[:7, 2:4, 0], symmetric[:7, 2:4, 0])
    assert not np.allclose(run(0.5, 0.5)[:7, 2:4, 0], symmetric[:7, 2:4, 0])


def test_noise_and_bounds_are_per_region():
    params = {"region_model": [1, 0, 0]}
    model_params = MIXED.resolve(params, 2)
    rows = MIXED.parameter_rows(model_params)
    node_params, _ = MIXED.prepare(model_params, W)
    amplitude = MIXED.noise_amplitudes(rows, node_params)
    assert MIXED.noisy_variables() == ("x0", "x1", "x2", "x3")
    np.testing.assert_allclose(amplitude[:2, 1:], RWW.parameter("sigma").default)
    assert not amplitude[2:, 1:].any() and not amplitude[:2, 0].any()
    np.testing.assert_allclose(amplitude[2:, 0], SELECTIVE.parameter("sigma").default
                               / np.sqrt(SELECTIVE.parameter("tau_AMPA").default))
    _lower, upper = MIXED.state_limits(node_params)
    np.testing.assert_array_equal(upper[:, 0], [1, 1, np.inf, np.inf])
    np.testing.assert_array_equal(upper[:, 1], [1, 1, np.inf, np.inf])


def test_bad_hybrids_fail_clearly():
    with pytest.raises(ConfigError, match="needs 'region_model'"):
        simulate(MIXED, W, L, {}, duration_ms=1.0, seeds=[0])
    with pytest.raises(ConfigError, match=r"'region_model' must be one component index \(0..1\)"):
        simulate(MIXED, W, L, {"region_model": [0, 2, 0]}, duration_ms=1.0, seeds=[0])
    with pytest.raises(ConfigError, match="has 2 entries for 3 regions"):
        simulate(MIXED, W, L, {"region_model": [0, 1]}, duration_ms=1.0, seeds=[0])
    with pytest.raises(ConfigError, match="has no parameter 'G'"):
        simulate(MIXED, W, L, {"region_model": [0, 1, 0], "G": 0.1}, duration_ms=1.0, seeds=[0])
    with pytest.raises(ConfigError, match="components must share the time unit"):
        get_model("hybrid(rww_ei+hopf)")
    with pytest.raises(ConfigError, match="unknown node model 'nope'"):
        get_model("hybrid(rww_ei+nope)")
    with pytest.raises(ConfigError, match=r"regions \['V9'\] for 'ww2006_selective' are not in"):
        region_assignment(["V1", "LIP", "FEF"], {"ww2006_selective": ["V9"]}, MIXED.components, "rww_ei")
    np.testing.assert_array_equal(
        region_assignment(["V1", "LIP", "FEF"], {"ww2006_selective": ["LIP", "FEF"]}, MIXED.components, "rww_ei"),
        [0, 1, 1])
