"""Forward models from simulated neural activity to measurable signals (BOLD, ...)."""

from fwbm_bench.observables.bold import BalloonParameters, BoldSink, impulse_response
from fwbm_bench.observables.preprocess import preprocess_bold

__all__ = ["BalloonParameters", "BoldSink", "impulse_response", "preprocess_bold"]
