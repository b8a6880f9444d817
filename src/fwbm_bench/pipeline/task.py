"""Task stage: run a task on a (subject, connectome) at the entry's fitted parameters."""

from __future__ import annotations

import logging
import time

import numpy as np

from fwbm_bench.connectome import Connectome
from fwbm_bench.entries import entry_named
from fwbm_bench.errors import InputError, SimulationError
from fwbm_bench.models import get_model
from fwbm_bench.pipeline.io import read_json, write_json
from fwbm_bench.scoring import BASELINE_NO_TASKS, EXCLUDED, FAILED, normalise, task_benchmarks
from fwbm_bench.seeding import NOISE_STREAM
from fwbm_bench.tasks import get_task
from fwbm_bench.tasks.contracts import atlas_of

log = logging.getLogger("fwbm_bench.pipeline")


def _rows(benchmarks, status: str) -> list[dict]:
    return [{"benchmark": b.identifier, "version": b.version, "status": status} for b in benchmarks]


def run_task_stage(entry_name: str, task_name: str, connectome_path, fit_path, config: dict,
                   output_path) -> None:
    """Result JSON: one row per benchmark of the task, and the task's behaviour record. A failed
    fit or a diverging task simulation gives every benchmark of the task ``failed: <reason>``."""
    entry = entry_named(entry_name, config.get("custom_entries"))
    connectome = entry.model_connectome(Connectome.load(connectome_path))
    fit = read_json(fit_path)
    benchmarks = task_benchmarks(task_name)
    result = {"entry": entry.name, "subject": connectome.subject_id, "connectome": connectome.variant,
              "task": task_name}
    if not entry.is_model:
        result["results"] = _rows(benchmarks, BASELINE_NO_TASKS)
        write_json(output_path, result)
        return
    model = get_model(entry.model)
    if not getattr(model, "accepts_input", True):
        result["results"] = _rows(benchmarks, f"not applicable: {model.name} is run by {model.simulator}, "
                                              f"whose adapter takes no task input")
        write_json(output_path, result)
        return
    task = get_task(task_name, **config.get("task_settings", {}).get(task_name, {}))
    try:
        atlas_of(connectome.labels)
    except InputError as exc:
        result["results"] = _rows(benchmarks, f"{EXCLUDED}{exc}")
        write_json(output_path, result)
        return
    if "failed" in fit:
        result["results"] = _rows(benchmarks, f"{FAILED}fit: {fit['failed']}")
        write_json(output_path, result)
        return
    simulation = config.get("simulation", {})
    started = time.perf_counter()
    try:
        behaviour = task.run(
            model, connectome, fit["params"],
            seed_parts=(entry.name, connectome.subject_id, NOISE_STREAM, task_name),
            dt_ms=simulation.get("dt_ms", 1.0),
            conduction_speed_m_per_s=simulation.get("conduction_speed_m_per_s", 10.0),
        )
    except SimulationError as exc:  # diverged: the entry fails this task, the run goes on
        log.warning("%s", exc)
        result["results"] = _rows(benchmarks, f"{FAILED}{exc}")
        write_json(output_path, result)
        return
    log.info("%s on %s/%s: %s in %.1f s, scores %s", entry.name, connectome.subject_id, connectome.variant,
             task_name, time.perf_counter() - started, behaviour["scores"])
    result["behaviour"] = behaviour
    result["results"] = []
    for benchmark in benchmarks:
        raw = behaviour["scores"][benchmark.metric]
        score, unclipped = normalise(raw, 1.0)
        result["results"].append({"benchmark": benchmark.identifier, "version": benchmark.version, "raw": raw,
                                  "ceiling": 1.0, "score": score, "score_unclipped": unclipped,
                                  "status": "ok" if np.isfinite(score) else
                                  f"not computable: {benchmark.metric} is {raw}"})
    write_json(output_path, result)
