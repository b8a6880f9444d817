from fwbm_bench.pipeline.job import entry_for, run_job
from fwbm_bench.pipeline.rest import run_fit

run_job(snakemake, run_fit, entry_for(snakemake), snakemake.input.subject, snakemake.input.connectome,
        snakemake.config, snakemake.output[0])
