"""The conformance kit: the checks every built-in model, task, metric and entry passes.

Plugin authors call them in their own tests::

    from fwbm_bench.testing import check_node_model
    from my_plugin import MontbrioPazoRoxin

    def test_conformance():
        check_node_model(MontbrioPazoRoxin)

Each check raises :class:`ConformanceError` (an ``AssertionError``, so pytest reports it as a
failed test) whose message names the object and the violated rule; if everything holds it
returns (``check_task`` returns the task's result, for the task's own further checks). The checks run small, fast computations on a 3-region network (models), on
hcp-101309 (tasks, metrics) or on nothing at all (entries).
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import numpy as np

from fwbm_bench._numba import njit
from fwbm_bench.entries import Entry
from fwbm_bench.errors import ConfigError, FwbmError
from fwbm_bench.metrics import Metric, RestObservables, functional_connectivity
from fwbm_bench.models.base import (
    NodeModel,
    Parameter,
    node_drift,
    node_drift_batch,
    node_drift_observe,
    node_drift_observe_batch,
    node_observe,
)
from fwbm_bench.simulate import simulate

__all__ = ["ConformanceError", "check_entry", "check_metric", "check_node_model", "check_task", "scalar_path"]

#: a small network every model check runs on: 3 regions, 20 mm tracts
_WEIGHTS = np.array([[0.0, 1.0, 0.5], [1.0, 0.0, 0.2], [0.5, 0.2, 0.0]])
_LENGTHS_MM = np.full((3, 3), 20.0)


class ConformanceError(AssertionError):
    """An object breaks the contract of its kind; the message names it and the rule."""


def _require(condition, who: str, rule: str) -> None:
    if not condition:
        raise ConformanceError(f"{who}: {rule}")


def _nonempty_string(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


@njit
def _drift_and_outputs(tag, x, coupling, ext, global_params, node_params, n_outputs, combined):
    """(drift, outputs) of region 1, batch element 0: by the combined call or the two separate ones."""
    dxdt, out_row = np.zeros(x.shape[0]), np.zeros((n_outputs, coupling.shape[1], 1))
    if combined:
        node_drift_observe(tag, x, 1, 0, coupling, ext, global_params, node_params, dxdt, out_row, 0.5)
    else:
        node_observe(tag, x, 1, 0, coupling, ext, global_params, node_params, out_row, 0.5)
        node_drift(tag, x, 1, 0, coupling, ext, global_params, node_params, dxdt)
    return dxdt, out_row[:, 1, 0]


@njit
def _scalar_and_batch_forms(tag, state, coupling, ext, global_params, node_params, n_outputs):
    """Drift and outputs of every region and element (n_state or n_outputs, N, B), by the scalar
    functions and by the batch forms: (scalar drift, scalar outputs, batch drift, batch drift
    from node_drift_batch, batch outputs)."""
    n_state, n_regions, batch = state.shape
    scalar_drift, batch_drift, batch_drift_only = (np.zeros(state.shape), np.zeros(state.shape),
                                                   np.zeros(state.shape))
    scalar_out, batch_out = np.zeros((n_outputs, n_regions, batch)), np.zeros((n_outputs, n_regions, batch))
    x, dxdt = np.empty(n_state), np.empty(n_state)
    for i in range(n_regions):
        for b in range(batch):
            x[:] = state[:, i, b]
            node_drift_observe(tag, x, i, b, coupling, ext, global_params, node_params, dxdt, scalar_out, 0.5)
            scalar_drift[:, i, b] = dxdt
    node_drift_observe_batch(tag, state, coupling, ext, global_params, node_params, batch_drift, batch_out, 0.5)
    node_drift_batch(tag, state, coupling, ext, global_params, node_params, batch_drift_only)
    return scalar_drift, scalar_out, batch_drift, batch_drift_only, batch_out


def _check_batch_forms(model, who, state, coupling, ext, rows, node_params) -> None:
    """The batch forms give the scalar forms' values to the last bit (both loop paths are used)."""
    results = _scalar_and_batch_forms(model.tag, state, coupling, ext, rows, node_params,
                                      len(model.output_variables))
    scalar_drift, scalar_out, batch_drift, batch_drift_only, batch_out = results
    for name, batch_value, scalar_value in (("node_drift_observe_batch's drift", batch_drift, scalar_drift),
                                            ("node_drift_batch", batch_drift_only, scalar_drift),
                                            ("node_drift_observe_batch's outputs", batch_out, scalar_out)):
        differs = np.argwhere(~((batch_value == scalar_value) | (np.isnan(batch_value) & np.isnan(scalar_value))))
        if len(differs):
            v, i, b = differs[0]
            raise ConformanceError(
                f"{who}: {name} gives {batch_value[v, i, b]!r} for variable {v} of region {i}, batch element {b}, "
                f"the scalar form {scalar_value[v, i, b]!r}; the batch forms must compute the same expressions "
                f"in the same order (bit-identical results)")


