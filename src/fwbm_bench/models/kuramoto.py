"""Kuramoto phase oscillators with conduction delays.

Cabral J, Hugues E, Sporns O, Deco G (2011). Role of local network oscillations in resting-state
functional connectivity. NeuroImage 57:130-139.

Per region i (time in seconds)::

    dtheta_i/dt = omega_i + G sum_j C_ij sin(theta_j(t - tau_ij) - theta_i) + sigma eta

The delayed sum is computed from two exported quantities, sin(theta) and cos(theta)
(sin(a - b) = sin a cos b - cos a sin b), which the delay buffer stores: TVB's "pre" coupling.
Intrinsic frequencies are spread deterministically around f: omega_i = 2 pi (f + f_sd z_i)
with z_i the normal quantiles (i + 1/2) / N, so no random draw hides in ``prepare``.
Cabral et al. (2011) use f = 40 Hz (gamma) with identical frequencies; f_sd = 0 reproduces
that. For an all-to-all network with G = K / N and Gaussian frequencies, the order parameter
R = |mean exp(i theta)| leaves zero near K_c = 2 / (pi g(0)) = 2 sqrt(2 pi) sigma_omega / pi.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
from scipy.special import ndtri  # the standard normal quantile, without importing scipy.stats

from fwbm_bench.models.base import NodeModel, Parameter, register_node_functions

_CABRAL2011 = "Cabral et al. 2011, NeuroImage 57:130"

PARAMETERS = (
    Parameter("G", 0.0, "1/s", (0.0, 1e4), "global coupling of the normalised SC", _CABRAL2011),
    Parameter("f", 40.0, "Hz", (0.0, 500.0), "mean intrinsic frequency", _CABRAL2011),
    Parameter("f_sd", 0.0, "Hz", (0.0, 100.0), "spread of intrinsic frequencies (normal quantiles)",
              "Kuramoto 1984, Chemical Oscillations, Waves and Turbulence"),
    Parameter("sigma", 0.0, "rad s^-1/2", (0.0, 100.0), "phase noise amplitude", _CABRAL2011),
)


def _drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    # coupling[0] = sum_j C_ij sin(theta_j(t - tau_ij)), coupling[1] = ... cos(...)
    dxdt[0] = (node_params[0, i, b] + global_params[0, b]
               * (coupling[0, i, b] * math.cos(x[0]) - coupling[1, i, b] * math.sin(x[0])) + ext[i, b])


def _export(tag, x, i, b, global_params, node_params, slot):
    slot[0, i, b] = math.sin(x[0])
    slot[1, i, b] = math.cos(x[0])


def _observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    out_row[0, i, b] += math.sin(x[0]) * weight
    out_row[1, i, b] += math.cos(x[0]) * weight


class Kuramoto(NodeModel):
    name = "kuramoto"
    description = "Kuramoto phase oscillators with conduction delays (Cabral et al. 2011)"
    citation = _CABRAL2011
    state_variables = ("theta",)
    coupling_variables = ("sin_theta", "cos_theta")  # exported by _export
    output_variables = ("sin_theta", "cos_theta")
    output_units = ("1", "1")
    task_readout = "sin_theta"
    bold_variable = "sin_theta"
    noise: ClassVar[dict] = {"theta": "sigma"}
    time_unit_ms = 1000.0
    parameters = PARAMETERS
    default_dt_ms = 0.1

    @classmethod
    def prepare(cls, params, weights):
        batch = len(params["G"])
        n_regions = weights.shape[0]
        quantiles = ndtri((np.arange(n_regions) + 0.5) / n_regions)
        omega = 2.0 * np.pi * (params["f"][None, :] + params["f_sd"][None, :] * quantiles[:, None])
        initial = np.repeat((2.0 * np.pi * np.arange(n_regions) / n_regions)[None, :, None], batch, axis=2)
        return omega[None], initial


register_node_functions(Kuramoto, _drift, _observe, export=_export)
