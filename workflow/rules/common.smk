# Config validation (one-line errors) and the fan-out lists. No computation here.
import json
import sys

from snakemake.utils import validate

from fwbm_bench.config import SCHEMA_PATH, check_config, connectome_pairs
from fwbm_bench.connectome import parse_variant
from fwbm_bench.data import dataset_of
from fwbm_bench.entries import resolve_entries
from fwbm_bench.errors import ConfigError

try:
    _checked = check_config(config)
except ConfigError as _error:
    sys.exit(f"fwbm-bench config error: {_error}")
validate(config, str(SCHEMA_PATH))  # fills the schema's defaults into `config`

SUBJECTS = config["subjects"]
ENTRIES = config["entries"]
# baselines predict FC without dynamics: they run no task jobs (the leaderboard marks them)
MODEL_ENTRIES = [name for name, e in resolve_entries(ENTRIES, config["custom_entries"]).items() if e.is_model]
TASKS = config["tasks"]
# (subject, connectome) pairs: every variant of `connectomes` on every subject, the
# `sampled_connectomes` variants on their sample of subjects
PAIRS = connectome_pairs(config)
REST_PAIRS = connectome_pairs(config, "rest")
TASK_PAIRS = connectome_pairs(config, "tasks")
CONNECTOMES = list(dict.fromkeys(c for _, c in PAIRS))


wildcard_constraints:
    subject="[^/]+",
    connectome="[^/]+",
    entry="[^/]+",
    task="[^/]+",


def all_combinations(pattern, pairs=PAIRS, entries=ENTRIES, **extra):
    """`pattern` for every entry and (subject, connectome) pair, and every value of `extra`."""
    return [
        path
        for entry in entries
        for subject, connectome in pairs
        for path in expand(pattern, entry=entry, subject=subject, connectome=connectome, **extra)
    ]


def fitted_pairs():
    """Pairs that are fitted on their own connectome (lesions run at the empirical fit)."""
    return [(s, c) for s, c in PAIRS if not parse_variant(c).uses_empirical_fit]


def fit_of(wildcards):
    """The fit a (entry, subject, connectome) runs at: a lesion perturbs the empirically fitted model."""
    connectome = "empirical" if parse_variant(wildcards.connectome).uses_empirical_fit else wildcards.connectome
    return f"results/fits/{wildcards.entry}/{wildcards.subject}/{connectome}.json"


def cohort_of(wildcards):
    """Subject files the `group` variant of a subject is built from: its dataset's configured subjects."""
    if wildcards.connectome != "group":
        return []
    return [f"results/subjects/{s}.npz" for s in SUBJECTS if dataset_of(s) == dataset_of(wildcards.subject)]


def config_dependency(wildcards, *sections, task=None):
    """The config a job's result depends on, as a string Snakemake compares between runs: the
    named sections, the entry's own definition if it is a custom one, and the task's settings."""
    parts = {section: config[section] for section in sections}
    if "entry" in wildcards.keys():
        parts["entry"] = config["custom_entries"].get(wildcards.entry, "built-in")
    if task is not None:
        parts["task_settings"] = config["task_settings"].get(task, {})
    return json.dumps(parts, sort_keys=True)