def _check_model_metadata(model, who: str) -> None:
    for attribute in ("name", "description", "citation"):
        _require(_nonempty_string(getattr(model, attribute, None)), who, f"needs a non-empty string '{attribute}'")
    states = model.state_variables
    _require(isinstance(states, tuple) and states and all(_nonempty_string(v) for v in states), who,
             f"state_variables must be a non-empty tuple of names, found {states!r}")
    _require(len(set(states)) == len(states), who, f"state_variables repeat a name: {states!r}")
    _require(model.coupling_variables, who, "coupling_variables is empty (what do other regions receive?)")
    if not model.exports_coupling:
        _require(set(model.coupling_variables) <= set(states), who,
                 f"coupling_variables {model.coupling_variables!r} are not state variables {states!r} "
                 f"(register an export function to couple computed quantities)")
    outputs = model.output_variables
    _require(isinstance(outputs, tuple) and outputs, who, f"output_variables must be a non-empty tuple, found {outputs!r}")
    _require(model.bold_variable in outputs, who,
             f"bold_variable {model.bold_variable!r} is not one of the output_variables {outputs!r}")
    _require(model.task_readout in outputs, who,
             f"task_readout {model.task_readout!r} is not one of the output_variables {outputs!r}")
    _require(set(model.choice_outputs) <= set(outputs), who,
             f"choice_outputs {model.choice_outputs!r} are not all output_variables {outputs!r}")
    external = getattr(model, "run_external", None) is not None  # an adapter: another simulator integrates
    _require(external or model.tag is not None, who,
             "its drift and outputs are not registered (call register_node_functions)")
    _require(set(model.noise) <= set(states), who, f"noise names unknown state variables: {sorted(set(model.noise) - set(states))}")
    _require(set(model.state_bounds) <= set(states), who,
             f"state_bounds names unknown state variables: {sorted(set(model.state_bounds) - set(states))}")
    _require(isinstance(model.time_unit_ms, (int, float)) and model.time_unit_ms > 0, who,
             f"time_unit_ms must be a positive number, found {model.time_unit_ms!r}")
    names = []
    for parameter in model.parameters:
        _require(isinstance(parameter, Parameter), who,
                 f"parameters must be fwbm_bench.models.base.Parameter objects, found {parameter!r}")
        about = f"parameter '{parameter.name}'"
        for attribute in ("unit", "description", "citation"):
            _require(_nonempty_string(getattr(parameter, attribute)), who, f"{about} has no {attribute}")
        low, high = parameter.bounds
        _require(low <= parameter.default <= high, who,
                 f"{about}: default {parameter.default} lies outside its bounds [{low}, {high}]")
        names.append(parameter.name)
    _require(len(set(names)) == len(names), who, f"parameter names repeat: {names!r}")
    for variable, parameter in model.noise.items():
        _require(parameter in names, who, f"noise on '{variable}' names '{parameter}', which is not a parameter")


