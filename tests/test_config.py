"""Configuration: presets validate; mistakes give one-line errors naming the key."""

from pathlib import Path

import pytest
from conftest import assert_one_line

from fwbm_bench.config import check_config, config_hash, load_config_file
from fwbm_bench.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("preset", ["config.yaml", "quick.yaml", "full.yaml"])
def test_presets_validate(preset):
    config = load_config_file(ROOT / "config" / preset)
    assert "empirical" in config["connectomes"]
    assert all(subject.startswith("hcp-") for subject in config["subjects"])


def test_defaults_are_filled():
    config = check_config({"subjects": ["hcp-101309"], "entries": ["sc-as-fc"]})
    assert config["connectomes"] == ["empirical"]
    assert config["simulation"]["dt_ms"] == 1.0 and config["rest"]["fcd_window_s"] == 60.0


BASE = {"subjects": ["hcp-101309"], "entries": ["rww-ei-fic"]}


@pytest.mark.parametrize("change, match", [
    ({"entriez": ["x"]}, r"^config: unknown key\(s\) \['entriez'\] \(allowed: connectome, connectomes, "),
    ({"rest": {"burn_in": 60}}, r"^config: section 'rest': unknown key\(s\) \['burn_in'\]"),
    ({"simulation": {"dt_ms": -1}}, r"^config: key 'simulation.dt_ms': -1 is less than or equal to the minimum of 0"),
    ({"entries": ["rww-ei-fic", "hopf-magic"]}, r"^config: key entries: unknown entry \['hopf-magic'\]"),
    ({"subjects": ["nosuch-01"]}, "unknown dataset 'nosuch'"),
    ({"subjects": ["hcp-000001"]}, "^config: key subjects: 'hcp-000001' is not in dataset 'hcp'"),
    ({"connectomes": ["empirical", "lesioned"]}, "^config: key connectomes: unknown connectome variant 'lesioned'"),
    ({"task_settings": {"perceptual_decision": {"trials_per_conditon": 9}}},
     r"key task_settings.perceptual_decision: task 'perceptual_decision': invalid settings \['trials_per_conditon'\]"),
    ({"connectomes": ["shuffled"]}, "key connectomes: must include 'empirical'"),
    ({"simulation": {"dt_ms": 0.3}}, r"key 'simulation.dt_ms': must divide 5 ms"),
    ({"custom_entries": {"mine": {"description": "x", "kind": "model", "model": "rww_ei",
                                  "fixed": {"sigma": "lots"}}}, "entries": ["mine"]},
     r"parameter 'sigma' must be a number"),
    ({"rest": {"burn_in_s": 10}}, "^config: key 'rest.burn_in_s': 10 is less than the minimum of 60"),
    ({"connectomes": ["empirical", "lesion-stroke"]},
     "^config: key connectomes: variant 'lesion-stroke' names lesion 'stroke', which is neither built in"),
    ({"connectomes": ["empirical", "geometric25-1"]}, "only shuffled and density take a percentage"),
    ({"sampled_connectomes": [{"subjects": ["hcp-10309"], "variants": ["shuffled-1"]}]},
     r"^config: key sampled_connectomes\[0\].subjects: 'hcp-10309' is not a subject of any configured dataset"),
    ({"sampled_connectomes": [{"subjects": ["hcp-101309"], "variants": ["empirical"]}]},
     r"pairs configured twice: \[\('hcp-101309', 'empirical'\)\]"),
    ({"lesions": {"task-input": {"regions": ["left"]}}}, "key lesions.task-input: clashes with a built-in lesion"),
    ({"lesions": {"mine": {"regions": ["left"], "scale": 2}}}, "^config: key 'lesions.mine.scale': 2 is greater"),
    ({"unification": {"task_lesion": "stroke"}}, "key unification.task_lesion: 'stroke' is not a lesion"),
    ({"custom_entries": {"mine": {"description": "x", "kind": "model", "model": "rww_ei",
                                  "free": {"G": [0.1, 99.0]}}}, "entries": ["mine"]},
     r"parameter 'G' must lie in \[0.0, 50.0\]"),
])
def test_config_mistakes_are_one_line_errors(change, match):
    with pytest.raises(ConfigError, match=match) as info:
        check_config({**BASE, **change})
    assert_one_line(str(info.value))


def test_missing_config_file_and_hash_stability(tmp_path):
    with pytest.raises(ConfigError, match="config file .*nope.yaml not found"):
        load_config_file(tmp_path / "nope.yaml")
    a = check_config(BASE)
    assert config_hash(a) == config_hash(dict(reversed(list(a.items()))))


def test_sampled_variants_run_on_their_subjects_only():
    from fwbm_bench.config import connectome_pairs

    config = check_config({"subjects": ["hcp-101309", "hcp-102311"], "entries": ["sc-as-fc"],
                           "lesions": {"motor": {"regions": ["Precentral_L", "Precentral_R"], "scale": 0.5}},
                           "sampled_connectomes": [{"subjects": ["hcp-102311"],
                                                    "variants": ["shuffled-1", "lesion-motor"]}]})
    assert connectome_pairs(config) == [("hcp-101309", "empirical"), ("hcp-102311", "empirical"),
                                        ("hcp-102311", "shuffled-1"), ("hcp-102311", "lesion-motor")]
    # a sample naming a subject the config does not run is ignored for it (configs laid over the default)
    config["sampled_connectomes"].append({"subjects": ["hcp-131217"], "variants": ["geometric-1"]})
    assert ("hcp-131217", "geometric-1") not in connectome_pairs(check_config(config))
