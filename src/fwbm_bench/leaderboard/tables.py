"""Tables of a leaderboard dataset: the ranking, the fWBM criteria card, raw values and
ceilings, and unification (structure dependence, lesion specificity)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import xarray as xr

from fwbm_bench.leaderboard.build import entry_status, reference_connectome
from fwbm_bench.scoring import FAILED, QUALIFYING_SCORE, UNIFICATION_BENCHMARKS

#: status prefixes of results that should have a score and do not (``excluded`` and ``not
#: applicable`` are by design and not listed): shown by :func:`unscored_table`
UNSCORED = (FAILED, "missing: ", "not computable: ")


def entry_statuses(ds: xr.Dataset) -> np.ndarray:
    """``entry_status`` of the store (:func:`~fwbm_bench.leaderboard.build.entry_status`),
    derived from ``status`` for stores written before it was stored."""
    return ds.entry_status.values.astype(str) if "entry_status" in ds else entry_status(ds.status.values)


def leaderboard_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per entry, best first: overall, coverage, criteria, benchmark scores."""
    table = pd.DataFrame({"entry": ds.entry.values, "overall": ds.overall.values,
                          "coverage": ds.overall_coverage.values})
    for criterion in ds.criterion.values:
        table[str(criterion)] = ds.criterion_score.sel(criterion=criterion).values
    for benchmark in ds.benchmark.values:
        table[str(benchmark)] = ds.benchmark_score.sel(benchmark=benchmark).values
    reference = reference_connectome(ds)
    for name in ds.data_vars:
        if str(name).startswith("fitted_"):
            table[f"{name} (mean)"] = ds[name].sel(connectome=reference).mean("subject").values
    table["qualifies"] = ds.qualifies.values
    with warnings.catch_warnings():  # entries without nulls: an all-NaN mean is NaN, as it should be
        warnings.simplefilter("ignore", RuntimeWarning)
        for measure in ds.measure.values:
            table[f"null_percentile_{measure}"] = ds.null_percentile.sel(measure=measure).mean("subject").values
    if "identification_top1" in ds:
        table["identification_top1"] = ds.identification_top1.values
    table["status"] = entry_statuses(ds)
    return table.sort_values("overall", ascending=False).reset_index(drop=True)


def unscored_table(ds: xr.Dataset) -> pd.DataFrame:
    """Results that should have a score and have none (status ``failed``, ``missing`` or ``not
    computable``), grouped: one row per (entry, status) with the subjects, connectomes and
    benchmarks it covers and how many results; failed entries first."""
    status = ds.status.transpose("entry", "subject", "connectome", "benchmark").values.astype(str)
    groups: dict[tuple[str, str], list] = {}
    unscored = np.logical_or.reduce([np.char.startswith(status, prefix) for prefix in UNSCORED])
    for e, s, c, b in zip(*np.nonzero(unscored)):
        key = (str(ds.entry.values[e]), status[e, s, c, b])
        groups.setdefault(key, []).append((str(ds.subject.values[s]), str(ds.connectome.values[c]),
                                           str(ds.benchmark.values[b])))
    rows = [{"entry": entry, "status": text, "results": len(where),
             "subjects": ", ".join(dict.fromkeys(w[0] for w in where)),
             "connectomes": ", ".join(dict.fromkeys(w[1] for w in where)),
             "benchmarks": ", ".join(dict.fromkeys(w[2] for w in where))}
            for (entry, text), where in groups.items()]
    columns = ["entry", "status", "results", "subjects", "connectomes", "benchmarks"]
    table = pd.DataFrame(rows, columns=columns)
    order = {prefix: k for k, prefix in enumerate(UNSCORED)}
    table["_order"] = [order[next(p for p in UNSCORED if t.startswith(p))] for t in table["status"]]
    return table.sort_values(["_order", "entry", "status"], kind="stable").drop(columns="_order").reset_index(drop=True)


def raw_ceiling_table(ds: xr.Dataset) -> pd.DataFrame:
    """Mean raw value and mean ceiling over the scored subjects, per entry and benchmark, on the
    empirical connectome: rows (entry, benchmark), columns raw, ceiling, n_subjects."""
    reference = reference_connectome(ds)
    ok = ds.status.sel(connectome=reference) == "ok"
    raw = ds.raw.sel(connectome=reference).where(ok)
    ceiling = ds.ceiling.sel(connectome=reference).where(ok)
    table = pd.DataFrame({
        "raw": raw.mean("subject").to_series(),
        "ceiling": ceiling.mean("subject").to_series(),
        "n_subjects": ok.sum("subject").to_series(),
    })
    return table[table.n_subjects > 0].reset_index()


def criteria_card_table(ds: xr.Dataset) -> pd.DataFrame:
    """The fWBM criteria card: per entry, each criterion's score and coverage, the overall
    score and coverage, and whether it ``qualifies`` (every criterion >= QUALIFYING_SCORE)."""
    table = pd.DataFrame({"entry": ds.entry.values})
    for criterion in ds.criterion.values:
        table[str(criterion)] = ds.criterion_score.sel(criterion=criterion).values
        table[f"{criterion} coverage"] = ds.criterion_coverage.sel(criterion=criterion).values
    table["overall"] = ds.overall.values
    table["overall coverage"] = ds.overall_coverage.values
    table["qualifies"] = np.where(ds.qualifies.values, "yes", f"no (needs every criterion >= {QUALIFYING_SCORE})")
    return table.sort_values("overall", ascending=False).reset_index(drop=True)


def unification_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per entry: structure dependence of the FC fit and of task performance (normalised
    effect and percentile against the nulls), lesion specificity, explanatory scope."""
    table = pd.DataFrame({"entry": ds.entry.values})
    for benchmark in UNIFICATION_BENCHMARKS:
        if benchmark.identifier in ds.benchmark:
            table[benchmark.identifier] = ds.benchmark_score.sel(benchmark=benchmark.identifier).values
    with warnings.catch_warnings():  # entries without nulls: an all-NaN mean is NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        for measure in ds.measure.values:
            table[f"null percentile ({measure})"] = ds.null_percentile.sel(measure=measure).mean("subject").values
    return table
