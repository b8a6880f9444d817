"""Behavioural metrics against Roitman & Shadlen (2002)."""

from __future__ import annotations

import numpy as np

from fwbm_bench.errors import InputError

_P_FLOOR = 1e-6


def binomial_log_likelihood(n_correct, n_trials, p_correct) -> float:
    """Sum over conditions of log P(n_correct | n_trials, p) without the binomial constant."""
    p = np.clip(np.asarray(p_correct, dtype=float), _P_FLOOR, 1 - _P_FLOOR)
    k = np.asarray(n_correct, dtype=float)
    n = np.asarray(n_trials, dtype=float)
    return float(np.sum(k * np.log(p) + (n - k) * np.log(1 - p)))


def psychometric_score(model_p_correct, data_n_correct, data_n_trials) -> float:
    """Log-likelihood of the monkeys' counts under the model's p(correct | coherence).

    Normalised so that chance (p = 0.5 everywhere) scores 0 and the saturated model (the
    data's own proportions) scores 1; worse than chance is negative (clipped later by the
    scoring layer, which keeps the unclipped value).
    """
    model_p = np.asarray(model_p_correct, dtype=float)
    n_trials = np.asarray(data_n_trials, dtype=float)
    n_correct = np.asarray(data_n_correct, dtype=float)
    if not (model_p.shape == n_trials.shape == n_correct.shape):
        raise InputError("psychometric score needs one model probability per data coherence")
    if not np.isfinite(model_p).all():
        raise InputError("psychometric score: model p(correct) must be finite")
    chance = binomial_log_likelihood(n_correct, n_trials, np.full_like(model_p, 0.5))
    saturated = binomial_log_likelihood(n_correct, n_trials, n_correct / n_trials)
    model = binomial_log_likelihood(n_correct, n_trials, model_p)
    return float((model - chance) / (saturated - chance))
