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
from fwbm_bench.errors import ConfigError, FwbmError, InputError, SimulationError
from fwbm_bench.metrics import REST_METRICS, RestObservables, functional_connectivity, matrix_correlation
from fwbm_bench.metrics.dynamics import fc_rmse
from fwbm_bench.models import get_model
from fwbm_bench.observables import BoldSink, preprocess_bold
from fwbm_bench.pipeline.io import read_json, read_npz, write_json, write_npz
from fwbm_bench.scoring import EXCLUDED, FAILED, normalise, rest_benchmarks
from fwbm_bench.seeding import NOISE_STREAM, derive_seed
from fwbm_bench.simulate import simulate

log = logging.getLogger("fwbm_bench.pipeline")

#: the Balloon-Windkessel model is driven by the neural signal averaged over 10 ms windows (the
#: integrator's decimation) and stepped at 10 ms: its time constants are 0.3-3 s, so the BOLD
#: differs from a 1 ms drive by < 1 % (tests/test_observables.py), at 40 % less cost per fit
BOLD_DRIVE_PERIOD_MS = 10.0


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
    fit_objective: str = "fc_rmse"
    fit_realizations: int = 2

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
            fit_objective=rest.get("fit_objective", cls.fit_objective),
            fit_realizations=rest.get("fit_realizations", cls.fit_realizations),
        )


def empirical_segments(subject, settings: RestSettings) -> tuple[np.ndarray, np.ndarray]:
    """Equal-length train and held-out segments (regions x volumes) of the subject's BOLD."""
    train, held_out = subject.bold_halves()
    length = train.shape[1] if settings.segment_volumes is None else min(train.shape[1], settings.segment_volumes)
    return train[:, :length], held_out[:, :length]


def bold_observables(bold: np.ndarray, tr_s: float, settings: RestSettings, what: str,
                     sc=None) -> RestObservables:
    """Preprocessed BOLD (regions x volumes) and its FC, the same pipeline for simulated and
    empirical BOLD; InputError if the BOLD cannot be preprocessed."""
    clean = preprocess_bold(bold, tr_s, settings.band_hz, what=what)
    return RestObservables(fc=functional_connectivity(clean), bold=clean, tr_s=tr_s, sc=sc)


def empirical_observables(subject, settings: RestSettings) -> list[RestObservables]:
    """The observables of the subject's train and held-out segments (:func:`empirical_segments`)."""
    return [bold_observables(half, subject.tr_s, settings, f"{subject.subject_id} BOLD", sc=subject.weights)
            for half in empirical_segments(subject, settings)]


def simulate_bold(entry: Entry, connectome: Connectome, params: dict, seeds, n_volumes: int,
                  tr_s: float, settings: RestSettings, label: str) -> np.ndarray:
    """Simulated BOLD after the burn-in: (batch, regions, n_volumes)."""
    model = get_model(entry.model)
    duration_ms = settings.burn_in_s * 1000.0 + n_volumes * tr_s * 1000.0
    sink = BoldSink(input_period_ms=BOLD_DRIVE_PERIOD_MS, tr_s=tr_s,
                    output_index=model.output_variables.index(model.bold_variable))
    simulate(model, connectome.weights, connectome.tract_lengths_mm, params,
             duration_ms=duration_ms, seeds=seeds, dt_ms=model.integration_step_ms(settings.dt_ms),
             conduction_speed_m_per_s=settings.conduction_speed_m_per_s,
             noise_tau_ms=settings.noise_tau_ms,
             output_period_ms=BOLD_DRIVE_PERIOD_MS, sinks=[sink], keep_outputs=False, label=label)
    bold = sink.bold()[-n_volumes:]
    return np.transpose(bold, (2, 1, 0))


