"""Simulations run by another simulator: the integrator's seam for adapter models.

An adapter (:mod:`fwbm_bench.adapters`) is a node model whose ``run_external`` integrates one
parameter set with a peer simulator (neurolib, TVB). :func:`simulate` hands it exactly what it
hands the built-in loop (connectome, tract lengths and conduction speed, parameters, seed,
external input pulses, duration, step, output period) and streams what comes back to the same
sinks, so the observables, tasks and metrics downstream cannot tell the two apart.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from fwbm_bench.errors import ConfigError, SimulationError

log = logging.getLogger("fwbm_bench.simulate")


def simulate_external(model, weights, tract_lengths_mm, resolved: dict, *, seeds, duration_ms: float, dt_ms: float,
                      conduction_speed_m_per_s: float, output_period_ms: float, windows_ms, amplitudes,
                      sinks, keep_outputs: bool, out_per_chunk: int, scheme: str, noise_tau_ms: float,
                      initial_state, label: str):
    """Run every batch element through ``model.run_external``; outputs as :func:`simulate` returns them.

    ``resolved``: parameter name -> (B,) values; ``windows_ms`` (K, 2) and ``amplitudes``
    (K, N, B): the stimulus pulses. Each call returns (n_out, n_outputs, N) averaged or
    sampled every ``output_period_ms`` (the adapter says which, in its docstring).
    """
    where = f"{label}: model '{model.name}' (run by {model.simulator})"
    if scheme != "euler":
        raise ConfigError(f"{where}: only scheme 'euler' is available through the adapter, found '{scheme}'")
    if noise_tau_ms != 0:
        raise ConfigError(f"{where}: noise_tau_ms must be 0 (the adapter maps white noise), found {noise_tau_ms}")
    if initial_state is not None:
        raise ConfigError(f"{where}: initial_state cannot be handed to the adapter")
    if len(windows_ms) and not model.accepts_input:
        raise ConfigError(f"{where}: this adapter takes no external input (tasks)")
    n_out = int(duration_ms / output_period_ms + 1e-9)
    started = time.perf_counter()
    per_element = []
    for b, seed in enumerate(seeds):
        params = {name: float(values[b]) for name, values in resolved.items()}
        out = np.asarray(model.run_external(weights, tract_lengths_mm, params, seed=int(seed), duration_ms=duration_ms,
                                            dt_ms=dt_ms, conduction_speed_m_per_s=conduction_speed_m_per_s,
                                            output_period_ms=output_period_ms, windows_ms=np.asarray(windows_ms),
                                            amplitudes=np.asarray(amplitudes)[..., b]), dtype=float)
        expected = (n_out, len(model.output_variables), weights.shape[0])
        if out.shape != expected:
            raise SimulationError(f"{where}: the adapter returned outputs of shape {out.shape}, expected {expected}")
        bad = np.argwhere(~np.isfinite(out))
        if len(bad):
            raise SimulationError(f"{where} diverged (non-finite {model.output_variables[bad[0][1]]}) in region "
                                  f"{bad[0][2]}, batch element {b}, at t = {(bad[0][0] + 1) * output_period_ms:.1f} ms")
        per_element.append(out)
        log.info("%s: element %d of %d done by %s, %.1f s elapsed", label, b + 1, len(seeds), model.simulator,
                 time.perf_counter() - started)
    outputs = np.stack(per_element, axis=-1)
    for first in range(0, n_out, out_per_chunk):
        for sink in sinks:
            sink(outputs[first:first + out_per_chunk])
    return outputs if keep_outputs else None
