rule observables:
    input:
        "results/rest/{entry}/{subject}/{connectome}.npz",
    output:
        "results/observables/{entry}/{subject}/{connectome}.npz",
    params:
        # the config sections the result depends on: changing one reruns the job (params trigger)
        depends_on=lambda w: config_dependency(w, "rest", "simulation"),
    log:
        "results/logs/observables/{entry}/{subject}/{connectome}.log",
    script:
        "../scripts/observables.py"


rule score_rest:
    input:
        subject="results/subjects/{subject}.npz",
        observables="results/observables/{entry}/{subject}/{connectome}.npz",
        fit=fit_of,
    output:
        "results/scores/{entry}/{subject}/{connectome}.json",
    params:
        # the config sections the result depends on: changing one reruns the job (params trigger)
        depends_on=lambda w: config_dependency(w, "rest", "simulation"),
    log:
        "results/logs/score_rest/{entry}/{subject}/{connectome}.log",
    benchmark:
        "results/benchmarks/score_rest/{entry}/{subject}/{connectome}.tsv"
    script:
        "../scripts/score_rest.py"


rule specificity:
    input:
        subjects=expand("results/subjects/{subject}.npz", subject=SUBJECTS),
        observables=expand("results/observables/{{entry}}/{subject}/{{connectome}}.npz", subject=SUBJECTS),
    output:
        "results/specificity/{entry}/{connectome}.json",
    params:
        # the config sections the result depends on: changing one reruns the job (params trigger)
        depends_on=lambda w: config_dependency(w, "rest", "simulation"),
    log:
        "results/logs/specificity/{entry}/{connectome}.log",
    script:
        "../scripts/specificity.py"
