"""The bad-input battery (issue #8): every mistake a user can make in a config, a data folder,
a leaderboard store or on the command line stops with ONE line that names the offending key
or file and says what was expected and what was found: no traceback, and nothing already
written is destroyed. No file a user hands us can run code (no pickle, no YAML tags).

Each case runs through the entry point the user meets: ``fwbm-bench validate`` (in process,
the same ``main`` the console script calls) for configs and data folders (validate reads the
config's user subjects exactly as the workflow's prepare job does), ``fwbm-bench show`` /
``export`` / ``compare`` for stores, the ``fwbm-bench`` executable and ``snakemake`` in
subprocesses for a sample of each, and the library for the two mistakes only a job can see.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from conftest import assert_one_line

from fwbm_bench.errors import FwbmError

ROOT = Path(__file__).resolve().parents[1]
STORE_V1 = ROOT / "tests" / "data" / "leaderboard_v1.zarr"
FWBM_BENCH = [sys.executable, "-m", "fwbm_bench.cli"]  # what the fwbm-bench console script runs
ENV = {**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning"}


# ---------------------------------------------------------------------------- inputs

class Unpickled:
    """Unpickling this creates ``path``: proof that a pickle was (or was not) loaded."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def user_dataset(tmp: Path, card: str = "name: mine\ntr_s: 2.0\n", **files) -> Path:
    """A valid user dataset 'mine' with one subject (4 regions, 100 BOLD volumes) under ``tmp``;
    ``files`` replace its files (name -> array, text or bytes; None removes the file)."""
    root = tmp / "mine"
    subject = root / "sub01"
    subject.mkdir(parents=True)
    (root / "card.yaml").write_text(card)
    rng = np.random.default_rng(8)
    weights = rng.random((4, 4))
    content = {"weights.npy": weights + weights.T, "tract_lengths.npy": np.full((4, 4), 50.0),
               "labels.txt": "r0\nr1\nr2\nr3\n", "bold.npy": rng.standard_normal((4, 100))}
    for name, value in {**content, **files}.items():
        if value is None:
            continue
        path = subject / name
        if isinstance(value, np.ndarray):
            with open(path, "wb") as stream:
                np.save(stream, value, allow_pickle=value.dtype.hasobject)
        elif isinstance(value, bytes):
            path.write_bytes(value)
        else:
            path.write_text(value)
    return root


