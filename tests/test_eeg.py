"""EEG forward model (tvb-data lead fields, streaming sink) and EEG spectral metrics."""

import bz2
import importlib.util
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import assert_one_line
from scipy.io import loadmat

from fwbm_bench.connectome import normalise_weights
from fwbm_bench.data import get_dataset
from fwbm_bench.errors import ConfigError, InputError
from fwbm_bench.metrics.eeg import (
    EEG_BANDS_HZ,
    alpha_peak_frequency,
    alpha_peak_similarity,
    band_power_similarity,
    band_powers,
    eeg_power_spectrum,
)
from fwbm_bench.models import get_model
from fwbm_bench.observables import EegSink, eeg_channel_labels, region_lead_field
from fwbm_bench.observables import eeg as eeg_module
from fwbm_bench.simulate import simulate

TVB_DATA = Path(importlib.util.find_spec("tvb_data").submodule_search_locations[0])
N_VERTICES = 16384


def raw_mapping(n_regions):
    return np.loadtxt(TVB_DATA / f"regionMapping/regionMapping_16k_{n_regions}.txt").astype(int)


def raw_sensors(n_channels):
    path = TVB_DATA / ("sensors/eeg_brainstorm_65.txt" if n_channels == 65 else "sensors/eeg_unitvector_62.txt.bz2")
    raw = path.read_bytes()
    text = (bz2.decompress(raw) if path.suffix == ".bz2" else raw).decode()
    rows = [line.split() for line in text.splitlines() if line.strip()]
    return [row[0] for row in rows], np.array([[float(v) for v in row[1:4]] for row in rows])


def raw_projection(n_channels):
    if n_channels == 65:
        return np.load(TVB_DATA / "projectionMatrix/projection_eeg_65_surface_16k.npy")
    return loadmat(TVB_DATA / "projectionMatrix/projection_eeg_62_surface_16k.mat")["ProjectionMatrix"]


@pytest.fixture(scope="module")
def surface_vertices():
    with zipfile.ZipFile(TVB_DATA / "surfaceData/cortex_16384.zip") as archive:
        return np.loadtxt(io.StringIO(archive.read("vertices.txt").decode()))


# --- lead field -------------------------------------------------------------------------------


@pytest.mark.parametrize("n_regions", [76, 192])
@pytest.mark.parametrize("n_channels", [65, 62])
def test_lead_field_shape_labels_and_empty_regions(n_regions, n_channels):
    lead_field = region_lead_field(n_regions, n_channels)
    labels = eeg_channel_labels(n_channels)
    n_usable = 63 if n_channels == 65 else 62
    assert lead_field.shape == (n_usable, n_regions) and len(labels) == n_usable
    assert np.isfinite(lead_field).all()
    if n_channels == 65:
        assert "IO1" not in labels and "IO2" not in labels  # the two all-NaN rows (ocular electrodes)
    owns_vertices = np.isin(np.arange(n_regions), raw_mapping(n_regions)[:N_VERTICES])
    assert (np.abs(lead_field[:, owns_vertices]).max(axis=0) > 0).all()
    assert (lead_field[:, ~owns_vertices] == 0).all()
    cortical = get_dataset("tvb").load(f"tvb-{n_regions}").extra["cortical"]
    assert owns_vertices.sum() == 76 and (owns_vertices == cortical).all()
    average = region_lead_field(n_regions, n_channels, reference="average")
    np.testing.assert_allclose(average.mean(axis=0), 0.0, atol=1e-9 * np.abs(lead_field).max())
    np.testing.assert_allclose(average, lead_field - lead_field.mean(axis=0), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("n_regions", "n_channels", "region"), [(76, 65, 12), (76, 65, 37), (192, 62, 70)])
