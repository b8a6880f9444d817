"""Wong & Wang (2006) reduced two-variable decision circuit, and its selective whole-brain variant.

Wong KF, Wang XJ (2006). A recurrent network mechanism of time integration in perceptual
decisions. J Neurosci 26:1314-1328 (Appendix: equations and parameters, literature.md 1b).

Per region i, two excitatory pools k = 1, 2 selective to the two choices (time in ms,
currents in nA, rates in Hz)::

    dS_k/dt = -S_k / tau_S + (1 - S_k) gamma H(x_k) / 1000
    H(x) = (a x - b) / (1 - exp(-d (a x - b)))
    x_1 = J_N11 S_1 - J_N12 S_2 + I_0 + I_1 + I_noise,1 + L_1     (and 1 <-> 2)
    I_1,2 = J_A_ext mu_0 (1 +- c / 100) ext_i                     (c = coherence in %)
    tau_AMPA dI_noise,k/dt = -I_noise,k + eta_k(t) sqrt(tau_AMPA sigma^2)

ext_i is the integrator's external input, used here as a dimensionless 0/1 gate: a
``Stimulus`` pulse of amplitude 1 switches the motion stimulus on in region i, and the
``coherence`` parameter (one value per batch element) sets its strength, so a batch over
coherences and trials is one ``simulate`` call. S_k is clipped to [0, 1]; every run starts
from the resting state (S_1 = S_2 = lowest symmetric fixed point, 0.1027; I_noise = 0). The
paper integrates at dt = 0.1 ms; 0.5 ms gives the same psychometric and RT curves (tests).

Noise. eta is unit Gaussian white noise (<eta(t) eta(t')> = delta(t - t'), per ms), so the
SDE reads dI = -I / tau_AMPA dt + (sigma / sqrt(tau_AMPA)) dW: the white-noise amplitude is
sigma / sqrt(tau_AMPA) per sqrt(ms), and the stationary variance is that amplitude squared
times tau_AMPA / 2, i.e. sigma^2 / 2 (std sigma / sqrt(2) = 0.0141 nA at sigma = 0.02 nA). The
Euler step I' = I (1 - dt / tau_AMPA) + sigma sqrt(dt / tau_AMPA) xi is the one of the
common re-implementations of the paper. The integrator takes a noise amplitude from a
parameter row, so ``parameter_rows`` puts sigma / sqrt(tau_AMPA) into the row of ``sigma``
(the drift never reads that row).

Long-range input L_k, with coupling[0], coupling[1] the delayed sums sum_j C_ij S_1,j(t - tau_ij)
and sum_j C_ij S_2,j(t - tau_ij):

- ``ww2006``: non-selective, L_1 = L_2 = G J_N sum_j C_ij S_j(t - tau_ij), S = (S_1 + S_2) / 2,
  the coupling form of Deco et al. (2014) applied to the region's mean NMDA gating.
- ``ww2006_selective``: Mejias & Wang (2022, eLife 11:e72136, Methods "inter-areal
  projections"): long-range projections are excitatory and target the same-selective pool,
  and a second component reaches the target area's inhibition. Their three-population area
  gets I_A,net = G sum W SLN S_A (same for B) and I_C,net = (G / Z) sum W (1 - SLN)(S_A + S_B).
  The reduced model has no inhibitory variable (inhibition is folded into J_N11, J_N12), so
  we write the long-range input directly onto the two pools:
  L_1 = G (J_N sum_j C_ij S_1,j - J_X sum_j C_ij S_2,j), and 1 <-> 2.
  Eliminating their linear inhibitory pool gives, for a uniform SLN,
  L_A proportional to (SLN - (1 - SLN)/2) S_A - ((1 - SLN)/2) S_B, i.e. this form with
  J_X / J_N = (1 - SLN) / (3 SLN - 1); their balance condition (equal A and B activity has
  no net effect on other areas) at SLN = 1/2, the neutral value for an undirected human SC
  without laminar data, gives J_X = J_N, our default. J_X < J_N is feedforward-like, J_X > J_N
  feedback-like (their "counterstream inhibitory bias").

With zero weights every region is one isolated Wong-Wang circuit. Outputs: r_1, r_2 (Hz),
the tasks' readout r_1 (the circuit is winner-take-all, so r_1 alone gives the choice), and S
= (S_1 + S_2) / 2, which drives BOLD (in [0, 1], like rww_ei's S_E).
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
from scipy.optimize import brentq

from fwbm_bench._numba import njit
from fwbm_bench.errors import ConfigError
from fwbm_bench.models.base import NodeModel, Parameter, register_node_functions

_WW2006 = "Wong & Wang 2006, J Neurosci 26:1314"
_MW2022 = "Mejias & Wang 2022, eLife 11:e72136"
_DECO2014 = "Deco et al. 2014, J Neurosci 34:7886 (coupling form)"

PARAMETERS = (
    Parameter("G", 0.0, "1", (0.0, 50.0), "global coupling scaling of the normalised SC", _DECO2014),
    Parameter("J_N", 0.2609, "nA", (0.0, 2.0),
              "long-range NMDA coupling onto the same-selective pool (default: J_N11)", _MW2022),
    Parameter("a", 270.0, "nC^-1 (Hz/nA)", (1.0, 1e4), "gain of the input-output function H", _WW2006),
    Parameter("b", 108.0, "Hz", (0.0, 1e4), "threshold of H", _WW2006),
    Parameter("d", 0.154, "s", (1e-4, 10.0), "curvature of H", _WW2006),
    Parameter("gamma", 0.641, "1", (0.0, 10.0), "NMDA kinetic factor", _WW2006),
    Parameter("tau_S", 100.0, "ms", (1.0, 1e4), "NMDA decay time (tau_NMDA)", _WW2006),
    Parameter("tau_AMPA", 2.0, "ms", (0.01, 1e3), "AMPA time constant of the noise current", _WW2006),
    Parameter("J_N11", 0.2609, "nA", (0.0, 10.0), "recurrent NMDA coupling within a pool (= J_N22)", _WW2006),
    Parameter("J_N12", 0.0497, "nA", (0.0, 10.0), "effective cross-pool inhibition (= J_N21)", _WW2006),
    Parameter("J_A_ext", 5.2e-4, "nA/Hz", (0.0, 1.0), "AMPA coupling of the external motion input", _WW2006),
    Parameter("I_0", 0.3255, "nA", (0.0, 10.0), "background current", _WW2006),
    Parameter("sigma", 0.02, "nA", (0.0, 1.0),
              "noise amplitude sigma_noise of the OU equation (stationary std sigma/sqrt(2))", _WW2006),
    Parameter("mu_0", 30.0, "Hz", (0.0, 1e3), "stimulus strength at zero coherence", _WW2006),
    Parameter("coherence", 0.0, "%", (-100.0, 100.0), "motion coherence c (> 0 favours pool 1)", _WW2006),
)
SELECTIVE_PARAMETERS = PARAMETERS + (
    Parameter("J_X", 0.2609, "nA", (0.0, 2.0),
              "long-range cross-selective inhibition (default J_N: balanced, SLN = 1/2)", _MW2022),
)

# rows of global_params (P, B); compile-time constants for numba
(G, J_N, A, B_H, D, GAMMA, TAU_S, TAU_AMPA, J_N11, J_N12, J_A_EXT, I_0, SIGMA, MU_0,
 COHERENCE, J_X) = range(len(SELECTIVE_PARAMETERS))
assert [p.name for p in SELECTIVE_PARAMETERS][SIGMA] == "sigma" and SELECTIVE_PARAMETERS[J_X].name == "J_X"


def transfer(current, p: dict):
    """H(x) in Hz for currents in nA (NumPy; the kernel inlines its own copy)."""
    x = p["a"] * np.asarray(current, dtype=float) - p["b"]
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        rate = x / (1.0 - np.exp(-p["d"] * x))
    return np.where(np.abs(x) < 1e-9, 1.0 / p["d"], rate)


def resting_gating(p: dict) -> float:
    """Lowest symmetric fixed point S_1 = S_2 of the isolated circuit without stimulus or noise."""
    def residual(s):
        drive = p["gamma"] * transfer((p["J_N11"] - p["J_N12"]) * s + p["I_0"], p) / 1000.0 * p["tau_S"]
        return s - drive / (1.0 + drive)

    grid = np.linspace(0.0, 1.0, 2001)
    values = residual(grid)
    if values[0] == 0.0:
        return 0.0
    crossing = np.flatnonzero(np.sign(values[:-1]) != np.sign(values[1:]))
    if len(crossing) == 0:
        raise ConfigError("ww2006: no symmetric resting state in [0, 1] for these parameters")
    return float(brentq(lambda s: float(residual(s)), grid[crossing[0]], grid[crossing[0] + 1], xtol=1e-14))


@njit
def _rate(current, global_params, b):
    x = global_params[A, b] * current - global_params[B_H, b]
    if abs(x) < 1e-9:
        return 1.0 / global_params[D, b]
    return x / (1.0 - math.exp(-global_params[D, b] * x))


@njit
def _currents(x, b, long_range_1, long_range_2, gate, global_params):
    """Total inputs x_1, x_2 (nA) of the two pools for state x = (S_1, S_2, I_noise_1, I_noise_2)."""
    drive = global_params[J_A_EXT, b] * global_params[MU_0, b] * gate
    c = global_params[COHERENCE, b] / 100.0
    j_same, j_cross, i_0 = global_params[J_N11, b], global_params[J_N12, b], global_params[I_0, b]
    x_1 = j_same * x[0] - j_cross * x[1] + i_0 + drive * (1.0 + c) + x[2] + long_range_1
    x_2 = j_same * x[1] - j_cross * x[0] + i_0 + drive * (1.0 - c) + x[3] + long_range_2
    return x_1, x_2


@njit
def _dynamics(x, b, long_range_1, long_range_2, gate, global_params, dxdt):
    """Write the drift into ``dxdt``; return the two pools' rates H(x_1), H(x_2) (Hz)."""
    x_1, x_2 = _currents(x, b, long_range_1, long_range_2, gate, global_params)
    tau_s, kinetic, tau_ampa = global_params[TAU_S, b], global_params[GAMMA, b] / 1000.0, global_params[TAU_AMPA, b]
    rate_1, rate_2 = _rate(x_1, global_params, b), _rate(x_2, global_params, b)
    dxdt[0] = -x[0] / tau_s + (1.0 - x[0]) * kinetic * rate_1
    dxdt[1] = -x[1] / tau_s + (1.0 - x[1]) * kinetic * rate_2
    dxdt[2] = -x[2] / tau_ampa
    dxdt[3] = -x[3] / tau_ampa
    return rate_1, rate_2


