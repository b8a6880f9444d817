from fwbm_bench.pipeline.job import run_entry_job
from fwbm_bench.pipeline.rest import run_rest_simulation

run_entry_job(snakemake, run_rest_simulation, snakemake.wildcards.entry, snakemake.input.subject,
              snakemake.input.connectome, snakemake.input.fit, snakemake.config, snakemake.output[0])
