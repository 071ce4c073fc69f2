"""Split stage (placeholder until its issue lands)."""

from __future__ import annotations

from dataclasses import dataclass

from cleaner.document import Document

NAME = "split"


@dataclass(frozen=True)
class SplitConfig:
    enabled: bool = True


def apply(document: Document, config) -> Document:
    return document
