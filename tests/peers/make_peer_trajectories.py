"""Record deterministic trajectories of the peer simulators (TVB, neurolib) for tests/test_peer_trajectories.py.

Run with the peers' own venv (it needs tvb-library, neurolib and numpy, not fwbm_bench)::

    python3 -m venv /work/peers-venv
    /work/peers-venv/bin/pip install tvb-library==2.10.0 neurolib==0.6.2
    /work/peers-venv/bin/python tests/peers/make_peer_trajectories.py

Each comparison writes one small ``tests/data/peer_trajectories/<name>.npz``: the network (weights,
tract lengths, speed, dt, scheme), our model's name and parameters (``params_json``, OUR names), the
initial state in OUR units, the peer's trajectory converted to OUR output variables and units, the
tolerance with its reason, and the peer's own set-up (``peer_setup_json``) for provenance.
Trajectory row k is the state at the start of step k * stride, as our ``simulate`` records it.

Conventions checked in the peers' sources (tests/peers/README.md):
* delays: TVB 2.10 ``rint(length / speed / dt)`` (datatypes/connectivity.py set_idelays), neurolib
  ``np.around(length / signalV / dt)``: both round half to even, as our ``delay_steps``; lengths
  here sit >= 0.2 steps away from any rounding tie anyway.
* history: a delay of d steps reads the state d steps before the current one in TVB
  (history.py: buffer[(step - 1 - d) % n_time] while computing ``step``), in neurolib
  (``x[l, i - d - 1]`` while computing i) and in ours (slot head - d, head = now); every peer
  history is filled with the initial state.
* TVB evaluates the coupling once per step and Heun reuses it for the corrector (simulator.py
  __call__, integrators.py HeunDeterministic), as ours does for the delayed sum. But TVB's
  Difference and Kuramoto couplings also hold the local x_i (x_j - x_i, sin(x_j - x_i)), which
  TVB freezes too while ours evaluates it at the predicted state; so hopf, kuramoto and
  fitzhugh_nagumo are compared with both schemes: Euler matches, Heun is a known difference.
* TVB's history buffer and weights are float32 (history.py NDArray(..., 'f')): the delayed
  coupling is computed from float32-rounded states and summed in float32. Weights and initial
  states are therefore chosen exactly representable in float32, so the only float32 effect left
  is the rounding of the stored states (~6e-8 relative).
"""

from __future__ import annotations

import json
import statistics
from importlib.metadata import version
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "data" / "peer_trajectories"
N_REGIONS = 5


def float32_exact(values):
    """Values exactly representable in float32 (TVB stores weights and history in float32)."""
    return np.asarray(values, dtype=np.float32).astype(np.float64)


def network(seed, dt, speed, min_delay=2, max_delay=20):
    """Random directed weights (float32-exact, zero diagonal) and lengths giving delays of
    ``min_delay``..``max_delay`` steps, each at least 0.2 steps away from a rounding tie."""
    rng = np.random.default_rng(seed)
    weights = float32_exact(rng.uniform(0.1, 1.0, (N_REGIONS, N_REGIONS)))
    np.fill_diagonal(weights, 0.0)
    steps = rng.integers(min_delay, max_delay + 1, (N_REGIONS, N_REGIONS))
    lengths = speed * dt * (steps + rng.uniform(-0.3, 0.3, steps.shape))
    np.fill_diagonal(lengths, 0.0)
    delays = np.rint(lengths / speed / dt).astype(int)
    off_diagonal = ~np.eye(N_REGIONS, dtype=bool)
    assert (delays[off_diagonal] == steps[off_diagonal]).all()
    return weights, lengths, rng


