"""What the spam stage costs per page, with and without its block model.

Usage::

    python -m cleaner.bench.spam_speed ../shared/bench [--repeats 5] [--sets extraction-en ...]

The pages (by default the HTML pages of extraction-en and extraction-zh, the README's
figure) go through the stages before the spam stage once; then the spam stage runs
`--repeats` times on a fresh copy of each, with the model and with the rules alone. A
page's time is the least CPU time of its runs: on a machine shared with other jobs the
least is the one least disturbed, so two runs of this bench agree where means do not.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import time
from pathlib import Path

from cleaner.bench.spam_injection import bench_pages
from cleaner.bench.spam_judge import FRONT_STAGES
from cleaner.config import Config
from cleaner.document import Document
from cleaner.pipeline import StageFailure, process_document
from cleaner.stages import spam

DEFAULT_SETS = ("extraction-en", "extraction-zh")


def front_documents(bench: Path, sets: tuple[str, ...], config: Config) -> list[Document]:
    documents = []
    for page in bench_pages(bench):
        if page.set_name not in sets:
            continue
        document = Document(f"{page.set_name}/{page.page_id}", raw=page.raw, media_type="html")
        result = process_document(document, config, stages=FRONT_STAGES)
        if not isinstance(result, StageFailure):
            documents.append(result)
    return documents


def ms_per_page(documents: list[Document], settings: spam.SpamConfig, repeats: int) -> float:
    spam.prepare(settings)
    total = 0.0
    for document in documents:
        least = float("inf")
        for _ in range(repeats):
            fresh = copy.deepcopy(document)
            started = time.process_time()
            spam.apply(fresh, settings)
            least = min(least, time.process_time() - started)
        total += least
    return total * 1000 / max(1, len(documents))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sets", nargs="+", default=list(DEFAULT_SETS))
    arguments = parser.parse_args(argv)
    config = Config()
    documents = front_documents(arguments.bench, tuple(arguments.sets), config)
    with_model = ms_per_page(documents, config.spam, arguments.repeats)
    rules = dataclasses.replace(config.spam, model_enabled=False)
    rules_only = ms_per_page(documents, rules, arguments.repeats)
    print(f"{len(documents)} HTML pages of {', '.join(arguments.sets)}")
    print(f"spam stage: {with_model:.2f} ms/page with the model, {rules_only:.2f} rules alone")
    print(f"the model: {with_model - rules_only:.2f} ms/page")


if __name__ == "__main__":
    main()
