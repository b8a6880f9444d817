"""Comparing two leaderboards value by value (as the SLURM end-to-end test does)."""

from pathlib import Path

import numpy as np

from fwbm_bench.leaderboard.compare import leaderboard_differences
from fwbm_bench.leaderboard.store import open_leaderboard

STORE_V1 = Path(__file__).parent / "data" / "leaderboard_v1.zarr"


def test_a_store_matches_itself_whatever_its_compute_cost():
    a, b = open_leaderboard(STORE_V1), open_leaderboard(STORE_V1)
    b["wall_s"] = b.wall_s * 2  # a slower machine: not a different result
    b.attrs["git_commit"] = "elsewhere"
    assert np.isnan(a.raw.values).any()  # NaN counts as equal to NaN
    differences, compared = leaderboard_differences(a, b)
    assert differences == [] and compared == len(a.data_vars) - 2


def test_a_changed_score_status_or_config_is_named():
    a, b = open_leaderboard(STORE_V1), open_leaderboard(STORE_V1)
    b["score"] = b.score.copy()
    b.score[0, 1, 0, 0] = b.score.values[0, 1, 0, 0] + 1e-12
    b["status"] = b.status.copy()
    b.status[1, 0, 0, 0] = "failed: something"
    differences, _ = leaderboard_differences(a, b)
    assert len(differences) == 2
    assert differences[0].startswith("score: 1 of 12 values differ, first at entry=model-a, subject=hcp-2, "
                                     "connectome=empirical, benchmark=hcp-fc-corr")
    assert differences[1].startswith("status: 1 of 12 values differ")
    b.attrs["config_hash"] = "other"
    assert leaderboard_differences(a, b)[0][0] == "attribute config_hash: 'abc' vs 'other'"
    assert leaderboard_differences(a, a.isel(subject=[0])) == (
        ["coordinate subject: ['hcp-1', 'hcp-2'] vs ['hcp-1']"], 0)
