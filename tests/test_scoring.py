"""Scoring: normalisation against ceilings and the aggregation tree."""

import math

import pytest

from fwbm_bench.metrics import REST_METRICS
from fwbm_bench.scoring import CRITERIA, aggregate, benchmark_registry, normalise, rest_benchmarks


def test_normalise_clips_and_keeps_the_ratio():
    assert normalise(0.4, 0.8) == (0.5, 0.5)
    assert normalise(0.9, 0.8) == (1.0, pytest.approx(1.125))
    assert normalise(-0.2, 0.8) == (0.0, -0.25)
    assert all(math.isnan(v) for v in normalise(0.5, 0.0))


def test_missing_children_count_zero_with_coverage():
    assert aggregate([0.6, 0.4]) == (0.5, 1.0)
    assert aggregate([0.6, float("nan")]) == (0.3, 0.5)
    assert aggregate([]) == (0.0, 0.0)


def test_registry_identifiers_and_versions():
    registry = benchmark_registry(["hcp"])
    assert {"hcp-fc-corr", "hcp-fcd-ks", "hcp-identifiability", "roitman2002-psychometric"} <= set(registry)
    for identifier, benchmark in registry.items():
        assert benchmark.identifier == identifier and benchmark.version >= 1 and benchmark.citation
        assert benchmark.criterion in CRITERIA


def test_every_rest_benchmark_has_a_registered_metric():
    benchmarks = rest_benchmarks("hcp")
    assert {b.metric for b in benchmarks} <= set(REST_METRICS)
    assert len({b.identifier for b in benchmarks}) == len(benchmarks)
