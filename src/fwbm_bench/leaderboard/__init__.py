"""The leaderboard: one Zarr store built from every job's small result file."""

from fwbm_bench.leaderboard.build import build_leaderboard
from fwbm_bench.leaderboard.schema import SCHEMA_VERSION, validate_leaderboard
from fwbm_bench.leaderboard.store import open_leaderboard, write_leaderboard
from fwbm_bench.leaderboard.tables import (
    criteria_card_table,
    leaderboard_table,
    raw_ceiling_table,
    unification_table,
    unscored_table,
)

__all__ = ["SCHEMA_VERSION", "build_leaderboard", "criteria_card_table", "leaderboard_table", "open_leaderboard",
           "raw_ceiling_table", "unification_table", "unscored_table", "validate_leaderboard",
           "write_leaderboard"]
