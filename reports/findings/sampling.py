"""The desk-review sample: a reproducible random draw of paid claims.

Python's `random.Random(seed)` (Mersenne Twister; its integer seeding is stable across Python
versions) draws `sample(claims, size)` from the period's paid claims ordered by claim number, a key
that never changes. The same seed over the same claims gives the same sample; the seed is shown so
anyone can draw it again.
"""

from __future__ import annotations

import random
from collections.abc import Sequence


def draw_sample(claim_numbers: Sequence[str], *, size: int, seed: int) -> list[str]:
    """`size` claim numbers (all if fewer), in draw order; see the module docstring."""
    population = sorted(claim_numbers)
    return random.Random(seed).sample(population, min(size, len(population)))
