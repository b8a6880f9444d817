"""Unification rows of the leaderboard: computed from the other benchmarks' scores across
connectome variants (no simulation of their own).

For each (entry, subject), on the arrays of :func:`fwbm_bench.leaderboard.build_leaderboard`
(``score`` and ``status`` of shape entry x subject x connectome x benchmark):

- structure dependence of the FC fit and of task performance: empirical vs the full nulls;
- lesion specificity: the task-pathway lesion vs its size-matched random controls;
- explanatory scope: fraction of C1-C4 benchmarks with score >= 0.5;
- fidelity curves: FC and task scores against the shuffled fraction (0 = empirical).
"""

from __future__ import annotations

import numpy as np

from fwbm_bench.connectome import parse_variant
from fwbm_bench.metrics.unification import (
    explanatory_scope,
    lesion_specificity,
    null_percentile,
    structure_dependence,
)
from fwbm_bench.scoring import EXCLUDED, aggregate, normalise

MEASURES = ("fc", "task")


def _row(raw: float, ceiling: float) -> dict:
    if np.isfinite(raw) and np.isfinite(ceiling) and ceiling <= 0:
        return {"raw": raw, "ceiling": ceiling, "score": 0.0, "score_unclipped": 0.0,
                "status": "ok: the empirical score is 0, so nothing of it can depend on structure"}
    score, unclipped = normalise(raw, ceiling)
    return {"raw": raw, "ceiling": ceiling, "score": score, "score_unclipped": unclipped,
            "status": "ok" if np.isfinite(score) else "missing: a score it is computed from is missing"}


def unification(score: np.ndarray, status: np.ndarray, subjects, connectomes, benchmarks, registry: dict,
                run_pairs, task_lesion: str) -> dict:
    """Unification results; see the module docstring.

    ``run_pairs``: the (subject, connectome) pairs the config ran (others are excluded, not
    missing). Returns ``rows`` {(entry index, subject index, benchmark id): row dict},
    ``percentile`` (entry x subject x measure, in %), ``fidelity`` {measure: (fractions,
    array entry x subject x fraction)}, and ``task_performance`` (entry x subject x connectome:
    the mean C3 score the task measures use).
    """
    parsed = [parse_variant(c) for c in connectomes]
    run = {(s, c) for s, c in run_pairs}
    n_entries = score.shape[0]
    empirical = connectomes.index("empirical")
    nulls = [k for k, v in enumerate(parsed) if v.role == "null"]
    lesion = [k for k, v in enumerate(parsed) if v.role == "lesion" and v.lesion == task_lesion]
    controls = [k for k, v in enumerate(parsed) if v.role == "lesion-control" and v.lesion == task_lesion]
    task_columns = [k for k, b in enumerate(benchmarks) if registry[b].criterion == "C3"]
    scope_columns = [k for k, b in enumerate(benchmarks) if registry[b].criterion in ("C1", "C2", "C3", "C4")]
    shuffled = sorted({v.rewiring_fraction for v in parsed if v.family in ("empirical", "shuffled")})

    def missing(e, s, c, columns):
        return any(str(status[e, s, c, k]).startswith("missing") for k in columns)

    def task_score(e, s, c):
        """Mean C3 score (a task that could not be computed counts 0); NaN if a result is missing."""
        if not task_columns or (subjects[s], connectomes[c]) not in run or missing(e, s, c, task_columns):
            return float("nan")
        return aggregate(list(score[e, s, c, task_columns]))[0]

    fc_columns = {s: benchmarks.index(f"{subject.split('-', 1)[0]}-fc-corr") for s, subject in enumerate(subjects)
                  if f"{subject.split('-', 1)[0]}-fc-corr" in benchmarks}

    def fc_score(e, s, c):
        column = fc_columns.get(s)
        if column is None or (subjects[s], connectomes[c]) not in run or missing(e, s, c, [column]):
            return float("nan")
        value = score[e, s, c, column]
        return value if np.isfinite(value) else 0.0  # not computable (e.g. diverged) counts 0

    rows, percentile = {}, np.full((n_entries, len(subjects), len(MEASURES)), np.nan)
    fidelity = {m: (shuffled, np.full((n_entries, len(subjects), len(shuffled)), np.nan)) for m in MEASURES}
    for s, subject in enumerate(subjects):
        ran_nulls = [c for c in nulls if (subject, connectomes[c]) in run]
        ran_lesion = [c for c in lesion if (subject, connectomes[c]) in run]
        ran_controls = [c for c in controls if (subject, connectomes[c]) in run]
        fc_applicable = s in fc_columns
        for e in range(n_entries):
            for measure, value_of, identifier, applicable in (
                    ("fc", fc_score, "structure-dependence-fc", fc_applicable),
                    ("task", task_score, "structure-dependence-task", bool(task_columns))):
                if not applicable:
                    rows[e, s, identifier] = {"status": f"{EXCLUDED}no {measure} benchmark applies to this subject"}
                elif not ran_nulls:
                    rows[e, s, identifier] = {"status": f"{EXCLUDED}no null connectome was run for this subject"}
                else:
                    own = value_of(e, s, empirical)
                    null_values = [value_of(e, s, c) for c in ran_nulls]
                    rows[e, s, identifier] = _row(*structure_dependence(own, null_values))
                    percentile[e, s, MEASURES.index(measure)] = null_percentile(own, null_values)
                fractions, curve = fidelity[measure]
                for f, fraction in enumerate(fractions):
                    members = [c for c, v in enumerate(parsed) if v.family in ("empirical", "shuffled")
                               and v.rewiring_fraction == fraction and (subject, connectomes[c]) in run]
                    if members and applicable:
                        curve[e, s, f] = np.mean([value_of(e, s, c) for c in members])  # NaN if one is missing
            if not task_columns or not ran_lesion or not ran_controls:
                rows[e, s, "lesion-specificity"] = {
                    "status": f"{EXCLUDED}lesion-{task_lesion} and its random controls were not run for this subject"}
            else:
                rows[e, s, "lesion-specificity"] = _row(*lesion_specificity(
                    task_score(e, s, empirical), np.mean([task_score(e, s, c) for c in ran_lesion]),
                    [task_score(e, s, c) for c in ran_controls]))
            applicable_scope = [k for k in scope_columns if not str(status[e, s, empirical, k]).startswith(EXCLUDED)]
            scope = explanatory_scope(score[e, s, empirical, applicable_scope])
            rows[e, s, "explanatory-scope"] = {"raw": scope, "ceiling": 1.0, "score": scope,
                                               "score_unclipped": scope, "status": "ok"} if np.isfinite(scope) \
                else {"status": f"{EXCLUDED}no C1-C4 benchmark applies to this subject"}
    performance = np.array([[[task_score(e, s, c) for c in range(len(connectomes))] for s in range(len(subjects))]
                            for e in range(n_entries)])
    return {"rows": rows, "percentile": percentile, "fidelity": fidelity, "task_performance": performance}
