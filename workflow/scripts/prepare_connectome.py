from fwbm_bench.pipeline.job import run_job
from fwbm_bench.pipeline.prepare import prepare_connectome

run_job(snakemake, prepare_connectome, snakemake.input[0], snakemake.wildcards.connectome,
        snakemake.params.normalisation, snakemake.output[0])
