from fwbm_bench.pipeline.job import run_job
from fwbm_bench.pipeline.prepare import prepare_connectome

run_job(snakemake, prepare_connectome, snakemake.input.subject, snakemake.wildcards.connectome,
        snakemake.params.normalisation, snakemake.output[0], cohort_paths=list(snakemake.input.cohort),
        lesions=snakemake.params.lesions)
