"""User subjects from a folder of NumPy or CSV arrays plus a small card file.

Layout (documented in README.md, "Your own data")::

    my_dataset/
        card.yaml                 # name, tr_s (if BOLD), parcellation, provenance, licence, ...
        <subject>/                # one folder per subject; its name becomes "<name>-<subject>"
            weights.npy | weights.csv              square, non-negative (required)
            tract_lengths.npy | tract_lengths.csv  same shape, millimetres (required)
            labels.txt                             one region name per line (required)
            hemispheres.txt                        L/R per line (optional)
            centres.npy | centres.csv              regions x 3 (optional)
            bold.npy | bold.csv                    regions x volumes (optional)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from fwbm_bench.data.cards import DatasetCard
from fwbm_bench.data.subject import Subject
from fwbm_bench.errors import InputError

_CARD_KEYS = {"name", "description", "provenance", "licence", "parcellation", "tr_s",
              "scanner", "citation", "caveats"}


def _read_array(folder: Path, stem: str, required: bool) -> np.ndarray | None:
    for suffix in (".npy", ".csv"):
        path = folder / f"{stem}{suffix}"
        if path.is_file():
            try:
                if suffix == ".npy":
                    return np.load(path, allow_pickle=False)
                return np.loadtxt(path, delimiter=",", ndmin=2)
            except (ValueError, OSError, EOFError) as exc:
                raise InputError(f"{path}: could not be read as a numeric array ({exc})") from exc
    if required:
        raise InputError(f"{folder}: expected {stem}.npy or {stem}.csv, found neither")
    return None


def _read_lines(path: Path) -> tuple | None:
    if not path.is_file():
        return None
    return tuple(line.strip() for line in path.read_text().splitlines() if line.strip())


class UserDataset:
    """A dataset the user keeps in a folder (see the module docstring for the layout)."""

    def __init__(self, root):
        self.root = Path(root)
        card_path = self.root / "card.yaml"
        if not self.root.is_dir():
            raise InputError(f"user dataset folder {self.root} not found")
        if not card_path.is_file():
            raise InputError(f"{card_path}: expected a card file describing the dataset, not found")
        card = yaml.safe_load(card_path.read_text()) or {}
        if not isinstance(card, dict) or "name" not in card:
            raise InputError(f"{card_path}: expected a mapping with at least a 'name' key")
        unknown = sorted(set(card) - _CARD_KEYS)
        if unknown:
            raise InputError(f"{card_path}: unknown keys {unknown} (allowed: {sorted(_CARD_KEYS)})")
        self.name = str(card["name"])
        tr_s = card.get("tr_s")
        if tr_s is not None:
            try:
                tr_s = float(tr_s)
            except (TypeError, ValueError):
                raise InputError(f"{card_path}: tr_s must be a number of seconds, found {tr_s!r}") from None
            if not tr_s > 0:
                raise InputError(f"{card_path}: tr_s must be > 0 seconds, found {tr_s}")
        self.card = DatasetCard(
            name=self.name,
            description=str(card.get("description", "user-provided dataset")),
            provenance=str(card.get("provenance", str(self.root))),
            licence=str(card.get("licence", "unknown")),
            parcellation=str(card.get("parcellation", "unknown")),
            n_regions=0,
            tr_s=None if tr_s is None else float(tr_s),
            scanner=str(card.get("scanner", "unknown")),
            has_bold=tr_s is not None,
            citation=str(card.get("citation", "")),
            caveats=str(card.get("caveats", "")),
        )

    def subject_ids(self) -> list[str]:
        return sorted(f"{self.name}-{p.name}" for p in self.root.iterdir() if p.is_dir())

    def load(self, subject_id: str) -> Subject:
        folder = self.root / subject_id.removeprefix(f"{self.name}-")
        if not folder.is_dir():
            raise InputError(f"subject folder {folder} not found (available: {', '.join(self.subject_ids())})")
        labels = _read_lines(folder / "labels.txt")
        if labels is None:
            raise InputError(f"{folder}: expected labels.txt (one region name per line), not found")
        bold = _read_array(folder, "bold", required=False)
        if bold is not None and self.card.tr_s is None:
            raise InputError(f"{self.root / 'card.yaml'}: {folder}/bold is present, so the card needs tr_s (seconds)")
        return Subject(
            subject_id=subject_id,
            dataset=self.name,
            weights=_read_array(folder, "weights", required=True),
            tract_lengths_mm=_read_array(folder, "tract_lengths", required=True),
            labels=labels,
            hemispheres=_read_lines(folder / "hemispheres.txt") or (),
            centres=_read_array(folder, "centres", required=False),
            bold=bold,
            tr_s=self.card.tr_s,
            source=str(folder),
        )
