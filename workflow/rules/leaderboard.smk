rule leaderboard:
    input:
        scores=all_combinations("results/scores/{entry}/{subject}/{connectome}.json", pairs=REST_PAIRS),
        tasks=all_combinations(
            "results/tasks/{entry}/{subject}/{connectome}/{task}.json", pairs=TASK_PAIRS, entries=MODEL_ENTRIES, task=TASKS
        ),
        specificity=expand("results/specificity/{entry}/empirical.json", entry=ENTRIES)
        if "empirical" in CONNECTOMES
        else [],
        fits=all_combinations("results/fits/{entry}/{subject}/{connectome}.json", pairs=fitted_pairs()),
        benchmarks=all_combinations("results/benchmarks/fit/{entry}/{subject}/{connectome}.tsv", pairs=fitted_pairs())
        + all_combinations("results/benchmarks/simulate_rest/{entry}/{subject}/{connectome}.tsv", pairs=REST_PAIRS)
        + all_combinations("results/benchmarks/score_rest/{entry}/{subject}/{connectome}.tsv", pairs=REST_PAIRS)
        + all_combinations(
            "results/benchmarks/run_task/{entry}/{subject}/{connectome}/{task}.tsv",
            pairs=TASK_PAIRS,
            entries=MODEL_ENTRIES,
            task=TASKS,
        ),
    output:
        zarr=directory("results/leaderboard.zarr"),
        csv="results/leaderboard.csv",
    log:
        "results/logs/leaderboard.log",
    script:
        "../scripts/leaderboard.py"


rule report:
    input:
        leaderboard="results/leaderboard.zarr",
        subjects=expand("results/subjects/{subject}.npz", subject=SUBJECTS),
        observables=expand("results/observables/{entry}/{subject}/empirical.npz", entry=ENTRIES, subject=SUBJECTS),
    output:
        html=report("results/report/index.html", caption="../report/leaderboard.rst", category="Leaderboard"),
        criteria=report("results/report/criteria.png", caption="../report/criteria.rst", category="Figures"),
        unification=report("results/report/unification.png", caption="../report/unification.rst", category="Figures"),
        behaviour=report("results/report/behaviour.png", caption="../report/behaviour.rst", category="Figures"),
        entries=directory("results/report/entries"),
    log:
        "results/logs/report.log",
    script:
        "../scripts/report.py"
