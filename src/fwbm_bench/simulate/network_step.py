"""One step of the whole network through a model's batch forms: the SIMD path of the time loop.

:func:`fwbm_bench.simulate.kernel.integrate_chunk` takes a step one region and one batch
element at a time through the model's scalar functions, unless the model also registered
batch forms (``models.base.node_drift_batch``). Then each step runs here in two passes over
every region and element, after the step's normals (``random.fill_step_normals``, shared with
the scalar path): the model's drift and outputs, then the update. Both are loops whose
innermost index runs over contiguous memory (batch elements, or regions and elements), which
LLVM turns into SIMD code.
The passes run once per step, not once per region, inlined into the time loop, on array views
made once per chunk: numba reference-counts every array handed to a function, and a reshape
is a runtime call; per step, these cost a single simulation a third of its time.

Bit-identical to the scalar path: the same expressions in the same order per element, on the
same normals (both paths draw a step's normals with the one call).
"""

from __future__ import annotations

import numpy as np

from fwbm_bench._numba import njit
from fwbm_bench.models.base import node_drift_batch, node_drift_observe_batch
from fwbm_bench.simulate.primitives import HEUN, clip


@njit
def network_work(n_state, n_regions, batch, lower, upper, global_params):
    """Scratch arrays of :func:`network_step` for (n_state, N, B); B = 0 gives empty ones.

    Returns (predicted, drift, drift_predicted, kicks (n_state, N, B), lower, upper (n_state, N, B):
    the bounds broadcast over the batch, params_by_region (P, N): for B = 1, the parameters
    repeated for every region).
    """
    low = np.empty((n_state, n_regions, batch))
    high = np.empty((n_state, n_regions, batch))
    for v in range(n_state):
        for i in range(n_regions):
            for b in range(batch):
                low[v, i, b] = lower[v, i]
                high[v, i, b] = upper[v, i]
    n_params = global_params.shape[0]
    params_by_region = np.empty((n_params, n_regions if batch == 1 else 0))
    for p in range(n_params):
        for i in range(params_by_region.shape[1]):
            params_by_region[p, i] = global_params[p, 0]
    return (np.empty((n_state, n_regions, batch)), np.empty((n_state, n_regions, batch)),
            np.empty((n_state, n_regions, batch)), np.empty((n_state, n_regions, batch)), low, high,
            params_by_region)


@njit(inline="always")
def _regions_as_batch(array):
    """(..., N, 1) -> the same memory as (..., 1, N): a single simulation's regions as the batch axis."""
    shape = array.shape
    return array.reshape(shape[:-2] + (1, shape[-2]))


@njit(inline="always")
def _presented(state, coupling, ext, global_params, node_params, params_by_region):
    """The arrays as the model's batch forms see them: a single simulation (B = 1) with its
    regions as the batch axis, so that the model's innermost loop, and LLVM's vectors, run over
    regions; a batch unchanged."""
    if state.shape[2] == 1:
        return (_regions_as_batch(state), _regions_as_batch(coupling), ext.reshape(1, ext.shape[0]),
                params_by_region, _regions_as_batch(node_params))
    return state, coupling, ext, global_params, node_params


@njit
def network_views(state, coupling, ext, global_params, node_params, normals, kick_scale, colored, work):
    """The arrays of :func:`network_step` as it reads them, made once per chunk (a reshape inside
    the step would cost a runtime call per array and step): first as the model's batch forms see
    them (:func:`_presented`; state, coupling, ext, parameters, node parameters, drift, predicted
    state, predicted drift), then flat (n, N B) for the update loops (state, drift, predicted,
    kicks, predicted drift, noise scale, lower and upper bounds, normals, coloured noise).
    ``work`` comes from :func:`network_work`; the other arguments are integrate_chunk's.
    """
    predicted, drift, drift_predicted, kicks, lower, upper, params_by_region = work
    n_state, n_regions, batch = state.shape
    size = n_regions * batch
    single = batch == 1
    seen_state, seen_coupling, seen_ext, seen_params, seen_node_params = _presented(
        state, coupling, ext, global_params, node_params, params_by_region)
    return (seen_state, seen_coupling, seen_ext, seen_params, seen_node_params,
            _regions_as_batch(drift) if single else drift, _regions_as_batch(predicted) if single else predicted,
            _regions_as_batch(drift_predicted) if single else drift_predicted,
            state.reshape(n_state, size), drift.reshape(n_state, size), predicted.reshape(n_state, size),
            kicks.reshape(n_state, size), drift_predicted.reshape(n_state, size), kick_scale.reshape(n_state, size),
            lower.reshape(n_state, size), upper.reshape(n_state, size), normals.reshape(normals.shape[0], size),
            colored.reshape(colored.shape[0], size))


@njit(inline="always")
def network_step(tag, scheme, h, views, noise_slot, white, noise_decay, noise_scale, bounded, out_row, weight):
    """Advance the state (n_state, N, B) by one step of size ``h`` (model time units) in place.

    ``views`` comes from :func:`network_views` (the step's normals already drawn into them); the
    other arguments are those of :func:`fwbm_bench.simulate.kernel.integrate_chunk`, whose
    docstring gives the scheme and the noise. Inlined into the time loop: as a call, its ~20
    array arguments cost numba's atomic reference counting on every step.
    """
    (seen_state, seen_coupling, seen_ext, seen_params, seen_node_params, seen_drift, seen_predicted,
     seen_drift_predicted, flat_state, flat_drift, flat_predicted, flat_kicks, flat_drift_predicted, flat_scale,
     flat_lower, flat_upper, flat_normals, flat_colored) = views
    n_state, size = flat_state.shape
    node_drift_observe_batch(tag, seen_state, seen_coupling, seen_ext, seen_params, seen_node_params, seen_drift,
                             _regions_as_batch(out_row) if out_row.shape[2] == 1 else out_row, weight)
    heun = scheme == HEUN
    first_stage = flat_predicted if heun else flat_state  # Euler: the first stage is the step
    for v in range(n_state):
        slot = noise_slot[v]
        if slot >= 0 and white:
            for k in range(size):
                flat_kicks[v, k] = flat_scale[v, k] * flat_normals[slot, k]
        elif slot >= 0:
            for k in range(size):
                flat_kicks[v, k] = flat_scale[v, k] * flat_colored[slot, k]
                flat_colored[slot, k] = flat_colored[slot, k] * noise_decay + noise_scale * flat_normals[slot, k]
        else:
            for k in range(size):
                flat_kicks[v, k] = 0.0
        for k in range(size):
            value = flat_state[v, k] + h * flat_drift[v, k] + flat_kicks[v, k]
            if bounded:
                value = clip(value, flat_lower[v, k], flat_upper[v, k])
            first_stage[v, k] = value
    if heun:
        node_drift_batch(tag, seen_predicted, seen_coupling, seen_ext, seen_params, seen_node_params,
                         seen_drift_predicted)
        for v in range(n_state):
            for k in range(size):
                value = flat_state[v, k] + 0.5 * h * (flat_drift[v, k] + flat_drift_predicted[v, k]) + flat_kicks[v, k]
                if bounded:
                    value = clip(value, flat_lower[v, k], flat_upper[v, k])
                flat_state[v, k] = value
