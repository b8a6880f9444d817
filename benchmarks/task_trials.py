"""Perceptual decision at full size: 6 coherences x 2 directions x 200 trials in one batched call.

Runs the reaction-time random-dot task (tasks.perceptual_decision) on an HCP subject's
80-region connectome for the whole-brain selective Wong-Wang entry (G = 0.1) and for rWW-EI
(G = 0.3), and prints the wall time of each batched call with both readouts' behaviour next
to Roitman & Shadlen's (Weibull alpha 7.39 %, beta 1.29; literature.md section 1).

    python benchmarks/task_trials.py --trials-per-condition 200
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from fwbm_bench.connectome import build_connectome
from fwbm_bench.data import get_dataset
from fwbm_bench.models import get_model
from fwbm_bench.tasks import get_task

CASES = (("ww2006_selective", {"G": 0.1}), ("rww_ei", {"G": 0.3}))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials-per-condition", type=int, default=200)
    parser.add_argument("--subject", default="hcp-101309")
    args = parser.parse_args(argv)
    dataset = get_dataset("hcp")
    connectome = build_connectome(dataset.load(args.subject), "empirical")
    task = get_task("perceptual_decision", trials_per_condition=args.trials_per_condition)
    n_trials = 2 * len(task.coherences_pct) * args.trials_per_condition
    print(f"{args.subject}: {connectome.n_regions} regions, {n_trials} trials of {task.fixation_ms + task.max_stimulus_ms:g} ms "
          "in one batched call per model")
    for model_name, params in CASES:
        model = get_model(model_name)
        started = time.perf_counter()
        result = task.run(model, connectome, params, seed_parts=("task_trials", model_name), dt_ms=1.0,
                          conduction_speed_m_per_s=10.0)
        wall = time.perf_counter() - started
        print(f"\n{model_name} {params}: {wall:.1f} s wall (integration step {model.integration_step_ms(1.0):g} ms)")
        for readout in ("decoded", "intrinsic"):
            summary = result[readout]
            if summary is None:
                continue
            print(f"  {readout:9s} p(correct) {np.round(summary['p_correct'], 3).tolist()}")
            print(f"  {'':9s} mean correct RT (ms) {np.round(summary['mean_rt_correct_ms']).tolist()}")
            print(f"  {'':9s} Weibull alpha {summary['weibull_alpha_pct']:.2f} %, beta {summary['weibull_beta']:.2f}; "
                  f"psychometric score {summary['psychometric_score']:.3f}, chronometric R^2 "
                  f"{summary['chronometric_r2']:.3f} (offset {summary['chronometric_offset_ms']:.0f} ms)")


if __name__ == "__main__":
    main()
