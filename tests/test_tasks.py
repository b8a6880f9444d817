"""Tasks: the input/readout contract, the registry's conformance, and each task's science."""

import dataclasses

import numpy as np
import pytest
from scipy.linalg import expm, solve_continuous_lyapunov

from fwbm_bench.connectome import build_connectome
from fwbm_bench.data import load_subject
from fwbm_bench.errors import ConfigError, InputError
from fwbm_bench.models import get_model
from fwbm_bench.tasks import TASKS, get_task
from fwbm_bench.tasks.contracts import select_regions
from fwbm_bench.tasks.trials import contract_regions
from fwbm_bench.testing import check_task


def test_aal2_contract_picks_visual_inputs_and_frontoparietal_readouts(hcp_connectome):
    labels = hcp_connectome.labels
    inputs = [labels[i] for i in select_regions(labels, hcp_connectome.hemispheres, "input")]
    readouts = [labels[i] for i in select_regions(labels, hcp_connectome.hemispheres, "readout")]
    assert {"Calcarine_L", "Calcarine_R", "Occipital_Mid_L"} <= set(inputs) and len(inputs) == 12
    assert {"Parietal_Sup_L", "Angular_R", "Frontal_Mid_2_L"} <= set(readouts)
    assert not set(inputs) & set(readouts)


def test_missing_contract_labels_are_a_clear_error(hcp_connectome):
    subject = load_subject("tvb-76")
    with pytest.raises(InputError, match=r"no task input/readout contract for this parcellation \(first labels: \['rA1'"):
        select_regions(subject.labels, subject.hemispheres, "input")
    labels = [label.replace("Angular", "Gyrus_angularis") for label in hcp_connectome.labels]
    with pytest.raises(InputError, match="task readout regions of the aal2 contract are missing from the "
                                         "parcellation's labels: Angular_L, Angular_R"):
        select_regions(labels, hcp_connectome.hemispheres, "readout")


QUICK_SETTINGS = {
    "perceptual_decision": {"trials_per_condition": 5, "max_stimulus_ms": 1000.0},
    "working_memory": {"trials_per_cue": 5, "delays_ms": (1000.0, 2000.0)},
    "memory_capacity": {"n_bins": 600, "n_lags": 10},
}


@pytest.mark.parametrize("name", sorted(TASKS))
def test_task_conformance(name, hcp_connectome):
    """The conformance kit (fwbm_bench.testing), as plugin authors run it, and the contract's
    readout regions in the result."""
    assert name in QUICK_SETTINGS, "add the new task's fast settings here"
    assert TASKS[name].name == name
    result = check_task(TASKS[name], QUICK_SETTINGS[name])
    with pytest.raises(ConfigError, match=f"task '{name}': invalid settings"):
        get_task(name, no_such_setting=1)
    readout = select_regions(hcp_connectome.labels, hcp_connectome.hemispheres, "readout")
    assert result["readout_regions"] == [hcp_connectome.labels[i] for i in readout]


def test_stimulus_information_travels_through_the_connectome(hcp_connectome):
    """G = 0: readout regions get no input and their decoded choices are at chance; coupled:
    accuracy rises with coherence (acceptance 3 of issue #5). 40 trials per condition: with 20,
    the coupled top-coherence accuracy fell below 0.7 in two noise realisations of four (0.65 to
    0.75); with 40 it was 0.77 to 0.85 in five."""
    task = get_task("perceptual_decision", trials_per_condition=40)
    model = get_model("rww_ei")
    kwargs = {"seed_parts": ("contract",), "dt_ms": 1.0, "conduction_speed_m_per_s": 10.0}
    uncoupled = np.array(task.run(model, hcp_connectome, {"G": 0.0}, **kwargs)["decoded"]["p_correct"])
    coupled = np.array(task.run(model, hcp_connectome, {"G": 0.3}, **kwargs)["decoded"]["p_correct"])
    n_trials = 2 * 40 * len(uncoupled)
    assert abs(uncoupled.mean() - 0.5) < 3 * 0.5 / np.sqrt(n_trials)  # within 3 SD of chance
    assert uncoupled[-1] < 0.75
    assert coupled[-1] >= 0.7 and coupled[-1] > coupled[0] + 0.15  # 80 trials: chance gives 0.5 +- 0.056


