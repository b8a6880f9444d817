"""Benchmark registry, normalisation against ceilings, and the aggregation tree.

Identifiers are ``<dataset>-<metric>``. A benchmark's ``version`` is bumped whenever its
scores would change. The tree is explicit: subject -> benchmark -> criterion -> overall; a parent is the mean
of its children, a missing child counts 0, and every aggregate carries the fraction of its
children that were present (``coverage``). Subjects a benchmark does not apply to (another
dataset's subjects, subjects without BOLD) have status ``excluded: ...`` and are not children.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from fwbm_bench.errors import ConfigError
from fwbm_bench.metrics import REST_METRICS
from fwbm_bench.plugin_registry import BUILT_IN
from fwbm_bench.tasks import TASKS

CRITERIA = {
    "C1": "structural grounding",
    "C2": "dynamical realism",
    "C3": "functional competence",
    "C4": "mappable observables",
    "U": "unification",
}


@dataclass(frozen=True)
class Benchmark:
    identifier: str
    dataset: str  # whose subjects it applies to ("" = every subject)
    version: int
    metric: str
    criterion: str
    ceiling: str
    normalisation: str
    description: str
    citation: str
    empirical_only: bool = False  # scored on the empirical connectome only (not on nulls or lesions)

    def as_dict(self) -> dict:
        return asdict(self)


_SPLIT_HALF = "split-half: the metric between the train and the held-out empirical half"
_RATIO = "raw / ceiling, clipped to [0, 1]"

#: resting-state benchmarks of every dataset with BOLD: (suffix, metric, criterion, description, citation)
_REST = (
    ("fc-corr", "fc_corr", "C2", "FC of simulated BOLD vs the subject's held-out half", "Honey et al. 2009"),
    ("fcd-ks", "fcd_ks", "C2", "FCD distribution (60 s windows, 10 s steps) vs the held-out half",
     "Hansen et al. 2015"),
    ("spectrum", "spectrum", "C2", "BOLD power spectrum (0.008-0.08 Hz, region mean) vs the held-out half",
     "Welch 1967; Deco et al. 2017"),
    ("metastability", "metastability", "C2", "SD over time of the Kuramoto order parameter of BOLD phases",
     "Shanahan 2010; Deco et al. 2017"),
    ("synchrony", "synchrony", "C2", "mean over time of the Kuramoto order parameter of BOLD phases",
     "Cabral et al. 2011"),
    ("edge-fc", "edge_fc", "C2", "edge-centric FC (co-fluctuation time series) vs the held-out half",
     "Faskowitz et al. 2020"),
    ("graph", "graph", "C2", "FC graph measures (bctpy) vs those of the held-out half", "Rubinov & Sporns 2010"),
    ("sc-fc-coupling", "sc_fc_coupling", "C1", "SC-FC coupling of the predicted FC vs that of the held-out half",
     "Honey et al. 2009"),
)


#: versions of the rest benchmarks. fc-corr and fcd-ks 2: fit by FC RMSE on a 0-0.5 grid (was FC r,
#: 0-0.35); every rest benchmark +1 when the BOLD forward model moved to a 10 ms drive
#: (pipeline.rest.BOLD_DRIVE_PERIOD_MS, < 1 % change in BOLD)
_REST_VERSIONS = {"fc-corr": 3, "fcd-ks": 3}
_REST_DEFAULT_VERSION = 2


def rest_benchmarks(dataset: str) -> list[Benchmark]:
    """Resting-state benchmarks of a dataset with BOLD (metrics in :mod:`fwbm_bench.metrics`),
    the built-in ones and one per plugin metric."""
    built_in = [Benchmark(f"{dataset}-{suffix}", dataset, _REST_VERSIONS.get(suffix, _REST_DEFAULT_VERSION), metric,
                          criterion, _SPLIT_HALF, _RATIO, description, citation)
                for suffix, metric, criterion, description, citation in _REST]
    plugins = [Benchmark(f"{dataset}-{metric.benchmark or metric.name}", dataset, metric.version, metric.name,
                         metric.criterion, _SPLIT_HALF, _RATIO, metric.description, metric.citation)
               for name, metric in REST_METRICS.items() if REST_METRICS.source(name) != BUILT_IN]
    return built_in + plugins


def identifiability_benchmark(dataset: str) -> Benchmark:
    """Individual specificity of a dataset with at least two BOLD subjects (pipeline.specificity)."""
    return Benchmark(f"{dataset}-identifiability", dataset, 2, "identifiability", "C1",  # 2: 10 ms BOLD drive
                     "the same from the subjects' train halves vs their held-out halves", _RATIO,
                     "differential identifiability: r(own predicted FC, own held-out FC) minus the mean r "
                     "with the other subjects' held-out FCs", "Amico & Goni 2018, Sci Rep 8:8254",
                     empirical_only=True)


#: task name -> its benchmark
_PERFECT = "a perfect performer (= 1)"

#: task -> its benchmarks; each benchmark's ``metric`` names the value the task reports in
#: its result's ``scores`` (tasks.*.run)
TASK_BENCHMARKS = {
    "perceptual_decision": (
        Benchmark("roitman2002-psychometric", "", 2, "psychometric_loglik", "C3",
                  "saturated binomial model of the monkeys' own proportions (= 1)",
                  "(LL_model - LL_chance) / (LL_saturated - LL_chance), clipped to [0, 1]",
                  "decoded choices, reaction-time design: accuracy per coherence vs Roitman & Shadlen's "
                  "6149 trials", "Roitman & Shadlen 2002, J Neurosci 22:9475"),
        Benchmark("roitman2002-chronometric", "", 1, "chronometric_r2", "C3",
                  "the monkeys' own mean RTs (R^2 = 1)",
                  "R^2 of the monkeys' mean correct RT per coherence by the model's plus one fitted offset, "
                  "clipped to [0, 1]",
                  "decoded reaction times: mean correct RT per coherence vs Roitman & Shadlen",
                  "Roitman & Shadlen 2002, J Neurosci 22:9475"),
    ),
    "working_memory": (
        Benchmark("delayed-response", "", 1, "wm_accuracy", "C3", _PERFECT,
                  "mean over delays of 2 (decoded accuracy - 0.5), clipped to [0, 1]",
                  "cue identity decoded from readout regions at the end of 1, 3 and 6 s delays",
                  "Funahashi et al. 1989, J Neurophysiol 61:331"),
    ),
    "memory_capacity": (
        Benchmark("memory-capacity", "", 1, "memory_capacity_fraction", "C3", _PERFECT,
                  "capacity / number of lags tested, clipped to [0, 1]",
                  "sum over lags k of the cross-validated r^2 of linear readouts of the input k bins ago",
                  "Jaeger 2001, GMD Report 152; Suarez et al. 2021, Nat Mach Intell 3:536"),
    ),
}


_NULL_CITATION = "Vasa & Misic 2022, Nat Rev Neurosci 23:493 (null models in network neuroscience)"
_EMPIRICAL_CEILING = "the entry's own score on the empirical connectome (all of it lost = 1)"

#: unification benchmarks, computed by the leaderboard from the other benchmarks' scores on the
#: connectome variants (:mod:`fwbm_bench.metrics.unification`); stored on the empirical connectome
UNIFICATION_BENCHMARKS = (
    Benchmark("structure-dependence-fc", "", 1, "structure_dependence", "U", _EMPIRICAL_CEILING,
              "(empirical - mean over nulls) / empirical, clipped to [0, 1]",
              "FC-fit score (<dataset>-fc-corr) on the empirical connectome vs on the subject's full nulls "
              "(shuffled, geometric, rewired), each refitted; null percentile stored beside it",
              _NULL_CITATION, empirical_only=True),
    Benchmark("structure-dependence-task", "", 1, "structure_dependence", "U", _EMPIRICAL_CEILING,
              "(empirical - mean over nulls) / empirical, clipped to [0, 1]",
              "task performance (mean of the C3 benchmark scores) on the empirical connectome vs on the "
              "subject's full nulls", "Suarez et al. 2021, Nat Mach Intell 3:536", empirical_only=True),
    Benchmark("lesion-specificity", "", 1, "lesion_specificity", "U",
              "the intact task performance (pathway lesion abolishes it, random lesions cost nothing = 1)",
              "(mean over random controls - pathway lesion) / intact, clipped to [0, 1]",
              "task performance (mean C3 score) after lesioning the task's input-to-readout path "
              "(unification.task_lesion) vs after size-matched random lesions",
              "Alstott et al. 2009, PLoS Comput Biol 5:e1000408", empirical_only=True),
    Benchmark("explanatory-scope", "", 1, "explanatory_scope", "U", _PERFECT,
              "fraction of the subject's C1-C4 benchmarks with a normalised score >= 0.5 (missing = not explained)",
              "how much of the benchmark suite one parameter set explains",
              "Senden et al. 2026 (fWBM criteria)", empirical_only=True),
)


def task_benchmarks(task: str, task_class=None) -> tuple[Benchmark, ...]:
    """The benchmarks a task's scores feed: built in, or a plugin task's ``benchmarks``.
    ``task_class``: the class of a task that is not registered (the conformance kit)."""
    if task in TASK_BENCHMARKS:
        return TASK_BENCHMARKS[task]
    benchmarks = tuple(getattr(task_class or TASKS[task], "benchmarks", ()))
    if not benchmarks or not all(isinstance(b, Benchmark) for b in benchmarks):
        source = f" of {TASKS.source(task)}" if task in TASKS else ""
        raise ConfigError(f"task '{task}'{source}: its 'benchmarks' attribute must list "
                          f"fwbm_bench.scoring.Benchmark objects, found {benchmarks!r}")
    return benchmarks


def benchmark_registry(datasets_with_bold, tasks=tuple(TASK_BENCHMARKS)) -> dict[str, Benchmark]:
    """Benchmarks of the resting-state datasets, of the configured ``tasks``, and of unification."""
    registry = {}
    for dataset in datasets_with_bold:
        for benchmark in [*rest_benchmarks(dataset), identifiability_benchmark(dataset)]:
            registry[benchmark.identifier] = benchmark
    for task in tasks:
        for benchmark in task_benchmarks(task):
            registry[benchmark.identifier] = benchmark
    for benchmark in UNIFICATION_BENCHMARKS:
        registry[benchmark.identifier] = benchmark
    return registry


def aggregation_tree(registry: dict) -> dict[str, list[str]]:
    """criterion -> its benchmark identifiers (the tree: subject -> benchmark -> criterion -> overall)."""
    return {criterion: [k for k, b in registry.items() if b.criterion == criterion] for criterion in CRITERIA}


#: a criterion is met when its score (missing benchmarks counting 0) reaches this; an entry
#: ``qualifies`` as an fWBM when every criterion, C1-C4 and U, is met
QUALIFYING_SCORE = 0.5


def criteria_card(benchmark_scores: dict, benchmark_coverage: dict, registry: dict) -> dict:
    """One entry's fWBM criteria card from its benchmark-level scores and coverages.

    Returns ``{"criteria": {C: (score, coverage)}, "overall": (score, coverage),
    "qualifies": bool}``. A criterion without any benchmark scores 0 with coverage 0, so a
    missing benchmark lowers both the score and the coverage, never raises the mean.
    """
    criteria = {}
    for criterion, children in aggregation_tree(registry).items():
        score, _ = aggregate([benchmark_scores.get(b, float("nan")) for b in children])
        coverage = float(np.mean([benchmark_coverage.get(b, 0.0) for b in children])) if children else 0.0
        criteria[criterion] = (score, coverage)
    overall = (float(np.mean([s for s, _ in criteria.values()])), float(np.mean([c for _, c in criteria.values()])))
    return {"criteria": criteria, "overall": overall,
            "qualifies": all(score >= QUALIFYING_SCORE for score, _ in criteria.values())}


EXCLUDED = "excluded: "
#: status prefix of a benchmark the entry failed (its simulation diverged, a job of the entry raised)
FAILED = "failed: "
BASELINE_NO_TASKS = "not applicable: baseline has no dynamics to run a task"


def normalise(raw: float, ceiling: float) -> tuple[float, float]:
    """(score clipped to [0, 1], unclipped ratio) of a similarity against its ceiling."""
    if not np.isfinite(raw) or not np.isfinite(ceiling) or ceiling <= 0:
        return float("nan"), float("nan")
    ratio = raw / ceiling
    return float(np.clip(ratio, 0.0, 1.0)), float(ratio)


def aggregate(children: list[float]) -> tuple[float, float]:
    """(mean with missing children as 0, coverage) of a node's children scores."""
    if not children:
        return 0.0, 0.0
    values = np.array(children, dtype=float)
    present = np.isfinite(values)
    return float(np.where(present, values, 0.0).mean()), float(present.mean())
