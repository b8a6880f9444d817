"""Registry of node models: name -> NodeModel subclass."""

from __future__ import annotations

from fwbm_bench.errors import ConfigError
from fwbm_bench.models.fitzhugh_nagumo import FitzHughNagumo
from fwbm_bench.models.hopf import StuartLandau
from fwbm_bench.models.jansen_rit import JansenRit
from fwbm_bench.models.kuramoto import Kuramoto
from fwbm_bench.models.rww_ei import ReducedWongWangEI
from fwbm_bench.models.wilson_cowan import WilsonCowan
from fwbm_bench.models.wong_wang_2006 import WongWang2006, WongWang2006Selective

MODELS = {model.name: model for model in (ReducedWongWangEI, StuartLandau, JansenRit, Kuramoto,
                                                WilsonCowan, FitzHughNagumo, WongWang2006,
                                                WongWang2006Selective)}


def get_model(name: str):
    if name not in MODELS:
        raise ConfigError(f"unknown node model '{name}' (known: {', '.join(MODELS)})")
    return MODELS[name]
