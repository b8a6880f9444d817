"""Reduced Wong-Wang excitatory-inhibitory model with feedback inhibition control.

Deco G, Ponce-Alvarez A, Hagmann P, Romani GL, Mantini D, Corbetta M (2014). How local
excitation-inhibition ratio impacts the whole brain dynamics. J Neurosci 34:7886-7898.

Per region i (time in ms, currents in nA, rates in Hz)::

    I_E = W_E I0 + w+ J_NMDA S_E + G J_NMDA sum_j C_ij S_E,j(t - tau_ij) - J_i S_I + I_ext
    I_I = W_I I0 + J_NMDA S_E - S_I
    r = H(I) = (a I - b) / (1 - exp(-d (a I - b)))
    dS_E/dt = -S_E / tau_E + (1 - S_E) gamma_E r_E / 1000 + sigma xi_E
    dS_I/dt = -S_I / tau_I + gamma_I r_I / 1000 + sigma xi_I

with S clipped to [0, 1] after each step, as in the Deco-lab reference code, and sigma the
noise amplitude per sqrt(ms).

Feedback inhibition control (FIC). Deco et al. (2014) tune each J_i iteratively until
the excitatory input sits at b_E/a_E - 0.026 nA, i.e. r_E ~ 3 Hz. We use the exact
deterministic solution of that same target: with every region at the target fixed point
(S_E*, S_I*), J_i = (W_E I0 + w+ J_NMDA S_E* + G J_NMDA S_E* sum_j C_ij - I_E*) / S_I*,
which evaluates to J_i = 1.001 + 0.628 G sum_j C_ij at the default parameters
(literature.md section 3, tag D). It has the form of the linear FIC of Herzog et al.
(2022, "Neural mass modeling for the masses", bioRxiv; J_i = 0.75 G sum_j C_ij + 1, fitted
with noise). Parameter values: Deco et al. (2014) as implemented in TVB's
``ReducedWongWangExcInh`` (literature.md section 3).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from scipy.optimize import brentq

from fwbm_bench._numba import njit
from fwbm_bench.errors import ConfigError
from fwbm_bench.models.base import NodeModel, Parameter, register_node_functions
from fwbm_bench.models.vector_math import exp

_DECO2014 = "Deco et al. 2014, J Neurosci 34:7886"

PARAMETERS = (
    Parameter("G", 0.0, "1", (0.0, 50.0), "global coupling scaling of the normalised SC", _DECO2014),
    Parameter("a_E", 310.0, "nC^-1", (1.0, 1e4), "excitatory gain", _DECO2014),
    Parameter("b_E", 125.0, "Hz", (0.0, 1e4), "excitatory threshold", _DECO2014),
    Parameter("d_E", 0.16, "s", (1e-4, 10.0), "excitatory curvature", _DECO2014),
    Parameter("gamma_E", 0.641, "1", (0.0, 10.0), "NMDA kinetic factor", _DECO2014),
    Parameter("tau_E", 100.0, "ms", (1.0, 1e4), "NMDA decay time", _DECO2014),
    Parameter("w_plus", 1.4, "1", (0.0, 10.0), "local recurrent excitation", _DECO2014),
    Parameter("J_NMDA", 0.15, "nA", (0.0, 10.0), "excitatory synaptic coupling", _DECO2014),
    Parameter("I_0", 0.382, "nA", (0.0, 10.0), "external background current", _DECO2014),
    Parameter("W_E", 1.0, "1", (0.0, 10.0), "scaling of I_0 onto excitatory pools", _DECO2014),
    Parameter("W_I", 0.7, "1", (0.0, 10.0), "scaling of I_0 onto inhibitory pools", _DECO2014),
    Parameter("a_I", 615.0, "nC^-1", (1.0, 1e4), "inhibitory gain", _DECO2014),
    Parameter("b_I", 177.0, "Hz", (0.0, 1e4), "inhibitory threshold", _DECO2014),
    Parameter("d_I", 0.087, "s", (1e-4, 10.0), "inhibitory curvature", _DECO2014),
    Parameter("gamma_I", 1.0, "1", (0.0, 10.0), "GABA kinetic factor", _DECO2014),
    Parameter("tau_I", 10.0, "ms", (0.1, 1e4), "GABA decay time", _DECO2014),
    Parameter("sigma", 0.01, "ms^-1/2", (0.0, 1.0), "noise amplitude on S_E and S_I", _DECO2014),
    Parameter("fic_offset", -0.026, "nA", (-1.0, 1.0),
              "FIC target of I_E relative to b_E/a_E (-0.026 nA gives r_E ~ 3 Hz)", _DECO2014),
    Parameter("fic", 1.0, "1", (0.0, 1.0), "1: FIC on (J_i solved), 0: J_i = 1 everywhere",
              _DECO2014),
)



# row of each parameter in the kernel's global_params (P, B); compile-time constants for numba
(G, A_E, B_E, D_E, GAMMA_E, TAU_E, W_PLUS, J_NMDA, I_0, W_E, W_I, A_I, B_I, D_I, GAMMA_I, TAU_I,
 SIGMA, FIC_OFFSET, FIC) = range(len(PARAMETERS))
assert [p.name for p in PARAMETERS][J_NMDA] == "J_NMDA" and [p.name for p in PARAMETERS][FIC] == "fic"
# rows after the parameters (ReducedWongWangEI.parameter_rows): reciprocals and scaled factors, so that
# the drift multiplies where it would divide
(INV_TAU_E, INV_TAU_I, GAMMA_E_PER_MS, GAMMA_I_PER_MS, INV_D_E, INV_D_I) = range(len(PARAMETERS), len(PARAMETERS) + 6)


def transfer(current, gain, threshold, curvature):
    """Abbott-Chance rate function H in Hz (NumPy; the kernel inlines its own copy)."""
    x = gain * np.asarray(current, dtype=float) - threshold
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        rate = x / (1.0 - np.exp(-curvature * x))
    return np.where(np.abs(x) < 1e-9, 1.0 / curvature, rate)


def fic_fixed_point(p: dict) -> tuple[float, float, float]:
    """Target fixed point (I_E*, S_E*, S_I*) of Deco et al. (2014)'s FIC, for scalar params."""
    current_e = p["b_E"] / p["a_E"] + p["fic_offset"]
    rate_e = float(transfer(current_e, p["a_E"], p["b_E"], p["d_E"]))
    drive = p["gamma_E"] * rate_e / 1000.0 * p["tau_E"]
    s_e = drive / (1.0 + drive)

    def residual(s_i):
        current_i = p["W_I"] * p["I_0"] + p["J_NMDA"] * s_e - s_i
        return s_i - p["tau_I"] * p["gamma_I"] * float(transfer(current_i, p["a_I"], p["b_I"], p["d_I"])) / 1000.0

    try:
        s_i = brentq(residual, 0.0, 1.0)
    except ValueError:
        raise ConfigError(
            "rww_ei: the FIC target has no inhibitory fixed point in [0, 1] for these parameters "
            f"(I_0 = {p['I_0']}, W_I = {p['W_I']}, J_NMDA = {p['J_NMDA']}, tau_I = {p['tau_I']}); "
            "check the fixed parameters or set fic: 0"
        ) from None
    return current_e, s_e, s_i


