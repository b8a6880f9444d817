"""The in-loop normal generator: reference values of its bit generators, its distribution, its order."""

import numpy as np
from numba import njit
from scipy import stats

from fwbm_bench.simulate.random import (
    fill_step_normals,
    next_uint64,
    seed_streams,
    simulation_noise,
    standard_normals,
    step_normal_work,
)


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
    # tail counts within 5 sd of the exact ones
    for threshold in (2.0, 3.5, 4.0, 4.5):
        expected = draws.size * 2 * stats.norm.sf(threshold)
        assert abs(np.count_nonzero(np.abs(draws) > threshold) - expected) < 5 * np.sqrt(expected), threshold
    assert abs(stats.pearsonr(draws[:-1], draws[1:])[0]) < 5 / np.sqrt(draws.size)
    # the two values of a Box-Muller pair (draws k and k + n/2 of one call) are independent, not merely
    # uncorrelated: their squares too
    cosines, sines = draws[: draws.size // 2], draws[draws.size // 2:]
    assert abs(stats.pearsonr(cosines**2, sines**2)[0]) < 5 / np.sqrt(cosines.size)


def _box_muller_python(outputs):
    """(cosines, sines) of consecutive pairs of generator outputs, with NumPy's log, cos and sin."""
    bits = [int(v) >> 11 for v in outputs]
    radius = np.sqrt(-2.0 * np.log((np.array(bits[0::2], dtype=float) + 0.5) * 2.0**-53))
    angle = 2.0 * np.pi * (np.array(bits[1::2], dtype=float) * 2.0**-53)
    return radius * np.cos(angle), radius * np.sin(angle)


def test_normals_match_box_muller_computed_independently():
    cosines, sines = _box_muller_python(_outputs(seed_streams([99]), 6))
    # a call of 6 draws takes 3 pairs: their cosines, then their sines
    np.testing.assert_allclose(standard_normals([99], 6)[0], np.concatenate([cosines, sines]), rtol=1e-14, atol=1e-15)


def test_streams_of_different_seeds_are_uncorrelated_and_reproducible():
    a, b = standard_normals([1, 2], 200_000)
    assert abs(stats.pearsonr(a, b)[0]) < 5 / np.sqrt(a.size)
    np.testing.assert_array_equal(standard_normals([2], 1000)[0], standard_normals([2], 1000)[0])
    np.testing.assert_array_equal(standard_normals([2], 1000)[0][:500], b[:500])  # the first 500 pairs' cosines


def test_simulation_noise_is_the_stream_in_step_variable_region_order():
    noise = simulation_noise(7, n_steps=3, n_noisy=2, n_regions=4)
    assert noise.shape == (3, 2, 4)
    cosines, sines = _box_muller_python(_outputs(seed_streams([7]), 24))  # 4 pairs per step
    step_1 = np.concatenate([cosines[4:8], sines[4:8]]).reshape(2, 4)  # (variable, region)
    np.testing.assert_allclose(noise[1], step_1, rtol=1e-14, atol=1e-15)
    # an odd count per step (1 variable, 3 regions) takes two pairs and drops the second sine
    odd = simulation_noise(7, n_steps=2, n_noisy=1, n_regions=3)
    expected = [[cosines[0], cosines[1], sines[0]], [cosines[2], cosines[3], sines[2]]]
    np.testing.assert_allclose(odd[:, 0, :], expected, rtol=1e-14, atol=1e-15)


def test_a_step_of_a_batch_draws_what_each_stream_draws_alone():
    for n_noise, n_regions in ((2, 5), (1, 3), (3, 1)):
        batch_state = seed_streams([3, 8, 5])
        work = step_normal_work(n_noise, n_regions, 3)
        for step in range(2):
            fill_step_normals(batch_state, work)
        for b, seed in enumerate([3, 8, 5]):
            alone = simulation_noise(seed, 2, n_noise, n_regions)[1]
            np.testing.assert_array_equal(work[0][:, :, b], alone)
