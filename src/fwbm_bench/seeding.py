"""Seeds derived from what a job computes, never from job order or process."""

from __future__ import annotations

import hashlib


def derive_seed(*parts) -> int:
    """A 32-bit seed from (entry, subject, connectome, task, replicate, ...).

    The same parts always give the same seed, on any machine and with any ``--cores``.
    """
    text = "/".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
