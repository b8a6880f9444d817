"""Standard normal draws inside the time loop: one independent stream per batch element.

Generator: xoshiro256++ (Blackman & Vigna 2021, "Scrambled linear pseudorandom number
generators", ACM Trans Math Softw 47:36), 256 bits of state per stream, seeded from the
element's seed through SplitMix64 as its authors recommend. The upper 53 bits of each 64-bit
output make a uniform double.

Normals: the Box-Muller transform (Box & Muller 1958, Ann Math Stat 29:610): two uniforms
u1 in (0, 1] and u2 in [0, 1) give the independent standard normals sqrt(-2 ln u1) cos(2 pi u2)
and sqrt(-2 ln u1) sin(2 pi u2). The transform has no branches and no table lookups, so it
runs in SIMD code across streams and draws (``models.vector_math``'s log and cosine/sine);
Doornik's ziggurat, which this replaced (its table lookups and rare slow path stay scalar),
cost 3.5-4 ns per normal; this costs 1.9 ns at batch 1, 1.2 at batch 16 and 1.0 at batch 32
(docs/performance.md). With 53-bit uniforms the largest |value| is
sqrt(2 ln 2^54) = 8.65, beyond which a normal falls with probability 1e-17.

Order of consumption: a simulation step needs M normals per element, one per noisy variable
and region, in the order (variable, region). It takes P = ceil(M / 2) pairs of outputs from
the element's stream; the cosines of the pairs are draws 0 .. P - 1, their sines draws
P .. M - 1 (an odd M drops the last sine). So the transform writes straight into the step's
normals, with no shuffle. An element's trajectory does not depend on the batch it runs in, on
chunking, or on which path of the time loop runs it, and :func:`simulation_noise` reproduces
the draws for reference implementations.
"""

from __future__ import annotations

import numpy as np

from fwbm_bench._numba import njit
from fwbm_bench.models.vector_math import cos_sin_of_turns, log
from fwbm_bench.simulate.primitives import aligned_empty

_SPLITMIX_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_SPLITMIX_M1 = np.uint64(0xBF58476D1CE4E5B9)
_SPLITMIX_M2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2^-53


def seed_streams(seeds) -> np.ndarray:
    """Generator states (4, B) uint64, one stream per seed (column b), via SplitMix64 (never all zero).

    Structure of arrays: word k of every stream is contiguous, so that the streams of a batch
    advance together in SIMD registers (:func:`fill_step_normals`)."""
    seeds = np.asarray(seeds, dtype=np.uint64).reshape(-1)
    states = np.empty((4, len(seeds)), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for b, seed in enumerate(seeds):
            z = seed
            for k in range(4):
                z = z + _SPLITMIX_GAMMA
                mixed = (z ^ (z >> np.uint64(30))) * _SPLITMIX_M1
                mixed = (mixed ^ (mixed >> np.uint64(27))) * _SPLITMIX_M2
                states[k, b] = mixed ^ (mixed >> np.uint64(31))
    return states


@njit(inline="always")
def _xoshiro(s0, s1, s2, s3):
    """xoshiro256++ on the state words: (output, new s0, s1, s2, s3)."""
    total = s0 + s3
    result = ((total << np.uint64(23)) | (total >> np.uint64(41))) + s0
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << np.uint64(45)) | (s3 >> np.uint64(19))
    return result, s0, s1, s2, s3


@njit(inline="always")
def next_uint64(state, b):
    """xoshiro256++: the next 64-bit output of stream ``b`` of ``state`` (4, B), advanced in place."""
    result, state[0, b], state[1, b], state[2, b], state[3, b] = _xoshiro(state[0, b], state[1, b], state[2, b],
                                                                          state[3, b])
    return result


@njit(inline="always")
def box_muller(radius_bits, angle_bits):
    """Two standard normals (cosine, sine) from two outputs of a stream (module docstring)."""
    u1 = (float(radius_bits >> np.uint64(11)) + 0.5) * _TO_UNIT  # in (0, 1]: the logarithm stays finite
    u2 = float(angle_bits >> np.uint64(11)) * _TO_UNIT
    radius = np.sqrt(-2.0 * log(u1))
    cosine, sine = cos_sin_of_turns(u2)
    return radius * cosine, radius * sine


