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
from fwbm_bench.models.base import node_drift, node_export, node_observe
from fwbm_bench.simulate.primitives import advance_head, external_input, gather_delayed_coupling, push_history

EULER, HEUN = 0, 1


@njit
def _export_all(tag, state, global_params, node_params, slot, x):
    """Every region's exported coupling quantities at ``state`` into ``slot`` (C, N, B)."""
    for b in range(state.shape[2]):
        for i in range(state.shape[1]):
            for v in range(state.shape[0]):
                x[v] = state[v, i, b]
            node_export(tag, x, i, b, global_params, node_params, slot)


@njit
def integrate_chunk(tag, scheme, time_unit_ms, state, history, head, step0, n_steps, dt, in_ptr,
                    in_idx, in_delay, in_weight, global_params, node_params, noise, noise_slot,
                    noise_amplitude_index, lower, upper, pulse_windows, pulse_amplitudes,
                    decimation, coupling_indices, exports, out):
    """``n_steps`` of the network; returns the new ring-buffer head.

    Per region and batch element, with h = dt / time_unit and noise
    g = amplitude sqrt(h) xi (xi standard normal, drawn once per step):
    Euler-Maruyama x' = x + h f(x) + g; stochastic Heun (additive noise)
    x~ = x + h f(x) + g, x' = x + h (f(x) + f(x~)) / 2 + g. The delayed coupling is evaluated
    once per step from the history, as TVB does; the history holds either the coupling
    variables themselves or, if ``exports``, the quantities the model exports from its state
    (TVB's "pre" coupling). Outputs are taken at the start of each step.
    States are clipped to [lower, upper] after each stage.
    """
    n_state = state.shape[0]
    n_regions = state.shape[1]
    batch = state.shape[2]
    coupling = np.empty((coupling_indices.shape[0], n_regions, batch))
    ext = np.zeros((n_regions, batch))
    x = np.empty(n_state)
    predicted = np.empty(n_state)
    drift = np.empty(n_state)
    drift_predicted = np.empty(n_state)
    kick = np.empty(n_state)
    h = dt / time_unit_ms
    sqrt_h = np.sqrt(h)
    weight = 1.0 / decimation
    if exports and step0 == 0:  # the initial history holds the exports of the initial state
        for slot in range(history.shape[0]):
            _export_all(tag, state, global_params, node_params, history[slot], x)
    for t in range(n_steps):
        gather_delayed_coupling(history, head, in_ptr, in_idx, in_delay, in_weight, coupling)
        external_input(step0 + t, pulse_windows, pulse_amplitudes, ext)
        out_row = out[t // decimation]
        for b in range(batch):
            for i in range(n_regions):
                for v in range(n_state):
                    x[v] = state[v, i, b]
                    kick[v] = 0.0
                    if noise_slot[v] >= 0:
                        kick[v] = global_params[noise_amplitude_index[v], b] * sqrt_h * noise[t, noise_slot[v], i, b]
                node_observe(tag, x, i, b, coupling, ext, global_params, node_params, out_row, weight)
                node_drift(tag, x, i, b, coupling, ext, global_params, node_params, drift)
                for v in range(n_state):
                    predicted[v] = min(max(x[v] + h * drift[v] + kick[v], lower[v]), upper[v])
                if scheme == HEUN:
                    node_drift(tag, predicted, i, b, coupling, ext, global_params, node_params, drift_predicted)
                    for v in range(n_state):
                        predicted[v] = min(max(x[v] + 0.5 * h * (drift[v] + drift_predicted[v]) + kick[v],
                                               lower[v]), upper[v])
                for v in range(n_state):
                    state[v, i, b] = predicted[v]
        if exports:
            head = advance_head(history, head)
            _export_all(tag, state, global_params, node_params, history[head], x)
        else:
            head = push_history(history, head, state, coupling_indices)
    return head
