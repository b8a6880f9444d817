"""Resting-state metrics (spectrum, synchrony, eFC, graph, SC-FC coupling) vs independent computations."""

import tracemalloc

import bct
import networkx as nx
import numpy as np
import pytest
from conftest import assert_one_line
from scipy.sparse.csgraph import shortest_path
from scipy.stats import ks_2samp, pearsonr

from fwbm_bench.errors import InputError
from fwbm_bench.metrics import (
    REST_METRICS,
    RestObservables,
    bold_power_spectrum,
    edge_fc_correlation,
    edge_functional_connectivity,
    edge_time_series,
    fc_graph,
    functional_connectivity,
    graph_measures,
    graph_similarity,
    kuramoto_order_parameter,
    metastability,
    ratio_similarity,
    regional_sc_fc_coupling,
    sc_fc_coupling,
    spectrum_similarity,
    synchrony,
)
from fwbm_bench.metrics.synchrony import instantaneous_phases, order_parameter_from_phases
from fwbm_bench.observables import preprocess_bold

BOLD_METRICS = sorted(name for name, metric in REST_METRICS.items() if metric.needs_bold)


def sinusoids(freq_hz, tr_s, n_samples, phases):
    t = np.arange(n_samples) * tr_s
    return np.array([np.cos(2 * np.pi * freq_hz * t + phase) for phase in phases])


def correlated_fc(rng, n=30, t=300):
    """FC of noise with a shared 3-factor structure: mostly positive, clearly non-random."""
    series = rng.standard_normal((n, 3)) @ rng.standard_normal((3, t)) + rng.standard_normal((n, t))
    return functional_connectivity(series)


# --- spectrum -------------------------------------------------------------------------------

def test_spectrum_peak_of_a_sinusoid(rng):
    f0, tr = 0.031, 0.72
    bold = sinusoids(f0, tr, 1200, rng.uniform(0, 2 * np.pi, 6)) + 0.1 * rng.standard_normal((6, 1200))
    freqs, power = bold_power_spectrum(bold, tr, window_s=300.0)
    assert power.sum() == pytest.approx(1.0) and (power >= 0).all()
    assert freqs[0] == pytest.approx(0.008) and freqs[-1] == pytest.approx(0.08)
    assert abs(freqs[np.argmax(power)] - f0) < 1 / 300.0  # within one Welch resolution step
    # at the default 60 s segments the peak is coarser but still in the right place
    coarse_freqs, coarse = bold_power_spectrum(bold, tr)
    assert abs(coarse_freqs[np.argmax(coarse)] - f0) < 1 / 60.0


def test_spectrum_averages_over_regions(rng):
    """Three regions at 0.02 Hz and three at 0.05 Hz: two peaks of equal mass."""
    bold = np.vstack([sinusoids(0.02, 0.72, 1000, rng.uniform(0, 6, 3)),
                      sinusoids(0.05, 0.72, 1000, rng.uniform(0, 6, 3))])
    freqs, power = bold_power_spectrum(bold, 0.72, window_s=200.0)
    low_peak, high_peak = power[freqs < 0.035].sum(), power[freqs >= 0.035].sum()
    assert low_peak == pytest.approx(high_peak, rel=0.1)
    swapped = bold_power_spectrum(bold[::-1], 0.72, window_s=200.0)[1]
    np.testing.assert_allclose(swapped, power)


def test_spectra_are_comparable_across_tr_and_length(rng):
    """The same process sampled at TR 0.72 s (900 s) and TR 2 s (600 s) has the same spectrum."""
    fast = sinusoids(0.02, 0.72, 1250, rng.uniform(0, 6, 4)) + sinusoids(0.05, 0.72, 1250, rng.uniform(0, 6, 4))
    slow = sinusoids(0.02, 2.0, 300, rng.uniform(0, 6, 4)) + sinusoids(0.05, 2.0, 300, rng.uniform(0, 6, 4))
    other = sinusoids(0.035, 2.0, 300, rng.uniform(0, 6, 4))
    p_fast, p_slow, p_other = (bold_power_spectrum(x, tr, window_s=200.0)[1]
                               for x, tr in ((fast, 0.72), (slow, 2.0), (other, 2.0)))
    assert spectrum_similarity(p_fast, p_slow) > 0.85
    assert spectrum_similarity(p_fast, p_other) < 0.3


