"""Configuration: JSON-schema validation with defaults and one-line errors.

The schema (``schemas/config.schema.yaml``) is the single source of truth for keys,
types and defaults; Snakemake's ``validate`` uses the same file. :func:`check_config`
adds the checks a schema cannot express (known entries, datasets, variants, tasks).
"""

from __future__ import annotations

import copy
import hashlib
import json
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from fwbm_bench.connectome.variants import connectome_pairs
from fwbm_bench.errors import ConfigError, FwbmError

__all__ = ["SCHEMA_PATH", "check_config", "config_hash", "connectome_pairs", "load_config_file", "load_schema"]

SCHEMA_PATH = Path(str(resources.files("fwbm_bench").joinpath("schemas/config.schema.yaml")))


def load_schema() -> dict:
    return yaml.safe_load(SCHEMA_PATH.read_text())


def _fill_defaults(instance: dict, schema: dict) -> None:
    for key, sub in schema.get("properties", {}).items():
        if key not in instance and "default" in sub:
            instance[key] = copy.deepcopy(sub["default"])
        if isinstance(instance.get(key), dict) and sub.get("type") == "object":
            _fill_defaults(instance[key], sub)


def _one_line(error: jsonschema.ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        where = f"section '{path}': " if path else ""
        return f"{where}unknown key(s) {extra} (allowed: {', '.join(allowed)})"
    if error.validator == "required":
        return f"missing required key ({error.message})"
    return f"key '{path}': {error.message}"


def _known_subject(subject: str, user_datasets: dict) -> bool:
    from fwbm_bench.data import dataset_of, get_dataset

    try:
        return subject in get_dataset(dataset_of(subject), user_datasets).subject_ids()
    except FwbmError:
        return False


def _check_variants(config: dict, where: str) -> None:
    """Variant names parse, lesions they name exist, sampled subjects exist."""
    from fwbm_bench.connectome import lesion_specs, parse_variant

    try:
        lesions = lesion_specs(config["lesions"])
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    groups = [("connectomes", config["subjects"], config["connectomes"])] + [
        (f"sampled_connectomes[{k}]", group["subjects"], group["variants"])
        for k, group in enumerate(config["sampled_connectomes"])]
    for key, subjects, variants in groups:
        for variant in variants:
            try:
                parsed = parse_variant(variant)
            except ConfigError as exc:
                raise ConfigError(f"{where}: key {key}: {exc}") from None
            if parsed.lesion is not None and parsed.lesion not in lesions:
                raise ConfigError(f"{where}: key {key}: variant '{variant}' names lesion '{parsed.lesion}', which is "
                                  f"neither built in nor under the key lesions (known: {', '.join(lesions)})")
        for subject in subjects if key != "connectomes" else ():  # a typo must not silently drop a sample
            if subject not in config["subjects"] and not _known_subject(subject, config["user_datasets"]):
                raise ConfigError(f"{where}: key {key}.subjects: '{subject}' is not a subject of any configured "
                                  f"dataset (`fwbm-bench datasets`)")
    pairs = connectome_pairs(config)
    repeated = sorted({pair for pair in pairs if pairs.count(pair) > 1})
    if repeated:
        raise ConfigError(f"{where}: key sampled_connectomes: (subject, variant) pairs configured twice: {repeated}")
    if config["unification"]["task_lesion"] not in lesions:
        raise ConfigError(f"{where}: key unification.task_lesion: '{config['unification']['task_lesion']}' is not "
                          f"a lesion (known: {', '.join(lesions)})")


def check_config(config: dict, where: str = "config") -> dict:
    """Validate ``config``, fill defaults, and check names against the registries.

    Returns a new dict; raises :class:`ConfigError` with a one-line message.
    """
    from fwbm_bench.data import dataset_of, get_dataset
    from fwbm_bench.entries import resolve_entries
    from fwbm_bench.tasks import TASKS, get_task
    from fwbm_bench.tasks.perceptual_decision import OUTPUT_PERIOD_MS as TASK_OUTPUT_PERIOD_MS

    config = copy.deepcopy(dict(config))
    schema = load_schema()
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(config),
                    key=lambda e: (len(e.absolute_path), str(e.absolute_path)))
    if errors:
        raise ConfigError(f"{where}: {_one_line(errors[0])}")
    _fill_defaults(config, schema)
    from fwbm_bench.plugins import load_named

    load_named(config["plugins"], where)
    if "empirical" not in config["connectomes"]:
        raise ConfigError(f"{where}: key connectomes: must include 'empirical' (the leaderboard ranks on it), "
                          f"found {config['connectomes']}")
    dt_ms = config["simulation"]["dt_ms"]
    if abs(TASK_OUTPUT_PERIOD_MS / dt_ms - round(TASK_OUTPUT_PERIOD_MS / dt_ms)) > 1e-9:
        raise ConfigError(f"{where}: key 'simulation.dt_ms': must divide {TASK_OUTPUT_PERIOD_MS:g} ms "
                          f"(the task output period), found {dt_ms}")
    _check_variants(config, where)
    for task in config["tasks"]:
        if task not in TASKS:
            raise ConfigError(f"{where}: key tasks: unknown task '{task}' (known: {', '.join(TASKS)})")
    for task, settings in config["task_settings"].items():
        if task not in TASKS:
            raise ConfigError(f"{where}: key task_settings: unknown task '{task}' (known: {', '.join(TASKS)})")
        try:
            get_task(task, **settings)
        except ConfigError as exc:
            raise ConfigError(f"{where}: key task_settings.{task}: {exc}") from None
    try:
        resolve_entries(config["entries"], config["custom_entries"])
        for subject in config["subjects"]:
            dataset = get_dataset(dataset_of(subject), config["user_datasets"])
            if subject not in dataset.subject_ids():
                raise ConfigError(
                    f"key subjects: '{subject}' is not in dataset '{dataset.name}' "
                    f"(available: {', '.join(dataset.subject_ids())})"
                )
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    except Exception as exc:  # an unreadable user folder, a missing package
        raise ConfigError(f"{where}: {exc}") from exc
    if len(set(config["subjects"])) != len(config["subjects"]):
        raise ConfigError(f"{where}: key subjects: duplicate subject ids")
    return config


def config_hash(config: dict) -> str:
    """SHA-256 (16 hex digits) of the validated config, key-order independent."""
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:16]


def load_config_file(path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {path} not found")
    try:
        content = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})".splitlines()[0]) from exc
    if not isinstance(content, dict):
        raise ConfigError(f"{path}: expected a mapping of config keys, found {type(content).__name__}")
    return check_config(content, where=str(path))

