"""Stages 3-5 for resting state: fit free parameters on the train half, simulate the
scoring run, score against the held-out half with split-half ceilings (DESIGN.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from fwbm_bench.connectome import Connectome
from fwbm_bench.data import load_subject_file
from fwbm_bench.entries import BASELINE_PREDICTORS, Entry, entry_named
from fwbm_bench.errors import FwbmError
from fwbm_bench.metrics import REST_METRICS, RestObservables, functional_connectivity, matrix_correlation
from fwbm_bench.models import get_model
from fwbm_bench.observables import BoldSink, preprocess_bold
from fwbm_bench.pipeline.io import read_json, read_npz, write_json
from fwbm_bench.scoring import normalise, rest_benchmarks
from fwbm_bench.seeding import derive_seed
from fwbm_bench.simulate import simulate

log = logging.getLogger("fwbm_bench.pipeline")


@dataclass(frozen=True)
class RestSettings:
    dt_ms: float = 1.0
    conduction_speed_m_per_s: float = 10.0
    noise_tau_ms: float = 0.0
    burn_in_s: float = 60.0
    segment_volumes: int | None = None
    band_hz: tuple = (0.008, 0.08)
    fcd_window_s: float = 60.0
    fcd_step_s: float = 10.0

    @classmethod
    def from_config(cls, config: dict) -> RestSettings:
        rest, sim = config.get("rest", {}), config.get("simulation", {})
        return cls(
            dt_ms=sim.get("dt_ms", cls.dt_ms),
            conduction_speed_m_per_s=sim.get("conduction_speed_m_per_s", cls.conduction_speed_m_per_s),
            noise_tau_ms=sim.get("noise_tau_ms", cls.noise_tau_ms),
            burn_in_s=rest.get("burn_in_s", cls.burn_in_s),
            segment_volumes=rest.get("segment_volumes"),
            band_hz=tuple(rest.get("band_hz", cls.band_hz)),
            fcd_window_s=rest.get("fcd_window_s", cls.fcd_window_s),
            fcd_step_s=rest.get("fcd_step_s", cls.fcd_step_s),
        )


def empirical_segments(subject, settings: RestSettings) -> tuple[np.ndarray, np.ndarray]:
    """Equal-length train and held-out segments (regions x volumes) of the subject's BOLD."""
    train, held_out = subject.bold_halves()
    length = train.shape[1] if settings.segment_volumes is None else min(train.shape[1], settings.segment_volumes)
    return train[:, :length], held_out[:, :length]


def simulate_bold(entry: Entry, connectome: Connectome, params: dict, seeds, n_volumes: int,
                  tr_s: float, settings: RestSettings, label: str) -> np.ndarray:
    """Simulated BOLD after the burn-in: (batch, regions, n_volumes)."""
    model = get_model(entry.model)
    duration_ms = settings.burn_in_s * 1000.0 + n_volumes * tr_s * 1000.0
    sink = BoldSink(input_period_ms=settings.dt_ms, tr_s=tr_s,
                    output_index=model.output_variables.index(model.bold_variable))
    simulate(model, connectome.weights, connectome.tract_lengths_mm, params,
             duration_ms=duration_ms, seeds=seeds, dt_ms=settings.dt_ms,
             conduction_speed_m_per_s=settings.conduction_speed_m_per_s,
             noise_tau_ms=settings.noise_tau_ms,
             output_period_ms=settings.dt_ms, sinks=[sink], keep_outputs=False, label=label)
    bold = sink.bold()[-n_volumes:]
    return np.transpose(bold, (2, 1, 0))


