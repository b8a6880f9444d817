from fwbm_bench.pipeline.job import run_entry_job
from fwbm_bench.pipeline.rest import run_rest_scoring

run_entry_job(snakemake, run_rest_scoring, snakemake.wildcards.entry, snakemake.wildcards.connectome,
              snakemake.input.subject, snakemake.input.observables, snakemake.input.fit, snakemake.config,
              snakemake.output[0])
