"""Assemble per-job result files into the leaderboard ``xarray.Dataset`` (schema v1).

Dimensions: ``entry``, ``subject``, ``connectome``, ``benchmark``, ``criterion``.
Per (entry, subject, connectome, benchmark): ``raw``, ``ceiling``, ``score`` (clipped to
[0, 1]), ``score_unclipped``, ``status`` ("ok" or why not). Per (entry, subject,
connectome): fitted parameters ``fitted_<name>``, ``wall_s`` and ``max_rss_mb`` of its jobs.
Per entry: ``identification_top1`` and its ceiling (individual specificity).
Unification (:mod:`fwbm_bench.leaderboard.unification`): the U benchmarks' rows on the
empirical connectome; ``null_percentile`` (entry, subject, ``measure`` fc/task);
``task_performance`` (entry, subject, connectome); ``fidelity_fc``/``fidelity_task`` (entry,
subject, ``shuffled_fraction``) when shuffled variants ran; coordinate ``connectome_role``.
A result file holds one (entry, subject, connectome) record, or ``per_subject`` records of
one entry and connectome (the specificity job).
Aggregates on the empirical connectome: ``benchmark_score``/``benchmark_coverage`` (entry,
benchmark), ``criterion_score``/``criterion_coverage`` (entry, criterion), ``overall``,
``overall_coverage`` and ``qualifies`` (entry): the fWBM criteria card. The aggregation tree is in :mod:`fwbm_bench.scoring`.
"""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
from pathlib import Path

import numpy as np
import xarray as xr

from fwbm_bench import __version__
from fwbm_bench.connectome import parse_variant
from fwbm_bench.connectome.variants import STAGES, connectome_pairs
from fwbm_bench.data import dataset_of
from fwbm_bench.errors import InputError
from fwbm_bench.leaderboard.schema import SCHEMA_VERSION
from fwbm_bench.leaderboard.unification import MEASURES, unification
from fwbm_bench.scoring import (
    BASELINE_NO_TASKS,
    CRITERIA,
    EXCLUDED,
    FAILED,
    QUALIFYING_SCORE,
    criteria_card,
    identifiability_benchmark,
    rest_benchmarks,
    task_benchmarks,
)
from fwbm_bench.seeding import NOISE_STREAM

_ROW_FIELDS = ("raw", "ceiling", "score", "score_unclipped")


def _mark_unless_excluded(status: np.ndarray, text: str) -> None:
    """Set ``status`` (a view of the status array) to ``text`` where it is not already excluded."""
    status[~np.char.startswith(status.astype(str), EXCLUDED)] = text


def _failure_records(content: dict, subjects: list, known) -> list[dict]:
    """Result records for a job's failure record (``failed`` instead of results,
    :func:`fwbm_bench.pipeline.job.run_entry_job`): every benchmark the job would have scored
    gets ``failed: <reason>``. A task job scores its task's benchmarks, a rest scoring job the
    rest benchmarks of its subject's dataset, a specificity job (no subject) identifiability
    for every subject; only the ``known`` benchmarks (those of the run's registry) are kept."""
    status = f"{FAILED}{content['failed']}"
    if "task" in content:
        owned = {content["subject"]: [b.identifier for b in task_benchmarks(content["task"])]}
    elif "subject" in content:
        owned = {content["subject"]: [b.identifier for b in rest_benchmarks(dataset_of(content["subject"]))]}
    else:
        owned = {subject: [identifiability_benchmark(dataset_of(subject)).identifier] for subject in subjects}
    return [{"subject": subject, "results": [{"benchmark": b, "status": status} for b in benchmarks if b in known]}
            for subject, benchmarks in owned.items()]


def entry_status(status: np.ndarray) -> np.ndarray:
    """Per entry (first axis of ``status``, the per-benchmark statuses of every subject and
    connectome): ``ok``, or ``failed: <n> of <m> results, e.g. <the most frequent status>`` when
    some are failed or missing (``m`` counts those that are not excluded)."""
    text = np.asarray(status).astype(str).reshape(len(status), -1)
    summary = []
    for row in text:
        bad = [s for s in row if s.startswith((FAILED, "missing: "))]
        if not bad:
            summary.append("ok")
            continue
        reasons, counts = np.unique(bad, return_counts=True)
        applicable = int((~np.char.startswith(row, EXCLUDED)).sum())
        example = reasons[np.argmax(counts)].removeprefix(FAILED)
        summary.append(f"{FAILED}{len(bad)} of {applicable} results, e.g. {example}")
    return np.array(summary, dtype=str)