def test_lead_field_column_matches_a_plain_loop_over_vertices(n_regions, n_channels, region):
    projection = raw_projection(n_channels)
    mapping = raw_mapping(n_regions)
    labels, _ = raw_sensors(n_channels)
    usable = [c for c in range(projection.shape[0]) if not np.isnan(projection[c]).any()]
    expected = np.zeros(len(usable))
    for vertex in range(projection.shape[1]):
        if mapping[vertex] == region:
            for row, channel in enumerate(usable):
                expected[row] += projection[channel, vertex]
    np.testing.assert_allclose(region_lead_field(n_regions, n_channels)[:, region], expected, rtol=1e-12)
    assert list(eeg_channel_labels(n_channels)) == [labels[c] for c in usable]


def test_every_76_region_equals_the_192_region_with_the_same_vertices():
    small, large = raw_mapping(76), raw_mapping(192)[:N_VERTICES]
    pairs = set(zip(small.tolist(), large.tolist()))
    assert len(pairs) == 76  # the cortical parts of the two parcellations are one and the same
    for n_channels in (65, 62):
        lf76, lf192 = region_lead_field(76, n_channels), region_lead_field(192, n_channels)
        for i, j in pairs:
            np.testing.assert_allclose(lf76[:, i], lf192[:, j], rtol=1e-12)


@pytest.mark.parametrize("n_regions", [76, 192])
def test_mapping_indexes_the_connectivity_regions(n_regions, surface_vertices):
    """TVB's convention: mapping value r is region r of connectivity_<n>, so vertex centroids are its centres."""
    centres = get_dataset("tvb").load(f"tvb-{n_regions}").centres
    mapping = raw_mapping(n_regions)[:N_VERTICES]
    for region in np.unique(mapping):
        centroid = surface_vertices[mapping == region].mean(axis=0)
        np.testing.assert_allclose(centroid, centres[region], atol=1e-5)


def test_65_channel_labels_match_the_lead_field_geometry(surface_vertices):
    """Each channel's |lead field|^2-weighted source centroid points towards its electrode."""
    lead_field = raw_projection(65)
    labels, positions = raw_sensors(65)
    centred = surface_vertices - surface_vertices.mean(axis=0)
    cosines = []
    for c in range(65):
        if np.isnan(lead_field[c]).any():
            continue
        weight = lead_field[c] ** 2
        centroid = weight @ centred / weight.sum()
        direction = positions[c] - positions.mean(axis=0)
        cosines.append(centroid @ direction / np.linalg.norm(centroid) / np.linalg.norm(direction))
    assert len(cosines) == 63 and min(cosines) > 0.85 and np.mean(cosines) > 0.95
    fp1 = labels.index("Fp1")
    assert positions[fp1, 1] > 0  # Brainstorm SCS: +y towards the left ear ...
    subject = get_dataset("tvb").load("tvb-76")
    assert subject.centres[subject.labels.index("lA1"), 1] > 0  # ... where connectivity_76 puts the left


def test_62_channel_labels_are_mirror_images_of_the_65_channel_ones():
    """Documented quirk (module docstring): lateral 62-channel rows match the 65-channel row of the mirror electrode."""
    rows65 = {label.split("/")[0]: row for label, row in zip(eeg_channel_labels(65), region_lead_field(76, 65))}
    rows62 = dict(zip(eeg_channel_labels(62), region_lead_field(76, 62)))

    def mirror(label):
        number = re.fullmatch(r"([A-Za-z]+)(\d+)", label)
        return label if number is None else number[1] + str(int(number[2]) + (1 if int(number[2]) % 2 else -1))

    lateral = [label for label in rows62 if mirror(label) != label and label in rows65 and mirror(label) in rows62]
    assert len(lateral) >= 40
    same = [np.corrcoef(rows65[label], rows62[label])[0, 1] for label in lateral]
    mirrored = [np.corrcoef(rows65[label], rows62[mirror(label)])[0, 1] for label in lateral]
    assert np.mean(np.array(mirrored) > np.array(same)) > 0.9


# --- streaming sink ---------------------------------------------------------------------------