def save(name, *, model, peer, scheme, weights, lengths, speed, dt, n_steps, stride, params, initial_state,
         outputs, trajectory, rtol, atol, tolerance_reason, peer_setup, note=""):
    trajectory = np.asarray(trajectory, dtype=float)
    assert trajectory.shape == (len(range(0, n_steps, stride)), len(outputs), N_REGIONS), trajectory.shape
    assert np.isfinite(trajectory).all()
    peer_name, package = peer
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.npz"
    np.savez_compressed(
        path, model=model, peer=f"{peer_name} ({package} {version(package)})", scheme=scheme,
        weights=weights, tract_lengths_mm=lengths, conduction_speed_m_per_s=float(speed), dt_ms=float(dt),
        n_steps=int(n_steps), stride=int(stride), params_json=json.dumps(params, sort_keys=True),
        initial_state=np.asarray(initial_state, dtype=float), outputs=np.array(outputs),
        trajectory=trajectory, rtol=float(rtol), atol=np.broadcast_to(np.asarray(atol, dtype=float), (len(outputs),)),
        tolerance_reason=tolerance_reason, peer_setup_json=json.dumps(peer_setup, sort_keys=True), note=note,
    )
    print(f"{name}: {path.stat().st_size / 1024:.1f} KB, {n_steps} steps, stride {stride}")


# ----------------------------------------------------------------------------------------- TVB

HEUN_FROZEN_LOCAL = ("TVB's HeunDeterministic reuses the whole coupling term of the step for the corrector, including "
                     "the local x_i inside Difference (x_j - x_i) and Kuramoto (sin(x_j - x_i)) coupling; ours "
                     "evaluates the local part at the predicted state: a known scheme difference (the test is xfail)")
TVB_FLOAT32 = ("TVB 2.10 stores the delay history and the weights in float32 (simulator/history.py) and sums the "
               "coupling in float32; ours is float64 throughout")


def run_tvb(model, coupling, weights, lengths, speed, dt, initial_state, n_steps, scheme):
    """TVB trajectory (n_steps, n_state, N): row 0 the initial state, row k the state after k steps."""
    from tvb.datatypes import connectivity
    from tvb.simulator import integrators, monitors, simulator

    conn = connectivity.Connectivity(
        weights=weights, tract_lengths=lengths, speed=np.array([float(speed)]),
        centres=np.zeros((N_REGIONS, 3)), region_labels=np.array([f"r{i}" for i in range(N_REGIONS)]))
    conn.configure()
    integrator = {"heun": integrators.HeunDeterministic, "euler": integrators.EulerDeterministic}[scheme](dt=dt)
    horizon = int(np.rint(lengths / speed / dt).max()) + 1
    initial = np.asarray(initial_state, dtype=float)
    history = np.repeat(initial[None, :, :, None], horizon, axis=0)  # (horizon, n_state, N, 1), constant
    sim = simulator.Simulator(model=model, connectivity=conn, coupling=coupling, integrator=integrator,
                              monitors=(monitors.Raw(),), initial_conditions=history)
    sim.configure()
    assert (sim.connectivity.idelays == np.rint(lengths / speed / dt)).all()
    assert sim.history.n_time == horizon
    (_, states), = sim.run(n_steps=n_steps - 1)
    states = np.asarray(states)[:, :, :, 0]
    assert states.shape == (n_steps - 1,) + initial.shape, states.shape
    return np.concatenate([initial[None], states])


def tvb_hopf(scheme):
    """Our hopf (time in s) vs TVB SupHopf (time in ms), both coupled diffusively in x and y.

    Rescaling time by 1000 maps one onto the other only with the state rescaled too:
    x_TVB = x / sqrt(1000), a_TVB = a / 1000, omega_TVB = 2 pi f / 1000, Difference a = G / 1000.
    """
    from tvb.simulator import coupling, models

    dt, speed, n_steps, stride = 1.0, 5.0, 1000, 2
    weights, lengths, rng = network(11, dt, speed)
    ours = {"G": 3.0, "a": 5.0, "f": 8.0, "beta": 0.0}
    scale = np.sqrt(1000.0)
    initial_tvb = float32_exact(rng.uniform(-1.0, 1.0, (2, N_REGIONS)) / scale)
    tvb_params = {"a": ours["a"] / 1000, "omega": 2 * np.pi * ours["f"] / 1000, "Difference.a": ours["G"] / 1000}
    model = models.SupHopf(a=np.array([tvb_params["a"]]), omega=np.array([tvb_params["omega"]]),
                           variables_of_interest=("x", "y"))
    states = run_tvb(model, coupling.Difference(a=np.array([tvb_params["Difference.a"]])), weights, lengths,
                     speed, dt, initial_tvb, n_steps, scheme)
    save(f"hopf_tvb_suphopf_{scheme}", model="hopf", peer=("TVB SupHopf + Difference", "tvb-library"),
         scheme=scheme, weights=weights, lengths=lengths, speed=speed, dt=dt, n_steps=n_steps, stride=stride,
         params=ours, initial_state=initial_tvb * scale, outputs=["x", "y"],
         trajectory=states[::stride] * scale, rtol=0.0, atol=1e-6,
         tolerance_reason=f"{TVB_FLOAT32}; Euler: observed max |diff| 1.5e-8 on |x| <= 2.2",
         peer_setup={"model": "SupHopf", "coupling": "Difference", "integrator": scheme, **tvb_params,
                     "state_scale": "x_TVB = x_ours / sqrt(1000)"},
         note=HEUN_FROZEN_LOCAL if scheme == "heun" else "")


