"""Language stage: tag each document with the ISO 639-1 code of its kept text, and take out
the documents in a language the run does not keep (``--lang``).

The identifier is py3langid (BSD-3, a maintained fork of langid.py): a naive Bayes model over
byte n-grams (116 languages with an ISO 639-1 code), shipped inside the package (no download
at run time), with probabilities calibrated for short text. The README says why it was
chosen over the others.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from cleaner.document import Document

NAME = "language"
NOT_KEPT = "language.not_kept"  # the rule of cleaner/rules/language.py

# Letters of any script; a text with none (numbers, punctuation) has no language.
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class LanguageConfig:
    # Off = leave `lang` empty (a pipeline that knows its languages saves the guess).
    enabled: bool = True
    # ISO 639-1 codes to keep (`--lang zh,en`); empty keeps every language. A document in
    # another language has its blocks removed as `language.not_kept` and writes no article;
    # one whose language cannot be told (too little text) is kept.
    keep: tuple[str, ...] = ()
    # Characters of kept text the identifier reads. One sentence is already enough on the
    # multilingual fixture (74 of 75 right), and the cost grows with the length (about 1 ms per
    # 1,000 characters), so a long article is judged by its opening.
    sample_chars: int = 2000
    # Below this probability the guess is no answer (lang null): a single word or a name
    # is not evidence of a language ("Apple" 0.04 Latin, "Reuters" 0.16 German, "München"
    # 0.30). Every sentence of the fixture's tuning part scores 0.65 or more, most above
    # 0.87; 0.5 sits in the gap.
    min_confidence: float = 0.5


class _Identifier:
    """The py3langid model, loaded once per process (it takes about a second) and limited
    to the languages that have an ISO 639-1 code."""

    _model = None

    @classmethod
    def model(cls):
        if cls._model is None:
            model = _load_model()
            # The model also knows regional varieties with three-letter codes (wuu, yue,
            # arz ...); their text belongs to the two-letter language (zh, ar), which wins
            # once they are left out.
            model.set_languages([code for code in model.labels if len(code) == 2])
            cls._model = model
        return cls._model


def _load_model():
    """py3langid's model, from an unpacked copy in the user's cache when there is one.

    The package ships it LZMA-packed (68 MB unpacked): unpacking takes ~0.35 s of CPU in
    every process, most of a one-page run's start-up. The first run keeps the unpacked
    arrays (`cleaner.model_cache`); when the cache cannot be read or written (no home, a
    full disk, a file-size limit) the model is unpacked in memory as before, never through
    a temporary file (a full disk then failed every document), so the answers are the same.
    """
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    from cleaner.model_cache import cached_arrays

    arrays = cached_arrays("language", MODEL_DIR / MODEL_FILE, _unpacked_model_arrays)
    return _identifier(arrays)


_MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "out_feat", "nextmove_row")


def _unpacked_model_arrays(packed_path) -> dict:
    import lzma

    import numpy as np

    with lzma.open(packed_path) as packed:
        archive = io.BytesIO(packed.read())
    with np.load(archive, allow_pickle=False) as data:
        return {name: np.asarray(data[name]) for name in _MODEL_ARRAYS}


def _identifier(arrays: dict):
    import numpy as np
    from py3langid.langid import LanguageIdentifier
    from py3langid.modelio import _to_array

    return LanguageIdentifier(
        np.asarray(arrays["ptc"]),
        np.asarray(arrays["pc"]),
        arrays["classes"].tolist(),
        _to_array(arrays["nextmove"]),
        arrays["out_feat"].tolist(),
        norm_probs=True,
        tk_row=_to_array(arrays["nextmove_row"]),
    )


def known_languages() -> list[str]:
    """Every ISO 639-1 code the identifier can answer, sorted."""
    return sorted(_Identifier.model().nb_classes)


def identify_language(
    text: str,
    sample_chars: int = LanguageConfig.sample_chars,
    min_confidence: float = LanguageConfig.min_confidence,
) -> str | None:
    """The ISO 639-1 code of `text`, or None when it has too little to tell.

    >>> identify_language("青岛高新区走活产业新棋局")
    'zh'
    >>> identify_language("Der Stadtrat hat am Dienstag die Nachtbusse verlängert.")
    'de'
    >>> identify_language("2024-05-01 12:00") is None
    True
    """
    sample = text[:sample_chars]
    if not _LETTER.search(sample):
        return None
    code, confidence = _Identifier.model().classify(sample)
    return code if confidence >= min_confidence else None


def keeps(lang: str | None, settings: LanguageConfig) -> bool:
    """Does the run keep a document in `lang`? Every language when no list is given, and
    a document whose language could not be told."""
    return not settings.keep or lang is None or lang in settings.keep


def prepare(settings: LanguageConfig) -> None:
    if settings.enabled or settings.keep:
        _Identifier.model()


def apply(document: Document, settings: LanguageConfig) -> Document:
    if not settings.enabled and not settings.keep:
        return document
    kept = "\n".join(block.text for block in document.kept_blocks())
    document.lang = identify_language(
        kept or document.text, settings.sample_chars, settings.min_confidence
    )
    if not keeps(document.lang, settings):
        detail = f"{document.lang}; the run keeps {','.join(settings.keep)}"
        for block in document.kept_blocks():
            block.remove(NOT_KEPT, NAME, detail)
    return document
