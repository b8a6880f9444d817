"""Do two leaderboards hold the same results? For instance a run through SLURM and one on a
workstation: every random stream derives from the job's names, so where and in which order the
jobs ran must not change a single value (tests/cluster/slurm_e2e.sh)."""

from __future__ import annotations

import numpy as np
import xarray as xr

#: variables that record what a run cost, not what it found: never compared
COMPUTE_COST_VARIABLES = ("wall_s", "max_rss_mb")
#: attributes that must agree; the others (git_commit, snakemake_version, ...) describe the run
RESULT_ATTRS = ("schema_version", "package_version", "config_hash", "benchmarks", "aggregation")


def _equal(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Element-wise equality, NaN equal to NaN."""
    same = x == y
    if np.issubdtype(x.dtype, np.floating) and np.issubdtype(y.dtype, np.floating):
        same |= np.isnan(x) & np.isnan(y)
    return same


def leaderboard_differences(a: xr.Dataset, b: xr.Dataset) -> tuple[list[str], int]:
    """What differs between leaderboards ``a`` and ``b`` (one line per attribute, coordinate or
    variable, naming the first differing element), and how many variables were compared.
    Values must be exactly equal (NaN equals NaN); the compute cost is not compared."""
    differences = [f"attribute {name}: {a.attrs.get(name)!r} vs {b.attrs.get(name)!r}"
                   for name in RESULT_ATTRS if a.attrs.get(name) != b.attrs.get(name)]
    for name in sorted(set(a.coords) | set(b.coords)):
        if name not in a.coords or name not in b.coords:
            differences.append(f"coordinate {name}: only in {'a' if name in a.coords else 'b'}")
        elif a[name].shape != b[name].shape or not _equal(a[name].values, b[name].values).all():
            differences.append(f"coordinate {name}: {a[name].values.tolist()} vs {b[name].values.tolist()}")
    if differences:
        return differences, 0  # values of differently labelled stores are not comparable
    names = sorted((set(a.data_vars) | set(b.data_vars)) - set(COMPUTE_COST_VARIABLES))
    for name in names:
        if name not in a.data_vars or name not in b.data_vars:
            differences.append(f"{name}: only in {'a' if name in a.data_vars else 'b'}")
            continue
        x, y = a[name], b[name]
        if x.dims != y.dims:
            differences.append(f"{name}: dimensions {x.dims} vs {y.dims}")
            continue
        same = _equal(x.values, y.values)
        if not same.all():
            first = np.argwhere(~same)[0] if same.ndim else ()
            where = ", ".join(f"{dim}={x[dim].values[i]}" for dim, i in zip(x.dims, first))
            differences.append(f"{name}: {int((~same).sum())} of {same.size} values differ, first at "
                               f"{where or 'the scalar'}: {x.values[tuple(first)]!r} vs {y.values[tuple(first)]!r}")
    return differences, len(names)
