"""Task protocols, stimulus -> input currents, and readouts; a registry of tasks."""

from fwbm_bench.errors import ConfigError
from fwbm_bench.tasks.memory_capacity import MemoryCapacityTask
from fwbm_bench.tasks.perceptual_decision import PerceptualDecisionTask
from fwbm_bench.tasks.working_memory import WorkingMemoryTask

TASKS = {"perceptual_decision": PerceptualDecisionTask, "working_memory": WorkingMemoryTask,
         "memory_capacity": MemoryCapacityTask}


def get_task(name: str, **settings):
    if name not in TASKS:
        raise ConfigError(f"unknown task '{name}' (known: {', '.join(TASKS)})")
    try:
        return TASKS[name](**settings)
    except TypeError as exc:
        raise ConfigError(f"task '{name}': invalid settings {sorted(settings)} ({exc})") from exc


__all__ = ["TASKS", "MemoryCapacityTask", "PerceptualDecisionTask", "WorkingMemoryTask", "get_task"]
