"""Data layer: dataset cards, loaders (shipped packages and user folders), validation."""

from fwbm_bench.data.cards import DatasetCard
from fwbm_bench.data.registry import dataset_of, get_dataset, load_subject, shipped_dataset_names
from fwbm_bench.data.subject import Subject, load_subject_file, save_subject

__all__ = [
    "DatasetCard",
    "Subject",
    "dataset_of",
    "get_dataset",
    "load_subject",
    "load_subject_file",
    "save_subject",
    "shipped_dataset_names",
]
