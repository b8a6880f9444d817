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
gathered every K steps. Within a level the loop runs over target regions, summing each
target's incoming windows in a small scratch row that stays in L1 cache.
The multiply-add lives in its own function on 1-D contiguous slices: written inline over
multi-dimensional indices, LLVM does not vectorise it (measured 5x slower at B = 32).
"""

from __future__ import annotations

from fwbm_bench._numba import njit


@njit
def accumulate(total, values, weight):
    """``total += weight * values`` for 1-D contiguous arrays of equal length."""
    for m in range(values.shape[0]):
        total[m] += weight * values[m]


@njit
def gather_level(history, head, n_slots, level_ptr, source, delay, weight, first_step, n_steps, block, scratch):
    """Add one level's connections' coupling for ``n_steps`` steps to ``block``.

    ``history`` (C, N, 2 L, B) is the doubled ring buffer with ``n_slots`` = L, whose position
    ``head`` holds the current step; the level's connections into target i are
    ``level_ptr[i]:level_ptr[i + 1]`` of (``source``, ``delay`` >= n_steps - 1 steps,
    ``weight``). ``block`` (C, N, K B) holds the coupling of the steps of the current block,
    step-major then batch; steps ``first_step .. first_step + n_steps - 1`` receive
    sum_j w * history[c, j, head - d + k, b]. ``scratch`` has at least K B elements.
    """
    n_coupled, n_regions, n_positions, batch = history.shape
    width = n_steps * batch
    base = first_step * batch
    source_stride = n_positions * batch
    flat = history.reshape((n_coupled, n_regions * source_stride))
    incoming = scratch[:width]
    for c in range(n_coupled):
        for i in range(n_regions):
            if level_ptr[i] == level_ptr[i + 1]:
                continue
            incoming[:] = 0.0
            for e in range(level_ptr[i], level_ptr[i + 1]):
                start = head - delay[e]
                if start < 0:
                    start += n_slots
                offset = source[e] * source_stride + start * batch
                accumulate(incoming, flat[c, offset:offset + width], weight[e])
            accumulate(block[c, i, base:base + width], incoming, 1.0)


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
