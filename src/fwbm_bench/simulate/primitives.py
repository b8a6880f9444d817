"""Model-independent numba building blocks of the shared time loop.

Memory layout. Arrays are ``(..., n_regions, batch)`` so that the innermost loop runs over
batch elements, which sit next to each other in memory. The delay history is a *doubled*
ring buffer ``(C, N, 2 L, B)``: time step t is stored at position ``t mod L`` and again at
``t mod L + L``, so any window of up to L consecutive past steps of one source region is one
contiguous run of memory.

Delay-class blocking. A connection with a delay of d steps needs, for the K steps
t .. t + K - 1, the source values at t - d .. t - d + K - 1; if d >= K - 1 they are all known
at step t and lie next to each other, so their contribution to the next K steps is one
contiguous multiply-add of K * B values. Connections are therefore grouped into levels of
block size K = 1, 2, 4, ..., each connection in the largest level with K - 1 <= d; level K is
gathered every K steps. Within a level the loop runs over target regions and adds four
incoming windows at a time into the target's row of the block (one load and one store of the
row per four connections). A window of one value (one step of one element) is summed by scalar
code in the same order, so results are bit-identical whatever the batch and chunk size.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench._numba import njit

EULER, HEUN = 0, 1  # integration schemes (simulate.integrator.SCHEMES)
CACHE_LINE_BYTES = 64


@njit
def aligned_empty(shape, dtype):
    """An uninitialised C-contiguous array of ``shape`` and ``dtype`` whose data start on a cache line.

    numba aligns its arrays to 32 bytes and NumPy its own to 16, so a 64-byte (8-double) vector
    load from them spans two cache lines in half or more of the cases; the delayed coupling,
    mostly such loads, took 14-18 % longer at batch 16 (docs/performance.md, session 12).
    Over-allocates by :data:`CACHE_LINE_BYTES` elements and returns the aligned part.
    """
    size = 1
    for extent in shape:
        size *= extent
    raw = np.empty(size + CACHE_LINE_BYTES, dtype)
    start = (-raw.ctypes.data % CACHE_LINE_BYTES) // raw.itemsize
    return raw[start:start + size].reshape(shape)


@njit
def gather_level(history, head, n_slots, level_ptr, source, delay, weight, first_step, n_steps, block):
    """Add one level's connections' coupling for ``n_steps`` steps to ``block``.

    ``history`` (C, N, 2 L, B) is the doubled ring buffer with ``n_slots`` = L, whose position
    ``head`` holds the current step; the level's connections into target i are
    ``level_ptr[i]:level_ptr[i + 1]`` of (``source``, ``delay`` >= n_steps - 1 steps,
    ``weight``). ``block`` (C, N, K B) holds the coupling of the steps of the current block,
    step-major then batch; steps ``first_step .. first_step + n_steps - 1`` receive
    sum_j w * history[c, j, head - d + k, b].

    The inner loops index 1-D views with unsigned offsets: numba then emits no negative-index
    check and LLVM vectorises the multiply-add (signed offsets measured 2x slower).
    """
    n_coupled, n_regions, n_positions, batch = history.shape
    block_width = block.shape[2]
    flat_history = history.reshape(-1)
    flat_block = block.reshape(-1)
    width = np.uint64(n_steps * batch)
    base = np.uint64(first_step * batch)
    if width == 1:  # one step of one element: scalar code, summed in the vector path's order (bit-identical)
        for c in range(n_coupled):
            history_base = c * n_regions
            for i in range(n_regions):
                target = np.uint64((c * n_regions + i) * block_width) + base
                total = flat_block[target]
                first, last = level_ptr[i], level_ptr[i + 1]
                e = first
                while e + 4 <= last:
                    total += ((weight[e] * flat_history[_window_offset(
                                  history_base, source[e], delay[e], head, n_slots, n_positions, batch)]
                               + weight[e + 1] * flat_history[_window_offset(
                                  history_base, source[e + 1], delay[e + 1], head, n_slots, n_positions, batch)])
                              + (weight[e + 2] * flat_history[_window_offset(
                                  history_base, source[e + 2], delay[e + 2], head, n_slots, n_positions, batch)]
                                 + weight[e + 3] * flat_history[_window_offset(
                                  history_base, source[e + 3], delay[e + 3], head, n_slots, n_positions, batch)]))
                    e += 4
                while e < last:
                    total += weight[e] * flat_history[_window_offset(
                        history_base, source[e], delay[e], head, n_slots, n_positions, batch)]
                    e += 1
                flat_block[target] = total
        return
    for c in range(n_coupled):
        history_base = c * n_regions
        for i in range(n_regions):
            target = np.uint64((c * n_regions + i) * block_width) + base
            first, last = level_ptr[i], level_ptr[i + 1]
            e = first
            while e + 4 <= last:
                offset_a = _window_offset(history_base, source[e], delay[e], head, n_slots, n_positions, batch)
                offset_b = _window_offset(history_base, source[e + 1], delay[e + 1], head, n_slots, n_positions, batch)
                offset_c = _window_offset(history_base, source[e + 2], delay[e + 2], head, n_slots, n_positions, batch)
                offset_d = _window_offset(history_base, source[e + 3], delay[e + 3], head, n_slots, n_positions, batch)
                weight_a, weight_b, weight_c, weight_d = weight[e], weight[e + 1], weight[e + 2], weight[e + 3]
                for m in range(width):
                    flat_block[target + m] += ((weight_a * flat_history[offset_a + m] + weight_b * flat_history[offset_b + m])
                                               + (weight_c * flat_history[offset_c + m] + weight_d * flat_history[offset_d + m]))
                e += 4
            while e < last:
                offset_a = _window_offset(history_base, source[e], delay[e], head, n_slots, n_positions, batch)
                weight_a = weight[e]
                for m in range(width):
                    flat_block[target + m] += weight_a * flat_history[offset_a + m]
                e += 1


@njit(inline="always")
def _window_offset(history_base, source, delay, head, n_slots, n_positions, batch):
    """Flat offset of the window of ``source`` that starts ``delay`` steps before ``head``."""
    start = head - delay
    if start < 0:
        start += n_slots
    return np.uint64(((history_base + source) * n_positions + start) * batch)


@njit(inline="always")
def clip(value, low, high):
    """``min(max(value, low), high)`` with Python's semantics (NaN and the sign of zero kept), as
    conditional expressions: numba compiles ``min``/``max`` to code that LLVM does not vectorise."""
    value = low if value < low else value  # noqa: FURB136
    return high if value > high else value  # noqa: FURB136


@njit
def write_history(history, head, n_slots, values):
    """Store ``values`` (C, N, B) as step ``head`` of the doubled ring buffer (both copies)."""
    for c in range(values.shape[0]):
        for j in range(values.shape[1]):
            for b in range(values.shape[2]):
                history[c, j, head, b] = values[c, j, b]
                history[c, j, head + n_slots, b] = values[c, j, b]


@njit
def external_input(step, pulse_windows, pulse_amplitudes, ext):
    """ext[i, b] = sum of the amplitudes of pulses whose [on, off) step window holds ``step``."""
    ext[:, :] = 0.0
    for k in range(pulse_windows.shape[0]):
        if pulse_windows[k, 0] <= step < pulse_windows[k, 1]:
            ext += pulse_amplitudes[k]


@njit
def next_input_change(step, pulse_windows):
    """The first step after ``step`` at which a pulse switches on or off (a very large number if none)."""
    upcoming = np.iinfo(np.int64).max
    for k in range(pulse_windows.shape[0]):
        for edge in (pulse_windows[k, 0], pulse_windows[k, 1]):
            if step < edge < upcoming:
                upcoming = edge
    return upcoming
