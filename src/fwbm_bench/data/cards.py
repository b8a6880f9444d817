"""Dataset cards: what a dataset is, where it comes from and what to be careful about."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class DatasetCard:
    """Provenance and caveats of one dataset, stored in the leaderboard's attrs."""

    name: str
    description: str
    provenance: str
    licence: str
    parcellation: str
    n_regions: int
    tr_s: float | None
    scanner: str
    has_bold: bool
    citation: str
    caveats: str

    def as_dict(self) -> dict:
        return asdict(self)