def test_spectrum_similarity_is_sum_of_minima(rng):
    p, q = rng.random(64), rng.random(64)
    p_n, q_n = p / p.sum(), q / q.sum()
    assert spectrum_similarity(p, q) == pytest.approx(np.minimum(p_n, q_n).sum())
    assert spectrum_similarity(p, p) == pytest.approx(1.0)
    assert spectrum_similarity([1.0, 0.0], [0.0, 1.0]) == pytest.approx(0.0)


def test_spectrum_band_setting_is_used(hcp_subject):
    clean = preprocess_bold(hcp_subject.bold[:, :600], 0.72)
    obs = RestObservables(fc=None, bold=clean, tr_s=0.72)
    other = RestObservables(fc=None, bold=clean[::-1, ::-1].copy(), tr_s=0.72)
    wide = REST_METRICS["spectrum"].compute(obs, other, {"band_hz": (0.01, 0.2)})
    assert wide != pytest.approx(REST_METRICS["spectrum"].compute(obs, other, {}))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"bold": np.ones((3, 100))}, "constant time series"),
    ({"bold": np.random.default_rng(0).standard_normal((3, 40))}, "too coarse for the band"),
    ({"bold": np.random.default_rng(0).standard_normal((3, 4))}, "expected >= 8 samples"),
    ({"bold": np.random.default_rng(0).standard_normal(100)}, "regions x samples"),
    ({"tr_s": None}, "positive repetition time"),
    ({"band_hz": (0.01, 0.9)}, "Nyquist"),
])
def test_spectrum_bad_input(kwargs, message):
    args = {"bold": np.random.default_rng(1).standard_normal((3, 600)), "tr_s": 0.72, "band_hz": (0.008, 0.08)}
    args.update(kwargs)
    with pytest.raises(InputError, match=message) as info:
        bold_power_spectrum(args["bold"], args["tr_s"], args["band_hz"])
    assert_one_line(str(info.value))


# --- Kuramoto order parameter, metastability, synchrony ---------------------------------------

def test_perfectly_synchronised_phases():
    bold = sinusoids(0.04, 0.72, 500, np.zeros(10)) * np.arange(1, 11)[:, None]  # same phase, any amplitude
    r = kuramoto_order_parameter(bold)
    assert r.shape == (480,)  # 10 samples dropped at each end
    np.testing.assert_allclose(r, 1.0, atol=1e-9)
    assert synchrony(bold) == pytest.approx(1.0) and metastability(bold) == pytest.approx(0.0, abs=1e-9)


def test_two_phase_locked_regions_give_cos_half_lag():
    """Two oscillators at a fixed lag d: R(t) = |cos(d / 2)| at every t (closed form)."""
    lag = 1.2
    bold = sinusoids(25 / (500 * 0.72), 0.72, 500, [0.0, lag])  # an exact FFT bin: Hilbert phase is exact
    np.testing.assert_allclose(kuramoto_order_parameter(bold), abs(np.cos(lag / 2)), atol=1e-9)
    t = np.arange(500) * 0.72
    expected = np.angle(np.exp(1j * (2 * np.pi * 25 / (500 * 0.72) * t + lag)))
    np.testing.assert_allclose(instantaneous_phases(bold)[1], expected, atol=1e-9)


def test_independent_random_phases_give_r_of_order_one_over_sqrt_n(rng):
    n = 400
    r = order_parameter_from_phases(rng.uniform(-np.pi, np.pi, (n, 2000)))
    # |mean of n unit phasors| is Rayleigh distributed: E[R] = sqrt(pi / (4 n)), SD = sqrt((4 - pi) / (4 n))
    assert r.mean() == pytest.approx(np.sqrt(np.pi / (4 * n)), rel=0.05)
    assert r.std() == pytest.approx(np.sqrt((4 - np.pi) / (4 * n)), rel=0.1)
    # the same through Hilbert phases of independent band-passed noise
    noise = preprocess_bold(rng.standard_normal((n, 600)), 0.72)
    assert 0.5 < synchrony(noise) * np.sqrt(n) < 1.5


def test_ratio_similarity_convention():
    assert ratio_similarity(1.0, 2.0) == ratio_similarity(2.0, 1.0) == 0.5
    assert ratio_similarity(0.0, 0.0) == ratio_similarity(-3.0, -3.0) == 1.0
    assert ratio_similarity(0.3, -0.3) == ratio_similarity(0.0, 0.2) == 0.0
    assert ratio_similarity(-0.2, -0.4) == 0.5
    with pytest.raises(InputError, match="finite"):
        ratio_similarity(float("nan"), 1.0)