def tvb_rww_ei():
    """rww_ei with fic = 0 (J_i = 1, TVB's default) vs TVB ReducedWongWangExcInh + Linear(a=1)."""
    from tvb.simulator import coupling, models

    dt, speed, n_steps, stride = 0.5, 5.0, 1200, 3
    weights, lengths, rng = network(12, dt, speed)
    ours = {"G": 1.2, "fic": 0.0, "sigma": 0.0}
    initial = float32_exact(np.stack([rng.uniform(0.05, 0.4, N_REGIONS), rng.uniform(0.02, 0.1, N_REGIONS)]))
    tvb_params = {"G": ours["G"], "J_i": 1.0, "lamda": 0.0, "I_ext": 0.0, "Linear.a": 1.0, "Linear.b": 0.0}
    model = models.ReducedWongWangExcInh(G=np.array([ours["G"]]), J_i=np.array([1.0]), lamda=np.array([0.0]),
                                         variables_of_interest=("S_e", "S_i"))
    states = run_tvb(model, coupling.Linear(a=np.array([1.0]), b=np.array([0.0])), weights, lengths, speed, dt,
                     initial, n_steps, "heun")
    save("rww_ei_tvb_reducedwongwangexcinh_heun", model="rww_ei",
         peer=("TVB ReducedWongWangExcInh + Linear", "tvb-library"), scheme="heun", weights=weights,
         lengths=lengths, speed=speed, dt=dt, n_steps=n_steps, stride=stride, params=ours, initial_state=initial,
         outputs=["S_E"], trajectory=states[::stride, :1], rtol=0.0, atol=2e-7,
         tolerance_reason=f"{TVB_FLOAT32}; observed max |diff| 4.5e-9 on S_E in [0, 1]",
         peer_setup={"model": "ReducedWongWangExcInh (other parameters TVB defaults = ours)", "coupling": "Linear",
                     "integrator": "heun", **tvb_params},
         note="TVB records states only, so r_E is not compared here (see the neurolib ww comparison)")


def _jr_tvb_model(ours):
    """TVB JansenRit (ms, 1/ms) with our parameters (s, 1/s): rates, e0 and p divided by 1000."""
    from tvb.simulator import models

    tvb = {"A": ours["A"], "B": ours["B"], "a": ours["a"] / 1000, "b": ours["b"] / 1000, "v0": ours["v0"],
           "nu_max": ours["e0"] / 1000, "r": ours["r"], "J": ours["C"], "a_1": 1.0, "a_2": 0.8, "a_3": 0.25,
           "a_4": 0.25, "mu": ours["p_mean"] / 1000}
    model = models.JansenRit(**{k: np.array([v]) for k, v in tvb.items()},
                             variables_of_interest=("y0", "y1", "y2", "y3", "y4", "y5"))
    return model, tvb


JR_DEFAULTS = {"A": 3.25, "B": 22.0, "a": 100.0, "b": 50.0, "e0": 2.5, "v0": 6.0, "r": 0.56, "C": 135.0,
               "p_mean": 220.0}