@njit
def _write_outputs(x, i, b, rate_1, rate_2, out_row, weight):
    out_row[0, i, b] += rate_1 * weight
    out_row[1, i, b] += rate_2 * weight
    out_row[2, i, b] += 0.5 * (x[0] + x[1]) * weight


@njit
def _outputs(x, i, b, long_range_1, long_range_2, gate, global_params, out_row, weight):
    x_1, x_2 = _currents(x, b, long_range_1, long_range_2, gate, global_params)
    _write_outputs(x, i, b, _rate(x_1, global_params, b), _rate(x_2, global_params, b), out_row, weight)


@njit
def _pooled_input(i, b, coupling, global_params):
    return global_params[G, b] * global_params[J_N, b] * 0.5 * (coupling[0, i, b] + coupling[1, i, b])


@njit
def _selective_inputs(i, b, coupling, global_params):
    g_same, g_cross = global_params[G, b] * global_params[J_N, b], global_params[G, b] * global_params[J_X, b]
    return (g_same * coupling[0, i, b] - g_cross * coupling[1, i, b],
            g_same * coupling[1, i, b] - g_cross * coupling[0, i, b])


def _drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    long_range = _pooled_input(i, b, coupling, global_params)
    _dynamics(x, b, long_range, long_range, ext[i, b], global_params, dxdt)