def fic_weights(p: dict, in_strength: np.ndarray) -> np.ndarray:
    """Local inhibitory weights J_i (nA) for scalar params and node in-strengths (N,)."""
    current_e, s_e, s_i = fic_fixed_point(p)
    return (p["W_E"] * p["I_0"] + p["w_plus"] * p["J_NMDA"] * s_e
            + p["G"] * p["J_NMDA"] * s_e * in_strength - current_e) / s_i


@njit(inline="always")
def _rates(s_e, s_i, i, b, coupling, ext, global_params, node_params):
    """(dS_E/dt, dS_I/dt, r_E in Hz) of region i, element b: the one copy of the equations."""
    j_nmda = global_params[J_NMDA, b]
    i_0 = global_params[I_0, b]
    current_e = (global_params[W_E, b] * i_0 + global_params[W_PLUS, b] * j_nmda * s_e
                 + global_params[G, b] * j_nmda * coupling[0, i, b] - node_params[0, i, b] * s_i + ext[i, b])
    current_i = global_params[W_I, b] * i_0 + j_nmda * s_e - s_i
    # H(I) = x / (1 - exp(-d x)), x = a I - b, written out here: a nested inlined function would
    # stay a call inside the batch loop, which LLVM then cannot vectorise
    x_e = global_params[A_E, b] * current_e - global_params[B_E, b]
    x_i = global_params[A_I, b] * current_i - global_params[B_I, b]
    rate_e = x_e / (1.0 - exp(-global_params[D_E, b] * x_e))
    rate_i = x_i / (1.0 - exp(-global_params[D_I, b] * x_i))
    rate_e = global_params[INV_D_E, b] if abs(x_e) < 1e-9 else rate_e
    rate_i = global_params[INV_D_I, b] if abs(x_i) < 1e-9 else rate_i
    return (-s_e * global_params[INV_TAU_E, b] + (1.0 - s_e) * global_params[GAMMA_E_PER_MS, b] * rate_e,
            -s_i * global_params[INV_TAU_I, b] + global_params[GAMMA_I_PER_MS, b] * rate_i,
            rate_e)


