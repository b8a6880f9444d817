"""fwbm-bench: a reproducible benchmark for functional whole-brain models (fWBMs).

Layers (one-way imports, lower never imports higher): data -> connectome -> models ->
simulate -> observables -> tasks -> metrics -> scoring -> entries -> pipeline ->
leaderboard -> report -> cli. See ``DESIGN.md`` in the shared folder and ``README.md``.
"""

__version__ = "0.1.0"
