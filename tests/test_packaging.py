"""Packaging: pyproject and environment.yml list the same dependencies; data files ship."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = set()
    for item in environment["dependencies"]:
        if isinstance(item, dict):
            listed |= {_name(r) for r in item["pip"] if not r.startswith("-e")}
        else:
            listed.add(_name(item))
    listed -= {"python", "pip"}
    assert listed == wanted, f"only in environment.yml: {listed - wanted}; only in pyproject: {wanted - listed}"


def test_package_data_is_installed():
    from importlib import resources

    package = resources.files("fwbm_bench")
    for path in ("schemas/config.schema.yaml", "data/atlases/aal2_94.csv",
                 "data/reference/roitman_shadlen_2002_rt_task.csv"):
        assert package.joinpath(path).is_file(), path


def test_workflow_scripts_are_thin():
    """A script reads inputs, makes one library call and writes outputs: no logic there."""
    for script in (ROOT / "workflow" / "scripts").glob("*.py"):
        code = [line for line in script.read_text().splitlines() if line.strip() and not line.startswith("#")]
        assert len(code) <= 8, f"{script.name} has {len(code)} lines; move logic into fwbm_bench"
        assert "def " not in script.read_text() and "for " not in script.read_text(), script.name
