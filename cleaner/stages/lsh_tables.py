"""The two tables datasketch derives for the near-duplicate index, derived here without it.

Importing datasketch imports scipy and the redis client (0.3-0.5 s of CPU per process, more
than the rest of a one-page run), yet the index needs only two small tables from it:

- **The permutation table** of its ``affine32`` MinHash scheme (`permutation_table`): odd
  multipliers and offsets drawn from numpy's seeded legacy generator, in datasketch's order.
- **The band layout** (`band_layout`). `MinHashLSH` picks the (bands, rows) whose weighted
  false-positive and false-negative areas under the S-curve are smallest, integrating each
  of ~670 candidate curves with `scipy.integrate.quad` (0.13 s per process). The S-curve
  1 - (1 - s^r)^b is a polynomial of degree b*r <= num_perm, so Gauss-Legendre quadrature
  with num_perm/2 + 1 nodes integrates it exactly (up to rounding) in one numpy step; the
  candidates are visited in datasketch's order and the first smallest error wins.

tests/stages/test_lsh_tables.py compares both tables with datasketch's.
"""

from __future__ import annotations

from functools import cache

import numpy as np


def permutation_table(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(multipliers, offsets), uint32: datasketch's ``MinHash(num_perm, seed).permutations``
    for the affine32 scheme, h -> a * h + b mod 2**32 with every `a` odd (a bijection)."""
    generator = np.random.RandomState(seed)
    multipliers = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2)
    multipliers += np.uint32(1)
    offsets = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return multipliers, offsets


@cache
def band_layout(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising the false-positive plus false-negative area, weighted
    equally (datasketch's default weights)."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold must be in [0.0, 1.0]")
    if num_perm < 2:
        raise ValueError("too few permutations (num_perm < 2)")
    bands, rows = _candidates(num_perm)
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)
    false_positive = _area(bands, rows, nodes, weights, 0.0, threshold, collides=True)
    false_negative = _area(bands, rows, nodes, weights, threshold, 1.0, collides=False)
    error = false_positive * 0.5 + false_negative * 0.5
    best = int(np.argmin(error))  # the first of equal errors, as datasketch's strict `<`
    return int(bands[best]), int(rows[best])


def _candidates(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (b, r) with b * r <= num_perm, b ascending then r ascending."""
    pairs = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    layout = np.array(pairs, dtype=np.float64)
    return layout[:, 0], layout[:, 1]


def _area(
    bands: np.ndarray,
    rows: np.ndarray,
    nodes: np.ndarray,
    weights: np.ndarray,
    low: float,
    high: float,
    *,
    collides: bool,
) -> np.ndarray:
    """Integral over [low, high] of P(collide) (or of P(miss)) for every candidate."""
    half = (high - low) / 2.0
    similarity = low + half * (nodes + 1.0)  # the nodes mapped from [-1, 1]
    missed = (1.0 - similarity[None, :] ** rows[:, None]) ** bands[:, None]
    probability = 1.0 - missed if collides else missed
    return half * (probability @ weights)