def test_synchrony_bad_input(rng):
    with pytest.raises(InputError, match="leave 5 after dropping 10 at each end") as info:
        metastability(rng.standard_normal((4, 25)))
    assert_one_line(str(info.value))
    bold = rng.standard_normal((4, 100))
    bold[2] = 3.0
    with pytest.raises(InputError, match="1 region.*constant.*region 2"):
        synchrony(bold)


# --- edge-centric FC ------------------------------------------------------------------------

def naive_efc(x):
    """Faskowitz 2020 by explicit loops: z-score, products of pairs i < j, cosine similarity."""
    n, t = x.shape
    z = np.empty_like(x)
    for i in range(n):
        mean = sum(x[i]) / t
        sd = np.sqrt(sum((v - mean) ** 2 for v in x[i]) / t)
        z[i] = (x[i] - mean) / sd
    edges = [z[i] * z[j] for i in range(n) for j in range(i + 1, n)]
    e = len(edges)
    efc = np.empty((e, e))
    for a in range(e):
        for b in range(e):
            efc[a, b] = sum(edges[a] * edges[b]) / np.sqrt(sum(edges[a] ** 2) * sum(edges[b] ** 2))
    return efc


def test_efc_matches_explicit_formula(rng):
    x = rng.standard_normal((5, 40))
    x[1] += x[0]  # some structure
    expected = naive_efc(x)
    assert expected.shape == (10, 10)
    np.testing.assert_allclose(edge_functional_connectivity(x), expected, atol=1e-12)
    np.testing.assert_allclose(edge_time_series(x)[3], (x[0] - x[0].mean()) / x[0].std()
                               * (x[4] - x[4].mean()) / x[4].std())  # edge 3 = pair (0, 4)


@pytest.mark.parametrize("block", [1, 3, 4, 7, 10, 1000])
def test_blockwise_efc_correlation_matches_naive(rng, block):
    a = rng.standard_normal((5, 40))
    a[2] += 0.8 * a[1]
    b = rng.standard_normal((5, 55))  # another length: allowed
    b[2] += 0.5 * b[1]
    upper = np.triu_indices(10, k=1)
    expected = pearsonr(naive_efc(a)[upper], naive_efc(b)[upper]).statistic
    assert edge_fc_correlation(a, b, block=block) == pytest.approx(expected, abs=1e-12)
    assert edge_fc_correlation(b, a, block=block) == pytest.approx(expected, abs=1e-12)


def test_blockwise_efc_correlation_larger_case_and_memory(rng):
    """N = 12 (E = 66) with tiles that do not divide E; N = 100 stays far below its 196 MB eFC."""
    a, b = rng.standard_normal((12, 50)), rng.standard_normal((12, 50))
    a[:6] += a[0]
    b[:6] += b[0]
    upper = np.triu_indices(66, k=1)
    expected = np.corrcoef(edge_functional_connectivity(a)[upper], edge_functional_connectivity(b)[upper])[0, 1]
    assert edge_fc_correlation(a, b, block=17) == pytest.approx(expected, abs=1e-12)
    big_a, big_b = rng.standard_normal((100, 150)), rng.standard_normal((100, 150))
    tracemalloc.start()
    try:
        edge_fc_correlation(big_a, big_b)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 60e6  # E = 4950: one E x E float64 matrix alone would be 196 MB


def test_efc_bad_input(rng):
    with pytest.raises(InputError, match="same regions on both sides, found 5 and 6") as info:
        edge_fc_correlation(rng.standard_normal((5, 50)), rng.standard_normal((6, 50)))
    assert_one_line(str(info.value))
    with pytest.raises(InputError, match="constant"):
        edge_fc_correlation(np.ones((5, 50)), rng.standard_normal((5, 50)))
    with pytest.raises(InputError, match=">= 3 samples"):
        edge_fc_correlation(rng.standard_normal((5, 2)), rng.standard_normal((5, 50)))


# --- graph measures -------------------------------------------------------------------------

