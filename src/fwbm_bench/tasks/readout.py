"""Readouts: how behaviour (choice, reaction time) is read out of simulated activity.

- *decoded*: linear decoders on readout-region activity, cross-validated with folds
  stratified by condition; per time bin, a decoder's log-odds is the momentary evidence, and
  the choice and RT come from its running sum crossing a bound chosen on training trials only;
- *intrinsic*: for models with two selective populations, choice = the first population
  whose smoothed rate crosses a threshold, RT = crossing time + a non-decision time
  (Wong & Wang 2006: 15 Hz, 50 ms windows, 100 ms).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fwbm_bench.errors import InputError

#: the decoded readout's bound must let at least this fraction of training trials commit in time
MIN_FRACTION_DECIDED = 0.95


def _standardised(train: np.ndarray, *others: np.ndarray):
    mean = train.mean(axis=0)
    sd = train.std(axis=0)
    sd[sd == 0] = 1.0
    return [(x - mean) / sd for x in (train, *others)]


def _ledoit_wolf_covariance(x: np.ndarray) -> np.ndarray:
    """Ledoit & Wolf (2004) shrunk covariance of (samples, features), toward mu I, computed on
    standardised features and scaled back (as scikit-learn's LDA does with shrinkage="auto")."""
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - x.mean(axis=0)) / scale
    n_samples, n_features = z.shape
    covariance = z.T @ z / n_samples
    mu = np.trace(covariance) / n_features
    squared = z**2
    beta = (np.sum(squared.T @ squared) / n_samples - np.sum(covariance**2)) / (n_features * n_samples)
    delta = (np.sum(covariance**2) - 2.0 * mu * np.trace(covariance) + n_features * mu**2) / n_features
    shrinkage = 0.0 if beta == 0 else min(beta, delta) / delta
    shrunk = (1.0 - shrinkage) * covariance + shrinkage * mu * np.eye(n_features)
    return scale[:, None] * shrunk * scale[None, :]


@dataclass(frozen=True)
class LinearDecoder:
    """Two-class shrinkage LDA: log-odds of class 1 = features @ coef + intercept."""

    coef: np.ndarray
    intercept: float

    @classmethod
    def fit(cls, features: np.ndarray, labels: np.ndarray) -> LinearDecoder:
        """Fit on (trials, features) and 0/1 labels: pooled class covariances, each shrunk by
        Ledoit-Wolf and weighted by the class prior (scikit-learn's ``LinearDiscriminantAnalysis
        (solver="lsqr", shrinkage="auto")``, the same numbers; tests/test_tasks.py)."""
        groups = [features[labels == k] for k in (0, 1)]
        priors = np.array([len(g) for g in groups], dtype=float) / len(labels)
        means = np.array([g.mean(axis=0) for g in groups])
        covariance = sum(p * _ledoit_wolf_covariance(g) for p, g in zip(priors, groups))
        weights = np.linalg.lstsq(covariance, means.T, rcond=None)[0].T  # (2, features)
        intercepts = -0.5 * np.sum(means * weights, axis=1) + np.log(priors)
        return cls(weights[1] - weights[0], float(intercepts[1] - intercepts[0]))

    def decision_function(self, features: np.ndarray) -> np.ndarray:
        return features @ self.coef + self.intercept

    def predict(self, features: np.ndarray) -> np.ndarray:
        return (self.decision_function(features) > 0).astype(int)


def _decoder(features, labels):
    classes = np.unique(labels)
    if not np.array_equal(classes, [0, 1]):
        raise InputError(f"decoders read two alternatives labelled 0 and 1, found labels {classes.tolist()}")
    return LinearDecoder.fit(features, labels)


def stratified_folds(strata: np.ndarray, n_folds: int, seed: int):
    """(train, test) index pairs; every fold holds every condition (``strata``)."""
    counts = np.bincount(np.unique(strata, return_inverse=True)[1].ravel())
    if counts.min() < n_folds:
        raise InputError(f"cross-validation needs at least {n_folds} trials per condition, found {counts.min()}")
    from sklearn.model_selection import StratifiedKFold  # ~1 s to import: only where folds are made

    folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    return list(folds.split(np.zeros(len(strata)), strata))


def cross_validated_predictions(features: np.ndarray, labels: np.ndarray, strata: np.ndarray,
                                n_folds: int, seed: int) -> np.ndarray:
    """Out-of-fold predictions of a shrinkage LDA decoder.

    ``features`` (trials x features), ``labels`` the classes to decode, ``strata`` the
    condition of each trial: folds are stratified by condition so every fold sees every
    condition. Features are z-scored with training-fold statistics.
    """
    predictions = np.empty_like(labels)
    for train, test in stratified_folds(strata, n_folds, seed):
        train_x, test_x = _standardised(features[train], features[test])
        predictions[test] = _decoder(train_x, labels[train]).predict(test_x)
    return predictions


@dataclass(frozen=True)
class Decisions:
    """Per trial: ``choice`` (0/1, the alternative chosen; -1 undecided), ``rt_ms`` (nan if undecided)."""

    choice: np.ndarray
    rt_ms: np.ndarray


def _first_crossing(evidence: np.ndarray, bound: float, bin_end_ms: np.ndarray):
    """Choice and time of the first |evidence| >= bound along axis 0 of (bins, trials)."""
    crossed = np.abs(evidence) >= bound
    decided = crossed.any(axis=0)
    first = crossed.argmax(axis=0)
    at_crossing = evidence[first, np.arange(evidence.shape[1])]
    choice = np.where(decided, (at_crossing > 0).astype(int), -1)
    rt = np.where(decided, bin_end_ms[first], np.nan)
    return choice, rt


