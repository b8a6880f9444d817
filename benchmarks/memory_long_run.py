"""Peak memory of a long simulation with streaming BOLD (issue #3, acceptance 3).

Runs the reduced Wong-Wang E-I model on the 192-region TVB connectivity for 30 simulated
minutes at dt = 0.1 ms, outputs every 1 ms streamed into the Balloon-Windkessel BOLD sink
(TR 0.72 s), nothing kept at full rate, and prints the process's peak resident memory.

    python benchmarks/memory_long_run.py --minutes 30

Peak memory should not grow with duration: compare --minutes 1 with --minutes 30.
"""

from __future__ import annotations

import argparse
import logging
import resource
import time

import numpy as np

from fwbm_bench.connectome import normalise_weights
from fwbm_bench.data import get_dataset
from fwbm_bench.models import get_model
from fwbm_bench.observables.bold import BoldSink
from fwbm_bench.simulate import simulate


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="simulated minutes")
    parser.add_argument("--dt-ms", type=float, default=0.1)
    parser.add_argument("--batch", type=int, default=1)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    subject = get_dataset("tvb").load("tvb-192")
    model = get_model("rww_ei")
    sink = BoldSink(input_period_ms=1.0, tr_s=0.72, output_index=model.output_variables.index(model.bold_variable))
    started = time.perf_counter()
    simulate(model, normalise_weights(subject.weights), subject.tract_lengths_mm,
             {"G": np.full(args.batch, 0.2)}, duration_ms=args.minutes * 60_000.0, seeds=range(args.batch),
             dt_ms=args.dt_ms, output_period_ms=1.0, sinks=[sink], keep_outputs=False,
             label=f"{args.minutes:g} min, N = {subject.weights.shape[0]}")
    bold = sink.bold()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB
    print(f"N = {subject.weights.shape[0]}, {args.minutes:g} simulated min, dt = {args.dt_ms} ms, "
          f"batch {args.batch}: BOLD {bold.shape} (volumes, regions, batch), "
          f"wall {time.perf_counter() - started:.0f} s, peak RSS {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
