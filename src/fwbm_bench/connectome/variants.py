"""Connectome variants: what the ``connectome`` wildcard of the workflow names.

Grammar (each name is one Snakemake wildcard value, its seed derived from subject and name):

=====================================  ===========================================================
``empirical``                          the subject's own connectome
``group``                              consensus of the cohort (the configured subjects of the
                                       subject's dataset): :func:`~.nulls.consensus_weights`
``density<P>``                         the strongest P % of node pairs (e.g. ``density20``)
``shuffled[<P>][-<k>]``                weights of P % (default 100) of node pairs permuted,
                                       replicate k; P < 100 gives the fidelity curve
``geometric[-<k>]``                    geometry-preserving null (weights permuted within
                                       distance bins)
``rewired[-<k>]``                      degree-preserving null (bctpy); identity on dense SC
``lesion-<name>``                      a lesion from :data:`BUILTIN_LESIONS` or the config's
                                       ``lesions`` block
``lesion-<name>-random-<k>``           its size-matched random control, replicate k
=====================================  ===========================================================

Each name has a *role* (:attr:`VariantName.role`): ``empirical``, ``alternative`` (group,
density), ``null`` (full nulls, compared with the empirical connectome for structure
dependence), ``partial-null`` (fidelity curve), ``lesion`` and ``lesion-control``.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

from fwbm_bench.connectome.core import Connectome, normalise_weights
from fwbm_bench.connectome.lesions import lesion_mask, random_control
from fwbm_bench.connectome.nulls import (
    consensus_weights,
    density_threshold,
    geometric_weights,
    pair_distances,
    rewired_weights,
    shuffled_weights,
)
from fwbm_bench.errors import ConfigError

#: lesions every run knows; group names ``task_input``/``task_readout`` are supplied by the
#: caller (the task contract), ``left``/``right`` by the hemispheres
BUILTIN_LESIONS = {
    "task-input": {"tracts": {"from": "task_input"},
                   "description": "every tract between the task's input regions and the rest of the brain: "
                                  "the stimulus cannot leave the input regions"},
    "task-path": {"tracts": {"between": ["task_input", "task_readout"]},
                  "description": "the direct tracts between the task's input and readout regions"},
    "interhemispheric": {"tracts": "interhemispheric", "description": "every interhemispheric tract"},
}

_PATTERNS = (
    ("empirical", re.compile(r"empirical")),
    ("group", re.compile(r"group")),
    ("density", re.compile(r"density(?P<percent>\d{1,3})")),
    ("null", re.compile(r"(?P<kind>shuffled|geometric|rewired)(?P<percent>\d{1,3})?(?:-(?P<replicate>\d+))?")),
    ("lesion", re.compile(r"lesion-(?P<lesion>[A-Za-z0-9_]+(?:-(?!random-\d+$)[A-Za-z0-9_]+)*)"
                          r"(?:-random-(?P<control>\d+))?")),
)

GRAMMAR = ("empirical, group, density<P>, shuffled[<P>][-<k>], geometric[-<k>], rewired[-<k>], "
           "lesion-<name>, lesion-<name>-random-<k>")


@dataclass(frozen=True)
class VariantName:
    """A parsed variant name (see the module docstring for the grammar)."""

    name: str
    family: str  # empirical, group, density, shuffled, geometric, rewired, lesion
    percent: int | None = None
    replicate: int | None = None
    lesion: str | None = None
    control: int | None = None

    @property
    def role(self) -> str:
        if self.family == "empirical":
            return "empirical"
        if self.family in ("group", "density"):
            return "alternative"
        if self.family == "lesion":
            return "lesion-control" if self.control is not None else "lesion"
        return "partial-null" if self.percent is not None and self.percent < 100 else "null"

    @property
    def rewiring_fraction(self) -> float | None:
        """Fraction of node pairs randomised (nulls and partial nulls; 0 for ``empirical``)."""
        if self.family == "empirical":
            return 0.0
        if self.role in ("null", "partial-null"):
            return (self.percent if self.percent is not None else 100) / 100.0
        return None

    @property
    def uses_empirical_fit(self) -> bool:
        """Lesions perturb the fitted model: they run at the empirical connectome's fit."""
        return self.family == "lesion"


def parse_variant(name: str) -> VariantName:
    """Parse ``name``; a :class:`ConfigError` lists the grammar if it does not match."""
    for family, pattern in _PATTERNS:
        match = pattern.fullmatch(name)
        if match is None:
            continue
        groups = match.groupdict()
        family = groups.get("kind") or family
        percent = int(groups["percent"]) if groups.get("percent") else None
        if percent is not None and not 0 < percent <= 100:
            raise ConfigError(f"connectome variant '{name}': percentage must be in 1..100, found {percent}")
        if percent is not None and family in ("geometric", "rewired"):
            raise ConfigError(f"connectome variant '{name}': only shuffled and density take a percentage")
        return VariantName(name, family, percent,
                           int(groups["replicate"]) if groups.get("replicate") else None,
                           groups.get("lesion"), int(groups["control"]) if groups.get("control") else None)
    raise ConfigError(f"unknown connectome variant '{name}' (expected one of: {GRAMMAR})")


