"""Wilson-Cowan excitatory-inhibitory mean field, in the form neurolib 0.6.2 implements.

Wilson HR, Cowan JD (1972). Excitatory and inhibitory interactions in localized populations of
model neurons. Biophys J 12:1-24. Implementation and default values: neurolib 0.6.2
(``neurolib/models/wc``; Cakan, Jajcay & Obermayer 2023, Cogn Comput 15:1132), whose source
takes them from Papadopoulos et al. (2020, PLoS Comput Biol 16:e1008144).

Per region i (time in ms; E and I are dimensionless activities, fractions of active cells)::

    dE/dt = (1 / tau_exc) (-E + (1 - E) S_exc(c_excexc E - c_inhexc I
                                               + K_gl sum_j C_ij E_j(t - tau_ij) + exc_ext + I_ext))
            + sigma xi_E
    dI/dt = (1 / tau_inh) (-I + (1 - I) S_inh(c_excinh E - c_inhinh I + inh_ext)) + sigma xi_I
    S_k(u) = 1 / (1 + exp(-a_k (u - mu_k)))

(c_excinh: E -> I, c_inhexc: I -> E, as in neurolib.)

Network input is additive (not diffusive) and enters inside the excitatory sigmoid, as in
neurolib; so does the external input I_ext of tasks. The refractory factor is (1 - E) and the
sigmoid is not shifted to S(0) = 0 (neurolib's choice; Wilson & Cowan 1972 subtract S(0)).
An isolated node at the defaults has a stable low-activity fixed point for exc_ext < 0.78
(Hopf bifurcation there), a limit cycle around an unstable focus up to exc_ext ~2.83, and a
stable high-activity fixed point from ~2.71 (saddle-node); tests/test_models_wc_fhn.py checks
this against a scipy root of the same equations.

Noise: our integrator adds white noise sigma xi (per sqrt(ms)) to E and I. neurolib instead
adds an Ornstein-Uhlenbeck input (tau_ou = 5 ms, sigma_ou) inside the brackets, i.e. divided by
tau; the two agree only without noise (neurolib's default sigma_ou = 0, so our sigma = 0).
Initial state: E_i = I_i = 0.05 (i + 1/2) / N, the quantiles of neurolib's random
0.05 U(0, 1) draw, so no random draw hides in ``prepare``.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from fwbm_bench._numba import njit
from fwbm_bench.models.base import NodeModel, Parameter, register_node_functions

_WC1972 = "Wilson & Cowan 1972, Biophys J 12:1"
_DEFAULTS = "neurolib 0.6.2 wc defaults (Cakan et al. 2023, Cogn Comput 15:1132), after Papadopoulos et al. 2020"

PARAMETERS = (
    Parameter("K_gl", 0.6, "1", (0.0, 100.0), "global coupling of the SC, inside the E sigmoid", _DEFAULTS),
    Parameter("tau_exc", 2.5, "ms", (0.1, 1000.0), "excitatory time constant", _DEFAULTS),
    Parameter("tau_inh", 3.75, "ms", (0.1, 1000.0), "inhibitory time constant", _DEFAULTS),
    Parameter("c_excexc", 16.0, "1", (0.0, 100.0), "local E -> E coupling", _DEFAULTS),
    Parameter("c_excinh", 15.0, "1", (0.0, 100.0), "local E -> I coupling", _DEFAULTS),
    Parameter("c_inhexc", 12.0, "1", (0.0, 100.0), "local I -> E coupling", _DEFAULTS),
    Parameter("c_inhinh", 3.0, "1", (0.0, 100.0), "local I -> I coupling", _DEFAULTS),
    Parameter("a_exc", 1.5, "1", (0.01, 100.0), "excitatory sigmoid gain (per unit input)", _DEFAULTS),
    Parameter("a_inh", 1.5, "1", (0.01, 100.0), "inhibitory sigmoid gain (per unit input)", _DEFAULTS),
    Parameter("mu_exc", 3.0, "1", (-50.0, 50.0), "excitatory sigmoid threshold", _DEFAULTS),
    Parameter("mu_inh", 3.0, "1", (-50.0, 50.0), "inhibitory sigmoid threshold", _DEFAULTS),
    Parameter("exc_ext", 0.0, "1", (-50.0, 50.0), "constant input to E (inside the sigmoid)", _DEFAULTS),
    Parameter("inh_ext", 0.0, "1", (-50.0, 50.0), "constant input to I (inside the sigmoid)", _DEFAULTS),
    Parameter("sigma", 0.0, "ms^-1/2", (0.0, 5.0), "additive white-noise amplitude on E and I",
              "neurolib default: no noise (sigma_ou = 0)"),
)

# row of each parameter in the kernel's global_params (P, B); compile-time constants for numba
(K_GL, TAU_EXC, TAU_INH, C_EXCEXC, C_EXCINH, C_INHEXC, C_INHINH, A_EXC, A_INH, MU_EXC, MU_INH,
 EXC_EXT, INH_EXT, SIGMA) = range(len(PARAMETERS))
assert [p.name for p in PARAMETERS][MU_EXC] == "mu_exc" and [p.name for p in PARAMETERS][SIGMA] == "sigma"


@njit
def _sigmoid(u, gain, threshold):
    return 1.0 / (1.0 + math.exp(-gain * (u - threshold)))


def _drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    e, inh = x[0], x[1]
    # same operation order as neurolib's timeIntegration, for trajectory comparisons
    input_e = (global_params[C_EXCEXC, b] * e - global_params[C_INHEXC, b] * inh
               + global_params[K_GL, b] * coupling[0, i, b] + (global_params[EXC_EXT, b] + ext[i, b]))
    input_i = global_params[C_EXCINH, b] * e - global_params[C_INHINH, b] * inh + global_params[INH_EXT, b]
    rate_e = _sigmoid(input_e, global_params[A_EXC, b], global_params[MU_EXC, b])
    rate_i = _sigmoid(input_i, global_params[A_INH, b], global_params[MU_INH, b])
    dxdt[0] = 1.0 / global_params[TAU_EXC, b] * (-e + (1.0 - e) * rate_e)
    dxdt[1] = 1.0 / global_params[TAU_INH, b] * (-inh + (1.0 - inh) * rate_i)


def _observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    out_row[0, i, b] += x[0] * weight
    out_row[1, i, b] += x[1] * weight


class WilsonCowan(NodeModel):
    name = "wilson_cowan"
    description = "Wilson-Cowan E-I mean field as in neurolib 0.6.2 (Wilson & Cowan 1972)"
    citation = _WC1972
    state_variables = ("E", "I")
    coupling_variables = ("E",)
    output_variables = ("E", "I")
    output_units = ("1", "1")
    task_readout = "E"  # output decoded by tasks
    bold_variable = "E"  # neurolib drives BOLD with 50 E; the haemodynamic model sees E here
    noise: ClassVar[dict] = {"E": "sigma", "I": "sigma"}
    time_unit_ms = 1.0
    parameters = PARAMETERS
    default_dt_ms = 0.1  # neurolib's default

    @classmethod
    def prepare(cls, params, weights):
        batch = len(params["K_gl"])
        n_regions = weights.shape[0]
        quantiles = 0.05 * (np.arange(n_regions) + 0.5) / n_regions
        initial = np.repeat(np.repeat(quantiles[None, :, None], 2, axis=0), batch, axis=2)
        return np.zeros((0, n_regions, batch)), initial


register_node_functions(WilsonCowan, _drift, _observe)
