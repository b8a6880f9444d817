rule score_rest:
    input:
        subject="results/subjects/{subject}.npz",
        simulation="results/rest/{entry}/{subject}/{connectome}.npz",
        fit="results/fits/{entry}/{subject}/{connectome}.json",
    output:
        "results/scores/{entry}/{subject}/{connectome}.json",
    log:
        "results/logs/score_rest/{entry}/{subject}/{connectome}.log",
    benchmark:
        "results/benchmarks/score_rest/{entry}/{subject}/{connectome}.tsv"
    script:
        "../scripts/score_rest.py"
