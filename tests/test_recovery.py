"""Synthetic truth: the fit recovers the generating G; the generating entry ranks first.

The full acceptance run (10 cases, 600 volumes per half) is benchmarks/parameter_recovery.py;
here one short case keeps the test fast.
"""

import numpy as np
import pytest

from fwbm_bench.entries import ENTRIES, Entry
from fwbm_bench.errors import ConfigError
from fwbm_bench.pipeline.recovery import grid_steps_off, recover_parameters, synthetic_subject
from fwbm_bench.pipeline.rest import RestSettings

SETTINGS = RestSettings(segment_volumes=300)
FIC = ENTRIES["rww-ei-fic"]


def test_grid_steps_are_counted_in_the_local_spacing():
    entry = Entry("e", "", "model", "rww_ei", {}, {"G": [0.0, 0.1, 0.2, 0.4]})
    assert grid_steps_off(entry, {"G": 0.2}, {"G": 0.1}) == {"G": pytest.approx(1.0)}
    assert grid_steps_off(entry, {"G": 0.0}, {"G": 0.2}) == {"G": pytest.approx(1.0)}  # spacing 0.2 above 0.2
    assert grid_steps_off(entry, {"G": 0.4}, {"G": 0.4}) == {"G": 0.0}


def test_synthetic_subject_keeps_structure_and_tr(hcp_subject, hcp_connectome):
    with pytest.raises(ConfigError, match="need a model entry, found baseline"):
        synthetic_subject(hcp_subject, hcp_connectome, ENTRIES["sc-as-fc"], {}, 1, SETTINGS, 50)
    fake = synthetic_subject(hcp_subject, hcp_connectome, FIC, {"G": 0.2}, 7, RestSettings(burn_in_s=20.0), 50)
    assert fake.bold.shape == (80, 100) and fake.tr_s == hcp_subject.tr_s
    np.testing.assert_array_equal(fake.weights, hcp_subject.weights)
    assert "seed 7" in fake.source


@pytest.mark.slow
def test_fit_recovers_the_generating_coupling(hcp_subject, hcp_connectome):
    result = recover_parameters(FIC, hcp_subject, hcp_connectome, {"G": 0.45}, 12, SETTINGS, 300)
    assert result["steps_off"]["G"] <= 1.0, result["fit"]["grid"]
    assert result["fit"]["status"] == "ok: best fc_rmse on the train half"
