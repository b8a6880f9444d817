"""The Montbrio-Pazo-Roxin (MPR) mean field of quadratic integrate-and-fire neurons.

Montbrio E, Pazo D, Roxin A (2015). Macroscopic description for networks of spiking neurons.
Phys Rev X 5:021028. An exact reduction of an infinite population of QIF neurons with
Lorentzian-distributed excitabilities (centre eta, half-width Delta) to its firing rate r and
mean membrane potential v. Per region i (time in ms, r in 1/ms = kHz)::

    tau dr/dt = Delta / (pi tau) + 2 r v
    tau dv/dt = v^2 + eta + J tau r - (pi tau r)^2 + I_ext + G sum_j C_ij r_j(t - tau_ij)

The network input enters the potential equation, as in TVB's ``MontbrioPazoRoxin`` with its
coupling on r (``cr``) and whole-brain studies built on it (Rabuffo et al. 2021, eNeuro 8:5).
Defaults: the bistable regime of the paper's Fig. 1 (Delta = 1, J = 15, eta = -5, tau = 1 ms),
where an isolated region rests at a low-rate focus (r ~ 0.08 /ms, i.e. about 80 Hz at tau = 1 ms,
measured on HCP-80 at G = 0) and a high-rate state coexists; at the default noise the network
stays near the low-rate state, and coupling raises its rate (to ~85 Hz at G = 2).
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
from fwbm_bench.models.base import NodeModel, Parameter, register_node_functions

_MPR2015 = "Montbrio, Pazo & Roxin 2015, Phys Rev X 5:021028 (Fig. 1 regime)"

PARAMETERS = (
    Parameter("G", 0.0, "ms^-1 per unit rate", (0.0, 50.0), "global coupling scaling of the normalised SC",
              "Rabuffo et al. 2021, eNeuro 8:5 (coupling through r)"),
    Parameter("tau", 1.0, "ms", (0.1, 100.0), "membrane time constant", _MPR2015),
    Parameter("Delta", 1.0, "1", (0.01, 10.0), "half-width of the Lorentzian distribution of excitabilities", _MPR2015),
    Parameter("eta", -5.0, "1", (-50.0, 50.0), "centre of the distribution of excitabilities", _MPR2015),
    Parameter("J", 15.0, "1", (0.0, 100.0), "recurrent synaptic weight", _MPR2015),
    Parameter("sigma", 0.01, "ms^-1/2", (0.0, 1.0), "additive white-noise amplitude on r and v",
              "chosen for this example: small against the distance between the two stable states"),
)


def _drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    g, tau, delta, eta, j = (global_params[0, b], global_params[1, b], global_params[2, b],
                             global_params[3, b], global_params[4, b])
    r, v = x[0], x[1]
    dxdt[0] = (delta / (math.pi * tau) + 2.0 * r * v) / tau
    dxdt[1] = (v * v + eta + j * tau * r - (math.pi * tau * r) ** 2 + ext[i, b] + g * coupling[0, i, b]) / tau


def _observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    out_row[0, i, b] += 1000.0 * x[0] * weight  # Hz
    out_row[1, i, b] += x[1] * weight


class MontbrioPazoRoxin(NodeModel):
    name = "mpr"
    description = "Montbrio-Pazo-Roxin QIF mean field (firing rate and mean potential), coupled through r"
    citation = _MPR2015
    state_variables = ("r", "v")
    coupling_variables = ("r",)
    output_variables = ("rate_hz", "v")
    output_units = ("Hz", "1")
    bold_variable = "rate_hz"
    task_readout = "rate_hz"
    noise: ClassVar[dict] = {"r": "sigma", "v": "sigma"}
    state_bounds: ClassVar[dict] = {"r": (0.0, np.inf)}
    time_unit_ms = 1.0
    max_dt_ms = 0.1  # Euler is stable at the low-rate focus up to ~0.36 ms (eigenvalues about -5.5 /ms)
    default_dt_ms = 0.1
    parameters = PARAMETERS

    @classmethod
    def prepare(cls, params, weights):
        batch, n_regions = len(params["G"]), weights.shape[0]
        initial = np.zeros((2, n_regions, batch))
        initial[0] = 0.01  # near the low-rate state
        initial[1] = -2.0
        return np.zeros((0, n_regions, batch)), initial


register_node_functions(MontbrioPazoRoxin, _drift, _observe)
