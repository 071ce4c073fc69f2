"""The spam stage on newspaper PDF pages: real paragraphs it removes, spam put in it keeps.

    python -m cleaner.bench.pdf_spam BENCH [--labelled fixtures/spam/labelled]
        [--part tuning] [--seeds 7,8,9,10] [--pages 160] [--show] [--story-raise R]

Pages are the PDF bench's (`cleaner.bench.newspaper_pdf`, stories of the part), read by the
PDF route up to the spam stage. Two counts:

- real paragraphs removed: blocks the spam stage removes whose text is printed in one of
  the page's stories, by rule (with `--show`, each one);
- spam kept: on pages of two or more stories, labelled spam rows of the same part (hidden
  text aside: a PDF has no CSS) put one at a time after a body block of a story, as a block
  of that story; the share the stage removes.

The test part is for the final figure: `--show` prints nothing for it.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import random
import re
from collections import Counter
from pathlib import Path

from cleaner.bench.newspaper_pdf import generate, stories_from_bench
from cleaner.bench.spam_measures import read_rows
from cleaner.config import Config
from cleaner.document import Block, Document, Role
from cleaner.pipeline import StageFailure, process_document
from cleaner.stages import PDF_STAGES, spam

# Spam rows put into each page of two or more stories.
INJECTIONS_PER_PAGE = 2
INJECTION_SEED = 17


def compact(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def front_document(page_id: str, pdf: bytes, config: Config) -> Document | None:
    """The page as the spam stage receives it."""
    route = PDF_STAGES[: PDF_STAGES.index(spam)]
    result = process_document(Document(page_id, raw=pdf, media_type="pdf", page=0), config, route)
    return None if isinstance(result, StageFailure) else result


def real_removals(document: Document, truth: dict, config: Config) -> list[Block]:
    """The blocks printed in the page's stories that the spam stage removes."""
    printed = compact(" ".join(p for article in truth["articles"] for p in article["paragraphs"]))
    judged = spam.apply(copy.deepcopy(document), config.spam)
    return [
        block
        for block in judged.blocks
        if not block.kept
        and block.removal.stage == spam.NAME
        and len(compact(block.text)) >= 4
        and compact(block.text) in printed
    ]


def injected_spam_removed(
    document: Document, rows: list[dict], rng: random.Random, config: Config
) -> tuple[int, int]:
    """(removed, put in): spam rows put one at a time after a story's body block."""
    body = [
        index
        for index, block in enumerate(document.blocks)
        if block.kept and block.role is Role.BODY
    ]
    if len(document.articles) < 2 or not body:
        return 0, 0
    removed = 0
    for _ in range(INJECTIONS_PER_PAGE):
        row, after = rng.choice(rows), rng.choice(body)
        page = copy.deepcopy(document)
        page.blocks.insert(after + 1, Block(row["text"], article=page.blocks[after].article))
        spam.apply(page, config.spam)
        removed += not page.blocks[after + 1].kept
    return removed, INJECTIONS_PER_PAGE


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bench", type=Path)
    parser.add_argument("--labelled", type=Path, default=Path("fixtures/spam/labelled"))
    parser.add_argument("--part", choices=("tuning", "test"), default="tuning")
    parser.add_argument("--seeds", default="7,8,9,10")
    parser.add_argument("--pages", type=int, default=160, help="pages per seed")
    parser.add_argument("--show", action="store_true", help="print each removal (tuning)")
    parser.add_argument(
        "--story-raise", type=float, default=None, help="SpamConfig.model_story_topic_raise"
    )
    args = parser.parse_args(argv)
    rows, _ = read_rows(args.labelled)
    spam_rows = [
        row
        for row in rows
        if row["part"] == args.part and row["label"] == "spam" and row["family"] != "hidden"
    ]
    stories = stories_from_bench(args.bench)[args.part]
    config, rng = Config(), random.Random(INJECTION_SEED)
    if args.story_raise is not None:
        settings = dataclasses.replace(config.spam, model_story_topic_raise=args.story_raise)
        config = dataclasses.replace(config, spam=settings)
    removals: Counter[str] = Counter()
    removed = injected = 0
    for seed in (int(seed) for seed in args.seeds.split(",")):
        for page_id, pdf, truth in generate(stories, args.pages, seed):
            document = front_document(page_id, pdf, config)
            if document is None:
                continue
            for block in real_removals(document, truth, config):
                removals[block.removal.rule] += 1
                if args.show and args.part == "tuning":
                    print(f"  {page_id} {block.removal.rule}: {block.text[:70]!r}")
            spam_removed, put_in = injected_spam_removed(document, spam_rows, rng, config)
            removed, injected = removed + spam_removed, injected + put_in
    total = sum(removals.values())
    print(f"[{args.part}] seeds {args.seeds}: real paragraphs removed {total} {dict(removals)}")
    print(
        f"[{args.part}] spam put into stories removed {removed}/{injected} "
        f"({removed / max(1, injected):.3f})"
    )


if __name__ == "__main__":
    main()
