"""TheVirtualBrain's ``SupHopf`` with ``Difference`` coupling as an fwbm-bench entry.

The same equations as our ``hopf`` (Deco et al. 2017): x and y both coupled diffusively,
a Sum_j w_ij (v_j(t - tau_ij) - v_i), additive white noise on x and y; TVB's time unit is ms,
so parameters and state are mapped by :func:`fwbm_bench.adapters.hopf_in_milliseconds`
(the mapping tests/peers checks trajectory by trajectory). TVB's additive noise has amplitude
sqrt(2 nsig), so nsig = (beta / 1000)^2 / 2. Outputs are averaged over each output period from
TVB's full-rate (``Raw``) states, as our loop averages them. TVB accumulates the delayed coupling in
float32 (``simulator/history.py``), about 1e-7 relative. Tasks' input pulses are not handed
over (TVB takes inputs as spatiotemporal stimulus patterns, which this adapter does not
build), so task benchmarks are marked not applicable for this entry.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench.adapters import STATE_SCALE, HopfAdapter, averaged_outputs, hopf_in_milliseconds, installed
from fwbm_bench.errors import SimulationError


class TvbSupHopf(HopfAdapter):
    name = "tvb_suphopf"
    description = "TVB 2's SupHopf (Stuart-Landau, x and y coupled by Difference), run by TheVirtualBrain"
    citation = "Sanz Leon et al. 2013, Front Neuroinform 7:10 (TVB); Deco et al. 2017, Sci Rep 7:3095"
    simulator = "TheVirtualBrain"
    accepts_input = False

    @classmethod
    def run_external(cls, weights, tract_lengths_mm, params, *, seed, duration_ms, dt_ms, conduction_speed_m_per_s,
                     output_period_ms, windows_ms, amplitudes):
        from tvb.datatypes import connectivity
        from tvb.simulator import coupling, integrators, models, monitors, noise, simulator

        n_regions = weights.shape[0]
        peer = hopf_in_milliseconds(params)
        conn = connectivity.Connectivity(
            weights=np.array(weights, dtype=float), tract_lengths=np.array(tract_lengths_mm, dtype=float),
            speed=np.array([float(conduction_speed_m_per_s)]), centres=np.zeros((n_regions, 3)),
            region_labels=np.array([f"r{i}" for i in range(n_regions)]))
        conn.configure()
        model = models.SupHopf(a=np.array([peer["a"]]), omega=np.array([peer["omega"]]),
                               variables_of_interest=("x", "y"))
        additive = noise.Additive(nsig=np.array([peer["noise_intensity"] ** 2 / 2.0]), noise_seed=int(seed))
        horizon = int(np.rint(np.asarray(tract_lengths_mm) / conduction_speed_m_per_s / dt_ms).max()) + 1
        history = np.zeros((horizon, 2, n_regions, 1))
        history[:, 0] = (0.1 * np.sqrt(max(params["a"], 0.0)) + 1e-3) / STATE_SCALE  # our hopf's initial x
        sim = simulator.Simulator(
            model=model, connectivity=conn, coupling=coupling.Difference(a=np.array([peer["G"]])),
            integrator=integrators.EulerStochastic(dt=dt_ms, noise=additive),
            monitors=(monitors.Raw(),),
            simulation_length=duration_ms, initial_conditions=history)
        sim.configure()
        (_, trace), = sim.run()
        after = np.asarray(trace)[:, :, :, 0] * STATE_SCALE  # the states at the end of each step
        if after.shape[0] != round(duration_ms / dt_ms):
            raise SimulationError(f"TVB returned {after.shape[0]} steps, expected {round(duration_ms / dt_ms)}")
        return averaged_outputs(history[0, :, :, 0] * STATE_SCALE, after, dt_ms, duration_ms, output_period_ms)


MODELS = [TvbSupHopf] if installed("tvb") else []
