"""The MinHash scheme of the near-duplicate index: datasketch's, from its public API.

The index keeps its own band tables and record store (datasketch's in-memory bucket sets
cost about 15 KB per document, see the README), but what makes a signature and a band is
datasketch's:

- **the permutation table** of its ``affine32`` MinHash scheme,
  ``MinHash(num_perm, seed).permutations``: h -> a * h + b mod 2**32, every `a` odd;
- **the band layout** ``MinHashLSH(threshold, num_perm)`` chooses: the (bands, rows) whose
  false-positive plus false-negative areas under the S-curve are smallest.

Signatures made with the table equal ``MinHash.update_batch``'s bit for bit
(tests/stages/test_dedup.py), so an index can be checked against datasketch at any time.
datasketch is imported on first use, when a run fingerprints its first document: it
imports scipy (about 0.35 s of CPU after numpy), which `cleaner --help`, `cleaner diff`
and a run without near-duplicate detection never need.
"""

from __future__ import annotations

from functools import cache

import numpy as np


@cache
def permutation_table(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(multipliers, offsets), uint32, of datasketch's MinHash with these settings."""
    from datasketch import MinHash

    multipliers, offsets = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    return (
        np.ascontiguousarray(multipliers, dtype=np.uint32),
        np.ascontiguousarray(offsets, dtype=np.uint32),
    )


@cache
def band_layout(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) datasketch's MinHashLSH picks for `threshold` with `num_perm`
    permutations (equal weights on false positives and false negatives)."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold must be in [0.0, 1.0]")
    if num_perm < 2:
        raise ValueError("too few permutations (num_perm < 2)")
    from datasketch import MinHashLSH

    try:
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    except ValueError as error:
        # Its best layout has a single band, which it refuses: report that layout.
        if "band" not in str(error).lower():
            raise
        return 1, num_perm
    return int(lsh.b), int(lsh.r)
