"""The resting-state protocol: fit on the train half only, score on the held-out half."""

import dataclasses

import numpy as np
import pytest

from fwbm_bench.entries import Entry
from fwbm_bench.metrics import functional_connectivity
from fwbm_bench.observables import preprocess_bold
from fwbm_bench.pipeline.rest import RestSettings, empirical_segments, fit_entry, score_rest

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
