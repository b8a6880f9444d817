"""The resting-state protocol: fit on the train half only, score on the held-out half."""

import dataclasses

import numpy as np
import pytest

from fwbm_bench.entries import Entry
from fwbm_bench.errors import ConfigError
from fwbm_bench.metrics import functional_connectivity
from fwbm_bench.observables import preprocess_bold
from fwbm_bench.pipeline.rest import RestSettings, empirical_segments, fit_entry, rest_observables, score_rest

SETTINGS = RestSettings(segment_volumes=100)
TINY = Entry("tiny", "two-point grid", "model", "rww_ei", {}, {"G": [0.0, 0.3]})


def test_segments_have_equal_length_and_do_not_overlap(hcp_subject):
    train, held_out = empirical_segments(hcp_subject, SETTINGS)
    assert train.shape == held_out.shape == (80, 100)
    np.testing.assert_array_equal(held_out, hcp_subject.bold[:, 600:700])


def test_fit_never_sees_the_held_out_half(hcp_subject, hcp_connectome, rng):
    first = fit_entry(TINY, hcp_subject, hcp_connectome, SETTINGS)
    bold = hcp_subject.bold.copy()
    bold[:, 600:] = rng.standard_normal((80, 600)) * 1e3 + 5e3
    scrambled = dataclasses.replace(hcp_subject, bold=bold)
    second = fit_entry(TINY, scrambled, hcp_connectome, SETTINGS)
    assert first["params"] == second["params"]
    np.testing.assert_array_equal(first["grid"]["train_fc_r"], second["grid"]["train_fc_r"])
    assert first["grid"]["train_fc_r"][1] > first["grid"]["train_fc_r"][0]  # coupling beats G = 0


def test_a_perfect_prediction_scores_one(hcp_subject):
    _, held_out = empirical_segments(hcp_subject, SETTINGS)
    clean = preprocess_bold(held_out, hcp_subject.tr_s)
    rows = {r["benchmark"]: r for r in score_rest({"bold": clean, "fc": functional_connectivity(clean),
                                                   "tr_s": np.array(0.72)}, hcp_subject, SETTINGS)}
    assert rows["hcp-fc-corr"]["raw"] == pytest.approx(1.0)
    assert rows["hcp-fc-corr"]["score"] == 1.0 and rows["hcp-fc-corr"]["score_unclipped"] > 1.0
    assert rows["hcp-fcd-ks"]["raw"] == pytest.approx(1.0)


def test_baseline_without_bold_is_marked_not_applicable(hcp_subject, hcp_connectome):
    rows = {r["benchmark"]: r for r in score_rest({"fc": hcp_connectome.weights}, hcp_subject, SETTINGS)}
    assert rows["hcp-fc-corr"]["status"] == "ok"
    assert rows["hcp-fcd-ks"]["status"].startswith("not applicable")


def _statuses(rows):
    return {r["benchmark"]: r["status"] for r in rows}


def test_bold_shorter_than_two_fcd_windows_is_not_computable_for_fcd_only(hcp_subject):
    short = RestSettings(segment_volumes=90)  # 65 s per half: one 60 s window
    _, held_out = empirical_segments(hcp_subject, short)
    clean = preprocess_bold(held_out, hcp_subject.tr_s)
    statuses = _statuses(score_rest({"bold": clean, "fc": functional_connectivity(clean), "tr_s": np.array(0.72)},
                                    hcp_subject, short))
    assert statuses["hcp-fcd-ks"].startswith("not computable: FCD needs at least two 60.0 s windows")
    assert statuses["hcp-fc-corr"] == "ok"


def test_a_simulation_at_another_tr_is_not_computable_and_says_why(hcp_subject):
    _, held_out = empirical_segments(hcp_subject, SETTINGS)
    clean = preprocess_bold(held_out, 2.0)
    statuses = _statuses(score_rest({"bold": clean, "fc": functional_connectivity(clean), "tr_s": np.array(2.0)},
                                    hcp_subject, SETTINGS))
    assert set(statuses.values()) == {("not computable: simulated BOLD is sampled at TR 2 s but hcp-101309's "
                                      "BOLD at TR 0.72 s (rerun the simulation for this subject)")}


def test_constant_or_diverged_simulations_are_recorded_not_raised(hcp_subject):
    constant = rest_observables({"bold": np.ones((80, 100)), "tr_s": np.array(0.72)}, SETTINGS)
    assert "constant time series" in str(constant["error"])
    statuses = _statuses(score_rest(constant, hcp_subject, SETTINGS))
    assert len(statuses) >= 2 and all(s.startswith("not computable: simulated BOLD:") for s in statuses.values())
    diverged = _statuses(score_rest({"failed": np.array("model 'x' diverged in region 3")}, hcp_subject, SETTINGS))
    assert set(diverged.values()) == {"failed: model 'x' diverged in region 3"}


