"""The ``Subject`` contract: one individual's structure and (optionally) resting BOLD."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fwbm_bench._atomic import save_npz_atomic
from fwbm_bench.data.validate import (
    check_bold,
    check_hemispheres,
    check_labels,
    check_square_matrix,
    check_tract_lengths,
    check_vectors,
)
from fwbm_bench.errors import InputError


@dataclass(frozen=True)
class Subject:
    """Structure and resting-state data of one subject, validated on construction.

    Attributes
    ----------
    subject_id : str
        Unique identifier ``<dataset>-<id>`` (never purely numeric; Snakemake would turn
        such an id into an integer).
    dataset : str
        Name of the dataset card this subject comes from.
    weights : ndarray, shape (n_regions, n_regions)
        Structural connectivity in the dataset's own units (e.g. streamline counts),
        symmetric or not, non-negative, zero diagonal after loading.
    tract_lengths_mm : ndarray, shape (n_regions, n_regions)
        Fibre lengths in millimetres (non-negative, finite).
    labels : tuple of str, length n_regions
        Region names in row order.
    centres : ndarray, shape (n_regions, 3), or None
        Region centres; units are given by the dataset card.
    hemispheres : tuple of str
        ``"L"``, ``"R"`` or ``""`` (midline / unknown) per region.
    bold : ndarray, shape (n_regions, n_volumes), or None
        Resting BOLD time series, regions x volumes; None for structure-only subjects.
    tr_s : float or None
        Repetition time of ``bold`` in seconds.
    source : str
        Where the arrays were read from (file or package path), for error messages.
    """

    subject_id: str
    dataset: str
    weights: np.ndarray
    tract_lengths_mm: np.ndarray
    labels: tuple
    centres: np.ndarray | None = None
    hemispheres: tuple = ()
    bold: np.ndarray | None = None
    tr_s: float | None = None
    source: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        where = self.source or self.subject_id
        weights = check_square_matrix(self.weights, f"{where}: structural weights")
        n_regions = weights.shape[0]
        lengths = check_square_matrix(
            self.tract_lengths_mm, f"{where}: tract lengths", n_regions=n_regions
        )
        check_tract_lengths(lengths, f"{where}: tract lengths")
        labels = check_labels(self.labels, n_regions, f"{where}: region labels")
        hemispheres = tuple(self.hemispheres) or tuple("" for _ in labels)
        hemispheres = check_hemispheres(hemispheres, n_regions, f"{where}: hemispheres")
        centres = None
        if self.centres is not None:
            centres = check_vectors(self.centres, n_regions, 3, f"{where}: region centres")
        bold = None
        if self.bold is not None:
            bold = check_bold(self.bold, n_regions, f"{where}: BOLD")
            if self.tr_s is None or not np.isfinite(self.tr_s) or self.tr_s <= 0:
                raise InputError(f"{where}: BOLD needs a repetition time tr_s > 0 seconds, found {self.tr_s!r}")
        weights = weights.copy()
        np.fill_diagonal(weights, 0.0)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "tract_lengths_mm", lengths)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "hemispheres", hemispheres)
        object.__setattr__(self, "centres", centres)
        object.__setattr__(self, "bold", bold)

    @property
    def n_regions(self) -> int:
        return self.weights.shape[0]

    @property
    def has_bold(self) -> bool:
        return self.bold is not None

    def bold_halves(self) -> tuple[np.ndarray, np.ndarray]:
        """Split the BOLD into its first (train) and second (held-out) halves.

        Returns two arrays of shape (n_regions, n_volumes // 2); an odd last volume is
        dropped so both halves have equal length (DESIGN.md, scoring protocol).
        """
        if self.bold is None:
            raise ValueError(f"{self.subject_id} has no BOLD")
        half = self.bold.shape[1] // 2
        return self.bold[:, :half], self.bold[:, half : 2 * half]

    def to_arrays(self) -> dict:
        """Plain arrays for ``np.savez`` (never pickled): see :func:`subject_from_arrays`."""
        arrays = {
            "subject_id": np.array(self.subject_id),
            "dataset": np.array(self.dataset),
            "weights": self.weights,
            "tract_lengths_mm": self.tract_lengths_mm,
            "labels": np.array(self.labels, dtype=str),
            "hemispheres": np.array(self.hemispheres, dtype=str),
            "source": np.array(self.source),
        }
        if self.centres is not None:
            arrays["centres"] = self.centres
        if self.bold is not None:
            arrays["bold"] = self.bold
            arrays["tr_s"] = np.array(float(self.tr_s))
        return arrays


def subject_from_arrays(arrays) -> Subject:
    """Inverse of :meth:`Subject.to_arrays` (accepts an ``np.load`` result)."""
    return Subject(
        subject_id=str(arrays["subject_id"]),
        dataset=str(arrays["dataset"]),
        weights=np.asarray(arrays["weights"]),
        tract_lengths_mm=np.asarray(arrays["tract_lengths_mm"]),
        labels=tuple(str(x) for x in arrays["labels"]),
        hemispheres=tuple(str(x) for x in arrays["hemispheres"]),
        centres=np.asarray(arrays["centres"]) if "centres" in arrays else None,
        bold=np.asarray(arrays["bold"]) if "bold" in arrays else None,
        tr_s=float(arrays["tr_s"]) if "tr_s" in arrays else None,
        source=str(arrays["source"]),
    )


def save_subject(subject: Subject, path) -> None:
    save_npz_atomic(path, **subject.to_arrays())


def load_subject_file(path) -> Subject:
    with np.load(path, allow_pickle=False) as arrays:
        return subject_from_arrays(arrays)

