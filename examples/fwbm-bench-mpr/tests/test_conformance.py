"""The plugin's own tests: fwbm-bench's conformance kit, as every built-in passes it."""

from fwbm_bench.testing import check_entry, check_node_model
from fwbm_bench_mpr.entries import ENTRIES
from fwbm_bench_mpr.model import MontbrioPazoRoxin


def test_model_conformance():
    check_node_model(MontbrioPazoRoxin)


def test_entry_conformance():
    for entry in ENTRIES:
        check_entry(entry)
