"""Stages 1-2: load and validate a subject; build one connectome variant."""

from __future__ import annotations

from fwbm_bench.connectome import build_connectome
from fwbm_bench.data import load_subject, load_subject_file, save_subject


def prepare_subject(subject_id: str, user_datasets: dict, output_path) -> None:
    save_subject(load_subject(subject_id, user_datasets), output_path)


def prepare_connectome(subject_path, variant: str, normalisation: str, output_path) -> None:
    build_connectome(load_subject_file(subject_path), variant, normalisation).save(output_path)
