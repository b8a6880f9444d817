"""EEG forward model: a region-level lead field built from tvb-data, and a streaming sink.

Lead field
----------
tvb-data ships EEG projection matrices (lead fields) computed on its 16384-vertex cortical
surface (``surfaceData/cortex_16384.zip``), channels x vertices, and region mappings of that
surface (one region index per vertex). For a region-level simulation the region lead field
sums the columns of each region's vertices::

    L[c, r] = sum over vertices v with mapping[v] == r of P[c, v]

i.e. every vertex dipole of a region carries the region's activity. A sum, not a mean: a
uniformly active patch twice as large (twice as many vertices on the surface) produces twice
the scalp potential. This is the reduction TVB's projection monitors apply in region
simulations (``tvb/simulator/monitors.py``, ``Projection.config_for_sim``; Sanz Leon et al.
2013, Front Neuroinform 7:10). The EEG is then ``L @ x`` for the region activity ``x``.

Supported combinations (any of the two montages with any of the two mappings)::

    n_channels 65: projectionMatrix/projection_eeg_65_surface_16k.npy, sensors/eeg_brainstorm_65.txt
    n_channels 62: projectionMatrix/projection_eeg_62_surface_16k.mat (variable ProjectionMatrix),
                   sensors/eeg_unitvector_62.txt.bz2
    n_regions 76:  regionMapping/regionMapping_16k_76.txt   (connectivity_76.zip)
    n_regions 192: regionMapping/regionMapping_16k_192.txt  (connectivity_192.zip)

What the shipped files (tvb-data 3.0.0) contain, checked in tests/test_eeg.py:

* The mappings index the connectivity's regions in the connectivity's order (TVB's
  convention): the centroid of each region's vertices equals the region centre in the
  connectivity's ``centres.txt`` to better than 1e-5 mm, for 76 and 192 regions.
* All 76 regions of ``connectivity_76`` own surface vertices. ``regionMapping_16k_192.txt``
  has 16500 entries: the 16384 surface vertices, then one pseudo-vertex for each of the 116
  subcortical regions (thalamic nuclei, caudate, claustrum, ...), which own no surface
  vertex. Those regions get a **zero lead-field column**: they do not contribute to the
  EEG. (TVB instead adds an analytic single-sphere dipole at the region centre; we do not.)
* The 65-channel matrix has two all-NaN rows, IO1 and IO2 (infra-orbital, i.e. ocular
  electrodes). They are dropped, so the 65-channel montage has **63 usable channels**;
  :func:`eeg_channel_labels` gives the labels of the rows actually returned.
* The 65-channel montage is self-consistent: its sensor positions share the surface's frame
  (Brainstorm SCS: +x nasion, +y left ear, +z up) and the |lead field|^2-weighted centroid of
  each channel lies in the direction of its electrode. ``connectivity_76`` agrees with that
  frame (its ``lA1`` has y > 0, like Fp1). TVB's default EEG monitor uses this pairing.
* Two left-right mirror images. (1) The 62-channel montage: rows of the two matrices with the
  same label are uncorrelated across vertices (r ~ 0.05), while a 62-channel row correlates
  with the 65-channel row of its mirror electrode (Fp1 vs Fp2, C3 vs C4: r ~ 0.3-0.45), so
  its labels are mirrored relative to the 65-channel montage and ``connectivity_76``.
  (2) ``connectivity_192``'s hemisphere prefixes: its ``lA1`` is the vertex set of 76's
  ``rA1``. Region indices, not names, define the mapping, so lead-field columns are right;
  but with 62 channels, channel names are only trustworthy up to a left-right flip.
  Channel-averaged measures (spectra, alpha peak, band powers) are unaffected.

Units: tvb-data does not state the units of its projection matrices and their scales differ
by a factor of about 3000 (mean per-vertex |P| 12.5 for 65 channels, 4e-3 for 62), so the EEG
is in arbitrary units (lead-field units x the model output's units, mV for Jansen-Rit);
only relative quantities (spectral shape, peak frequency, relative band power) are meaningful.

Reference: ``reference=None`` keeps the potentials as shipped (reference-free);
``reference="average"`` applies the common average reference, subtracting the channel mean
of the lead field (equivalent to re-referencing the signals, the projection being linear).
"""

