"""Forward models from simulated neural activity to measurable signals (BOLD, EEG)."""

from fwbm_bench.observables.bold import BalloonParameters, BoldSink, impulse_response
from fwbm_bench.observables.eeg import EegSink, eeg_channel_labels, region_lead_field
from fwbm_bench.observables.preprocess import preprocess_bold

__all__ = [
    "BalloonParameters",
    "BoldSink",
    "EegSink",
    "eeg_channel_labels",
    "impulse_response",
    "preprocess_bold",
    "region_lead_field",
]
