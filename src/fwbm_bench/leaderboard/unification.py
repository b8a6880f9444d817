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
    n_entries = score.shape[0]
    empirical = connectomes.index("empirical")
    nulls = [k for k, v in enumerate(parsed) if v.role == "null"]
    lesion = [k for k, v in enumerate(parsed) if v.role == "lesion" and v.lesion == task_lesion]
    controls = [k for k, v in enumerate(parsed) if v.role == "lesion-control" and v.lesion == task_lesion]
    shuffled = [k for k, v in enumerate(parsed) if v.family in ("empirical", "shuffled")]
    fractions = sorted({parsed[k].rewiring_fraction for k in shuffled})
    text = status.astype(str)

    def columns_of(e, s, measure) -> list[int]:
        """The benchmark columns a measure averages for (entry, subject): those that apply to it
        on the empirical connectome (not excluded, not 'not applicable')."""
        if measure == "fc":
            wanted = [f"{subjects[s].split('-', 1)[0]}-fc-corr"]
        else:
            wanted = [b for b in benchmarks if registry[b].criterion == "C3"]
        return [benchmarks.index(b) for b in wanted
                if b in benchmarks and not _inapplicable(str(text[e, s, empirical, benchmarks.index(b)]))]

    def value(e, s, c, columns) -> float:
        """Mean score over ``columns`` (not computable counts 0); NaN if a result is missing."""
        if any(str(text[e, s, c, k]).startswith("missing") for k in columns):
            return float("nan")
        return aggregate(list(score[e, s, c, columns]))[0]

    rows = {}
    percentile = np.full((n_entries, len(subjects), len(MEASURES)), np.nan)
    fidelity = {m: (fractions, np.full((n_entries, len(subjects), len(fractions)), np.nan)) for m in MEASURES}
    performance = np.full((n_entries, len(subjects), len(connectomes)), np.nan)
    for s, subject in enumerate(subjects):
        ran_for = {m: {c for c in range(len(connectomes)) if (subject, connectomes[c]) in pairs}
                   for m, pairs in ran_stage.items()}
        for e in range(n_entries):
            task_columns = columns_of(e, s, "task")
            if task_columns:
                performance[e, s] = [value(e, s, c, task_columns) if c in ran_for["task"] else np.nan
                                     for c in range(len(connectomes))]
            for measure, identifier in (("fc", "structure-dependence-fc"), ("task", "structure-dependence-task")):
                ran = ran_for[measure]
                columns = columns_of(e, s, measure)
                if not columns:
                    rows[e, s, identifier] = {"status": f"not applicable: the entry has no {measure} score here"}
                    continue
                for f, fraction in enumerate(fractions):
                    members = [c for c in shuffled if c in ran and parsed[c].rewiring_fraction == fraction]
                    if members:  # NaN if one is missing
                        fidelity[measure][1][e, s, f] = np.mean([value(e, s, c, columns) for c in members])
                ran_nulls = [c for c in nulls if c in ran]
                if not ran_nulls:
                    rows[e, s, identifier] = {"status": f"{EXCLUDED}no null connectome was run for this subject"}
                    continue
                own, null_values = value(e, s, empirical, columns), [value(e, s, c, columns) for c in ran_nulls]
                rows[e, s, identifier] = _row(*structure_dependence(own, null_values))
                percentile[e, s, MEASURES.index(measure)] = null_percentile(own, null_values)
            ran_lesion = [c for c in lesion if c in ran_for["task"]]
            ran_controls = [c for c in controls if c in ran_for["task"]]
            if not task_columns:
                rows[e, s, "lesion-specificity"] = {"status": "not applicable: the entry has no task score here"}
            elif not ran_lesion or not ran_controls:
                rows[e, s, "lesion-specificity"] = {
                    "status": f"{EXCLUDED}lesion-{task_lesion} and its random controls were not run for this subject"}
            else:
                rows[e, s, "lesion-specificity"] = _row(*lesion_specificity(
                    performance[e, s, empirical], float(np.mean(performance[e, s, ran_lesion])),
                    performance[e, s, ran_controls]))
            scope_columns = [k for k, b in enumerate(benchmarks) if registry[b].criterion in ("C1", "C2", "C3", "C4")
                             and not str(text[e, s, empirical, k]).startswith(EXCLUDED)]
            scope = explanatory_scope(score[e, s, empirical, scope_columns])
            rows[e, s, "explanatory-scope"] = ({"raw": scope, "ceiling": 1.0, "score": scope, "score_unclipped": scope,
                                                "status": "ok"} if np.isfinite(scope)
                                               else {"status": f"{EXCLUDED}no C1-C4 benchmark applies to this subject"})
    return {"rows": rows, "percentile": percentile, "fidelity": fidelity, "task_performance": performance}
