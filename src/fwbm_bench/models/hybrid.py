"""Hybrid networks: a different node model in different regions.

``hybrid_model(components)`` builds a :class:`NodeModel` whose regions each run one of the
``components`` (registered models); which one is a per-region choice given
to ``prepare`` through the parameter ``region_model`` (one component index per region, see
:func:`region_assignment`). The typical use is the selective decision circuit
(``ww2006_selective``) in decision regions and the reduced Wong-Wang E-I mean field
(``rww_ei``) elsewhere, as in the multi-area decision models of Mejias & Wang (2022).

Conventions, so that regions of different models can be coupled:

- Parameters are namespaced ``"<component>.<parameter>"`` and keep their units, bounds and
  citations; each region's dynamics reads only its component's parameters.
- State: the hybrid has as many state variables as the largest component; a region uses the
  first ones and leaves the rest at zero (no drift, no noise).
- Coupling channels: the hybrid has C = the largest component's number of coupling
  quantities; every component must have C or 1. A one-channel region sends its quantity on
  every channel and receives the mean of the channels: a non-selective area projects
  equally onto both selective pools and hears their mean activity. All components must
  share the time unit, and their coupled quantities should be comparable (e.g. NMDA gating
  variables S in [0, 1]).
- Outputs: ``bold_drive`` and ``readout`` (each region's ``bold_variable`` and
  ``task_readout``), then every component's own outputs as ``"<component>.<output>"``,
  zero in the regions of other components.
"""

from __future__ import annotations

import functools
import hashlib

import numpy as np

from fwbm_bench._numba import njit
from fwbm_bench.errors import ConfigError
from fwbm_bench.models.base import NodeModel, Parameter, node_drift, node_export, node_observe, register_node_functions

_ASSIGNMENT = "region_model"


def region_assignment(labels, component_regions: dict[str, list[str]], components, default: str) -> np.ndarray:
    """Component index per region from ``{component name: [region labels]}`` and a default."""
    names = [c.name for c in components]
    for name in [default, *component_regions]:
        if name not in names:
            raise ConfigError(f"hybrid: '{name}' is not one of its components ({', '.join(names)})")
    assignment = np.full(len(labels), names.index(default), dtype=float)
    for name, regions in component_regions.items():
        unknown = sorted(set(regions) - set(labels))
        if unknown:
            raise ConfigError(f"hybrid: regions {unknown} for '{name}' are not in the connectome's labels")
        assignment[[list(labels).index(r) for r in regions]] = names.index(name)
    return assignment


def _channel_adapter(n_channels, component_channels):
    """numba helpers for one component: read its coupling from, and write its export into, the hybrid's channels."""
    pooled = component_channels == 1 and n_channels > 1

    @njit
    def enter(coupling, i, b):
        """Replace channel 0 of region i by the channel mean (pooled input); return the old value."""
        saved = coupling[0, i, b]
        if pooled:
            total = 0.0
            for c in range(coupling.shape[0]):
                total += coupling[c, i, b]
            coupling[0, i, b] = total / coupling.shape[0]
        return saved

    @njit
    def leave(coupling, i, b, saved):
        coupling[0, i, b] = saved

    @njit
    def spread(slot, i, b):
        if pooled:
            for c in range(1, slot.shape[0]):
                slot[c, i, b] = slot[0, i, b]

    return enter, leave, spread


