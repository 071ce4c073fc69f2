"""The index's MinHash scheme comes from datasketch, with the settings the config allows."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner.config import ConfigError, load_config
from cleaner.stages.lsh_tables import band_layout, permutation_table


@pytest.mark.parametrize("num_perm, seed", [(128, 1), (64, 7), (2, 0)])
def test_the_permutations_are_bijections_fixed_by_the_seed(num_perm: int, seed: int) -> None:
    multipliers, offsets = permutation_table(num_perm, seed)
    assert multipliers.dtype == offsets.dtype == np.uint32
    assert multipliers.shape == offsets.shape == (num_perm,)
    assert np.all(multipliers % 2 == 1)  # odd: h -> a*h + b mod 2**32 loses nothing
    other_multipliers, _ = permutation_table(num_perm, seed + 1)
    assert not np.array_equal(multipliers, other_multipliers)


@pytest.mark.parametrize("threshold, num_perm", [(-0.1, 128), (1.5, 128), (0.5, 1)])
def test_impossible_settings_are_refused(threshold: float, num_perm: int) -> None:
    with pytest.raises(ValueError):
        band_layout(threshold, num_perm)


def test_a_threshold_too_high_for_the_permutations_is_a_config_error() -> None:
    assert band_layout(0.98, 16)[0] == 1  # datasketch would use a single band
    with pytest.raises(ConfigError, match="candidate_threshold"):
        load_config(dedup={"candidate_threshold": 0.98, "num_perm": 16})
    assert band_layout(0.5, 16)[0] >= 2
    load_config(dedup={"candidate_threshold": 0.5, "num_perm": 16})
