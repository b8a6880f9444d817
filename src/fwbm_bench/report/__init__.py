"""Static HTML report of the leaderboard (works from the file system, no server)."""

from fwbm_bench.report.html import write_report

__all__ = ["write_report"]
