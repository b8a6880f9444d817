rule run_task:
    input:
        connectome="results/connectomes/{subject}/{connectome}.npz",
        fit=fit_of,
    output:
        "results/tasks/{entry}/{subject}/{connectome}/{task}.json",
    log:
        "results/logs/run_task/{entry}/{subject}/{connectome}/{task}.log",
    benchmark:
        "results/benchmarks/run_task/{entry}/{subject}/{connectome}/{task}.tsv"
    script:
        "../scripts/run_task.py"
