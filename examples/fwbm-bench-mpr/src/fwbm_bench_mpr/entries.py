"""The entry this plugin adds to the leaderboard."""

from fwbm_bench.entries import Entry

ENTRIES = [
    Entry("mpr", "example plugin: Montbrio-Pazo-Roxin mean field (Montbrio et al. 2015) in every region, "
          "coupled through the firing rate, G fitted on the training half", "model", "mpr", {},
          {"G": [0.0, 0.5, 1.0]}),
]
