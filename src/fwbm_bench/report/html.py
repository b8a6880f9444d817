"""Write ``index.html``: the leaderboard table (sortable), figures, provenance."""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np

from fwbm_bench._atomic import write_bytes_atomic, write_text_atomic
from fwbm_bench.leaderboard import (
    criteria_card_table,
    leaderboard_table,
    raw_ceiling_table,
    unification_table,
    unscored_table,
)
from fwbm_bench.report.entry_pages import write_entry_pages
from fwbm_bench.report.failures import FAILURE_CSS, failure_banner, unscored_html
from fwbm_bench.report.figures import (
    criteria_figure,
    figure_html,
    placeholder_figure,
    psychometric_figure,
    unification_figure,
)

_SORT_SCRIPT = """
document.querySelectorAll('table.sortable th').forEach(function (th) {
  th.addEventListener('click', function () {
    var column = th.cellIndex, table = th.closest('table'), body = table.tBodies[0];
    var descending = th.getAttribute('data-order') !== 'desc';
    th.setAttribute('data-order', descending ? 'desc' : 'asc');
    Array.from(body.rows).sort(function (a, b) {
      var x = a.cells[column].getAttribute('data-value'), y = b.cells[column].getAttribute('data-value');
      var nx = parseFloat(x), ny = parseFloat(y);
      var cmp = (isNaN(nx) || isNaN(ny)) ? x.localeCompare(y) : nx - ny;
      return descending ? -cmp : cmp;
    }).forEach(function (row) { body.appendChild(row); });
  });
});
"""


def _cell(value) -> str:
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            return '<td data-value="-1">–</td>'
        return f'<td data-value="{value:.6g}">{value:.3f}</td>'
    text = html.escape(str(value))
    return f'<td data-value="{text}">{text}</td>'


def _rows(records) -> str:
    """Table rows (``<tr>``) of an iterable of records (sequences of cell values)."""
    return "".join("<tr>" + "".join(_cell(v) for v in record) + "</tr>" for record in records)


#: figure files the report writes beside index.html (registered with Snakemake's report()):
#: name -> (function of the leaderboard, caption)
FIGURES = {
    "criteria": (criteria_figure, "Criterion scores per entry"),
    "unification": (unification_figure, ("Fidelity curve (score vs shuffled fraction) and task performance after "
                                         "the pathway lesion vs random lesions")),
    "behaviour": (psychometric_figure, ("Psychometric and chronometric curves (decoded: solid; intrinsic: dashed) "
                                       "against Roitman & Shadlen (2002)")),
}


