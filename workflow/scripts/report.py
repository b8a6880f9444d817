from pathlib import Path

from fwbm_bench.pipeline.aggregate import run_report
from fwbm_bench.pipeline.job import run_job

run_job(snakemake, run_report, snakemake.input.leaderboard, snakemake.output.html,
        Path(snakemake.output.criteria).parent, snakemake.input.subject,
        dict(zip(snakemake.config["entries"], snakemake.input.observables)), snakemake.config)
