"""Connectome: normalisation, delays, variants."""

import bct
import numpy as np
import pytest
from scipy.stats import ks_2samp

from fwbm_bench.connectome import (
    build_connectome,
    delay_steps,
    lesion_mask,
    normalise_weights,
    parse_variant,
    random_control,
)
from fwbm_bench.connectome.nulls import consensus_weights, density_threshold, geometric_weights, pair_distances
from fwbm_bench.data import load_subject
from fwbm_bench.errors import ConfigError, InputError
from fwbm_bench.metrics import matrix_correlation
from fwbm_bench.pipeline.prepare import region_groups


def test_max_normalisation(hcp_subject):
    weights = normalise_weights(hcp_subject.weights, "max")
    assert weights.max() == 1.0
    np.testing.assert_array_equal(weights, weights.T)
    assert np.all(np.diag(weights) == 0)
    symmetric = 0.5 * (hcp_subject.weights + hcp_subject.weights.T)
    np.testing.assert_allclose(weights, symmetric / symmetric.max())


def test_delays_in_steps():
    lengths = np.array([[0.0, 100.0], [100.0, 0.0]])
    # 100 mm at 10 m/s = 10 ms = 100 steps of 0.1 ms
    np.testing.assert_array_equal(delay_steps(lengths, 10.0, 0.1), [[0, 100], [100, 0]])
    np.testing.assert_array_equal(delay_steps(lengths, 20.0, 1.0), [[0, 5], [5, 0]])
    with pytest.raises(ConfigError, match="conduction speed must be > 0"):
        delay_steps(lengths, 0.0, 0.1)
    with pytest.raises(InputError, match="tract lengths must be finite and non-negative"):
        delay_steps(-lengths, 10.0, 0.1)


def test_rewired_null_keeps_degrees_and_is_seeded():
    subject = load_subject("tvb-76")  # sparse enough for degree-preserving swaps
    empirical = build_connectome(subject, "empirical")
    rewired = build_connectome(subject, "rewired")
    again = build_connectome(subject, "rewired")
    np.testing.assert_array_equal(bct.degrees_und(rewired.weights), bct.degrees_und(empirical.weights))
    np.testing.assert_array_equal(rewired.weights, again.weights)
    assert np.mean(rewired.weights != empirical.weights) > 0.2
    np.testing.assert_allclose(np.sort(rewired.weights.ravel()), np.sort(empirical.weights.ravel()))


def test_rewiring_a_dense_connectome_is_refused(hcp_subject):
    with pytest.raises(InputError, match="swaps are nearly impossible at density 0.99; use the 'shuffled'"):
        build_connectome(hcp_subject, "rewired")


def test_shuffled_null_keeps_weights_and_destroys_topology(hcp_subject):
    empirical = build_connectome(hcp_subject, "empirical")
    shuffled = build_connectome(hcp_subject, "shuffled")
    np.testing.assert_array_equal(shuffled.weights, shuffled.weights.T)
    assert np.all(np.diag(shuffled.weights) == 0)
    upper = np.triu_indices(80, 1)
    np.testing.assert_array_equal(np.sort(shuffled.weights[upper]), np.sort(empirical.weights[upper]))
    assert abs(matrix_correlation(shuffled.weights, empirical.weights)) < 0.1
    np.testing.assert_array_equal(shuffled.weights, build_connectome(hcp_subject, "shuffled").weights)


def test_unknown_variant():
    with pytest.raises(ConfigError, match="unknown connectome variant 'lesioned'"):
        build_connectome(None, "lesioned")


UPPER = np.triu_indices(80, 1)


def test_rewired_null_of_a_thresholded_hcp_connectome_keeps_every_degree(hcp_connectome):
    from fwbm_bench.connectome.nulls import rewired_weights

    sparse = density_threshold(hcp_connectome.weights, 20)
    assert np.mean(sparse[UPPER] > 0) == pytest.approx(0.20, abs=0.001)
    rewired = rewired_weights(sparse, seed=7)
    np.testing.assert_array_equal(bct.degrees_und(rewired), bct.degrees_und(sparse))
    np.testing.assert_array_equal(np.sort(rewired[UPPER]), np.sort(sparse[UPPER]))
    assert np.mean((rewired[UPPER] > 0) != (sparse[UPPER] > 0)) > 0.1  # it did rewire


