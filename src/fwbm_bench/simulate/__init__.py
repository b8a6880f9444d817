"""The integrator: delays, noise, batches of parameter sets, streamed decimated outputs."""

from fwbm_bench.simulate.integrator import Stimulus, simulate

__all__ = ["Stimulus", "simulate"]