def test_whole_brain_selective_circuits_decide_like_the_monkeys(hcp_connectome):
    """ww2006_selective at G = 0.1: monotone psychometric curve, RT falling with coherence, both readouts."""
    task = get_task("perceptual_decision", trials_per_condition=20)
    result = task.run(get_model("ww2006_selective"), hcp_connectome, {"G": 0.1}, seed_parts=("selective",),
                      dt_ms=1.0, conduction_speed_m_per_s=10.0)
    for readout in ("decoded", "intrinsic"):
        summary = result[readout]
        p, rt = np.array(summary["p_correct"]), np.array(summary["mean_rt_correct_ms"])
        assert p[-1] >= 0.95 and 0.35 <= p[0] <= 0.65, (readout, p)
        assert np.all(np.diff(p[1:]) >= -0.05), (readout, p)
        assert rt[-1] < rt[1] - 150, (readout, rt)
        assert 3.0 < summary["weibull_alpha_pct"] < 12.0, summary
        assert summary["psychometric_score"] > 0.5 and summary["chronometric_r2"] > 0.7, summary


def test_working_memory_needs_persistent_activity(hcp_connectome):
    """Accuracy falls with delay for damped oscillators (no persistent activity) and stays at 1
    for attractor circuits (acceptance 4 of issue #5)."""
    task = get_task("working_memory", trials_per_cue=20)
    kwargs = {"seed_parts": ("wm",), "dt_ms": 1.0, "conduction_speed_m_per_s": 10.0}
    damped = get_task("working_memory", trials_per_cue=20, stimulus_current_nA=0.5).run(
        get_model("hopf"), hcp_connectome, {"G": 0.5, "a": -0.5}, **kwargs)
    attractor = task.run(get_model("ww2006_selective"), hcp_connectome, {"G": 0.1}, **kwargs)
    assert damped["accuracy"][0] >= 0.9 and damped["accuracy"][-1] <= 0.7, damped["accuracy"]
    assert damped["persistence_index"] < 0.5
    assert min(attractor["accuracy"]) >= 0.95 and attractor["persistence_index"] > 0.9, attractor


def _linear_capacity(A, B, C, beta, bin_s, n_lags, var_u=1.0 / 3.0, n_terms=3000):
    """Closed-form memory capacity of dx/dt = A x + B u(t) + beta dW, u held per bin, read out
    as bin means y_n = C mean(x): r^2_k = var_u h_k' S_y^-1 h_k with h_k the response of y_n to
    u_(n-k) and S_y the stationary covariance of y_n (input part plus the noise's)."""
    n = A.shape[0]
    identity = np.eye(n)
    step = expm(A * bin_s)
    inverse = np.linalg.inv(A)
    mean_map = inverse @ (step - identity) / bin_s  # bin mean of exp(A s) x_n
    input_map = inverse @ (mean_map - identity)  # bin mean of the response to this bin's input
    responses = [C @ input_map @ B]
    state = inverse @ (step - identity) @ B
    for _ in range(1, n_terms):
        responses.append(C @ mean_map @ state)
        state = step @ state
    h = np.concatenate(responses, axis=1)
    noise_state = solve_continuous_lyapunov(A, -beta**2 * identity)
    noise = C @ (input_map @ noise_state + noise_state @ input_map.T) @ C.T / bin_s
    covariance = var_u * h @ h.T + noise
    return var_u * np.einsum("ik,ik->k", h[:, :n_lags], np.linalg.solve(covariance, h[:, :n_lags]))


