"""Entries: what the leaderboard ranks.

An entry is a named model configuration (node model + fixed parameters + free
parameters with their fitting grid) or a baseline that predicts FC directly. Built-in
entries and those of installed plugins (entry-point group ``fwbm_bench.entries``) live in
:data:`ENTRIES`; users add their own under ``custom_entries`` in the config or in a plugin,
never by editing this list.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np

from fwbm_bench.connectome import Connectome, connectome_seed
from fwbm_bench.connectome.nulls import pair_distances, shuffled_weights
from fwbm_bench.errors import ConfigError
from fwbm_bench.models import get_model
from fwbm_bench.plugin_registry import BUILT_IN, Registry

#: free parameters fitted per entry: the grid is their Cartesian product, one batched simulation
MAX_FREE = 2


@dataclass(frozen=True)
class Entry:
    name: str
    description: str
    kind: str  # "model": simulated node model; "baseline": predicts FC without dynamics
    model: str | None = None
    fixed: dict = field(default_factory=dict)
    free: dict = field(default_factory=dict)  # parameter -> grid of values (at most MAX_FREE)
    #: "shuffled": the model runs on a weight-shuffled copy of whatever connectome it is given
    #: (a shuffled-SC baseline of a real model: its node pairs relabelled by one fixed random
    #: permutation per subject, the same for every variant); None: on the connectome itself
    connectome_null: str | None = None

    @property
    def is_model(self) -> bool:
        return self.kind == "model"

    def model_connectome(self, connectome: Connectome) -> Connectome:
        """The connectome this entry's model runs on, given the job's ``connectome``."""
        if self.connectome_null is None:
            return connectome
        seed = connectome_seed(connectome.subject_id, f"shuffled for {self.name}")
        return replace(connectome, weights=shuffled_weights(connectome.weights, seed))

    @staticmethod
    def _parameter(model, name: str, where: str):
        try:
            return model.parameter(name)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None

    def validate(self, where: str) -> Entry:
        if self.kind not in ("model", "baseline"):
            raise ConfigError(f"{where}: kind must be 'model' or 'baseline', found '{self.kind}'")
        if self.connectome_null not in (None, "shuffled"):
            raise ConfigError(f"{where}: connectome_null must be 'shuffled' or absent, found {self.connectome_null!r}")
        if self.kind == "baseline":
            if self.name not in BASELINE_PREDICTORS:
                raise ConfigError(f"{where}: unknown baseline '{self.name}' (known: {', '.join(BASELINE_PREDICTORS)})")
            return self
        if not isinstance(self.model, str):
            raise ConfigError(f"{where}.model: expected the name of a node model, found {self.model!r}")
        try:
            model = get_model(self.model)
        except ConfigError as exc:
            raise ConfigError(f"{where}.model: {exc}") from None
        for key in ("fixed", "free"):
            if not isinstance(getattr(self, key), dict):
                raise ConfigError(f"{where}.{key}: expected a mapping parameter -> value, found {getattr(self, key)!r}")
        for name, value in self.fixed.items():
            self._parameter(model, name, f"{where}.fixed").check(value, f"{where}.fixed")
        for name, grid in self.free.items():
            try:
                values = np.atleast_1d(np.asarray(grid, dtype=float))
            except (TypeError, ValueError):
                values = None
            if values is None or values.ndim != 1 or values.size < 2:
                raise ConfigError(f"{where}.free.{name}: expected a grid of at least 2 numbers, found {grid!r}")
            self._parameter(model, name, f"{where}.free").check(values, f"{where}.free")
            if name in self.fixed:
                raise ConfigError(f"{where}: parameter '{name}' is both fixed and free")
        if len(self.free) > MAX_FREE:
            raise ConfigError(f"{where}: at most {MAX_FREE} free parameters are fitted (a grid over their "
                              f"product), found {sorted(self.free)}")
        return self


def _sc_as_fc(connectome) -> np.ndarray:
    return connectome.weights


def _distance(connectome) -> np.ndarray | None:
    """exp(-d / mean d) of the Euclidean distances d between region centres: nearby regions
    covary more (e.g. Messe 2020, Hum Brain Mapp 41:1167); None without centres."""
    if connectome.centres is None:
        return None
    distance = pair_distances(connectome.tract_lengths_mm, connectome.centres)
    off_diagonal = ~np.eye(distance.shape[0], dtype=bool)
    predicted = np.exp(-distance / distance[off_diagonal].mean())
    np.fill_diagonal(predicted, 1.0)
    return predicted


#: baselines that predict FC directly from the connectome: name -> function (Connectome -> FC or None)
BASELINE_PREDICTORS = {"sc-as-fc": _sc_as_fc, "distance": _distance}

# FC peaks near G = 0.4 on HCP-80; beyond ~0.5 the noisy network leaves the 3 Hz state that FIC
# is solved for (rates > 10 Hz), and its FC is then confused with sub-critical FC by any FC fit
_G_GRID = [round(float(g), 4) for g in np.linspace(0.0, 0.5, 11)]

#: the Stuart-Landau family's fitting grid (G in 1/s), shared by the native entry and the adapters
#: (fwbm_bench.adapters), so that every member of the family gets the same fitting budget
HOPF_G_GRID = [0.05, 0.1, 0.2, 0.4]

ENTRIES = Registry(
    "entry", "fwbm_bench.entries",
    (
        Entry("rww-ei-fic", "reduced Wong-Wang E-I with FIC (Deco et al. 2014), G fitted on the "
              "training half over " + str(_G_GRID), "model", "rww_ei", {}, {"G": _G_GRID}),
        Entry("rww-ei-uncoupled", "baseline: the same model with G = 0 (no connectome)", "model",
              "rww_ei", {"G": 0.0}, {}),
        Entry("ww2006-selective", "Wong-Wang (2006) decision circuits in every region, selective long-range "
              "coupling (Mejias & Wang 2022); G = 0.1 fixed: chosen on hcp-101309's perceptual-decision task "
              "(stimulus information reaches the readout regions before noise-driven transitions do), "
              "not fitted to resting FC", "model", "ww2006_selective", {"G": 0.1}, {}),
        Entry("rww-ei-fic-shuffled-sc", "baseline: rww-ei-fic run on a weight-shuffled copy of the connectome "
              "(G fitted the same way, on the shuffled copy): the floor for what the real wiring adds", "model",
              "rww_ei", {}, {"G": _G_GRID}, connectome_null="shuffled"),
        Entry("ww2006-selective-shuffled-sc", "baseline: ww2006-selective run on a weight-shuffled copy of the "
              "connectome", "model", "ww2006_selective", {"G": 0.1}, {}, connectome_null="shuffled"),
        Entry("hopf", "Stuart-Landau oscillators near the Hopf bifurcation, x and y coupled (Deco et al. 2017), "
              f"G fitted on the training half over {HOPF_G_GRID}", "model", "hopf", {}, {"G": HOPF_G_GRID}),
        Entry("sc-as-fc", "baseline: the normalised structural connectome used as predicted FC",
              "baseline"),
        Entry("distance", "baseline: exp(-d / mean d) of the Euclidean distance d between region centres used "
              "as predicted FC (subjects with centres only)", "baseline"),
    ),
    accepts=lambda obj: isinstance(obj, Entry),
)


def entry_named(name: str, custom: dict | None = None) -> Entry:
    """The one entry called ``name`` (built-in or from the config's ``custom_entries``)."""
    return resolve_entries([name], custom)[name]


def resolve_entries(names, custom: dict | None = None) -> dict[str, Entry]:
    """Entries selected by ``names`` from the built-ins and the config's ``custom_entries``."""
    custom = custom or {}
    available = dict(ENTRIES)
    for name, block in custom.items():
        if name in ENTRIES:
            raise ConfigError(f"key custom_entries.{name}: clashes with the entry of that name from {ENTRIES.source(name)}")
        if not isinstance(block, dict):
            raise ConfigError(f"key custom_entries.{name}: expected a mapping with description, kind, model, "
                              f"fixed, free; found {block!r}")
        allowed = [f.name for f in fields(Entry) if f.name != "name"]
        unknown = sorted(set(block) - set(allowed))
        if unknown:
            raise ConfigError(f"key custom_entries.{name}: unknown key(s) {unknown} (allowed: {', '.join(allowed)})")
        try:
            entry = Entry(name=name, **block)
        except TypeError as exc:
            raise ConfigError(f"key custom_entries.{name}: {exc}") from exc
        available[name] = entry.validate(f"custom_entries.{name}")
    unknown = [name for name in names if name not in available]
    if unknown:
        raise ConfigError(f"key entries: unknown entry {unknown} (known: {', '.join(sorted(available))})")
    for name in names:
        if name in ENTRIES and ENTRIES.source(name) != BUILT_IN:
            ENTRIES[name].validate(f"entry '{name}' of {ENTRIES.source(name)}")
    return {name: available[name] for name in names}