def connectome_seed(subject_id: str, variant: str) -> int:
    """A seed that depends only on (subject, variant), never on job order."""
    return zlib.crc32(f"{subject_id}/{variant}".encode())


def lesion_specs(config_lesions: dict | None = None) -> dict:
    """Built-in lesions plus the config's ``lesions`` block (which may not redefine a built-in)."""
    specs = dict(BUILTIN_LESIONS)
    for name, spec in (config_lesions or {}).items():
        if name in BUILTIN_LESIONS:
            raise ConfigError(f"key lesions.{name}: clashes with a built-in lesion of that name")
        if not re.fullmatch(r"[A-Za-z0-9_]+(-[A-Za-z0-9_]+)*", name) or re.search(r"-random-\d+$", name):
            raise ConfigError(f"key lesions.{name}: names are letters, digits, '_' and '-', not ending in -random-<k>")
        specs[name] = dict(spec)
    return specs


def build_connectome(subject, variant: str, normalisation: str = "max", *, cohort=(), lesions: dict | None = None,
                     groups: dict | None = None) -> Connectome:
    """The ``variant`` of ``subject``'s connectome, normalised to max 1 before any null or lesion
    (a lesion's weights are not renormalised: the damage stays visible).

    ``cohort``: subjects the ``group`` variant is built from. ``lesions``: extra lesion specs
    (config ``lesions``). ``groups``: region groups lesions may name (e.g. ``task_input``).
    """
    parsed = parse_variant(variant)
    seed = connectome_seed(subject.subject_id, variant)
    base = normalise_weights(subject.weights, normalisation)
    lengths = subject.tract_lengths_mm
    if parsed.family == "empirical":
        weights = base
    elif parsed.family == "group":
        members = [member for member in cohort if member.weights.shape == subject.weights.shape]
        if len(members) < 2:
            raise ConfigError(f"connectome variant 'group' of {subject.subject_id}: needs at least 2 subjects of its "
                              f"dataset with {subject.weights.shape[0]} regions in the config, found {len(members)}")
        weights, lengths = consensus_weights([normalise_weights(m.weights, normalisation) for m in members],
                                             [m.tract_lengths_mm for m in members])
        weights = normalise_weights(weights, "max", symmetrise=False)
    elif parsed.family == "density":
        weights = density_threshold(base, parsed.percent)
    elif parsed.family == "shuffled":
        weights = shuffled_weights(base, seed, (parsed.percent or 100) / 100.0)
    elif parsed.family == "geometric":
        weights = geometric_weights(base, pair_distances(lengths, subject.centres), seed)
    elif parsed.family == "rewired":
        weights = rewired_weights(base, seed)
    else:
        weights = _lesioned(base, parsed, subject, lesions, groups, seed)
    return Connectome(
        subject_id=subject.subject_id,
        variant=variant,
        weights=np.asarray(weights, dtype=float),
        tract_lengths_mm=lengths,
        labels=subject.labels,
        hemispheres=subject.hemispheres,
        centres=subject.centres,
    )


def _lesioned(base, parsed: VariantName, subject, lesions, groups, seed) -> np.ndarray:
    specs = lesion_specs(lesions)
    if parsed.lesion not in specs:
        raise ConfigError(f"connectome variant '{parsed.name}': lesion '{parsed.lesion}' is not defined (built-in: "
                          f"{', '.join(BUILTIN_LESIONS)}; add others under the config key 'lesions')")
    mask = lesion_mask(specs[parsed.lesion], subject.labels, subject.hemispheres, groups,
                       where=f"{subject.subject_id}: key lesions.{parsed.lesion}")
    if parsed.control is not None:
        mask = random_control(mask, base, seed, where=f"connectome variant '{parsed.name}'")
    return mask.apply(base)


#: the stages a (subject, variant) pair can run: resting state (fit, simulate, score) and tasks
STAGES = ("rest", "tasks")


def connectome_pairs(config: dict, stage: str | None = None) -> list[tuple[str, str]]:
    """(subject, connectome variant) pairs a (validated) config runs: every variant of
    ``connectomes`` on every subject, then those of ``sampled_connectomes`` on those of its
    subjects that are configured (a sample naming other subjects is ignored for them, so a
    small config laid over the default one still runs). ``stage`` ("rest" or "tasks"): only
    the pairs that run it (a sampled group may list its ``stages``)."""
    pairs = [(s, c) for s in config["subjects"] for c in config["connectomes"]]
    for group in config.get("sampled_connectomes", []):
        if stage is None or stage in group.get("stages", STAGES):
            pairs += [(s, c) for s in group["subjects"] if s in config["subjects"] for c in group["variants"]]
    return pairs