def write_report(ds, output_path, figure_dir=None, comparisons=None) -> None:
    """Write an HTML report of leaderboard ``ds`` to ``output_path``, one page per entry in
    ``entries/`` beside it (:mod:`fwbm_bench.report.entry_pages`; ``comparisons``: entry ->
    its resting-state comparison, or None), and, with ``figure_dir``, each of :data:`FIGURES`
    as ``<name>.png`` there (a figure without data becomes a panel that says so, so the set
    of files is always the same). Every page works from the file system, without a server."""
    output_path = Path(output_path)
    pages = write_entry_pages(ds, output_path.parent / "entries", comparisons or {})
    figures = {name: function(ds) for name, (function, _) in FIGURES.items()}
    if figure_dir is not None:
        figure_dir = Path(figure_dir)
        figure_dir.mkdir(parents=True, exist_ok=True)
        for name, png in figures.items():
            write_bytes_atomic(figure_dir / f"{name}.png", png if png is not None else placeholder_figure(
                f"{FIGURES[name][1]}: no data in this run"))
    table = leaderboard_table(ds)
    header = "".join(f"<th title='click to sort'>{html.escape(str(c))}</th>" for c in table.columns)
    rows = "".join(
        f'<tr{" class=failed" if record.status != "ok" else ""}><td data-value="{html.escape(str(record[0]))}">'
        f'<a href="entries/{pages[str(record[0])]}">{html.escape(str(record[0]))}</a></td>'
        + "".join(_cell(v) for v in record[1:]) + "</tr>"
        for record in table.itertuples(index=False))
    unscored = unscored_table(ds)
    raw_rows = _rows(raw_ceiling_table(ds).itertuples(index=False))
    card = criteria_card_table(ds)
    card_header = "".join(f"<th title='click to sort'>{html.escape(str(c))}</th>" for c in card.columns)
    card_rows = _rows(card.itertuples(index=False))
    unified = unification_table(ds)
    unified_header = "".join(f"<th title='click to sort'>{html.escape(str(c))}</th>" for c in unified.columns)
    unified_rows = _rows(unified.itertuples(index=False))
    benchmarks = json.loads(ds.attrs["benchmarks"])
    benchmark_rows = _rows([b[k] for k in ("identifier", "version", "criterion", "description", "ceiling", "citation")]
                           for b in benchmarks.values())
    cards = json.loads(ds.attrs["dataset_cards"])
    card_items = "".join(
        f"<li><b>{html.escape(name)}</b>: {html.escape(card['description'])}. Provenance: "
        f"{html.escape(card['provenance'])}. Licence: {html.escape(card['licence'])}. "
        f"<i>Caveats:</i> {html.escape(card['caveats'])}</li>"
        for name, card in cards.items()
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>fwbm-bench leaderboard</title>
<style>
body {{ font-family: sans-serif; margin: 2em; max-width: 1200px; }}
table {{ border-collapse: collapse; font-size: 13px; margin-bottom: 1.5em; }}
th, td {{ border: 1px solid #ccc; padding: 3px 6px; text-align: right; }}
th {{ background: #eee; cursor: pointer; }}
td:first-child {{ text-align: left; }}
figure {{ display: inline-block; margin: 0 1em 1em 0; }}
{FAILURE_CSS}
</style></head><body>
<h1>fwbm-bench leaderboard</h1>
{failure_banner(table, "#unscored")}
<p>Scores are normalised by split-half noise ceilings (1 = as similar to the held-out data as the
subject's own other half) and aggregated benchmark &rarr; criterion &rarr; overall; a missing child
counts 0, and coverage tells what fraction was scored. Click a column header to sort.</p>
<table class="sortable" id="leaderboard"><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>
{figure_html(figures["criteria"], FIGURES["criteria"][1])}
<h2>fWBM criteria card</h2>
<p>C1 structural grounding, C2 dynamical realism, C3 functional competence, C4 mappable observables,
U unification (Senden et al. 2026). Each criterion is the mean of its benchmarks with missing ones
counting 0; coverage is the fraction that was scored. An entry qualifies when every criterion reaches
the threshold in the last column.</p>
<table class="sortable" id="criteria-card"><thead><tr>{card_header}</tr></thead><tbody>{card_rows}</tbody></table>
<h2>Unification</h2>
<p>Structure dependence: the share of the empirical-connectome score lost on null connectomes
(shuffled, geometry-preserving, degree-preserving; each refitted, all on the same noise as the
empirical run), with the percentile of the empirical score among the nulls. Lesion specificity: the
task performance lost to a lesion of the task's input-to-readout path beyond what size-matched
random lesions cost. Explanatory scope: the fraction of C1-C4 benchmarks scoring at least 0.5.</p>
<table class="sortable" id="unification"><thead><tr>{unified_header}</tr></thead><tbody>{unified_rows}</tbody></table>
{figure_html(figures["unification"], FIGURES["unification"][1])}
<h2>Raw values and ceilings</h2>
<p>Mean over the scored subjects, empirical connectome: the metric of the entry against the held-out
half, and the same metric between the subject's two halves.</p>
<table class="sortable"><thead><tr><th>entry</th><th>benchmark</th><th>raw</th><th>ceiling</th><th>subjects</th></tr></thead>
<tbody>{raw_rows}</tbody></table>
{figure_html(figures["behaviour"], FIGURES["behaviour"][1])}
<h2 id="unscored">Results without a score</h2>
{unscored_html(unscored)}
<h2>Benchmarks</h2>
<table><thead><tr><th>identifier</th><th>version</th><th>criterion</th><th>description</th><th>ceiling</th><th>citation</th></tr></thead>
<tbody>{benchmark_rows}</tbody></table>
<h2>Data</h2><ul>{card_items}</ul>
<p>fwbm-bench {html.escape(str(ds.attrs['package_version']))}, schema v{ds.attrs['schema_version']},
git {html.escape(str(ds.attrs['git_commit']))}, config {html.escape(str(ds.attrs['config_hash']))}.</p>
<script>{_SORT_SCRIPT}</script>
</body></html>
"""
    write_text_atomic(output_path, page)
