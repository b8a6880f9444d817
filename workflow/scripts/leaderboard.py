from fwbm_bench.pipeline.aggregate import run_leaderboard
from fwbm_bench.pipeline.job import run_job

results = [*snakemake.input.scores, *snakemake.input.tasks, *snakemake.input.specificity]
run_job(snakemake, run_leaderboard, results, snakemake.input.fits, snakemake.input.benchmarks, "results/benchmarks",
        snakemake.config, snakemake.output.zarr, snakemake.output.csv)
