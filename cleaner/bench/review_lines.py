"""How long a terminal review is, and how much of it is not the kept text.

    python -m cleaner.bench.review_lines ../shared/bench [--width 120] [--seeds seeds]

A review is useful when the kept text is all there and the chrome around it takes little
room. For each page this renders `cleaner diff`'s review (no colour) at `--width` columns and
counts:

- lines: the whole review;
- kept: lines showing kept text, found by rendering the page again with every kept block
  cut to one character (the difference is what the kept text adds) — blank lines between
  two kept paragraphs are counted apart as `separators`, since the article's own text
  separates its paragraphs the same way;
- other: lines - kept - separators: header, article headers, removed blocks and folds;
- closers: text lines that start with closing punctuation (`，` `。` `」`), which Chinese
  typesetting forbids (0 unless a run without any break opportunity is folded).

It also checks that every kept block's text is in the review, whole. Pages: the named
pages of the issue (a 163.com and a sina page of ``news-pages-zh``, seeds 002 and 003),
then every page of ``news-pages-zh``, split into tuning and test parts by
`cleaner.bench.holdout` so the fold settings are judged on pages they were not tuned on.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cleaner.bench.holdout import part_of
from cleaner.config import Config
from cleaner.inputs import InputFile, read_document
from cleaner.pipeline import process_document
from cleaner.records import article_records, document_view
from cleaner.report.console_output import cell_len, render_plain
from cleaner.report.render_document import column_widths
from cleaner.report.review import document_review
from cleaner.text import NO_LINE_START

SET_NAME = "news-pages-zh"
NAMED_PAGES = ("news-pages-zh/163/1.html", "news-pages-zh/sina/3.html")
NAMED_SEEDS = ("002_1de24dbb6a6a9ccd.txt", "003_7c0e3b62e9f8622c.txt")
# The bar: at most about this many lines besides the kept text.
TARGET_OTHER_LINES = 80


def page_view(path: Path, config: Config) -> dict[str, Any] | None:
    document = read_document(InputFile(path, path.name), config.inputs)
    result = process_document(document, config)
    if not hasattr(result, "blocks"):
        return None
    return document_view(result, article_records(result))


def rendered_lines(view: Mapping[str, Any], width: int) -> list[str]:
    rendered = render_plain(document_review(view, near_duplicates_checked=False), width)
    return [line.rstrip() for line in rendered.splitlines()]


def measure(view: Mapping[str, Any], width: int) -> dict[str, int | bool]:
    lines = rendered_lines(view, width)
    blocks = view["blocks"]
    kept = [block for block in blocks if block["rule"] is None]
    stub = [{**block, "text": "x"} if block["rule"] is None else block for block in blocks]
    stub_lines = rendered_lines({**view, "blocks": stub}, width)
    kept_lines = len(lines) - len(stub_lines) + len(kept)
    separators = sum(
        1
        for first, second in zip(blocks, blocks[1:], strict=False)
        if first["rule"] is None and second["rule"] is None
        and first["article"] == second["article"]
    )  # fmt: skip
    return {
        "lines": len(lines),
        "kept": kept_lines,
        "separators": separators,
        "other": len(lines) - kept_lines - separators,
        "kept_whole": all_kept_text_shown(lines, kept, width),
        "closer_starts": closers_at_line_start(lines, width),
    }


def all_kept_text_shown(lines: list[str], kept: Iterable[Mapping[str, Any]], width: int) -> bool:
    """Every kept block's characters, white space aside, appear in the text column."""
    text_width, _ = column_widths(width)
    shown = "".join("".join(_text_column(line, text_width).split()) for line in lines)
    return all("".join(block["text"].split()) in shown for block in kept)


def closers_at_line_start(lines: list[str], width: int) -> int:
    """Text lines that start with closing punctuation (，。」…), which typesetting forbids."""
    text_width, _ = column_widths(width)
    columns = [_text_column(line, text_width) for line in lines]
    return sum(
        1
        for previous, line, text in zip(lines, lines[1:], columns[1:], strict=False)
        # A wrapped line: its block's mark again right under a line with text.
        if line[:2] in ("  ", "- ") and line[:1] == previous[:1] and previous[2:].strip()
        and text[:1] in NO_LINE_START and not text.startswith("… ")
    )  # fmt: skip


def _text_column(line: str, text_width: int) -> str:
    """The text column of a review line: after the gutter, up to `text_width` cells."""
    cells, end = 0, 2
    while end < len(line) and cells + cell_len(line[end]) <= text_width:
        cells += cell_len(line[end])
        end += 1
    return line[2:end]


def named_pages(bench: Path, seeds: Path) -> list[tuple[str, Path]]:
    pages = [(name, bench / name) for name in NAMED_PAGES]
    return pages + [(f"seeds/{name}", seeds / name) for name in NAMED_SEEDS]


def report_row(name: str, figures: Mapping[str, int | bool]) -> str:
    return (
        f"{name:<40} {figures['lines']:>6} {figures['kept']:>6} {figures['separators']:>6} "
        f"{figures['other']:>6} {'yes' if figures['kept_whole'] else 'NO':>6} "
        f"{figures['closer_starts']:>8}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("bench", type=Path, help="the shared benchmark folder")
    parser.add_argument("--width", type=int, default=120)
    parser.add_argument("--seeds", type=Path, default=Path(__file__).parents[2] / "seeds")
    options = parser.parse_args(argv)
    config = Config()
    columns = ("lines", "kept", "separ.", "other", "whole")
    print(f"{'page':<40} " + " ".join(f"{name:>6}" for name in columns) + f" {'closers':>8}")
    for name, path in named_pages(options.bench, options.seeds):
        view = page_view(path, config)
        print(report_row(name, measure(view, options.width)) if view else f"{name}: failed")
    parts: dict[str, list[dict[str, int | bool]]] = {"tuning": [], "test": []}
    for path in sorted((options.bench / SET_NAME).glob("*/*.html")):
        item = path.relative_to(options.bench / SET_NAME).as_posix()
        view = page_view(path, config)
        if view is not None and view["blocks"]:
            parts[part_of(SET_NAME, item)].append(measure(view, options.width))
    for part, rows in parts.items():
        others = [row["other"] for row in rows]
        within = sum(other <= TARGET_OTHER_LINES for other in others)
        whole = sum(bool(row["kept_whole"]) for row in rows)
        closers = sum(int(row["closer_starts"]) for row in rows)
        print(
            f"{SET_NAME} {part}: {len(rows)} pages, other lines median "
            f"{statistics.median(others):.0f}, max {max(others)}, "
            f"<= {TARGET_OTHER_LINES}: {within}/{len(rows)}, kept text whole: {whole}/{len(rows)}, "
            f"lines starting with a closer: {closers}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
