"""Task protocols, stimulus -> input currents, and readouts; a registry of tasks.

Plugins add tasks through the entry-point group ``fwbm_bench.tasks`` (plugin_registry): a
class with the built-ins' interface (``name``, ``description``, ``citation``, ``run``) and a
``benchmarks`` attribute, the :class:`fwbm_bench.scoring.Benchmark` objects its scores feed.
"""

from fwbm_bench.errors import ConfigError
from fwbm_bench.plugin_registry import Registry
from fwbm_bench.tasks.memory_capacity import MemoryCapacityTask
from fwbm_bench.tasks.perceptual_decision import PerceptualDecisionTask
from fwbm_bench.tasks.working_memory import WorkingMemoryTask

TASKS = Registry("task", "fwbm_bench.tasks", (PerceptualDecisionTask, WorkingMemoryTask, MemoryCapacityTask),
                 accepts=lambda obj: isinstance(obj, type) and callable(getattr(obj, "run", None)))


def get_task(name: str, **settings):
    if name not in TASKS:
        raise ConfigError(f"unknown task '{name}' (known: {', '.join(TASKS)})")
    try:
        return TASKS[name](**settings)
    except TypeError as exc:
        raise ConfigError(f"task '{name}': invalid settings {sorted(settings)} ({exc})") from exc


__all__ = ["TASKS", "MemoryCapacityTask", "PerceptualDecisionTask", "WorkingMemoryTask", "get_task"]
