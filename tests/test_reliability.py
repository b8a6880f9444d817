"""Reliability (issue #8): contained failures, determinism across --cores, atomic writes.

Resume after SIGKILL is checked by benchmarks/resume_after_kill.py (a run of several minutes).
"""

import dataclasses
import json
import shutil
from types import SimpleNamespace

import numpy as np
import pytest
import xarray as xr
from test_workflow import _snakemake, _workdir

from fwbm_bench._atomic import write_text_atomic
from fwbm_bench.errors import ConfigError
from fwbm_bench.leaderboard import build_leaderboard, leaderboard_table, unscored_table
from fwbm_bench.leaderboard.compare import COST_VARIABLES, leaderboard_differences
from fwbm_bench.metrics import REST_METRICS
from fwbm_bench.pipeline.io import read_json, read_npz, write_json
from fwbm_bench.pipeline.job import run_entry_job
from fwbm_bench.pipeline.rest import RestSettings, empirical_observables, score_rest
from fwbm_bench.report import write_report
from fwbm_bench.scoring import TASK_BENCHMARKS, benchmark_registry, identifiability_benchmark, rest_benchmarks

CARDS = {"hcp": {"description": "d", "provenance": "p", "licence": "l", "caveats": "c", "has_bold": True}}


def _job(tmp_path, *outputs):
    return SimpleNamespace(log=[str(tmp_path / "job.log")], output=[str(tmp_path / o) for o in outputs],
                           wildcards={"entry": "e", "subject": "hcp-101309", "connectome": "empirical"})


def test_an_unexpected_error_in_an_entry_job_is_recorded_and_its_traceback_logged(tmp_path):
    def broken(*_):
        return 1 / 0

    job = _job(tmp_path, "result.json", "simulated.npz")
    run_entry_job(job, broken)  # no exception: the run goes on
    record = read_json(tmp_path / "result.json")
    assert record["entry"] == "e" and record["subject"] == "hcp-101309"
    assert record["failed"].startswith("ZeroDivisionError: division by zero (unexpected error; traceback in ")
    assert str(read_npz(tmp_path / "simulated.npz")["failed"]) == record["failed"]
    assert "Traceback (most recent call last)" in (tmp_path / "job.log").read_text()  # the bug stays visible


def test_a_config_error_in_an_entry_job_still_stops_the_run(tmp_path):
    def misconfigured(*_):
        raise ConfigError("key rest.fit_objective: expected one of ['fc_corr', 'fc_rmse'], found 'x'")

    with pytest.raises(SystemExit, match="fwbm-bench error: key rest.fit_objective"):
        run_entry_job(_job(tmp_path, "result.json"), misconfigured)
    assert not (tmp_path / "result.json").exists()


def test_a_metric_that_raises_fails_its_benchmark_only(hcp_subject, monkeypatch):
    settings = RestSettings(segment_volumes=150)
    held_out = empirical_observables(hcp_subject, settings)[1]
    simulated = {"bold": held_out.bold, "fc": held_out.fc, "tr_s": np.array(hcp_subject.tr_s)}

    def explode(*_):
        raise RuntimeError("plugin bug")

    monkeypatch.setitem(REST_METRICS._items, "synchrony", dataclasses.replace(REST_METRICS["synchrony"], compute=explode))
    statuses = {row["benchmark"]: row["status"] for row in score_rest(simulated, hcp_subject, settings)}
    assert statuses["hcp-synchrony"] == "failed: metric synchrony raised RuntimeError: plugin bug"
    assert statuses["hcp-fc-corr"] == "ok"