@pytest.mark.slow
def test_memory_capacity_of_a_linear_network_matches_the_closed_form(hcp_connectome):
    """Stuart-Landau oscillators far below the bifurcation, small inputs, no delays: a linear
    network whose capacity follows from its matrices (acceptance 4 of issue #5)."""
    connectome = dataclasses.replace(hcp_connectome, tract_lengths_mm=np.zeros_like(hcp_connectome.tract_lengths_mm))
    params = {"G": 0.5, "a": -2.0, "f": 0.5, "beta": 1e-6}
    task = get_task("memory_capacity", bin_ms=100.0, n_bins=8000, n_lags=30, input_current_nA=0.01)
    result = task.run(get_model("hopf"), connectome, params, seed_parts=("mc",), dt_ms=2.0,
                      conduction_speed_m_per_s=10.0)
    n = connectome.n_regions
    inputs, readout = contract_regions(connectome)
    coupling = params["G"] * (connectome.weights - np.diag(connectome.weights.sum(axis=1)))
    rotation = 2 * np.pi * params["f"] * np.eye(n)
    A = np.block([[params["a"] * np.eye(n) + coupling, -rotation], [rotation, params["a"] * np.eye(n) + coupling]])
    B = np.zeros((2 * n, 1))
    B[inputs, 0] = 0.01
    C = np.zeros((len(readout), 2 * n))
    C[np.arange(len(readout)), readout] = 1.0
    expected = _linear_capacity(A, B, C, params["beta"], 0.1, 30)
    assert result["capacity"] == pytest.approx(expected.sum(), rel=0.05)
    np.testing.assert_allclose(result["r2"], expected, atol=0.03)


def test_memory_capacity_is_zero_without_a_path_from_inputs_to_readouts(hcp_connectome):
    result = get_task("memory_capacity", n_bins=1000, n_lags=10).run(
        get_model("rww_ei"), hcp_connectome, {"G": 0.0}, seed_parts=("mc0",), dt_ms=1.0, conduction_speed_m_per_s=10.0)
    assert result["capacity"] < 0.1


def test_task_on_a_parcellation_without_contract_is_excluded_not_failed(tmp_path):
    from fwbm_bench.pipeline.io import read_json, write_json
    from fwbm_bench.pipeline.task import run_task_stage

    build_connectome(load_subject("tvb-76"), "empirical").save(tmp_path / "c.npz")
    write_json(tmp_path / "fit.json", {"params": {"G": 0.0}})
    run_task_stage("rww-ei-uncoupled", "perceptual_decision", tmp_path / "c.npz", tmp_path / "fit.json",
                   {}, tmp_path / "out.json")
    row = read_json(tmp_path / "out.json")["results"][0]
    assert row["status"].startswith("excluded: no task input/readout contract")


def test_custom_coherences_are_rejected():
    with pytest.raises(ConfigError, match="coherences_pct must be Roitman & Shadlen's"):
        get_task("perceptual_decision", coherences_pct=(0.0, 50.0))


def test_linear_decoder_equals_scikit_learns_shrinkage_lda(rng):
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    from fwbm_bench.tasks.readout import LinearDecoder

    labels = np.repeat([0, 1], [37, 43])
    features = rng.normal(size=(80, 12)) * rng.uniform(0.5, 3.0, 12) + labels[:, None] * rng.normal(size=12)
    reference = LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto").fit(features, labels)
    ours = LinearDecoder.fit(features, labels)
    test = rng.normal(size=(30, 12))
    np.testing.assert_allclose(ours.decision_function(test), reference.decision_function(test), rtol=1e-9, atol=1e-9)


