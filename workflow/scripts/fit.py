from fwbm_bench.pipeline.job import run_job
from fwbm_bench.pipeline.rest import run_fit

run_job(snakemake, run_fit, snakemake.wildcards.entry, snakemake.input.subject, snakemake.input.connectome,
        snakemake.config, snakemake.output[0])
