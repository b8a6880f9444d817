from fwbm_bench.pipeline.job import entry_for, run_job
from fwbm_bench.pipeline.rest import run_rest_scoring

run_job(snakemake, run_rest_scoring, entry_for(snakemake), snakemake.input.subject,
        snakemake.input.observables, snakemake.input.fit, snakemake.config, snakemake.output[0])
