"""What the spam benchmark scores: a judge, run where the spam stage runs.

A `Judge` is anything that marks blocks of a document removed, given the document as the
stages before the spam stage leave it (decode, extract, reflow, boilerplate). The current
spam stage is one judge; a future classifier is another: the benchmark never asks how a
judge decides, only which text is still kept after it. So every figure is a statement
about text: a piece of text is *kept* when it can be found, white space aside, in the
concatenated kept blocks.

A judge is named on the command line as ``module:factory``, where ``factory(config)``
returns a `Judge`; the default is `spam_stage_judge`.
"""

from __future__ import annotations

import importlib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cleaner.config import Config
from cleaner.document import Block, Document
from cleaner.pipeline import StageFailure, process_document
from cleaner.stages import DEFAULT_STAGES, spam

# The stages that run before the spam stage, in pipeline order.
FRONT_STAGES = DEFAULT_STAGES[: DEFAULT_STAGES.index(spam)]
DEFAULT_JUDGE = "cleaner.bench.spam_judge:spam_stage_judge"


@dataclass(frozen=True)
class Judge:
    """Marks spam blocks of a document removed (never deletes them) and returns it."""

    name: str
    apply: Callable[[Document], Document]


def spam_stage_judge(config: Config) -> Judge:
    """The spam stage as it is, with the run's settings."""
    return Judge("spam stage", lambda document: spam.apply(document, config.spam))


def load_judge(spec: str, config: Config) -> Judge:
    """``module:factory`` -> the judge that ``factory(config)`` builds."""
    module_name, _, factory_name = spec.partition(":")
    if not module_name or not factory_name:
        raise ValueError(f"judge {spec!r}: expected module:factory")
    factory = getattr(importlib.import_module(module_name), factory_name)
    judge = factory(config)
    if not isinstance(judge, Judge):
        raise TypeError(f"judge {spec!r}: {factory_name}() returned {type(judge).__name__}")
    return judge


# ---------------------------------------------------------------- text found in text

_WHITE_SPACE = re.compile(r"\s+")


def compact(text: str) -> str:
    """The text without white space: extraction re-spaces text, so presence ignores it."""
    return _WHITE_SPACE.sub("", text)


def kept_text(document: Document) -> str:
    """All kept blocks, compacted and concatenated (a paragraph split over two blocks
    is still found)."""
    return "".join(compact(block.text) for block in document.blocks if block.kept)


def pieces_of(text: str) -> list[str]:
    """The lines of a text, compacted; empty lines dropped. A spam block that a page
    shows as several blocks (a list, a card) is looked for line by line."""
    return [piece for piece in (compact(line) for line in text.splitlines()) if piece]


def kept_share(pieces: Iterable[str], text: str) -> float:
    """Share of the pieces' characters found in `text` (1.0 for no pieces)."""
    total = found = 0
    for piece in pieces:
        total += len(piece)
        if piece in text:
            found += len(piece)
    return found / total if total else 1.0


# ---------------------------------------------------------------- one document


@dataclass
class Judged:
    """A document before and after the judge: the kept text on both sides, the blocks the
    judge removed, the seconds it took, and the document itself (after the judge)."""

    document: Document
    before: str
    after: str
    judge_seconds: float
    removed_by_judge: list[Block]


def judge_document(document: Document, config: Config, judge: Judge) -> Judged | StageFailure:
    """Run the stages before the spam stage, then the judge, timing the judge alone."""
    result = process_document(document, config, stages=FRONT_STAGES)
    if isinstance(result, StageFailure):
        return result
    before = kept_text(result)
    kept_blocks = {id(block) for block in result.blocks if block.kept}
    started = time.perf_counter()
    judged = judge.apply(result)
    seconds = time.perf_counter() - started
    # Blocks kept before and removed after (a judge that builds new blocks names none).
    removed = [block for block in judged.blocks if id(block) in kept_blocks and not block.kept]
    return Judged(judged, before, kept_text(judged), seconds, removed)
