"""fwbm-bench: a reproducible benchmark for functional whole-brain models (fWBMs).

Layers (one-way imports, lower never imports higher): data -> connectome -> models ->
simulate -> observables -> tasks -> metrics -> scoring -> entries -> leaderboard -> report;
``pipeline`` (one function per workflow job), ``config`` and ``cli`` sit on top. See ``DESIGN.md`` in the shared folder and ``README.md``.
"""

__version__ = "0.1.0"
