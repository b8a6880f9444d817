from fwbm_bench.pipeline.job import run_entry_job
from fwbm_bench.pipeline.rest import run_rest_observables

run_entry_job(snakemake, run_rest_observables, snakemake.input[0], snakemake.config, snakemake.output[0])