from __future__ import annotations

import bz2
from functools import cache
from pathlib import Path

import numpy as np

from fwbm_bench.data.tvb_datasets import tvb_data_dir
from fwbm_bench.errors import ConfigError, InputError

EEG_MONTAGES = {  # n_channels -> (projection matrix, sensor file), relative to the tvb_data package
    65: ("projectionMatrix/projection_eeg_65_surface_16k.npy", "sensors/eeg_brainstorm_65.txt"),
    62: ("projectionMatrix/projection_eeg_62_surface_16k.mat", "sensors/eeg_unitvector_62.txt.bz2"),
}
REGION_MAPPINGS = {  # n_regions -> region mapping of the 16k cortical surface
    76: "regionMapping/regionMapping_16k_76.txt",
    192: "regionMapping/regionMapping_16k_192.txt",
}
REFERENCES = (None, "average")


def _existing(relative: str) -> Path:
    path = tvb_data_dir() / relative
    if not path.is_file():
        raise InputError(f"{path}: file not found (expected in the tvb-data package)")
    return path


@cache
def _read_projection(path: Path) -> np.ndarray:
    """Projection matrix (channels x vertices) as stored, NaN rows included; read-only."""
    if path.suffix == ".mat":
        from scipy.io import loadmat

        contents = {key: value for key, value in loadmat(path).items() if not key.startswith("__")}
        matrices = {key: value for key, value in contents.items()
                    if isinstance(value, np.ndarray) and value.ndim == 2 and value.dtype.kind in "fiu"}
        if len(matrices) != 1:
            raise InputError(f"{path}: expected one 2-D numeric variable (the projection matrix), "
                             f"found variables {sorted(contents)}")
        matrix = next(iter(matrices.values()))
    else:
        matrix = np.load(path, allow_pickle=False)
    matrix = np.array(matrix, dtype=float)
    if matrix.ndim != 2:
        raise InputError(f"{path}: expected a channels x vertices matrix, found shape {matrix.shape}")
    matrix.flags.writeable = False
    return matrix


@cache
def _read_sensor_labels(path: Path) -> tuple[str, ...]:
    """First column of a tvb-data sensor file (``label x y z`` per line, optionally bz2)."""
    raw = path.read_bytes()
    text = (bz2.decompress(raw) if path.suffix == ".bz2" else raw).decode()
    rows = [line.split() for line in text.splitlines() if line.strip()]
    if any(len(row) < 4 for row in rows):
        raise InputError(f"{path}: expected 'label x y z' on every line")
    return tuple(row[0] for row in rows)


@cache
def _read_mapping(path: Path) -> np.ndarray:
    values = np.loadtxt(path, ndmin=1)
    if values.ndim != 1 or not np.isfinite(values).all() or (values != np.round(values)).any() or (values < 0).any():
        raise InputError(f"{path}: expected one non-negative integer region index per vertex")
    mapping = values.astype(np.int64)
    mapping.flags.writeable = False
    return mapping


