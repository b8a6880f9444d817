"""Individual specificity: identification matrix, identifiability, top-1 hits, and the stage."""

import numpy as np
import pytest

from fwbm_bench.data import load_subject
from fwbm_bench.errors import InputError
from fwbm_bench.metrics import functional_connectivity
from fwbm_bench.metrics.specificity import differential_identifiability, identification_matrix, top1_hits
from fwbm_bench.observables import preprocess_bold
from fwbm_bench.pipeline.rest import RestSettings, empirical_segments
from fwbm_bench.pipeline.specificity import score_specificity

SUBJECTS = ("hcp-101309", "hcp-102311", "hcp-131217")
SETTINGS = RestSettings(segment_volumes=300)


@pytest.fixture(scope="module")
def subjects():
    return [load_subject(s) for s in SUBJECTS]


def _held_out_fc(subject):
    return functional_connectivity(preprocess_bold(empirical_segments(subject, SETTINGS)[1], subject.tr_s))


def test_matrix_matches_an_explicit_loop(rng):
    predicted = [np.corrcoef(rng.standard_normal((6, 40))) for _ in range(4)]
    empirical = [np.corrcoef(rng.standard_normal((6, 40))) for _ in range(4)]
    upper = np.triu_indices(6, 1)
    expected = np.array([[np.corrcoef(p[upper], e[upper])[0, 1] for e in empirical] for p in predicted])
    np.testing.assert_allclose(identification_matrix(predicted, empirical), expected, atol=1e-12)


def test_identifiability_and_top1_on_a_known_matrix():
    matrix = np.array([[0.9, 0.2, 0.4], [0.3, 0.5, 0.6], [0.1, 0.1, 0.7]])
    np.testing.assert_allclose(differential_identifiability(matrix), [0.9 - 0.3, 0.5 - 0.45, 0.7 - 0.1])
    np.testing.assert_array_equal(top1_hits(matrix), [True, False, True])
    assert not top1_hits(np.ones((2, 2))).any()  # a tie is not an identification


def test_bad_input_is_named():
    with pytest.raises(InputError, match="at least|>= 2"):
        identification_matrix([np.eye(3)], [np.eye(3)])
    with pytest.raises(InputError, match="one shape"):
        identification_matrix([np.eye(3), np.eye(3)], [np.eye(3), np.eye(4)])


def test_a_model_that_predicts_each_subjects_own_fc_identifies_every_subject(subjects):
    predicted = {s.subject_id: {"fc": _held_out_fc(s)} for s in subjects}
    result = score_specificity(predicted, subjects, SETTINGS)
    summary = result["datasets"]["hcp"]
    assert summary["top1_accuracy"] == 1.0
    # the empirical ceiling: other halves of the same subject identify it (Finn et al. 2015)
    assert summary["top1_accuracy_ceiling"] == 1.0
    for record in result["per_subject"]:
        row, = record["results"]
        assert row["benchmark"] == "hcp-identifiability" and row["status"] == "ok"
        assert row["raw"] > row["ceiling"] > 0  # a perfect prediction beats the other half of the data
        assert row["score"] == 1.0


def test_one_shared_prediction_is_not_individual(subjects):
    shared = np.mean([_held_out_fc(s) for s in subjects], axis=0)
    result = score_specificity({s.subject_id: {"fc": shared} for s in subjects}, subjects, SETTINGS)
    raw = [record["results"][0]["raw"] for record in result["per_subject"]]
    # every row of M is the same, so the diagonal's excess over the rows' means sums to zero
    assert result["datasets"]["hcp"]["identifiability"] == pytest.approx(0.0, abs=1e-12)
    assert np.sum(raw) == pytest.approx(0.0, abs=1e-12) and min(raw) < 0
    assert result["datasets"]["hcp"]["top1_accuracy"] == pytest.approx(1 / 3)  # one column wins every row


def test_a_missing_prediction_or_a_lone_subject_is_not_computable(subjects):
    predicted = {subjects[0].subject_id: {"fc": _held_out_fc(subjects[0])},
                 subjects[1].subject_id: {"error": np.array("diverged")}}
    result = score_specificity(predicted, subjects[:2], SETTINGS)
    assert all(r["results"][0]["status"].startswith("not computable: no predicted FC for hcp-102311")
               for r in result["per_subject"])
    alone = score_specificity(predicted, subjects[:1], SETTINGS)
    assert alone["per_subject"][0]["results"][0]["status"] == \
        "not computable: needs at least two subjects with BOLD"
