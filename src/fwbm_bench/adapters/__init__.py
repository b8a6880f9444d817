"""Adapters: entries whose simulations another simulator runs, scored by the same protocol.

An adapter is a node model (:class:`AdapterModel`) with the parameters, outputs and BOLD
variable of a registered family, whose ``run_external`` integrates one parameter set with a
peer simulator: neurolib (:mod:`.neurolib_hopf`) or TheVirtualBrain (:mod:`.tvb_hopf`). The
benchmark hands it the connectome, tract lengths and conduction speed, the seed, the input
pulses and the duration (:mod:`fwbm_bench.simulate.external`), and gets back the outputs its
observables read. Installing the extras ``fwbm-bench[neurolib]`` or ``fwbm-bench[tvb]`` makes
the adapters and their entries appear (entry points of this package); without the peer they
register nothing.
"""

from __future__ import annotations

import importlib.util
import math

import numpy as np

from fwbm_bench.models.base import NodeModel
from fwbm_bench.models.hopf import PARAMETERS as HOPF_PARAMETERS
from fwbm_bench.models.hopf import StuartLandau


class AdapterModel(NodeModel):
    """A node model integrated by another simulator; subclasses implement ``run_external``.

    ``simulator`` names the peer (with its version, for the log); ``accepts_input``: whether
    tasks' input pulses can be handed over.
    """

    simulator: str = ""
    accepts_input: bool = False

    @classmethod
    def run_external(cls, weights, tract_lengths_mm, params: dict, *, seed: int, duration_ms: float, dt_ms: float,
                     conduction_speed_m_per_s: float, output_period_ms: float, windows_ms, amplitudes):
        """Outputs (duration / output period, n_outputs, N) of one parameter set.

        ``params``: name -> float; ``windows_ms`` (K, 2) [on, off) pulses of ``amplitudes``
        (K, N), in the units of the family's external input.
        """
        raise NotImplementedError

    @classmethod
    def prepare(cls, params, weights):
        raise NotImplementedError(f"{cls.name} is integrated by {cls.simulator}, not by fwbm-bench's loop")


class HopfAdapter(AdapterModel):
    """The metadata of our ``hopf`` (parameters, units, outputs, BOLD and task variables), for
    adapters of the peers' Stuart-Landau models; subclasses say how the peer couples and runs."""

    state_variables = StuartLandau.state_variables
    coupling_variables = StuartLandau.coupling_variables
    output_variables = StuartLandau.output_variables
    output_units = StuartLandau.output_units
    bold_variable = StuartLandau.bold_variable
    task_readout = StuartLandau.task_readout
    time_unit_ms = StuartLandau.time_unit_ms
    default_dt_ms = StuartLandau.default_dt_ms
    parameters = HOPF_PARAMETERS


def averaged_outputs(initial: np.ndarray, after_steps: np.ndarray, dt_ms: float, duration_ms: float,
                     output_period_ms: float) -> np.ndarray:
    """Outputs as our loop records them, from a peer's full-rate states.

    ``initial`` (n_outputs, N): the state before the first step; ``after_steps`` (n_steps,
    n_outputs, N): the state at the end of each step. Our loop averages, over each output
    period, the states at the *start* of its steps. Returns (n_out, n_outputs, N).
    """
    before = np.concatenate([initial[None], after_steps[:-1]])
    per_output = round(output_period_ms / dt_ms)
    n_out = int(duration_ms / output_period_ms + 1e-9)
    return before[:n_out * per_output].reshape((n_out, per_output) + before.shape[1:]).mean(axis=1)


def installed(package: str) -> bool:
    """Whether ``package`` can be imported (without importing it)."""
    return importlib.util.find_spec(package) is not None


#: time in the peers is in ms, in fwbm-bench's hopf in s; with t_ms = 1000 t_s the Hopf normal
#: form keeps its shape only if the state is rescaled too (tests/peers/make_peer_trajectories.py):
#: x_peer = x / STATE_SCALE, a_peer = a / 1000, omega_peer = 2 pi f / 1000, G_peer = G / 1000,
#: white-noise intensity beta (per sqrt(s)) -> beta / 1000 (per sqrt(ms), on x_peer), and an input
#: current I added to dx/dt -> I / 1000^1.5
STATE_SCALE = 1000.0 ** 0.5


def hopf_in_milliseconds(params: dict) -> dict:
    """Our hopf parameters (G, a, f, beta; time in s) in a peer's units (time in ms, state / sqrt(1000))."""
    return {"G": params["G"] / 1000.0, "a": params["a"] / 1000.0, "omega": 2.0 * math.pi * params["f"] / 1000.0,
            "noise_intensity": params["beta"] / 1000.0}