def _snakemake_version() -> str:
    try:
        return importlib.metadata.version("snakemake")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def build_leaderboard(result_files, fit_files, cost_rows, config: dict, registry: dict,
                      dataset_cards: dict, config_digest: str, baselines=()) -> xr.Dataset:
    """Leaderboard dataset from result JSONs (rest scores, tasks) and fit JSONs.

    ``dataset_cards``: dataset name -> card dict (``has_bold`` decides which subjects the
    resting-state benchmarks apply to).

    ``cost_rows``: iterable of dicts (entry, subject, connectome, wall_s, max_rss_mb).

    ``baselines``: entries without dynamics; they run no tasks, and their task benchmarks are
    marked not applicable.
    """
    has_bold = {name: bool(card.get("has_bold", True)) for name, card in dataset_cards.items()}
    entries = list(config["entries"])
    subjects = list(config["subjects"])
    pairs = connectome_pairs(config)
    run_pairs = set(pairs)
    connectomes = list(dict.fromkeys(c for _, c in pairs))
    benchmarks = list(registry)
    shape = (len(entries), len(subjects), len(connectomes), len(benchmarks))
    values = {name: np.full(shape, np.nan) for name in _ROW_FIELDS}
    status = np.full(shape, "missing: no result (job failed or not run)", dtype=object)
    for s, subject in enumerate(subjects):
        dataset = dataset_of(subject)
        for k, benchmark in enumerate(benchmarks):
            owner = registry[benchmark].dataset
            if owner and owner != dataset:
                status[:, s, :, k] = f"{EXCLUDED}benchmark of dataset '{owner}'"
            elif owner and not has_bold.get(dataset, False):
                status[:, s, :, k] = f"{EXCLUDED}subject has no BOLD"
    stage_pairs = {stage: set(connectome_pairs(config, stage)) for stage in STAGES}
    is_task = np.array([registry[b].criterion == "C3" for b in benchmarks])
    is_derived = np.array([registry[b].criterion == "U" for b in benchmarks])
    for s, subject in enumerate(subjects):
        for c, connectome in enumerate(connectomes):
            if (subject, connectome) not in run_pairs:
                status[:, s, c, :] = f"{EXCLUDED}connectome variant not run on this subject (sampled_connectomes)"
                continue
            for stage, columns in (("rest", ~is_task & ~is_derived), ("tasks", is_task)):
                if (subject, connectome) not in stage_pairs[stage]:
                    status[:, s, c, columns] = f"{EXCLUDED}the {stage} stage was not run on this variant (its stages)"
    for e, entry in enumerate(entries):
        if entry in baselines:
            for k, benchmark in enumerate(benchmarks):
                if registry[benchmark].criterion == "C3":
                    _mark_unless_excluded(status[e, :, :, k], BASELINE_NO_TASKS)
    for c, connectome in enumerate(connectomes):
        for k, benchmark in enumerate(benchmarks):
            if registry[benchmark].empirical_only and connectome != "empirical":
                _mark_unless_excluded(status[:, :, c, k], "not applicable: scored on the empirical connectome only")
    index = {"entry": {e: k for k, e in enumerate(entries)}, "subject": {s: k for k, s in enumerate(subjects)},
             "connectome": {c: k for k, c in enumerate(connectomes)}, "benchmark": {b: k for k, b in enumerate(benchmarks)}}

    curves: dict[str, tuple[str, list, np.ndarray]] = {}  # name -> (dimension, coordinates, values)
    identification = np.full((len(entries), 2), np.nan)  # top-1 accuracy, its empirical ceiling
    for path in result_files:
        content = json.loads(Path(path).read_text())
        e, c = index["entry"][content["entry"]], index["connectome"][content["connectome"]]
        if "per_subject" in content:  # one job across subjects (pipeline.specificity)
            records = content["per_subject"]
            summaries = list(content.get("datasets", {}).values())
            if summaries:
                identification[e] = [np.mean([d[k] for d in summaries])
                                     for k in ("top1_accuracy", "top1_accuracy_ceiling")]
        elif "failed" in content and "results" not in content:  # a failed job's record
            records = _failure_records(content, subjects, index["benchmark"])
        else:
            records = [content]
        for record in records:
            position = (e, index["subject"][record["subject"]], c)
            for name, curve in record.get("behaviour", {}).get("curves", {}).items():
                if name not in curves:
                    curves[name] = (curve["dim"], curve["coords"], np.full(shape[:3] + (len(curve["coords"]),), np.nan))
                if list(curve["coords"]) != list(curves[name][1]):
                    raise InputError(f"{path}: {name} is given at {curve['dim']} {curve['coords']}, but other results "
                                     f"at {curves[name][1]}: the results come from different task settings; rerun "
                                     f"the tasks (snakemake --forcerun run_task)")
                curves[name][2][position] = np.asarray(curve["values"], dtype=float)
            for row in record["results"]:
                where = position + (index["benchmark"][row["benchmark"]],)
                if str(status[where]).startswith(EXCLUDED) and row["status"].startswith(FAILED):
                    continue  # a failure does not make an excluded benchmark apply
                status[where] = row["status"]
                for name in _ROW_FIELDS:
                    if row.get(name) is not None:
                        values[name][where] = row[name]

    united = unification(values["score"], status, subjects, connectomes, benchmarks, registry, stage_pairs,
                         config.get("unification", {}).get("task_lesion", "task-input"))
    empirical = connectomes.index("empirical")
    for (e, s, benchmark), row in united["rows"].items():
        if benchmark not in index["benchmark"]:
            continue
        where = (e, s, empirical, index["benchmark"][benchmark])
        status[where] = row["status"]
        for name in _ROW_FIELDS:
            values[name][where] = row.get(name, np.nan)

    dims4 = ("entry", "subject", "connectome", "benchmark")
    data = {name: (dims4, array) for name, array in values.items()}
    coords_extra = {}
    data["null_percentile"] = (("entry", "subject", "measure"), united["percentile"])
    data["task_performance"] = (("entry", "subject", "connectome"), united["task_performance"])
    fractions = united["fidelity"]["fc"][0]
    if len(fractions) > 1:  # the fidelity curve needs shuffled variants besides the empirical one
        coords_extra["shuffled_fraction"] = fractions
        for measure, (_, curve) in united["fidelity"].items():
            data[f"fidelity_{measure}"] = (("entry", "subject", "shuffled_fraction"), curve)
    data["status"] = (dims4, status.astype(str))
    for name, (dim, coords, array) in curves.items():  # task behaviour curves (tasks.*.run)
        data[name] = (("entry", "subject", "connectome", dim), array)
        coords_extra[dim] = coords

    fitted = {}
    fit_status = np.full(shape[:3], "", dtype=object)  # "": no fit job (a lesion runs at the empirical fit)
    for path in fit_files:
        content = json.loads(Path(path).read_text())
        where = (index["entry"][content["entry"]], index["subject"][content["subject"]],
                 index["connectome"][content["connectome"]])
        fit_status[where] = f"{FAILED}{content['failed']}" if "failed" in content else content.get("status", "")
        for name, value in content.get("params", {}).items():
            fitted.setdefault(name, np.full(shape[:3], np.nan))[where] = value
    for name, array in fitted.items():
        data[f"fitted_{name}"] = (("entry", "subject", "connectome"), array)
    data["fit_status"] = (("entry", "subject", "connectome"), fit_status.astype(str))
    data["entry_status"] = (("entry",), entry_status(status))

    wall = np.zeros(shape[:3])
    rss = np.zeros(shape[:3])
    for row in cost_rows:
        where = (index["entry"][row["entry"]], index["subject"][row["subject"]], index["connectome"][row["connectome"]])
        wall[where] += row["wall_s"]
        rss[where] = max(rss[where], row["max_rss_mb"])
    data["identification_top1"] = (("entry",), identification[:, 0])
    data["identification_top1_ceiling"] = (("entry",), identification[:, 1])
    data["wall_s"] = (("entry", "subject", "connectome"), wall)
    data["max_rss_mb"] = (("entry", "subject", "connectome"), rss)

    roles = [parse_variant(c).role for c in connectomes]
    ds = xr.Dataset(data, coords={"entry": entries, "subject": subjects, "connectome": connectomes,
                                  "connectome_role": ("connectome", roles), "benchmark": benchmarks,
                                  "criterion": list(CRITERIA), "measure": list(MEASURES), **coords_extra})
    ds = add_aggregates(ds, registry)
    ds["raw"].attrs["description"] = "metric value of the entry vs the held-out empirical data (similarity)"
    ds["ceiling"].attrs["description"] = "same metric between the two empirical halves (split-half ceiling)"
    ds["score"].attrs["description"] = "raw / ceiling clipped to [0, 1]"
    ds["task_performance"].attrs["description"] = (
        "mean of the C3 (task) benchmark scores per entry, subject and connectome variant; NaN where a result is "
        "missing or the variant was not run")
    ds["null_percentile"].attrs["description"] = (
        "percentile (0-100) of the empirical-connectome score among the subject's full nulls, ties counting half "
        "(50 = indistinguishable from the nulls)")
    ds["identification_top1"].attrs["description"] = (
        "fraction of subjects whose predicted FC correlates best with their own held-out FC (empirical "
        "connectome; chance = 1 / number of subjects)")
    ds["identification_top1_ceiling"].attrs["description"] = "the same for the empirical train halves"
    ds["fit_status"].attrs["description"] = (
        "the fit job's status: 'ok: ...', 'not fitted: ...; grid midpoint used' (e.g. the fitting simulation "
        "diverged) or 'failed: ...'; empty where no fit job ran (lesions run at the empirical fit)")
    ds["entry_status"].attrs["description"] = (
        "'ok', or 'failed: <n> of <m> results, e.g. <most frequent status>' when some of the entry's results are "
        "failed or missing (m: those not excluded); the reasons per result are in 'status'")
    ds.attrs.update({
        "schema_version": SCHEMA_VERSION,
        "package": "fwbm-bench",
        "package_version": __version__,
        "git_commit": _git_commit(),
        "config_hash": config_digest,
        "config": json.dumps(config, sort_keys=True),
        "benchmarks": json.dumps({k: b.as_dict() for k, b in registry.items()}, sort_keys=True),
        "criteria": json.dumps(CRITERIA),
        "dataset_cards": json.dumps(dataset_cards, sort_keys=True),
        "snakemake_version": _snakemake_version(),
        "seeding": (f"every random stream derives from sha256('<entry>/<subject>/{NOISE_STREAM}/<stage or task>/"
                    f"<replicate>') (fwbm_bench.seeding): all connectome variants of a subject share the noise of "
                    "its empirical connectome; null and lesion seeds derive from crc32('<subject>/<variant>')"),
        "aggregation": "benchmark score = mean over the subjects it applies to (status not 'excluded') on the "
                       "empirical connectome; criterion = mean of its benchmarks; overall = mean of the 5 criteria; "
                       "a missing child counts 0 at every level; coverage = mean coverage of the children "
                       "(benchmark: fraction of its subjects scored)",
    })
    return ds