def test_density_threshold_keeps_the_strongest_pairs(hcp_connectome):
    kept = density_threshold(hcp_connectome.weights, 20)[UPPER] > 0
    values = hcp_connectome.weights[UPPER]
    assert values[kept].min() >= values[~kept].max()


def test_geometric_null_keeps_the_edge_length_distribution(hcp_subject, hcp_connectome):
    """Stated tolerance: KS distance of the edges' lengths <= 0.05 and the weight-weighted mean
    length within 5 %, on the 20 %-density HCP connectome; the plain shuffle breaks both."""
    from fwbm_bench.connectome.nulls import shuffled_weights

    distance = pair_distances(hcp_subject.tract_lengths_mm, hcp_subject.centres)
    sparse = density_threshold(hcp_connectome.weights, 20)

    def lengths(weights):
        return distance[UPPER][weights[UPPER] > 0]

    def weighted_mean_length(weights):
        return np.sum(weights[UPPER] * distance[UPPER]) / np.sum(weights[UPPER])

    geometric = geometric_weights(sparse, distance, seed=3)
    shuffled = shuffled_weights(sparse, seed=3)
    assert ks_2samp(lengths(geometric), lengths(sparse)).statistic <= 0.05
    assert weighted_mean_length(geometric) == pytest.approx(weighted_mean_length(sparse), rel=0.05)
    assert ks_2samp(lengths(shuffled), lengths(sparse)).statistic > 0.3
    assert weighted_mean_length(shuffled) > 1.5 * weighted_mean_length(sparse)
    np.testing.assert_array_equal(np.sort(geometric[UPPER]), np.sort(sparse[UPPER]))
    assert matrix_correlation(geometric, sparse) < 0.6  # topology randomised within the bins


def test_partial_shuffle_interpolates_towards_the_full_null(hcp_subject):
    empirical = build_connectome(hcp_subject, "empirical").weights[UPPER]
    changed, similarity = [], []
    for variant in ("shuffled25-1", "shuffled50-1", "shuffled-1"):
        weights = build_connectome(hcp_subject, variant).weights[UPPER]
        changed.append(np.mean(weights != empirical))
        similarity.append(np.corrcoef(weights, empirical)[0, 1])
    np.testing.assert_allclose(changed, [0.25, 0.5, 1.0], atol=0.01)
    assert similarity[0] > similarity[1] > similarity[2]


def test_group_connectome_is_the_consistency_thresholded_mean():
    ones = np.ones((3, 3)) - np.eye(3)
    rare = np.zeros((3, 3))
    rare[0, 1] = rare[1, 0] = 3.0  # present in 1 of 3 subjects: dropped
    weights, lengths = consensus_weights([ones, ones, ones + rare], [10 * ones] * 3)
    expected = ones.copy()
    expected[0, 1] = expected[1, 0] = 2.0  # present in all 3: mean of 1, 1, 4
    np.testing.assert_allclose(weights, expected)
    np.testing.assert_allclose(lengths, 10 * ones)
    sparse = ones.copy()
    sparse[0, 2] = sparse[2, 0] = 0.0
    weights, _ = consensus_weights([ones, sparse, sparse], [ones] * 3)
    assert weights[0, 2] == 0.0  # present in 1 of 3 < 50 %
    weights, _ = consensus_weights([ones, ones, sparse], [ones] * 3)
    assert weights[0, 2] == 1.0  # present in 2 of 3: the mean over those 2


def test_group_variant_needs_a_cohort(hcp_subject):
    with pytest.raises(ConfigError, match="needs at least 2 subjects"):
        build_connectome(hcp_subject, "group", cohort=[hcp_subject])


def test_node_lesion_removes_exactly_the_named_regions(hcp_subject, hcp_connectome):
    labels = list(hcp_subject.labels)
    mask = lesion_mask({"regions": ["Precentral_L", "Cuneus_R"]}, labels, hcp_subject.hemispheres)
    lesioned = mask.apply(hcp_connectome.weights)
    hit = [labels.index("Precentral_L"), labels.index("Cuneus_R")]
    assert np.all(lesioned[hit, :] == 0) and np.all(lesioned[:, hit] == 0)
    spared = np.setdiff1d(np.arange(80), hit)
    np.testing.assert_array_equal(lesioned[np.ix_(spared, spared)], hcp_connectome.weights[np.ix_(spared, spared)])


