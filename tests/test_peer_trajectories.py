"""Deterministic trajectories of our node models against TVB 2.10 and neurolib 0.6.2.

The peers' trajectories live in tests/data/peer_trajectories/ (one .npz per comparison, made by
tests/peers/make_peer_trajectories.py in a separate venv; tests/peers/README.md). Here only our
``simulate`` runs, with each file's network, parameters, initial state and scheme, and must land
within the file's tolerance at every stored step.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from fwbm_bench.models import MODELS
from fwbm_bench.simulate import simulate

DATA = Path(__file__).parent / "data" / "peer_trajectories"

EXPECTED = {
    "hopf_tvb_suphopf_euler",
    "hopf_tvb_suphopf_heun",
    "rww_ei_tvb_reducedwongwangexcinh_heun",
    "rww_ei_neurolib_ww_euler",
    "jansen_rit_tvb_linear_no_inhibition_heun",
    "jansen_rit_tvb_linear_y1_minus_y2_heun",
    "kuramoto_tvb_kuramoto_euler",
    "kuramoto_tvb_kuramoto_heun",
    "wilson_cowan_tvb_wilsoncowan_heun",
    "wilson_cowan_neurolib_wc_euler",
    "fitzhugh_nagumo_tvb_generic2doscillator_euler",
    "fitzhugh_nagumo_tvb_generic2doscillator_heun",
    "fitzhugh_nagumo_neurolib_fhn_euler",
}

_FROZEN_LOCAL = ("known scheme difference, not a model bug: TVB's HeunDeterministic reuses the step's whole "
                 "coupling, including the local x_i of {coupling}, for the corrector; ours evaluates the local "
                 "part at the predicted state (the same files match with Euler; {numbers})")
KNOWN_DIFFERENCES = {
    "hopf_tvb_suphopf_heun": _FROZEN_LOCAL.format(
        coupling="Difference (x_j - x_i)",
        numbers="max |diff| 0.25 on |x| <= 1.9 after 1 s; a frozen-x_i Heun reproduces TVB to 2e-8"),
    "kuramoto_tvb_kuramoto_heun": _FROZEN_LOCAL.format(
        coupling="Kuramoto sin(x_j - x_i)", numbers="max |diff| 0.08 in sin/cos theta after 0.75 s"),
    "fitzhugh_nagumo_tvb_generic2doscillator_heun": _FROZEN_LOCAL.format(
        coupling="Difference (x_j - x_i)", numbers="max |diff| 0.10 on |x| <= 1.1 after 200 ms"),
}


def load(name: str) -> dict:
    with np.load(DATA / f"{name}.npz", allow_pickle=False) as stored:
        return {key: stored[key] for key in stored.files}


def run_ours(case: dict, tract_lengths_mm=None) -> np.ndarray:
    """Our outputs named in the file, at the stored steps: (rows, n_outputs, N)."""
    model = MODELS[str(case["model"])]
    dt = float(case["dt_ms"])
    out = simulate(model, case["weights"],
                   case["tract_lengths_mm"] if tract_lengths_mm is None else tract_lengths_mm,
                   json.loads(str(case["params_json"])), duration_ms=int(case["n_steps"]) * dt, seeds=[0],
                   dt_ms=dt, conduction_speed_m_per_s=float(case["conduction_speed_m_per_s"]), output_period_ms=dt,
                   scheme=str(case["scheme"]), initial_state=case["initial_state"], label=str(case["peer"]))
    columns = [model.output_variables.index(str(name)) for name in case["outputs"]]
    return out[::int(case["stride"]), :, :, 0][:, columns]


def test_data_directory_holds_every_comparison():
    assert {path.stem for path in DATA.glob("*.npz")} == EXPECTED


def test_stored_cases_are_small_and_complete():
    for name in EXPECTED:
        assert (DATA / f"{name}.npz").stat().st_size < 100_000, name
        case = load(name)
        rows = len(range(0, int(case["n_steps"]), int(case["stride"])))
        assert case["trajectory"].shape == (rows, len(case["outputs"]), case["weights"].shape[0]), name
        assert case["atol"].shape == (len(case["outputs"]),) and str(case["tolerance_reason"]), name
        assert str(case["model"]) in MODELS, name


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_DIFFERENCES[name]))
    if name in KNOWN_DIFFERENCES else name
    for name in sorted(EXPECTED)
])
def test_trajectory_matches_peer(name):
    case = load(name)
    ours = run_ours(case)
    for k, output in enumerate(case["outputs"]):
        np.testing.assert_allclose(
            ours[:, k], case["trajectory"][:, k], rtol=float(case["rtol"]), atol=float(case["atol"][k]),
            err_msg=f"{name}: {output} vs {case['peer']} ({case['tolerance_reason']})")


@pytest.mark.parametrize("name", sorted(EXPECTED - set(KNOWN_DIFFERENCES)))
def test_tolerance_resolves_a_one_step_delay_shift(name):
    """Every delay one step longer must miss the peer by far more than the tolerance, so the
    comparisons do check the delay rounding and history indexing conventions."""
    case = load(name)
    one_step = float(case["conduction_speed_m_per_s"]) * float(case["dt_ms"])
    lengths = case["tract_lengths_mm"] + one_step * (case["weights"] != 0)
    miss = np.abs(run_ours(case, lengths) - case["trajectory"]).max()
    assert miss > 10 * case["atol"].max() + 10 * float(case["rtol"]) * np.abs(case["trajectory"]).max(), miss


def test_tvb_heun_difference_is_the_frozen_local_coupling():
    """Diagnosis of the hopf Heun xfail: a Heun that freezes G sum_j C_ij (x_j(t - tau) - x_i(t)) at the
    start of the step, local x_i included, reproduces TVB's SupHopf trajectory."""
    case = load("hopf_tvb_suphopf_heun")
    params = json.loads(str(case["params_json"]))
    weights, dt = case["weights"], float(case["dt_ms"])
    delays = np.rint(case["tract_lengths_mm"] / float(case["conduction_speed_m_per_s"]) / dt).astype(int)
    n_steps, n = int(case["n_steps"]), weights.shape[0]
    h, g, a, omega = dt / 1000.0, params["G"], params["a"], 2 * np.pi * params["f"]
    states = np.empty((n_steps, 2, n))
    states[0] = case["initial_state"]
    sources = np.broadcast_to(np.arange(n), (n, n))

    def drift(z, coupling):
        radial = a - z[0] ** 2 - z[1] ** 2
        return np.stack([radial * z[0] - omega * z[1], radial * z[1] + omega * z[0]]) + coupling

    for t in range(n_steps - 1):
        z = states[t]
        delayed = states[np.maximum(t - delays, 0), :, sources]  # (to, from, 2)
        coupling = g * (weights[:, :, None] * (delayed - z.T[:, None, :])).sum(axis=1).T
        first = drift(z, coupling)
        states[t + 1] = z + 0.5 * h * (first + drift(z + h * first, coupling))
    frozen = states[::int(case["stride"])]
    np.testing.assert_allclose(frozen, case["trajectory"], rtol=0, atol=float(case["atol"].max()))
