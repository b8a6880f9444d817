"""The adapters' entries, for the peers that are installed (entry-point group fwbm_bench.entries)."""

from fwbm_bench.adapters import installed
from fwbm_bench.entries import HOPF_G_GRID, Entry

ENTRIES = []
if installed("neurolib"):
    ENTRIES.append(Entry("neurolib-hopf", "adapter: neurolib's HopfModel (x coupled) run by neurolib through the "
                         f"benchmark protocol, G fitted over {HOPF_G_GRID} like the native hopf entry", "model",
                         "neurolib_hopf", {}, {"G": HOPF_G_GRID}))
if installed("tvb"):
    ENTRIES.append(Entry("tvb-suphopf", "adapter: TVB's SupHopf with Difference coupling run by TheVirtualBrain "
                         f"through the benchmark protocol (rest only: it takes no task input), G fitted over "
                         f"{HOPF_G_GRID} like the native hopf entry", "model", "tvb_suphopf", {}, {"G": HOPF_G_GRID}))
