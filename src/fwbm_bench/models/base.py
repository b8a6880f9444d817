"""Node-model contract: parameters with units, bounds and citations; a numba kernel.

A node model is a :class:`NodeModel` subclass in its own file plus one entry in
:mod:`fwbm_bench.models.registry`. It declares

- ``state_variables`` and which one is exported to other regions (``coupling_variable``);
- ``output_variables`` recorded (time-averaged) by the integrator and ``bold_variable``,
  the output that drives the haemodynamic model;
- ``parameters``: :class:`Parameter` objects (default, unit, bounds, citation);
- ``kernel``: a module-level ``@njit`` chunk integrator with the signature documented in
  :mod:`fwbm_bench.simulate.integrator` (numba's disk cache only works for module-level
  functions, not for functions passed as arguments or closures; see _numba.py).

Every registered model passes :func:`fwbm_bench.models.conformance.check_node_model`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fwbm_bench.errors import ConfigError


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
    coupling_variable: str = ""
    output_variables: tuple = ()
    bold_variable: str = ""
    noise_variables: tuple = ()
    parameters: tuple = ()
    default_dt_ms: float = 0.1
    kernel = None  # module-level @njit function, see simulate.integrator

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