def test_threshold_keeps_the_strongest_positive_fifth(rng):
    fc = correlated_fc(rng)
    graph = fc_graph(fc, 0.2)
    upper = np.triu_indices(30, k=1)
    n_kept = round(0.2 * upper[0].size)
    assert np.count_nonzero(graph[upper]) == n_kept
    np.testing.assert_array_equal(graph, graph.T)
    assert not np.diag(graph).any()
    np.testing.assert_allclose(np.sort(graph[upper])[-n_kept:], np.sort(fc[upper])[-n_kept:])
    np.testing.assert_allclose(graph_measures(fc)["strengths"], graph.sum(axis=1))


def test_global_efficiency_matches_shortest_paths(rng):
    fc = correlated_fc(rng)
    graph = fc_graph(fc)
    lengths = np.where(graph > 0, 1.0 / np.where(graph > 0, graph, 1.0), 0.0)
    distances = shortest_path(lengths, method="D", directed=False)
    off = ~np.eye(30, dtype=bool)
    expected = np.mean(np.where(np.isinf(distances[off]), 0.0, 1.0 / distances[off]))
    assert graph_measures(fc)["global_efficiency"] == pytest.approx(expected, rel=1e-10)
    binary = (graph > 0).astype(float)  # and bctpy's binary convention agrees with networkx
    assert bct.efficiency_bin(binary) == pytest.approx(nx.global_efficiency(nx.from_numpy_array(binary)))


def test_clustering_matches_networkx(rng):
    fc = correlated_fc(rng)
    graph = fc_graph(fc)
    # networkx: Onnela clustering with weights divided by the largest weight; BCT uses them as
    # given, and the coefficient is homogeneous of degree 1 in the weights
    clustering = nx.clustering(nx.from_numpy_array(graph), weight="weight")
    expected = graph.max() * np.mean([clustering[i] for i in range(30)])
    assert graph_measures(fc)["clustering"] == pytest.approx(expected, rel=1e-10)


def test_modularity_and_participation_of_planted_communities(rng):
    labels = np.repeat([0, 1], 10)
    same = labels[:, None] == labels[None, :]
    fc = np.where(same, 0.6, 0.05) + 0.05 * rng.random((20, 20))
    fc = (fc + fc.T) / 2
    np.fill_diagonal(fc, 1.0)
    density = 90 / 190  # exactly the within-community pairs: two disconnected weighted cliques
    measures = graph_measures(fc, density=density)
    found = measures["communities"]
    assert len(set(found)) == 2 and all(len(set(found[labels == c])) == 1 for c in (0, 1))
    graph = fc_graph(fc, density)
    assert not graph[~same].any()
    strength = graph.sum(axis=1)
    two_m = graph.sum()
    expected_q = np.sum((graph - np.outer(strength, strength) / two_m) * same) / two_m
    assert measures["modularity"] == pytest.approx(expected_q, rel=1e-10)
    assert measures["modularity"] == pytest.approx(0.5, abs=0.01)  # two near-equal disconnected halves
    graph_nx = nx.from_numpy_array(graph)
    assert nx.community.modularity(graph_nx, [set(np.flatnonzero(labels == c)) for c in (0, 1)]) == \
        pytest.approx(expected_q)
    assert measures["participation"] == pytest.approx(0.0, abs=1e-12)  # no edge leaves its community
    # join the halves by strong links: participation P_i = 1 - sum_s (k_is / k_i)^2 by hand
    graph_full = fc_graph(fc, 1.0)
    ci = measures["communities"]
    k = graph_full.sum(axis=1)
    k_s = np.stack([graph_full[:, ci == s].sum(axis=1) for s in np.unique(ci)], axis=1)
    expected_p = 1 - ((k_s / k[:, None]) ** 2).sum(axis=1)
    np.testing.assert_allclose(bct.participation_coef(graph_full, ci), expected_p)


def test_graph_similarity_is_mean_of_parts(rng):
    fc_a, fc_b = correlated_fc(rng), correlated_fc(rng)
    a, b = graph_measures(fc_a), graph_measures(fc_b)
    parts = [min(a[k], b[k]) / max(a[k], b[k]) for k in ("modularity", "global_efficiency", "clustering",
                                                      "participation")]
    parts.append(1 - ks_2samp(a["strengths"], b["strengths"]).statistic)
    assert graph_similarity(fc_a, fc_b) == pytest.approx(np.mean(parts))
    assert graph_similarity(fc_a, fc_a) == pytest.approx(1.0)
    obs_a, obs_b = RestObservables(fc_a), RestObservables(fc_b)
    assert REST_METRICS["graph"].compute(obs_a, obs_b, {"graph_density": 0.4}) == \
        pytest.approx(graph_similarity(fc_a, fc_b, 0.4))


