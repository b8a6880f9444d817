"""Objects named in the config's ``plugins`` list, registered for one run.

Installed plugin packages register themselves through entry points (:mod:`fwbm_bench.plugin_registry`);
this module serves quick experiments: ``plugins: ["my_models:MyModel", "experiments/mpr.py:ENTRY"]``
imports the module (or runs the file) that the user named and registers the attribute in the
registry of its kind. It is the only place where a config makes fwbm-bench run code, and only
code the user named.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from pathlib import Path

from fwbm_bench.entries import ENTRIES
from fwbm_bench.errors import ConfigError
from fwbm_bench.metrics import REST_METRICS
from fwbm_bench.models import MODELS
from fwbm_bench.tasks import TASKS

#: every registry a named object may go to; each says which objects it accepts
REGISTRIES = (MODELS, ENTRIES, REST_METRICS, TASKS)


def _module(name: str, where: str):
    if name.endswith(".py"):
        path = Path(name).resolve()
        if not path.is_file():
            raise ConfigError(f"{where}: file '{name}' not found (relative to {Path.cwd()})")
        module_name = f"fwbm_bench_config_plugin_{hashlib.sha1(str(path).encode()).hexdigest()[:12]}"
        if module_name in sys.modules:
            return sys.modules[module_name]
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as error:
            del sys.modules[module_name]
            raise ConfigError(f"{where}: running '{name}' failed: {type(error).__name__}: {error}") from error
        return module
    try:
        return importlib.import_module(name)
    except Exception as error:
        raise ConfigError(f"{where}: cannot import module '{name}': {type(error).__name__}: {error}") from error


def load_named(specs, where: str = "config") -> None:
    """Register every object named in ``specs`` ('module:attribute' or 'file.py:attribute')."""
    for k, spec in enumerate(specs):
        key = f"{where}: key plugins[{k}]"
        module_name, _, attribute = str(spec).rpartition(":")
        if not module_name or not attribute:
            raise ConfigError(f"{key}: expected 'module:attribute' or 'path/to/file.py:attribute', found {spec!r}")
        obj = _module(module_name, key)
        for part in attribute.split("."):
            if not hasattr(obj, part):
                raise ConfigError(f"{key}: '{module_name}' has no attribute '{attribute}'")
            obj = getattr(obj, part)
        items = obj if isinstance(obj, (list, tuple)) else [obj]
        for item in items:
            registry = next((r for r in REGISTRIES if r.accepts(item)), None)
            if registry is None:
                raise ConfigError(f"{key}: '{spec}' is {item!r}, expected a NodeModel subclass, an Entry, "
                                  f"a task class or a Metric")
            registry.add(item, f"config plugins entry '{spec}'")
