"""The unpacked-model cache: the same model from the cache, from a damaged cache and with
no cache at all."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cleaner import model_cache
from cleaner.stages import language

TEXTS = [
    "青岛高新区走活产业新棋局",
    "Der Stadtrat hat am Dienstag die Nachtbusse verlängert.",
    "The council said on Monday the harbour would open next month.",
    "Le conseil municipal a voté le budget mardi soir.",
    "東京都は月曜日、新しい計画を発表した。",
]


def scores(model) -> list[tuple[str, float]]:
    model.set_languages([code for code in model.labels if len(code) == 2])
    return [model.classify(text) for text in TEXTS]


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "cleaner"


def test_the_cached_model_answers_as_the_packed_one(cache_home: Path) -> None:
    first = scores(language._load_model())  # unpacks and writes the cache
    (folder,) = cache_home.iterdir()
    assert (folder / "arrays.txt").is_file()
    assert scores(language._load_model()) == first  # read from the cache
    assert scores(language._identifier(_packed_arrays())) == first  # never the cache


def _packed_arrays() -> dict[str, np.ndarray]:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return language._unpacked_model_arrays(MODEL_DIR / MODEL_FILE)


def test_a_damaged_cache_is_not_used(cache_home: Path) -> None:
    expected = scores(language._load_model())
    (folder,) = cache_home.iterdir()
    (folder / "ptc.npy").write_bytes(b"\x93NUMPY damaged")
    assert scores(language._load_model()) == expected


def test_an_unwritable_cache_leaves_the_model_unpacked_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert model_cache.cache_root() == blocker / "cleaner"
    assert scores(language._load_model()) == scores(language._identifier(_packed_arrays()))
    assert blocker.is_file()
