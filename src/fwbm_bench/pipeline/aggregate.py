"""Final stages: build the leaderboard store and CSV from every job's result file; report."""

from __future__ import annotations

import csv
import logging
import os
from pathlib import Path

from fwbm_bench.config import config_hash
from fwbm_bench.data import dataset_of, get_dataset, load_subject_file
from fwbm_bench.entries import resolve_entries
from fwbm_bench.errors import FwbmError
from fwbm_bench.leaderboard import build_leaderboard, leaderboard_table, open_leaderboard, write_leaderboard
from fwbm_bench.pipeline.io import read_npz
from fwbm_bench.pipeline.rest import RestSettings, empirical_observables
from fwbm_bench.report import write_report
from fwbm_bench.report.entry_pages import RestComparison
from fwbm_bench.scoring import benchmark_registry

log = logging.getLogger("fwbm_bench.pipeline")


def read_cost_rows(benchmark_files, root) -> list[dict]:
    """Wall time and peak memory of jobs from Snakemake ``benchmark:`` files.

    Paths follow ``<root>/<rule>/<entry>/<subject>/<connectome>[.tsv | /<task>.tsv]``.
    """
    rows = []
    for path in benchmark_files:
        parts = Path(path).relative_to(root).with_suffix("").parts
        with open(path) as handle:
            record = next(csv.DictReader(handle, delimiter="\t"))
        rss = record.get("max_rss", "NA")
        rows.append({"entry": parts[1], "subject": parts[2], "connectome": parts[3],
                     "wall_s": float(record["s"]),
                     "max_rss_mb": float(rss) if rss not in ("NA", "-", "") else 0.0})
    return rows


def run_leaderboard(result_files, fit_files, benchmark_files, benchmark_root, config: dict,
                    zarr_path, csv_path) -> None:
    datasets = {dataset_of(s) for s in config["subjects"]}
    cards = {name: get_dataset(name, config["user_datasets"]).card.as_dict() for name in sorted(datasets)}
    with_bold = sorted(name for name, card in cards.items() if card["has_bold"])
    registry = benchmark_registry(with_bold, config["tasks"])
    entries = resolve_entries(config["entries"], config.get("custom_entries"))
    ds = build_leaderboard(result_files, fit_files, read_cost_rows(benchmark_files, benchmark_root),
                           config, registry, cards, config_hash(config),
                           baselines=[name for name, entry in entries.items() if not entry.is_model])
    write_leaderboard(ds, zarr_path)
    temporary = Path(f"{csv_path}.tmp")
    leaderboard_table(ds).to_csv(temporary, index=False, float_format="%.4f")
    os.replace(temporary, csv_path)


def rest_comparisons(subject_paths: dict, observables_paths: dict, config: dict) -> dict:
    """entry -> :class:`RestComparison` of its empirical-connectome prediction for the first
    subject with BOLD (``subject_paths``: subject -> file; ``observables_paths``: (entry,
    subject) -> observables file); None where there is nothing to show. Data that cannot be
    shown (too short to preprocess) leave the panels out; they never fail the report."""
    settings = RestSettings.from_config(config)
    for path in subject_paths.values():
        subject = load_subject_file(path)
        if subject.has_bold:
            break
    else:
        return {}
    try:
        held_out = empirical_observables(subject, settings)[1]
    except FwbmError as exc:
        log.warning("report: no resting-state panels: %s", exc)
        return {}
    comparisons = {}
    for (entry, observed_subject), path in observables_paths.items():
        if observed_subject != subject.subject_id:
            continue
        observables = read_npz(path)
        if "fc" not in observables:  # diverged, excluded, or no prediction
            comparisons[entry] = None
            continue
        comparisons[entry] = RestComparison(
            subject=subject.subject_id, fc_model=observables["fc"], fc_data=held_out.fc,
            bold_model=observables.get("bold"), bold_data=held_out.bold, tr_s=subject.tr_s,
            fcd_window_s=settings.fcd_window_s, fcd_step_s=settings.fcd_step_s, band_hz=settings.band_hz)
    return comparisons


def run_report(zarr_path, output_path, figure_dir=None, subject_paths=None, observables_paths=None,
               config=None) -> None:
    comparisons = rest_comparisons(subject_paths, observables_paths or {}, config or {}) if subject_paths else {}
    write_report(open_leaderboard(zarr_path), output_path, figure_dir, comparisons)