def check_node_model(model) -> None:
    """A :class:`~fwbm_bench.models.base.NodeModel` subclass keeps the node-model contract.

    Metadata (names, parameters with unit, bounds around the default, description and
    citation), clear errors for unknown and out-of-bounds parameters, ``prepare`` shapes, a
    finite right-hand side at the initial state, the combined drift+outputs function equal
    to the separate ones, and a finite 50 ms simulation of a delayed 3-region network.
    """
    who = f"node model {getattr(model, 'name', model)!r}"
    _require(isinstance(model, type) and issubclass(model, NodeModel), who,
             "must be a subclass of fwbm_bench.models.base.NodeModel")
    _check_model_metadata(model, who)
    try:
        model.resolve({"no_such_parameter": 1.0}, 1)
    except ConfigError as error:
        _require("no parameter 'no_such_parameter'" in str(error), who,
                 f"an unknown parameter must be named in the error, got: {error}")
    else:
        raise ConformanceError(f"{who}: resolve accepted an unknown parameter 'no_such_parameter'")
    if model.parameters:
        first = model.parameters[0]
        try:
            model.resolve({first.name: first.bounds[1] + 1.0}, 1)
        except ConfigError:
            pass
        else:
            raise ConformanceError(f"{who}: resolve accepted '{first.name}' above its upper bound")
    batch, n_regions, n_state = 2, _WEIGHTS.shape[0], len(model.state_variables)
    if getattr(model, "run_external", None) is None:
        _check_numba_functions(model, who, batch, n_regions, n_state)
    try:
        out = simulate(model, _WEIGHTS, _LENGTHS_MM, {}, duration_ms=50.0, seeds=[1, 2], output_period_ms=1.0,
                       label=f"conformance of {who}")
    except FwbmError as error:
        raise ConformanceError(f"{who}: a 50 ms simulation of 3 regions failed: {error}") from error
    _require(out.shape == (50, len(model.output_variables), n_regions, batch), who,
             f"outputs of shape {out.shape}, expected (50, {len(model.output_variables)}, {n_regions}, {batch})")
    _require(np.isfinite(out).all(), who, "a 50 ms simulation of 3 regions gave non-finite outputs")
    if model.has_batch_form and getattr(model, "run_external", None) is None:
        _check_batch_path_simulates_as_scalar_path(model, who)


@contextmanager
def scalar_path(model):
    """Within the block, ``model`` is simulated through its scalar functions even if it has batch forms."""
    own_flag = "has_batch_form" in vars(model)
    saved = model.has_batch_form
    model.has_batch_form = False
    try:
        yield model
    finally:
        if own_flag:
            model.has_batch_form = saved
        else:
            del model.has_batch_form


def _check_batch_path_simulates_as_scalar_path(model, who: str) -> None:
    """A single simulation (its regions presented as one row) and a batch of 2 give the same
    outputs, to the last bit, through the batch forms and through the scalar functions."""
    for seeds in ([1], [1, 2]):
        settings = {"duration_ms": 20.0, "seeds": seeds, "output_period_ms": 1.0, "label": f"conformance of {who}"}
        vectorised = simulate(model, _WEIGHTS, _LENGTHS_MM, {}, **settings)
        with scalar_path(model):
            scalar = simulate(model, _WEIGHTS, _LENGTHS_MM, {}, **settings)
        _require(np.array_equal(vectorised, scalar, equal_nan=True), who,
                 f"a simulation of batch {len(seeds)} gives other outputs through the batch forms than through the "
                 f"scalar functions (largest difference {np.nanmax(np.abs(vectorised - scalar)):.3g}); with one "
                 f"the batch forms see rows of several regions side by side (node_drift_batch): index only the "
                 f"arrays given")


