"""Perceptual decision making: random-dot motion discrimination (Roitman & Shadlen 2002).

Each trial: ``fixation_ms`` without input, then ``stimulus_ms`` of motion. The two motion
directions are two input channels: the visual input regions of the left hemisphere
(channel 0) and of the right hemisphere (channel 1). Direction d at coherence c drives its
channel with ``mu (1 + c)`` and the other with ``mu (1 - c)`` (c as a fraction), the input
construction of Wong & Wang (2006). The decoded readout is each readout region's mean activity
over the stimulus period, in the output the model names as ``task_readout`` (r_E for rWW-EI); a cross-validated linear decoder predicts the
direction, and accuracy per coherence is the model's p(correct | coherence).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fwbm_bench.errors import ConfigError
from fwbm_bench.seeding import derive_seed
from fwbm_bench.simulate import Stimulus, simulate
from fwbm_bench.tasks.contracts import hemisphere_of, select_regions
from fwbm_bench.tasks.readout import cross_validated_predictions

ROITMAN_SHADLEN_COHERENCES_PCT = (0.0, 3.2, 6.4, 12.8, 25.6, 51.2)
OUTPUT_PERIOD_MS = 10.0  # readout resolution; the integration step must divide it


@dataclass(frozen=True)
class PerceptualDecisionTask:
    name: str = "perceptual_decision"
    description: str = "random-dot motion discrimination, 6 coherences x 2 directions, decoded choice"
    coherences_pct: tuple = ROITMAN_SHADLEN_COHERENCES_PCT
    trials_per_condition: int = 20
    fixation_ms: float = 500.0
    stimulus_ms: float = 1000.0
    stimulus_current_nA: float = 0.02
    n_folds: int = 5
    citation: str = "Roitman & Shadlen 2002, J Neurosci 22:9475; Wong & Wang 2006, J Neurosci 26:1314"

    def __post_init__(self):
        if self.trials_per_condition < self.n_folds:
            raise ConfigError(
                f"task '{self.name}': trials_per_condition ({self.trials_per_condition}) must be at least "
                f"n_folds ({self.n_folds}), so every cross-validation fold sees every condition"
            )
        if self.stimulus_ms <= 0 or self.fixation_ms < 0:
            raise ConfigError(f"task '{self.name}': stimulus_ms must be > 0 and fixation_ms >= 0")
        if tuple(self.coherences_pct) != ROITMAN_SHADLEN_COHERENCES_PCT:
            raise ConfigError(
                f"task '{self.name}': coherences_pct must be Roitman & Shadlen's {ROITMAN_SHADLEN_COHERENCES_PCT} "
                f"(the data it is scored against), found {tuple(self.coherences_pct)}"
            )

    def conditions(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-trial coherence (%) and direction (0/1), condition-major order."""
        coherence = np.repeat(np.array(self.coherences_pct), 2 * self.trials_per_condition)
        direction = np.tile(np.repeat([0, 1], self.trials_per_condition), len(self.coherences_pct))
        return coherence, direction

    def stimulus(self, connectome, coherence_pct, direction, inputs) -> Stimulus:
        """Input pulses for every trial; ``inputs`` are the contract's input region indices."""
        channel = np.array([0 if hemisphere_of(connectome.labels[i], connectome.hemispheres[i]) == "L" else 1
                            for i in inputs])
        n_trials = len(coherence_pct)
        amplitudes = np.zeros((1, connectome.n_regions, n_trials))
        signed = np.where(direction == 0, 1.0, -1.0) * np.asarray(coherence_pct) / 100.0
        for k, region in enumerate(inputs):
            sign = 1.0 if channel[k] == 0 else -1.0
            amplitudes[0, region] = self.stimulus_current_nA * (1.0 + sign * signed)
        windows = np.array([[self.fixation_ms, self.fixation_ms + self.stimulus_ms]])
        return Stimulus(windows_ms=windows, amplitudes=amplitudes)

    def run(self, model, connectome, params: dict, *, seed_parts: tuple, dt_ms: float,
            conduction_speed_m_per_s: float, output_period_ms: float = OUTPUT_PERIOD_MS) -> dict:
        """Simulate every trial in one batched call and decode the choice.

        Returns a dict with ``coherence_pct``, ``p_correct`` (per coherence), ``n_trials``.
        """
        coherence, direction = self.conditions()
        inputs = select_regions(connectome.labels, connectome.hemispheres, "input")
        readout = select_regions(connectome.labels, connectome.hemispheres, "readout")
        n_trials = len(coherence)
        seeds = np.array([derive_seed(*seed_parts, "trial", k) for k in range(n_trials)])
        batch_params = {name: np.full(n_trials, float(value)) for name, value in params.items()}
        outputs = simulate(
            model, connectome.weights, connectome.tract_lengths_mm, batch_params,
            duration_ms=self.fixation_ms + self.stimulus_ms, seeds=seeds, dt_ms=dt_ms,
            conduction_speed_m_per_s=conduction_speed_m_per_s, output_period_ms=output_period_ms,
            stimulus=self.stimulus(connectome, coherence, direction, inputs), label=f"task {self.name}",
        )
        first = round(self.fixation_ms / output_period_ms)
        variable = model.output_variables.index(model.task_readout)
        features = outputs[first:, variable][:, readout].mean(axis=0).T  # trials x regions
        strata = np.searchsorted(np.array(self.coherences_pct), coherence) * 2 + direction
        predicted = cross_validated_predictions(features, direction, strata, self.n_folds,
                                                seed=derive_seed(*seed_parts, "decoder"))
        correct = predicted == direction
        p_correct = [float(correct[coherence == c].mean()) for c in self.coherences_pct]
        return {
            "coherence_pct": list(self.coherences_pct),
            "p_correct": p_correct,
            "n_trials_per_coherence": 2 * self.trials_per_condition,
            "input_regions": [connectome.labels[i] for i in inputs],
            "readout_regions": [connectome.labels[i] for i in readout],
        }