def _jr_initial(rng, inhibition=True):
    """Initial state in TVB units (mV, mV/ms), float32-exact; ours has y3..y5 in mV/s (x 1000, exact)."""
    initial = np.stack([rng.uniform(0.0, 0.2, N_REGIONS), rng.uniform(10.0, 25.0, N_REGIONS),
                        rng.uniform(5.0, 20.0, N_REGIONS), rng.uniform(-0.05, 0.05, N_REGIONS),
                        rng.uniform(-0.05, 0.05, N_REGIONS), rng.uniform(-0.05, 0.05, N_REGIONS)])
    if not inhibition:
        initial[[2, 5]] = 0.0
    initial = float32_exact(initial)
    ours = initial.copy()
    ours[3:] *= 1000.0
    return initial, ours


def tvb_jansen_rit_stock():
    """Stock TVB: JansenRit + Linear coupling on its first coupling variable, y1.

    TVB's JansenRit uses only c[0]: with Linear coupling that is G sum_j w_ij y1_j, while ours couples
    y1 - y2. With B = 0 and y2 = y5 = 0 initially, y2 stays 0 in both and the equations coincide.
    """
    from tvb.simulator import coupling

    dt, speed, n_steps, stride = 0.1, 10.0, 2000, 5
    weights, lengths, rng = network(13, dt, speed)
    ours = JR_DEFAULTS | {"G": 2.0, "B": 0.0, "sigma": 0.0}
    model, tvb_params = _jr_tvb_model(ours)
    initial_tvb, initial_ours = _jr_initial(rng, inhibition=False)
    states = run_tvb(model, coupling.Linear(a=np.array([ours["G"] / 1000]), b=np.array([0.0])), weights, lengths,
                     speed, dt, initial_tvb, n_steps, "heun")
    assert (states[:, 2] == 0).all()
    save("jansen_rit_tvb_linear_no_inhibition_heun", model="jansen_rit",
         peer=("TVB JansenRit + Linear (B = 0)", "tvb-library"), scheme="heun", weights=weights, lengths=lengths,
         speed=speed, dt=dt, n_steps=n_steps, stride=stride, params=ours, initial_state=initial_ours,
         outputs=["y1_minus_y2"], trajectory=(states[::stride, 1] - states[::stride, 2])[:, None], rtol=0.0,
         atol=2e-6, tolerance_reason=f"{TVB_FLOAT32}; observed max |diff| 2.4e-8 mV on y1 - y2 up to 30 mV",
         peer_setup={"model": "JansenRit", "coupling": "Linear", "Linear.a": ours["G"] / 1000, "integrator": "heun",
                     **tvb_params, "state_scale": "y3..y5 TVB in mV/ms = ours (mV/s) / 1000"},
         note="B = 0 because stock TVB couples y1 only (JansenRit uses c[0] of cvar [y1, y2]); ours couples y1 - y2")


def tvb_jansen_rit_full():
    """TVB's JansenRit model, history and Heun, with a 3-line Coupling subclass giving our linear y1 - y2 input
    (TVB's documented extension point: no stock TVB coupling is linear in y1 - y2)."""
    from tvb.basic.neotraits.api import NArray
    from tvb.simulator import coupling

    class LinearPyramidal(coupling.Coupling):
        """a sum_j w_ij (y1_j - y2_j)(t - tau_ij): SigmoidalJansenRit with the sigmoid left out."""

        a = NArray(label="a", default=np.array([1.0]), doc="scaling of the summed y1 - y2")

        def pre(self, x_i, x_j):
            return (x_j[:, 0] - x_j[:, 1])[:, np.newaxis]

        def post(self, gx):
            return self.a * gx

    dt, speed, n_steps, stride = 0.1, 10.0, 2000, 5
    weights, lengths, rng = network(14, dt, speed)
    ours = JR_DEFAULTS | {"G": 2.0, "sigma": 0.0}
    model, tvb_params = _jr_tvb_model(ours)
    initial_tvb, initial_ours = _jr_initial(rng)
    states = run_tvb(model, LinearPyramidal(a=np.array([ours["G"] / 1000])), weights, lengths, speed, dt, initial_tvb, n_steps, "heun")
    save("jansen_rit_tvb_linear_y1_minus_y2_heun", model="jansen_rit",
         peer=("TVB JansenRit + linear y1 - y2 coupling subclass", "tvb-library"), scheme="heun", weights=weights,
         lengths=lengths, speed=speed, dt=dt, n_steps=n_steps, stride=stride, params=ours,
         initial_state=initial_ours, outputs=["y1_minus_y2"],
         trajectory=(states[::stride, 1] - states[::stride, 2])[:, None], rtol=0.0, atol=1e-6,
         tolerance_reason=f"{TVB_FLOAT32}; observed max |diff| 1.3e-8 mV on |y1 - y2| up to 15 mV",
         peer_setup={"model": "JansenRit", "coupling": "Coupling subclass: pre = y1_j - y2_j, post = a * gx",
                     "coupling.a": ours["G"] / 1000, "integrator": "heun", **tvb_params,
                     "state_scale": "y3..y5 TVB in mV/ms = ours (mV/s) / 1000"},
         note="the coupling function is a user subclass (TVB has none linear in y1 - y2); model, history, delays "
              "and integrator are stock TVB")


