"""Tasks: the input/readout contract and the decoded perceptual decision."""

import numpy as np
import pytest

from fwbm_bench.connectome import build_connectome
from fwbm_bench.data import load_subject
from fwbm_bench.errors import ConfigError, InputError
from fwbm_bench.models import get_model
from fwbm_bench.scoring import TASK_BENCHMARKS
from fwbm_bench.tasks import TASKS, get_task
from fwbm_bench.tasks.contracts import select_regions


def test_aal2_contract_picks_visual_inputs_and_frontoparietal_readouts(hcp_connectome):
    labels = hcp_connectome.labels
    inputs = [labels[i] for i in select_regions(labels, hcp_connectome.hemispheres, "input")]
    readouts = [labels[i] for i in select_regions(labels, hcp_connectome.hemispheres, "readout")]
    assert {"Calcarine_L", "Calcarine_R", "Occipital_Mid_L"} <= set(inputs) and len(inputs) == 12
    assert {"Parietal_Sup_L", "Angular_R", "Frontal_Mid_2_L"} <= set(readouts)
    assert not set(inputs) & set(readouts)


def test_missing_contract_labels_are_a_clear_error():
    subject = load_subject("tvb-76")
    with pytest.raises(InputError, match=r"no task input/readout contract for this parcellation \(first labels: \['rA1'"):
        select_regions(subject.labels, subject.hemispheres, "input")


@pytest.mark.parametrize("name", sorted(TASKS))
def test_task_conformance(name, hcp_connectome):
    task = get_task(name, trials_per_condition=5)
    assert task.name == name and task.description and task.citation
    assert name in TASK_BENCHMARKS, "every task needs a benchmark entry in fwbm_bench.scoring"
    result = task.run(get_model("rww_ei"), hcp_connectome, {"G": 0.3}, seed_parts=("t",), dt_ms=1.0,
                      conduction_speed_m_per_s=10.0)
    assert len(result["p_correct"]) == len(result["coherence_pct"])
    assert result["p_correct"][-1] >= 0.8  # coupled rWW-EI at G = 0.3; chance would give 0.5
    with pytest.raises(ConfigError, match=f"task '{name}': invalid settings"):
        get_task(name, no_such_setting=1)
    with pytest.raises(ConfigError, match=r"trials_per_condition \(2\) must be at least n_folds \(5\)"):
        get_task(name, trials_per_condition=2)


def test_stimulus_information_travels_through_the_connectome(hcp_connectome):
    """G = 0: readout regions get no input and decode at chance; coupled: accuracy rises with coherence."""
    task = get_task("perceptual_decision", trials_per_condition=20)
    model = get_model("rww_ei")
    kwargs = {"seed_parts": ("contract",), "dt_ms": 1.0, "conduction_speed_m_per_s": 10.0}
    uncoupled = np.array(task.run(model, hcp_connectome, {"G": 0.0}, **kwargs)["p_correct"])
    coupled = np.array(task.run(model, hcp_connectome, {"G": 0.3}, **kwargs)["p_correct"])
    assert abs(uncoupled.mean() - 0.5) < 0.1
    assert coupled[-1] >= 0.85 and coupled[-1] > coupled[0] + 0.3


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
