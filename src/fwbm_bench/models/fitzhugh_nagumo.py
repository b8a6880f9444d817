"""FitzHugh-Nagumo oscillators, in the form and parametrisation neurolib 0.6.2 implements.

FitzHugh R (1961). Impulses and physiological states in theoretical models of nerve membrane.
Biophys J 1:445-466. Nagumo J, Arimoto S, Yoshizawa S (1962). An active pulse transmission line
simulating nerve axon. Proc IRE 50:2061-2070. Implementation and default values: neurolib 0.6.2
(``neurolib/models/fhn``; Cakan, Jajcay & Obermayer 2023, Cogn Comput 15:1132), whose
parametrisation follows Kostova, Ravindran & Schonbek (2004, Int J Bifurcat Chaos 14:913).

Per region i (time in ms; x and y are dimensionless, so alpha, beta, gamma, K_gl and the inputs
are rates per ms)::

    dx/dt = -alpha x^3 + beta x^2 + gamma x - y + K_gl sum_j C_ij (x_j(t - tau_ij) - x_i)
            + x_ext + I_ext + sigma xi_x
    dy/dt = (x - delta - epsilon y) / tau + y_ext + sigma xi_y

Coupling is diffusive in x only, neurolib's default (``coupling = "diffusive"``; neurolib's
y coupling is commented out); ``diffusive = 0`` gives neurolib's "additive" alternative,
K_gl sum_j C_ij x_j(t - tau_ij). The external input of tasks, I_ext, adds to dx/dt like x_ext.
The sign of delta follows neurolib's code (its docstring writes u + delta).
Note neurolib's default x_ext = 1: with it an isolated node is on a limit cycle (period
30.5 ms, ~33 Hz); its single fixed point is stable for x_ext < 0.726 and x_ext > 1.332.

Noise: our integrator adds white noise sigma xi (per sqrt(ms)) to x and y. neurolib instead adds
Ornstein-Uhlenbeck inputs (tau_ou = 5 ms, sigma_ou); the two agree only without noise
(neurolib's default sigma_ou = 0, so our sigma = 0). Initial state: x_i = y_i = 0.05 (i + 1/2) / N,
the quantiles of neurolib's random 0.05 U(0, 1) draw, so no random draw hides in ``prepare``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from fwbm_bench.models.base import NodeModel, Parameter, register_node_functions

_FHN = "FitzHugh 1961, Biophys J 1:445; Nagumo et al. 1962, Proc IRE 50:2061"
_DEFAULTS = "neurolib 0.6.2 fhn defaults (Cakan et al. 2023, Cogn Comput 15:1132), after Kostova et al. 2004"

PARAMETERS = (
    Parameter("K_gl", 0.6, "1/ms", (0.0, 100.0), "global coupling of the SC (x only)", _DEFAULTS),
    Parameter("alpha", 3.0, "1/ms", (1e-3, 100.0), "cubic coefficient of dx/dt (> 0 bounds x)", _DEFAULTS),
    Parameter("beta", 4.0, "1/ms", (-100.0, 100.0), "quadratic coefficient of dx/dt", _DEFAULTS),
    Parameter("gamma", -1.5, "1/ms", (-100.0, 100.0), "linear coefficient of dx/dt", _DEFAULTS),
    Parameter("delta", 0.0, "1", (-10.0, 10.0), "offset of the y nullcline", _DEFAULTS),
    Parameter("epsilon", 0.5, "1", (0.0, 100.0), "self-decay of y", _DEFAULTS),
    Parameter("tau", 20.0, "ms", (0.1, 1e4), "time scale of the slow variable y", _DEFAULTS),
    Parameter("x_ext", 1.0, "1/ms", (-10.0, 10.0), "constant input to dx/dt (neurolib default 1)", _DEFAULTS),
    Parameter("y_ext", 0.0, "1/ms", (-10.0, 10.0), "constant input to dy/dt", _DEFAULTS),
    Parameter("diffusive", 1.0, "1", (0.0, 1.0),
              "> 0.5: diffusive coupling (x_j - x_i), neurolib's default; else additive (x_j)", _DEFAULTS),
    Parameter("sigma", 0.0, "ms^-1/2", (0.0, 10.0), "additive white-noise amplitude on x and y",
              "neurolib default: no noise (sigma_ou = 0)"),
)

# row of each parameter in the kernel's global_params (P, B); compile-time constants for numba
K_GL, ALPHA, BETA, GAMMA, DELTA, EPSILON, TAU, X_EXT, Y_EXT, DIFFUSIVE, SIGMA = range(len(PARAMETERS))
assert [p.name for p in PARAMETERS][X_EXT] == "x_ext" and [p.name for p in PARAMETERS][SIGMA] == "sigma"


def _drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    u, w = x[0], x[1]
    # node_params[0] = sum_j C_ij if diffusive, else 0; operation order as in neurolib
    network = global_params[K_GL, b] * (coupling[0, i, b] - node_params[0, i, b] * u)
    dxdt[0] = (-global_params[ALPHA, b] * u * u * u + global_params[BETA, b] * u * u + global_params[GAMMA, b] * u
               - w + network + (global_params[X_EXT, b] + ext[i, b]))
    dxdt[1] = (u - global_params[DELTA, b] - global_params[EPSILON, b] * w) / global_params[TAU, b] + global_params[Y_EXT, b]


def _observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    out_row[0, i, b] += x[0] * weight
    out_row[1, i, b] += x[1] * weight


class FitzHughNagumo(NodeModel):
    name = "fitzhugh_nagumo"
    description = "FitzHugh-Nagumo oscillators, diffusively coupled in x, as in neurolib 0.6.2"
    citation = _FHN
    state_variables = ("x", "y")
    coupling_variables = ("x",)
    output_variables = ("x", "y")
    output_units = ("1", "1")
    task_readout = "x"  # output decoded by tasks
    bold_variable = "x"  # neurolib drives BOLD with 50 x; the haemodynamic model sees x here
    noise: ClassVar[dict] = {"x": "sigma", "y": "sigma"}
    time_unit_ms = 1.0
    parameters = PARAMETERS
    default_dt_ms = 0.1  # neurolib's default

    @classmethod
    def prepare(cls, params, weights):
        batch = len(params["K_gl"])
        n_regions = weights.shape[0]
        diffusive = (params["diffusive"] > 0.5).astype(float)
        strength = weights.sum(axis=1)[None, :, None] * diffusive[None, None, :]
        quantiles = 0.05 * (np.arange(n_regions) + 0.5) / n_regions
        initial = np.repeat(np.repeat(quantiles[None, :, None], 2, axis=0), batch, axis=2)
        return strength, initial


register_node_functions(FitzHughNagumo, _drift, _observe)