def test_graph_bad_input(rng):
    fc = correlated_fc(rng)
    for bad, message in [(fc[:, :5], "square"), (fc + np.triu(np.ones((30, 30)), 1), "symmetric"),
                         (-np.abs(fc) * (1 - np.eye(30)), "no positive")]:
        with pytest.raises(InputError, match=message) as info:
            graph_measures(bad)
        assert_one_line(str(info.value))
    with pytest.raises(InputError, match="graph_density must be in"):
        graph_measures(fc, density=1.5)
    with pytest.raises(InputError, match="one shape"):
        graph_similarity(fc, fc[:10, :10])


# --- SC-FC coupling -------------------------------------------------------------------------

def test_sc_fc_coupling_matches_scipy(hcp_subject, rng):
    sc = hcp_subject.weights.copy()
    sc[:, :10] = sc[:10, :] = 0.0  # some unconnected pairs: must be left out
    sc[np.diag_indices(80)] = 5.0  # self-connections: never a region pair
    fc = functional_connectivity(hcp_subject.bold)
    upper = np.triu_indices(80, k=1)
    connected = sc[upper] > 0
    expected = pearsonr(sc[upper][connected], fc[upper][connected]).statistic
    assert sc_fc_coupling(sc, fc) == pytest.approx(expected, rel=1e-12)
    assert 0.1 < expected < 0.6  # a typical structure-function correlation
    regional = regional_sc_fc_coupling(sc, fc)
    assert np.isnan(regional[:10]).all()  # no structural neighbours
    for i in (10, 40, 79):
        neighbours = (sc[i] > 0) & (np.arange(80) != i)
        assert regional[i] == pytest.approx(pearsonr(sc[i, neighbours], fc[i, neighbours]).statistic)


def test_sc_fc_coupling_metric_uses_the_empirical_sc(hcp_subject):
    fc = functional_connectivity(hcp_subject.bold)
    sc = hcp_subject.weights
    model_fc = fc ** 3  # a distorted FC
    metric = REST_METRICS["sc_fc_coupling"]
    value = metric.compute(RestObservables(model_fc), RestObservables(fc, sc=sc), {})
    assert value == pytest.approx(ratio_similarity(sc_fc_coupling(sc, model_fc), sc_fc_coupling(sc, fc)))
    with pytest.raises(InputError, match="empirical structural connectivity") as info:
        metric.compute(RestObservables(fc, sc=sc), RestObservables(fc), {})
    assert_one_line(str(info.value))


def test_sc_fc_coupling_bad_input(rng):
    sc, fc = rng.random((6, 6)), correlated_fc(rng, n=6)
    with pytest.raises(InputError, match=r"one shape, found \(6, 6\) and \(5, 5\)"):
        sc_fc_coupling(sc, fc[:5, :5])
    with pytest.raises(InputError, match="non-negative"):
        sc_fc_coupling(-sc, fc)
    with pytest.raises(InputError, match="connected region pairs, found 0"):
        sc_fc_coupling(np.zeros((6, 6)), fc)


# --- registry -------------------------------------------------------------------------------

def test_rest_observables_keeps_positional_order():
    obs = RestObservables("fc", "bold", 2.0, "sc")
    assert (obs.fc, obs.bold, obs.tr_s, obs.sc) == ("fc", "bold", 2.0, "sc")
    assert RestObservables("fc").sc is None


@pytest.mark.parametrize("name", BOLD_METRICS)
def test_bold_metrics_name_what_is_missing(name, rng):
    bold = preprocess_bold(rng.standard_normal((6, 300)), 0.72)
    full = RestObservables(functional_connectivity(bold), bold, 0.72)
    for missing, field in ((RestObservables(full.fc, None, 0.72), "bold"), (RestObservables(full.fc, bold), "tr_s")):
        for model, empirical, side in ((missing, full, "model"), (full, missing, "empirical")):
            with pytest.raises(InputError, match=f"needs the {side} BOLD.*{field} is None") as info:
                REST_METRICS[name].compute(model, empirical, {})
            assert_one_line(str(info.value))