def reference_connectome(ds: xr.Dataset) -> str:
    """The connectome variant aggregates are taken on: ``empirical``, else the first one."""
    return "empirical" if "empirical" in ds.connectome else str(ds.connectome.values[0])


def add_aggregates(ds: xr.Dataset, registry: dict) -> xr.Dataset:
    """Benchmark, criterion and overall aggregates over the empirical connectome.

    Benchmark level: mean over the subjects it applies to (status not ``excluded``), a
    missing or failed subject counting 0; coverage = fraction of them scored.
    """
    reference = reference_connectome(ds)
    score = ds["score"].sel(connectome=reference).values  # entry x subject x benchmark
    applicable = ~np.char.startswith(ds["status"].sel(connectome=reference).values.astype(str), EXCLUDED)
    scored = applicable & np.isfinite(score)
    n_applicable = applicable.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        benchmark_score = np.where(n_applicable > 0, np.where(scored, score, 0.0).sum(axis=1) / n_applicable, np.nan)
        benchmark_coverage = np.where(n_applicable > 0, scored.sum(axis=1) / n_applicable, 0.0)
    benchmarks = [str(b) for b in ds.benchmark.values]
    cards = [criteria_card(dict(zip(benchmarks, benchmark_score[e])), dict(zip(benchmarks, benchmark_coverage[e])),
                           registry) for e in range(ds.sizes["entry"])]
    criterion_score = np.array([[card["criteria"][c][0] for c in CRITERIA] for card in cards])
    criterion_coverage = np.array([[card["criteria"][c][1] for c in CRITERIA] for card in cards])
    dims = ("entry", "benchmark")
    ds = ds.assign(
        benchmark_score=(dims, benchmark_score),
        benchmark_coverage=(dims, benchmark_coverage),
        criterion_score=(("entry", "criterion"), criterion_score),
        criterion_coverage=(("entry", "criterion"), criterion_coverage),
        overall=(("entry",), np.array([card["overall"][0] for card in cards])),
        overall_coverage=(("entry",), np.array([card["overall"][1] for card in cards])),
        qualifies=(("entry",), np.array([card["qualifies"] for card in cards])),
    )
    ds["qualifies"].attrs["description"] = (f"fWBM criteria card: every criterion (C1-C4, U) scores >= "
                                            f"{QUALIFYING_SCORE} (missing benchmarks count 0)")
    return ds
