rule prepare_subject:
    output:
        "results/subjects/{subject}.npz",
    log:
        "results/logs/prepare_subject/{subject}.log",
    params:
        user_datasets=config["user_datasets"],
    script:
        "../scripts/prepare_subject.py"


rule prepare_connectome:
    input:
        subject="results/subjects/{subject}.npz",
        cohort=cohort_of,
    output:
        "results/connectomes/{subject}/{connectome}.npz",
    log:
        "results/logs/prepare_connectome/{subject}/{connectome}.log",
    params:
        normalisation=config["connectome"]["normalisation"],
        lesions=config["lesions"],
    script:
        "../scripts/prepare_connectome.py"
