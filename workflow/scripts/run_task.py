from fwbm_bench.pipeline.job import entry_for, run_job
from fwbm_bench.pipeline.task import run_task_stage

run_job(snakemake, run_task_stage, entry_for(snakemake), snakemake.wildcards.task,
        snakemake.input.connectome, snakemake.input.fit, snakemake.config, snakemake.output[0])
