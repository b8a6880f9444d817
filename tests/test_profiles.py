"""The Snakemake profiles: profiles/default (the workflow profile, applied to every run) and
profiles/slurm. The real SLURM run is tests/cluster/slurm_e2e.sh."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = yaml.safe_load((ROOT / "profiles" / "default" / "config.yaml").read_text())
SLURM = yaml.safe_load((ROOT / "profiles" / "slurm" / "config.yaml").read_text())
RULES = sorted({name for path in (ROOT / "workflow" / "rules").glob("*.smk")
                for name in re.findall(r"^rule (\w+):", path.read_text(), flags=re.MULTILINE)})


def test_the_slurm_profile_sets_no_key_the_workflow_profile_sets():
    """Snakemake lays profiles/default over a --profile and its keys win, silently: a key in both
    would make the SLURM profile's value dead text (e.g. its default-resources with the partition)."""
    assert not set(DEFAULT) & set(SLURM), set(DEFAULT) & set(SLURM)


def test_every_rule_has_memory_and_runtime_and_groups_name_real_rules():
    assert set(DEFAULT["set-resources"]) == set(RULES)
    for rule, resources in DEFAULT["set-resources"].items():
        assert {"mem_mb", "runtime"} <= set(resources), rule
    assert set(SLURM["groups"]) <= set(RULES)
    assert set(SLURM["group-components"]) <= set(SLURM["groups"].values())
    assert {"fit", "simulate_rest"}.isdisjoint(SLURM["groups"])  # the heavy jobs run alone


def _dry_run(tmp_path, *args):
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(ROOT / "Snakefile", work)
    for folder in ("workflow", "config", "profiles"):
        shutil.copytree(ROOT / folder, work / folder)
    return subprocess.run([sys.executable, "-m", "snakemake", "-n", "--configfile", "config/quick.yaml", *args],
                          check=False, cwd=work, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_the_workflow_profile_alone_is_enough_to_run(tmp_path):
    run = _dry_run(tmp_path)  # no --cores: profiles/default gives them
    assert run.returncode == 0, run.stderr[-2000:]
    assert "workflow specific profile profiles/default" in run.stdout + run.stderr


@pytest.mark.skipif(importlib.util.find_spec("snakemake_executor_plugin_slurm") is None,
                    reason="needs the [slurm] extra (pip install -e '.[slurm]')")
def test_the_slurm_profile_groups_the_small_jobs_into_single_cpu_submissions(tmp_path):
    run = _dry_run(tmp_path, "--profile", "profiles/slurm")
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-2000:]
    assert "Using profiles profiles/slurm and workflow specific profile profiles/default" in out
    for group in ("subjects", "connectomes", "scoring", "tasks", "final"):
        assert f"Group job {group} " in out, group
    # resources of a grouped job come from profiles/default, cpus_per_task from profiles/slurm
    assert re.search(r"rule score_rest:(?:\n .*)*\n\s+resources: .*runtime=3, cpus_per_task=1", out)
