rule run_task:
    input:
        connectome="results/connectomes/{subject}/{connectome}.npz",
        fit=fit_of,
    output:
        "results/tasks/{entry}/{subject}/{connectome}/{task}.json",
    params:
        # the config sections the result depends on: changing one reruns the job (params trigger)
        depends_on=lambda w: config_dependency(w, "simulation", task=w.task),
    log:
        "results/logs/run_task/{entry}/{subject}/{connectome}/{task}.log",
    benchmark:
        "results/benchmarks/run_task/{entry}/{subject}/{connectome}/{task}.tsv"
    script:
        "../scripts/run_task.py"