def _kuramoto_omega(f, f_sd):
    """Our per-region angular frequencies (rad/s): 2 pi (f + f_sd z_i), z_i normal quantiles (i + 1/2) / N."""
    z = np.array([statistics.NormalDist().inv_cdf((i + 0.5) / N_REGIONS) for i in range(N_REGIONS)])
    return 2 * np.pi * (f + f_sd * z)


def tvb_kuramoto(scheme):
    """Our kuramoto (s) vs TVB Kuramoto (ms) + Kuramoto coupling: omega_TVB = omega / 1000, a = G / 1000.

    TVB's Kuramoto coupling documents a / N but SparseCoupling's post divides by gx.shape[0], the number
    of coupling variables (1), so it is a sum_j w_ij sin(theta_j - theta_i), as ours.
    """
    from tvb.simulator import coupling, models

    dt, speed, n_steps, stride = 0.5, 5.0, 1500, 5
    weights, lengths, rng = network(15, dt, speed)
    ours = {"G": 10.0, "f": 4.0, "f_sd": 1.0, "sigma": 0.0}
    omega = _kuramoto_omega(ours["f"], ours["f_sd"]) / 1000
    initial = float32_exact(rng.uniform(0.0, 2 * np.pi, (1, N_REGIONS)))
    model = models.Kuramoto(omega=omega, variables_of_interest=("theta",))
    states = run_tvb(model, coupling.Kuramoto(a=np.array([ours["G"] / 1000])), weights, lengths, speed, dt,
                     initial, n_steps, scheme)
    theta = states[::stride, 0]
    save(f"kuramoto_tvb_kuramoto_{scheme}", model="kuramoto",
         peer=("TVB Kuramoto + Kuramoto coupling", "tvb-library"), scheme=scheme, weights=weights, lengths=lengths, speed=speed, dt=dt, n_steps=n_steps, stride=stride,
         params=ours, initial_state=initial, outputs=["sin_theta", "cos_theta"],
         trajectory=np.stack([np.sin(theta), np.cos(theta)], axis=1), rtol=0.0, atol=2e-5,
         tolerance_reason=f"{TVB_FLOAT32}; TVB also keeps the unwrapped phase (up to ~20 rad here) in float32; "
                          "Euler: observed max |diff| 3e-7",
         peer_setup={"model": "Kuramoto", "omega_rad_per_ms": omega.tolist(), "coupling": "Kuramoto",
                     "Kuramoto.a": ours["G"] / 1000, "integrator": scheme},
         note=HEUN_FROZEN_LOCAL if scheme == "heun" else "")


WC_PARAMS = {"K_gl": 0.6, "tau_exc": 2.5, "tau_inh": 3.75, "c_excexc": 16.0, "c_excinh": 15.0, "c_inhexc": 12.0,
             "c_inhinh": 3.0, "a_exc": 1.5, "a_inh": 1.5, "mu_exc": 3.0, "mu_inh": 3.0, "exc_ext": 1.5,
             "inh_ext": 0.0, "sigma": 0.0}