def config_file(tmp: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp / name
    path.write_text(text)
    return path


BASE = "subjects: [hcp-101309]\nentries: [rww-ei-fic]\n"


def validate(text: str) -> Callable[[Path], list]:
    """``fwbm-bench validate`` on a config file holding ``text``."""
    return lambda tmp: ["validate", str(config_file(tmp, text))]


def validate_data(card: str = "name: mine\ntr_s: 2.0\n", **files) -> Callable[[Path], list]:
    """``fwbm-bench validate`` on a config that runs the user subject mine-sub01 (with ``files``)."""
    def make(tmp):
        root = user_dataset(tmp, card, **files)
        return ["validate", str(config_file(tmp, f"subjects: [mine-sub01]\nentries: [sc-as-fc]\n"
                                                 f"user_datasets: {{mine: '{root}'}}\n"))]
    return make


def store(damage: Callable[[Path], None], command: str = "show") -> Callable[[Path], list]:
    """A copy of the committed v1 store, damaged by ``damage``, opened by ``fwbm-bench command``."""
    def make(tmp):
        path = tmp / "leaderboard.zarr"
        shutil.copytree(STORE_V1, path)
        damage(path)
        return [command, str(path)] if command != "compare" else [command, "model-a", "x", "--store", str(path)]
    return make


def newer_schema(path: Path) -> None:
    for name in (".zattrs", ".zmetadata"):
        text = (path / name).read_text()
        assert '"schema_version": 1' in text
        (path / name).write_text(text.replace('"schema_version": 1', '"schema_version": 2'))


def workdir(tmp: Path) -> Path:
    work = tmp / "work"
    work.mkdir()
    shutil.copy(ROOT / "Snakefile", work)
    shutil.copytree(ROOT / "workflow", work / "workflow")
    shutil.copytree(ROOT / "config", work / "config")
    return work


def snakemake_dry_run(text: str | Callable[[Path], str]) -> Callable[[Path], tuple]:
    """``snakemake -n --configfile`` with a config holding ``text`` (or ``text(tmp)``)."""
    def make(tmp):
        work = workdir(tmp)
        config_file(work / "config", text(tmp) if callable(text) else text, "bad.yaml")
        return work, ["-n", "--configfile", "config/bad.yaml"]
    return make


def broken_card_config(tmp):
    root = user_dataset(tmp, card="name: mine\ntr_s: fast\n")
    return f"subjects: [mine-sub01]\nentries: [sc-as-fc]\nuser_datasets: {{mine: '{root}'}}\n"


def lesion_on_user_subject(tmp):
    """The prepare_connectome job of a lesion whose region the subject does not have."""
    from fwbm_bench.data import load_subject, save_subject
    from fwbm_bench.pipeline.prepare import prepare_connectome

    root = user_dataset(tmp)
    save_subject(load_subject("mine-sub01", {"mine": str(root)}), tmp / "subject.npz")
    return lambda: prepare_connectome(tmp / "subject.npz", "lesion-motor", "max", tmp / "out.npz",
                                      lesions={"motor": {"regions": ["Precentral_L"]}})


def crawling_conduction(tmp):
    """A fit or simulation at a conduction speed of 1 um/s: delays of days."""
    from fwbm_bench.models import get_model
    from fwbm_bench.simulate.integrator import simulate

    weights = np.ones((4, 4)) - np.eye(4)
    return lambda: simulate(get_model("rww_ei"), weights, np.full((4, 4), 150.0), {}, duration_ms=10.0, seeds=[1],
                            conduction_speed_m_per_s=1e-6)


# ---------------------------------------------------------------------------- the battery

@dataclass(frozen=True)
class Case:
    id: str
    make: Callable  # tmp -> CLI args (via "cli" or "exe"), (workdir, args) (via "snakemake"), or a callable
    names: str  # the key or file the message must name; "{tmp}" stands for the case's directory
    expected: str  # regex: what was expected
    found: str  # regex: what was found
    via: str = "cli"  # "cli": fwbm_bench.cli.main in process; "exe": the executable; "snakemake"; "library"


STUDY = "{tmp}/mine/sub01"

BATTERY = [
    # --- configs: typos, wrong types, unknown names
    Case("config-typo-top-level-key", snakemake_dry_run(BASE + "simulaton: {}\n"),
         "['simulaton']", r"allowed: connectome, connectomes, ", r"unknown key\(s\)", via="snakemake"),
    Case("config-typo-nested-key", validate(BASE + "rest: {burn_in: 60}\n"),
         "section 'rest'", r"allowed: .*burn_in_s", r"unknown key\(s\) \['burn_in'\]"),
    Case("config-string-instead-of-list", validate("subjects: hcp-101309\nentries: [rww-ei-fic]\n"),
         "key 'subjects'", r"of type 'array'", r"'hcp-101309' is not"),
    Case("config-text-instead-of-number", validate(BASE + "simulation: {dt_ms: fast}\n"),
         "key 'simulation.dt_ms'", r"of type 'number'", r"'fast' is not", via="exe"),
    Case("config-out-of-range", validate(BASE + "rest: {burn_in_s: 10}\n"),
         "key 'rest.burn_in_s'", r"minimum of 60", r"10 is less than"),
    Case("config-unknown-entry", snakemake_dry_run("subjects: [hcp-101309]\nentries: [rww-ei-fic, hopf-magic]\n"),
         "key entries", r"known: distance, hopf, ", r"unknown entry \['hopf-magic'\]", via="snakemake"),
    Case("config-unknown-task", validate(BASE + "tasks: [perceptual_decisoin]\n"),
         "key tasks", r"known: perceptual_decision, working_memory", r"unknown task 'perceptual_decisoin'"),
    Case("config-unknown-dataset", validate("subjects: [hpc-101309]\nentries: [rww-ei-fic]\n"),
         "key subjects", r"known: gw, hcp, hcp94, tvb", r"unknown dataset 'hpc'"),
    Case("config-unknown-subject", validate("subjects: [hcp-000001]\nentries: [rww-ei-fic]\n"),
         "key subjects", r"available: hcp-101309", r"'hcp-000001' is not in dataset 'hcp'"),
    Case("config-unknown-variant", validate(BASE + "connectomes: [empirical, shuffeld-1]\n"),
         "key connectomes", r"expected one of: empirical, group", r"unknown connectome variant 'shuffeld-1'"),
    Case("config-unknown-lesion", validate(BASE + "connectomes: [empirical, lesion-stroke]\n"),
         "key connectomes", r"known: task-input", r"names lesion 'stroke', which is neither built in"),
    Case("config-task-setting-of-wrong-type",
         validate(BASE + "task_settings: {perceptual_decision: {trials_per_condition: many}}\n"),
         "key task_settings.perceptual_decision", r"'trials_per_condition' expects an integer", r"found 'many'"),
    Case("config-custom-entry-typo",
         validate("subjects: [hcp-101309]\nentries: [mine]\ncustom_entries:\n"
                  "  mine: {description: x, kind: model, model: rww_ei, fixd: {G: 0.1}}\n"),
         "section 'custom_entries.mine'", r"allowed: connectome_null, description, fixed, free",
         r"unknown key\(s\) \['fixd'\]"),
    Case("config-custom-entry-unknown-model",
         validate("subjects: [hcp-101309]\nentries: [mine]\ncustom_entries:\n"
                  "  mine: {description: x, kind: model, model: rww_eii}\n"),
         "custom_entries.mine.model", r"known: rww_ei, hopf", r"unknown node model 'rww_eii'"),
    Case("config-custom-entry-grid-of-text",
         validate("subjects: [hcp-101309]\nentries: [mine]\ncustom_entries:\n"
                  "  mine: {description: x, kind: model, model: rww_ei, free: {G: [low, high]}}\n"),
         "key 'custom_entries.mine.free.G.0'", r"of type 'number'", r"'low' is not"),
    Case("config-lesion-tracts-of-wrong-shape",
         validate(BASE + "lesions: {cut: {tracts: sideways}}\n"),
         "key 'lesions.cut.tracts'", r"expected 'interhemispheric', or a mapping with key between",
         r"found 'sideways'"),
    Case("config-band-reversed", validate(BASE + "rest: {band_hz: [0.08, 0.008]}\n"),
         "key 'rest.band_hz'", r"expected \[low, high\] with low < high", r"found \[0.08, 0.008\]"),
    Case("config-key-given-twice", validate("subjects: [hcp-101309]\nentries: [sc-as-fc]\nsubjects: [hcp-102311]\n"),
         "{tmp}/config.yaml", r"expected a config file in valid YAML", r"key 'subjects' given twice \(lines 1 and 3\)"),
    Case("config-yaml-syntax", validate("subjects: [hcp-101309\nentries: [sc-as-fc]\n"),
         "{tmp}/config.yaml", r"expected a config file in valid YAML", r"found an error: .* at line 2, column"),
    Case("config-not-a-mapping", validate("- subjects\n- entries\n"),
         "{tmp}/config.yaml", r"expected a mapping of config keys", r"found a list"),
    Case("config-user-dataset-with-broken-card", snakemake_dry_run(broken_card_config),
         "key user_datasets.mine: {tmp}/mine/card.yaml: key tr_s", r"expected a number of seconds",
         r"found 'fast'", via="snakemake"),
    # --- user subject folders
    Case("data-non-square-weights", validate_data(**{"weights.npy": None, "weights.csv": "1,2,3,4\n" * 3}),
         STUDY + "/weights.csv: structural weights", r"expected a square matrix", r"found shape \(3, 4\)"),
    Case("data-nan-weights", validate_data(**{"weights.npy": np.where(np.eye(4) > 0, np.nan, 1.0)}),
         STUDY + "/weights.npy: structural weights", r"expected finite values",
         r"found NaN/inf in 4 entries, first at index \(0, 0\)"),
    Case("data-negative-weights", validate_data(**{"weights.npy": np.eye(4)[::-1] - 0.5}),
         STUDY + "/weights.npy: structural weights", r"expected non-negative values", r"found negatives in 12 entries"),
    Case("data-asymmetric-weights-declared-undirected",
         validate_data("name: mine\ntr_s: 2.0\ndirected: false\n", **{"weights.npy": np.triu(np.ones((4, 4)), 1)}),
         STUDY + "/weights.npy: structural weights",
         r"expected a symmetric matrix \(card.yaml declares directed: false\)",
         r"found 6 asymmetric pair\(s\), first \[0, 1\] = 1 vs \[1, 0\] = 0"),
    Case("data-labels-count-mismatch", validate_data(**{"labels.txt": "r0\nr1\nr2\n"}),
         STUDY + "/labels.txt: region labels", r"expected 4 entries \(one per region\)", r"found 3"),
    Case("data-empty-bold", validate_data(**{"bold.npy": None, "bold.csv": ""}),
         STUDY + "/bold.csv", r"expected comma-separated numbers", r"found an empty file"),
    Case("data-constant-bold", validate_data(**{"bold.npy": np.ones((4, 100))}),
         STUDY + "/bold.npy: BOLD", r"expected every region's time series to vary",
         r"found 4 region\(s\) with a constant time series"),
    Case("data-bold-transposed", validate_data(**{"bold.npy": np.random.default_rng(1).standard_normal((100, 4))}),
         STUDY + "/bold.npy: BOLD", r"expected shape \(4 regions, n_volumes\)", r"found \(100, 4\)"),
    Case("data-bold-too-short", validate_data(**{"bold.npy": np.random.default_rng(1).standard_normal((4, 30))}),
         STUDY + "/bold.npy: BOLD", r"expected at least 40 volumes", r"found 30"),
    Case("data-tract-lengths-wrong-shape", validate_data(**{"tract_lengths.npy": np.full((3, 3), 50.0)}),
         STUDY + "/tract_lengths.npy: tract lengths", r"expected shape \(4, 4\) to match the weights",
         r"found \(3, 3\)"),
    Case("data-tract-lengths-in-micrometres", validate_data(**{"tract_lengths.npy": np.full((4, 4), 50000.0)}),
         STUDY + "/tract_lengths.npy: tract lengths", r"expected millimetres", r"found a tract of 50000"),
    Case("data-missing-weights", validate_data(**{"weights.npy": None}),
         STUDY, r"expected weights.npy or weights.csv", r"found neither"),
    Case("data-pickled-object-array", validate_data(**{"weights.npy": np.array([[1.0, "x"]], dtype=object)}),
         STUDY + "/weights.npy", r"expected a numeric array", r"found an array of Python objects"),
    Case("data-csv-with-text", validate_data(**{"weights.npy": None, "weights.csv": "1,2,3,4\n1,2,x,4\n"}),
         STUDY + "/weights.csv", r"expected comma-separated numbers", r"could not convert string 'x'"),
    Case("data-card-wrong-type", validate_data("name: mine\ntr_s: [2.0]\n"),
         "key user_datasets.mine: {tmp}/mine/card.yaml: key tr_s", r"expected a number of seconds", r"found \[2.0\]"),
    Case("data-bold-without-repetition-time", validate_data("name: mine\n"),
         "{tmp}/mine/card.yaml: key tr_s", r"expected the repetition time in seconds", r"found no tr_s"),
    # --- leaderboard stores (the committed v1 store, damaged)
    Case("store-metadata-garbage", store(lambda p: (p / ".zmetadata").write_text("{ not json")),
         "{tmp}/leaderboard.zarr", r"\.zmetadata is not consolidated metadata", r"JSONDecodeError", via="exe"),
    Case("store-chunk-corrupted", store(lambda p: (p / "score" / "0.0.0.0").write_bytes(b"garbage")),
         "{tmp}/leaderboard.zarr: damaged store, variable 'score'", r"cannot be read",
         r"RuntimeError: error during blosc decompression"),
    Case("store-array-deleted", store(lambda p: shutil.rmtree(p / "overall"), "export"),
         "{tmp}/leaderboard.zarr: damaged store, overall/.zattrs", r"listed in .zmetadata", r"but missing"),
    Case("store-newer-schema", store(newer_schema, "compare"),
         "{tmp}/leaderboard.zarr", r"this fwbm-bench reads version 1", r"schema version 2"),
    Case("store-is-a-file", lambda tmp: ["show", str(config_file(tmp, "hello", "leaderboard.zarr"))],
         "{tmp}/leaderboard.zarr", r"expected a Zarr store \(a directory\)", r"found a file"),
    # --- command line
    Case("cli-unknown-command", lambda tmp: ["shwo"],
         "argument command", r"choose from '?datasets'?, '?models", r"invalid choice: 'shwo'", via="exe"),
    Case("cli-unknown-format", lambda tmp: ["export", str(STORE_V1), "--format", "xls"],
         "argument --format", r"choose from '?csv'?, '?md'?, '?json", r"invalid choice: 'xls'"),
    Case("cli-unknown-sort-column", lambda tmp: ["show", str(STORE_V1), "--sort", "C9"],
         "--sort", r"columns: entry, overall, coverage", r"no column 'C9'"),
    Case("cli-output-is-a-directory", lambda tmp: ["export", str(STORE_V1), "-o", str(tmp)],
         "-o {tmp}", r"expected a file to write", r"found a directory"),
    Case("cli-config-file-missing", lambda tmp: ["validate", str(tmp / "nope.yaml")],
         "{tmp}/nope.yaml", r"config file", r"not found"),
    # --- mistakes only a job can see (library, as the job calls it)
    Case("job-lesion-region-not-in-parcellation", lesion_on_user_subject,
         "mine-sub01: key lesions.motor.regions", r"neither a region label nor a group \(groups: left, right",
         r"'Precentral_L'", via="library"),
    Case("job-conduction-speed-of-1-um-per-s", crawling_conduction,
         "simulation.conduction_speed_m_per_s", r"at most 2 GiB", r"needs a [0-9.]+ GiB delay buffer", via="library"),
]


def run_case(case: Case, tmp: Path, capsys) -> str:
    """The user-facing error of ``case``: stderr of the command (checked to be one line)."""
    made = case.make(tmp)
    if case.via == "library":
        with pytest.raises(FwbmError) as info:
            made()
        return str(info.value)
    if case.via == "cli":
        from fwbm_bench.cli import main

        try:
            code = main(made)
        except SystemExit as exit_:  # argparse
            code = exit_.code
        out, err = capsys.readouterr()
        assert code != 0, out
        return err.strip()
    if case.via == "exe":
        run = subprocess.run([*FWBM_BENCH, *made], capture_output=True, text=True, timeout=120, env=ENV, check=False)
        assert run.returncode != 0, run.stdout
        return run.stderr.strip()
    work, args = made
    run = subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=work, capture_output=True, text=True,
                         timeout=120, env=ENV, check=False)
    assert run.returncode != 0 and "Traceback" not in run.stderr, run.stderr[-2000:]
    ours = [line for line in run.stderr.splitlines() if line.startswith("fwbm-bench config error: ")]
    assert len(ours) == 1, run.stderr[-2000:]
    assert not (work / "results").exists()  # stopped before any job ran
    return ours[0]


