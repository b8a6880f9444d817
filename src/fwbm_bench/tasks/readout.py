"""Decoded readout: a cross-validated linear decoder on readout-region activity."""

from __future__ import annotations

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.model_selection import StratifiedKFold


def cross_validated_predictions(features: np.ndarray, labels: np.ndarray, strata: np.ndarray,
                                n_folds: int, seed: int) -> np.ndarray:
    """Out-of-fold predictions of a shrinkage LDA decoder.

    ``features`` (trials x features), ``labels`` the classes to decode, ``strata`` the
    condition of each trial: folds are stratified by condition (coherence x direction) so
    every fold sees every condition. Features are z-scored with training-fold statistics.
    """
    predictions = np.empty_like(labels)
    folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    for train, test in folds.split(features, strata):
        mean = features[train].mean(axis=0)
        sd = features[train].std(axis=0)
        sd[sd == 0] = 1.0
        decoder = LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto")
        decoder.fit((features[train] - mean) / sd, labels[train])
        predictions[test] = decoder.predict((features[test] - mean) / sd)
    return predictions