def tvb_wilson_cowan():
    """wilson_cowan vs TVB WilsonCowan with shift_sigmoid False, k = r = c = alpha = 1, theta = 0, Linear."""
    from tvb.simulator import coupling, models

    dt, speed, n_steps, stride = 0.1, 20.0, 2000, 5
    weights, lengths, rng = network(16, dt, speed)
    p = WC_PARAMS
    initial = float32_exact(rng.uniform(0.0, 0.3, (2, N_REGIONS)))
    tvb = {"c_ee": p["c_excexc"], "c_ei": p["c_inhexc"], "c_ie": p["c_excinh"], "c_ii": p["c_inhinh"],
           "tau_e": p["tau_exc"], "tau_i": p["tau_inh"], "a_e": p["a_exc"], "b_e": p["mu_exc"], "a_i": p["a_inh"],
           "b_i": p["mu_inh"], "P": p["exc_ext"], "Q": p["inh_ext"], "c_e": 1.0, "c_i": 1.0, "theta_e": 0.0,
           "theta_i": 0.0, "r_e": 1.0, "r_i": 1.0, "k_e": 1.0, "k_i": 1.0, "alpha_e": 1.0, "alpha_i": 1.0}
    model = models.WilsonCowan(**{k: np.array([v]) for k, v in tvb.items()}, shift_sigmoid=np.array([False]),
                               variables_of_interest=("E", "I"))
    states = run_tvb(model, coupling.Linear(a=np.array([p["K_gl"]]), b=np.array([0.0])), weights, lengths, speed,
                     dt, initial, n_steps, "heun")
    save("wilson_cowan_tvb_wilsoncowan_heun", model="wilson_cowan",
         peer=("TVB WilsonCowan + Linear", "tvb-library"), scheme="heun", weights=weights, lengths=lengths,
         speed=speed, dt=dt, n_steps=n_steps, stride=stride, params=p, initial_state=initial, outputs=["E", "I"],
         trajectory=states[::stride], rtol=0.0, atol=5e-6,
         tolerance_reason=f"{TVB_FLOAT32}; observed max |diff| 1.1e-7 on E, I in [0, 1]",
         peer_setup={"model": "WilsonCowan", "shift_sigmoid": False, **tvb, "coupling": "Linear",
                     "Linear.a": p["K_gl"], "integrator": "heun"})


FHN_PARAMS = {"K_gl": 0.6, "alpha": 3.0, "beta": 4.0, "gamma": -1.5, "delta": 0.0, "epsilon": 0.5, "tau": 20.0,
              "x_ext": 1.0, "y_ext": 0.0, "diffusive": 1.0, "sigma": 0.0}


def tvb_fitzhugh_nagumo(scheme):
    """fitzhugh_nagumo vs TVB Generic2dOscillator + Difference, reparametrised (d = tau = 1):
    dV = alpha W - f V^3 + e V^2 + g V + gamma (I + c), dW = a + b V + c V^2 - beta W."""
    from tvb.simulator import coupling, models

    dt, speed, n_steps, stride = 0.1, 20.0, 2000, 5
    weights, lengths, rng = network(17, dt, speed)
    p = FHN_PARAMS
    initial = float32_exact(np.stack([rng.uniform(-1.0, 1.5, N_REGIONS), rng.uniform(-0.5, 1.0, N_REGIONS)]))
    tvb = {"d": 1.0, "tau": 1.0, "f": p["alpha"], "e": p["beta"], "g": p["gamma"], "alpha": -1.0, "gamma": 1.0,
           "I": p["x_ext"], "a": -p["delta"] / p["tau"] + p["y_ext"], "b": 1.0 / p["tau"], "c": 0.0,
           "beta": p["epsilon"] / p["tau"]}
    model = models.Generic2dOscillator(**{k: np.array([v]) for k, v in tvb.items()},
                                       variables_of_interest=("V", "W"))
    states = run_tvb(model, coupling.Difference(a=np.array([p["K_gl"]])), weights, lengths, speed, dt, initial,
                     n_steps, scheme)
    save(f"fitzhugh_nagumo_tvb_generic2doscillator_{scheme}", model="fitzhugh_nagumo",
         peer=("TVB Generic2dOscillator + Difference", "tvb-library"), scheme=scheme, weights=weights,
         lengths=lengths, speed=speed, dt=dt, n_steps=n_steps, stride=stride, params=p, initial_state=initial,
         outputs=["x", "y"], trajectory=states[::stride], rtol=0.0, atol=1e-6,
         tolerance_reason=f"{TVB_FLOAT32}; Euler: observed max |diff| 1.6e-8 on |x|, |y| < 1.2",
         peer_setup={"model": "Generic2dOscillator", **tvb, "coupling": "Difference", "Difference.a": p["K_gl"],
                     "integrator": scheme},
         note=HEUN_FROZEN_LOCAL if scheme == "heun" else "")


