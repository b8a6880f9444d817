"""Leaderboard: build from job files, aggregate, write atomically, read back; the report."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from fwbm_bench.errors import InputError
from fwbm_bench.leaderboard import (
    SCHEMA_VERSION,
    build_leaderboard,
    leaderboard_table,
    open_leaderboard,
    write_leaderboard,
)
from fwbm_bench.pipeline.io import write_json
from fwbm_bench.report import write_report
from fwbm_bench.scoring import benchmark_registry

CONFIG = {"entries": ["model-a", "<script>alert(1)</script>"], "subjects": ["hcp-1", "hcp-2"],
          "connectomes": ["empirical"]}


def _files(tmp_path):
    results, fits = [], []
    for e, entry in enumerate(CONFIG["entries"]):
        for s, subject in enumerate(CONFIG["subjects"]):
            rows = [{"benchmark": "hcp-fc-corr", "raw": 0.4 + 0.1 * s, "ceiling": 0.8, "score": 0.5 + 0.125 * s,
                     "score_unclipped": 0.5 + 0.125 * s, "status": "ok"}]
            if e == 0:
                rows.append({"benchmark": "hcp-fcd-ks", "raw": 0.2, "ceiling": 0.8, "score": 0.25,
                             "score_unclipped": 0.25, "status": "ok"})
            else:
                rows.append({"benchmark": "hcp-fcd-ks", "status": "not applicable: no BOLD"})
            path = tmp_path / f"r{e}{s}.json"
            write_json(path, {"entry": entry, "subject": subject, "connectome": "empirical", "results": rows})
            results.append(path)
            fit = tmp_path / f"f{e}{s}.json"
            write_json(fit, {"entry": entry, "subject": subject, "connectome": "empirical", "params": {"G": 0.1 * (s + 1)}})
            fits.append(fit)
    return results, fits


@pytest.fixture
def leaderboard(tmp_path):
    results, fits = _files(tmp_path)
    registry = {k: b for k, b in benchmark_registry(["hcp"]).items()
                if k in ("hcp-fc-corr", "hcp-fcd-ks", "roitman2002-psychometric")}
    return build_leaderboard(results, fits, [], CONFIG, registry, {"hcp": {"description": "d", "provenance": "p",
                             "licence": "l", "caveats": "c"}}, "abc")


def test_values_aggregates_and_coverage(leaderboard):
    ds = leaderboard
    assert ds.sizes == {"entry": 2, "subject": 2, "connectome": 1, "benchmark": 3, "criterion": 5, "measure": 2}
    assert float(ds.benchmark_score.sel(entry="model-a", benchmark="hcp-fc-corr")) == pytest.approx(0.5625)
    # C2 = mean(fc 0.5625, fcd 0.25); C3 has no result (counts 0); overall = mean of 5 criteria
    c2 = float(ds.criterion_score.sel(entry="model-a", criterion="C2"))
    assert c2 == pytest.approx((0.5625 + 0.25) / 2)
    assert float(ds.overall.sel(entry="model-a")) == pytest.approx(c2 / 5)
    other = CONFIG["entries"][1]
    assert float(ds.criterion_coverage.sel(entry=other, criterion="C2")) == pytest.approx(0.5)
    assert str(ds.status.sel(entry=other, subject="hcp-1", benchmark="hcp-fcd-ks").item()).startswith("not applicable")
    assert str(ds.status.sel(entry="model-a", subject="hcp-1", benchmark="roitman2002-psychometric").item()).startswith("missing")
    assert float(ds.benchmark_score.sel(entry="model-a", benchmark="roitman2002-psychometric")) == 0.0
    assert float(ds.benchmark_coverage.sel(entry="model-a", benchmark="roitman2002-psychometric")) == 0.0
    np.testing.assert_allclose(ds.fitted_G.sel(entry="model-a").values.ravel(), [0.1, 0.2])
    assert leaderboard_table(ds)["entry"].tolist()[0] == "model-a"


def test_zarr_round_trip_and_atomic_replace(leaderboard, tmp_path):
    path = tmp_path / "leaderboard.zarr"
    write_leaderboard(leaderboard, path)
    write_leaderboard(leaderboard, path)  # replacing an existing store
    reopened = open_leaderboard(path)
    for name in ("raw", "ceiling", "score", "benchmark_score", "criterion_score", "overall", "fitted_G"):
        np.testing.assert_array_equal(reopened[name].values, leaderboard[name].values, err_msg=name)
    np.testing.assert_array_equal(reopened.status.values.astype(str), leaderboard.status.values.astype(str))
    assert list(reopened.entry.values) == CONFIG["entries"]
    assert reopened.attrs["schema_version"] == 1 and json.loads(reopened.attrs["benchmarks"])
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_report_escapes_user_strings(leaderboard, tmp_path):
    write_report(leaderboard, tmp_path / "index.html")
    page = (tmp_path / "index.html").read_text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<img") >= 1 and "id=\"leaderboard\"" in page
    entry_pages = sorted((tmp_path / "entries").glob("*.html"))
    assert len(entry_pages) == 2  # one per entry, linked from the table
    for entry_page in entry_pages:
        assert f'href="entries/{entry_page.name}"' in page
        text = entry_page.read_text()
        assert "<script>alert(1)</script>" not in text and "No resting-state prediction" in text


def test_entry_page_shows_fc_fcd_and_spectrum_of_model_and_data(leaderboard, tmp_path, rng):
    from fwbm_bench.metrics import functional_connectivity
    from fwbm_bench.report.entry_pages import RestComparison, page_name

    bold = rng.standard_normal((6, 300))
    model = bold + rng.standard_normal((6, 300))
    comparison = RestComparison("hcp-1", functional_connectivity(model), functional_connectivity(bold), model, bold,
                                tr_s=0.72, fcd_window_s=30.0, fcd_step_s=5.0)
    write_report(leaderboard, tmp_path / "index.html", comparisons={"model-a": comparison})
    text = (tmp_path / "entries" / page_name("model-a")).read_text()
    assert "Resting state on hcp-1: model vs held-out data" in text and text.count("<img") == 1
    assert page_name("a/b") != page_name("a_b")  # unsafe characters never make two entries share a page


def test_structure_only_and_failed_subjects(tmp_path):
    """gw has no BOLD: excluded from rest benchmarks; a failed hcp subject counts 0 with coverage."""
    config = {"entries": ["m"], "subjects": ["hcp-1", "hcp-2", "gw-1"], "connectomes": ["empirical"]}
    path = tmp_path / "r.json"
    write_json(path, {"entry": "m", "subject": "hcp-1", "connectome": "empirical", "results": [
        {"benchmark": "hcp-fc-corr", "raw": 0.4, "ceiling": 0.8, "score": 0.5, "score_unclipped": 0.5, "status": "ok"}]})
    cards = {"hcp": {"has_bold": True, "description": "", "provenance": "", "licence": "", "caveats": ""},
             "gw": {"has_bold": False, "description": "", "provenance": "", "licence": "", "caveats": ""}}
    ds = build_leaderboard([path], [], [], config, benchmark_registry(["hcp"]), cards, "x")
    assert str(ds.status.sel(entry="m", subject="gw-1", benchmark="hcp-fc-corr").item()).startswith("excluded")
    assert str(ds.status.sel(entry="m", subject="hcp-2", benchmark="hcp-fc-corr").item()).startswith("missing")
    # hcp-1 scored 0.5, hcp-2 failed (counts 0), gw-1 excluded
    assert float(ds.benchmark_score.sel(entry="m", benchmark="hcp-fc-corr")) == pytest.approx(0.25)
    assert float(ds.benchmark_coverage.sel(entry="m", benchmark="hcp-fc-corr")) == pytest.approx(0.5)


def test_specificity_records_fill_every_subject_and_the_identification_rate(tmp_path):
    config = {"entries": ["m"], "subjects": ["hcp-1", "hcp-2"], "connectomes": ["empirical", "shuffled"]}
    path = tmp_path / "spec.json"
    row = {"benchmark": "hcp-identifiability", "version": 1, "status": "ok"}
    write_json(path, {"entry": "m", "connectome": "empirical", "per_subject": [
        {"subject": "hcp-1", "results": [{**row, "raw": 0.02, "ceiling": 0.2, "score": 0.1, "score_unclipped": 0.1}]},
        {"subject": "hcp-2", "results": [{**row, "raw": 0.06, "ceiling": 0.2, "score": 0.3, "score_unclipped": 0.3}]}],
        "datasets": {"hcp": {"top1_accuracy": 0.5, "top1_accuracy_ceiling": 1.0}}})
    cards = {"hcp": {"has_bold": True, "description": "", "provenance": "", "licence": "", "caveats": ""}}
    ds = build_leaderboard([path], [], [], config, benchmark_registry(["hcp"]), cards, "x")
    np.testing.assert_allclose(ds.score.sel(entry="m", benchmark="hcp-identifiability", connectome="empirical"), [0.1, 0.3])
    assert float(ds.benchmark_score.sel(entry="m", benchmark="hcp-identifiability")) == pytest.approx(0.2)
    assert float(ds.identification_top1.sel(entry="m")) == 0.5
    assert float(ds.identification_top1_ceiling.sel(entry="m")) == 1.0
    on_null = ds.status.sel(entry="m", connectome="shuffled", benchmark="hcp-identifiability").values
    assert set(on_null.astype(str)) == {"not applicable: scored on the empirical connectome only"}


def _unification_files(tmp_path, fc, task, tasks_only=()):
    """Result files of entries scoring ``fc[entry][connectome]`` on hcp-fc-corr and
    ``task[entry][connectome]`` on the one task benchmark, for both subjects (no rest row for
    the ``tasks_only`` variants)."""
    paths = []
    for entry in fc:
        for subject in ("hcp-1", "hcp-2"):
            for connectome in fc[entry]:
                rows = [{"benchmark": "hcp-fc-corr", "raw": fc[entry][connectome], "ceiling": 1.0,
                         "score": fc[entry][connectome], "score_unclipped": fc[entry][connectome], "status": "ok"},
                        {"benchmark": "delayed-response", "raw": task[entry][connectome], "ceiling": 1.0,
                         "score": task[entry][connectome], "score_unclipped": task[entry][connectome], "status": "ok"}]
                if connectome in tasks_only:
                    rows = rows[1:]
                path = tmp_path / f"{entry}-{subject}-{connectome}.json"
                write_json(path, {"entry": entry, "subject": subject, "connectome": connectome, "results": rows})
                paths.append(path)
    return paths


def test_unification_scores_and_the_criteria_card(tmp_path):
    variants = ["empirical", "shuffled-1", "geometric-1", "lesion-task-input", "lesion-task-input-random-1",
                "lesion-task-input-random-2"]
    fc = {"coupled": dict(zip(variants, [0.8, 0.2, 0.4, 0.8, 0.8, 0.8])),
          "uncoupled": dict(zip(variants, [0.3] * 6))}
    task = {"coupled": dict(zip(variants, [0.9, 0.3, 0.6, 0.1, 0.8, 0.6])),
            "uncoupled": dict(zip(variants, [0.0] * 6))}
    config = {"entries": ["coupled", "uncoupled"], "subjects": ["hcp-1", "hcp-2"], "connectomes": variants[:3],
              "sampled_connectomes": [{"subjects": ["hcp-1"], "variants": variants[3:], "stages": ["tasks"]}]}
    registry = {k: b for k, b in benchmark_registry(["hcp"], ["working_memory"]).items()
                if k in ("hcp-fc-corr", "delayed-response") or b.criterion == "U"}
    cards = {"hcp": {"has_bold": True, "description": "", "provenance": "", "licence": "", "caveats": ""}}
    paths = [p for p in _unification_files(tmp_path, fc, task, tasks_only=variants[3:]) if "hcp-2-lesion" not in p.name]
    ds = build_leaderboard(paths, [], [], config, registry, cards, "x")
    # the lesions ran the tasks only: their rest benchmarks are excluded, not missing
    assert str(ds.status.sel(entry="coupled", subject="hcp-1", connectome="lesion-task-input",
                             benchmark="hcp-fc-corr").item()).startswith("excluded: the rest stage was not run")

    def at(entry, benchmark, name="score", subject="hcp-1"):
        return float(ds[name].sel(entry=entry, subject=subject, connectome="empirical", benchmark=benchmark))

    # FC: 0.8 on the empirical connectome, nulls 0.2 and 0.4 -> (0.8 - 0.3) / 0.8
    assert at("coupled", "structure-dependence-fc") == pytest.approx(0.5 / 0.8)
    assert at("coupled", "structure-dependence-fc", "raw") == pytest.approx(0.5)
    assert at("coupled", "structure-dependence-task") == pytest.approx((0.9 - 0.45) / 0.9)
    np.testing.assert_allclose(ds.null_percentile.sel(entry="coupled").values, 100.0)
    # the uncoupled entry scores the same on every connectome: no dependence, 50th percentile
    assert at("uncoupled", "structure-dependence-fc") == 0.0
    np.testing.assert_allclose(ds.null_percentile.sel(entry="uncoupled", measure="fc").values, 50.0)
    # its task score is 0: nothing can depend on structure, scored 0 (not missing)
    assert at("uncoupled", "structure-dependence-task") == 0.0
    # lesion: random controls 0.8 and 0.6 (mean 0.7), the pathway lesion 0.1, intact 0.9
    assert at("coupled", "lesion-specificity") == pytest.approx((0.7 - 0.1) / 0.9)
    # lesions were sampled on hcp-1 only: hcp-2 is excluded, so the benchmark is fully covered
    assert str(ds.status.sel(entry="coupled", subject="hcp-2", connectome="empirical",
                             benchmark="lesion-specificity").item()).startswith("excluded")
    assert float(ds.benchmark_coverage.sel(entry="coupled", benchmark="lesion-specificity")) == 1.0
    # scope: fc 0.8 >= 0.5 and task 0.9 >= 0.5 -> 1; uncoupled: 0.3 and 0.0 -> 0
    assert at("coupled", "explanatory-scope") == 1.0 and at("uncoupled", "explanatory-scope") == 0.0
    # the fidelity curve: shuffled fraction 0 (empirical) and 1 (shuffled-1)
    np.testing.assert_allclose(ds.fidelity_fc.sel(entry="coupled", subject="hcp-1").values, [0.8, 0.2])
    # the card: C4 has no benchmark -> score 0, coverage 0, so no entry qualifies
    assert float(ds.criterion_coverage.sel(entry="coupled", criterion="C4")) == 0.0
    assert not ds.qualifies.sel(entry="coupled")
    u = (0.5 / 0.8 + 0.45 / 0.9 + 0.6 / 0.9 + 1.0) / 4
    assert float(ds.criterion_score.sel(entry="coupled", criterion="U")) == pytest.approx(u)


def test_a_missing_unification_input_lowers_coverage_not_the_bar(tmp_path):
    """Nulls configured but their results missing: structure dependence is missing (counts 0,
    coverage < 1), never averaged over what happens to be there."""
    variants = ["empirical", "shuffled-1"]
    fc = {"m": {"empirical": 0.8, "shuffled-1": 0.2}}
    task = {"m": {"empirical": 0.9, "shuffled-1": 0.3}}
    config = {"entries": ["m"], "subjects": ["hcp-1", "hcp-2"], "connectomes": variants}
    registry = {k: b for k, b in benchmark_registry(["hcp"], ["working_memory"]).items()
                if k in ("hcp-fc-corr", "delayed-response") or b.criterion == "U"}
    cards = {"hcp": {"has_bold": True, "description": "", "provenance": "", "licence": "", "caveats": ""}}
    paths = [p for p in _unification_files(tmp_path, fc, task) if p.name != "m-hcp-2-shuffled-1.json"]
    ds = build_leaderboard(paths, [], [], config, registry, cards, "x")
    # hcp-2's null result is missing: its structure dependence is missing, not computed without it
    assert str(ds.status.sel(entry="m", subject="hcp-2", connectome="empirical",
                             benchmark="structure-dependence-fc").item()).startswith("missing")
    assert float(ds.benchmark_score.sel(entry="m", benchmark="structure-dependence-fc")) == pytest.approx(0.75 / 2)
    assert float(ds.benchmark_coverage.sel(entry="m", benchmark="structure-dependence-fc")) == 0.5
    # lesion specificity was configured nowhere: excluded for every subject -> coverage 0
    assert float(ds.benchmark_coverage.sel(entry="m", benchmark="lesion-specificity")) == 0.0
    assert float(ds.criterion_coverage.sel(entry="m", criterion="U")) < 1.0


STORE_V1 = Path(__file__).parent / "data" / "leaderboard_v1.zarr"


def test_the_committed_v1_store_stays_loadable_and_valid(leaderboard):
    """tests/data/leaderboard_v1.zarr (tests/data/make_leaderboard_v1.py) must open with the
    current code; if this fails, the schema changed: bump SCHEMA_VERSION and regenerate."""
    stored = open_leaderboard(STORE_V1)
    assert stored.attrs["schema_version"] == SCHEMA_VERSION == 1
    for name in ("score", "benchmark_score", "criterion_score", "criterion_coverage", "overall", "qualifies"):
        np.testing.assert_array_equal(stored[name].values, leaderboard[name].values, err_msg=name)


def test_other_versions_and_damaged_stores_are_clear_errors(leaderboard, tmp_path):
    newer = leaderboard.copy()
    newer.attrs["schema_version"] = 2
    write_leaderboard(newer, tmp_path / "newer.zarr")
    with pytest.raises(InputError, match="schema version 2, but this fwbm-bench reads version 1 .written by a newer"):
        open_leaderboard(tmp_path / "newer.zarr")
    incomplete = leaderboard.drop_vars("criterion_coverage")
    write_leaderboard(incomplete, tmp_path / "incomplete.zarr")
    with pytest.raises(InputError, match="incomplete store, variables missing: criterion_coverage"):
        open_leaderboard(tmp_path / "incomplete.zarr")
    damaged = tmp_path / "damaged.zarr"
    shutil.copytree(STORE_V1, damaged)
    (damaged / ".zmetadata").write_text("{ not json")
    with pytest.raises(InputError, match="damaged.zarr: not a readable Zarr store"):
        open_leaderboard(damaged)
    with pytest.raises(InputError, match="not found; run the benchmark first"):
        open_leaderboard(tmp_path / "none.zarr")


def test_command_line_show_compare_export_and_validate(tmp_path, capsys):
    from fwbm_bench.cli import main

    assert main(["show", str(STORE_V1)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["entry", "overall", "coverage", "C1", "C2", "C3", "C4", "U", "qualifies"]
    assert lines[2].split()[0] == "model-a"  # best first
    assert main(["show", str(STORE_V1), "--sort", "entry"]) == 0
    assert capsys.readouterr().out.splitlines()[2].startswith("<script>")
    assert main(["compare", "model-a", "<script>alert(1)</script>", "--store", str(STORE_V1)]) == 0
    compared = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()[5:]}
    assert compared["hcp-fc-corr"] == ["0.562", "0.562", "0.000"]
    assert main(["export", str(STORE_V1), "--format", "json", "-o", str(tmp_path / "out.json")]) == 0
    exported = json.loads((tmp_path / "out.json").read_text())
    assert exported[0]["entry"] == "model-a" and exported[0]["hcp-fc-corr"] == pytest.approx(0.5625)
    assert main(["export", str(STORE_V1), "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("| entry | overall | coverage |")
    assert main(["compare", "model-a", "nobody", "--store", str(STORE_V1)]) == 1
    assert "entry 'nobody' is not in" in capsys.readouterr().err
    assert main(["compare", "model-a", "model-a", "--store", str(STORE_V1)]) == 1
    assert "two different entries" in capsys.readouterr().err
    broken = tmp_path / "broken.yaml"
    broken.write_text("subjects: [hcp-101309]\nentries: [sc-as-fc]\nrest: {burn_in_s: 10}\n")
    assert main(["validate", str(broken)]) == 1
    assert "key 'rest.burn_in_s': 10 is less than the minimum of 60" in capsys.readouterr().err
    assert main(["validate", str(Path(__file__).parents[1] / "config" / "quick.yaml")]) == 0
    assert "valid (2 subjects" in capsys.readouterr().out


def test_results_from_different_task_settings_are_a_clear_error(tmp_path):
    paths = []
    for subject, lags in (("hcp-1", [0, 50]), ("hcp-2", [0, 50, 100])):
        path = tmp_path / f"{subject}.json"
        write_json(path, {"entry": "m", "subject": subject, "connectome": "empirical", "results": [],
                          "behaviour": {"curves": {"memory_r2": {"dim": "memory_lag_ms", "coords": lags,
                                                                 "values": [0.5] * len(lags)}}}})
        paths.append(path)
    config = {"entries": ["m"], "subjects": ["hcp-1", "hcp-2"], "connectomes": ["empirical"]}
    with pytest.raises(InputError, match="hcp-2.json: memory_r2 is given at memory_lag_ms .* different task settings"):
        build_leaderboard(paths, [], [], config, benchmark_registry(["hcp"], ["memory_capacity"]), {}, "x")
