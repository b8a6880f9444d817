"""Run one workflow job: log to the job's log file, turn our errors into one line.

Workflow scripts call :func:`run_job` or, for the jobs of one entry, :func:`run_entry_job`;
both are duck-typed on Snakemake's ``snakemake`` object (``log``, ``output``, ``wildcards``),
so the library never imports Snakemake.
"""

from __future__ import annotations

import logging
import sys

from fwbm_bench.errors import ConfigError, FwbmError
from fwbm_bench.pipeline.io import write_failure
from fwbm_bench.plugins import load_named

log = logging.getLogger("fwbm_bench")

#: longest failure reason kept in a result file (the job log has the whole story)
MAX_REASON = 400


def _start(snakemake) -> None:
    """Log to stderr and the job's log file, and register the plugins the config names."""
    handlers = [logging.StreamHandler(sys.stderr)]
    if snakemake.log:
        handlers.append(logging.FileHandler(snakemake.log[0], mode="w"))
    logging.basicConfig(level=logging.INFO, handlers=handlers, force=True,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    load_named((getattr(snakemake, "config", None) or {}).get("plugins", []))


def run_job(snakemake, function, *args, **kwargs) -> None:
    """Call ``function(*args, **kwargs)``; on a :class:`FwbmError`, exit 1 with one line."""
    try:
        _start(snakemake)
        function(*args, **kwargs)
    except FwbmError as error:
        log.error("%s", error)
        sys.exit(f"fwbm-bench error: {error}")


def failure_reason(error: BaseException, log_path=None) -> str:
    """One line saying why a job failed: our errors by their message, anything else by its type
    and message, pointing to the traceback in the job log."""
    if isinstance(error, FwbmError):
        text = str(error)
    else:
        where = f"; traceback in {log_path}" if log_path else ""
        text = f"{type(error).__name__}: {error} (unexpected error{where})"
    text = " ".join(text.split())
    return text if len(text) <= MAX_REASON else text[:MAX_REASON - 1] + "…"


def run_entry_job(snakemake, function, *args, **kwargs) -> None:
    """Like :func:`run_job`, for a job of one entry (fit, simulation, observables, scoring, task,
    specificity): a failure there is the entry's result, not the end of the run.

    Any exception but a :class:`ConfigError` (which stops the run, as in :func:`run_job`) is
    caught, logged (anything that is not an fwbm-bench error with its traceback, in the job log
    and on stderr, so real bugs stay visible), and every output gets a failure record: the
    job's wildcards and ``failed`` (:func:`failure_reason`). Later stages pass the record on,
    and the leaderboard gives the job's benchmarks the status ``failed: <reason>``; the other
    jobs run on. Snakemake sees a finished job, so a rerun keeps the record: to try the job
    again, delete its output or use ``--forcerun <rule>``.
    """
    try:
        _start(snakemake)
        function(*args, **kwargs)
    except ConfigError as error:
        log.error("%s", error)
        sys.exit(f"fwbm-bench error: {error}")
    except Exception as error:
        log_path = snakemake.log[0] if snakemake.log else None
        if isinstance(error, FwbmError):
            log.error("%s", error)
        else:
            log.exception("unexpected error in %s", getattr(function, "__name__", function))
        reason = failure_reason(error, log_path)
        identity = dict(snakemake.wildcards.items())
        for path in snakemake.output:
            write_failure(path, identity, reason)
        log.error("recorded as failed (the run goes on): %s", reason)