def _grid_midpoint(entry: Entry) -> dict:
    return {name: float(np.asarray(grid)[len(grid) // 2]) for name, grid in entry.free.items()}


def fitting_grid(entry: Entry) -> dict[str, np.ndarray]:
    """The entry's fitting grid as flat arrays, one per free parameter: the Cartesian product
    of the per-parameter grids (first parameter slowest), simulated as one batch."""
    names = list(entry.free)
    axes = np.meshgrid(*[np.asarray(entry.free[name], dtype=float) for name in names], indexing="ij")
    return {name: axis.ravel() for name, axis in zip(names, axes)}


#: fit objectives, higher is better: name -> (simulated FC, target FC) -> value
FIT_OBJECTIVES = {
    "fc_rmse": lambda simulated, target: -fc_rmse(simulated, target),
    "fc_corr": matrix_correlation,
}


def fit_to_bold(entry: Entry, connectome: Connectome, train_bold: np.ndarray, tr_s: float,
                settings: RestSettings, seeds, label: str) -> dict:
    """Grid-fit the entry's free parameters to ``train_bold`` (regions x volumes).

    One batched simulation over the product grid (:func:`fitting_grid`), as long as the train
    segment, after the burn-in, ``settings.fit_realizations`` noise realizations per grid point
    whose FCs are averaged. The objective is ``settings.fit_objective``: by default the
    RMS difference of FC entries, which matches the level of correlation as well as its
    pattern; FC r alone favours the G with the most SC-like FC whatever the data
    (benchmarks/parameter_recovery.py compares the two on synthetic data). Returns ``params`` (fixed and
    best free values), ``status`` and ``grid`` (each parameter's flat grid, ``train_fc_r``,
    ``train_fc_rmse`` and the ``objective`` per grid point; NaN where a grid point gave no
    scorable BOLD).
    """
    if settings.fit_objective not in FIT_OBJECTIVES:
        raise ConfigError(f"key rest.fit_objective: expected one of {sorted(FIT_OBJECTIVES)}, "
                          f"found {settings.fit_objective!r}")
    repeats = settings.fit_realizations
    if not isinstance(repeats, int | np.integer) or repeats < 1:
        raise ConfigError(f"key rest.fit_realizations: expected a whole number >= 1, found {repeats!r}")
    grid = fitting_grid(entry)
    n_points = len(next(iter(grid.values())))
    target_fc = bold_observables(train_bold, tr_s, settings, "train BOLD").fc
    record = {**grid, **{name: np.full(n_points, np.nan) for name in ("train_fc_r", "train_fc_rmse", "objective")}}
    batch = {name: np.tile(values, repeats) for name, values in grid.items()}  # realization r: r n .. (r + 1) n
    try:
        bold = simulate_bold(entry, connectome, {**entry.fixed, **batch}, seeds[:n_points * repeats],
                             train_bold.shape[1], tr_s, settings, label=label)
    except SimulationError as exc:  # one grid point diverged: the whole batch stops
        log.warning("%s", exc)
        return {"params": {**entry.fixed, **_grid_midpoint(entry)},
                "status": f"not fitted: {exc}; grid midpoint used", "grid": record}
    for k in range(n_points):
        try:
            simulated_fc = np.mean([bold_observables(bold[r * n_points + k], tr_s, settings, "simulated BOLD").fc
                                    for r in range(repeats)], axis=0)
        except FwbmError as exc:
            point = ", ".join(f"{name} = {values[k]:g}" for name, values in grid.items())
            log.warning("%s: %s not scorable (%s)", label, point, exc)
            continue
        record["train_fc_r"][k] = matrix_correlation(simulated_fc, target_fc)
        record["train_fc_rmse"][k] = fc_rmse(simulated_fc, target_fc)
        record["objective"][k] = FIT_OBJECTIVES[settings.fit_objective](simulated_fc, target_fc)
    if not np.isfinite(record["objective"]).any():
        return {"params": {**entry.fixed, **_grid_midpoint(entry)},
                "status": "not fitted: no grid value gave a scorable simulation", "grid": record}
    best = int(np.nanargmax(record["objective"]))
    return {"params": {**entry.fixed, **{name: float(values[best]) for name, values in grid.items()}},
            "status": f"ok: best {settings.fit_objective} on the train half", "grid": record}


def fit_entry(entry: Entry, subject, connectome: Connectome, settings: RestSettings) -> dict:
    """Fit the entry's free parameters on the subject's train half (:func:`fit_to_bold`)."""
    ids = (entry.name, subject.subject_id, NOISE_STREAM)
    if not entry.is_model or not entry.free:
        return {"params": dict(entry.fixed), "status": "ok: nothing to fit", "grid": {}}
    if not subject.has_bold:
        return {"params": {**entry.fixed, **_grid_midpoint(entry)},
                "status": "not fitted: subject has no BOLD; grid midpoint used", "grid": {}}
    train, _ = empirical_segments(subject, settings)
    n_points = int(np.prod([len(grid) for grid in entry.free.values()])) * settings.fit_realizations
    seeds = [derive_seed(*ids, "fit", k) for k in range(n_points)]
    return fit_to_bold(entry, connectome, train, subject.tr_s, settings, seeds,
                       label=f"fit {entry.name}/{subject.subject_id}/{connectome.variant}")


def simulate_scoring_run(entry: Entry, subject, connectome: Connectome, params: dict,
                         settings: RestSettings) -> dict:
    """The entry's raw predicted resting signal at its fitted parameters.

    Returns arrays: ``bold`` (regions x volumes, % signal change, at the subject's TR) for
    models; ``fc`` for baselines that predict FC directly; empty for subjects without BOLD;
    ``failed`` (a message) if the simulation diverged, so that the scores record the entry as
    failed instead of the whole run stopping.
    """
    if not entry.is_model:
        predicted = BASELINE_PREDICTORS[entry.name](connectome)
        if predicted is None:
            return {"excluded": np.array(f"the {entry.name} baseline needs region centres, which "
                                         f"{subject.subject_id} does not have")}
        return {"fc": predicted}
    if not subject.has_bold:
        return {}
    _, held_out = empirical_segments(subject, settings)
    seed = derive_seed(entry.name, subject.subject_id, NOISE_STREAM, "rest", 1)
    try:
        bold = simulate_bold(entry, connectome, params, [seed], held_out.shape[1], subject.tr_s, settings,
                             label=f"rest {entry.name}/{subject.subject_id}/{connectome.variant}")[0]
    except SimulationError as exc:
        log.warning("%s", exc)
        return {"failed": np.array(str(exc))}
    return {"bold": bold, "tr_s": np.array(subject.tr_s)}


def rest_observables(simulated: dict, settings: RestSettings) -> dict:
    """Observables of a raw simulated signal: preprocessed BOLD and its FC (same pipeline as
    for the empirical BOLD); a baseline's FC, and a failure record (``failed``), pass through
    unchanged. BOLD that cannot be preprocessed (constant, too short) gives ``error`` instead."""
    if "bold" not in simulated:
        return dict(simulated)
    tr_s = float(simulated["tr_s"])
    try:
        observables = bold_observables(simulated["bold"], tr_s, settings, "simulated BOLD")
        return {"bold": observables.bold, "fc": observables.fc, "tr_s": np.array(tr_s)}
    except FwbmError as exc:
        log.warning("%s", exc)
        return {"error": np.array(str(exc))}


def _model_observables(simulated: dict, subject) -> RestObservables:
    """The entry's side of every metric, checked against the subject: same regions and TR."""
    fc = np.asarray(simulated["fc"])
    if fc.shape != (subject.n_regions,) * 2:
        raise InputError(f"the entry's FC has shape {fc.shape}, but {subject.subject_id} has "
                         f"{subject.n_regions} regions")
    tr_s = float(simulated["tr_s"]) if "tr_s" in simulated else None
    if tr_s is not None and not np.isclose(tr_s, subject.tr_s, rtol=1e-6):
        raise InputError(f"simulated BOLD is sampled at TR {tr_s:g} s but {subject.subject_id}'s BOLD at "
                         f"TR {subject.tr_s:g} s (rerun the simulation for this subject)")
    return RestObservables(fc=fc, bold=simulated.get("bold"), tr_s=tr_s, sc=subject.weights)


def score_rest(simulated: dict, subject, settings: RestSettings) -> list[dict]:
    """Raw value, split-half ceiling and normalised score for every rest benchmark.

    ``simulated``: the entry's observables (:func:`rest_observables`). A failed simulation (it
    diverged, or an earlier job of the entry failed) gives every benchmark the status
    ``failed: ...``, and so does a metric that raises anything but an fwbm-bench error (logged
    with its traceback). Anything that makes a metric undefined (a constant simulation, BOLD
    shorter than two FCD windows, a TR that differs from the subject's) gives that benchmark
    the status ``not computable: ...``.
    """
    benchmarks = rest_benchmarks(subject.dataset)
    if not subject.has_bold:
        return []  # nothing to score; the leaderboard marks these subjects excluded
    rows = [{"benchmark": b.identifier, "version": b.version} for b in benchmarks]

    def all_rows(status):
        return [{**row, "status": status} for row in rows]

    try:
        halves = empirical_observables(subject, settings)
    except FwbmError as exc:
        return all_rows(f"not computable: empirical data: {exc}")
    if "failed" in simulated:
        return all_rows(f"{FAILED}{simulated['failed']}")
    if "error" in simulated:
        return all_rows(f"not computable: {simulated['error']}")
    if "excluded" in simulated:
        return all_rows(f"{EXCLUDED}{simulated['excluded']}")
    if "fc" not in simulated:
        return all_rows("not applicable: the entry produces no resting-state prediction")
    try:
        model = _model_observables(simulated, subject)
    except FwbmError as exc:
        return all_rows(f"not computable: {exc}")
    metric_settings = {"fcd_window_s": settings.fcd_window_s, "fcd_step_s": settings.fcd_step_s,
                       "band_hz": settings.band_hz}
    for benchmark, row in zip(benchmarks, rows):
        metric = REST_METRICS[benchmark.metric]
        if metric.needs_bold and model.bold is None:
            row["status"] = "not applicable: the entry produces no BOLD"
            continue
        try:
            raw = metric.compute(model, halves[1], metric_settings)
            ceiling = metric.compute(halves[0], halves[1], metric_settings)
        except FwbmError as exc:
            row["status"] = f"not computable: {exc}"
            continue
        except Exception as exc:
            log.exception("metric %s raised", benchmark.metric)
            row["status"] = f"{FAILED}metric {benchmark.metric} raised {type(exc).__name__}: {exc}"
            continue
        score, unclipped = normalise(raw, ceiling)
        row.update(raw=raw, ceiling=ceiling, score=score, score_unclipped=unclipped,
                   status="ok" if np.isfinite(score) else f"not computable: ceiling {ceiling:.3g} is not positive")
    return rows


# --- file-level stage functions (one call per Snakemake job) -------------------------------

def run_fit(entry_name: str, subject_path, connectome_path, config: dict, output_path) -> None:
    entry = entry_named(entry_name, config.get("custom_entries"))
    subject = load_subject_file(subject_path)
    connectome = entry.model_connectome(Connectome.load(connectome_path))
    result = fit_entry(entry, subject, connectome, RestSettings.from_config(config))
    write_json(output_path, {"entry": entry.name, "subject": subject.subject_id,
                             "connectome": connectome.variant, **result})


def run_rest_simulation(entry_name: str, subject_path, connectome_path, fit_path, config: dict,
                        output_path) -> None:
    entry = entry_named(entry_name, config.get("custom_entries"))
    subject = load_subject_file(subject_path)
    connectome = entry.model_connectome(Connectome.load(connectome_path))
    fit = read_json(fit_path)
    if "failed" in fit:
        arrays = {"failed": np.array(f"fit: {fit['failed']}")}
    else:
        arrays = simulate_scoring_run(entry, subject, connectome, fit["params"], RestSettings.from_config(config))
    write_npz(output_path, arrays)


def run_rest_observables(simulation_path, config: dict, output_path) -> None:
    write_npz(output_path, rest_observables(read_npz(simulation_path), RestSettings.from_config(config)))


def run_rest_scoring(entry_name: str, variant: str, subject_path, observables_path, fit_path, config: dict,
                     output_path) -> None:
    entry = entry_named(entry_name, config.get("custom_entries"))
    subject = load_subject_file(subject_path)
    rows = score_rest(read_npz(observables_path), subject, RestSettings.from_config(config))
    fit = read_json(fit_path)
    write_json(output_path, {"entry": entry.name, "subject": subject.subject_id,
                             "connectome": variant, "results": rows,
                             "fitted": fit.get("params", {}),
                             "fit_status": fit.get("status", f"{FAILED}{fit.get('failed')}")})
