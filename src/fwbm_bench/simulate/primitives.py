"""Model-independent numba building blocks of every chunk kernel.

Memory layout: arrays are ``(..., n_regions, batch)`` so the innermost loop runs over
batch elements, which sit next to each other in memory: one delayed read of region j
serves every parameter set of the batch.
"""

from __future__ import annotations

from fwbm_bench._numba import njit


@njit
def gather_delayed_coupling(history, head, in_ptr, in_idx, in_delay, in_weight, coupling):
    """coupling[c, i, b] = sum_k w_k * history[(head - d_k) mod L, c, j_k, b] over i's inputs k.

    ``history`` (L, C, N, B) is a ring buffer of the C coupling variables whose slot
    ``head`` holds the current state; inputs of region i are the CSR slice
    ``in_ptr[i]:in_ptr[i + 1]`` of (source index ``in_idx``, delay in steps ``in_delay``,
    weight ``in_weight``).
    """
    n_slots = history.shape[0]
    n_coupled = coupling.shape[0]
    n_regions = coupling.shape[1]
    batch = coupling.shape[2]
    for c in range(n_coupled):
        for i in range(n_regions):
            for b in range(batch):
                coupling[c, i, b] = 0.0
            for k in range(in_ptr[i], in_ptr[i + 1]):
                slot = head - in_delay[k]
                if slot < 0:
                    slot += n_slots
                j = in_idx[k]
                w = in_weight[k]
                for b in range(batch):
                    coupling[c, i, b] += w * history[slot, c, j, b]


@njit
def external_input(step, pulse_windows, pulse_amplitudes, ext):
    """ext[i, b] = sum of the amplitudes of pulses whose [on, off) step window holds ``step``."""
    ext[:, :] = 0.0
    for k in range(pulse_windows.shape[0]):
        if pulse_windows[k, 0] <= step < pulse_windows[k, 1]:
            ext += pulse_amplitudes[k]


@njit
def advance_head(history, head):
    """Index of the ring buffer's next slot."""
    head += 1
    if head == history.shape[0]:
        head = 0
    return head


@njit
def push_history(history, head, state, coupling_indices):
    """Advance the ring buffer and store the coupling variables of ``state`` (S, N, B)."""
    head = advance_head(history, head)
    for c in range(coupling_indices.shape[0]):
        history[head, c] = state[coupling_indices[c]]
    return head
