"""Report figures as PNG bytes (matplotlib, non-interactive backend)."""

from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["text.parse_math"] = False  # entry names are user strings: '$' is text, not math
import matplotlib.pyplot as plt
import numpy as np

from fwbm_bench.data.behaviour import roitman_shadlen_2002
from fwbm_bench.leaderboard.build import reference_connectome


def figure_html(png: bytes | None, alt: str, missing: str = "") -> str:
    """An embedded ``<figure>`` of PNG bytes with ``alt`` as caption; ``missing`` (HTML) when
    there is no figure."""
    if png is None:
        return missing
    encoded = base64.b64encode(png).decode()
    return (f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}">'
            f"<figcaption>{html.escape(alt)}</figcaption></figure>")


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


def unification_figure(ds) -> bytes | None:
    """Left: FC and task scores against the shuffled fraction of node pairs (the fidelity curve).
    Right: task performance intact, after the task-pathway lesion and after its random controls."""
    import json

    fidelity = "fidelity_fc" in ds
    roles = [str(r) for r in ds.connectome_role.values]
    task_lesion = json.loads(ds.attrs["config"]).get("unification", {}).get("task_lesion", "task-input")
    lesion = [str(c) for c, r in zip(ds.connectome.values, roles) if r == "lesion" and f"lesion-{task_lesion}" == c]
    controls = [str(c) for c, r in zip(ds.connectome.values, roles)
                if r == "lesion-control" and str(c).startswith(f"lesion-{task_lesion}-random-")]
    if not fidelity and not (lesion and controls):
        return None
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    entries = [str(e) for e in ds.entry.values]
    if fidelity:
        fractions = ds.shuffled_fraction.values
        for k, entry in enumerate(entries):
            for measure, style in (("fc", "o-"), ("task", "s--")):
                per_subject = ds[f"fidelity_{measure}"].sel(entry=entry).values  # subject x fraction
                complete = np.isfinite(per_subject).all(axis=1)  # subjects with the whole curve only
                curve = per_subject[complete].mean(axis=0) if complete.any() else np.full(len(fractions), np.nan)
                if np.isfinite(curve).sum() > 1:
                    right_label = f"{entry} ({'FC fit' if measure == 'fc' else 'tasks'})"
                    left.plot(fractions, curve, style, color=f"C{k}", label=right_label)
        left.set_xlabel("fraction of node pairs shuffled (0 = empirical)")
        left.set_ylabel("normalised score")
        left.set_ylim(0, 1)
        left.legend(fontsize=6)
        left.set_title("connectome fidelity (subjects with every fraction)", fontsize=9)
    if lesion and controls:
        performance = ds.task_performance
        width = 0.8 / 3
        for j, (label, columns) in enumerate((("intact", ["empirical"]), (f"lesion-{task_lesion}", lesion),
                                              ("size-matched random", controls))):
            heights = []
            for entry in entries:
                lesioned_subjects = np.isfinite(performance.sel(entry=entry, connectome=lesion[0]).values)
                values = performance.sel(entry=entry, connectome=columns).values[lesioned_subjects]
                heights.append(float(np.mean(values)) if values.size and np.isfinite(values).all() else np.nan)
            right.bar(np.arange(len(entries)) + j * width, heights, width, label=label, color=f"C{j + 6}")
        right.set_xticks(np.arange(len(entries)) + width, entries, rotation=20, fontsize=7, ha="right")
        right.set_ylabel("task performance (mean C3 score)")
        right.set_ylim(0, 1)
        right.legend(fontsize=6)
        right.set_title("lesion specificity (lesioned subjects)", fontsize=9)
    return _png(figure)


def placeholder_figure(text: str) -> bytes:
    """A small panel that only says ``text`` (a figure the run has no data for)."""
    figure, axis = plt.subplots(figsize=(5, 1))
    axis.axis("off")
    axis.text(0.5, 0.5, text, ha="center", va="center", fontsize=8, wrap=True)
    return _png(figure)
