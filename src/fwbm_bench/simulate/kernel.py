"""The one time loop every node model runs through, compiled once per model and cached.

Models plug in by registering their drift and outputs (``models.base.node_drift`` and
``node_observe``) for their own *tag* type (:func:`fwbm_bench.models.base.register_node_functions`).
numba keys its on-disk cache by argument types. A tag is a one-element array whose record
dtype's field name carries the model's name and a hash of its source file, so the cached loop
is found again in every new process, and editing a model (built-in or plugin) compiles a fresh
one instead of loading a stale one.
Passing the right-hand side as a function argument, or closing over it, would defeat the
cache: the dispatcher's type carries its object identity.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench._numba import njit
from fwbm_bench.models.base import node_drift, node_drift_observe, node_export
from fwbm_bench.simulate.network_step import network_output_rows, network_step, network_views
from fwbm_bench.simulate.primitives import (
    EULER,
    HEUN,
    aligned_empty,
    clip,
    external_input,
    gather_level,
    next_input_change,
    write_history,
)
from fwbm_bench.simulate.random import fill_step_normals, step_normal_work

__all__ = ["EULER", "HEUN", "integrate_chunk"]


@njit
def _export_all(tag, state, global_params, node_params, values, x):
    """Every region's exported coupling quantities at ``state`` into ``values`` (C, N, B)."""
    for b in range(state.shape[2]):
        for i in range(state.shape[1]):
            for v in range(state.shape[0]):
                x[v] = state[v, i, b]
            node_export(tag, x, i, b, global_params, node_params, values)


@njit
def _coupled_values(tag, state, global_params, node_params, coupling_indices, exports, values, x):
    """What the delay history stores for the current state: exports or coupling variables."""
    if exports:
        _export_all(tag, state, global_params, node_params, values, x)
    else:
        for c in range(coupling_indices.shape[0]):
            values[c] = state[coupling_indices[c]]


