"""Node-model contract: parameters with units, bounds and citations; a numba kernel.

A node model is a :class:`NodeModel` subclass in its own file plus one entry in
:mod:`fwbm_bench.models.registry`. It declares

- ``state_variables`` and which one is exported to other regions (``coupling_variable``);
- ``output_variables`` recorded (time-averaged) by the integrator, ``bold_variable``, the
  output that drives the haemodynamic model, and ``task_readout``, the output tasks decode;
- ``parameters``: :class:`Parameter` objects (default, unit, bounds, citation);
- ``time_unit_ms`` (the unit of its equations), ``noise`` (state variable -> the parameter
  giving its additive noise amplitude, per sqrt of the time unit) and ``state_bounds``;
- its drift and outputs: two functions registered with :func:`register_node_functions`,
  which the one generic time loop of :mod:`fwbm_bench.simulate.kernel` calls for every
  region and batch element (optionally also their batch forms, which step the whole
  network at once in SIMD code, :mod:`fwbm_bench.simulate.network_step`); the loop owns
  the scheme (Euler-Maruyama or stochastic Heun), the noise, the delays and the bounds
  (``register_node_functions`` explains why the functions are registered rather than
  passed as arguments).

Every registered model passes one conformance test (tests/test_models.py,
``test_node_model_conformance``), parametrized over the registry.
"""

from __future__ import annotations

import hashlib
import inspect
import math
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
from numba import types
from numba.extending import overload

from fwbm_bench.errors import ConfigError


def node_drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
    """Deterministic right-hand side of region ``i``, batch element ``b`` (per model).

    ``x`` (n_state,) is the region's state; ``coupling`` (n_coupling, N, B) holds the delayed
    network input sum_j w_ij v_j(t - tau_ij) of each coupling variable v; ``ext`` (N, B) the
    external input; ``global_params`` (P, B) and ``node_params`` (Q, N, B) come from
    ``prepare``. Write d x / d t, in the model's own time unit, into ``dxdt`` (n_state,).
    """
    raise NotImplementedError("node_drift is implemented per model through numba's overload")


def node_export(tag, x, i, b, global_params, node_params, slot):
    """Write region ``i``'s exported coupling quantities into ``slot[:, i, b]`` (optional).

    Models whose coupling is a function of their state (e.g. sin and cos of a phase) export
    those quantities; the delay buffer stores them and ``coupling`` sums them over inputs.
    Models without an export couple their ``coupling_variables`` directly.
    """
    raise NotImplementedError("node_export is implemented per model through numba's overload")


def _no_export(tag, x, i, b, global_params, node_params, slot):
    pass  # never called: the loop copies coupling_variables for models without an export


def node_observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    """Add ``weight`` times each output of region ``i`` at state ``x`` to ``out_row[:, i, b]``."""
    raise NotImplementedError("node_observe is implemented per model through numba's overload")


def node_drift_observe(tag, x, i, b, coupling, ext, global_params, node_params, dxdt, out_row, weight):
    """:func:`node_observe` and :func:`node_drift` at one state, in one call.

    A model whose outputs reuse its drift's intermediate results (rWW-EI's firing rate)
    registers a combined function that computes them once; for the others this calls the two.
    """
    raise NotImplementedError("node_drift_observe is implemented per model through numba's overload")


def _observe_then_drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt, out_row, weight):
    node_observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight)
    node_drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt)


def node_drift_batch(tag, state, coupling, ext, global_params, node_params, dxdt):
    """Batch form of :func:`node_drift` (optional): every region of every batch element at once.

    ``state`` (n_state, N, B); write the drift of region i of element b into ``dxdt[:, i, b]``
    (n_state, N, B). Written as loops over i and then b whose body computes the same expressions
    as the scalar form (a shared scalar helper returning a tuple does it), LLVM turns it into
    SIMD code across the batch; it must give bit-identical values to the scalar form
    (:func:`fwbm_bench.testing.check_node_model` checks this).

    Use ``i`` and ``b`` only as indices into the arrays given, with shapes taken from them: the
    loop presents the network in rows of k regions side by side (``simulate.network_step.
    regions_per_row``; state (n_state, N / k, k B), coupling (C, N / k, k B), ext (N / k, k B),
    node_params (Q, N / k, k B), global_params (P, k B) with the parameters repeated for each
    region of a row), so that the innermost loop is long enough for LLVM to run it in SIMD
    code; a single simulation is one row of all N regions.
    """
    raise NotImplementedError("node_drift_batch is implemented per model through numba's overload")