def _drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    dxdt[0], dxdt[1], _ = _rates(x[0], x[1], i, b, coupling, ext, global_params, node_params)


def _observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    _, _, rate_e = _rates(x[0], x[1], i, b, coupling, ext, global_params, node_params)
    out_row[0, i, b] += x[0] * weight
    out_row[1, i, b] += rate_e * weight


def _drift_observe(tag, x, i, b, coupling, ext, global_params, node_params, dxdt, out_row, weight):
    dxdt[0], dxdt[1], rate_e = _rates(x[0], x[1], i, b, coupling, ext, global_params, node_params)
    out_row[0, i, b] += x[0] * weight
    out_row[1, i, b] += rate_e * weight


def _drift_batch(tag, state, coupling, ext, global_params, node_params, dxdt):
    for i in range(state.shape[1]):
        for b in range(state.shape[2]):
            dxdt[0, i, b], dxdt[1, i, b], _ = _rates(state[0, i, b], state[1, i, b], i, b, coupling, ext,
                                                     global_params, node_params)


def _drift_observe_batch(tag, state, coupling, ext, global_params, node_params, dxdt, out_row, weight):
    for i in range(state.shape[1]):
        for b in range(state.shape[2]):
            s_e = state[0, i, b]
            dxdt[0, i, b], dxdt[1, i, b], rate_e = _rates(s_e, state[1, i, b], i, b, coupling, ext, global_params,
                                                          node_params)
            out_row[0, i, b] += s_e * weight
            out_row[1, i, b] += rate_e * weight


class ReducedWongWangEI(NodeModel):
    name = "rww_ei"
    description = "reduced Wong-Wang E-I mean field with feedback inhibition control (Deco et al. 2014)"
    citation = _DECO2014
    state_variables = ("S_E", "S_I")
    coupling_variables = ("S_E",)
    output_variables = ("S_E", "r_E")
    output_units = ("1", "Hz")
    task_readout = "r_E"  # output decoded by tasks
    bold_variable = "S_E"  # synaptic activity drives BOLD, as in Deco et al. 2013/2014
    noise: ClassVar[dict] = {"S_E": "sigma", "S_I": "sigma"}
    state_bounds: ClassVar[dict] = {"S_E": (0.0, 1.0), "S_I": (0.0, 1.0)}
    time_unit_ms = 1.0
    parameters = PARAMETERS
    default_dt_ms = 0.1

    @classmethod
    def parameter_rows(cls, params):
        """The parameter rows, then 1/tau_E, 1/tau_I (ms^-1), gamma_E/1000, gamma_I/1000 (rates in Hz
        to per ms) and 1/d_E, 1/d_I (Hz, the rate at the removable singularity of H): a division
        costs several multiplications in the SIMD loop."""
        rows = super().parameter_rows(params)
        derived = [1.0 / rows[TAU_E], 1.0 / rows[TAU_I], rows[GAMMA_E] / 1000.0, rows[GAMMA_I] / 1000.0,
                   1.0 / rows[D_E], 1.0 / rows[D_I]]
        return np.concatenate([rows, np.array(derived)])

    @classmethod
    def prepare(cls, params, weights):
        batch = len(params["G"])
        n_regions = weights.shape[0]
        in_strength = weights.sum(axis=1)
        local_inhibition = np.ones((1, n_regions, batch))
        initial = np.empty((2, n_regions, batch))
        for b in range(batch):
            scalar = {name: float(values[b]) for name, values in params.items()}
            _, s_e, s_i = fic_fixed_point(scalar)
            if scalar["fic"] > 0.5:
                local_inhibition[0, :, b] = fic_weights(scalar, in_strength)
            initial[0, :, b] = s_e
            initial[1, :, b] = s_i
        return local_inhibition, initial


register_node_functions(ReducedWongWangEI, _drift, _observe, drift_observe=_drift_observe, drift_batch=_drift_batch,
                        drift_observe_batch=_drift_observe_batch)
