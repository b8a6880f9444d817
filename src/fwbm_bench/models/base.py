"""Node-model contract: parameters with units, bounds and citations; a numba kernel.

A node model is a :class:`NodeModel` subclass in its own file plus one entry in
:mod:`fwbm_bench.models.registry`. It declares

- ``state_variables`` and which one is exported to other regions (``coupling_variable``);
- ``output_variables`` recorded (time-averaged) by the integrator and ``bold_variable``,
  the output that drives the haemodynamic model;
- ``parameters``: :class:`Parameter` objects (default, unit, bounds, citation);
- one step of one region: a function registered with :func:`register_node_step`, which
  the generic time loop of :mod:`fwbm_bench.simulate.kernel` calls for every region and
  batch element (``register_node_step`` explains why this, and not a function argument).

Every registered model passes :func:`fwbm_bench.models.conformance.check_node_model`.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from collections import namedtuple
from pathlib import Path
from dataclasses import dataclass

import numpy as np
from numba import types
from numba.extending import overload

from fwbm_bench.errors import ConfigError


def node_step(tag, state, i, b, coupling, ext, global_params, node_params, noise_t, dt, sqrt_dt,
              out_row, weight):
    """Advance region ``i`` of batch element ``b`` by one step (implemented per model).

    ``state`` (n_state, N, B) is updated in place; ``coupling`` (n_coupling, N, B) holds the
    delayed network input sum_j w_ij v_j(t - tau_ij) of each coupling variable v, ``ext``
    (N, B) the external current; ``noise_t`` (n_noise, N, B) this step's
    standard normal draws; ``out_row`` (n_outputs, N, B) receives each output times ``weight``
    (1 / decimation, so a row holds the average over its output period).
    """
    raise NotImplementedError("node_step is implemented per model through numba's overload")


@dataclass(frozen=True)
class Parameter:
    """One model parameter.

    ``bounds`` are the physically or numerically admissible range (inclusive); a value
    outside them is a configuration error raised before any numba code runs.
    """

    name: str
    default: float
    unit: str
    bounds: tuple[float, float]
    description: str
    citation: str

    def check(self, value, where: str) -> np.ndarray:
        array = np.asarray(value, dtype=float)
        low, high = self.bounds
        if not np.isfinite(array).all() or (array < low).any() or (array > high).any():
            raise ConfigError(
                f"{where}: parameter '{self.name}' must lie in [{low}, {high}] {self.unit}, "
                f"found {np.array2string(np.atleast_1d(array), threshold=6)}"
            )
        return array


class NodeModel:
    """Base class; subclasses fill the class attributes and implement ``prepare``."""

    name: str = ""
    description: str = ""
    citation: str = ""
    state_variables: tuple = ()
    coupling_variables: tuple = ()
    output_variables: tuple = ()
    bold_variable: str = ""
    noise_variables: tuple = ()
    parameters: tuple = ()
    default_dt_ms: float = 0.1
    tag = None  # set by register_node_step: the numba dispatch key of this model

    @classmethod
    def parameter(cls, name: str) -> Parameter:
        for parameter in cls.parameters:
            if parameter.name == name:
                return parameter
        raise ConfigError(
            f"model '{cls.name}' has no parameter '{name}' "
            f"(known: {', '.join(p.name for p in cls.parameters)})"
        )

    @classmethod
    def resolve(cls, values: dict, batch_size: int, where: str = "") -> dict[str, np.ndarray]:
        """Defaults overridden by ``values``; each parameter becomes an array of ``batch_size``.

        Unknown names and out-of-bounds values raise :class:`ConfigError`.
        """
        where = where or f"model '{cls.name}'"
        for name in values:
            cls.parameter(name)
        resolved = {}
        for parameter in cls.parameters:
            value = parameter.check(values.get(parameter.name, parameter.default), where)
            if value.ndim == 0:
                value = np.full(batch_size, float(value))
            if value.shape != (batch_size,):
                raise ConfigError(
                    f"{where}: parameter '{parameter.name}' needs one value or {batch_size} "
                    f"(one per batch element), found shape {value.shape}"
                )
            resolved[parameter.name] = value
        return resolved

    @classmethod
    def prepare(cls, params: dict[str, np.ndarray], weights: np.ndarray):
        """Kernel inputs from resolved parameters.

        Returns ``(global_params, node_params, initial_state)`` with shapes (P, B),
        (Q, N, B) and (n_state, N, B).
        """
        raise NotImplementedError


def register_node_step(model_class, step_impl):
    """Register ``step_impl`` as ``model_class``'s one-region step and give it a ``tag``.

    ``step_impl(tag, state, i, b, coupling, ext, global_params, node_params, noise_t, dt,
    sqrt_dt, out_row, weight)`` follows :func:`node_step`; it is
    compiled inline into the shared time loop. The tag is an instance of a NamedTuple whose
    type name holds a hash of the model's source file: the compiled loop is cached per tag
    type, so an edited model never reuses a stale compiled loop.
    """
    source = inspect.getsourcefile(model_class)
    try:
        digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()[:10]
    except (OSError, TypeError):
        digest = "nosource"
    tag_type = namedtuple(f"{model_class.__name__}Tag_{digest}", ["model"])
    # numba pickles the tag type into its cache; it must be importable by module and name
    tag_type.__module__ = model_class.__module__
    setattr(sys.modules[model_class.__module__], tag_type.__name__, tag_type)

    @overload(node_step, jit_options={"cache": True})
    def _dispatch(tag, state, i, b, coupling, ext, global_params, node_params, noise_t, dt, sqrt_dt,
                  out_row, weight):
        if isinstance(tag, (types.NamedTuple, types.NamedUniTuple)) and tag.instance_class is tag_type:
            return step_impl
        return None

    model_class.tag = tag_type(0)
    return model_class
