"""Markdown and plain text: one block per blank-line separated paragraph."""

from __future__ import annotations

import re

from cleaner.document import HEADING, Block
from cleaner.text import ENDS_SENTENCE, display_width, is_mostly_latin, join_lines

NAME = "extract"

# ---------------------------------------------------------------- Markdown / text

# Link text holds no bracket and a target no parenthesis: each attempt then stops at the
# next bracket, so a page of ten thousand "[" cannot make the engine backtrack for minutes.
_MARKDOWN_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^()]*\)")
MARKDOWN_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
MARKDOWN_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")
_MARKDOWN_BOLD = re.compile(r"\*\*([^*]+)\*\*|__([^_]+)__")
# A Markdown line that starts its own block (heading, quote, list item, image) is never
# the wrapped rest of the line before.
_MARKDOWN_BLOCK_START = re.compile(r"\s*(?:#{1,6}\s|>|[-*+]\s|\d+[.)]\s|!\[)")


def text_blocks(text: str, markdown: bool = True) -> list[Block]:
    """Split plain or Markdown text into paragraph blocks.

    A blank line always ends a paragraph. Inside a blank-line chunk, lines that are each a
    paragraph (a digest: title, byline, then one paragraph per line) stay apart; only lines
    wrapped at a width are joined (`wrapped_runs`). Hard-wrapped column pages are rebuilt
    by the reflow stage from the whole text, whatever blocks are made here."""
    blocks: list[Block] = []
    for chunk in PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        heading = _MARKDOWN_HEADING.match(lines[0].strip()) if markdown or "#" in chunk else None
        if heading and len(lines) == 1:
            block = Block(heading.group(2), kind=HEADING, tag=f"h{len(heading.group(1))}")
            block.after_blank = True
            blocks.append(block)
            continue
        for number, run in enumerate(wrapped_runs(lines, markdown)):
            block = _paragraph_block(run, markdown)
            block.after_blank = number == 0
            blocks.append(block)
    return blocks


def _paragraph_block(lines: list[str], markdown: bool = True) -> Block:
    heading = _MARKDOWN_HEADING.match(lines[0].strip()) if len(lines) == 1 else None
    if heading:
        return Block(heading.group(2), kind=HEADING, tag=f"h{len(heading.group(1))}")
    paragraph = join_lines(lines)
    only_images = _MARKDOWN_IMAGE.sub("", paragraph).strip() == ""
    paragraph = _MARKDOWN_IMAGE.sub(r"\1", paragraph)
    link_text = "".join(match.group(1) for match in MARKDOWN_LINK.finditer(paragraph))
    paragraph = MARKDOWN_LINK.sub(r"\1", paragraph)
    paragraph = MARKDOWN_AUTOLINK.sub(r"\1", paragraph)
    bold = _MARKDOWN_BOLD.fullmatch(paragraph.strip()) if markdown else None
    if bold:
        # A paragraph set wholly in bold: under a heading, a digest's subtitle line.
        inner = (bold.group(1) or bold.group(2)).strip()
        block = Block(inner, link_chars=len(link_text), tag="strong")
    else:
        block = Block(paragraph, link_chars=len(link_text))
    if only_images:
        block.remove("extract.image", NAME, "a Markdown image with no text around it")
    return block


# A line at least this share of the chunk's widest line, stopping without a full stop,
# was cut at the column edge. Titles and bylines over a digest's paragraphs measure a
# fifth of them or less; the lines of a text wrapped at a width are within a few
# characters of each other.
_WRAPPED_SHARE = 0.7
# Text wrapped at a width is wrapped at 80 Latin characters or 40 CJK ones, rarely more; a
# longer line is a paragraph of its own, even when it stops without a full stop.
_WIDEST_WRAPPED_LINE = 50.0
# Fewest lines of a chunk that are kept apart: a digest article prints at least a title
# and two paragraphs. Two lines are more often one widget or notice printed over two
# (seed 001's "请说明您的需求…" over "长按/扫一扫…", which spam judges as one block),
# unless one is a paragraph wider than any wrap: then the other is a digest article's
# title over its one paragraph (it had been glued to it, and the article to the one
# before; tuning digest pages, 7,000 generated: recovered 0.944 -> 0.950).
_FEWEST_SEPARATE_LINES = 3
# ... and only in a chunk holding two or more lines that are paragraphs (or, in plain
# text, one wider than `_WIDEST_WRAPPED_LINE`): a sentence ended at
# 24 CJK characters or more (the shortest paragraphs of the split bench's digests have 20
# to 30), or at 60 Latin characters (an English paragraph of one sentence). A chunk of
# short lines is a widget, a menu or a notice (seed 002's "評論一下 / 評論 0人參與 / …"),
# judged whole.
_PARAGRAPH_WIDTH = 24.0
_PARAGRAPH_LATIN_CHARS = 60


def wrapped_runs(lines: list[str], markdown: bool = False) -> list[list[str]]:
    """Group the lines of one blank-line chunk into paragraphs: a line continues the one
    before when that one was cut at the width (as wide as the chunk's widest lines and
    stopping mid-sentence) or when it opens in lower case. In plain text, a chunk holding
    a paragraph line wider than any text is wrapped at was not wrapped at all: each of
    its lines is a paragraph (a digest's kicker, title, subtitle, byline and paragraphs,
    a subtitle opening in lower case too).

    >>> said = "The storm came in over the coast on Monday and left by night, the council said."
    >>> [len(run) for run in wrapped_runs(["Storm Hits the Coast", "By Jane Smith", said, said])]
    [1, 1, 1, 1]
    >>> wrapped_runs(["The storm came in over the coast", "and it left", "by night."])
    [['The storm came in over the coast', 'and it left', 'by night.']]
    >>> long = said + " Roads were closed, trains stopped and schools sent children home early."
    >>> [len(run) for run in wrapped_runs(["Storm Hits the Coast", "as roads close", long])]
    [1, 1, 1]
    >>> [len(run) for run in wrapped_runs(["Storm Hits the Coast", long])]
    [1, 1]
    >>> wrapped_runs(["Scan the code to follow us", "and get a coupon"])
    [['Scan the code to follow us', 'and get a coupon']]
    """
    paragraph_lines = [line.strip() for line in lines if _is_paragraph_line(line.strip())]
    unwrapped = not markdown and any(
        display_width(line) > _WIDEST_WRAPPED_LINE for line in paragraph_lines
    )
    if unwrapped:
        return [[line] for line in lines]
    if len(lines) < _FEWEST_SEPARATE_LINES or len(paragraph_lines) < 2:
        return [lines]
    widest = max(display_width(line.strip()) for line in lines)
    runs: list[list[str]] = []
    for line in lines:
        stripped = line.strip()
        if runs and _continues(runs[-1][-1].strip(), stripped, widest, markdown):
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def _is_paragraph_line(line: str) -> bool:
    if not ENDS_SENTENCE.search(line):
        return False
    if is_mostly_latin(line):
        return len(line) >= _PARAGRAPH_LATIN_CHARS
    return display_width(line) >= _PARAGRAPH_WIDTH


def _continues(previous: str, line: str, widest: float, markdown: bool) -> bool:
    if ENDS_SENTENCE.search(previous) or (markdown and _MARKDOWN_BLOCK_START.match(line)):
        return False
    if display_width(previous) > _WIDEST_WRAPPED_LINE:
        return False
    if line[:1].islower() or previous.endswith(("-", ",", "，", "、")):
        return True
    return display_width(previous) >= _WRAPPED_SHARE * widest