@njit
def integrate_chunk(tag, scheme, time_unit_ms, state, history, head, step0, n_steps, dt, edges,
                    global_params, node_params, rng_state, noise_slot,
                    noise_amplitude, noise_decay, noise_scale, colored, lower, upper, pulse_windows, pulse_amplitudes,
                    decimation, coupling_indices, exports, network_work, out):
    """``n_steps`` of the network; returns the new ring-buffer head.

    Per region and batch element, with h = dt / time_unit and noise
    g = amplitude[v, i, b] sqrt(h) xi (xi standard normal, drawn at the start of each step from
    element b's stream ``rng_state[:, b]`` in the order (noisy variable, region); simulate.random):
    Euler-Maruyama x' = x + h f(x) + g; stochastic Heun (additive noise)
    x~ = x + h f(x) + g, x' = x + h (f(x) + f(x~)) / 2 + g.
    Ornstein-Uhlenbeck (coloured) noise, if ``noise_decay`` >= 0: ``colored`` (n_noise, N, B)
    holds eta, an OU process of correlation time tau with d eta = -eta / tau dt + dW / tau,
    which tends to white noise as tau -> 0; then g = amplitude h eta(t) and
    eta(t + h) = eta(t) e^(-h/tau) + sqrt((1 - e^(-2h/tau)) / (2 tau)) xi, exactly, with
    ``noise_decay`` = e^(-h/tau) and ``noise_scale`` that square root. The delayed coupling is evaluated
    once per step from the history, as TVB does; the history holds either the coupling
    variables themselves or, if ``exports``, the quantities the model exports from its state
    (TVB's "pre" coupling). Outputs are taken at the start of each step.
    If ``network_work`` is not None (the model has batch forms, models.base.node_drift_batch; it
    holds :func:`fwbm_bench.simulate.network_step.network_work`'s scratch arrays), the step of
    every region and element is taken at once by :func:`fwbm_bench.simulate.network_step.network_step`,
    with the same arithmetic in the same order and the same draws from each stream, so both paths
    give bit-identical results.
    States are clipped to [lower[v, i], upper[v, i]] after each stage.

    ``edges`` = (level_ptr (n_levels, N + 1), source, delay, weight) are the connections
    grouped by delay class and target region (:mod:`fwbm_bench.simulate.primitives`): level l
    holds delays of at least 2**l - 1 steps and is gathered every 2**l steps.
    """
    n_state = state.shape[0]
    n_regions = state.shape[1]
    batch = state.shape[2]
    n_coupled = history.shape[0]
    n_slots = history.shape[2] // 2
    level_ptr, source, delay, edge_weight = edges
    n_levels = level_ptr.shape[0]
    block_steps = 1 << (n_levels - 1)
    block = aligned_empty((n_coupled, n_regions, block_steps * batch), np.float64)
    coupling = aligned_empty((n_coupled, n_regions, batch), np.float64)
    values = aligned_empty((n_coupled, n_regions, batch), np.float64)
    ext = aligned_empty((n_regions, batch), np.float64)
    ext[:, :] = 0.0
    x = np.empty(n_state)
    predicted = np.empty(n_state)
    drift = np.empty(n_state)
    drift_predicted = np.empty(n_state)
    kicks = np.empty(n_state)
    n_noise = 0
    for v in range(n_state):
        n_noise = max(n_noise, noise_slot[v] + 1)
    normal_work = step_normal_work(n_noise, n_regions, batch)
    normals = normal_work[0]
    h = dt / time_unit_ms
    white = noise_decay < 0.0
    kick_scale = noise_amplitude * (np.sqrt(h) if white else h)
    bounded = False
    for v in range(n_state):
        for i in range(n_regions):
            bounded = bounded or np.isfinite(lower[v, i]) or np.isfinite(upper[v, i])
    level_used = np.zeros(n_levels, dtype=np.bool_)
    for level in range(n_levels):
        level_used[level] = level_ptr[level, n_regions] > level_ptr[level, 0]
    n_pulses = pulse_windows.shape[0]
    next_change = 0
    weight = 1.0 / decimation
    if step0 == 0:  # the whole initial history holds the initial state
        _coupled_values(tag, state, global_params, node_params, coupling_indices, exports, values, x)
        for position in range(n_slots):
            write_history(history, position, n_slots, values)
    out_rows = out
    if network_work is not None:
        views = network_views(state, coupling, ext, node_params, normals, kick_scale, colored,
                              network_work)
        out_rows = network_output_rows(out, network_work)  # the same memory, as the batch forms write it
    out_row = out_rows[0]
    t = 0
    while t < n_steps:
        n_block = min(block_steps, n_steps - t)
        block[:] = 0.0
        for k in range(n_block):
            for level in range(n_levels):
                size = 1 << level
                if level_used[level] and k % size == 0:
                    gather_level(history, head, n_slots, level_ptr[level], source, delay, edge_weight, k,
                                 min(size, n_block - k), block)
            for c in range(n_coupled):
                for i in range(n_regions):
                    for b in range(batch):
                        coupling[c, i, b] = block[c, i, k * batch + b]
            if n_pulses > 0 and (t == 0 or step0 + t >= next_change):  # the input is piecewise constant
                external_input(step0 + t, pulse_windows, pulse_amplitudes, ext)
                next_change = next_input_change(step0 + t, pulse_windows)
            if t % decimation == 0:
                out_row = out_rows[t // decimation]
            if n_noise > 0:
                fill_step_normals(rng_state, normal_work)
            if network_work is not None:  # a type test: numba compiles only the branch a model uses
                network_step(tag, scheme, h, views, noise_slot, white, noise_decay, noise_scale, bounded, out_row,
                             weight)
            else:
                for i in range(n_regions):
                    for b in range(batch):
                        for v in range(n_state):
                            x[v] = state[v, i, b]
                        node_drift_observe(tag, x, i, b, coupling, ext, global_params, node_params, drift, out_row, weight)
                        for v in range(n_state):
                            slot = noise_slot[v]
                            kick = 0.0
                            if slot >= 0:
                                if white:
                                    kick = kick_scale[v, i, b] * normals[slot, i, b]
                                else:
                                    kick = kick_scale[v, i, b] * colored[slot, i, b]
                                    colored[slot, i, b] = (colored[slot, i, b] * noise_decay
                                                           + noise_scale * normals[slot, i, b])
                            kicks[v] = kick
                            predicted[v] = x[v] + h * drift[v] + kick
                            if bounded:
                                predicted[v] = clip(predicted[v], lower[v, i], upper[v, i])
                        if scheme == HEUN:
                            node_drift(tag, predicted, i, b, coupling, ext, global_params, node_params, drift_predicted)
                            for v in range(n_state):
                                predicted[v] = x[v] + 0.5 * h * (drift[v] + drift_predicted[v]) + kicks[v]
                                if bounded:
                                    predicted[v] = clip(predicted[v], lower[v, i], upper[v, i])
                        for v in range(n_state):
                            state[v, i, b] = predicted[v]
            head += 1
            if head == n_slots:
                head = 0
            if exports:
                _export_all(tag, state, global_params, node_params, values, x)
                write_history(history, head, n_slots, values)
            else:
                for c in range(n_coupled):
                    variable = coupling_indices[c]
                    for j in range(n_regions):
                        for b in range(batch):
                            history[c, j, head, b] = state[variable, j, b]
                            history[c, j, head + n_slots, b] = state[variable, j, b]
            t += 1
    return head
