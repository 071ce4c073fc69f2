"""Dedup stage: near-duplicate stories across documents (placeholder until issue 6 lands).

Unlike the per-document stages, dedup sees every record of the run, in input order. The
pipeline calls `NearDuplicateIndex.check_and_add` once per article record and copies the
verdict into the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

NAME = "dedup"


@dataclass(frozen=True)
class DedupConfig:
    enabled: bool = True


@dataclass(frozen=True)
class DedupVerdict:
    """What the index says about one record, relative to the records indexed before it.

    relation: None (no near duplicate), "duplicate", "contains" or "contained_in".
    other: the id of the earlier record the relation points at.
    """

    relation: str | None = None
    other: str | None = None
    similarity: float | None = None


class NearDuplicateIndex:
    def __init__(self, config: DedupConfig, location: str | Path | None = None) -> None:
        self.config = config

    def check_and_add(self, record_id: str, text: str) -> DedupVerdict:
        return DedupVerdict()

    def close(self) -> None:
        """Persist the index (if persistent) and release connections."""
