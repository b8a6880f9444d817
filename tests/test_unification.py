"""Unification metrics: known cases by hand."""

import math

import pytest

from fwbm_bench.metrics.unification import explanatory_scope, lesion_specificity, null_percentile, structure_dependence


def test_structure_dependence_is_the_share_of_the_score_lost_on_the_nulls():
    assert structure_dependence(0.8, [0.2, 0.4]) == pytest.approx((0.5, 0.8))
    assert structure_dependence(0.5, [0.5, 0.5]) == (0.0, 0.5)  # the nulls do as well
    raw, ceiling = structure_dependence(0.5, [0.7])  # the null does better: negative
    assert raw / ceiling == pytest.approx(-0.4)
    assert all(math.isnan(v) for v in structure_dependence(0.8, []))
    assert all(math.isnan(v) for v in structure_dependence(0.8, [0.2, float("nan")]))  # never drops a null


def test_null_percentile_counts_ties_as_half():
    assert null_percentile(0.8, [0.1, 0.2, 0.9, 0.8]) == pytest.approx(100 * (2 + 0.5) / 4)
    assert null_percentile(0.3, [0.3, 0.3]) == 50.0
    assert math.isnan(null_percentile(float("nan"), [0.1]))


def test_lesion_specificity_compares_the_pathway_lesion_with_random_lesions():
    raw, ceiling = lesion_specificity(intact=0.9, lesioned=0.1, controls=[0.8, 0.6])
    assert (raw, ceiling) == pytest.approx((0.6, 0.9))
    raw, _ = lesion_specificity(intact=0.9, lesioned=0.7, controls=[0.7, 0.7])
    assert raw == pytest.approx(0.0)  # costs no more than a random lesion


def test_explanatory_scope_counts_missing_benchmarks_as_unexplained():
    assert explanatory_scope([0.9, 0.5, 0.1, float("nan")]) == 0.5
    assert explanatory_scope([0.49, 0.2]) == 0.0
    assert math.isnan(explanatory_scope([]))
