# fwbm-bench: score functional whole-brain models against empirical data.
#   snakemake --cores 2                              default benchmark (config/config.yaml)
#   snakemake --cores 2 --configfile config/quick.yaml   quick preset (tests, CI)
# Stages: prepare subject -> connectome -> fit -> simulate -> observables -> score / task -> leaderboard -> report

from snakemake.utils import min_version

min_version("8.0")


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/prepare.smk"
include: "workflow/rules/simulate.smk"
include: "workflow/rules/score.smk"
include: "workflow/rules/task.smk"
include: "workflow/rules/leaderboard.smk"


rule all:
    input:
        "results/leaderboard.zarr",
        "results/leaderboard.csv",
        "results/report/index.html",
