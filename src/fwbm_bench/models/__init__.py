"""Node models: parameters with units, bounds and citations; numba right-hand sides."""

from fwbm_bench.models.base import NodeModel, Parameter
from fwbm_bench.models.registry import MODELS, get_model

__all__ = ["MODELS", "NodeModel", "Parameter", "get_model"]
