"""The spam stage on newspaper PDF pages: real paragraphs it removes, spam put in it keeps.

    python -m cleaner.bench.pdf_spam BENCH [--labelled fixtures/spam/labelled]
        [--part tuning] [--seeds 7,8,9,10] [--pages 160] [--show] [--story-raise R]
        [--story-floor P] [--wide]

Pages are the PDF bench's (`cleaner.bench.newspaper_pdf`, stories of the part), read by the
PDF route up to the spam stage. Three counts:

- real paragraphs removed: blocks the spam stage removes whose text is printed in one of
  the page's stories, by rule (with `--show`, each one);
- spam kept: on pages of two or more stories, labelled spam rows of the same part (hidden
  text aside: a PDF has no CSS) put one at a time after a body block of a story, as a block
  of that story; the share the stage removes;
- look-alikes removed: the labelled set's real paragraphs that look like spam (a hotline
  quoted in a report, a story about loan fraud), of the same part, put in the same way
  (its own draw, so the spam count's draws do not move): a harder case than a notice's
  own paragraph, which shares its story's topic.

With `--wide` the tuning part's stories are joined by the wider tuning pool
(`newspaper_pdf.wider_tuning_stories`: the extraction-web truths and the Chinese news
pages, tuning part only), which holds the notices and job pages the bench's own tuning
stories lack. The test part is for the final figure: `--show` prints nothing for it, and
it is never widened.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import random
import re
from collections import Counter
from pathlib import Path

from cleaner.bench.newspaper_pdf import generate, stories_from_bench, wider_tuning_stories
from cleaner.bench.spam_measures import read_rows
from cleaner.config import Config
from cleaner.document import Block, Document, Role
from cleaner.pipeline import StageFailure, process_document
from cleaner.stages import PDF_STAGES, spam

# Spam rows put into each page of two or more stories.
INJECTIONS_PER_PAGE = 2
INJECTION_SEED = 17
LOOKALIKE_SEED = 18


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
    """(removed, put in): labelled rows (spam, or look-alikes) put one at a time after a
    story's body block."""
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
    parser.add_argument(
        "--story-floor", type=float, default=None, help="SpamConfig.model_story_min_probability"
    )
    parser.add_argument(
        "--wide", action="store_true", help="tuning: add the wider tuning pool's stories"
    )
    args = parser.parse_args(argv)
    rows, _ = read_rows(args.labelled)
    of_part = [row for row in rows if row["part"] == args.part and row["family"] != "hidden"]
    spam_rows = [row for row in of_part if row["label"] == "spam"]
    lookalike_rows = [row for row in of_part if row["label"] != "spam"]
    stories = stories_from_bench(args.bench)[args.part]
    if args.wide and args.part == "tuning":
        stories += wider_tuning_stories(args.bench)
    config, rng = Config(), random.Random(INJECTION_SEED)
    lookalike_rng = random.Random(LOOKALIKE_SEED)
    if args.story_raise is not None:
        settings = dataclasses.replace(config.spam, model_story_topic_raise=args.story_raise)
        config = dataclasses.replace(config, spam=settings)
    if args.story_floor is not None:
        settings = dataclasses.replace(config.spam, model_story_min_probability=args.story_floor)
        config = dataclasses.replace(config, spam=settings)
    removals: Counter[str] = Counter()
    removed = injected = lookalikes_removed = lookalikes = 0
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
            lost, put_in = injected_spam_removed(document, lookalike_rows, lookalike_rng, config)
            lookalikes_removed, lookalikes = lookalikes_removed + lost, lookalikes + put_in
    total = sum(removals.values())
    print(f"[{args.part}] seeds {args.seeds}: real paragraphs removed {total} {dict(removals)}")
    print(
        f"[{args.part}] spam put into stories removed {removed}/{injected} "
        f"({removed / max(1, injected):.3f})"
    )
    print(
        f"[{args.part}] look-alikes put into stories removed {lookalikes_removed}/{lookalikes} "
        f"({lookalikes_removed / max(1, lookalikes):.3f})"
    )


if __name__ == "__main__":
    main()
