"""Run one workflow job: log to the job's log file, turn our errors into one line.

Workflow scripts call :func:`run_job`; it is duck-typed on Snakemake's ``snakemake``
object (``log``, ``config``, ``wildcards``), so the library never imports Snakemake.
"""

from __future__ import annotations

import logging
import sys

from fwbm_bench.errors import FwbmError
from fwbm_bench.plugins import load_named


def run_job(snakemake, function, *args, **kwargs) -> None:
    """Call ``function(*args, **kwargs)``; on a :class:`FwbmError`, exit 1 with one line."""
    handlers = [logging.StreamHandler(sys.stderr)]
    if snakemake.log:
        handlers.append(logging.FileHandler(snakemake.log[0], mode="w"))
    logging.basicConfig(level=logging.INFO, handlers=handlers, force=True,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        load_named(snakemake.config.get("plugins", []))
        function(*args, **kwargs)
    except FwbmError as error:
        logging.getLogger("fwbm_bench").error("%s", error)
        sys.exit(f"fwbm-bench error: {error}")