def test_the_battery_is_broad():
    assert len(BATTERY) >= 25 and len({case.id for case in BATTERY}) == len(BATTERY)
    for prefix in ("config-", "data-", "store-", "cli-"):
        assert sum(case.id.startswith(prefix) for case in BATTERY) >= 4, prefix
    assert {case.via for case in BATTERY} == {"cli", "exe", "snakemake", "library"}


@pytest.mark.parametrize("case", BATTERY, ids=[case.id for case in BATTERY])
def test_bad_input_gives_one_line_naming_it(case, tmp_path, capsys):
    message = run_case(case, tmp_path, capsys)
    assert "Traceback" not in message
    assert_one_line(message)
    assert case.names.format(tmp=tmp_path) in message, message
    assert re.search(case.expected, message), message
    assert re.search(case.found, message), message


# ---------------------------------------------------------------------------- nothing destroyed

def _tree_digest(path: Path) -> dict:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p.relative_to(path.parent)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_failed_runs_keep_the_existing_leaderboard_byte_identical_and_never_unpickle(tmp_path, capsys):
    """A run with a bad config and a run whose user subject is a pickle (that would create a
    marker file when unpickled) both fail with one line; the leaderboard, its CSV and report
    already in results/ are byte-identical afterwards, and the pickle was never loaded. So
    are they after ``fwbm-bench export`` / ``report`` of a damaged store onto them."""
    work = workdir(tmp_path)
    results = work / "results"
    shutil.copytree(STORE_V1, results / "leaderboard.zarr")
    (results / "leaderboard.csv").write_text("entry,overall,coverage\nmodel-a,0.081,0.2\n")
    (results / "report").mkdir()
    (results / "report" / "index.html").write_text("<html>the previous report</html>")
    kept = [results / "leaderboard.zarr", results / "leaderboard.csv", results / "report" / "index.html"]
    before = {name: digest for path in kept for name, digest in _tree_digest(path).items()}

    config_file(work / "config", BASE + "simulaton: {}\n", "typo.yaml")
    typo = subprocess.run([sys.executable, "-m", "snakemake", "--cores", "1", "--configfile", "config/typo.yaml"],
                          cwd=work, capture_output=True, text=True, timeout=300, env=ENV, check=False)
    assert typo.returncode != 0 and "Traceback" not in typo.stderr
    assert "fwbm-bench config error: config: unknown key(s) ['simulaton']" in typo.stderr

    marker = tmp_path / "unpickled"
    data = user_dataset(tmp_path, **{"weights.npy": np.array([Unpickled(marker)] * 16, dtype=object).reshape(4, 4)})
    assert not marker.exists()
    config_file(work / "config", f"subjects: [mine-sub01]\nentries: [sc-as-fc]\nuser_datasets: {{mine: '{data}'}}\n",
                "mine.yaml")
    run = subprocess.run([sys.executable, "-m", "snakemake", "--cores", "1", "--keep-going", "--configfile",
                          "config/mine.yaml"], cwd=work, capture_output=True, text=True, timeout=300, env=ENV,
                         check=False)
    assert run.returncode != 0 and "Traceback" not in run.stderr, run.stderr[-3000:]
    ours = [line for line in run.stderr.splitlines() if line.startswith("fwbm-bench error: ")]
    assert ours == [(f"fwbm-bench error: {data}/sub01/weights.npy: expected a numeric array, found an array of "
                    f"Python objects (dtype object); pickled data are never loaded, save plain numbers (np.save "
                    f"of a float array)")], run.stderr[-3000:]
    assert not (results / "subjects" / "mine-sub01.npz").exists()

    from fwbm_bench.cli import main

    damaged = tmp_path / "damaged.zarr"
    shutil.copytree(STORE_V1, damaged)
    (damaged / "score" / "0.0.0.0").write_bytes(b"garbage")
    assert main(["export", str(damaged), "-o", str(results / "leaderboard.csv")]) == 1
    assert main(["report", str(damaged), "-o", str(results / "report" / "index.html")]) == 1
    assert capsys.readouterr().err.count("damaged store, variable 'score'") == 2

    after = {name: digest for path in kept for name, digest in _tree_digest(path).items()}
    assert after == before
    assert not marker.exists()


