"""Working memory: delayed response with two cue identities (Funahashi et al. 1989).

Each trial: ``fixation_ms``, then a cue of one of two identities for ``cue_ms`` on the input
regions (the task's two alternatives, :mod:`fwbm_bench.tasks.trials`), then a delay. The cue
identity is decoded from the readout regions' ``task_readout`` output averaged over the last
``window_ms`` of each delay (cross-validated shrinkage LDA, folds stratified by identity). All
delays are read from one batched simulation that runs to the end of the longest: the delay
length changes only when the response is asked for, not what happens before it.

Reported: accuracy per delay, and a persistence index of the delay activity: the readout
regions' mean cue selectivity (|difference of the identities' mean activity| / pooled SD, a
d') in the last window of the longest delay over the one right after the cue ends (1: the
delay activity keeps the cue as well as the cue itself did; 0: it is lost).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fwbm_bench.errors import ConfigError
from fwbm_bench.seeding import derive_seed
from fwbm_bench.tasks.readout import cross_validated_predictions
from fwbm_bench.tasks.trials import contract_regions, run_trials, signed_stimulus

OUTPUT_PERIOD_MS = 10.0


def cue_selectivity(window_activity: np.ndarray, identity: np.ndarray) -> float:
    """Mean over regions of |mean_0 - mean_1| / pooled SD for (trials, regions) activity."""
    first, second = window_activity[identity == 0], window_activity[identity == 1]
    pooled = np.sqrt(0.5 * (first.var(axis=0, ddof=1) + second.var(axis=0, ddof=1)))
    difference = np.abs(first.mean(axis=0) - second.mean(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.nanmean(np.where(pooled > 0, difference / pooled, np.nan)))


@dataclass(frozen=True)
class WorkingMemoryTask:
    name: str = "working_memory"
    description: str = ("delayed response: a 0.5 s cue of one of two identities, delays of 1, 3 and 6 s; "
                        "cue identity decoded at the end of each delay")
    delays_ms: tuple = (1000.0, 3000.0, 6000.0)
    trials_per_cue: int = 20
    fixation_ms: float = 500.0
    cue_ms: float = 500.0
    window_ms: float = 500.0
    stimulus_current_nA: float = 0.02
    n_folds: int = 5
    citation: str = "Funahashi, Bruce & Goldman-Rakic 1989, J Neurophysiol 61:331; Mejias & Wang 2022, eLife 11:e72136"

    def __post_init__(self):
        if self.trials_per_cue < self.n_folds:
            raise ConfigError(f"task '{self.name}': trials_per_cue ({self.trials_per_cue}) must be at least "
                              f"n_folds ({self.n_folds})")
        delays = np.asarray(self.delays_ms, dtype=float)
        if delays.size < 2 or np.any(np.diff(delays) <= 0) or delays[0] < self.window_ms:
            raise ConfigError(f"task '{self.name}': delays_ms must be two or more increasing delays of at least "
                              f"window_ms = {self.window_ms} ms, found {self.delays_ms}")
        for key in ("fixation_ms", "cue_ms", "window_ms"):
            value = getattr(self, key)
            if value <= 0 or abs(value / OUTPUT_PERIOD_MS - round(value / OUTPUT_PERIOD_MS)) > 1e-9:
                raise ConfigError(f"task '{self.name}': {key} must be a positive multiple of {OUTPUT_PERIOD_MS} ms, "
                                  f"found {value}")

    def run(self, model, connectome, params: dict, *, seed_parts: tuple, dt_ms: float,
            conduction_speed_m_per_s: float) -> dict:
        identity = np.repeat([0, 1], self.trials_per_cue)
        inputs, readout = contract_regions(connectome)
        cue_on, cue_off = self.fixation_ms, self.fixation_ms + self.cue_ms
        signed = np.where(identity == 0, 1.0, -1.0)
        stimulus, trial_params = signed_stimulus(model, connectome, inputs, [[cue_on, cue_off]], signed[None, :],
                                                 self.stimulus_current_nA)
        activity = run_trials(model, connectome, params, trial_params, stimulus,
                              duration_ms=cue_off + max(self.delays_ms), seed_parts=seed_parts, dt_ms=dt_ms,
                              conduction_speed_m_per_s=conduction_speed_m_per_s, output_period_ms=OUTPUT_PERIOD_MS,
                              variables=[model.task_readout], regions=readout, label=f"task {self.name}")[:, 0]

        def window(end_ms):  # (trials, regions): mean over the window ending at end_ms
            last = round(end_ms / OUTPUT_PERIOD_MS)
            return activity[last - round(self.window_ms / OUTPUT_PERIOD_MS):last].mean(axis=0).T

        accuracy = []
        for k, delay in enumerate(self.delays_ms):
            predicted = cross_validated_predictions(window(cue_off + delay), identity, identity, self.n_folds,
                                                    seed=derive_seed(*seed_parts, "decoder", k))
            accuracy.append(float(np.mean(predicted == identity)))
        early = cue_selectivity(window(cue_off + self.window_ms), identity)
        late = cue_selectivity(window(cue_off + max(self.delays_ms)), identity)
        persistence = float(np.clip(late / early, 0.0, None)) if early > 0 else float("nan")
        score = float(np.mean(np.clip(2.0 * (np.array(accuracy) - 0.5), 0.0, 1.0)))
        return {
            "delays_ms": list(self.delays_ms),
            "accuracy": accuracy,
            "cue_selectivity_after_cue": early,
            "cue_selectivity_end_of_delay": late,
            "persistence_index": persistence,
            "n_trials": int(identity.size),
            "input_regions": [connectome.labels[i] for i in inputs],
            "readout_regions": [connectome.labels[i] for i in readout],
            "scores": {"wm_accuracy": score},
            "curves": {"wm_accuracy": {"dim": "wm_delay_ms", "coords": list(self.delays_ms), "values": accuracy}},
        }