# ------------------------------------------------------------------------------------- neurolib

NEUROLIB_FLOAT64 = ("neurolib integrates in float64 with the same Euler update; only the order of floating-point "
                    "operations differs")


def neurolib_params(module, weights, lengths, speed, dt, n_steps):
    params = module.loadDefaultParams(Cmat=weights, Dmat=lengths, seed=0)
    params["signalV"] = float(speed)
    params["dt"] = float(dt)
    params["duration"] = n_steps * dt
    params["sigma_ou"] = 0.0
    return params


def _startind(lengths, speed, dt):
    return int(np.around(lengths / speed / dt).max()) + 1


def neurolib_ww():
    """rww_ei vs neurolib ww with tau_I = tau_E: neurolib 0.6.2's ww kernel uses tau_exc in the
    inhibitory equation (models/ww/timeIntegration.py: tau_inh = params["tau_exc"]), so only
    parameter sets with tau_I = tau_E are comparable. Also gamma_I = 1 and one I_0 for both pools."""
    from neurolib.models.ww import loadDefaultParams as ww_defaults
    from neurolib.models.ww.timeIntegration import timeIntegration

    dt, speed, n_steps, stride = 0.5, 5.0, 1200, 3
    weights, lengths, rng = network(21, dt, speed)
    ours = {"G": 1.2, "fic": 0.0, "sigma": 0.0, "tau_E": 100.0, "tau_I": 100.0}
    initial = np.stack([rng.uniform(0.05, 0.4, N_REGIONS), rng.uniform(0.02, 0.1, N_REGIONS)])
    params = neurolib_params(ww_defaults, weights, lengths, speed, dt, n_steps)
    params.update(K_gl=ours["G"], tau_exc=ours["tau_E"], tau_inh=ours["tau_I"], J_I=1.0,
                  ses_init=initial[0][:, None].copy(), sis_init=initial[1][:, None].copy())
    # our defaults in neurolib's units (kHz, nC^-1 per kHz, ms)
    expected = {"a_exc": 0.31, "b_exc": 0.125, "d_exc": 160.0, "gamma_exc": 0.641, "w_exc": 1.0, "exc_current": 0.382,
                "a_inh": 0.615, "b_inh": 0.177, "d_inh": 87.0, "w_inh": 0.7, "inh_current": 0.382, "J_NMDA": 0.15,
                "w_ee": 1.4}
    assert all(params[k] == v for k, v in expected.items()), {k: params[k] for k in expected}
    _, r_exc, _, ses, _, _, _ = timeIntegration(params)
    start = _startind(lengths, speed, dt)
    s_e = ses[:, start - 1:start - 1 + n_steps]  # state at the start of each step
    r_e = 1000.0 * r_exc[:, start:start + n_steps]  # rate computed from that state, kHz -> Hz
    trajectory = np.stack([s_e.T, r_e.T], axis=1)[::stride]
    save("rww_ei_neurolib_ww_euler", model="rww_ei", peer=("neurolib ww", "neurolib"), scheme="euler",
         weights=weights, lengths=lengths, speed=speed, dt=dt, n_steps=n_steps, stride=stride, params=ours,
         initial_state=initial, outputs=["S_E", "r_E"], trajectory=trajectory, rtol=0.0, atol=[1e-12, 1e-10],
         tolerance_reason=f"{NEUROLIB_FLOAT64}; observed max |diff| 3e-16 on S_E, 1.4e-13 Hz on r_E up to 134 Hz",
         peer_setup={"model": "ww", "K_gl": ours["G"], "tau_exc": ours["tau_E"], "J_I": 1.0, "sigma_ou": 0.0,
                     **expected},
         note="tau_I = tau_E because neurolib 0.6.2's ww uses tau_exc for the inhibitory pool")