def _check_numba_functions(model, who: str, batch: int, n_regions: int, n_state: int) -> None:
    """``prepare``'s shapes, a finite right-hand side, and the combined function equal to the separate ones."""
    resolved = model.resolve({}, batch)
    prepared = model.prepare(resolved, _WEIGHTS)
    _require(isinstance(prepared, tuple) and len(prepared) == 2, who,
             "prepare must return (node_params, initial_state)")
    node_params, state = (np.asarray(a) for a in prepared)
    _require(node_params.ndim == 3 and node_params.shape[1:] == (n_regions, batch), who,
             f"prepare's node_params must have shape (Q, {n_regions}, {batch}), found {node_params.shape}")
    _require(state.shape == (n_state, n_regions, batch), who,
             f"prepare's initial state must have shape (n_state, N, B) = ({n_state}, {n_regions}, {batch}), "
             f"found {state.shape}")
    _require(np.isfinite(state).all(), who, "prepare's initial state is not finite")
    rows = model.parameter_rows(resolved)
    n_couplings = len(model.coupling_variables) * 2  # selective models read more rows than they export
    rng = np.random.default_rng(0)
    coupling = rng.random((n_couplings, n_regions, 1))
    x = np.ascontiguousarray(state[:, 1, 0] + 0.05 * rng.random(n_state))
    args = (model.tag, x, coupling, np.full((n_regions, 1), 0.01), np.ascontiguousarray(rows[:, :1]),
            np.ascontiguousarray(node_params[..., :1]), len(model.output_variables))
    separate, combined = _drift_and_outputs(*args, False), _drift_and_outputs(*args, True)
    for v, value in enumerate(separate[0]):
        _require(np.isfinite(value), who, f"the right-hand side of '{model.state_variables[v]}' is {value} "
                                          f"at the initial state")
    _require(np.allclose(combined[0], separate[0], rtol=1e-12, atol=0)
             and np.allclose(combined[1], separate[1], rtol=1e-12, atol=0), who,
             "the combined drift+outputs function gives other values than node_drift and node_observe")
    if model.has_batch_form:
        state_batch = np.ascontiguousarray(state + 0.05 * rng.random(state.shape))
        coupling_batch = rng.random((n_couplings, n_regions, batch))
        ext_batch = rng.uniform(0.0, 0.02, (n_regions, batch))
        _check_batch_forms(model, who, state_batch, coupling_batch, ext_batch, np.ascontiguousarray(rows),
                           np.ascontiguousarray(node_params))


def check_entry(entry) -> None:
    """An :class:`~fwbm_bench.entries.Entry` names a registered model (or baseline) and valid parameters."""
    who = f"entry {getattr(entry, 'name', entry)!r}"
    _require(isinstance(entry, Entry), who, "must be a fwbm_bench.entries.Entry")
    _require(_nonempty_string(entry.name) and " " not in entry.name and "/" not in entry.name, who,
             "needs a name without spaces or slashes (it becomes a file name and a Snakemake wildcard)")
    _require(_nonempty_string(entry.description), who, "needs a description")
    try:
        entry.validate(f"entry '{entry.name}'")
    except ConfigError as error:
        raise ConformanceError(f"{who}: {error}") from error


