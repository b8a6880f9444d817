"""How the report shows failures: a banner naming every failed entry, and the table of
results that should have a score and have none (``fwbm_bench.leaderboard.unscored_table``)."""

from __future__ import annotations

import html

import pandas as pd

from fwbm_bench.scoring import FAILED

#: the report's and the entry pages' styles for failed rows and cells and the failure banner
FAILURE_CSS = """td.failed, tr.failed td { background: #fde2e2; }
.failed-banner { border: 2px solid #c00; background: #fde2e2; padding: 0.5em 1em; margin-bottom: 1em; }"""


def failure_banner(ranking: pd.DataFrame, anchor: str) -> str:
    """A red box naming each entry whose ``status`` (``leaderboard_table``) is not ``ok``, and
    why; empty when every entry is ok. ``anchor``: link to the details."""
    failed = ranking[ranking["status"] != "ok"]
    if failed.empty:
        return ""
    items = "".join(f"<li><b>{html.escape(str(row.entry))}</b>: {html.escape(str(row.status))}</li>"
                    for row in failed.itertuples(index=False))
    noun = "entry" if len(failed) == 1 else "entries"
    return (f'<div class="failed-banner" id="failures"><p><b>{len(failed)} {noun} failed</b> (failed results '
            f'count 0 in every aggregate; the other entries are unaffected):</p><ul>{items}</ul>'
            f'<p><a href="{html.escape(anchor)}">Every result without a score</a></p></div>')


def unscored_html(unscored: pd.DataFrame) -> str:
    """The results without a score as an HTML table (failed rows highlighted), or a sentence
    saying there are none."""
    if unscored.empty:
        return "<p>Every applicable result was scored (no failed, missing or not computable results).</p>"
    header = "".join(f"<th>{html.escape(str(c))}</th>" for c in unscored.columns)
    rows = "".join(
        f'<tr{" class=failed" if str(row.status).startswith(FAILED) else ""}>'
        + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in unscored.itertuples(index=False))
    return (f"<p>Failed (the entry's simulation diverged or one of its jobs raised: the job log has the details), "
            f"missing (no result file) and not computable (the inputs leave the metric undefined) results, grouped "
            f"by entry and reason. Each counts 0 in the aggregates and lowers coverage.</p>"
            f'<table id="unscored-table"><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>')
