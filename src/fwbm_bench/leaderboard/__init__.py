"""The leaderboard: one Zarr store built from every job's small result file."""

from fwbm_bench.leaderboard.build import SCHEMA_VERSION, build_leaderboard, leaderboard_table, raw_ceiling_table
from fwbm_bench.leaderboard.store import open_leaderboard, write_leaderboard

__all__ = ["SCHEMA_VERSION", "build_leaderboard", "leaderboard_table", "open_leaderboard", "raw_ceiling_table",
           "write_leaderboard"]