def test_failure_records_become_failed_statuses_and_the_report_shows_them(tmp_path):
    config = {"entries": ["good", "bad"], "subjects": ["hcp-101309"], "connectomes": ["empirical"],
              "tasks": ["working_memory"]}
    registry = benchmark_registry(["hcp"], ["working_memory"])
    results = []
    for entry in config["entries"]:
        rest = tmp_path / f"{entry}-rest.json"
        task = tmp_path / f"{entry}-task.json"
        identity = {"entry": entry, "subject": "hcp-101309", "connectome": "empirical"}
        if entry == "good":
            write_json(rest, {**identity, "results": [
                {"benchmark": b.identifier, "raw": 0.5, "ceiling": 0.5, "score": 1.0, "score_unclipped": 1.0,
                 "status": "ok"} for b in [*rest_benchmarks("hcp"), identifiability_benchmark("hcp")]]})
            write_json(task, {**identity, "task": "working_memory", "results": [
                {"benchmark": b.identifier, "raw": 0.5, "ceiling": 1.0, "score": 0.5, "score_unclipped": 0.5,
                 "status": "ok"} for b in TASK_BENCHMARKS["working_memory"]]})
        else:  # what run_entry_job writes when the job raised
            write_json(rest, {**identity, "failed": "ValueError: boom (unexpected error)"})
            write_json(task, {**identity, "task": "working_memory", "failed": "task working_memory: diverged"})
        results += [rest, task]
    fit = tmp_path / "bad-fit.json"
    write_json(fit, {"entry": "bad", "subject": "hcp-101309", "connectome": "empirical", "failed": "x"})
    ds = build_leaderboard(results, [fit], [], config, registry, CARDS, "abc")
    bad = ds.status.sel(entry="bad", subject="hcp-101309", connectome="empirical")
    assert str(bad.sel(benchmark="hcp-fc-corr").item()) == "failed: ValueError: boom (unexpected error)"
    assert str(bad.sel(benchmark="hcp-identifiability").item()).startswith("missing")  # no specificity file here
    assert str(bad.sel(benchmark="delayed-response").item()) == "failed: task working_memory: diverged"
    assert str(ds.entry_status.sel(entry="bad").item()).startswith("failed: ")
    assert str(ds.fit_status.sel(entry="bad").item()) == "failed: x"
    assert float(ds.benchmark_score.sel(entry="bad", benchmark="hcp-fc-corr")) == 0.0  # counts 0
    assert leaderboard_table(ds).set_index("entry").loc["bad", "status"].startswith("failed: ")
    assert "ValueError: boom" in " ".join(unscored_table(ds)["status"])
    write_report(ds, tmp_path / "report" / "index.html")
    page = (tmp_path / "report" / "index.html").read_text()
    assert 'id="failures"' in page and "<b>bad</b>: failed: " in page and "ValueError: boom" in page
    entry_pages = {p.name.split("-")[0]: p.read_text() for p in (tmp_path / "report" / "entries").glob("*.html")}
    assert "<b>Failed</b>" in entry_pages["bad"] and "<b>Failed</b>" not in entry_pages["good"]


def test_leaderboard_differences_are_exact_and_skip_costs():
    ds = xr.Dataset({"score": (("entry",), np.array([0.5, np.nan])), "wall_s": (("entry",), np.array([1.0, 2.0])),
                     "status": (("entry",), np.array(["ok", "failed: x"]))}, coords={"entry": ["a", "b"]},
                    attrs={"config_hash": "1"})
    other = ds.copy(deep=True)
    other["wall_s"].values[:] = 9.0
    assert leaderboard_differences(ds, other) == []
    other["score"].values[0] = np.nextafter(0.5, 1)
    other.attrs["config_hash"] = "2"
    differences = leaderboard_differences(ds, other)
    assert len(differences) == 2 and differences[0].startswith("variable score: values differ (first at {'entry': 'a'}")
    assert leaderboard_differences(ds, other, entries=["b"], skip_attrs=["config_hash"]) == []


def test_an_interrupted_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "result.json"
    write_text_atomic(target, "old")
    (tmp_path / ".result.json.12345.tmp").write_text("left by a killed writer")

    def fail(*_):
        raise OSError("disk full")

    monkeypatch.setattr("fwbm_bench._atomic.os.replace", fail)
    with pytest.raises(OSError):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


# --- end to end: --cores 1 vs 2, a diverging entry -------------------------------------------

RELIABILITY_CONFIG = """
subjects: [hcp-101309, hcp-102311]
connectomes: [empirical]
sampled_connectomes: []
entries: [rww-ei-two-g, sc-as-fc]
custom_entries:
  rww-ei-two-g: {description: "rWW-EI, G fitted on a two-point grid", kind: model, model: rww_ei, free: {G: [0.1, 0.3]}}
tasks: [working_memory]
rest: {segment_volumes: 100, fit_realizations: 1}
task_settings: {working_memory: {trials_per_cue: 10}}
"""

