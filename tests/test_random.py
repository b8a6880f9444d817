"""The in-loop normal generator: reference values of its bit generators, and its distribution."""

import numpy as np
from numba import njit
from scipy import stats

from fwbm_bench.simulate.random import next_uint64, seed_streams, simulation_noise, standard_normals


@njit
def _outputs(state, n):
    out = np.empty(n, dtype=np.uint64)
    for k in range(n):
        out[k] = next_uint64(state, 0)
    return out


def _xoshiro256pp_python(state, n):
    """xoshiro256++ written out with Python integers (Blackman & Vigna's reference C, by hand)."""
    mask = (1 << 64) - 1
    s = [int(v) for v in state]
    rotl = lambda v, k: ((v << k) | (v >> (64 - k))) & mask
    out = []
    for _ in range(n):
        out.append((rotl((s[0] + s[3]) & mask, 23) + s[0]) & mask)
        t = (s[1] << 17) & mask
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
    return out


def test_splitmix64_seeding_matches_the_reference_output():
    # SplitMix64 from state 0: first output 0xE220A8397B1DCDAF (Steele, Lea & Flood 2014; Java's SplittableRandom)
    assert int(seed_streams([0])[0, 0]) == 0xE220A8397B1DCDAF


def test_xoshiro256pp_matches_the_reference_algorithm():
    state = np.array([[1], [2], [3], [4]], dtype=np.uint64)  # (4 words, 1 stream)
    assert int(_outputs(state.copy(), 1)[0]) == 41943041  # rotl(1 + 4, 23) + 1
    seeded = seed_streams([12345])
    assert [int(v) for v in _outputs(seeded.copy(), 1000)] == _xoshiro256pp_python(seeded[:, 0], 1000)


def test_normals_are_standard_normal_with_the_right_tails():
    draws = standard_normals([2024], 1_000_000)[0]
    assert abs(draws.mean()) < 5 / np.sqrt(draws.size)
    assert abs(draws.var() - 1.0) < 5 * np.sqrt(2.0 / draws.size)
    assert stats.kstest(draws[:200_000], "norm").pvalue > 1e-3
    # beyond 3.44 the ziggurat switches to Marsaglia's tail method: counts within 5 sd of the exact ones
    for threshold in (2.0, 3.5, 4.0):
        expected = draws.size * 2 * stats.norm.sf(threshold)
        assert abs(np.count_nonzero(np.abs(draws) > threshold) - expected) < 5 * np.sqrt(expected), threshold
    assert abs(stats.pearsonr(draws[:-1], draws[1:])[0]) < 5 / np.sqrt(draws.size)


def test_streams_of_different_seeds_are_uncorrelated_and_reproducible():
    a, b = standard_normals([1, 2], 200_000)
    assert abs(stats.pearsonr(a, b)[0]) < 5 / np.sqrt(a.size)
    np.testing.assert_array_equal(standard_normals([2], 1000)[0], b[:1000])


def test_simulation_noise_is_the_stream_in_step_region_variable_order():
    noise = simulation_noise(7, n_steps=3, n_noisy=2, n_regions=4)
    flat = standard_normals([7], 24)[0]
    assert noise.shape == (3, 2, 4)
    assert noise[1, 0, 2] == flat[1 * 8 + 2 * 2 + 0] and noise[2, 1, 3] == flat[2 * 8 + 3 * 2 + 1]