def test_sink_decimates_across_chunks_and_projects():
    rng = np.random.default_rng(3)
    lead_field = rng.normal(size=(5, 4))
    activity = rng.normal(size=(103, 2, 4, 3))  # (steps, outputs, regions, batch)
    sink = EegSink(lead_field, input_period_ms=1.0, output_index=1, decimate=4)
    for start, stop in [(0, 7), (7, 8), (8, 50), (50, 103)]:
        sink(activity[start:stop])
    eeg = sink.eeg()
    blocks = activity[:100, 1].reshape(25, 4, 4, 3).mean(axis=1)
    expected = np.stack([lead_field @ blocks[t] for t in range(25)], axis=1)
    assert eeg.shape == (5, 25, 3) and sink.sampling_period_ms == 4.0
    np.testing.assert_allclose(eeg, expected, rtol=1e-12, atol=1e-12)


def test_jansen_rit_network_eeg_peaks_in_alpha():
    """Acceptance: Jansen-Rit, standard parameters, tvb-76, small coupling -> EEG peak in 8-12 Hz."""
    subject = get_dataset("tvb").load("tvb-76")
    model = get_model("jansen_rit")
    sink = EegSink(region_lead_field(76, 65, reference="average"), input_period_ms=1.0,
                   output_index=model.output_variables.index("y1_minus_y2"), decimate=4)
    simulate(model, normalise_weights(subject.weights), subject.tract_lengths_mm, {"G": 0.2},
             duration_ms=5000.0, seeds=[11], dt_ms=0.1, output_period_ms=1.0, sinks=[sink], keep_outputs=False)
    eeg = sink.eeg()[:, :, 0]
    assert eeg.shape == (63, 1250)
    transient = round(1000.0 / sink.sampling_period_ms)
    freqs, power = eeg_power_spectrum(eeg[:, transient:], sink.sampling_period_ms, segment_s=2.0)
    mean = power.mean(axis=0)
    peak = freqs[1:][np.argmax(mean[1:])]  # global maximum above DC
    print(f"channel-averaged EEG peak: {peak} Hz")
    assert 8.0 <= peak <= 12.0
    assert alpha_peak_frequency(freqs, power) == peak
    assert band_powers(freqs, power)["alpha"] > 0.5


# --- spectral metrics -------------------------------------------------------------------------


def test_alpha_peak_of_a_noisy_10_hz_sinusoid(rng):
    period_ms = 4.0
    t_s = np.arange(5000) * period_ms / 1000.0
    eeg = np.sin(2 * np.pi * 10.0 * t_s) + rng.normal(scale=1.0, size=(8, t_s.size)) + 3.0
    freqs, power = eeg_power_spectrum(eeg, period_ms, segment_s=2.0)
    assert power.shape == (8, freqs.size) and freqs[1] - freqs[0] == pytest.approx(0.5)
    assert abs(alpha_peak_frequency(freqs, power) - 10.0) <= freqs[1] - freqs[0]
    assert alpha_peak_frequency(freqs, power[0]) == pytest.approx(10.0, abs=0.5)
    relative = band_powers(freqs, power)
    assert set(relative) == set(EEG_BANDS_HZ) and sum(relative.values()) == pytest.approx(1.0, rel=1e-12)
    assert max(relative, key=relative.get) == "alpha"
    absolute = band_powers(freqs, power, relative=False)
    assert absolute["alpha"] / sum(absolute.values()) == pytest.approx(relative["alpha"])


def test_white_noise_band_powers_are_proportional_to_band_widths(rng):
    eeg = rng.normal(size=(16, 60000))
    freqs, power = eeg_power_spectrum(eeg, 2.0, segment_s=2.0)
    relative = band_powers(freqs, power)
    for name, (low, high) in EEG_BANDS_HZ.items():
        assert relative[name] == pytest.approx((high - low) / 29.0, rel=0.05)


