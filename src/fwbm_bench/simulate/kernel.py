"""The one time loop every node model runs through, compiled once per model and cached.

Models plug in by registering an implementation of ``models.base.node_step`` for their own *tag*
type with ``numba.extending.overload`` (see :func:`fwbm_bench.models.base.register_node_step`).
numba keys its on-disk cache by argument types. A tag is a NamedTuple whose type name carries
a hash of the model's source file, so the cached loop is found again in every new process,
and editing a model (built-in or plugin) compiles a fresh one instead of loading a stale one.
Passing the right-hand side as a function argument, or closing over it, would defeat the
cache: the dispatcher's type carries its object identity.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench._numba import njit
from fwbm_bench.models.base import node_step
from fwbm_bench.simulate.primitives import external_input, gather_delayed_coupling, push_history


@njit
def integrate_chunk(tag, state, history, head, step0, n_steps, dt, in_ptr, in_idx, in_delay,
                    in_weight, global_params, node_params, noise, pulse_windows,
                    pulse_amplitudes, decimation, coupling_indices, out):
    """Euler-Maruyama steps of the network; see simulate.integrator for shapes. Returns head."""
    n_regions = state.shape[1]
    batch = state.shape[2]
    coupling = np.empty((coupling_indices.shape[0], n_regions, batch))
    ext = np.zeros((n_regions, batch))
    sqrt_dt = np.sqrt(dt)
    weight = 1.0 / decimation
    for t in range(n_steps):
        gather_delayed_coupling(history, head, in_ptr, in_idx, in_delay, in_weight, coupling)
        external_input(step0 + t, pulse_windows, pulse_amplitudes, ext)
        out_row = out[t // decimation]
        noise_t = noise[t]
        for b in range(batch):
            for i in range(n_regions):
                node_step(tag, state, i, b, coupling, ext, global_params, node_params,
                          noise_t, dt, sqrt_dt, out_row, weight)
        head = push_history(history, head, state, coupling_indices)
    return head
