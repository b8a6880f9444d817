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


def weibull_psychometric(coherence_pct, alpha_pct: float, beta: float) -> np.ndarray:
    """p(correct) = 1 - 0.5 exp(-(c / alpha)^beta), the form Roitman & Shadlen (2002) fit."""
    c = np.asarray(coherence_pct, dtype=float)
    return 1.0 - 0.5 * np.exp(-((c / alpha_pct) ** beta))


_WEIBULL_LOG_BOUNDS = [(np.log(1e-2), np.log(1e4)), (np.log(0.05), np.log(50.0))]  # alpha in %, beta


def weibull_fit(coherence_pct, n_correct, n_trials) -> tuple[float, float]:
    """Maximum-likelihood Weibull (alpha in %, beta) from counts per coherence; 0 % is excluded.

    The search is bounded to alpha in [0.01, 10^4] % and beta in [0.05, 50]: choices at chance
    give alpha = 10^4 % (no coherence in range is discriminated), not an overflow.

    On Roitman & Shadlen's pooled counts this gives alpha = 7.39 %, beta = 1.29
    (literature.md section 1; Wong & Wang 2006 quote 7.4 % and 1.3).
    """
    from scipy.optimize import minimize

    c = np.asarray(coherence_pct, dtype=float)
    k = np.asarray(n_correct, dtype=float)
    n = np.asarray(n_trials, dtype=float)
    keep = (c > 0) & (n > 0)
    if keep.sum() < 2:
        raise InputError("Weibull fit needs trials at two or more non-zero coherences")
    c, k, n = c[keep], k[keep], n[keep]

    def negative_log_likelihood(theta):
        alpha, beta = np.exp(theta)
        p = np.clip(weibull_psychometric(c, alpha, beta), _P_FLOOR, 1 - _P_FLOOR)
        return -float(np.sum(k * np.log(p) + (n - k) * np.log(1 - p)))

    # a box in log space: a curve at chance sends alpha towards infinity, where exp would overflow
    best = minimize(negative_log_likelihood, np.log([7.0, 1.3]), method="Nelder-Mead", bounds=_WEIBULL_LOG_BOUNDS,
                    options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000})
    alpha, beta = np.exp(best.x)
    return float(alpha), float(beta)


def chronometric_score(model_rt_ms, data_rt_ms) -> tuple[float, float]:
    """(R^2, offset in ms): how well the model's mean correct RT per coherence, shifted by one
    non-decision offset, explains the data's. The offset is the least-squares one,
    mean(data - model); R^2 = 1 - SS_res / SS_tot over coherences (1: same shape; <= 0: no
    better than a flat line). Coherences where the model made no correct choice are skipped."""
    model = np.asarray(model_rt_ms, dtype=float)
    data = np.asarray(data_rt_ms, dtype=float)
    if model.shape != data.shape:
        raise InputError("chronometric score needs one model RT per data coherence")
    keep = np.isfinite(model) & np.isfinite(data)
    if keep.sum() < 3:
        raise InputError("chronometric score needs mean RTs at three or more coherences")
    model, data = model[keep], data[keep]
    offset = float(np.mean(data - model))
    residual = data - (model + offset)
    total = data - data.mean()
    return float(1.0 - np.sum(residual**2) / np.sum(total**2)), offset