def test_similarities_are_bounded_and_one_for_identical():
    assert alpha_peak_similarity(10.0, 10.0) == 1.0
    assert alpha_peak_similarity(11.0, 10.0) == pytest.approx(np.exp(-0.5))
    assert alpha_peak_similarity(10.0, 11.0) == alpha_peak_similarity(11.0, 10.0)
    assert 0.0 <= alpha_peak_similarity(30.0, 8.0) < 1e-6
    bands = {"delta": 0.1, "theta": 0.2, "alpha": 0.5, "beta": 0.2}
    assert band_power_similarity(bands, dict(bands)) == 1.0
    assert band_power_similarity({"a": 1.0, "b": 0.0}, {"a": 0.0, "b": 1.0}) == 0.0
    shifted = {"delta": 0.2, "theta": 0.2, "alpha": 0.4, "beta": 0.2}
    assert band_power_similarity(bands, shifted) == pytest.approx(0.9)


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(("call", "words"), [
    (lambda: region_lead_field(68), ["n_regions", "76, 192", "68"]),
    (lambda: region_lead_field(76, n_channels=64), ["n_channels", "62, 65", "64"]),
    (lambda: region_lead_field(76, reference="Cz"), ["reference", "average", "'Cz'"]),
    (lambda: EegSink(np.ones((3, 4)), 1.0, decimate=0), ["decimate", "0"]),
    (lambda: EegSink(np.full((3, 4), np.nan), 1.0), ["lead field", "finite"]),
    (lambda: EegSink(np.ones((3, 4)), 1.0)(np.ones((10, 1, 5, 1))), ["4 regions", "(10, 1, 5, 1)"]),
    (lambda: eeg_power_spectrum(np.ones((2, 100)), 4.0, segment_s=2.0), ["100 samples", "500 samples"]),
    (lambda: eeg_power_spectrum(np.ones((2, 3, 4)), 4.0), ["channels x samples", "(2, 3, 4)"]),
    (lambda: eeg_power_spectrum([[0.0, np.nan] * 400], 4.0), ["non-finite"]),
    (lambda: alpha_peak_frequency(np.arange(5.0), np.ones(5)), ["7-14 Hz", "0-4 Hz"]),
    (lambda: alpha_peak_frequency(np.arange(20.0), np.ones(19)), ["shapes", "(20,)", "(19,)"]),
    (lambda: band_powers(np.linspace(0, 20, 41), np.ones(41)), ["beta", "13-30 Hz", "Nyquist"]),
    (lambda: band_powers(np.linspace(0, 50, 6), np.ones(6)), ["holds no frequency bin", "longer"]),
    (lambda: alpha_peak_similarity(-1.0, 10.0), ["model frequency", "-1.0"]),
    (lambda: band_power_similarity({"alpha": 1.0}, {"beta": 1.0}), ["same bands", "['alpha']", "['beta']"]),
    (lambda: band_power_similarity({"alpha": -0.1}, {"alpha": 1.0}), ["non-negative", "-0.1"]),
])
def test_bad_input_raises_a_clear_error(call, words):
    with pytest.raises((InputError, ConfigError)) as caught:
        call()
    message = str(caught.value)
    assert_one_line(message)
    for word in words:
        assert word in message, (word, message)


def test_missing_tvb_data_is_a_clear_input_error(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(InputError, match="tvb-data.*not installed"):
        region_lead_field(76)


def test_missing_or_malformed_files_name_the_file(monkeypatch, tmp_path):
    monkeypatch.setattr(eeg_module, "tvb_data_dir", lambda: tmp_path)
    with pytest.raises(InputError, match="projection_eeg_65_surface_16k.npy: file not found"):
        region_lead_field(76)
    (tmp_path / "projectionMatrix").mkdir()
    (tmp_path / "sensors").mkdir()
    np.save(tmp_path / "projectionMatrix/projection_eeg_65_surface_16k.npy", np.ones((64, 10)))
    (tmp_path / "sensors/eeg_brainstorm_65.txt").write_text("Fp1 1 2 3\n" * 65)
    with pytest.raises(InputError, match=r"expected 65 rows.*found 64 rows and 65 labels"):
        region_lead_field(76)
