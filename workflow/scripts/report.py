from itertools import product
from pathlib import Path

from fwbm_bench.pipeline.aggregate import run_report
from fwbm_bench.pipeline.job import run_job

subjects = snakemake.config["subjects"]
run_job(snakemake, run_report, snakemake.input.leaderboard, snakemake.output.html,
        Path(snakemake.output.criteria).parent, dict(zip(subjects, snakemake.input.subjects)),
        dict(zip(product(snakemake.config["entries"], subjects), snakemake.input.observables)), snakemake.config)
