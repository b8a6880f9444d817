"""Memory capacity: how much of its recent input a network's readout regions keep (Jaeger 2001).

A random signal u_n, i.i.d. uniform on [-1, 1] and held for ``bin_ms`` per value, drives every
input region (a current ``input_current_nA u_n``; for models with a gated stimulus, the gate
(1 + u_n) / 2 at zero coherence). Linear readouts of the readout regions' ``task_readout``
output, averaged per bin, reconstruct u_(n-k) for lags k = 0 .. ``n_lags`` - 1; r^2_k is the
fraction of the input's variance the least-squares reconstruction explains (adjusted for the
number of regressors, :func:`lagged_r2`), and the capacity is sum_k r^2_k (at most the number of readout regions
for a linear network; Jaeger 2001, GMD Report 152; used on connectomes by Suarez et al. 2021,
Nat Mach Intell 3:536).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fwbm_bench.errors import ConfigError
from fwbm_bench.seeding import derive_seed
from fwbm_bench.simulate import Stimulus
from fwbm_bench.tasks.trials import contract_regions, run_trials


def lagged_r2(features: np.ndarray, signal: np.ndarray, n_lags: int) -> np.ndarray:
    """r^2_k, k = 0 .. n_lags - 1: how much of u_(n-k)'s variance a least-squares readout of
    ``features`` (bins, regions) plus an intercept explains, as Ezekiel's adjusted R^2
    1 - (1 - R^2)(T - 1)/(T - p - 1), which removes the chance fit of p regressors to T bins
    (p / T per lag, summed over lags otherwise); clipped at 0."""
    n_bins, n_features = features.shape
    design = np.column_stack([features[n_lags:], np.ones(n_bins - n_lags)])
    n_samples = design.shape[0]
    # column k: u_(n-k) for bins n = n_lags .. n_bins - 1
    targets = np.column_stack([signal[n_lags - k:n_bins - k] for k in range(n_lags)])
    coefficients, *_ = np.linalg.lstsq(design, targets, rcond=None)
    explained = 1.0 - (targets - design @ coefficients).var(axis=0) / targets.var(axis=0)
    return np.maximum(0.0, 1.0 - (1.0 - explained) * (n_samples - 1) / (n_samples - n_features - 1))


@dataclass(frozen=True)
class MemoryCapacityTask:
    name: str = "memory_capacity"
    description: str = ("random input into the input regions; linear readouts of the readout regions "
                        "reconstruct the input k bins ago; capacity = sum_k r^2_k")
    bin_ms: float = 50.0
    n_bins: int = 2000
    washout_bins: int = 100
    n_lags: int = 40
    input_current_nA: float = 0.02
    citation: str = "Jaeger 2001, GMD Report 152; Suarez et al. 2021, Nat Mach Intell 3:536"

    def __post_init__(self):
        if self.n_lags < 1 or self.n_bins < 10 * (self.n_lags + 20) or self.washout_bins < 0:
            raise ConfigError(f"task '{self.name}': needs n_lags >= 1, washout_bins >= 0 and n_bins >= "
                              f"10 (n_lags + 20); found n_lags {self.n_lags}, n_bins {self.n_bins}, "
                              f"washout_bins {self.washout_bins}")
        if self.bin_ms <= 0:
            raise ConfigError(f"task '{self.name}': bin_ms must be positive, found {self.bin_ms}")

    def input_signal(self, seed: int) -> np.ndarray:
        """u_n for the washout and the scored bins, uniform on [-1, 1]."""
        return np.random.default_rng(seed).uniform(-1.0, 1.0, self.washout_bins + self.n_bins)

    def stimulus(self, model, connectome, inputs, signal) -> tuple[Stimulus, dict]:
        starts = np.arange(len(signal)) * self.bin_ms
        windows = np.column_stack([starts, starts + self.bin_ms])
        amplitudes = np.zeros((len(signal), connectome.n_regions, 1))
        if model.stimulus_parameter:  # a 0/1 gate: drive both pools by (1 + u) / 2, no coherence
            amplitudes[:, inputs, 0] = 0.5 * (1.0 + signal)[:, None]
            return Stimulus(windows, amplitudes), {model.stimulus_parameter: np.zeros(1)}
        amplitudes[:, inputs, 0] = self.input_current_nA * signal[:, None]
        return Stimulus(windows, amplitudes), {}

    def run(self, model, connectome, params: dict, *, seed_parts: tuple, dt_ms: float,
            conduction_speed_m_per_s: float) -> dict:
        inputs, readout = contract_regions(connectome)
        signal = self.input_signal(derive_seed(*seed_parts, "input"))
        stimulus, trial_params = self.stimulus(model, connectome, inputs, signal)
        activity = run_trials(model, connectome, params, trial_params, stimulus,
                              duration_ms=len(signal) * self.bin_ms, seed_parts=seed_parts, dt_ms=dt_ms,
                              conduction_speed_m_per_s=conduction_speed_m_per_s, output_period_ms=self.bin_ms,
                              variables=[model.task_readout], regions=readout, label=f"task {self.name}")
        features = activity[self.washout_bins:, 0, :, 0]  # (bins, readout regions): one sample per bin
        r2 = lagged_r2(features, signal[self.washout_bins:], self.n_lags)
        capacity = float(r2.sum())
        return {
            "lags_ms": [k * self.bin_ms for k in range(self.n_lags)],
            "r2": r2.tolist(),
            "capacity": capacity,
            "n_readout_regions": len(readout),
            "input_regions": [connectome.labels[i] for i in inputs],
            "readout_regions": [connectome.labels[i] for i in readout],
            "scores": {"memory_capacity_fraction": capacity / self.n_lags},
            "curves": {"memory_r2": {"dim": "memory_lag_ms", "coords": [k * self.bin_ms for k in range(self.n_lags)],
                                     "values": r2.tolist()}},
        }
