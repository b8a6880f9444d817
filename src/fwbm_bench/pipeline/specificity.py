"""Individual specificity stage: one job per entry, across every subject with BOLD.

For each dataset with at least two BOLD subjects, the entry's predicted FC of every subject
(simulated from the subject's own empirical connectome) is compared with every subject's
held-out empirical FC (:mod:`fwbm_bench.metrics.specificity`). Per subject, the benchmark
``<dataset>-identifiability`` gets raw = the subject's differential identifiability and
ceiling = the same from the subjects' train halves against their held-out halves.
"""

from __future__ import annotations

import logging

import numpy as np

from fwbm_bench.data import load_subject_file
from fwbm_bench.errors import FwbmError
from fwbm_bench.metrics.specificity import differential_identifiability, identification_matrix, top1_hits
from fwbm_bench.pipeline.io import read_npz, write_json
from fwbm_bench.pipeline.rest import RestSettings, empirical_observables
from fwbm_bench.scoring import FAILED, identifiability_benchmark, normalise

log = logging.getLogger("fwbm_bench.pipeline")


def score_specificity(predicted: dict, subjects: list, settings: RestSettings) -> dict:
    """Identifiability rows per subject and the identification matrices per dataset.

    ``predicted``: subject id -> the entry's observables for that subject (``fc``, ``error`` or
    ``failed``: a subject without FC makes every subject's row not computable, or failed if its
    simulation failed).
    Returns ``{"per_subject": [{"subject", "results": [row]}], "datasets": {name: summary}}``.
    """
    per_subject, datasets = [], {}
    by_dataset: dict[str, list] = {}
    for subject in subjects:
        if subject.has_bold:
            by_dataset.setdefault(subject.dataset, []).append(subject)
    for dataset, members in sorted(by_dataset.items()):
        benchmark = identifiability_benchmark(dataset)

        def row(status, benchmark=benchmark, **values):
            return {"benchmark": benchmark.identifier, "version": benchmark.version, "status": status, **values}

        ids = [s.subject_id for s in members]
        missing = [s for s in ids if "fc" not in predicted.get(s, {})]
        if len(members) < 2 or missing:
            why = ("needs at least two subjects with BOLD" if len(members) < 2 else
                   f"no predicted FC for {', '.join(missing)}")
            failed = [str(predicted[s]["failed"]) for s in missing if "failed" in predicted.get(s, {})]
            status = f"{FAILED}{why} ({failed[0]})" if failed else f"not computable: {why}"
            per_subject += [{"subject": s, "results": [row(status)]} for s in ids]
            continue
        try:
            empirical = [empirical_observables(s, settings) for s in members]
            model = identification_matrix([predicted[s]["fc"] for s in ids], [e[1].fc for e in empirical])
            ceiling = identification_matrix([e[0].fc for e in empirical], [e[1].fc for e in empirical])
        except FwbmError as exc:
            per_subject += [{"subject": s, "results": [row(f"not computable: {exc}")]} for s in ids]
            continue
        raw, top = differential_identifiability(model), differential_identifiability(ceiling)
        for k, subject_id in enumerate(ids):
            score, unclipped = normalise(raw[k], top[k])
            status = "ok" if np.isfinite(score) else f"not computable: ceiling {top[k]:.3g} is not positive"
            per_subject.append({"subject": subject_id, "results": [
                row(status, raw=raw[k], ceiling=top[k], score=score, score_unclipped=unclipped)]})
        datasets[dataset] = {
            "subjects": ids, "model_vs_empirical": model, "empirical_split_half": ceiling,
            "top1_accuracy": float(top1_hits(model).mean()),
            "top1_accuracy_ceiling": float(top1_hits(ceiling).mean()),
            "identifiability": float(raw.mean()), "identifiability_ceiling": float(top.mean()),
        }
        log.info("%s: identifiability %.4f (ceiling %.4f), top-1 %.2f (ceiling %.2f) over %d subjects", dataset,
                 raw.mean(), top.mean(), datasets[dataset]["top1_accuracy"],
                 datasets[dataset]["top1_accuracy_ceiling"], len(ids))
    return {"per_subject": per_subject, "datasets": datasets}


def run_specificity(entry_name: str, connectome: str, subject_paths, observables_paths, config: dict,
                    output_path) -> None:
    """File-level stage: subjects and the entry's observables (same order) -> one JSON."""
    subjects = [load_subject_file(path) for path in subject_paths]
    predicted = {s.subject_id: read_npz(path) for s, path in zip(subjects, observables_paths)}
    result = score_specificity(predicted, subjects, RestSettings.from_config(config))
    write_json(output_path, {"entry": entry_name, "connectome": connectome, **result})