def _grid_midpoint(entry: Entry) -> dict:
    return {name: float(np.asarray(grid)[len(grid) // 2]) for name, grid in entry.free.items()}


def fit_entry(entry: Entry, subject, connectome: Connectome, settings: RestSettings) -> dict:
    """Fit the entry's free parameter on the train half by a batched grid (FC r objective)."""
    ids = (entry.name, subject.subject_id, connectome.variant)
    if not entry.is_model or not entry.free:
        return {"params": dict(entry.fixed), "status": "ok: nothing to fit", "grid": {}}
    if not subject.has_bold:
        return {"params": {**entry.fixed, **_grid_midpoint(entry)},
                "status": "not fitted: subject has no BOLD; grid midpoint used", "grid": {}}
    (name, grid), = entry.free.items()
    grid = np.asarray(grid, dtype=float)
    train, _ = empirical_segments(subject, settings)
    target_fc = functional_connectivity(preprocess_bold(train, subject.tr_s, settings.band_hz))
    params = {**entry.fixed, name: grid}
    seeds = [derive_seed(*ids, "fit", k) for k in range(len(grid))]
    bold = simulate_bold(entry, connectome, params, seeds, train.shape[1], subject.tr_s, settings,
                         label=f"fit {'/'.join(ids)}")
    objective = []
    for k in range(len(grid)):
        try:
            simulated_fc = functional_connectivity(preprocess_bold(bold[k], subject.tr_s, settings.band_hz))
            objective.append(matrix_correlation(simulated_fc, target_fc))
        except FwbmError as exc:
            log.warning("fit %s: %s = %g not scorable (%s)", "/".join(ids), name, grid[k], exc)
            objective.append(float("nan"))
    objective = np.array(objective)
    if not np.isfinite(objective).any():
        return {"params": {**entry.fixed, **_grid_midpoint(entry)},
                "status": "not fitted: no grid value gave a scorable simulation", "grid": {name: grid, "train_fc_r": objective}}
    best = int(np.nanargmax(objective))
    return {"params": {**entry.fixed, name: float(grid[best])}, "status": "ok",
            "grid": {name: grid, "train_fc_r": objective}}


def simulate_scoring_run(entry: Entry, subject, connectome: Connectome, params: dict,
                         settings: RestSettings) -> dict:
    """The entry's raw predicted resting signal at its fitted parameters.

    Returns arrays: ``bold`` (regions x volumes, % signal change, at the subject's TR) for
    models; ``fc`` for baselines that predict FC directly; empty for subjects without BOLD.
    """
    if not entry.is_model:
        return {"fc": BASELINE_PREDICTORS[entry.name](connectome)}
    if not subject.has_bold:
        return {}
    _, held_out = empirical_segments(subject, settings)
    seed = derive_seed(entry.name, subject.subject_id, connectome.variant, "rest", 1)
    bold = simulate_bold(entry, connectome, params, [seed], held_out.shape[1], subject.tr_s, settings,
                         label=f"rest {entry.name}/{subject.subject_id}/{connectome.variant}")[0]
    return {"bold": bold, "tr_s": np.array(subject.tr_s)}


def rest_observables(simulated: dict, settings: RestSettings) -> dict:
    """Observables of a raw simulated signal: preprocessed BOLD and its FC (same pipeline as
    for the empirical BOLD); a baseline's FC passes through unchanged."""
    if "bold" not in simulated:
        return dict(simulated)
    tr_s = float(simulated["tr_s"])
    clean = preprocess_bold(simulated["bold"], tr_s, settings.band_hz, what="simulated BOLD")
    return {"bold": clean, "fc": functional_connectivity(clean), "tr_s": np.array(tr_s)}


def score_rest(simulated: dict, subject, settings: RestSettings) -> list[dict]:
    """Raw value, split-half ceiling and normalised score for every rest benchmark.

    ``simulated``: the entry's observables (:func:`rest_observables`).
    """
    rows = []
    benchmarks = rest_benchmarks(subject.dataset)
    if not subject.has_bold:
        return []  # nothing to score; the leaderboard marks these subjects excluded
    train, held_out = empirical_segments(subject, settings)
    halves = []
    for half in (train, held_out):
        clean = preprocess_bold(half, subject.tr_s, settings.band_hz, what=f"{subject.subject_id} BOLD")
        halves.append(RestObservables(fc=functional_connectivity(clean), bold=clean, tr_s=subject.tr_s))
    model = None
    if "fc" in simulated:
        model = RestObservables(fc=np.asarray(simulated["fc"]), bold=simulated.get("bold"),
                                tr_s=float(simulated["tr_s"]) if "tr_s" in simulated else None)
    metric_settings = {"fcd_window_s": settings.fcd_window_s, "fcd_step_s": settings.fcd_step_s}
    for benchmark in benchmarks:
        metric = REST_METRICS[benchmark.metric]
        row = {"benchmark": benchmark.identifier, "version": benchmark.version}
        if model is None or (metric.needs_bold and model.bold is None):
            row["status"] = "not applicable: the entry produces no BOLD"
            rows.append(row)
            continue
        try:
            raw = metric.compute(model, halves[1], metric_settings)
            ceiling = metric.compute(halves[0], halves[1], metric_settings)
        except FwbmError as exc:
            row["status"] = f"not computable: {exc}"
            rows.append(row)
            continue
        score, unclipped = normalise(raw, ceiling)
        row.update(raw=raw, ceiling=ceiling, score=score, score_unclipped=unclipped, status="ok")
        rows.append(row)
    return rows


# --- file-level stage functions (one call per Snakemake job) -------------------------------

def run_fit(entry_name: str, subject_path, connectome_path, config: dict, output_path) -> None:
    entry = entry_named(entry_name, config.get("custom_entries"))
    subject = load_subject_file(subject_path)
    connectome = Connectome.load(connectome_path)
    result = fit_entry(entry, subject, connectome, RestSettings.from_config(config))
    write_json(output_path, {"entry": entry.name, "subject": subject.subject_id,
                             "connectome": connectome.variant, **result})


def run_rest_simulation(entry_name: str, subject_path, connectome_path, fit_path, config: dict,
                        output_path) -> None:
    entry = entry_named(entry_name, config.get("custom_entries"))
    subject = load_subject_file(subject_path)
    connectome = Connectome.load(connectome_path)
    params = read_json(fit_path)["params"]
    arrays = simulate_scoring_run(entry, subject, connectome, params, RestSettings.from_config(config))
    np.savez(output_path, **arrays)


def run_rest_observables(simulation_path, config: dict, output_path) -> None:
    np.savez(output_path, **rest_observables(read_npz(simulation_path), RestSettings.from_config(config)))


def run_rest_scoring(entry_name: str, subject_path, observables_path, fit_path, config: dict,
                     output_path) -> None:
    entry = entry_named(entry_name, config.get("custom_entries"))
    subject = load_subject_file(subject_path)
    rows = score_rest(read_npz(observables_path), subject, RestSettings.from_config(config))
    fit = read_json(fit_path)
    write_json(output_path, {"entry": entry.name, "subject": subject.subject_id,
                             "connectome": fit["connectome"], "results": rows,
                             "fitted": fit["params"], "fit_status": fit["status"]})
