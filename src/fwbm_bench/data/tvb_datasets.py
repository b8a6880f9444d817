"""Loaders for the connectivities shipped in the ``tvb-data`` PyPI package (structure only)."""

from __future__ import annotations

import bz2
import importlib.util
import io
import zipfile
from pathlib import Path

import numpy as np

from fwbm_bench.data.cards import DatasetCard
from fwbm_bench.data.subject import Subject
from fwbm_bench.errors import InputError

TVB_CONNECTIVITIES = (66, 68, 76, 96, 192)


def tvb_data_dir() -> Path:
    """Folder of the installed ``tvb_data`` package (connectivities, lead fields, sensors)."""
    spec = importlib.util.find_spec("tvb_data")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("tvb-data files not found: the PyPI package 'tvb-data' is not installed "
                         "(pip install tvb-data)")
    return Path(next(iter(spec.submodule_search_locations)))


def tvb_connectivity_dir() -> Path:
    return tvb_data_dir() / "connectivity"


def _read_member(archive: zipfile.ZipFile, stem: str) -> str | None:
    """Text of ``stem`` (plain or ``.bz2``) anywhere in the archive, or None."""
    for name in archive.namelist():
        base = name.rsplit("/", 1)[-1]
        if base == stem:
            return archive.read(name).decode()
        if base == stem + ".bz2":
            return bz2.decompress(archive.read(name)).decode()
    return None


def _infer_hemisphere(label: str, x: float) -> str:
    """``"R"``/``"L"`` from a label prefix (``rA1``, ``r_insula``, ``rh...``), else from x's sign."""
    lowered = label.lower()
    if lowered.startswith(("rh", "lh")):
        return lowered[0].upper()
    if label[:1] in ("r", "l") and len(label) > 1 and (label[1] == "_" or label[1].isupper()):
        return label[0].upper()
    return "R" if x > 0 else "L"


class TvbConnectivityDataset:
    """tvb-data's template connectivities, each one structure-only subject.

    tvb-data ships no hemisphere file; hemispheres come from a label prefix (``r``/``l``,
    ``rh``/``lh``) when present, otherwise from the sign of the x centre coordinate, as TVB
    itself infers them.
    """

    name = "tvb"

    def __init__(self):
        self.card = DatasetCard(
            name="tvb",
            description="TVB template connectivities (66, 68, 76, 96 and 192 regions), one "
            "structure-only subject each",
            provenance="tvb-data 3.0.0 PyPI package, tvb_data/connectivity/connectivity_<n>.zip",
            licence="GPL-3.0 (tvb-data)",
            parcellation="various: Hagmann 66, Desikan-Killiany 68, CoCoMac-based 76/96/192",
            n_regions=0,
            tr_s=None,
            scanner="n/a",
            has_bold=False,
            citation="Sanz Leon et al. 2013, Front Neuroinform 7:10 (The Virtual Brain)",
            caveats="Template (group) connectomes, not individuals; weights in arbitrary units "
            "(76/96/192 are integer 0-3, CoCoMac-like); no BOLD, so only structure and task "
            "benchmarks apply.",
        )

    def subject_ids(self) -> list[str]:
        return [f"tvb-{n}" for n in TVB_CONNECTIVITIES]

    def load(self, subject_id: str) -> Subject:
        size = subject_id.removeprefix("tvb-")
        if not size.isdigit() or int(size) not in TVB_CONNECTIVITIES:
            raise InputError(
                f"subject '{subject_id}' not found in dataset 'tvb' (available: {', '.join(self.subject_ids())})"
            )
        path = tvb_connectivity_dir() / f"connectivity_{size}.zip"
        if not path.is_file():
            raise InputError(f"{path}: file not found")
        with zipfile.ZipFile(path) as archive:
            texts = {stem: _read_member(archive, stem) for stem in
                     ("weights.txt", "tract_lengths.txt", "centres.txt", "cortical.txt")}
        for stem in ("weights.txt", "tract_lengths.txt", "centres.txt"):
            if texts[stem] is None:
                raise InputError(f"{path}: expected a member '{stem}', not found")
        weights = np.loadtxt(io.StringIO(texts["weights.txt"]))
        lengths = np.loadtxt(io.StringIO(texts["tract_lengths.txt"]))
        rows = [line.split() for line in texts["centres.txt"].splitlines() if line.strip()]
        labels = tuple(row[0] for row in rows)
        centres = np.array([[float(v) for v in row[1:4]] for row in rows])
        hemispheres = tuple(_infer_hemisphere(lab, c[0]) for lab, c in zip(labels, centres))
        extra = {}
        if texts["cortical.txt"] is not None:
            extra["cortical"] = np.loadtxt(io.StringIO(texts["cortical.txt"])).astype(bool)
        return Subject(
            subject_id=subject_id,
            dataset="tvb",
            weights=weights,
            tract_lengths_mm=lengths,
            labels=labels,
            centres=centres,
            hemispheres=hemispheres,
            source=str(path),
            extra=extra,
        )
