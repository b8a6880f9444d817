"""One page per entry: its criteria and benchmarks, simulated vs empirical FC, FCD and
spectrum on one subject, its behaviour curves and its unification plots."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from fwbm_bench._atomic import write_text_atomic
from fwbm_bench.errors import FwbmError
from fwbm_bench.leaderboard.tables import entry_statuses, unscored_table
from fwbm_bench.metrics.dynamics import functional_connectivity_dynamics, matrix_correlation
from fwbm_bench.metrics.spectral import bold_power_spectrum
from fwbm_bench.report.failures import FAILURE_CSS, unscored_html
from fwbm_bench.report.figures import _png, figure_html, psychometric_figure, unification_figure
from fwbm_bench.scoring import FAILED


@dataclass(frozen=True)
class RestComparison:
    """An entry's resting-state prediction for one subject next to the subject's held-out data.

    ``fc_model``, ``fc_data``: (regions, regions). ``bold_model`` (None for baselines that
    predict FC only), ``bold_data``: preprocessed BOLD, (regions, volumes) at ``tr_s`` seconds.
    """

    subject: str
    fc_model: np.ndarray
    fc_data: np.ndarray
    bold_model: np.ndarray | None
    bold_data: np.ndarray
    tr_s: float
    fcd_window_s: float = 60.0
    fcd_step_s: float = 10.0
    band_hz: tuple = (0.008, 0.08)


def page_name(entry: str) -> str:
    """A file name for an entry's page: safe characters plus a hash, so names never collide."""
    digest = hashlib.sha256(entry.encode()).hexdigest()[:8]
    return f"{re.sub(r'[^A-Za-z0-9_.-]', '_', entry)[:40]}-{digest}.html"


def rest_figure(comparison: RestComparison) -> bytes:
    """FC matrices (model, data), FCD distributions and BOLD spectra of one subject."""
    figure, axes = plt.subplots(1, 4, figsize=(15, 3.4), constrained_layout=True)
    try:
        similarity = f"r = {matrix_correlation(comparison.fc_model, comparison.fc_data):.2f} with data"
    except FwbmError:  # e.g. a constant model FC
        similarity = "r undefined"
    for axis, matrix, title in ((axes[0], comparison.fc_model, f"model FC ({similarity})"),
                                (axes[1], comparison.fc_data, f"{comparison.subject} held-out FC")):
        image = axis.imshow(matrix, vmin=-1, vmax=1, cmap="RdBu_r")
        axis.set_title(title, fontsize=9)
        axis.set_xticks([])
        axis.set_yticks([])
    figure.colorbar(image, ax=axes[1], fraction=0.046)
    sides = [("data", comparison.bold_data, "k")]
    if comparison.bold_model is not None:
        sides.insert(0, ("model", comparison.bold_model, "C0"))
    for label, bold, color in sides:
        try:
            fcd = functional_connectivity_dynamics(bold, comparison.tr_s, comparison.fcd_window_s, comparison.fcd_step_s)
            axes[2].hist(fcd, bins=40, range=(-0.2, 1.0), density=True, histtype="step", color=color, label=label)
            freqs, power = bold_power_spectrum(bold, comparison.tr_s, comparison.band_hz)
            axes[3].plot(freqs, power, color=color, label=label)
        except FwbmError as exc:  # too short for FCD windows or the band: say so in the panel
            axes[2].text(0.05, 0.9, f"{label}: {exc}"[:80], fontsize=6, transform=axes[2].transAxes)
    axes[2].set_xlabel("FCD value (window-FC correlation)")
    axes[2].set_title("FCD distribution", fontsize=9)
    axes[3].set_xlabel("frequency (Hz)")
    axes[3].set_title("BOLD spectrum (region mean, unit sum)", fontsize=9)
    for axis in axes[2:]:
        axis.legend(fontsize=7)
    if comparison.bold_model is None:
        axes[2].text(0.05, 0.8, "model: FC only (no BOLD)", fontsize=7, transform=axes[2].transAxes)
    return _png(figure)


def _number(value, digits: int) -> str:
    return f"{value:.{digits}f}" if np.isfinite(value) else "–"


def _image(png: bytes | None, alt: str) -> str:
    return figure_html(png, alt, missing=f"<p><i>{html.escape(alt)}: no data in this run.</i></p>")