def _observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    long_range = _pooled_input(i, b, coupling, global_params)
    _outputs(x, i, b, long_range, long_range, ext[i, b], global_params, out_row, weight)


def _drift_observe(tag, x, i, b, coupling, ext, global_params, node_params, dxdt, out_row, weight):
    long_range = _pooled_input(i, b, coupling, global_params)
    rate_1, rate_2 = _dynamics(x, b, long_range, long_range, ext[i, b], global_params, dxdt)
    _write_outputs(x, i, b, rate_1, rate_2, out_row, weight)


def _drift_observe_selective(tag, x, i, b, coupling, ext, global_params, node_params, dxdt, out_row, weight):
    long_range_1, long_range_2 = _selective_inputs(i, b, coupling, global_params)
    rate_1, rate_2 = _dynamics(x, b, long_range_1, long_range_2, ext[i, b], global_params, dxdt)
    _write_outputs(x, i, b, rate_1, rate_2, out_row, weight)


def _drift_selective(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    long_range_1, long_range_2 = _selective_inputs(i, b, coupling, global_params)
    _dynamics(x, b, long_range_1, long_range_2, ext[i, b], global_params, dxdt)


def _observe_selective(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    long_range_1, long_range_2 = _selective_inputs(i, b, coupling, global_params)
    _outputs(x, i, b, long_range_1, long_range_2, ext[i, b], global_params, out_row, weight)


class WongWang2006(NodeModel):
    name = "ww2006"
    description = "Wong & Wang (2006) reduced two-pool decision circuit, non-selective SC coupling"
    citation = _WW2006
    state_variables = ("S_1", "S_2", "I_noise_1", "I_noise_2")
    coupling_variables = ("S_1", "S_2")
    output_variables = ("r_1", "r_2", "S")
    output_units = ("Hz", "Hz", "1")
    task_readout = "r_1"  # winner-take-all: r_1 high <=> choice 1
    choice_outputs = ("r_1", "r_2")
    stimulus_parameter = "coherence"
    max_dt_ms = 0.5  # tau_AMPA = 2 ms; 0.5 ms reproduces the 0.1 ms curves (tests/test_models_ww2006.py)
    bold_variable = "S"  # mean NMDA gating of the two pools
    noise: ClassVar[dict] = {"I_noise_1": "sigma", "I_noise_2": "sigma"}  # row: sigma / sqrt(tau_AMPA)
    state_bounds: ClassVar[dict] = {"S_1": (0.0, 1.0), "S_2": (0.0, 1.0)}
    time_unit_ms = 1.0
    parameters = PARAMETERS
    default_dt_ms = 0.1

    @classmethod
    def parameter_rows(cls, params):
        """Parameter rows, except that the ``sigma`` row holds the white-noise amplitude
        sigma / sqrt(tau_AMPA) (nA ms^-1/2) the integrator applies to I_noise (module docstring)."""
        rows = super().parameter_rows(params)
        rows[SIGMA] = params["sigma"] / np.sqrt(params["tau_AMPA"])
        return rows

    @classmethod
    def prepare(cls, params, weights):
        batch = len(params["G"])
        n_regions = weights.shape[0]
        initial = np.zeros((4, n_regions, batch))
        names = [p.name for p in cls.parameters]
        table = np.array([params[name] for name in names]).T  # (B, P); trials share parameter sets
        unique, index = np.unique(table, axis=0, return_inverse=True)
        s_rest = np.array([resting_gating(dict(zip(names, row))) for row in unique])
        initial[:2] = s_rest[np.ravel(index)][None, None, :]
        return np.zeros((0, n_regions, batch)), initial


class WongWang2006Selective(WongWang2006):
    name = "ww2006_selective"
    description = ("Wong & Wang (2006) two-pool circuits with selective long-range coupling "
                   "(Mejias & Wang 2022): same-pool excitation, cross-pool inhibition")
    parameters = SELECTIVE_PARAMETERS


register_node_functions(WongWang2006, _drift, _observe, drift_observe=_drift_observe)
register_node_functions(WongWang2006Selective, _drift_selective, _observe_selective,
                        drift_observe=_drift_observe_selective)