@njit
def step_normal_work(n_noise, n_regions, batch):
    """Scratch of :func:`fill_step_normals` for (n_noise, N, B): (normals (n_noise, N, B); the same
    memory flat, as draws 0 .. P - 1 (P B,) and the rest; radius_bits, angle_bits (P B,) uint64),
    M = n_noise N draws and P = ceil(M / 2) pairs per step; draw m of element b at m B + b, pair
    p's outputs at p B + b. (Views made once: a reshape in the step costs a runtime call per array.)"""
    flat = aligned_empty((n_noise * n_regions * batch,), np.float64)
    size = (n_noise * n_regions + 1) // 2 * batch
    return (flat.reshape((n_noise, n_regions, batch)), flat[:size], flat[size:], aligned_empty((size,), np.uint64),
            aligned_empty((size,), np.uint64))


@njit(inline="always")
def _draw_pairs_of_one_stream(state, b, radius_bits, angle_bits):
    """The next pairs of outputs of stream ``b`` of a batch of one into ``radius_bits``, ``angle_bits``,
    with the state in registers (one stream gives nothing to vectorise across)."""
    s0, s1, s2, s3 = state[0, b], state[1, b], state[2, b], state[3, b]
    for p in range(radius_bits.shape[0]):
        radius_bits[p], s0, s1, s2, s3 = _xoshiro(s0, s1, s2, s3)
        angle_bits[p], s0, s1, s2, s3 = _xoshiro(s0, s1, s2, s3)
    state[0, b], state[1, b], state[2, b], state[3, b] = s0, s1, s2, s3


@njit
def fill_step_normals(state, work):
    """One step's standard normals of every stream of ``state`` (4, B) into ``work[0]``
    ``normals[slot, i, b]`` (n_noise, N, B); ``work`` from :func:`step_normal_work`.

    Two passes: the streams' outputs, pair by pair (vectorised across streams; one stream keeps
    its state in registers); the Box-Muller transform of every pair of every stream, one SIMD
    loop writing cosines to the first P draws and sines to the rest (module docstring).
    """
    normals, first_draws, last_draws, radius_bits, angle_bits = work
    batch = normals.shape[2]
    if batch == 1:
        _draw_pairs_of_one_stream(state, 0, radius_bits, angle_bits)
    else:
        for p in range(radius_bits.shape[0] // batch):
            for b in range(batch):
                radius_bits[p * batch + b] = next_uint64(state, b)
                angle_bits[p * batch + b] = next_uint64(state, b)
    _transform_pairs(radius_bits, angle_bits, first_draws, last_draws)


@njit(inline="always")
def _transform_pairs(radius_bits, angle_bits, cosines, sines):
    """The Box-Muller values of the pairs (P B,) into ``cosines`` (P B,) and ``sines`` (M B - P B,):
    two arrays, not offsets into one, so that LLVM can prove the stores independent and vectorise."""
    n_sines = sines.shape[0]
    for k in range(n_sines):
        cosines[k], sines[k] = box_muller(radius_bits[k], angle_bits[k])
    for k in range(n_sines, cosines.shape[0]):  # an odd number of draws per element: the last sines are dropped
        cosines[k] = box_muller(radius_bits[k], angle_bits[k])[0]


@njit
def fill_normals(state, b, out):
    """Fill the 1-D array ``out`` with the next standard normals of stream ``b``, as one step of
    ``out.size`` draws takes them (module docstring)."""
    n_pairs = (out.shape[0] + 1) // 2
    radius_bits = np.empty(n_pairs, dtype=np.uint64)
    angle_bits = np.empty(n_pairs, dtype=np.uint64)
    _draw_pairs_of_one_stream(state, b, radius_bits, angle_bits)
    _transform_pairs(radius_bits, angle_bits, out[:n_pairs], out[n_pairs:])


def standard_normals(seeds, n: int) -> np.ndarray:
    """(B, n) standard normal draws, row b from the stream of ``seeds[b]``."""
    state = seed_streams(seeds)
    out = np.empty((state.shape[1], n))
    for b in range(state.shape[1]):
        fill_normals(state, b, out[b])
    return out


def simulation_noise(seed: int, n_steps: int, n_noisy: int, n_regions: int) -> np.ndarray:
    """The white-noise draws a simulation with this seed uses, (n_steps, n_noisy, N).

    The time loop takes them from the element's stream step by step, in the order (noisy
    variable, region) within a step (module docstring); this reproduces them for independent
    reference implementations (tests).
    """
    state = seed_streams([seed])
    noise = np.empty((n_steps, n_noisy, n_regions))
    for step in range(n_steps):
        fill_normals(state, 0, noise[step].reshape(-1))
    return noise