def _component_calls(index, component, offsets, n_channels, then):
    """numba functions dispatching region i to ``component`` if its index matches, else to ``then``."""
    tag = component.tag.copy()
    p0, p1, q0, q1, o0, o1 = offsets
    n_state = len(component.state_variables)
    bold_row = component.output_variables.index(component.bold_variable)
    readout_row = component.output_variables.index(component.task_readout)
    enter, leave, spread = _channel_adapter(n_channels, len(component.coupling_variables))
    exports = component.exports_coupling
    coupled = np.array([component.state_variables.index(v) for v in component.coupling_variables]
                       if not exports else [0], dtype=np.int64)
    next_drift, next_observe, next_export = then

    @njit
    def drift(k, x, i, b, coupling, ext, global_params, node_params, dxdt):
        if k != index:
            next_drift(k, x, i, b, coupling, ext, global_params, node_params, dxdt)
            return
        saved = enter(coupling, i, b)
        node_drift(tag, x, i, b, coupling, ext, global_params[p0:p1], node_params[q0:q1], dxdt)
        leave(coupling, i, b, saved)
        for v in range(n_state, dxdt.shape[0]):
            dxdt[v] = 0.0

    @njit
    def observe(k, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
        if k != index:
            next_observe(k, x, i, b, coupling, ext, global_params, node_params, out_row, weight)
            return
        before_bold = out_row[o0 + bold_row, i, b]
        before_readout = out_row[o0 + readout_row, i, b]
        saved = enter(coupling, i, b)
        node_observe(tag, x, i, b, coupling, ext, global_params[p0:p1], node_params[q0:q1], out_row[o0:o1], weight)
        leave(coupling, i, b, saved)
        out_row[0, i, b] += out_row[o0 + bold_row, i, b] - before_bold
        out_row[1, i, b] += out_row[o0 + readout_row, i, b] - before_readout

    @njit
    def export(k, x, i, b, global_params, node_params, slot):
        if k != index:
            next_export(k, x, i, b, global_params, node_params, slot)
            return
        if exports:
            node_export(tag, x, i, b, global_params[p0:p1], node_params[q0:q1], slot)
        else:
            for c in range(coupled.shape[0]):
                slot[c, i, b] = x[coupled[c]]
        spread(slot, i, b)

    return drift, observe, export


@njit
def _no_drift(k, x, i, b, coupling, ext, global_params, node_params, dxdt):
    pass


@njit
def _no_observe(k, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
    pass


@njit
def _no_export(k, x, i, b, global_params, node_params, slot):
    pass


class HybridModel(NodeModel):
    """Base of the classes :func:`hybrid_model` builds; ``components`` and the offsets are set there."""

    components: tuple = ()
    parameter_offsets: tuple = ()  # start row of each component in global_params, plus the end
    node_offsets: tuple = ()  # start row of each component in node_params (row 0: the assignment)

    @classmethod
    def _split(cls, params: dict) -> list[dict]:
        return [{p.name: params[f"{c.name}.{p.name}"] for p in c.parameters} for c in cls.components]

    @classmethod
    def parameter_rows(cls, params):
        return np.concatenate([c.parameter_rows(sub) for c, sub in zip(cls.components, cls._split(params))])

    @classmethod
    def _component_arrays(cls, rows, node_params):
        """Per component: its index, its parameter rows, its node_params and its regions (mask)."""
        assignment = node_params[0, :, 0]
        for k, component in enumerate(cls.components):
            yield (k, component, rows[cls.parameter_offsets[k]:cls.parameter_offsets[k + 1]],
                   node_params[cls.node_offsets[k]:cls.node_offsets[k + 1]], assignment == k)

    @classmethod
    def resolve(cls, values: dict, batch_size: int, where: str = "") -> dict:
        values = dict(values)
        if _ASSIGNMENT not in values:
            raise ConfigError(f"{where or cls.name}: a hybrid model needs '{_ASSIGNMENT}', the component "
                              f"index (0..{len(cls.components) - 1}) of every region")
        assignment = np.asarray(values.pop(_ASSIGNMENT), dtype=float)
        if assignment.ndim != 1 or not np.isin(assignment, np.arange(len(cls.components))).all():
            raise ConfigError(f"{where or cls.name}: '{_ASSIGNMENT}' must be one component index "
                              f"(0..{len(cls.components) - 1}) per region, found {assignment!r}")
        resolved = super().resolve(values, batch_size, where)
        resolved[_ASSIGNMENT] = assignment
        return resolved

    @classmethod
    def prepare(cls, params, weights):
        n_regions = weights.shape[0]
        assignment = params[_ASSIGNMENT]
        if assignment.shape != (n_regions,):
            raise ConfigError(f"{cls.name}: '{_ASSIGNMENT}' has {assignment.size} entries for {n_regions} regions")
        batch = len(next(v for k, v in params.items() if k != _ASSIGNMENT))
        n_state = len(cls.state_variables)
        node_rows = [np.repeat(assignment[None, :, None], batch, axis=2)]
        initial = np.zeros((n_state, n_regions, batch))
        for k, (component, sub) in enumerate(zip(cls.components, cls._split(params))):
            node_params, state = component.prepare(sub, weights)
            node_rows.append(node_params)
            mine = assignment == k
            initial[:state.shape[0], mine] = state[:, mine]
        return np.concatenate(node_rows), initial

    @classmethod
    def noisy_variables(cls):
        noisy = {v for c in cls.components for v, name in enumerate(c.state_variables) if name in c.noise}
        return tuple(cls.state_variables[v] for v in sorted(noisy))

    @classmethod
    def noise_amplitudes(cls, rows, node_params):
        amplitude = np.zeros((len(cls.state_variables),) + node_params.shape[1:])
        for _, component, component_rows, component_nodes, mine in cls._component_arrays(rows, node_params):
            own = component.noise_amplitudes(component_rows, component_nodes)
            amplitude[:own.shape[0], mine] = own[:, mine]
        return amplitude

    @classmethod
    def state_limits(cls, node_params):
        shape = (len(cls.state_variables), node_params.shape[1])
        lower, upper = np.full(shape, -np.inf), np.full(shape, np.inf)
        for _, component, _, component_nodes, mine in cls._component_arrays(np.zeros((0, 1)), node_params):
            own_lower, own_upper = component.state_limits(component_nodes)
            lower[:own_lower.shape[0], mine] = own_lower[:, mine]
            upper[:own_upper.shape[0], mine] = own_upper[:, mine]
        return lower, upper


@functools.cache
def hybrid_model(components: tuple) -> type:
    """The hybrid of ``components``, a tuple of registered NodeModel classes; a region's model
    is found by walking a chain of numba functions, one per component, so keep the list short."""
    if not components:
        raise ConfigError("hybrid: needs at least one component model")
    if len({c.time_unit_ms for c in components}) != 1:
        raise ConfigError("hybrid: components must share the time unit, found "
                          + ", ".join(f"{c.name}: {c.time_unit_ms} ms" for c in components))
    n_channels = max(len(c.coupling_variables) for c in components)
    for component in components:
        if len(component.coupling_variables) not in (1, n_channels):
            raise ConfigError(f"hybrid: '{component.name}' couples {len(component.coupling_variables)} "
                              f"quantities; components must couple {n_channels} or 1")
    parameter_offsets, node_offsets, output_offsets = [0], [1], [2]
    weights = np.zeros((1, 1))
    for component in components:
        defaults = component.resolve({}, 1)
        parameter_offsets.append(parameter_offsets[-1] + component.parameter_rows(defaults).shape[0])
        node_params, _ = component.prepare(defaults, weights)
        node_offsets.append(node_offsets[-1] + node_params.shape[0])
        output_offsets.append(output_offsets[-1] + len(component.output_variables))
    calls = (_no_drift, _no_observe, _no_export)
    for k in reversed(range(len(components))):
        offsets = (parameter_offsets[k], parameter_offsets[k + 1], node_offsets[k], node_offsets[k + 1],
                   output_offsets[k], output_offsets[k + 1])
        calls = _component_calls(k, components[k], offsets, n_channels, calls)
    first_drift, first_observe, first_export = calls

    def _drift(tag, x, i, b, coupling, ext, global_params, node_params, dxdt):
        first_drift(int(node_params[0, i, 0]), x, i, b, coupling, ext, global_params, node_params, dxdt)

    def _observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight):
        first_observe(int(node_params[0, i, 0]), x, i, b, coupling, ext, global_params, node_params, out_row, weight)

    def _export(tag, x, i, b, global_params, node_params, slot):
        first_export(int(node_params[0, i, 0]), x, i, b, global_params, node_params, slot)

    names = "+".join(c.name for c in components)
    n_state = max(len(c.state_variables) for c in components)
    attributes = {
        "name": f"hybrid({names})",
        "description": f"per-region hybrid of {', '.join(c.name for c in components)}",
        "citation": "; ".join(dict.fromkeys(c.citation for c in components)),
        "components": components,
        "parameter_offsets": tuple(parameter_offsets),
        "node_offsets": tuple(node_offsets),
        "state_variables": tuple(f"x{v}" for v in range(n_state)),
        "coupling_variables": tuple(f"channel{c}" for c in range(n_channels)),
        "output_variables": ("bold_drive", "readout")
        + tuple(f"{c.name}.{o}" for c in components for o in c.output_variables),
        "output_units": ("1", "1") + tuple(u for c in components for u in getattr(c, "output_units", ("1",) * len(c.output_variables))),
        "bold_variable": "bold_drive",
        "task_readout": "readout",
        "noise": {},
        "state_bounds": {},
        "time_unit_ms": components[0].time_unit_ms,
        "default_dt_ms": min(c.default_dt_ms for c in components),
        "parameters": tuple(Parameter(f"{c.name}.{p.name}", p.default, p.unit, p.bounds, p.description, p.citation)
                         for c in components for p in c.parameters),
    }
    model = type(f"Hybrid_{'_'.join(c.__name__ for c in components)}", (HybridModel,), attributes)
    key = hashlib.sha256("".join(str(c.tag.dtype) for c in components).encode()).hexdigest()[:10]
    return register_node_functions(model, _drift, _observe, _export, key=key)