def _calibrated_bound(evidence: np.ndarray, labels: np.ndarray, bin_end_ms: np.ndarray) -> float:
    """The bound on accumulated evidence (bins, trials) with the best accuracy on these trials
    among those at which at least ``MIN_FRACTION_DECIDED`` of them commit before the stimulus
    ends (the monkeys of Roitman & Shadlen 2002 responded within 2 s on almost every trial);
    undecided trials count as half correct. Ties go to the smaller (faster) bound."""
    magnitude = np.abs(evidence)
    if magnitude.max() == 0:
        return np.inf
    best, best_accuracy = float(np.quantile(magnitude[-1], 0.01)), -np.inf
    for bound in np.unique(np.quantile(magnitude, np.linspace(0.02, 0.999, 80))):
        choice, _ = _first_crossing(evidence, bound, bin_end_ms)
        decided = choice >= 0
        if decided.mean() < MIN_FRACTION_DECIDED:
            break  # larger bounds decide even fewer trials
        accuracy = np.mean(np.where(decided, choice == labels, 0.5))
        if accuracy > best_accuracy:
            best, best_accuracy = float(bound), accuracy
    return best


def _per_bin_evidence(activity, labels, train, test):
    """Momentary evidence (bins, len(test)) for label 1: per-bin LDA log-odds, trained on ``train``."""
    evidence = np.zeros((activity.shape[0], len(test)))
    for k in range(activity.shape[0]):
        train_x, test_x = _standardised(activity[k, train], activity[k, test])
        if np.ptp(train_x, axis=0).max() == 0:  # nothing varies in this bin: no evidence
            continue
        evidence[k] = _decoder(train_x, labels[train]).decision_function(test_x)
    return evidence


def decoded_decisions(activity: np.ndarray, labels: np.ndarray, strata: np.ndarray, bin_ms: float,
                      n_folds: int, seed: int) -> Decisions:
    """Choices and RTs from per-bin decoders on ``activity`` (bins, trials, regions).

    In each outer fold, one shrinkage-LDA decoder per time bin is trained on the training
    trials; its log-odds for a held-out trial is that bin's evidence for label 1, and the
    running sum from stimulus onset is the accumulated evidence. The bound is chosen on the
    training trials only: their own accumulated evidence, computed out of sample by an inner
    cross-validation (in-sample evidence would be overconfident), gives the bound
    (:func:`_calibrated_bound`), which is then applied to the held-out trials: label 1 if the sum is positive at the
    first crossing, else label 0; RT = end of that bin (ms after stimulus onset). ``labels`` are 0/1.
    """
    n_bins, n_trials, _ = activity.shape
    if labels.shape != (n_trials,):
        raise InputError(f"decoded readout: {n_trials} trials of activity but {labels.shape} labels")
    bin_end_ms = bin_ms * np.arange(1, n_bins + 1)
    choice = np.full(n_trials, -1)
    rt = np.full(n_trials, np.nan)
    inner_folds = max(2, n_folds - 1)
    for train, test in stratified_folds(strata, n_folds, seed):
        train_evidence = np.zeros((n_bins, len(train)))
        for inner_train, inner_test in stratified_folds(strata[train], inner_folds, seed + 1):
            train_evidence[:, inner_test] = _per_bin_evidence(activity, labels, train[inner_train], train[inner_test])
        bound = _calibrated_bound(np.cumsum(train_evidence, axis=0), labels[train], bin_end_ms)
        test_evidence = np.cumsum(_per_bin_evidence(activity, labels, train, test), axis=0)
        choice[test], rt[test] = _first_crossing(test_evidence, bound, bin_end_ms)
    return Decisions(choice, rt)


def intrinsic_decisions(rate_1: np.ndarray, rate_2: np.ndarray, period_ms: float, threshold_hz: float = 15.0,
                        window_ms: float = 50.0, non_decision_ms: float = 100.0) -> Decisions:
    """Choice (0: population 1 wins, 1: population 2) and RT from two rates (samples, trials)
    sampled every ``period_ms`` from stimulus onset.

    Rates are averaged over ``window_ms`` windows slid by the sampling period, as in Wong &
    Wang (2006); the decision is made at the end of the first window whose mean rate of either
    population exceeds ``threshold_hz``, RT = that time + ``non_decision_ms``. Trials that never
    cross are undecided (choice -1, RT nan).
    """
    if rate_1.shape != rate_2.shape or rate_1.ndim != 2:
        raise InputError(f"intrinsic readout: two (samples, trials) rate arrays expected, found "
                         f"{rate_1.shape} and {rate_2.shape}")
    width = max(1, round(window_ms / period_ms))
    rates = np.stack([rate_1, rate_2])
    cumulative = np.concatenate([np.zeros((2, 1, rates.shape[2])), np.cumsum(rates, axis=1)], axis=1)
    smooth = (cumulative[:, width:] - cumulative[:, :-width]) / width  # (2, windows, trials)
    window_end = np.arange(width, rates.shape[1] + 1) * period_ms
    crossed = (smooth > threshold_hz).any(axis=0)
    decided = crossed.any(axis=0)
    first = crossed.argmax(axis=0)
    trials = np.arange(rates.shape[2])
    winner_1 = smooth[0, first, trials] >= smooth[1, first, trials]
    choice = np.where(decided, np.where(winner_1, 0, 1), -1)
    rt = np.where(decided, window_end[first] + non_decision_ms, np.nan)
    return Decisions(choice, rt)
