"""Plugins: entry-point discovery, config-named plugins, duplicate names, and the conformance kit
failing models, entries and metrics that break their contract."""

import dataclasses
import sys
import textwrap
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from conftest import assert_one_line

from fwbm_bench.config import check_config
from fwbm_bench.entries import ENTRIES, Entry, resolve_entries
from fwbm_bench.errors import ConfigError
from fwbm_bench.metrics import REST_METRICS, Metric
from fwbm_bench.models import MODELS, get_model
from fwbm_bench.models.base import NodeModel, Parameter, register_node_functions
from fwbm_bench.models.hopf import StuartLandau
from fwbm_bench.plugin_registry import BUILT_IN, Registry
from fwbm_bench.scoring import rest_benchmarks, task_benchmarks
from fwbm_bench.tasks import TASKS
from fwbm_bench.testing import ConformanceError, check_entry, check_metric, check_node_model

EXAMPLE_SRC = Path(__file__).parents[1] / "examples" / "fwbm-bench-mpr" / "src"


@pytest.fixture
def clean_registries():
    """Whatever a test registers is gone afterwards (the registries are process-wide)."""
    registries = (MODELS, ENTRIES, TASKS, REST_METRICS)
    for registry in registries:
        registry._load_plugins()
    saved = [(dict(r._items), dict(r._sources)) for r in registries]
    yield
    for registry, (items, sources) in zip(registries, saved):
        registry._items, registry._sources = items, sources


# --- broken models: the kit names the violation ------------------------------------------------

class WrongStateShape(StuartLandau):
    name = "wrong-state-shape"

    @classmethod
    def prepare(cls, params, weights):
        node_params, state = StuartLandau.prepare(params, weights)
        return node_params, state[:, :, 0]  # forgot the batch axis


class MissingCitation(StuartLandau):
    name = "missing-citation"
    parameters = (*StuartLandau.parameters[:3],
                  Parameter("beta", 0.02, "s^-1/2", (0.0, 10.0), "noise amplitude", citation=""))


class BoldNotAnOutput(StuartLandau):
    name = "bold-not-an-output"
    bold_variable = "bold"


def _nan_drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    dxdt[0] = np.sqrt(x[0] - 10.0)  # NaN for every state below 10
    dxdt[1] = 0.0


def _nan_observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    out_row[0, i, b] += x[0] * weight


class NanRightHandSide(NodeModel):
    name = "nan-rhs"
    description = "a model whose right-hand side is NaN"
    citation = "this test"
    state_variables = ("x", "y")
    coupling_variables = ("x",)
    output_variables = ("x",)
    bold_variable = task_readout = "x"
    noise: ClassVar[dict] = {}
    parameters = (Parameter("G", 0.0, "1", (0.0, 1.0), "coupling", "this test"),)

    @classmethod
    def prepare(cls, params, weights):
        n, batch = weights.shape[0], len(params["G"])
        return np.zeros((0, n, batch)), np.zeros((2, n, batch))


register_node_functions(NanRightHandSide, _nan_drift, _nan_observe)


def _decay_drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    dxdt[0] = -x[0] / 3.0 + coupling[0, i, b]
    dxdt[1] = 0.0


def _decay_drift_batch(tag, state, coupling, ext, global_params, node_params, dxdt):
    for i in range(state.shape[1]):
        for b in range(state.shape[2]):
            dxdt[0, i, b] = -state[0, i, b] / 3.0 + coupling[0, i, b] + 1e-12  # not the scalar form
            dxdt[1, i, b] = 0.0


def _decay_drift_observe_batch(tag, state, coupling, ext, global_params, node_params, dxdt, out_row, weight):
    for i in range(state.shape[1]):
        for b in range(state.shape[2]):
            dxdt[0, i, b] = -state[0, i, b] / 3.0 + coupling[0, i, b] + 1e-12
            dxdt[1, i, b] = 0.0
            out_row[0, i, b] += state[0, i, b] * weight


class BatchFormDiffers(NanRightHandSide):
    name = "batch-form-differs"
    description = "a model whose batch form computes another expression than its scalar form"


register_node_functions(BatchFormDiffers, _decay_drift, _nan_observe, drift_batch=_decay_drift_batch,
                        drift_observe_batch=_decay_drift_observe_batch)


