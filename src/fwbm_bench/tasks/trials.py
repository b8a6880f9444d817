"""What every task shares: stimuli on the contract's input regions, and batched trials.

Two ways a stimulus reaches a model (``NodeModel.stimulus_parameter``):

- *current* (most models): the two alternatives of a task are two input channels, the
  input regions of the left hemisphere (channel 0) and of the right (channel 1). A signed
  strength s in [-1, 1] drives channel 0 with ``current (1 + s)`` and channel 1 with
  ``current (1 - s)`` (the input construction of Wong & Wang 2006, split across hemispheres);
- *gate*: models with selective populations (Wong-Wang circuits) take the stimulus as a
  0/1 gate on every input region and its signed strength (in %) as a parameter, so each
  input region's two pools see ``mu_0 (1 +- c / 100)``, as in the paper.

Trials run as one batch: one batch element per trial, each with its own seed.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench.errors import InputError
from fwbm_bench.seeding import derive_seed
from fwbm_bench.simulate import Stimulus, simulate
from fwbm_bench.tasks.contracts import hemisphere_of, select_regions


def contract_regions(connectome) -> tuple[list[int], list[int]]:
    """(input, readout) region indices of the task contract for this connectome's atlas."""
    return (select_regions(connectome.labels, connectome.hemispheres, "input"),
            select_regions(connectome.labels, connectome.hemispheres, "readout"))


def signed_stimulus(model, connectome, inputs, windows_ms, signed_strength, current_nA: float):
    """Stimulus and per-trial parameters for pulses of signed strength.

    ``windows_ms`` (K, 2) [on, off) in ms; ``signed_strength`` (K, trials) in [-1, 1] (+1
    favours alternative 0). Returns (Stimulus, extra parameters {name: (trials,)}); with a
    gate model every pulse must carry the same strength per trial (one parameter value).
    """
    strength = np.atleast_2d(np.asarray(signed_strength, dtype=float))
    windows = np.atleast_2d(np.asarray(windows_ms, dtype=float))
    n_pulses, n_trials = strength.shape
    if windows.shape != (n_pulses, 2):
        raise InputError(f"task stimulus: {n_pulses} pulse strengths but windows of shape {windows.shape}")
    amplitudes = np.zeros((n_pulses, connectome.n_regions, n_trials))
    if model.stimulus_parameter:
        if n_pulses > 1 and not np.allclose(strength, strength[:1]):
            raise InputError(f"model '{model.name}' takes one stimulus strength per trial; the task gave several")
        amplitudes[:, inputs] = 1.0
        return Stimulus(windows, amplitudes), {model.stimulus_parameter: 100.0 * strength[0]}
    channel_sign = np.array([1.0 if hemisphere_of(connectome.labels[i], connectome.hemispheres[i]) == "L" else -1.0
                             for i in inputs])
    for k, region in enumerate(inputs):
        amplitudes[:, region] = current_nA * (1.0 + channel_sign[k] * strength)
    return Stimulus(windows, amplitudes), {}


def run_trials(model, connectome, params: dict, trial_params: dict, stimulus: Stimulus, *, duration_ms: float,
               seed_parts: tuple, dt_ms: float, conduction_speed_m_per_s: float, output_period_ms: float,
               variables, regions, label: str) -> np.ndarray:
    """Simulate every trial in one batched call; keep only ``variables`` in ``regions``.

    ``params``: the entry's (scalar) parameters; ``trial_params``: per-trial arrays. Returns
    (samples, len(variables), len(regions), trials), sampled every ``output_period_ms``.
    """
    n_trials = stimulus.amplitudes.shape[2]
    seeds = np.array([derive_seed(*seed_parts, "trial", k) for k in range(n_trials)])
    batch = {name: np.full(n_trials, float(value)) for name, value in params.items()}
    batch.update({name: np.asarray(values, dtype=float) for name, values in trial_params.items()})
    indices = [model.output_variables.index(v) for v in variables]
    kept = []
    # bound each chunk of outputs (all outputs, regions and trials) to ~64 MB
    samples_per_chunk = max(1, int(64e6 / (8 * len(model.output_variables) * connectome.n_regions * n_trials)))

    def keep(chunk):  # (steps, outputs, regions, trials): drop what the task does not read
        kept.append(chunk[:, indices][:, :, regions])

    simulate(model, connectome.weights, connectome.tract_lengths_mm, batch, duration_ms=duration_ms,
             seeds=seeds, dt_ms=model.integration_step_ms(dt_ms), conduction_speed_m_per_s=conduction_speed_m_per_s,
             output_period_ms=output_period_ms, stimulus=stimulus, sinks=[keep], keep_outputs=False,
             chunk_ms=min(1000.0, samples_per_chunk * output_period_ms), label=label)
    return np.concatenate(kept)


def binned(samples: np.ndarray, per_bin: int) -> np.ndarray:
    """Means over consecutive groups of ``per_bin`` samples along axis 0 (a trailing part is dropped)."""
    n_bins = samples.shape[0] // per_bin
    return samples[:n_bins * per_bin].reshape((n_bins, per_bin) + samples.shape[1:]).mean(axis=1)
