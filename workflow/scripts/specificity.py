from fwbm_bench.pipeline.job import run_entry_job
from fwbm_bench.pipeline.specificity import run_specificity

run_entry_job(snakemake, run_specificity, snakemake.wildcards.entry, snakemake.wildcards.connectome,
              snakemake.input.subjects, snakemake.input.observables, snakemake.config, snakemake.output[0])
