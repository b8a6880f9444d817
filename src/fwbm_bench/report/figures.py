"""Report figures as PNG bytes (matplotlib, non-interactive backend)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from fwbm_bench.data.behaviour import roitman_shadlen_2002
from fwbm_bench.leaderboard.build import reference_connectome


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def criteria_figure(ds) -> bytes:
    """Grouped bars: criterion scores per entry, with coverage in the legend."""
    entries = [str(e) for e in ds.entry.values]
    criteria = [str(c) for c in ds.criterion.values]
    figure, axis = plt.subplots(figsize=(1.2 + 1.4 * len(criteria), 3.2))
    width = 0.8 / max(1, len(entries))
    for k, entry in enumerate(entries):
        scores = ds.criterion_score.sel(entry=entry).values
        axis.bar(np.arange(len(criteria)) + k * width, scores, width,
                 label=f"{entry} (coverage {float(ds.overall_coverage.sel(entry=entry)):.2f})")
    axis.set_xticks(np.arange(len(criteria)) + 0.4 - width / 2, criteria)
    axis.set_ylim(0, 1)
    axis.set_ylabel("normalised score")
    axis.legend(fontsize=7, loc="upper right")
    axis.set_title("fWBM criteria (empirical connectome, mean over subjects)", fontsize=9)
    return _png(figure)


def psychometric_figure(ds) -> bytes | None:
    """Psychometric and chronometric curves per model entry (decoded; intrinsic dashed where the
    model has selective populations) against Roitman & Shadlen 2002."""
    if "decoded_p_correct" not in ds:
        return None
    data = roitman_shadlen_2002("pooled")
    figure, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3.2))
    x = np.maximum(data["coherence_pct"], 1.0)
    left.plot(x, data["p_correct"], "ko-", label="Roitman & Shadlen 2002 (pooled)")
    right.plot(x, data["mean_rt_correct_ms"], "ko-", label="Roitman & Shadlen 2002 (pooled)")
    coherences = np.maximum(ds.coherence_pct.values, 1.0)
    reference = reference_connectome(ds)
    for k, entry in enumerate(ds.entry.values):
        color = f"C{k}"
        for readout, style in (("decoded", "s-"), ("intrinsic", "^--")):
            accuracy = ds[f"{readout}_p_correct"].sel(entry=entry, connectome=reference).mean("subject", skipna=True)
            rt = ds[f"{readout}_mean_rt_correct_ms"].sel(entry=entry, connectome=reference).mean("subject", skipna=True)
            if np.isfinite(accuracy.values).any():
                left.plot(coherences, accuracy.values, style, color=color, label=f"{entry} ({readout})")
                right.plot(coherences, rt.values, style, color=color, label=f"{entry} ({readout})")
    for axis in (left, right):
        axis.set_xscale("log")
        axis.set_xlabel("motion coherence (%, 0 plotted at 1)")
    left.set_ylabel("p(correct)")
    left.set_ylim(0.3, 1.02)
    right.set_ylabel("mean correct RT (ms; decoded: from stimulus onset)")
    left.legend(fontsize=6)
    return _png(figure)
