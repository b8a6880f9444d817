from fwbm_bench.pipeline.job import run_job
from fwbm_bench.pipeline.prepare import prepare_subject

run_job(snakemake, prepare_subject, snakemake.wildcards.subject, snakemake.params.user_datasets,
        snakemake.output[0])
