"""Write ``index.html``: the leaderboard table (sortable), figures, provenance."""

from __future__ import annotations

import base64
import html
import json
import os
from pathlib import Path

import numpy as np

from fwbm_bench.leaderboard import leaderboard_table, raw_ceiling_table
from fwbm_bench.report.figures import criteria_figure, psychometric_figure

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


def _image(png: bytes | None, alt: str) -> str:
    if png is None:
        return ""
    encoded = base64.b64encode(png).decode()
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}"><figcaption>{html.escape(alt)}</figcaption></figure>'


def _rows(records) -> str:
    """Table rows (``<tr>``) of an iterable of records (sequences of cell values)."""
    return "".join("<tr>" + "".join(_cell(v) for v in record) + "</tr>" for record in records)


def write_report(ds, output_path) -> None:
    """Write a self-contained HTML report of leaderboard ``ds`` to ``output_path``."""
    table = leaderboard_table(ds)
    header = "".join(f"<th title='click to sort'>{html.escape(str(c))}</th>" for c in table.columns)
    rows = _rows(table.itertuples(index=False))
    raw_rows = _rows(raw_ceiling_table(ds).itertuples(index=False))
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
</style></head><body>
<h1>fwbm-bench leaderboard</h1>
<p>Scores are normalised by split-half noise ceilings (1 = as similar to the held-out data as the
subject's own other half) and aggregated benchmark &rarr; criterion &rarr; overall; a missing child
counts 0, and coverage tells what fraction was scored. Click a column header to sort.</p>
<table class="sortable" id="leaderboard"><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>
{_image(criteria_figure(ds), "Criterion scores per entry")}
<h2>Raw values and ceilings</h2>
<p>Mean over the scored subjects, empirical connectome: the metric of the entry against the held-out
half, and the same metric between the subject's two halves.</p>
<table class="sortable"><thead><tr><th>entry</th><th>benchmark</th><th>raw</th><th>ceiling</th><th>subjects</th></tr></thead>
<tbody>{raw_rows}</tbody></table>
{_image(psychometric_figure(ds), "Psychometric and chronometric curves (decoded: solid; intrinsic: dashed) against Roitman & Shadlen (2002)")}
<h2>Benchmarks</h2>
<table><thead><tr><th>identifier</th><th>version</th><th>criterion</th><th>description</th><th>ceiling</th><th>citation</th></tr></thead>
<tbody>{benchmark_rows}</tbody></table>
<h2>Data</h2><ul>{card_items}</ul>
<p>fwbm-bench {html.escape(str(ds.attrs['package_version']))}, schema v{ds.attrs['schema_version']},
git {html.escape(str(ds.attrs['git_commit']))}, config {html.escape(str(ds.attrs['config_hash']))}.</p>
<script>{_SORT_SCRIPT}</script>
</body></html>
"""
    output_path = Path(output_path)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = output_path.with_name(output_path.name + ".tmp")
    temporary.write_text(page)
    os.replace(temporary, output_path)