def _score_cell(value: float, status: str) -> str:
    """A subject's score, its status on hover; a failed or missing result says so in the cell."""
    title = html.escape(status)
    if np.isfinite(value):
        return f"<td title='{title}'>{value:.3f}</td>"
    if status.startswith(FAILED):
        return f"<td class='failed' title='{title}'>failed</td>"
    if status.startswith("missing: "):
        return f"<td class='failed' title='{title}'>missing</td>"
    return f"<td title='{title}'>–</td>"


def entry_page(ds, entry: str, comparison: RestComparison | None) -> str:
    """The HTML of one entry's page."""
    one = ds.sel(entry=[entry])
    name = html.escape(entry)
    status = str(entry_statuses(one)[0])
    unscored = unscored_table(one)
    banner = ("" if status == "ok" else
              f'<div class="failed-banner"><b>Failed</b>: {html.escape(status.removeprefix(FAILED))}</div>')
    card = "".join(f"<tr><td>{html.escape(str(c))}</td><td>{_number(one.criterion_score.sel(criterion=c).values[0], 3)}"
                   f"</td><td>{_number(one.criterion_coverage.sel(criterion=c).values[0], 2)}</td></tr>"
                   for c in ds.criterion.values)
    subjects = [str(s) for s in ds.subject.values]
    reference = "empirical" if "empirical" in ds.connectome else str(ds.connectome.values[0])
    rows = []
    for benchmark in ds.benchmark.values:
        per_subject = one.score.sel(connectome=reference, benchmark=benchmark).values[0]
        statuses = one.status.sel(connectome=reference, benchmark=benchmark).values[0]
        cells = "".join(_score_cell(value, str(status)) for value, status in zip(per_subject, statuses))
        rows.append(f"<tr><td>{html.escape(str(benchmark))}</td>"
                    f"<td>{_number(one.benchmark_score.sel(benchmark=benchmark).values[0], 3)}</td>"
                    f"<td>{_number(one.benchmark_coverage.sel(benchmark=benchmark).values[0], 2)}</td>{cells}</tr>")
    subject_headers = "".join(f"<th>{html.escape(s)}</th>" for s in subjects)
    rest = (_image(rest_figure(comparison), f"Resting state on {comparison.subject}: model vs held-out data")
            if comparison is not None else "<p><i>No resting-state prediction to show for this entry.</i></p>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{name} - fwbm-bench</title>
<style>body {{ font-family: sans-serif; margin: 2em; max-width: 1300px; }}
table {{ border-collapse: collapse; font-size: 13px; margin-bottom: 1.5em; }}
th, td {{ border: 1px solid #ccc; padding: 3px 6px; text-align: right; }} td:first-child {{ text-align: left; }}
figure {{ margin: 0 0 1em 0; }} img {{ max-width: 100%; }}
{FAILURE_CSS}</style>
</head><body>
<p><a href="../index.html">&larr; leaderboard</a></p>
<h1>{name}</h1>
{banner}
<p>Overall {_number(one.overall.values[0], 3)} (coverage {_number(one.overall_coverage.values[0], 2)}); qualifies as an fWBM:
{"yes" if bool(one.qualifies.values[0]) else "no"}.</p>
<h2>Criteria card</h2>
<table><thead><tr><th>criterion</th><th>score</th><th>coverage</th></tr></thead><tbody>{card}</tbody></table>
<h2>Benchmarks</h2>
<p>Score per subject on the {html.escape(reference)} connectome (hover for the status).</p>
<table><thead><tr><th>benchmark</th><th>score</th><th>coverage</th>{subject_headers}</tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<h2>Results without a score</h2>
{unscored_html(unscored)}
<h2>Resting state</h2>
{rest}
<h2>Behaviour</h2>
{_image(psychometric_figure(one), "Psychometric and chronometric curves against Roitman & Shadlen (2002)")}
<h2>Unification</h2>
{_image(unification_figure(one), "Fidelity curve and lesion specificity")}
<p><i>Region maps are not drawn: the shipped AAL2 centres are in a template's voxel-like units, not
MNI coordinates, so a brain plot would misplace them.</i></p>
</body></html>
"""


def write_entry_pages(ds, folder, comparisons: dict) -> dict[str, str]:
    """Write one page per entry into ``folder``; returns entry -> page file name.

    ``comparisons``: entry -> :class:`RestComparison` or None.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    for entry in (str(e) for e in ds.entry.values):
        names[entry] = page_name(entry)
        write_text_atomic(folder / names[entry], entry_page(ds, entry, comparisons.get(entry)))
    return names