def neurolib_wc():
    from neurolib.models.wc import loadDefaultParams as wc_defaults
    from neurolib.models.wc.timeIntegration import timeIntegration

    dt, speed, n_steps, stride = 0.1, 20.0, 2000, 5
    weights, lengths, rng = network(22, dt, speed)
    p = WC_PARAMS
    initial = rng.uniform(0.0, 0.3, (2, N_REGIONS))
    params = neurolib_params(wc_defaults, weights, lengths, speed, dt, n_steps)
    params.update({k: v for k, v in p.items() if k != "sigma"})
    params.update(exc_init=initial[0][:, None].copy(), inh_init=initial[1][:, None].copy())
    _, excs, inhs, _, _ = timeIntegration(params)
    start = _startind(lengths, speed, dt)
    trajectory = np.stack([excs[:, start - 1:start - 1 + n_steps].T, inhs[:, start - 1:start - 1 + n_steps].T],
                          axis=1)[::stride]
    save("wilson_cowan_neurolib_wc_euler", model="wilson_cowan", peer=("neurolib wc", "neurolib"), scheme="euler",
         weights=weights, lengths=lengths, speed=speed, dt=dt, n_steps=n_steps, stride=stride, params=p,
         initial_state=initial, outputs=["E", "I"], trajectory=trajectory, rtol=0.0, atol=1e-12,
         tolerance_reason=f"{NEUROLIB_FLOAT64}; observed max |diff| 8e-15 on E, I in [0, 1]",
         peer_setup={"model": "wc", **{k: v for k, v in p.items() if k != "sigma"}, "sigma_ou": 0.0})


def neurolib_fhn():
    from neurolib.models.fhn import loadDefaultParams as fhn_defaults
    from neurolib.models.fhn.timeIntegration import timeIntegration

    dt, speed, n_steps, stride = 0.1, 20.0, 2000, 5
    weights, lengths, rng = network(23, dt, speed)
    p = FHN_PARAMS
    initial = np.stack([rng.uniform(-1.0, 1.5, N_REGIONS), rng.uniform(-0.5, 1.0, N_REGIONS)])
    params = neurolib_params(fhn_defaults, weights, lengths, speed, dt, n_steps)
    params.update({k: p[k] for k in ("K_gl", "alpha", "beta", "gamma", "delta", "epsilon", "tau")})
    params.update(coupling="diffusive", x_ext=np.full(N_REGIONS, p["x_ext"]), y_ext=np.full(N_REGIONS, p["y_ext"]),
                  xs_init=initial[0][:, None].copy(), ys_init=initial[1][:, None].copy())
    _, xs, ys, _, _ = timeIntegration(params)
    start = _startind(lengths, speed, dt)
    trajectory = np.stack([xs[:, start - 1:start - 1 + n_steps].T, ys[:, start - 1:start - 1 + n_steps].T],
                          axis=1)[::stride]
    save("fitzhugh_nagumo_neurolib_fhn_euler", model="fitzhugh_nagumo", peer=("neurolib fhn", "neurolib"),
         scheme="euler", weights=weights, lengths=lengths, speed=speed, dt=dt, n_steps=n_steps, stride=stride,
         params=p, initial_state=initial, outputs=["x", "y"], trajectory=trajectory, rtol=0.0, atol=1e-12,
         tolerance_reason=f"{NEUROLIB_FLOAT64}; observed max |diff| 6e-16 on |x|, |y| < 1.2",
         peer_setup={"model": "fhn", "coupling": "diffusive", **{k: v for k, v in p.items() if k != "sigma"},
                     "sigma_ou": 0.0})


COMPARISONS = (tvb_hopf, tvb_rww_ei, tvb_jansen_rit_stock, tvb_jansen_rit_full, tvb_kuramoto, tvb_wilson_cowan,
               tvb_fitzhugh_nagumo, neurolib_ww, neurolib_wc, neurolib_fhn)


def main():
    import logging
    import warnings

    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore")
    for make in COMPARISONS:
        if make in (tvb_hopf, tvb_kuramoto, tvb_fitzhugh_nagumo):
            make("euler")  # TVB's Heun freezes the local x_i of Difference / Kuramoto coupling (README)
            make("heun")
        else:
            make()


if __name__ == "__main__":
    main()
