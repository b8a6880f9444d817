"""Task protocols, stimulus -> input currents, and readouts; a registry of tasks.

Plugins add tasks through the entry-point group ``fwbm_bench.tasks`` (plugin_registry): a
class with the built-ins' interface (``name``, ``description``, ``citation``, ``run``) and a
``benchmarks`` attribute, the :class:`fwbm_bench.scoring.Benchmark` objects its scores feed.
"""

import dataclasses
import math

from fwbm_bench.errors import ConfigError
from fwbm_bench.plugin_registry import Registry
from fwbm_bench.tasks.memory_capacity import MemoryCapacityTask
from fwbm_bench.tasks.perceptual_decision import PerceptualDecisionTask
from fwbm_bench.tasks.working_memory import WorkingMemoryTask

TASKS = Registry("task", "fwbm_bench.tasks", (PerceptualDecisionTask, WorkingMemoryTask, MemoryCapacityTask),
                 accepts=lambda obj: isinstance(obj, type) and callable(getattr(obj, "run", None)))


#: task fields a config may not set: they identify the task rather than configure it
_FIXED_FIELDS = ("name", "description", "citation")


def _setting_problem(default, value) -> str | None:
    """What ``value`` should have been, given the field's default; None if it fits."""
    def number(x):
        return isinstance(x, (int, float)) and not isinstance(x, bool)

    if isinstance(default, bool):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(default, int):
        return None if isinstance(value, int) and not isinstance(value, bool) else "an integer"
    if isinstance(default, float):
        return None if number(value) and math.isfinite(value) else "a number"
    if isinstance(default, tuple):
        ok = isinstance(value, (list, tuple)) and all(number(x) and math.isfinite(x) for x in value)
        return None if ok else "a list of numbers"
    return None


def get_task(name: str, **settings):
    """The task ``name`` with ``settings`` (its fields) checked for names and types."""
    if name not in TASKS:
        raise ConfigError(f"unknown task '{name}' (known: {', '.join(TASKS)})")
    if not dataclasses.is_dataclass(TASKS[name]):  # a plugin task of its own making: its constructor checks
        try:
            return TASKS[name](**settings)
        except TypeError as exc:
            raise ConfigError(f"task '{name}': invalid settings {sorted(settings)} ({exc})") from None
    task_fields = {f.name: f for f in dataclasses.fields(TASKS[name]) if f.name not in _FIXED_FIELDS}
    unknown = sorted(set(settings) - set(task_fields))
    if unknown:
        raise ConfigError(f"task '{name}': invalid settings {unknown} (allowed: {', '.join(task_fields)})")
    for key, value in settings.items():
        expected = _setting_problem(task_fields[key].default, value)
        if expected is not None:
            raise ConfigError(f"task '{name}': setting '{key}' expects {expected}, found {value!r}")
    settings = {key: tuple(value) if isinstance(value, list) else value for key, value in settings.items()}
    return TASKS[name](**settings)


__all__ = ["TASKS", "MemoryCapacityTask", "PerceptualDecisionTask", "WorkingMemoryTask", "get_task"]
