"""Registry of node models: name -> NodeModel subclass (built-ins and plugins, plugin_registry)."""

from __future__ import annotations

from fwbm_bench.errors import ConfigError
from fwbm_bench.models.base import NodeModel
from fwbm_bench.models.fitzhugh_nagumo import FitzHughNagumo
from fwbm_bench.models.hopf import StuartLandau
from fwbm_bench.models.hybrid import hybrid_model
from fwbm_bench.models.jansen_rit import JansenRit
from fwbm_bench.models.kuramoto import Kuramoto
from fwbm_bench.models.rww_ei import ReducedWongWangEI
from fwbm_bench.models.wilson_cowan import WilsonCowan
from fwbm_bench.models.wong_wang_2006 import WongWang2006, WongWang2006Selective
from fwbm_bench.plugin_registry import Registry

MODELS = Registry("node model", "fwbm_bench.models", (ReducedWongWangEI, StuartLandau, JansenRit, Kuramoto,
                                                WilsonCowan, FitzHughNagumo, WongWang2006,
                                                WongWang2006Selective),
                  accepts=lambda obj: isinstance(obj, type) and issubclass(obj, NodeModel))


def get_model(name: str):
    """A registered model by name, or a per-region hybrid written ``hybrid(<model>+<model>...)``."""
    if name.startswith("hybrid(") and name.endswith(")"):
        return hybrid_model(tuple(get_model(part.strip()) for part in name[len("hybrid("):-1].split("+")))
    if name not in MODELS:
        raise ConfigError(f"unknown node model '{name}' (known: {', '.join(MODELS)}, "
                          f"or hybrid(<model>+<model>) for per-region models)")
    return MODELS[name]
