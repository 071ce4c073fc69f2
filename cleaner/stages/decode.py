"""Decode stage: bytes -> text, recording which encoding was used and how it was decided."""

from __future__ import annotations

from dataclasses import dataclass

import chardet

from cleaner.document import Document, DocumentError, EncodingGuess

NAME = "decode"


@dataclass(frozen=True)
class DecodeConfig:
    # Share of control bytes (other than tab/newline/CR/FF/ESC) above which a file is
    # treated as binary. 1% tolerates a stray NUL in a scraped page; images exceed it.
    max_control_ratio: float = 0.01


def apply(document: Document, config) -> Document:
    raw = document.raw
    if not raw.strip():
        raise DocumentError("empty", "file is empty or holds only white space")
    try:
        document.text = raw.decode("utf-8")
        document.encoding = EncodingGuess("utf-8", 1.0, "utf8")
    except UnicodeDecodeError:
        guess = chardet.detect(raw)
        encoding = guess.get("encoding") or "utf-8"
        document.text = raw.decode(encoding, errors="replace")
        document.encoding = EncodingGuess(encoding.lower(), guess.get("confidence") or 0.0, "detector")
    return document