def test_intrinsic_readout_takes_the_first_population_to_cross():
    from fwbm_bench.tasks.readout import intrinsic_decisions

    t = np.arange(400) * 5.0  # ms after onset
    rate_1 = np.stack([np.where(t >= 300, 40.0, 2.0), np.full(400, 2.0), np.full(400, 2.0)], axis=1)
    rate_2 = np.stack([np.where(t >= 600, 40.0, 2.0), np.where(t >= 1000, 40.0, 2.0), np.full(400, 2.0)], axis=1)
    decisions = intrinsic_decisions(rate_1, rate_2, period_ms=5.0)
    assert decisions.choice.tolist() == [0, 1, -1]
    # a 50 ms window (10 samples) averages above 15 Hz once 4 of its samples are at 40 Hz
    first_window_end = 300 + 4 * 5.0
    assert decisions.rt_ms[0] == pytest.approx(first_window_end + 100.0)
    assert decisions.rt_ms[1] == pytest.approx(1000 + 4 * 5.0 + 100.0) and np.isnan(decisions.rt_ms[2])


def test_rsa_recovers_the_hypothesis_that_generated_the_patterns(rng):
    from fwbm_bench.tasks.perceptual_decision import representational_similarity

    signed = np.array([c * s for c in (0.0, 3.2, 6.4, 12.8, 25.6, 51.2) for s in (1, -1)])
    axis = rng.normal(size=16)
    graded = signed[:, None] * axis[None, :] / 50.0 + 0.01 * rng.normal(size=(12, 16)) + rng.normal(size=16)
    result = representational_similarity(graded, signed)
    assert result["rdm_vs_graded_coherence"] > 0.8
    assert np.allclose(np.diag(result["rdm"]), 0.0) and np.allclose(result["rdm"], np.array(result["rdm"]).T)
    unrelated = representational_similarity(rng.normal(size=(12, 16)), signed)
    assert abs(unrelated["rdm_vs_graded_coherence"]) < 0.4


def test_weibull_fit_of_choices_at_chance_puts_alpha_beyond_the_coherences():
    from fwbm_bench.metrics.behaviour import weibull_fit

    # choices near chance, with a dip (a coupled rWW-EI run of 40 trials per coherence): the likelihood
    # rises towards alpha -> infinity; the unbounded search overflowed exp (a warning, an error in the tests)
    alpha, beta = weibull_fit([3.2, 6.4, 12.8, 25.6, 51.2], [26, 23, 22, 18, 26], [40] * 5)
    assert np.isfinite(alpha) and alpha > 100.0 and np.isfinite(beta)


def test_weibull_fit_reproduces_the_monkeys_published_fit():
    """literature.md section 1: ML fit of R&S's pooled counts, 0 % excluded: alpha 7.39 %, beta 1.29."""
    from fwbm_bench.data.behaviour import roitman_shadlen_2002
    from fwbm_bench.metrics.behaviour import weibull_fit, weibull_psychometric

    data = roitman_shadlen_2002("pooled")
    alpha, beta = weibull_fit(data["coherence_pct"], data["n_correct"], data["n_trials"])
    assert alpha == pytest.approx(7.39, abs=0.01) and beta == pytest.approx(1.29, abs=0.01)
    levels = np.array([3.2, 6.4, 12.8, 25.6, 51.2])
    exact = weibull_psychometric(levels, 10.0, 2.0)  # noiseless counts from a known curve
    assert weibull_fit(levels, exact * 1e6, np.full(5, 1e6)) == pytest.approx((10.0, 2.0), rel=1e-4)


def test_chronometric_score_ignores_a_constant_offset_and_penalises_shape():
    from fwbm_bench.data.behaviour import roitman_shadlen_2002
    from fwbm_bench.metrics.behaviour import chronometric_score

    rt = roitman_shadlen_2002("pooled")["mean_rt_correct_ms"]
    r2, offset = chronometric_score(rt - 250.0, rt)
    assert r2 == pytest.approx(1.0) and offset == pytest.approx(250.0)
    flat, _ = chronometric_score(np.full(6, 500.0), rt)
    assert flat == pytest.approx(0.0, abs=1e-12)  # a flat curve explains nothing
    reversed_shape, _ = chronometric_score(rt[::-1], rt)
    assert reversed_shape < -1.0