# ---------------------------------------------------------------------------- security

def test_no_file_a_user_hands_us_can_run_code(tmp_path, capsys):
    """Pickles (inside a .npy, as a bare file, inside a leaderboard store) and YAML Python tags
    (in a config or a dataset card) are refused with one line; none of them is ever loaded."""
    from fwbm_bench.cli import main

    marker = tmp_path / "ran"
    pickled = np.array([Unpickled(marker)], dtype=object)
    bare = tmp_path / "bare.pkl"
    import pickle  # only to write the hostile file the library must refuse

    bare.write_bytes(pickle.dumps(Unpickled(marker)))
    tag = f"!!python/object/apply:builtins.open ['{marker}', 'w']"
    attempts = {
        "object array in bold.npy": (user_dataset(tmp_path / "a", **{"bold.npy": pickled}), "bold.npy"),
        "bare pickle as weights.npy": (user_dataset(tmp_path / "b", **{"weights.npy": bare.read_bytes()}),
                                       "weights.npy: expected a NumPy .npy array file, found a file that is not one"),
        "python tag in card.yaml": (user_dataset(tmp_path / "c", card=f"name: mine\ndescription: {tag}\n"),
                                    "card.yaml: expected a dataset card in valid YAML"),
    }
    for what, (root, named) in attempts.items():
        config = config_file(tmp_path, f"subjects: [mine-sub01]\nentries: [sc-as-fc]\n"
                                       f"user_datasets: {{mine: '{root}'}}\n")
        assert main(["validate", str(config)]) == 1, what
        message = capsys.readouterr().err.strip()
        assert_one_line(message)
        assert named in message, (what, message)
    assert main(["validate", str(config_file(tmp_path, f"{BASE}rest: {tag}\n"))]) == 1
    assert "could not determine a constructor for the tag" in capsys.readouterr().err
    # a leaderboard store with an array of pickled objects (older zarr releases unpickle those)
    import numcodecs

    path = tmp_path / "leaderboard.zarr"
    shutil.copytree(STORE_V1, path)
    (path / "note").mkdir()
    zarray = {"chunks": [1], "compressor": None, "dtype": "|O", "fill_value": None, "order": "C", "shape": [1],
              "filters": [{"id": "pickle", "protocol": 5}], "zarr_format": 2}
    zattrs = {"_ARRAY_DIMENSIONS": ["note"]}
    (path / "note" / "0").write_bytes(numcodecs.Pickle().encode(pickled))
    metadata = json.loads((path / ".zmetadata").read_text())
    for name, document in ((".zarray", zarray), (".zattrs", zattrs)):
        (path / "note" / name).write_text(json.dumps(document))
        metadata["metadata"][f"note/{name}"] = document
    (path / ".zmetadata").write_text(json.dumps(metadata))
    assert main(["show", str(path)]) == 1
    message = capsys.readouterr().err.strip()
    assert_one_line(message)
    assert f"{path}: note/.zarray: expected an array of numbers or text, found Python objects" in message
    assert not marker.exists()