@pytest.mark.parametrize("model, message", [
    (BatchFormDiffers, (r"node model 'batch-form-differs': node_drift_observe_batch's drift gives .* for variable 0 "
                        r"of region \d, batch element \d, the scalar form .*; the batch forms must compute the same")),
    (WrongStateShape, (r"node model 'wrong-state-shape': prepare's initial state must have shape \(n_state, N, B\) "
                      r"= \(2, 3, 2\), found \(2, 3\)")),
    (NanRightHandSide, r"node model 'nan-rhs': the right-hand side of 'x' is nan at the initial state"),
    (MissingCitation, r"node model 'missing-citation': parameter 'beta' has no citation"),
    (BoldNotAnOutput, r"node model 'bold-not-an-output': bold_variable 'bold' is not one of the output_variables"),
    (int, r"node model <class 'int'>: must be a subclass of fwbm_bench.models.base.NodeModel"),
])
def test_conformance_kit_names_each_violation(model, message):
    with pytest.raises(ConformanceError, match=message) as info:
        check_node_model(model)
    assert_one_line(str(info.value))


def test_conformance_kit_on_entries_and_metrics(hcp_subject):
    with pytest.raises(ConformanceError, match="entry 'my entry': needs a name without spaces"):
        check_entry(Entry("my entry", "x", "model", "hopf"))
    with pytest.raises(ConformanceError, match=r"entry 'e': .*parameter 'G' must lie in \[0.0, 100.0\]"):
        check_entry(Entry("e", "x", "model", "hopf", {"G": -1.0}))
    with pytest.raises(ConformanceError, match="entry 'e': .*unknown node model 'hopff'"):
        check_entry(Entry("e", "x", "model", "hopff"))
    check_entry(ENTRIES["rww-ei-fic"])
    constant = Metric("constant", "always 0.5", False, lambda model, empirical, settings: 0.5, "this test")
    with pytest.raises(ConformanceError, match="metric 'constant': identical observables must score 1, found 0.5"):
        check_metric(constant)
    with pytest.raises(ConformanceError, match="criterion must be C1-C4, found 'C9'"):
        check_metric(dataclasses.replace(REST_METRICS["fc_corr"], name="fc2", criterion="C9"))
    check_metric(REST_METRICS["fc_corr"])


# --- discovery through entry points ------------------------------------------------------------

def _install_fake_distribution(tmp_path, monkeypatch, name, entry_points_txt):
    """A dist-info folder on sys.path: what pip leaves behind, so importlib.metadata finds it."""
    info = tmp_path / f"{name.replace('-', '_')}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points_txt))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(EXAMPLE_SRC))


def test_installed_plugin_registers_its_model_and_entry(tmp_path, monkeypatch):
    """The example package's entry points, read from a dist-info folder as after pip install."""
    _install_fake_distribution(tmp_path, monkeypatch, "fwbm-bench-mpr-copy", """
        [fwbm_bench_test.models]
        mpr = fwbm_bench_mpr.model:MontbrioPazoRoxin
        [fwbm_bench_test.entries]
        mpr = fwbm_bench_mpr.entries:ENTRIES
    """)
    from fwbm_bench_mpr.model import MontbrioPazoRoxin

    # a test group, so that plugins installed in this environment do not count
    models = Registry("node model", "fwbm_bench_test.models", [StuartLandau])
    entries = Registry("entry", "fwbm_bench_test.entries", [])
    assert models["mpr"] is MontbrioPazoRoxin and models.source("hopf") == BUILT_IN
    assert models.source("mpr") == ("plugin package 'fwbm-bench-mpr-copy' (entry point 'mpr = "
                                     "fwbm_bench_mpr.model:MontbrioPazoRoxin' in group 'fwbm_bench_test.models')")
    assert entries["mpr"].model == "mpr" and list(entries) == ["mpr"]
    check_node_model(MontbrioPazoRoxin)


def test_duplicate_names_name_both_sources(tmp_path, monkeypatch):
    _install_fake_distribution(tmp_path, monkeypatch, "hopf-again", """
        [fwbm_bench_test.models]
        hopf = fwbm_bench.models.hopf:StuartLandau
        mine = fwbm_bench_mpr.model:MontbrioPazoRoxin
    """)

    class OtherHopf(StuartLandau):
        pass

    registry = Registry("node model", "fwbm_bench_test.models", [OtherHopf])
    with pytest.raises(ConfigError, match=r"node model 'hopf' is defined twice: by fwbm-bench \(built in\) and by "
                                          r"plugin package 'hopf-again' \(entry point 'hopf = fwbm_bench.models.hopf"):
        list(registry)


