"""The tables computed without datasketch are the ones datasketch derives."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from cleaner.stages.lsh_tables import band_layout, permutation_table

THRESHOLDS = [0.05, 0.15, 0.25, 0.33, 0.5, 0.7, 0.9, 0.98]


@pytest.mark.parametrize("num_perm", [16, 64, 128])
@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_layout_equals_datasketch(threshold: float, num_perm: int) -> None:
    bands, rows = band_layout(threshold, num_perm)
    try:
        derived = MinHashLSH(threshold=threshold, num_perm=num_perm)
    except ValueError:
        # Its best layout is one band of many rows, which MinHashLSH refuses (and the
        # config check reports).
        assert bands < 2
        return
    assert (bands, rows) == (derived.b, derived.r)


@pytest.mark.parametrize("threshold, num_perm", [(-0.1, 128), (1.5, 128), (0.5, 1)])
def test_impossible_settings_are_refused(threshold: float, num_perm: int) -> None:
    with pytest.raises(ValueError):
        band_layout(threshold, num_perm)


@pytest.mark.parametrize("num_perm, seed", [(128, 1), (64, 7), (256, 12345), (2, 0)])
def test_permutation_table_equals_datasketch(num_perm: int, seed: int) -> None:
    multipliers, offsets = permutation_table(num_perm, seed)
    expected_multipliers, expected_offsets = MinHash(num_perm=num_perm, seed=seed).permutations
    assert multipliers.dtype == offsets.dtype == np.uint32
    assert np.array_equal(multipliers, expected_multipliers)
    assert np.array_equal(offsets, expected_offsets)
    assert np.all(multipliers % 2 == 1)
