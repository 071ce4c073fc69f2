"""Language stage: tag each document with a coarse language code from its kept text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cleaner.document import Document
from cleaner.text import IDEOGRAPH

NAME = "language"

_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# A page is Chinese when Han characters outnumber Latin words: a Chinese article quoting
# English names stays "zh", an English one quoting a Chinese name stays "en".
_SAMPLE_CHARS = 20_000


def guess_language(text: str) -> str | None:
    """Return "zh", "en" or None for too little text.

    >>> guess_language("青岛高新区走活产业新棋局")
    'zh'
    >>> guess_language("The quick brown fox jumps over the lazy dog")
    'en'
    """
    sample = text[:_SAMPLE_CHARS]
    han = len(IDEOGRAPH.findall(sample))
    latin = len(_LATIN_WORD.findall(sample))
    if han == 0 and latin == 0:
        return None
    return "zh" if han >= latin else "en"


@dataclass(frozen=True)
class LanguageConfig:
    # Off = leave `lang` empty (a pipeline that knows its languages saves the guess).
    enabled: bool = True


def apply(document: Document, settings: LanguageConfig) -> Document:
    if not settings.enabled:
        return document
    kept = "\n".join(block.text for block in document.kept_blocks())
    document.lang = guess_language(kept or document.text)
    return document
