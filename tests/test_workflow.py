"""End to end: Snakemake on the quick preset in a temporary directory; CLI-level errors."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from fwbm_bench.entries import ENTRIES
from fwbm_bench.metrics import REST_METRICS
from fwbm_bench.scoring import TASK_BENCHMARKS, rest_benchmarks

ROOT = Path(__file__).resolve().parents[1]


def _workdir(tmp_path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(ROOT / "Snakefile", work)
    shutil.copytree(ROOT / "workflow", work / "workflow")
    shutil.copytree(ROOT / "config", work / "config")
    return work


def _snakemake(work, *args, timeout=600):
    return subprocess.run([sys.executable, "-m", "snakemake", *args], check=False, cwd=work, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONWARNINGS": "ignore"})


@pytest.mark.slow
def test_quick_preset_end_to_end(tmp_path):
    work = _workdir(tmp_path)
    run = _snakemake(work, "--cores", "2", "--configfile", "config/quick.yaml")
    assert run.returncode == 0, run.stderr[-3000:]
    ds = xr.open_zarr(work / "results" / "leaderboard.zarr")
    assert list(ds.entry.values) == ["rww-ei-fic", "rww-ei-uncoupled", "ww2006-selective", "sc-as-fc"]
    assert list(ds.subject.values) == ["hcp-101309", "hcp-102311"]
    ok = ds.status.values == "ok"
    assert np.isfinite(ds.score.values[ok]).all() and np.isfinite(ds.raw.values[ok]).all()
    rest = rest_benchmarks("hcp")
    fc_only = [b for b in rest if not REST_METRICS[b.metric].needs_bold]
    # per subject: every rest benchmark, identifiability and the 4 task benchmarks (3 tasks) for
    # the 3 models; the FC-only benchmarks and identifiability for sc-as-fc; explanatory scope for
    # all 4 (no nulls or lesions in this preset: structure dependence and lesion specificity excluded)
    n_task_benchmarks = sum(len(TASK_BENCHMARKS[task]) for task in TASK_BENCHMARKS)
    assert n_task_benchmarks == 4
    assert ok.sum() == 2 * (3 * (len(rest) + 1 + n_task_benchmarks) + len(fc_only) + 1 + 4), ds.status.values[~ok]
    excluded = ds.status.sel(connectome="empirical", benchmark="structure-dependence-fc").values.astype(str)
    assert all(status.startswith("excluded: no null connectome") for status in excluded.ravel())
    assert np.isfinite(ds.decoded_p_correct.sel(entry="ww2006-selective", connectome="empirical").values).all()
    assert np.isfinite(ds.intrinsic_p_correct.sel(entry="ww2006-selective", connectome="empirical").values).all()
    assert np.isnan(ds.intrinsic_p_correct.sel(entry="rww-ei-fic").values).all()  # no selective populations
    assert np.isfinite(ds.wm_accuracy.sel(entry="rww-ei-fic", connectome="empirical").values).all()
    assert np.isfinite(ds.identification_top1.values).all()
    for entry in ds.entry.values:
        fc = ds.score.sel(entry=entry, benchmark="hcp-fc-corr", connectome="empirical")
        assert np.isfinite(fc.values).all(), entry
    assert np.isfinite(ds.overall.values).all()
    grid = np.asarray(ENTRIES["rww-ei-fic"].free["G"])
    assert all(np.isclose(grid, g).any() for g in ds.fitted_G.sel(entry="rww-ei-fic").values.ravel())
    assert (ds.wall_s.sel(entry="rww-ei-fic") > 0).all()
    assert (work / "results" / "leaderboard.csv").read_text().startswith("entry,overall,coverage")
    assert "<table" in (work / "results" / "report" / "index.html").read_text()
    entry_pages = list((work / "results" / "report" / "entries").glob("*.html"))
    assert len(entry_pages) == 4 and all("Resting state on hcp-101309" in p.read_text() for p in entry_pages)
    for figure in ("criteria", "unification", "behaviour"):  # registered with Snakemake's report()
        assert (work / "results" / "report" / f"{figure}.png").stat().st_size > 1000
    snakemake_report = _snakemake(work, "--configfile", "config/quick.yaml", "--report", "snakemake-report.html")
    assert snakemake_report.returncode == 0, snakemake_report.stderr[-2000:]
    assert "Leaderboard" in (work / "snakemake-report.html").read_text()


def test_dry_run_fans_out_over_subjects_connectomes_entries_and_tasks(tmp_path):
    run = _snakemake(_workdir(tmp_path), "-n", "--quiet", "rules")
    assert run.returncode == 0, run.stderr[-2000:]
    counts = {line.split()[0]: int(line.split()[1]) for line in run.stdout.splitlines()
              if len(line.split()) == 2 and line.split()[1].isdigit()}
    # default config: 4 subjects x empirical, 2 of them x 2 nulls, 1 of them x (a partial null, a
    # lesion and its 2 random controls) = 12 (subject, connectome) pairs; 5 entries, 3 of them
    # models that run 3 tasks; lesions run at the empirical fit (no fit of their own) and, in the
    # default config, the tasks only
    assert counts["prepare_subject"] == 4 and counts["prepare_connectome"] == 12
    assert counts["fit"] == 5 * (12 - 3)
    assert counts["simulate_rest"] == counts["observables"] == counts["score_rest"] == 5 * (12 - 3)
    assert counts["run_task"] == 3 * 12 * 3 and counts["leaderboard"] == counts["report"] == 1
    assert counts["specificity"] == 5  # one per entry, across subjects, on the empirical connectome


def test_lesions_run_at_the_empirical_fit_and_group_needs_the_cohort(tmp_path):
    work = _workdir(tmp_path)
    target = "results/tasks/rww-ei-fic/hcp-101309/lesion-task-input/working_memory.json"
    run = _snakemake(work, "-n", "--printshellcmds", target)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "results/fits/rww-ei-fic/hcp-101309/empirical.json" in run.stdout
    assert "results/fits/rww-ei-fic/hcp-101309/lesion-task-input.json" not in run.stdout
    run = _snakemake(work, "-n", "results/connectomes/hcp-101309/group.npz")
    assert run.returncode == 0, run.stderr[-2000:]
    for subject in ("hcp-101309", "hcp-102311", "hcp-131217", "hcp-211619"):  # the configured hcp subjects
        assert f"results/subjects/{subject}.npz" in run.stdout


def test_config_typo_stops_snakemake_with_one_line(tmp_path):
    work = _workdir(tmp_path)
    (work / "config" / "bad.yaml").write_text("subjects: [hcp-101309]\nentries: [rww-ei-fic]\nsimulaton: {}\n")
    run = _snakemake(work, "-n", "--configfile", "config/bad.yaml")
    assert run.returncode != 0
    assert "fwbm-bench config error: config: unknown key(s) ['simulaton']" in run.stderr
    assert "Traceback" not in run.stderr


def test_bad_user_data_fails_its_job_with_one_line_and_keeps_other_results(tmp_path):
    work = _workdir(tmp_path)
    data = tmp_path / "mine"
    (data / "sub01").mkdir(parents=True)
    (data / "card.yaml").write_text("name: mine\ntr_s: 2.0\n")
    np.save(data / "sub01" / "weights.npy", np.ones((3, 4)))
    np.save(data / "sub01" / "tract_lengths.npy", np.ones((3, 3)))
    (data / "sub01" / "labels.txt").write_text("a\nb\nc\n")
    (work / "config" / "mine.yaml").write_text(
        f"subjects: [mine-sub01, hcp-101309]\nentries: [sc-as-fc]\nuser_datasets: {{mine: '{data}'}}\n")
    kept = _snakemake(work, "results/subjects/hcp-101309.npz", "--cores", "1", "--configfile", "config/mine.yaml")
    assert kept.returncode == 0, kept.stderr[-2000:]
    run = _snakemake(work, "--cores", "1", "--configfile", "config/mine.yaml", "--keep-going")
    assert run.returncode != 0
    assert "fwbm-bench error: " in run.stderr
    assert "structural weights: expected a square matrix, found shape (3, 4)" in run.stderr
    assert (work / "results" / "subjects" / "hcp-101309.npz").exists()


@pytest.mark.slow
def test_structure_only_subjects_run_through_to_the_leaderboard(tmp_path):
    work = _workdir(tmp_path)
    (work / "config" / "mixed.yaml").write_text(
        "subjects: [hcp-101309, gw-NAP_001, tvb-76]\nentries: [sc-as-fc, rww-ei-uncoupled]\n"
        "rest: {segment_volumes: 100}\ntask_settings: {perceptual_decision: {trials_per_condition: 5}}\n")
    run = _snakemake(work, "--cores", "2", "--configfile", "config/mixed.yaml", "--replace-workflow-config")
    assert run.returncode == 0, run.stderr[-3000:]
    ds = xr.open_zarr(work / "results" / "leaderboard.zarr")
    status = ds.status.sel(connectome="empirical")
    for subject in ("gw-NAP_001", "tvb-76"):
        assert str(status.sel(entry="sc-as-fc", subject=subject, benchmark="hcp-fc-corr").item()).startswith("excluded")
    assert str(status.sel(entry="rww-ei-uncoupled", subject="tvb-76", benchmark="roitman2002-psychometric").item()).startswith("excluded")
    assert str(status.sel(entry="rww-ei-uncoupled", subject="gw-NAP_001", benchmark="roitman2002-psychometric").item()) == "ok"
    assert float(ds.benchmark_coverage.sel(entry="sc-as-fc", benchmark="hcp-fc-corr")) == 1.0


VARIANTS_CONFIG = """
subjects: [hcp-101309]
connectomes: [empirical, shuffled-1, geometric-1, lesion-task-input, lesion-task-input-random-1]
sampled_connectomes: []
entries: [rww-ei-uncoupled, rww-ei-coupled, distance]
custom_entries:
  rww-ei-coupled: {description: "rWW-EI at G = 0.3, not fitted", kind: model, model: rww_ei, fixed: {G: 0.3}}
