"""Reading the YAML files a user writes (configs, dataset cards): data only, one-line errors.

Every YAML file fwbm-bench reads goes through :func:`read_yaml`, which builds plain Python
data (mappings, lists, strings, numbers, booleans, null) with PyYAML's *safe* loader: a tag
such as ``!!python/object`` is an error, never a call. A key given twice in one mapping is an
error too (PyYAML would silently keep the last one, dropping what the user wrote first).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from fwbm_bench.errors import FwbmError, InputError

__all__ = ["UniqueKeySafeLoader", "read_yaml"]


class UniqueKeySafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader (plain data only) that refuses a key repeated within one mapping."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node.start_mark.line + 1)
            except TypeError:  # an unhashable key: let PyYAML report it
                continue
            if first != key_node.start_mark.line + 1:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key '{key}' given twice (lines {first} and {key_node.start_mark.line + 1}); "
                                f"the first would be silently dropped", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def _describe(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else problem


def read_yaml(path, error: type[FwbmError] = InputError, what: str = "YAML file"):
    """The plain data in the YAML file ``path``; anything else raises ``error`` with one line."""
    path = Path(path)
    if path.is_dir():
        raise error(f"{path}: expected a {what}, found a directory")
    if not path.is_file():
        raise error(f"{what} {path} not found")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: expected a {what} in UTF-8 text, found undecodable bytes at byte {exc.start}") from None
    except OSError as exc:
        raise error(f"{path}: could not read the {what} ({exc.strerror})") from None
    try:
        # a SafeLoader subclass: plain data only, never Python objects (see the module docstring)
        return yaml.load(text, Loader=UniqueKeySafeLoader)
    except yaml.YAMLError as exc:
        raise error(f"{path}: expected a {what} in valid YAML, found an error: {_describe(exc)}") from None
