"""Exact comparison of two leaderboards: the check behind "a resumed run, a run on more cores,
a run with one more (failing) entry gives the same leaderboard" (benchmarks/resume_after_kill.py,
tests/test_reliability.py)."""

from __future__ import annotations

import numpy as np
import xarray as xr

#: variables that measure the run rather than its result: summed wall time and peak memory of
#: each (entry, subject, connectome)'s jobs, read from Snakemake's ``benchmark:`` files. They
#: differ between any two runs (and a job killed and rerun is timed again), so they are never compared
COST_VARIABLES = ("wall_s", "max_rss_mb")


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
        return False
    if a.dtype.kind in "fiub":  # bit for bit, NaN included
        return a.dtype == b.dtype and a.tobytes() == b.tobytes()
    return bool((a.astype(str) == b.astype(str)).all())


def leaderboard_differences(a: xr.Dataset, b: xr.Dataset, entries=None, skip_variables=COST_VARIABLES,
                            skip_attrs=()) -> list[str]:
    """Every difference between leaderboards ``a`` and ``b``, one line each; [] if identical.

    Every variable (except ``skip_variables``), coordinate and attribute (except
    ``skip_attrs``) must be equal: numbers bit for bit (NaN where NaN), text exactly.
    ``entries``: compare only these entries (both stores must hold them); their other
    dimensions must match in full.
    """
    if entries is not None:
        a, b = a.sel(entry=list(entries)), b.sel(entry=list(entries))
    differences = []
    names_a, names_b = set(a.variables), set(b.variables)
    for name in sorted((names_a ^ names_b) - set(skip_variables)):
        differences.append(f"variable {name}: only in {'the first' if name in names_a else 'the second'}")
    for name in sorted(names_a & names_b):
        if name in skip_variables:
            continue
        if a[name].dims != b[name].dims:
            differences.append(f"variable {name}: dimensions {a[name].dims} vs {b[name].dims}")
        elif not _same(a[name].values, b[name].values):
            where = ""
            if a[name].shape == b[name].shape:
                unequal = np.argwhere(~((a[name].values == b[name].values)
                                        | (np.asarray(a[name].isnull()) & np.asarray(b[name].isnull()))))
                if len(unequal):
                    index = dict(zip(a[name].dims, unequal[0]))
                    labels = {dim: str(a[dim].values[k]) if dim in a.coords else int(k) for dim, k in index.items()}
                    where = f" (first at {labels}: {a[name].values[tuple(unequal[0])]!r} vs " \
                            f"{b[name].values[tuple(unequal[0])]!r}; {len(unequal)} values differ)"
            differences.append(f"variable {name}: values differ{where}")
    keys_a, keys_b = set(a.attrs), set(b.attrs)
    for key in sorted((keys_a | keys_b) - set(skip_attrs)):
        if a.attrs.get(key) != b.attrs.get(key):
            differences.append(f"attribute {key}: {str(a.attrs.get(key))[:60]!r} vs {str(b.attrs.get(key))[:60]!r}")
    return differences
