"""neurolib's Stuart-Landau model (``neurolib.models.hopf.HopfModel``) as an fwbm-bench entry.

Same parameters, units and outputs as our ``hopf`` (Deco et al. 2017; time in s), mapped onto
neurolib's units (time in ms, :func:`fwbm_bench.adapters.hopf_in_milliseconds`). neurolib
couples x only (its y coupling is commented out in ``timeIntegration.py``), diffusively, as
Sum_j C_ij (x_j(t - tau_ij) - x_i); ours couples x and y. Its noise is an Ornstein-Uhlenbeck
input of correlation time ``tau_ou`` = 5 ms (its default), whose intensity is set so that on the
model's time scales (period 1 / f = 20 s, decay 1 / |a| = 50 s) it acts as our white noise:
sigma_ou = (beta / 1000) / tau_ou. Outputs are averaged over each output period from neurolib's
full-rate states, as our loop averages them. Input pulses go to ``x_ext``.
neurolib keeps the whole run in memory (its arrays span the duration at full rate), so long
runs at small steps need memory: 168 s at dt = 1 ms and 80 regions take about 0.5 GB.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench.adapters import STATE_SCALE, HopfAdapter, averaged_outputs, hopf_in_milliseconds, installed
from fwbm_bench.errors import SimulationError

TAU_OU_MS = 5.0  # neurolib's default


class NeurolibHopf(HopfAdapter):
    name = "neurolib_hopf"
    description = "neurolib 0.6's HopfModel (Stuart-Landau, x coupled diffusively), run by neurolib"
    citation = "Cakan, Jajcay & Obermayer 2023, Cogn Comput 15:1132 (neurolib); Deco et al. 2017, Sci Rep 7:3095"
    simulator = "neurolib"
    accepts_input = True
    coupling_variables = ("x",)

    @classmethod
    def run_external(cls, weights, tract_lengths_mm, params, *, seed, duration_ms, dt_ms, conduction_speed_m_per_s,
                     output_period_ms, windows_ms, amplitudes):
        from neurolib.models.hopf import HopfModel

        n_regions = weights.shape[0]
        peer = hopf_in_milliseconds(params)
        lengths = np.array(tract_lengths_mm, dtype=float)
        np.fill_diagonal(lengths, 0.0)  # neurolib trims its outputs by a delay that counts the diagonal
        model = HopfModel(Cmat=np.array(weights, dtype=float), Dmat=lengths)
        n_steps = round(duration_ms / dt_ms)
        delays = np.around(tract_lengths_mm / conduction_speed_m_per_s / dt_ms).astype(int)
        np.fill_diagonal(delays, 0)
        start = int(delays.max()) + 1  # neurolib's history length (startind)
        x_ext = np.zeros((n_regions, start + n_steps))
        for (on_ms, off_ms), amplitude in zip(windows_ms, amplitudes):
            on, off = round(on_ms / dt_ms), round(off_ms / dt_ms)
            # neurolib's step i reads x_ext[:, i - 1] (i counted from its history start)
            x_ext[:, start - 1 + on:start - 1 + off] += amplitude[:, None] / 1000.0 / STATE_SCALE
        initial = 0.1 * np.sqrt(max(params["a"], 0.0)) + 1e-3  # our hopf's initial x (StuartLandau.prepare)
        model.params.update({
            "dt": dt_ms, "duration": n_steps * dt_ms, "signalV": conduction_speed_m_per_s, "seed": int(seed),
            "K_gl": peer["G"], "a": peer["a"], "w": peer["omega"], "coupling": "diffusive",
            "tau_ou": TAU_OU_MS, "sigma_ou": peer["noise_intensity"] / TAU_OU_MS,
            "xs_init": np.full((n_regions, 1), initial / STATE_SCALE), "ys_init": np.zeros((n_regions, 1)),
            "x_ou": np.zeros(n_regions), "y_ou": np.zeros(n_regions),
            "x_ext": x_ext, "y_ext": np.zeros_like(x_ext),
        })
        model.run()
        if model.params["Dmat_ndt"].max() + 1 != start:
            raise SimulationError(f"neurolib's delays ({model.params['Dmat_ndt'].max()} steps at most) differ from "
                                  f"fwbm-bench's ({start - 1})")
        after = np.stack([np.asarray(model.x), np.asarray(model.y)], axis=1).T * STATE_SCALE  # (n_steps, 2, N)
        if after.shape[0] != n_steps:  # neurolib's outputs: the states at the end of steps 1..n
            raise SimulationError(f"neurolib returned {after.shape[0]} steps, expected {n_steps}")
        start_state = np.array([np.full(n_regions, initial), np.zeros(n_regions)])
        return averaged_outputs(start_state, after, dt_ms, duration_ms, output_period_ms)


MODELS = [NeurolibHopf] if installed("neurolib") else []