def node_drift_observe_batch(tag, state, coupling, ext, global_params, node_params, dxdt, out_row, weight):
    """Batch form of :func:`node_drift_observe` (optional): also adds ``weight`` times each output
    of region i of element b to ``out_row[:, i, b]``."""
    raise NotImplementedError("node_drift_observe_batch is implemented per model through numba's overload")


def _no_drift_batch(tag, state, coupling, ext, global_params, node_params, dxdt):
    pass  # never called: the loop uses the scalar functions for models without a batch form


def _no_drift_observe_batch(tag, state, coupling, ext, global_params, node_params, dxdt, out_row, weight):
    pass  # never called, as _no_drift_batch


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
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: parameter '{self.name}' must be a number ({self.unit}), found {value!r}") from None
        low, high = self.bounds
        if not np.isfinite(array).all() or (array < low).any() or (array > high).any():
            unit = "" if self.unit in ("", "1") else f" {self.unit}"
            raise ConfigError(
                f"{where}: parameter '{self.name}' must lie in [{low}, {high}]{unit}, "
                f"found {np.array2string(np.atleast_1d(array), threshold=6)}"
            )
        return array


class NodeModel:
    """Base class; subclasses fill the class attributes and implement ``prepare``."""

    name: str = ""
    description: str = ""
    citation: str = ""
    state_variables: tuple = ()
    coupling_variables: tuple = ()  # state variables coupled directly, or names of exports
    exports_coupling: bool = False  # True: coupling_variables are computed by the export function
    output_variables: tuple = ()
    bold_variable: str = ""
    task_readout: str = ""  # the output tasks decode (e.g. a firing rate)
    #: outputs of two populations selective to the two alternatives of a task (intrinsic readout)
    choice_outputs: tuple = ()
    #: if set, the external input is a 0/1 gate and this parameter carries the signed stimulus
    #: strength in % (e.g. motion coherence); otherwise tasks inject currents (tasks.trials)
    stimulus_parameter: str | None = None
    #: largest integration step (ms) at which the model keeps its published behaviour; tasks and
    #: resting simulations split the configured step to it (:meth:`integration_step_ms`)
    max_dt_ms: float | None = None
    noise: ClassVar[dict] = {}  # state variable -> name of the parameter holding its noise amplitude
    state_bounds: ClassVar[dict] = {}  # state variable -> (low, high), enforced after every step
    time_unit_ms: float = 1.0
    parameters: tuple = ()
    default_dt_ms: float = 0.1
    tag = None  # set by register_node_functions: the numba dispatch key of this model
    has_batch_form: bool = False  # set by register_node_functions: batch-vectorised drift registered

    @classmethod
    def integration_step_ms(cls, configured_dt_ms: float) -> float:
        """The step to integrate with: ``configured_dt_ms``, divided into equal parts no longer
        than ``max_dt_ms`` if the model has one (so outputs can still be averaged per configured step)."""
        if cls.max_dt_ms is None or configured_dt_ms <= cls.max_dt_ms:
            return float(configured_dt_ms)
        return float(configured_dt_ms) / math.ceil(configured_dt_ms / cls.max_dt_ms - 1e-9)

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
    def parameter_rows(cls, params: dict[str, np.ndarray]) -> np.ndarray:
        """Resolved parameters as the kernel's ``global_params`` (P, B), rows in declaration order.

        A model may override it to change a row or to append rows derived from the parameters
        after them (``rww_ei`` appends reciprocals, so that its drift multiplies instead of dividing)."""
        return np.array([params[p.name] for p in cls.parameters])

    @classmethod
    def noisy_variables(cls) -> tuple:
        """State variables that receive noise, in the order of the integrator's noise slots."""
        return tuple(v for v in cls.state_variables if v in cls.noise)

    @classmethod
    def noise_amplitudes(cls, rows: np.ndarray, node_params: np.ndarray) -> np.ndarray:
        """Additive noise amplitude (per sqrt of the time unit) of every state variable, region
        and batch element, (n_state, N, B), from the kernel's ``global_params`` (P, B) and
        ``node_params`` (Q, N, B)."""
        n_regions = node_params.shape[1]
        names = [p.name for p in cls.parameters]
        amplitude = np.zeros((len(cls.state_variables), n_regions, rows.shape[1]))
        for v, variable in enumerate(cls.state_variables):
            if variable in cls.noise:
                amplitude[v] = rows[names.index(cls.noise[variable])][None, :]
        return amplitude

    @classmethod
    def state_limits(cls, node_params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bound of every state variable in every region, two (n_state, N) arrays."""
        n_regions = node_params.shape[1]
        bounds = np.array([cls.state_bounds.get(v, (-np.inf, np.inf)) for v in cls.state_variables], dtype=float)
        bounds = bounds.reshape(len(cls.state_variables), 2)
        return (np.repeat(bounds[:, :1], n_regions, axis=1), np.repeat(bounds[:, 1:], n_regions, axis=1))

    @classmethod
    def prepare(cls, params: dict[str, np.ndarray], weights: np.ndarray):
        """Model-specific kernel inputs from resolved parameters (name -> (B,) values).

        Returns ``(node_params, initial_state)`` with shapes (Q, N, B) and (n_state, N, B).
        """
        raise NotImplementedError


def register_node_functions(model_class, drift, observe, export=None, key: str = "", drift_observe=None,
                            drift_batch=None, drift_observe_batch=None):
    """Register ``model_class``'s drift, outputs and (optional) coupling export; set its ``tag``.

    ``drift``, ``observe``, ``export`` and ``drift_observe`` follow :func:`node_drift`,
    :func:`node_observe`, :func:`node_export` and :func:`node_drift_observe` and are
    compiled inline into the shared time loop. ``drift_batch`` and ``drift_observe_batch``
    (:func:`node_drift_batch`, :func:`node_drift_observe_batch`; both or neither) are the
    optional batch forms: with them the loop steps the whole network in SIMD code across the
    batch (:mod:`fwbm_bench.simulate.network_step`), several times faster per simulation. numba caches compiled functions on disk by
    argument types, and a function passed as an argument is typed by its object identity,
    so it could never be found again by a new process. Instead the loop receives a *tag*:
    a one-element array whose NumPy record dtype has a single field named after the model
    and a hash of its source file. The loop is cached per tag type, so an edited model never
    reuses a stale compiled loop. A record type is stored in numba's cache index by value,
    so a process that lacks some model (an uninstalled plugin, a test model) can still read
    the index: a tag class defined in a module would have to be importable for that.
    ``key`` is appended to the field name: classes built by a factory from one source file
    (models.hybrid) pass what distinguishes them.
    """
    if (drift_batch is None) != (drift_observe_batch is None):
        raise TypeError(f"{model_class.__name__}: give both drift_batch and drift_observe_batch, or neither")
    try:
        digest = hashlib.sha256(Path(inspect.getsourcefile(model_class)).read_bytes()).hexdigest()[:10]
        options = {"cache": True}
    except (OSError, TypeError):  # defined interactively: no file to cache against, never reuse
        digest = uuid.uuid4().hex[:10]
        options = {}
    field = f"{model_class.__module__.replace('.', '_')}_{model_class.__name__}_{digest}{key}"

    def _is_mine(tag):
        return (isinstance(tag, types.Array) and isinstance(tag.dtype, types.Record)
                and list(tag.dtype.fields) == [field])

    @overload(node_drift, jit_options=options, inline="always")
    def _drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
        return drift if _is_mine(tag) else None

    @overload(node_observe, jit_options=options, inline="always")
    def _observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
        return observe if _is_mine(tag) else None

    @overload(node_drift_observe, jit_options=options, inline="always")
    def _drift_observe(tag, x, i, b, coupling, ext, global_params, node_params, dxdt, out_row, weight):
        return (drift_observe or _observe_then_drift) if _is_mine(tag) else None

    @overload(node_export, jit_options=options, inline="always")
    def _export(tag, x, i, b, global_params, node_params, slot):
        return (export or _no_export) if _is_mine(tag) else None

    @overload(node_drift_batch, jit_options=options, inline="always")
    def _drift_batch(tag, state, coupling, ext, global_params, node_params, dxdt):
        return (drift_batch or _no_drift_batch) if _is_mine(tag) else None

    @overload(node_drift_observe_batch, jit_options=options, inline="always")
    def _drift_observe_batch(tag, state, coupling, ext, global_params, node_params, dxdt, out_row, weight):
        return (drift_observe_batch or _no_drift_observe_batch) if _is_mine(tag) else None

    model_class.exports_coupling = export is not None
    model_class.has_batch_form = drift_batch is not None

    model_class.tag = np.zeros(1, dtype=np.dtype([(field, np.uint8)]))
    return model_class
