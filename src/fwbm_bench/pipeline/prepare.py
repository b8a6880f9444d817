"""Stages 1-2: load and validate a subject; build one connectome variant."""

from __future__ import annotations

from fwbm_bench.connectome import build_connectome
from fwbm_bench.data import load_subject, load_subject_file, save_subject
from fwbm_bench.errors import InputError
from fwbm_bench.tasks.contracts import select_regions


def prepare_subject(subject_id: str, user_datasets: dict, output_path) -> None:
    save_subject(load_subject(subject_id, user_datasets), output_path)


def region_groups(labels, hemispheres) -> dict[str, list[str]]:
    """Region groups lesions may name: the task contract's ``task_input`` and ``task_readout``
    regions (none for a parcellation without a contract)."""
    labels = list(labels)
    try:
        return {f"task_{role}": [labels[i] for i in select_regions(labels, hemispheres, role)]
                for role in ("input", "readout")}
    except InputError:
        return {}


def prepare_connectome(subject_path, variant: str, normalisation: str, output_path, cohort_paths=(),
                       lesions: dict | None = None) -> None:
    """Write the ``variant`` of a subject's connectome. ``cohort_paths``: subject files the
    ``group`` variant is built from; ``lesions``: the config's lesion definitions."""
    subject = load_subject_file(subject_path)
    cohort = [load_subject_file(path) for path in cohort_paths]
    build_connectome(subject, variant, normalisation, cohort=cohort, lesions=lesions,
                     groups=region_groups(subject.labels, subject.hemispheres)).save(output_path)
