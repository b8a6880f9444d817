"""Registry of node models: name -> NodeModel subclass."""

from __future__ import annotations

from fwbm_bench.errors import ConfigError
from fwbm_bench.models.hopf import StuartLandau
from fwbm_bench.models.jansen_rit import JansenRit
from fwbm_bench.models.kuramoto import Kuramoto
from fwbm_bench.models.rww_ei import ReducedWongWangEI

MODELS = {model.name: model for model in (ReducedWongWangEI, StuartLandau, JansenRit, Kuramoto)}


def get_model(name: str):
    if name not in MODELS:
        raise ConfigError(f"unknown node model '{name}' (known: {', '.join(MODELS)})")
    return MODELS[name]
