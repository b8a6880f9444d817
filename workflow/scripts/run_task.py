from fwbm_bench.pipeline.job import run_entry_job
from fwbm_bench.pipeline.task import run_task_stage

run_entry_job(snakemake, run_task_stage, snakemake.wildcards.entry, snakemake.wildcards.task,
              snakemake.input.connectome, snakemake.input.fit, snakemake.config, snakemake.output[0])