tasks: [working_memory]
rest: {segment_volumes: 100}
task_settings: {working_memory: {trials_per_cue: 10}}
"""


@pytest.mark.slow
def test_nulls_and_lesions_end_to_end(tmp_path):
    """Structure dependence and lesion specificity of the uncoupled model are exactly 0 (its
    dynamics ignore the connectome, and every variant runs on the same noise); so is the FC
    structure dependence of the distance baseline, which never looks at the weights."""
    work = _workdir(tmp_path)
    (work / "config" / "variants.yaml").write_text(VARIANTS_CONFIG)
    run = _snakemake(work, "--cores", "2", "--configfile", "config/variants.yaml")
    assert run.returncode == 0, run.stderr[-3000:]
    ds = xr.open_zarr(work / "results" / "leaderboard.zarr").load()
    u = ds.sel(subject="hcp-101309", connectome="empirical")
    for benchmark in ("structure-dependence-fc", "structure-dependence-task", "lesion-specificity"):
        assert str(u.status.sel(entry="rww-ei-uncoupled", benchmark=benchmark).item()).startswith("ok"), benchmark
        assert float(u.raw.sel(entry="rww-ei-uncoupled", benchmark=benchmark)) == 0.0, benchmark
    assert float(u.null_percentile.sel(entry="rww-ei-uncoupled", measure="fc")) == 50.0
    assert float(u.raw.sel(entry="distance", benchmark="structure-dependence-fc")) == 0.0
    coupled = u.sel(entry="rww-ei-coupled")
    for benchmark in ("structure-dependence-fc", "structure-dependence-task", "lesion-specificity",
                      "explanatory-scope"):
        assert str(coupled.status.sel(benchmark=benchmark).item()).startswith("ok"), benchmark
    # the coupled model's FC does change on the nulls
    fc = ds.score.sel(entry="rww-ei-coupled", subject="hcp-101309", benchmark="hcp-fc-corr")
    assert fc.sel(connectome="empirical") != fc.sel(connectome="shuffled-1")
    assert str(ds.status.sel(entry="rww-ei-coupled", subject="hcp-101309", connectome="shuffled-1",
                             benchmark="structure-dependence-fc").item()).startswith("not applicable")
    assert not ds.qualifies.any() and float(ds.criterion_coverage.sel(criterion="C4").max()) == 0.0
    page = (work / "results" / "report" / "index.html").read_text()
    assert 'id="criteria-card"' in page and 'id="unification"' in page


@pytest.mark.slow
def test_adding_an_entry_reruns_only_its_jobs_and_keeps_the_others_byte_identical(tmp_path):
    work = _workdir(tmp_path)
    base = "subjects: [hcp-101309, hcp-102311]\nconnectomes: [empirical]\nsampled_connectomes: []\n"
    (work / "config" / "one.yaml").write_text(base + "entries: [sc-as-fc]\n")
    (work / "config" / "two.yaml").write_text(base + "entries: [sc-as-fc, distance]\n")
    first = _snakemake(work, "--cores", "2", "--configfile", "config/one.yaml")
    assert first.returncode == 0, first.stderr[-2000:]
    before = xr.open_zarr(work / "results" / "leaderboard.zarr").load()
    kept = work / "results" / "scores" / "sc-as-fc" / "hcp-101309" / "empirical.json"
    stamp = kept.stat().st_mtime_ns
    second = _snakemake(work, "--cores", "2", "--configfile", "config/two.yaml")
    assert second.returncode == 0, second.stderr[-2000:]
    after = xr.open_zarr(work / "results" / "leaderboard.zarr").load()
    assert kept.stat().st_mtime_ns == stamp  # sc-as-fc's jobs did not run again
    assert "distance" in after.entry.values
    for name in ("raw", "ceiling", "score", "score_unclipped", "status"):
        assert before[name].sel(entry="sc-as-fc").values.tobytes() == after[name].sel(entry="sc-as-fc").values.tobytes()
    for name in ("benchmark_score", "criterion_score", "overall"):
        assert before[name].sel(entry="sc-as-fc").values.tobytes() == after[name].sel(entry="sc-as-fc").values.tobytes()
    assert np.isfinite(after.score.sel(entry="distance", connectome="empirical", benchmark="hcp-fc-corr")).all()
    # a config change the results depend on reruns the jobs that depend on it, and only those
    (work / "config" / "three.yaml").write_text(base + "entries: [sc-as-fc, distance]\nrest: {band_hz: [0.01, 0.08]}\n")
    changed = _snakemake(work, "-n", "--quiet", "rules", "--configfile", "config/three.yaml")
    assert changed.returncode == 0, changed.stderr[-2000:]
    counts = {line.split()[0]: int(line.split()[1]) for line in changed.stdout.splitlines()
              if len(line.split()) == 2 and line.split()[1].isdigit()}
    assert counts["score_rest"] == 4 and "prepare_subject" not in counts and "prepare_connectome" not in counts
