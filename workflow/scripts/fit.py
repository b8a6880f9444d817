from fwbm_bench.pipeline.job import run_entry_job
from fwbm_bench.pipeline.rest import run_fit

run_entry_job(snakemake, run_fit, snakemake.wildcards.entry, snakemake.input.subject, snakemake.input.connectome,
              snakemake.config, snakemake.output[0])
