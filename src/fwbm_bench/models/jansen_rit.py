"""Jansen-Rit neural mass: pyramidal cells with excitatory and inhibitory interneurons.

Jansen BH, Rit VG (1995). Electroencephalogram and visual evoked potential generation in a
mathematical model of coupled cortical columns. Biol Cybern 73:357-366.

Per region (time in seconds, potentials in mV)::

    y0' = y3,  y3' = A a S(y1 - y2) - 2 a y3 - a^2 y0
    y1' = y4,  y4' = A a (p + C2 S(C1 y0) + G sum_j C_ij (y1 - y2)_j(t - tau_ij)) - 2 a y4 - a^2 y1
    y2' = y5,  y5' = B b C4 S(C3 y0) - 2 b y5 - b^2 y2
    S(v) = 2 e0 / (1 + exp(r (v0 - v)))

with C1 = C, C2 = 0.8 C, C3 = C4 = 0.25 C. The EEG-ready output is y1 - y2, the mean
membrane potential of the pyramidal population.

Two choices to know about. (1) The paper's input p(t) is uniform on [120, 320] pulses/s,
drawn anew every step; here it is its mean (220 /s) plus additive noise on y4 of the same
variance at dt = 0.1 ms: sigma = A a (100 / sqrt 3) sqrt(1e-4 s) = 187.6 mV s^-1.5 (the
variance of a per-step draw scales with dt, so this is exact only at dt = 0.1 ms).
(2) Long-range input couples y1 - y2 linearly into the pyramidal excitatory synapse
(coupling variables y1 and y2), not through TVB's sigmoidal coupling.
Parameters: Jansen & Rit (1995) as listed in literature.md section 5 (v0 = 6 mV, not TVB's
5.52); an isolated column then oscillates in the alpha band (10.7-11.0 Hz there).
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from fwbm_bench._numba import njit
from fwbm_bench.models.base import NodeModel, Parameter, register_node_functions

_JR1995 = "Jansen & Rit 1995, Biol Cybern 73:357"

PARAMETERS = (
    Parameter("G", 0.0, "1/mV*s^-1", (0.0, 1e3), "global coupling of the pyramidal output y1 - y2", _JR1995),
    Parameter("A", 3.25, "mV", (0.0, 20.0), "maximum excitatory PSP amplitude", _JR1995),
    Parameter("B", 22.0, "mV", (0.0, 100.0), "maximum inhibitory PSP amplitude", _JR1995),
    Parameter("a", 100.0, "1/s", (1.0, 1e3), "excitatory synaptic rate constant", _JR1995),
    Parameter("b", 50.0, "1/s", (1.0, 1e3), "inhibitory synaptic rate constant", _JR1995),
    Parameter("e0", 2.5, "1/s", (0.0, 100.0), "half the maximum firing rate", _JR1995),
    Parameter("v0", 6.0, "mV", (-50.0, 50.0), "potential at half-maximum firing", _JR1995),
    Parameter("r", 0.56, "1/mV", (0.0, 10.0), "sigmoid steepness", _JR1995),
    Parameter("C", 135.0, "1", (0.0, 2000.0), "connectivity constant (C1 = C, C2 = 0.8 C, C3 = C4 = 0.25 C)", _JR1995),
    Parameter("p_mean", 220.0, "1/s", (0.0, 1000.0), "mean extrinsic input (uniform 120-320 /s)", _JR1995),
    Parameter("sigma", 187.6, "mV*s^-1.5", (0.0, 1e4),
              "noise on y4 matching the variance of uniform 120-320 /s input at dt = 0.1 ms", _JR1995),
)


@njit
def _sigmoid(v, e0, v0, r):
    return 2.0 * e0 / (1.0 + math.exp(r * (v0 - v)))


def _drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    g = global_params[0, b]
    amp_e = global_params[1, b]
    amp_i = global_params[2, b]
    rate_e = global_params[3, b]
    rate_i = global_params[4, b]
    e0 = global_params[5, b]
    v0 = global_params[6, b]
    r = global_params[7, b]
    c = global_params[8, b]
    network = g * (coupling[0, i, b] - coupling[1, i, b]) + ext[i, b]
    dxdt[0] = x[3]
    dxdt[1] = x[4]
    dxdt[2] = x[5]
    dxdt[3] = amp_e * rate_e * _sigmoid(x[1] - x[2], e0, v0, r) - 2.0 * rate_e * x[3] - rate_e * rate_e * x[0]
    dxdt[4] = (amp_e * rate_e * (global_params[9, b] + 0.8 * c * _sigmoid(c * x[0], e0, v0, r) + network)
               - 2.0 * rate_e * x[4] - rate_e * rate_e * x[1])
    dxdt[5] = amp_i * rate_i * 0.25 * c * _sigmoid(0.25 * c * x[0], e0, v0, r) - 2.0 * rate_i * x[5] - rate_i * rate_i * x[2]


def _observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    out_row[0, i, b] += (x[1] - x[2]) * weight


class JansenRit(NodeModel):
    name = "jansen_rit"
    description = "Jansen-Rit cortical column (pyramidal + excitatory + inhibitory interneurons), EEG-ready y1 - y2"
    citation = _JR1995
    state_variables = ("y0", "y1", "y2", "y3", "y4", "y5")
    coupling_variables = ("y1", "y2")
    output_variables = ("y1_minus_y2",)
    output_units = ("mV",)
    task_readout = "y1_minus_y2"  # output decoded by tasks
    bold_variable = "y1_minus_y2"
    noise: ClassVar[dict] = {"y4": "sigma"}
    time_unit_ms = 1000.0
    parameters = PARAMETERS
    default_dt_ms = 0.1

    @classmethod
    def prepare(cls, params, weights):
        batch = len(params["G"])
        return np.zeros((0, weights.shape[0], batch)), np.zeros((6, weights.shape[0], batch))


register_node_functions(JansenRit, _drift, _observe)
