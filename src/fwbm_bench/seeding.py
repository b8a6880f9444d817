"""Seeds derived from what a job computes, never from job order or process."""

from __future__ import annotations

import hashlib


def derive_seed(*parts) -> int:
    """A 32-bit seed from (entry, subject, connectome, task, replicate, ...).

    The same parts always give the same seed, on any machine and with any ``--cores``.
    """
    text = "/".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")


#: the connectome name in every simulation seed: all variants of a subject (nulls, lesions) run
#: on the noise of its empirical connectome (common random numbers). A score difference between
#: variants then has less noise in it (none at all for a model that ignores the connectome), though
#: refitted parameters and chaotic dynamics still decorrelate the runs
NOISE_STREAM = "empirical"