#: FitzHugh-Nagumo with a stiff cubic term, explicit Euler at dt = 1 ms: diverges in the first steps
#: (config/diverging.yaml adds the same entry to the quick preset)
DIVERGING = """custom_entries:
  fhn-diverging: {description: "diverges at dt = 1 ms", kind: model, model: fitzhugh_nagumo, fixed: {alpha: 100.0}}
"""


@pytest.fixture(scope="module")
def two_core_run(tmp_path_factory):
    """The small config run with --cores 2: its folder and leaderboard (loaded)."""
    work = _workdir(tmp_path_factory.mktemp("cores2"))
    (work / "config" / "small.yaml").write_text(RELIABILITY_CONFIG)
    run = _snakemake(work, "--cores", "2", "--configfile", "config/small.yaml")
    assert run.returncode == 0, run.stderr[-3000:]
    return work, xr.open_zarr(work / "results" / "leaderboard.zarr").load()


@pytest.mark.slow
def test_cores_1_and_2_give_identical_leaderboards(two_core_run, tmp_path):
    """Seeds derive from (entry, subject, connectome, task, replicate), never from job order."""
    work, two = two_core_run
    one_work = _workdir(tmp_path)
    shutil.copy(work / "config" / "small.yaml", one_work / "config" / "small.yaml")
    run = _snakemake(one_work, "--cores", "1", "--configfile", "config/small.yaml")
    assert run.returncode == 0, run.stderr[-3000:]
    one = xr.open_zarr(one_work / "results" / "leaderboard.zarr").load()
    assert (two.status.values == "ok").sum() > 10  # something was scored
    assert np.isfinite(two.score.sel(entry="rww-ei-two-g", benchmark="delayed-response")).all()
    assert leaderboard_differences(one, two) == []  # every variable but wall_s and max_rss_mb, bit for bit
    csv = "results/leaderboard.csv"
    assert (one_work / csv).read_bytes() == (work / csv).read_bytes()


@pytest.mark.slow
def test_a_diverging_entry_fails_alone_and_the_run_completes(two_core_run):
    work, before = two_core_run
    text = RELIABILITY_CONFIG.replace("sc-as-fc]", "sc-as-fc, fhn-diverging]")
    (work / "config" / "diverging.yaml").write_text(text.replace("custom_entries:\n", DIVERGING))
    run = _snakemake(work, "--cores", "2", "--configfile", "config/diverging.yaml")
    assert run.returncode == 0, run.stderr[-3000:]
    after = xr.open_zarr(work / "results" / "leaderboard.zarr").load()
    status = str(after.entry_status.sel(entry="fhn-diverging").item())
    assert status.startswith("failed: ") and "diverged (non-finite x)" in status, status
    failing = after.status.sel(entry="fhn-diverging", connectome="empirical").values.astype(str)
    for subject in failing:
        for benchmark, text in zip(after.benchmark.values, subject):
            if not text.startswith(("excluded", "ok")):  # explanatory scope (U) is ok at 0
                assert text.startswith("failed: ") and "diverged" in text, (benchmark, text)
    assert float(after.overall.sel(entry="fhn-diverging")) == 0.0
    # the other entries: exactly as without it (their jobs did not even rerun). The new entry's
    # fixed parameter adds a variable, fitted_alpha, which the others do not have (NaN)
    others = ["rww-ei-two-g", "sc-as-fc"]
    assert np.isnan(after.fitted_alpha.sel(entry=others)).all()
    assert leaderboard_differences(before, after, entries=others, skip_variables=[*COST_VARIABLES, "fitted_alpha"],
                                   skip_attrs=["config", "config_hash"]) == []
    assert list(after.entry_status.sel(entry=["rww-ei-two-g", "sc-as-fc"]).values) == ["ok", "ok"]
    page = (work / "results" / "report" / "index.html").read_text()
    assert 'id="failures"' in page and "<b>fhn-diverging</b>: failed: " in page
    task = json.loads((work / "results" / "tasks" / "fhn-diverging" / "hcp-101309" / "empirical" /
                       "working_memory.json").read_text())
    assert task["results"][0]["status"].startswith("failed: task working_memory: model 'fitzhugh_nagumo' diverged")