def check_metric(metric, empirical_halves=None) -> None:
    """A rest :class:`~fwbm_bench.metrics.Metric`: identical observables give 1, the two
    empirical halves of a subject a value in (0, 1), and noise less than the halves do.

    ``empirical_halves``: two :class:`RestObservables` of one subject's preprocessed BOLD
    halves; by default hcp-101309's.
    """
    from fwbm_bench.observables import preprocess_bold

    who = f"metric {getattr(metric, 'name', metric)!r}"
    _require(isinstance(metric, Metric), who, "must be a fwbm_bench.metrics.Metric")
    for attribute in ("name", "description", "citation"):
        _require(_nonempty_string(getattr(metric, attribute)), who, f"needs a non-empty '{attribute}'")
    _require(metric.criterion in ("C1", "C2", "C3", "C4"), who, f"criterion must be C1-C4, found {metric.criterion!r}")
    if empirical_halves is None:
        from fwbm_bench.data import load_subject

        subject = load_subject("hcp-101309")
        empirical_halves = [RestObservables(fc=functional_connectivity(c), bold=c, tr_s=subject.tr_s, sc=subject.weights)
                            for c in (preprocess_bold(half, subject.tr_s) for half in subject.bold_halves())]
    first, second = empirical_halves
    same = metric.compute(first, first, {})
    _require(np.isclose(same, 1.0), who, f"identical observables must score 1, found {same}")
    split_half = metric.compute(first, second, {})
    _require(0.0 < split_half < 1.0, who, f"the two halves of one subject must score in (0, 1), found {split_half}")
    noise = np.random.default_rng(0).standard_normal(np.shape(first.bold))
    # raw white noise, and the same noise through the pipeline's own preprocessing (as a model's BOLD
    # would be): band-passed noise shares the filter's spectral shape with real BOLD, the harder case
    for what, series in (("white noise", noise), ("preprocessed white noise", preprocess_bold(noise, first.tr_s))):
        value = metric.compute(RestObservables(fc=functional_connectivity(series), bold=series, tr_s=first.tr_s),
                               second, {})
        _require(value < split_half, who, f"{what} scores {value}, not below the split-half value {split_half}")


def check_task(task_class, settings: dict | None = None, model: str = "rww_ei", params: dict | None = None) -> dict:
    """A task class: metadata, benchmarks, a JSON-storable result holding every score its
    benchmarks read, and a clear error for unknown settings. Runs ``task_class(**settings)``
    with ``model`` at ``params`` (default G = 0.3) on hcp-101309's empirical connectome and
    returns its result, for the task's own further checks."""
    from fwbm_bench.connectome import build_connectome
    from fwbm_bench.data import load_subject
    from fwbm_bench.models import get_model
    from fwbm_bench.scoring import task_benchmarks

    who = f"task {getattr(task_class, 'name', task_class)!r}"
    _require(isinstance(task_class, type) and callable(getattr(task_class, "run", None)), who,
             "must be a class with a run(model, connectome, params, *, seed_parts, dt_ms, "
             "conduction_speed_m_per_s) method")
    task = task_class(**(settings or {}))
    for attribute in ("name", "description", "citation"):
        _require(_nonempty_string(getattr(task, attribute, None)), who, f"needs a non-empty '{attribute}'")
    try:
        benchmarks = task_benchmarks(task.name, task_class)
    except ConfigError as error:
        raise ConformanceError(f"{who}: {error}") from error
    connectome = build_connectome(load_subject("hcp-101309"), "empirical")
    result = task.run(get_model(model), connectome, params or {"G": 0.3}, seed_parts=("conformance",), dt_ms=1.0,
                      conduction_speed_m_per_s=10.0)
    for benchmark in benchmarks:
        _require(benchmark.criterion == "C3", who, f"benchmark '{benchmark.identifier}' must score criterion C3")
        value = result.get("scores", {}).get(benchmark.metric)
        _require(value is not None and np.isfinite(value), who,
                 f"result['scores'] lacks a finite '{benchmark.metric}' (read by benchmark '{benchmark.identifier}')")
    for name, curve in result.get("curves", {}).items():
        _require(len(curve["coords"]) == len(curve["values"]), who, f"curve '{name}': coords and values differ in length")
    try:
        json.dumps(result)
    except TypeError as error:
        raise ConformanceError(f"{who}: the result is not JSON-serialisable ({error})") from error
    try:
        task_class(no_such_setting=1)
    except TypeError:
        pass  # get_task turns this into a ConfigError naming the task
    else:
        raise ConformanceError(f"{who}: accepted an unknown setting 'no_such_setting'")
    return result
