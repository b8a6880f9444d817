"""One step of the whole network through a model's batch forms: the SIMD path of the time loop.

:func:`fwbm_bench.simulate.kernel.integrate_chunk` takes a step one region and one batch
element at a time through the model's scalar functions, unless the model also registered
batch forms (``models.base.node_drift_batch``). Then each step runs here in two passes over
every region and element, after the step's normals (``random.fill_step_normals``, shared with
the scalar path): the model's drift and outputs, then the update. Both are loops whose
innermost index runs over contiguous memory, which LLVM turns into SIMD code: the update over
all regions and elements, the model over rows of k regions times B elements
(:func:`regions_per_row`).
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
from fwbm_bench.simulate.primitives import HEUN, aligned_empty, clip

MIN_ROW_WIDTH = 128  # innermost trip count that keeps LLVM's vector loop in use (see regions_per_row)


@njit
def regions_per_row(n_regions, batch):
    """How many regions the batch forms see side by side in one row: the smallest divisor k of
    N with k B >= :data:`MIN_ROW_WIDTH` (N when there is none).

    LLVM guards a vectorised loop by runtime checks that its stores do not overlap its loads
    (numba cannot tell it that arrays are distinct) and skips the vector loop when the trip
    count is below a minimum that grows with the number of checks and falls with the work per
    element: for rWW-EI's ~20 arrays and parameter rows, 16 elements, and 24 once its
    polynomials used fused multiply-adds, so that a loop over B = 16 elements ran in scalar code,
    4 times slower. Rows of k regions times B elements put the trip count safely above that
    minimum; k divides N, so the rows are reshapes of the same memory.
    """
    for k in range(1, n_regions + 1):
        if n_regions % k == 0 and k * batch >= MIN_ROW_WIDTH:
            return k
    return n_regions


@njit
def network_work(n_state, n_regions, batch, lower, upper, global_params):
    """Scratch arrays of :func:`network_step` for (n_state, N, B); B = 0 gives empty ones.

    Returns (predicted, drift, drift_predicted, kicks (n_state, N, B), lower, upper (n_state, N, B):
    the bounds broadcast over the batch, params_by_column (P, k B): the parameters repeated for
    each of the k regions of a row, :func:`regions_per_row`).
    """
    shape = (n_state, n_regions, batch)
    low = aligned_empty(shape, np.float64)
    high = aligned_empty(shape, np.float64)
    for v in range(n_state):
        for i in range(n_regions):
            for b in range(batch):
                low[v, i, b] = lower[v, i]
                high[v, i, b] = upper[v, i]
    row_regions = regions_per_row(n_regions, batch)
    n_params = global_params.shape[0]
    params_by_column = aligned_empty((n_params, row_regions * batch), np.float64)
    for p in range(n_params):
        for i in range(row_regions):
            for b in range(batch):
                params_by_column[p, i * batch + b] = global_params[p, b]
    return (aligned_empty(shape, np.float64), aligned_empty(shape, np.float64), aligned_empty(shape, np.float64),
            aligned_empty(shape, np.float64), low, high, params_by_column)


@njit(inline="always")
def _in_rows(array, width):
    """(..., N, B) -> the same memory as (..., N B / width, width): k regions of every element per row."""
    shape = array.shape
    return array.reshape(shape[:-2] + (shape[-2] * shape[-1] // width, width))


@njit
def network_views(state, coupling, ext, node_params, normals, kick_scale, colored, work):
    """The arrays of :func:`network_step` as it reads them, made once per chunk (a reshape inside
    the step would cost a runtime call per array and step): first as the model's batch forms see
    them, in rows of k regions times B elements (:func:`regions_per_row`; state, coupling, ext,
    the parameters repeated per region of a row, node parameters, drift, predicted state,
    predicted drift), then flat (n, N B) for the update loops (state, drift, predicted, kicks,
    predicted drift, noise scale, lower and upper bounds, normals, coloured noise).
    ``work`` comes from :func:`network_work`; the other arguments are integrate_chunk's.
    """
    predicted, drift, drift_predicted, kicks, lower, upper, params_by_column = work
    n_state, n_regions, batch = state.shape
    size = n_regions * batch
    width = params_by_column.shape[1]
    return (_in_rows(state, width), _in_rows(coupling, width), _in_rows(ext, width), params_by_column,
            _in_rows(node_params, width), _in_rows(drift, width), _in_rows(predicted, width), _in_rows(drift_predicted, width),
            state.reshape(n_state, size), drift.reshape(n_state, size), predicted.reshape(n_state, size),
            kicks.reshape(n_state, size), drift_predicted.reshape(n_state, size), kick_scale.reshape(n_state, size),
            lower.reshape(n_state, size), upper.reshape(n_state, size), normals.reshape(normals.shape[0], size),
            colored.reshape(colored.shape[0], size))


@njit
def network_output_rows(out, work):
    """The chunk's outputs (rows, n_out, N, B) in the batch forms' rows of k regions
    (:func:`regions_per_row`), made once per chunk; ``work`` from :func:`network_work`."""
    return _in_rows(out, work[-1].shape[1])


@njit(inline="always")
def network_step(tag, scheme, h, views, noise_slot, white, noise_decay, noise_scale, bounded, out_row, weight):
    """Advance the state (n_state, N, B) by one step of size ``h`` (model time units) in place.

    ``views`` comes from :func:`network_views` (the step's normals already drawn into them),
    ``out_row`` is a row of :func:`network_output_rows`; the other arguments are those of :func:`fwbm_bench.simulate.kernel.integrate_chunk`, whose
    docstring gives the scheme and the noise. Inlined into the time loop: as a call, its ~20
    array arguments cost numba's atomic reference counting on every step.
    """
    (seen_state, seen_coupling, seen_ext, seen_params, seen_node_params, seen_drift, seen_predicted,
     seen_drift_predicted, flat_state, flat_drift, flat_predicted, flat_kicks, flat_drift_predicted, flat_scale,
     flat_lower, flat_upper, flat_normals, flat_colored) = views
    n_state, size = flat_state.shape
    node_drift_observe_batch(tag, seen_state, seen_coupling, seen_ext, seen_params, seen_node_params, seen_drift,
                             out_row, weight)
    heun = scheme == HEUN
    first_stage = flat_predicted if heun else flat_state  # Euler: the first stage is the step
    for v in range(n_state):
        slot = noise_slot[v]
        if slot >= 0 and white and not heun:  # one pass: the kick is used once
            for k in range(size):
                value = flat_state[v, k] + h * flat_drift[v, k] + flat_scale[v, k] * flat_normals[slot, k]
                if bounded:
                    value = clip(value, flat_lower[v, k], flat_upper[v, k])
                flat_state[v, k] = value
            continue
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
