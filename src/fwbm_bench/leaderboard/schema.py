"""Leaderboard schema v1: what a store must hold, and its validator (docs/leaderboard.md)."""

from __future__ import annotations

import json

import xarray as xr

from fwbm_bench.errors import InputError

SCHEMA_VERSION = 1

#: variable -> its dimensions, for every variable a v1 store must hold
REQUIRED_VARIABLES = {
    "raw": ("entry", "subject", "connectome", "benchmark"),
    "ceiling": ("entry", "subject", "connectome", "benchmark"),
    "score": ("entry", "subject", "connectome", "benchmark"),
    "score_unclipped": ("entry", "subject", "connectome", "benchmark"),
    "status": ("entry", "subject", "connectome", "benchmark"),
    "wall_s": ("entry", "subject", "connectome"),
    "max_rss_mb": ("entry", "subject", "connectome"),
    "benchmark_score": ("entry", "benchmark"),
    "benchmark_coverage": ("entry", "benchmark"),
    "criterion_score": ("entry", "criterion"),
    "criterion_coverage": ("entry", "criterion"),
    "overall": ("entry",),
    "overall_coverage": ("entry",),
    "qualifies": ("entry",),
    "null_percentile": ("entry", "subject", "measure"),
    "task_performance": ("entry", "subject", "connectome"),
    "identification_top1": ("entry",),
    "identification_top1_ceiling": ("entry",),
}

#: coordinates a v1 store must hold
REQUIRED_COORDINATES = ("entry", "subject", "connectome", "connectome_role", "benchmark", "criterion", "measure")

#: attributes a v1 store must hold; those named in JSON_ATTRS are JSON text
REQUIRED_ATTRS = ("schema_version", "package", "package_version", "git_commit", "config_hash", "config",
                  "benchmarks", "criteria", "dataset_cards", "aggregation", "seeding", "snakemake_version")
JSON_ATTRS = ("config", "benchmarks", "criteria", "dataset_cards")


def validate_leaderboard(ds: xr.Dataset, where: str = "leaderboard") -> xr.Dataset:
    """Check that ``ds`` is a complete schema-v1 leaderboard; return it.

    A store of another schema version, or one missing a variable, a dimension or an
    attribute, is an :class:`InputError` naming what is wrong, never a partial leaderboard.
    """
    version = ds.attrs.get("schema_version")
    if version is None:
        raise InputError(f"{where}: not an fwbm-bench leaderboard (no schema_version attribute)")
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise InputError(f"{where}: schema_version {version!r} is not a version number (damaged store)") from None
    if version != SCHEMA_VERSION:
        newer = " (written by a newer fwbm-bench: upgrade to read it)" if version > SCHEMA_VERSION else ""
        raise InputError(f"{where}: schema version {version}, but this fwbm-bench reads version {SCHEMA_VERSION}{newer}")
    missing = [name for name in REQUIRED_VARIABLES if name not in ds.variables]
    if missing:
        raise InputError(f"{where}: incomplete store, variables missing: {', '.join(missing)}")
    for name, dims in REQUIRED_VARIABLES.items():
        if tuple(ds[name].dims) != dims:
            raise InputError(f"{where}: variable '{name}' has dimensions {tuple(ds[name].dims)}, expected {dims}")
    missing = [name for name in REQUIRED_COORDINATES if name not in ds.coords]
    if missing:
        raise InputError(f"{where}: incomplete store, coordinates missing: {', '.join(missing)}")
    missing = [name for name in REQUIRED_ATTRS if name not in ds.attrs]
    if missing:
        raise InputError(f"{where}: incomplete store, attributes missing: {', '.join(missing)}")
    for name in JSON_ATTRS:
        try:
            json.loads(ds.attrs[name])
        except (TypeError, ValueError) as exc:
            raise InputError(f"{where}: attribute '{name}' is not valid JSON ({exc})") from None
    return ds