def test_interhemispheric_and_graded_tract_lesions(hcp_subject, hcp_connectome):
    hemispheres = np.asarray(hcp_subject.hemispheres)
    across = hemispheres[:, None] != hemispheres[None, :]
    cut = lesion_mask({"tracts": "interhemispheric"}, hcp_subject.labels, hemispheres).apply(hcp_connectome.weights)
    assert np.all(cut[across] == 0)
    np.testing.assert_array_equal(cut[~across], hcp_connectome.weights[~across])
    halved = lesion_mask({"tracts": "interhemispheric", "scale": 0.5}, hcp_subject.labels,
                         hemispheres).apply(hcp_connectome.weights)
    np.testing.assert_array_equal(halved[across], 0.5 * hcp_connectome.weights[across])


def test_task_input_lesion_and_its_size_matched_random_control(hcp_subject, hcp_connectome):
    groups = region_groups(hcp_subject.labels, hcp_subject.hemispheres)
    inputs = np.isin(hcp_subject.labels, groups["task_input"])
    lesioned = build_connectome(hcp_subject, "lesion-task-input", groups=groups).weights
    weights = hcp_connectome.weights
    outward = inputs[:, None] != inputs[None, :]
    assert np.all(lesioned[outward] == 0)
    np.testing.assert_array_equal(lesioned[~outward], weights[~outward])
    control = build_connectome(hcp_subject, "lesion-task-input-random-1", groups=groups).weights
    removed = (control[UPPER] == 0) & (weights[UPPER] > 0)
    assert removed.sum() == outward[UPPER].sum()  # the same number of tracts
    assert not np.any(removed & outward[UPPER])  # none of them the lesion's own
    other = build_connectome(hcp_subject, "lesion-task-input-random-2", groups=groups).weights
    assert not np.array_equal(control, other)
    removed_weight = [np.sum(weights[UPPER] - w[UPPER]) for w in (lesioned, control, other)]
    np.testing.assert_allclose(removed_weight[1:], removed_weight[0], rtol=0.1)  # weight-matched too
    with pytest.raises(ConfigError, match="lesion-interhemispheric-random-1'.*too large to be matched"):
        build_connectome(hcp_subject, "lesion-interhemispheric-random-1", groups=groups)


def test_random_control_of_a_node_lesion_hits_as_many_other_regions(hcp_subject, hcp_connectome):
    mask = lesion_mask({"regions": ["left"]}, hcp_subject.labels, hcp_subject.hemispheres)
    control = random_control(mask, hcp_connectome.weights, seed=1)
    assert control.regions.sum() == mask.regions.sum() == 40
    assert not np.any(control.regions & mask.regions)


@pytest.mark.parametrize(("spec", "message"), [
    ({"regions": ["Nowhere_L"]}, "lesions.x.regions: 'Nowhere_L' is neither a region label nor a group"),
    ({"tracts": "diagonal"}, "lesions.x.tracts: expected 'interhemispheric'"),
    ({"regions": ["left"], "scale": 1.5}, r"lesions.x.scale: expected a weight multiplier in \[0, 1\)"),
    ({"regions": ["left"], "size": 3}, "lesions.x: unknown keys"),
    ({}, "lesions.x: the lesion hits no tract"),
])
def test_bad_lesions_are_clear_config_errors(hcp_subject, spec, message):
    with pytest.raises(ConfigError, match=message):
        lesion_mask(spec, hcp_subject.labels, hcp_subject.hemispheres, where="lesions.x")


def test_variant_grammar():
    assert parse_variant("shuffled50-2").role == "partial-null"
    assert parse_variant("shuffled50-2").rewiring_fraction == 0.5
    assert parse_variant("geometric-1").role == "null"
    assert parse_variant("lesion-task-input").lesion == "task-input"
    control = parse_variant("lesion-task-input-random-3")
    assert (control.role, control.lesion, control.control) == ("lesion-control", "task-input", 3)
    assert parse_variant("lesion-task-input").uses_empirical_fit
    for bad in ("geometric50", "density0", "null", "lesion-"):
        with pytest.raises(ConfigError):
            parse_variant(bad)
    with pytest.raises(ConfigError, match="lesion 'stroke' is not defined"):
        build_connectome(load_subject("hcp-101309"), "lesion-stroke")
