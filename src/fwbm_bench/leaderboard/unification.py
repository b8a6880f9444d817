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
from fwbm_bench.data import dataset_of
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


def _inapplicable(text: str) -> bool:
    return text.startswith((EXCLUDED, "not applicable"))


def unification(score: np.ndarray, status: np.ndarray, subjects, connectomes, benchmarks, registry: dict,
                stage_pairs: dict, task_lesion: str) -> dict:
    """Unification results; see the module docstring.

    ``stage_pairs``: stage ("rest", "tasks") -> the (subject, connectome) pairs the config ran
    it on (a variant that did not run a stage is left out of that stage's measures, it is not
    missing). Returns ``rows`` {(entry index, subject index, benchmark id): row dict},
    ``percentile`` (entry x subject x measure, in %), ``fidelity`` {measure: (fractions,
    array entry x subject x fraction)}, and ``task_performance`` (entry x subject x connectome:
    the mean C3 score the task measures use).
    """
    parsed = [parse_variant(c) for c in connectomes]
    ran_stage = {"fc": set(stage_pairs["rest"]), "task": set(stage_pairs["tasks"])}
    n_entries, n_connectomes = score.shape[0], len(connectomes)
    empirical = connectomes.index("empirical")
    nulls = [k for k, v in enumerate(parsed) if v.role == "null"]
    lesion = [k for k, v in enumerate(parsed) if v.role == "lesion" and v.lesion == task_lesion]
    controls = [k for k, v in enumerate(parsed) if v.role == "lesion-control" and v.lesion == task_lesion]
    shuffled = [k for k, v in enumerate(parsed) if v.family in ("empirical", "shuffled")]
    fractions = sorted({parsed[k].rewiring_fraction for k in shuffled})
    text = status.astype(str)
    c3_columns = [k for k, b in enumerate(benchmarks) if registry[b].criterion == "C3"]
    scope_columns = [k for k, b in enumerate(benchmarks) if registry[b].criterion in ("C1", "C2", "C3", "C4")]

    def fc_columns(subject: str) -> list[int]:
        identifier = f"{dataset_of(subject)}-fc-corr"
        return [benchmarks.index(identifier)] if identifier in benchmarks else []

    def value(e, s, c, columns) -> float:
        """Mean score over ``columns`` (not computable counts 0); NaN if a result is missing."""
        if any(text[e, s, c, k].startswith("missing") for k in columns):
            return float("nan")
        return aggregate(list(score[e, s, c, columns]))[0]

    rows = {}
    percentile = np.full((n_entries, len(subjects), len(MEASURES)), np.nan)
    fidelity = {m: (fractions, np.full((n_entries, len(subjects), len(fractions)), np.nan)) for m in MEASURES}
    performance = np.full((n_entries, len(subjects), n_connectomes), np.nan)
    for s, subject in enumerate(subjects):
        ran_for = {m: [c for c in range(n_connectomes) if (subject, connectomes[c]) in pairs]
                   for m, pairs in ran_stage.items()}
        members = {m: [[c for c in shuffled if c in ran_for[m] and parsed[c].rewiring_fraction == f] for f in fractions]
                   for m in MEASURES}
        candidates = {"fc": fc_columns(subject), "task": c3_columns}
        for e in range(n_entries):
            # the columns a measure averages: those that apply to this entry and subject
            columns = {m: [k for k in candidates[m] if not _inapplicable(text[e, s, empirical, k])] for m in MEASURES}
            scores = {m: np.array([value(e, s, c, columns[m]) if c in ran_for[m] else np.nan
                                   for c in range(n_connectomes)]) for m in MEASURES if columns[m]}
            for measure, identifier in (("fc", "structure-dependence-fc"), ("task", "structure-dependence-task")):
                if measure not in scores:
                    rows[e, s, identifier] = {"status": f"not applicable: the entry has no {measure} score here"}
                    continue
                for f, group in enumerate(members[measure]):
                    if group:  # NaN if one is missing
                        fidelity[measure][1][e, s, f] = scores[measure][group].mean()
                ran_nulls = [c for c in nulls if c in ran_for[measure]]
                if not ran_nulls:
                    rows[e, s, identifier] = {"status": f"{EXCLUDED}no null connectome was run for this subject"}
                    continue
                own, null_values = scores[measure][empirical], scores[measure][ran_nulls]
                rows[e, s, identifier] = _row(*structure_dependence(own, null_values))
                percentile[e, s, MEASURES.index(measure)] = null_percentile(own, null_values)
            rows[e, s, "lesion-specificity"] = _lesion_row(scores.get("task"), empirical,
                                                           [c for c in lesion if c in ran_for["task"]],
                                                           [c for c in controls if c in ran_for["task"]], task_lesion)
            if "task" in scores:
                performance[e, s] = scores["task"]
            scope = explanatory_scope(score[e, s, empirical, [k for k in scope_columns
                                                              if not text[e, s, empirical, k].startswith(EXCLUDED)]])
            rows[e, s, "explanatory-scope"] = ({"raw": scope, "ceiling": 1.0, "score": scope, "score_unclipped": scope,
                                                "status": "ok"} if np.isfinite(scope)
                                               else {"status": f"{EXCLUDED}no C1-C4 benchmark applies to this subject"})
    return {"rows": rows, "percentile": percentile, "fidelity": fidelity, "task_performance": performance}


def _lesion_row(task_scores, empirical: int, lesioned: list, controls: list, task_lesion: str) -> dict:
    """The lesion-specificity row of one (entry, subject) from its task scores per variant."""
    if task_scores is None:
        return {"status": "not applicable: the entry has no task score here"}
    if not lesioned or not controls:
        return {"status": f"{EXCLUDED}lesion-{task_lesion} and its random controls were not run for this subject"}
    return _row(*lesion_specificity(task_scores[empirical], float(np.mean(task_scores[lesioned])),
                                    task_scores[controls]))