def test_a_broken_plugin_says_which_one_it_is(tmp_path, monkeypatch):
    _install_fake_distribution(tmp_path, monkeypatch, "broken-plugin", """
        [fwbm_bench_test.entries]
        oops = no_such_module_anywhere:ENTRY
    """)
    with pytest.raises(ConfigError, match=r"plugin package 'broken-plugin' \(entry point 'oops = no_such_module_anywhere"
                                          r":ENTRY' in group 'fwbm_bench_test.entries'\): cannot be loaded: "
                                          r"ModuleNotFoundError") as info:
        list(Registry("entry", "fwbm_bench_test.entries", []))
    assert_one_line(str(info.value))


# --- plugins named in the config ---------------------------------------------------------------

BASE = {"subjects": ["hcp-101309"], "entries": ["rww-ei-fic"]}


def test_config_plugins_register_a_file_and_a_module(tmp_path, monkeypatch, clean_registries):
    monkeypatch.chdir(tmp_path)
    Path("my_entry.py").write_text(textwrap.dedent("""
        from fwbm_bench.entries import Entry
        ENTRY = Entry("hopf-strong", "Stuart-Landau at G = 2", "model", "hopf", {"G": 2.0})
    """))
    monkeypatch.syspath_prepend(str(EXAMPLE_SRC))
    config = check_config({**BASE, "entries": ["hopf-strong", "mpr"],
                           "plugins": ["my_entry.py:ENTRY", "fwbm_bench_mpr.model:MontbrioPazoRoxin",
                                       "fwbm_bench_mpr.entries:ENTRIES"]})
    assert config["plugins"][0] == "my_entry.py:ENTRY"
    assert resolve_entries(["hopf-strong"])["hopf-strong"].fixed == {"G": 2.0}
    assert get_model("mpr").name == "mpr"
    assert ENTRIES.source("hopf-strong") == "config plugins entry 'my_entry.py:ENTRY'"


@pytest.mark.parametrize("plugins, message", [
    (["no_module_here:X"], r"^config: key plugins\[0\]: cannot import module 'no_module_here': ModuleNotFoundError"),
    (["missing.py:X"], r"^config: key plugins\[0\]: file 'missing.py' not found"),
    (["fwbm_bench.models.hopf:NoSuchThing"], r"key plugins\[0\]: 'fwbm_bench.models.hopf' has no attribute 'NoSuchThing'"),
    (["fwbm_bench.models.hopf:PARAMETERS"], r"key plugins\[0\]: 'fwbm_bench.models.hopf:PARAMETERS' is Parameter\("),
    (["no colon"], r"^config: key 'plugins.0': 'no colon' does not match"),
])
def test_bad_config_plugins_are_one_line_errors(plugins, message, clean_registries):
    with pytest.raises(ConfigError, match=message) as info:
        check_config({**BASE, "plugins": plugins})
    assert_one_line(str(info.value))


def test_a_config_plugin_cannot_replace_a_built_in(tmp_path, monkeypatch, clean_registries):
    monkeypatch.chdir(tmp_path)
    Path("clash.py").write_text("from fwbm_bench.models.hopf import StuartLandau\n"
                                "class Hopf(StuartLandau):\n    pass\n")
    with pytest.raises(ConfigError, match=r"node model 'hopf' is defined twice: by fwbm-bench \(built in\) and by "
                                          r"config plugins entry 'clash.py:Hopf'"):
        check_config({**BASE, "plugins": ["clash.py:Hopf"]})


# --- plugin metrics and tasks become benchmarks ------------------------------------------------

def test_a_plugin_metric_becomes_a_benchmark_of_every_bold_dataset(clean_registries):
    metric = dataclasses.replace(REST_METRICS["fc_corr"], name="fc_corr_again", benchmark="fc-again",
                                 criterion="C1", version=3)
    REST_METRICS.add(metric, "this test")
    added = [b for b in rest_benchmarks("hcp") if b.metric == "fc_corr_again"]
    assert [(b.identifier, b.criterion, b.version) for b in added] == [("hcp-fc-again", "C1", 3)]


def test_a_plugin_task_needs_its_benchmarks(clean_registries):
    class Silent:
        name, description, citation = "silent", "no benchmarks", "this test"

        def run(self, *args, **kwargs):
            return {}

    TASKS.add(Silent, "this test")
    with pytest.raises(ConfigError, match="task 'silent' of this test: its 'benchmarks' attribute must list"):
        task_benchmarks("silent")
    assert "silent" in sys.modules[__name__].TASKS
