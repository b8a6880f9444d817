"""Input/readout contracts: which regions receive stimuli and which are read out, per atlas.

The contract is fixed per task and atlas, the same for every entry, so no model can
choose its own nodes. Regions are picked by label.
"""

from __future__ import annotations

import re

from fwbm_bench.errors import InputError

# AAL2 (Rolls et al. 2015) visual cortex receives the visual stimulus; parietal and
# dorsolateral frontal association cortex, where motion-discrimination decisions are
# recorded in monkeys (LIP, FEF/dlPFC; Roitman & Shadlen 2002, Kim & Shadlen 1999), is read out.
AAL2_VISUAL_INPUT = re.compile(r"^(Calcarine|Cuneus|Lingual|Occipital_(Sup|Mid|Inf))_[LR]$")
AAL2_DECISION_READOUT = re.compile(
    r"^(Parietal_(Sup|Inf)|SupraMarginal|Angular|Precuneus|Frontal_(Sup|Mid)_2|Precentral)_[LR]$"
)

CONTRACTS = {
    "aal2": {"input": AAL2_VISUAL_INPUT, "readout": AAL2_DECISION_READOUT},
}


def atlas_of(labels) -> str:
    """Name of the atlas whose contract matches ``labels`` (by label vocabulary)."""
    if any(AAL2_VISUAL_INPUT.match(label) for label in labels) and any(
        label.startswith("Precentral_") for label in labels
    ):
        return "aal2"
    raise InputError(
        f"no task input/readout contract for this parcellation (first labels: {list(labels[:4])}); "
        f"contracts exist for: {', '.join(CONTRACTS)}"
    )


def select_regions(labels, hemispheres, role: str) -> list[int]:
    """Indices of the regions playing ``role`` ("input" or "readout") in this atlas."""
    pattern = CONTRACTS[atlas_of(labels)][role]
    indices = [i for i, label in enumerate(labels) if pattern.match(label)]
    if not indices:
        raise InputError(f"task {role} regions (pattern {pattern.pattern}) are missing from the atlas labels")
    return indices


def hemisphere_of(label: str, hemisphere: str) -> str:
    """"L"/"R" from the subject's hemisphere table, else from an AAL2 ``_L``/``_R`` suffix."""
    if hemisphere in ("L", "R"):
        return hemisphere
    if label.endswith(("_L", "_R")):
        return label[-1]
    raise InputError(f"region '{label}': hemisphere unknown (give hemispheres.txt); the task needs it to split inputs")
