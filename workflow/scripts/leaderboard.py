from fwbm_bench.pipeline.aggregate import run_leaderboard
from fwbm_bench.pipeline.job import run_job

run_job(snakemake, run_leaderboard, list(snakemake.input.scores) + list(snakemake.input.tasks),
        snakemake.input.fits, snakemake.input.benchmarks, "results/benchmarks", snakemake.config,
        snakemake.output.zarr, snakemake.output.csv)
