from fwbm_bench.pipeline.aggregate import run_report
from fwbm_bench.pipeline.job import run_job

run_job(snakemake, run_report, snakemake.input[0], snakemake.output[0])
