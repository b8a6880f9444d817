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
from fwbm_bench.safe_yaml import read_yaml

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


def _alternative(schema: dict) -> str:
    """A schema alternative in words, for 'expected one of' messages."""
    if "const" in schema:
        return repr(schema["const"])
    if "enum" in schema:
        return " or ".join(repr(value) for value in schema["enum"])
    if schema.get("type") == "object" and schema.get("required"):
        return "a mapping with key " + " and ".join(schema["required"])
    words = {"string": "a string", "array": "a list", "object": "a mapping", "number": "a number",
             "integer": "an integer", "boolean": "true or false", "null": "null"}
    types = schema.get("type", "value")
    return " or ".join(words.get(t, t) for t in ([types] if isinstance(types, str) else types))


def _one_line(error: jsonschema.ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path)
    where = f"section '{path}': " if path else ""
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        return f"{where}unknown key(s) {extra} (allowed: {', '.join(allowed)})"
    if error.validator == "required":
        return f"{where}missing required key ({error.message})"
    if error.validator in ("oneOf", "anyOf"):
        deeper = [e for e in error.context if len(e.absolute_path) > len(error.absolute_path)]
        if deeper:  # the value took one alternative's shape and went wrong inside it: say where
            return _one_line(max(deeper, key=lambda e: len(e.absolute_path)))
        expected = ", or ".join(_alternative(option) for option in error.validator_value)
        return f"key '{path}': expected {expected}, found {error.instance!r}"
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
    from fwbm_bench.data import dataset_of, get_dataset, shipped_dataset_names
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
    noise_tau_ms = config["simulation"]["noise_tau_ms"]
    if 0 < noise_tau_ms < 2 * dt_ms:
        raise ConfigError(f"{where}: key 'simulation.noise_tau_ms': expected 0 (white noise) or at least "
                          f"2 dt_ms = {2 * dt_ms:g} ms, found {noise_tau_ms}")
    low, high = config["rest"]["band_hz"]
    if not low < high:
        raise ConfigError(f"{where}: key 'rest.band_hz': expected [low, high] with low < high (Hz), "
                          f"found {config['rest']['band_hz']}")
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
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    known_datasets = sorted(set(shipped_dataset_names()) | set(config["user_datasets"]))
    for subject in config["subjects"]:
        name = dataset_of(subject)
        if name not in known_datasets:
            raise ConfigError(f"{where}: key subjects: '{subject}' names unknown dataset '{name}' "
                              f"(known: {', '.join(known_datasets)}; your own under the key user_datasets)")
        try:
            dataset = get_dataset(name, config["user_datasets"])
            available = dataset.subject_ids()
        except FwbmError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        except Exception as exc:  # a missing package, an unreadable folder
            raise ConfigError(f"{where}: key subjects: dataset '{name}' could not be opened "
                              f"({type(exc).__name__}: {exc})") from exc
        if subject not in available:
            raise ConfigError(f"{where}: key subjects: '{subject}' is not in dataset '{dataset.name}' "
                              f"(available: {', '.join(available)})")
    if len(set(config["subjects"])) != len(config["subjects"]):
        raise ConfigError(f"{where}: key subjects: duplicate subject ids")
    return config


def config_hash(config: dict) -> str:
    """SHA-256 (16 hex digits) of the validated config, key-order independent."""
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:16]


def load_config_file(path) -> dict:
    """Read, validate and complete the config file ``path`` (plain YAML data only)."""
    path = Path(path)
    content = read_yaml(path, ConfigError, "config file")
    if not isinstance(content, dict):
        found = "an empty file" if content is None else f"a {type(content).__name__}"
        raise ConfigError(f"{path}: expected a mapping of config keys (subjects, entries, ...), found {found}")
    return check_config(content, where=str(path))