def _check_choice(value, table: dict, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or int(value) not in table:
        raise InputError(f"EEG lead field: {what} must be one of {sorted(table)} (the tvb-data files that exist), "
                         f"found {value!r}")
    return int(value)


def _montage(n_channels: int):
    """(usable projection rows, their labels, file path) of one montage."""
    n_channels = _check_choice(n_channels, EEG_MONTAGES, "n_channels")
    matrix_file, sensor_file = EEG_MONTAGES[n_channels]
    matrix_path = _existing(matrix_file)
    matrix = _read_projection(matrix_path)
    labels = _read_sensor_labels(_existing(sensor_file))
    if matrix.shape[0] != len(labels) or matrix.shape[0] != n_channels:
        raise InputError(f"{matrix_path}: expected {n_channels} rows, one per label of {sensor_file}, "
                         f"found {matrix.shape[0]} rows and {len(labels)} labels")
    usable = np.isfinite(matrix).all(axis=1)
    partial = ~usable & np.isfinite(matrix).any(axis=1)
    if partial.any():
        raise InputError(f"{matrix_path}: channels {[labels[i] for i in np.nonzero(partial)[0]]} are partly "
                         f"non-finite (only all-NaN channels are dropped)")
    return matrix[usable], tuple(label for label, ok in zip(labels, usable) if ok), matrix_path


def eeg_channel_labels(n_channels: int = 65) -> tuple[str, ...]:
    """Labels of the usable channels of a montage, in the row order of :func:`region_lead_field`.

    65 -> 63 labels (IO1 and IO2 have no lead field); 62 -> 62 labels.
    """
    return _montage(n_channels)[1]


def surface_region_mapping(n_regions: int, n_vertices: int = 16384) -> np.ndarray:
    """Region index (0 .. n_regions - 1) of each of the ``n_vertices`` surface vertices.

    Entries beyond the surface (192 regions: one pseudo-vertex per subcortical region) are
    accepted only if they name regions that own no surface vertex, and are dropped.
    """
    n_regions = _check_choice(n_regions, REGION_MAPPINGS, "n_regions")
    path = _existing(REGION_MAPPINGS[n_regions])
    mapping = _read_mapping(path)
    if mapping.size < n_vertices:
        raise InputError(f"{path}: expected at least {n_vertices} entries (one per surface vertex), "
                         f"found {mapping.size}")
    surface, extra = mapping[:n_vertices], mapping[n_vertices:]
    if np.isin(extra, surface).any():
        raise InputError(f"{path}: the {extra.size} entries after the {n_vertices} surface vertices must be "
                         f"regions without surface vertices (subcortical pseudo-vertices); some are not")
    if mapping.max() >= n_regions:
        raise InputError(f"{path}: region indices must lie in 0..{n_regions - 1}, found {mapping.max()}")
    return np.array(surface)


def region_lead_field(n_regions: int, n_channels: int = 65, reference: str | None = None) -> np.ndarray:
    """Region lead field (usable channels x regions) of a tvb-data EEG montage.

    Parameters
    ----------
    n_regions : 76 or 192, the tvb-data connectivity the simulation runs on
    n_channels : 65 (Brainstorm cap; 63 usable channels) or 62 (10-10 cap)
    reference : None (as shipped, reference-free) or "average" (common average reference)

    Returns
    -------
    ndarray (n_usable_channels, n_regions), float: column r is the sum of the projection
    matrix's columns over region r's vertices (zero for regions without vertices, i.e. the
    116 subcortical regions of the 192-region connectivity); rows are labelled by
    :func:`eeg_channel_labels`. Arbitrary units (module docstring).
    """
    if reference not in REFERENCES:
        raise InputError(f"EEG lead field: reference must be one of {list(REFERENCES)}, found {reference!r}")
    projection, _, path = _montage(n_channels)
    mapping = surface_region_mapping(n_regions, n_vertices=projection.shape[1])
    lead_field = np.zeros((projection.shape[0], _check_choice(n_regions, REGION_MAPPINGS, "n_regions")))
    np.add.at(lead_field.T, mapping, projection.T)  # add each vertex's column into its region's column
    if reference == "average":
        lead_field -= lead_field.mean(axis=0, keepdims=True)
    if not np.isfinite(lead_field).all():
        raise InputError(f"{path}: region lead field is not finite")
    return lead_field


class EegSink:
    """Streaming EEG forward model for :func:`fwbm_bench.simulate.simulate`'s ``sinks``.

    Each chunk (n_steps, n_outputs, N, B) of simulator outputs is reduced to the chosen
    output (N regions), averaged over blocks of ``decimate`` consecutive samples (a boxcar,
    like the integrator's own output averaging; a partial block waits for the next chunk)
    and projected through the lead field. Memory grows only with the stored EEG,
    n_channels x n_samples x B floats.

    Parameters
    ----------
    lead_field : (n_channels, N) array, e.g. ``region_lead_field(76)``
    input_period_ms : sampling period of the chunks, the simulation's ``output_period_ms``
    output_index : position of the EEG-ready variable in the model's ``output_variables``
        (Jansen-Rit: ``output_variables.index("y1_minus_y2")`` = 0, the pyramidal membrane
        potential in mV)
    decimate : EEG sampling period = ``decimate * input_period_ms``
    """

    def __init__(self, lead_field, input_period_ms: float, output_index: int = 0, decimate: int = 1):
        lead_field = np.array(lead_field, dtype=float)
        if lead_field.ndim != 2 or 0 in lead_field.shape or not np.isfinite(lead_field).all():
            raise InputError(f"EEG sink: lead field must be a finite channels x regions matrix, "
                             f"found shape {lead_field.shape}")
        if not (np.isfinite(input_period_ms) and input_period_ms > 0):
            raise ConfigError(f"EEG sink: input_period_ms must be a positive number, found {input_period_ms}")
        if isinstance(decimate, bool) or not isinstance(decimate, (int, np.integer)) or decimate < 1:
            raise ConfigError(f"EEG sink: decimate must be an integer >= 1, found {decimate!r}")
        if isinstance(output_index, bool) or not isinstance(output_index, (int, np.integer)) or output_index < 0:
            raise ConfigError(f"EEG sink: output_index must be a non-negative integer, found {output_index!r}")
        self.lead_field = lead_field
        self.input_period_ms = float(input_period_ms)
        self.output_index = int(output_index)
        self.decimate = int(decimate)
        self._pending = None  # (k < decimate, N, B) samples of the block in progress
        self._samples = []  # (n_channels, n, B) per chunk

    @property
    def sampling_period_ms(self) -> float:
        """Sampling period of :meth:`eeg`, in ms."""
        return self.input_period_ms * self.decimate

    def __call__(self, chunk: np.ndarray) -> None:
        chunk = np.asarray(chunk)
        n_regions = self.lead_field.shape[1]
        if chunk.ndim != 4 or chunk.shape[1] <= self.output_index or chunk.shape[2] != n_regions:
            raise InputError(f"EEG sink: expected chunks (n_steps, n_outputs > {self.output_index}, "
                             f"{n_regions} regions, batch), found shape {chunk.shape}")
        activity = chunk[:, self.output_index]
        if self._pending is not None:
            if self._pending.shape[1:] != activity.shape[1:]:
                raise InputError(f"EEG sink: batch size changed between chunks ({self._pending.shape[2]} -> "
                                 f"{activity.shape[2]})")
            activity = np.concatenate([self._pending, activity])
        n_blocks = activity.shape[0] // self.decimate
        used = n_blocks * self.decimate
        self._pending = np.array(activity[used:])
        if n_blocks:
            blocks = activity[:used].reshape((n_blocks, self.decimate) + activity.shape[1:]).mean(axis=1)
            self._samples.append(np.einsum("cn,tnb->ctb", self.lead_field, blocks))

    def eeg(self) -> np.ndarray:
        """EEG so far, shape (n_channels, n_samples, B), sampled every ``sampling_period_ms``."""
        if not self._samples:
            batch = self._pending.shape[2] if self._pending is not None else 0
            return np.zeros((self.lead_field.shape[0], 0, batch))
        return np.concatenate(self._samples, axis=1)


__all__ = [
    "EEG_MONTAGES",
    "REGION_MAPPINGS",
    "EegSink",
    "eeg_channel_labels",
    "region_lead_field",
    "surface_region_mapping",
    "tvb_data_dir",
]
