rule fit:
    input:
        subject="results/subjects/{subject}.npz",
        connectome="results/connectomes/{subject}/{connectome}.npz",
    output:
        "results/fits/{entry}/{subject}/{connectome}.json",
    params:
        # the config sections the result depends on: changing one reruns the job (params trigger)
        depends_on=lambda w: config_dependency(w, "rest", "simulation"),
    log:
        "results/logs/fit/{entry}/{subject}/{connectome}.log",
    benchmark:
        "results/benchmarks/fit/{entry}/{subject}/{connectome}.tsv"
    script:
        "../scripts/fit.py"


rule simulate_rest:
    input:
        subject="results/subjects/{subject}.npz",
        connectome="results/connectomes/{subject}/{connectome}.npz",
        fit=fit_of,
    output:
        "results/rest/{entry}/{subject}/{connectome}.npz",
    params:
        # the config sections the result depends on: changing one reruns the job (params trigger)
        depends_on=lambda w: config_dependency(w, "rest", "simulation"),
    log:
        "results/logs/simulate_rest/{entry}/{subject}/{connectome}.log",
    benchmark:
        "results/benchmarks/simulate_rest/{entry}/{subject}/{connectome}.tsv"
    script:
        "../scripts/simulate_rest.py"
