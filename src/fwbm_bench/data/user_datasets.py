"""User subjects from a folder of NumPy or CSV arrays plus a small card file.

Layout (documented in README.md, "Your own data")::

    my_dataset/
        card.yaml                 # name, tr_s (if BOLD), directed, parcellation, provenance, licence, ...
        <subject>/                # one folder per subject; its name becomes "<name>-<subject>"
            weights.npy | weights.csv              square, non-negative (required)
            tract_lengths.npy | tract_lengths.csv  same shape, millimetres (required)
            labels.txt                             one region name per line (required)
            hemispheres.txt                        L/R per line (optional)
            centres.npy | centres.csv              regions x 3 (optional)
            bold.npy | bold.csv                    regions x volumes (optional)

Every file is checked as it is read, and a problem is one line that names the file, what
was expected and what was found. Nothing in the folder can run code: ``.npy`` files holding
Python objects (pickles) are refused before NumPy reads their data, ``card.yaml`` is read
as plain data (:mod:`fwbm_bench.safe_yaml`).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
from numpy.lib import format as npy_format

from fwbm_bench.data.cards import DatasetCard
from fwbm_bench.data.subject import Subject
from fwbm_bench.data.validate import (
    check_bold,
    check_hemispheres,
    check_labels,
    check_square_matrix,
    check_symmetric,
    check_tract_lengths,
    check_vectors,
)
from fwbm_bench.errors import InputError
from fwbm_bench.safe_yaml import read_yaml

_CARD_KEYS = {"name", "description", "provenance", "licence", "parcellation", "tr_s", "directed",
              "scanner", "citation", "caveats"}
_SUFFIXES = (".npy", ".csv")


def _array_file(folder: Path, stem: str, required: bool) -> Path | None:
    """The one ``<stem>.npy`` or ``<stem>.csv`` in ``folder`` (None if optional and absent)."""
    found = [folder / f"{stem}{suffix}" for suffix in _SUFFIXES if (folder / f"{stem}{suffix}").exists()]
    if len(found) > 1:
        raise InputError(f"{folder}: expected one of {stem}.npy or {stem}.csv, found both (remove one)")
    if not found:
        if required:
            raise InputError(f"{folder}: expected {stem}.npy or {stem}.csv, found neither")
        return None
    if not found[0].is_file():
        raise InputError(f"{found[0]}: expected a file, found a directory")
    return found[0]


def _npy_header(path: Path):
    """dtype of the ``.npy`` file ``path``, read from its header alone (the data are not touched)."""
    with open(path, "rb") as stream:
        version = npy_format.read_magic(stream)
        if version == (1, 0):
            return npy_format.read_array_header_1_0(stream)[2]
        if version == (2, 0):
            return npy_format.read_array_header_2_0(stream)[2]
    return None  # a newer header version: np.load below still never unpickles


def _read_npy(path: Path) -> np.ndarray:
    try:
        dtype = _npy_header(path)
    except (ValueError, OSError, EOFError) as exc:
        raise InputError(f"{path}: expected a NumPy .npy array file, found a file that is not one "
                         f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'empty'})") from None
    if dtype is not None and dtype.hasobject:
        raise InputError(f"{path}: expected a numeric array, found an array of Python objects (dtype {dtype}); "
                         f"pickled data are never loaded, save plain numbers (np.save of a float array)")
    try:
        return np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise InputError(f"{path}: expected a numeric .npy array, found a damaged file ({exc})") from None


def _read_csv(path: Path) -> np.ndarray:
    if not path.read_bytes().strip():
        raise InputError(f"{path}: expected comma-separated numbers, found an empty file")
    try:
        with warnings.catch_warnings():  # an all-comment file: reported below, not as a warning
            warnings.simplefilter("ignore")
            array = np.loadtxt(path, delimiter=",", ndmin=2)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: expected comma-separated numbers in text, found undecodable bytes "
                         f"at byte {exc.start}") from None
    except (ValueError, OSError) as exc:
        raise InputError(f"{path}: expected comma-separated numbers, found other text ({exc})") from None
    if array.size == 0:
        raise InputError(f"{path}: expected comma-separated numbers, found no data")
    return array


def _read_array(path: Path) -> np.ndarray:
    array = _read_npy(path) if path.suffix == ".npy" else _read_csv(path)
    if array.dtype.kind not in "biuf":
        kind = "complex numbers" if array.dtype.kind == "c" else f"values of dtype {array.dtype}"
        raise InputError(f"{path}: expected real numbers, found {kind}")
    return array


def _read_lines(path: Path, required: bool, what: str) -> tuple | None:
    if not path.exists():
        if required:
            raise InputError(f"{path.parent}: expected {path.name} ({what}), not found")
        return None
    if not path.is_file():
        raise InputError(f"{path}: expected a text file ({what}), found a directory")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: expected UTF-8 text ({what}), found undecodable bytes at byte {exc.start}") from None
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class UserDataset:
    """A dataset the user keeps in a folder (see the module docstring for the layout)."""

    def __init__(self, root):
        self.root = Path(root)
        card_path = self.root / "card.yaml"
        if not self.root.is_dir():
            raise InputError(f"user dataset folder {self.root} not found")
        if not card_path.exists():
            raise InputError(f"{card_path}: expected a card file describing the dataset, not found")
        card = read_yaml(card_path, InputError, "dataset card")
        if not isinstance(card, dict) or "name" not in card:
            found = "an empty file" if card is None else f"a {type(card).__name__}"
            if isinstance(card, dict):
                found = f"keys {sorted(card)}"
            raise InputError(f"{card_path}: expected a mapping with at least a 'name' key, found {found}")
        unknown = sorted(set(card) - _CARD_KEYS)
        if unknown:
            raise InputError(f"{card_path}: unknown keys {unknown} (allowed: {sorted(_CARD_KEYS)})")
        if not isinstance(card["name"], str) or not re.fullmatch(r"[A-Za-z0-9_]+", card["name"]):
            raise InputError(f"{card_path}: key name: expected letters, digits and _ (the subject ids' prefix), "
                             f"found {card['name']!r}")
        self.name = card["name"]
        tr_s = card.get("tr_s")
        if tr_s is not None:
            if isinstance(tr_s, bool) or not isinstance(tr_s, (int, float)):
                raise InputError(f"{card_path}: key tr_s: expected a number of seconds, found {tr_s!r}")
            if not (np.isfinite(tr_s) and tr_s > 0):
                raise InputError(f"{card_path}: key tr_s: expected a number of seconds > 0, found {tr_s}")
        directed = card.get("directed")
        if directed is not None and not isinstance(directed, bool):
            raise InputError(f"{card_path}: key directed: expected true or false, found {directed!r}")
        #: False: the card declares undirected structure (weights and lengths must be symmetric);
        #: True: directed (rows receive); None: not declared (the connectome is symmetrised)
        self.directed = directed
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
        return sorted(f"{self.name}-{p.name}" for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def load(self, subject_id: str) -> Subject:
        """The validated subject; each file is checked as it is read (messages name the file)."""
        folder = self.root / subject_id.removeprefix(f"{self.name}-")
        if not folder.is_dir():
            raise InputError(f"subject folder {folder} not found (available: {', '.join(self.subject_ids())})")
        path = _array_file(folder, "weights", required=True)
        weights = check_square_matrix(_read_array(path), f"{path}: structural weights")
        n_regions = weights.shape[0]
        if weights[~np.eye(n_regions, dtype=bool)].max() <= 0:
            raise InputError(f"{path}: structural weights: expected some connection > 0 between regions, found none")
        undirected = "card.yaml declares directed: false"
        if self.directed is False:
            check_symmetric(weights, f"{path}: structural weights", undirected)
        path = _array_file(folder, "tract_lengths", required=True)
        lengths = check_square_matrix(_read_array(path), f"{path}: tract lengths", n_regions=n_regions)
        check_tract_lengths(lengths, f"{path}: tract lengths")
        if self.directed is False:
            check_symmetric(lengths, f"{path}: tract lengths", undirected)
        labels = check_labels(_read_lines(folder / "labels.txt", True, "one region name per line"), n_regions,
                              f"{folder / 'labels.txt'}: region labels")
        hemispheres = _read_lines(folder / "hemispheres.txt", False, "L or R per region")
        if hemispheres is not None:
            hemispheres = check_hemispheres(hemispheres, n_regions, f"{folder / 'hemispheres.txt'}: hemispheres")
        centres = None
        path = _array_file(folder, "centres", required=False)
        if path is not None:
            centres = check_vectors(_read_array(path), n_regions, 3, f"{path}: region centres")
        bold = None
        path = _array_file(folder, "bold", required=False)
        if path is not None:
            if self.card.tr_s is None:
                raise InputError(f"{self.root / 'card.yaml'}: key tr_s: expected the repetition time in seconds, "
                                 f"since {path} is present; found no tr_s")
            bold = check_bold(_read_array(path), n_regions, f"{path}: BOLD")
        return Subject(
            subject_id=subject_id,
            dataset=self.name,
            weights=weights,
            tract_lengths_mm=lengths,
            labels=labels,
            hemispheres=hemispheres or (),
            centres=centres,
            bold=bold,
            tr_s=self.card.tr_s,
            source=str(folder),
        )
