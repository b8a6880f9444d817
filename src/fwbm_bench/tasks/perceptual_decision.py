"""Perceptual decision making: random-dot motion, reaction-time design (Roitman & Shadlen 2002).

Each trial: ``fixation_ms`` without input, then motion until a response or ``max_stimulus_ms``
(2 s, as in the monkeys' task). All trials run to the end in one batched call; the response
only ends the trial for the readouts, which read activity up to their decision time. The
two motion directions are the task's two alternatives (:mod:`fwbm_bench.tasks.trials`: two
hemispheric input channels, or the selective pools' coherence). Behaviour is read out twice:

- *decoded*: per-bin decoders on the readout regions' ``task_readout`` output, evidence
  accumulated to a bound chosen on training trials (:func:`tasks.readout.decoded_decisions`);
- *intrinsic* (models with ``choice_outputs``): the readout regions' mean rates of the two
  selective populations, 15 Hz crossing + 100 ms (Wong & Wang 2006).

Representations: the 12 conditions' mean readout-region activity over the stimulus period
gives an RDM, compared with graded-evidence and choice hypotheses
(:func:`representational_similarity`); stored, not scored.

Scores (against Roitman & Shadlen's 6149 trials) use the decoded readout, the one every
entry has; the intrinsic one is stored and reported next to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fwbm_bench.data.behaviour import roitman_shadlen_2002
from fwbm_bench.errors import ConfigError, InputError
from fwbm_bench.metrics.behaviour import chronometric_score, psychometric_score, weibull_fit
from fwbm_bench.seeding import derive_seed
from fwbm_bench.tasks.readout import Decisions, decoded_decisions, intrinsic_decisions
from fwbm_bench.tasks.trials import binned, contract_regions, run_trials, signed_stimulus

ROITMAN_SHADLEN_COHERENCES_PCT = (0.0, 3.2, 6.4, 12.8, 25.6, 51.2)
OUTPUT_PERIOD_MS = 5.0  # readout resolution; the integration step must divide it


def behaviour_summary(decisions: Decisions, coherence_pct: np.ndarray, direction: np.ndarray,
                      levels=ROITMAN_SHADLEN_COHERENCES_PCT) -> dict:
    """Per coherence: p(correct), mean correct RT, fraction undecided; Weibull fit; scores vs R&S.

    An undecided trial (no bound or threshold crossed by the end of the stimulus) counts as a
    guess at the deadline: half a correct trial. At 0 % every decided trial enters the RT.
    """
    decided = decisions.choice >= 0
    correct = decided & (decisions.choice == direction)
    credit = correct + 0.5 * ~decided
    p_correct, mean_rt, undecided, n_correct, n_trials = [], [], [], [], []
    for level in levels:
        trials = coherence_pct == level
        p_correct.append(float(credit[trials].mean()))
        n_correct.append(float(credit[trials].sum()))
        n_trials.append(int(trials.sum()))
        undecided.append(float((~decided[trials]).mean()))
        timed = trials & (correct if level > 0 else decided)
        mean_rt.append(float(decisions.rt_ms[timed].mean()) if timed.any() else float("nan"))
    data = roitman_shadlen_2002("pooled")
    model_p = np.interp(data["coherence_pct"], levels, p_correct)
    model_rt = np.interp(data["coherence_pct"], levels, mean_rt)
    alpha, beta = weibull_fit(levels, n_correct, n_trials)
    try:
        chronometric, offset = chronometric_score(model_rt, data["mean_rt_correct_ms"])
    except InputError:  # fewer than three coherences with a correct decision
        chronometric, offset = float("nan"), float("nan")
    return {
        "p_correct": p_correct,
        "mean_rt_correct_ms": mean_rt,
        "fraction_undecided": undecided,
        "weibull_alpha_pct": alpha,
        "weibull_beta": beta,
        "psychometric_score": psychometric_score(model_p, data["n_correct"], data["n_trials"]),
        "chronometric_r2": chronometric,
        "chronometric_offset_ms": offset,
    }


def representational_similarity(patterns: np.ndarray, signed_coherence_pct: np.ndarray) -> dict:
    """RSA of condition patterns (conditions, regions) against two hypotheses.

    The RDM is 1 - Pearson r between conditions' readout-region patterns (Kriegeskorte et al.
    2008, Front Syst Neurosci 2:4); it is compared with a graded-evidence RDM |c_i - c_j| of
    the signed coherences and a choice RDM (0: same direction, 1: opposite) by the Spearman
    correlation of their upper triangles (Nili et al. 2014, PLoS Comput Biol 10:e1003553).
    """
    from scipy.stats import spearmanr

    rdm = 1.0 - np.corrcoef(patterns)
    upper = np.triu_indices(len(patterns), 1)
    graded = np.abs(signed_coherence_pct[:, None] - signed_coherence_pct[None, :])
    side = np.sign(signed_coherence_pct)
    choice = (side[:, None] * side[None, :] < 0).astype(float)
    similarity = {}
    for name, hypothesis in (("graded_coherence", graded), ("choice", choice)):
        rho = spearmanr(rdm[upper], hypothesis[upper])[0] if np.isfinite(rdm[upper]).all() else np.nan
        similarity[name] = float(rho)
    return {"rdm": np.round(rdm, 6).tolist(), "rdm_vs_graded_coherence": similarity["graded_coherence"],
            "rdm_vs_choice": similarity["choice"]}


@dataclass(frozen=True)
class PerceptualDecisionTask:
    name: str = "perceptual_decision"
    description: str = ("random-dot motion discrimination, reaction-time design, 6 coherences x 2 directions; "
                        "decoded and intrinsic choices and RTs")
    coherences_pct: tuple = ROITMAN_SHADLEN_COHERENCES_PCT
    trials_per_condition: int = 20
    fixation_ms: float = 500.0
    max_stimulus_ms: float = 2000.0
    stimulus_current_nA: float = 0.02
    bin_ms: float = 50.0
    n_folds: int = 5
    citation: str = "Roitman & Shadlen 2002, J Neurosci 22:9475; Wong & Wang 2006, J Neurosci 26:1314"

    def __post_init__(self):
        if self.trials_per_condition < self.n_folds:
            raise ConfigError(
                f"task '{self.name}': trials_per_condition ({self.trials_per_condition}) must be at least "
                f"n_folds ({self.n_folds}), so every cross-validation fold sees every condition"
            )
        if self.max_stimulus_ms <= 0 or self.fixation_ms < 0:
            raise ConfigError(f"task '{self.name}': max_stimulus_ms must be > 0 and fixation_ms >= 0")
        if tuple(self.coherences_pct) != ROITMAN_SHADLEN_COHERENCES_PCT:
            raise ConfigError(
                f"task '{self.name}': coherences_pct must be Roitman & Shadlen's {ROITMAN_SHADLEN_COHERENCES_PCT} "
                f"(the data it is scored against), found {tuple(self.coherences_pct)}"
            )
        if self.bin_ms <= 0 or abs(self.bin_ms / OUTPUT_PERIOD_MS - round(self.bin_ms / OUTPUT_PERIOD_MS)) > 1e-9:
            raise ConfigError(f"task '{self.name}': bin_ms must be a positive multiple of {OUTPUT_PERIOD_MS} ms, "
                              f"found {self.bin_ms}")

    def conditions(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-trial coherence (%) and direction (0/1), condition-major order."""
        coherence = np.repeat(np.array(self.coherences_pct), 2 * self.trials_per_condition)
        direction = np.tile(np.repeat([0, 1], self.trials_per_condition), len(self.coherences_pct))
        return coherence, direction

    def run(self, model, connectome, params: dict, *, seed_parts: tuple, dt_ms: float,
            conduction_speed_m_per_s: float) -> dict:
        """Simulate every trial in one batched call; read out choices and RTs both ways."""
        coherence, direction = self.conditions()
        inputs, readout = contract_regions(connectome)
        onset = self.fixation_ms
        signed = np.where(direction == 0, 1.0, -1.0) * coherence / 100.0
        stimulus, trial_params = signed_stimulus(model, connectome, inputs, [[onset, onset + self.max_stimulus_ms]],
                                                 signed[None, :], self.stimulus_current_nA)
        variables = list(dict.fromkeys([model.task_readout, *model.choice_outputs]))  # r_1 may be both
        activity = run_trials(model, connectome, params, trial_params, stimulus,
                              duration_ms=onset + self.max_stimulus_ms, seed_parts=seed_parts, dt_ms=dt_ms,
                              conduction_speed_m_per_s=conduction_speed_m_per_s, output_period_ms=OUTPUT_PERIOD_MS,
                              variables=variables, regions=readout, label=f"task {self.name}")
        after_onset = activity[round(onset / OUTPUT_PERIOD_MS):]  # (samples, variables, regions, trials)
        strata = np.searchsorted(np.array(self.coherences_pct), coherence) * 2 + direction
        readout_activity = after_onset[:, 0]  # (samples, regions, trials) of model.task_readout
        evidence = binned(readout_activity, round(self.bin_ms / OUTPUT_PERIOD_MS)).transpose(0, 2, 1)
        decoded = decoded_decisions(evidence, direction, strata, self.bin_ms, self.n_folds,
                                    seed=derive_seed(*seed_parts, "decoder"))
        result = {
            "coherence_pct": list(self.coherences_pct),
            "n_trials_per_coherence": 2 * self.trials_per_condition,
            "input_regions": [connectome.labels[i] for i in inputs],
            "readout_regions": [connectome.labels[i] for i in readout],
            "scored_readout": "decoded",
            "decoded": behaviour_summary(decoded, coherence, direction),
            "intrinsic": None,
        }
        if model.choice_outputs:
            rate_1, rate_2 = (after_onset[:, variables.index(name)].mean(axis=1)  # readout-region mean
                              for name in model.choice_outputs)
            intrinsic = intrinsic_decisions(rate_1, rate_2, OUTPUT_PERIOD_MS)
            result["intrinsic"] = behaviour_summary(intrinsic, coherence, direction)
        conditions = [(c, d) for c in self.coherences_pct for d in (0, 1)]
        patterns = np.array([readout_activity[:, :, (coherence == c) & (direction == d)].mean(axis=(0, 2))
                             for c, d in conditions])
        condition_coherence = np.array([c if d == 0 else -c for c, d in conditions])
        result["rsa"] = {"conditions": [f"{c:g}% direction {d}" for c, d in conditions],
                         **representational_similarity(patterns, condition_coherence)}
        scored = result["decoded"]
        result["scores"] = {"psychometric_loglik": scored["psychometric_score"],
                            "chronometric_r2": scored["chronometric_r2"]}
        missing = [float("nan")] * len(self.coherences_pct)
        result["curves"] = {
            f"{source}_{name}": {"dim": "coherence_pct", "coords": list(self.coherences_pct),
                                 "values": result[source][name] if result[source] else missing}
            for source in ("decoded", "intrinsic") for name in ("p_correct", "mean_rt_correct_ms")
        }
        return result
