"""Stage functions called by the workflow scripts: each reads files, computes, writes files.

One call per Snakemake job; everything a test should reach lives here or below.
"""
