"""Stage functions called by the workflow scripts: each reads files, computes, writes files.

One call per Snakemake job; everything a test should reach lives here or below. This is the
orchestration layer: it may import every computation layer, the leaderboard and the report,
and nothing imports it except the workflow scripts.
"""
