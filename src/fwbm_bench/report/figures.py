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
    """Decoded accuracy per coherence, per model entry, against Roitman & Shadlen 2002."""
    if "p_correct" not in ds:
        return None
    data = roitman_shadlen_2002("pooled")
    figure, axis = plt.subplots(figsize=(4.5, 3.2))
    x = np.maximum(data["coherence_pct"], 1.0)
    axis.plot(x, data["p_correct"], "ko-", label="Roitman & Shadlen 2002 (pooled)")
    coherences = np.maximum(ds.coherence_pct.values, 1.0)
    for entry in ds.entry.values:
        reference = reference_connectome(ds)
        curve = ds.p_correct.sel(entry=entry, connectome=reference).mean("subject", skipna=True)
        if np.isfinite(curve.values).any():
            axis.plot(coherences, curve.values, "s--", label=str(entry))
    axis.set_xscale("log")
    axis.set_xlabel("motion coherence (%, 0 plotted at 1)")
    axis.set_ylabel("p(correct)")
    axis.set_ylim(0.3, 1.02)
    axis.legend(fontsize=7)
    return _png(figure)