UNSAFE = {
    "pickle": re.compile(r"\bimport pickle\b|\bpickle\.|\bcloudpickle\b|\bdill\b|\bjoblib\.load\b"),
    "allow_pickle=True": re.compile(r"allow_pickle\s*=\s*True"),
    "np.load without allow_pickle=False": re.compile(r"np\.load\((?![^)]*allow_pickle=False)"),
    "unsafe yaml": re.compile(r"yaml\.(unsafe_load|full_load|load_all|Loader|UnsafeLoader|FullLoader)\b"
                              r"|yaml\.load\((?![^)]*Loader=UniqueKeySafeLoader)"),
    "eval/exec": re.compile(r"(?<![.\w])(eval|exec|compile)\("),
    "dynamic import": re.compile(r"__import__|import_module|entry_points\(|spec_from_file_location"),
    "pandas pickle": re.compile(r"read_pickle|to_pickle"),
}


#: the only files that may import code by name: installed plugins' entry points, and the modules a
#: user names under the config key 'plugins' (README, Security)
PLUGIN_LOADERS = {"src/fwbm_bench/plugin_registry.py": "dynamic import", "src/fwbm_bench/plugins.py": "dynamic import"}


def test_no_code_path_reads_pickle_or_evaluates_text():
    """Nothing in src/ or the workflow unpickles, loads YAML unsafely, evaluates strings or imports
    a module named by input: only installed packages (the library itself, installed plugins) and
    modules the config names under 'plugins' run code, and only the two plugin loaders import by name."""
    import yaml

    from fwbm_bench.safe_yaml import UniqueKeySafeLoader

    assert issubclass(UniqueKeySafeLoader, yaml.SafeLoader)
    files = [*sorted((ROOT / "src" / "fwbm_bench").rglob("*.py")), *sorted((ROOT / "workflow").rglob("*.py")),
             *sorted((ROOT / "workflow").rglob("*.smk")), ROOT / "Snakefile"]
    found = []
    for path in files:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#")[0]
            found += [f"{path.relative_to(ROOT)}:{number}: {name}: {line.strip()}"
                      for name, pattern in UNSAFE.items()
                      if pattern.search(code) and PLUGIN_LOADERS.get(str(path.relative_to(ROOT))) != name]
    assert found == []
