"""Task stage: run a task on a (subject, connectome) at the entry's fitted parameters."""

from __future__ import annotations

import numpy as np

from fwbm_bench.connectome import Connectome
from fwbm_bench.data.behaviour import roitman_shadlen_2002
from fwbm_bench.entries import entry_named
from fwbm_bench.errors import InputError
from fwbm_bench.metrics import psychometric_score
from fwbm_bench.models import get_model
from fwbm_bench.pipeline.io import read_json, write_json
from fwbm_bench.scoring import EXCLUDED, TASK_BENCHMARKS, normalise
from fwbm_bench.tasks import get_task
from fwbm_bench.tasks.contracts import atlas_of


def run_task_stage(entry_name: str, task_name: str, connectome_path, fit_path, config: dict,
                   output_path) -> None:
    entry = entry_named(entry_name, config.get("custom_entries"))
    connectome = Connectome.load(connectome_path)
    fit = read_json(fit_path)
    benchmark = TASK_BENCHMARKS[task_name]
    result = {"entry": entry.name, "subject": connectome.subject_id, "connectome": connectome.variant,
              "task": task_name}
    if not entry.is_model:
        result["results"] = [{"benchmark": benchmark.identifier, "version": benchmark.version,
                              "status": "not applicable: baseline has no dynamics to run a task"}]
        write_json(output_path, result)
        return
    task = get_task(task_name, **config.get("task_settings", {}).get(task_name, {}))
    try:
        atlas_of(connectome.labels)
    except InputError as exc:
        result["results"] = [{"benchmark": benchmark.identifier, "version": benchmark.version,
                              "status": f"{EXCLUDED}{exc}"}]
        write_json(output_path, result)
        return
    simulation = config.get("simulation", {})
    behaviour = task.run(
        get_model(entry.model), connectome, fit["params"],
        seed_parts=(entry.name, connectome.subject_id, connectome.variant, task_name),
        dt_ms=simulation.get("dt_ms", 1.0),
        conduction_speed_m_per_s=simulation.get("conduction_speed_m_per_s", 10.0),
    )
    data = roitman_shadlen_2002("pooled")
    model_p = np.interp(data["coherence_pct"], behaviour["coherence_pct"], behaviour["p_correct"])
    raw = psychometric_score(model_p, data["n_correct"], data["n_trials"])
    score, unclipped = normalise(raw, 1.0)
    result["behaviour"] = behaviour
    result["results"] = [{"benchmark": benchmark.identifier, "version": benchmark.version, "raw": raw,
                          "ceiling": 1.0, "score": score, "score_unclipped": unclipped, "status": "ok"}]
    write_json(output_path, result)
