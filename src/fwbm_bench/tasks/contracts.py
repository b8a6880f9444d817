"""Input/readout contracts: which regions receive stimuli and which are read out, per atlas.

The contract is fixed per task and atlas, the same for every entry, so no model can choose
its own nodes. Regions are named by label; a parcellation whose labels lack any of a
contract's regions is an error that names them.
"""

from __future__ import annotations

from fwbm_bench.errors import InputError


def _both_hemispheres(*names: str) -> tuple[str, ...]:
    return tuple(f"{name}_{side}" for name in names for side in ("L", "R"))


# AAL2 (Rolls et al. 2015). Visual cortex receives the visual stimulus; parietal and
# dorsolateral frontal association cortex, where motion-discrimination decisions and working
# memory are recorded in monkeys (LIP, FEF/dlPFC; Roitman & Shadlen 2002, Kim & Shadlen
# 1999, Funahashi et al. 1989), is read out.
AAL2_CONTRACT = {
    "input": _both_hemispheres("Calcarine", "Cuneus", "Lingual", "Occipital_Sup", "Occipital_Mid", "Occipital_Inf"),
    "readout": _both_hemispheres("Parietal_Sup", "Parietal_Inf", "SupraMarginal", "Angular", "Precuneus",
                                 "Frontal_Sup_2", "Frontal_Mid_2", "Precentral"),
}

CONTRACTS = {"aal2": AAL2_CONTRACT}


def atlas_of(labels) -> str:
    """Name of the atlas whose contract matches ``labels``: the one sharing most of its labels.

    A parcellation sharing no contract label has no contract (tasks are then excluded for it).
    """
    present = set(labels)
    overlap = {name: len(present & set(contract["input"] + contract["readout"])) for name, contract in CONTRACTS.items()}
    best = max(overlap, key=overlap.get)
    if overlap[best] == 0:
        raise InputError(
            f"no task input/readout contract for this parcellation (first labels: {list(labels)[:4]}); "
            f"contracts exist for: {', '.join(CONTRACTS)}"
        )
    return best


def select_regions(labels, hemispheres, role: str) -> list[int]:
    """Indices of the regions playing ``role`` ("input" or "readout") in this atlas' contract."""
    labels = list(labels)
    atlas = atlas_of(labels)
    wanted = CONTRACTS[atlas][role]
    missing = [label for label in wanted if label not in labels]
    if missing:
        raise InputError(f"task {role} regions of the {atlas} contract are missing from the parcellation's "
                         f"labels: {', '.join(missing)}")
    return [labels.index(label) for label in wanted]


def hemisphere_of(label: str, hemisphere: str) -> str:
    """"L"/"R" from the subject's hemisphere table, else from an AAL2 ``_L``/``_R`` suffix."""
    if hemisphere in ("L", "R"):
        return hemisphere
    if label.endswith(("_L", "_R")):
        return label[-1]
    raise InputError(f"region '{label}': hemisphere unknown (give hemispheres.txt); the task needs it to split inputs")