def test_two_free_parameters_are_fitted_on_their_product_grid(hcp_subject, hcp_connectome):
    entry = Entry("two", "G x noise", "model", "rww_ei", {}, {"G": [0.0, 0.3], "sigma": [0.005, 0.01]}).validate("t")
    fit = fit_entry(entry, hcp_subject, hcp_connectome, RestSettings(segment_volumes=100, burn_in_s=20.0))
    np.testing.assert_array_equal(fit["grid"]["G"], [0.0, 0.0, 0.3, 0.3])
    np.testing.assert_array_equal(fit["grid"]["sigma"], [0.005, 0.01, 0.005, 0.01])
    best = int(np.nanargmax(fit["grid"]["train_fc_r"]))
    assert fit["params"] == {"G": fit["grid"]["G"][best], "sigma": fit["grid"]["sigma"][best]}


def test_realizations_per_grid_point_are_averaged_and_extend_the_seeds(hcp_subject, hcp_connectome):
    short = RestSettings(segment_volumes=100, fit_realizations=1)
    one = fit_entry(TINY, hcp_subject, hcp_connectome, short)
    two = fit_entry(TINY, hcp_subject, hcp_connectome, dataclasses.replace(short, fit_realizations=2))
    # realization 0 uses the single-realization seeds, so the averages differ but stay close
    assert not np.array_equal(one["grid"]["train_fc_rmse"], two["grid"]["train_fc_rmse"])
    np.testing.assert_allclose(one["grid"]["train_fc_rmse"], two["grid"]["train_fc_rmse"], rtol=0.2)
    with pytest.raises(ConfigError, match="rest.fit_realizations: expected a whole number >= 1, found 0"):
        fit_entry(TINY, hcp_subject, hcp_connectome, dataclasses.replace(short, fit_realizations=0))


def test_distance_baseline_predicts_fc_from_centres(hcp_subject, hcp_connectome):
    """exp(-d / mean d) is 1 on the diagonal, falls with distance, and correlates positively
    with the subject's empirical FC (nearby regions covary more); without centres: excluded."""
    from fwbm_bench.entries import BASELINE_PREDICTORS, ENTRIES
    from fwbm_bench.metrics import matrix_correlation
    from fwbm_bench.pipeline.rest import simulate_scoring_run

    predicted = BASELINE_PREDICTORS["distance"](hcp_connectome)
    np.testing.assert_array_equal(np.diag(predicted), 1.0)
    distance = np.linalg.norm(hcp_subject.centres[:, None] - hcp_subject.centres[None], axis=-1)
    upper = np.triu_indices(80, 1)
    assert np.all(np.diff(predicted[upper][np.argsort(distance[upper])]) <= 0)
    empirical_fc = functional_connectivity(preprocess_bold(hcp_subject.bold, hcp_subject.tr_s, (0.008, 0.08)))
    assert matrix_correlation(predicted, empirical_fc) > 0.1
    no_centres = dataclasses.replace(hcp_connectome, centres=None)
    result = simulate_scoring_run(ENTRIES["distance"], hcp_subject, no_centres, {}, RestSettings())
    rows = score_rest(rest_observables(result, RestSettings()), hcp_subject, RestSettings())
    assert all(row["status"].startswith("excluded: the distance baseline needs region centres") for row in rows)


def test_shuffled_sc_entry_runs_its_model_on_a_seeded_shuffle(hcp_connectome):
    from fwbm_bench.entries import ENTRIES

    entry = ENTRIES["rww-ei-fic-shuffled-sc"]
    shuffled = entry.model_connectome(hcp_connectome)
    assert not np.array_equal(shuffled.weights, hcp_connectome.weights)
    upper = np.triu_indices(80, 1)
    np.testing.assert_array_equal(np.sort(shuffled.weights[upper]), np.sort(hcp_connectome.weights[upper]))
    np.testing.assert_array_equal(shuffled.weights, entry.model_connectome(hcp_connectome).weights)
    assert ENTRIES["rww-ei-fic"].model_connectome(hcp_connectome) is hcp_connectome
    with pytest.raises(ConfigError, match="connectome_null must be 'shuffled'"):
        Entry("x", "", "model", "rww_ei", connectome_null="rewired").validate("custom_entries.x")
