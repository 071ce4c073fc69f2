"""Reflow stage: hard-wrapped column text (PDF/OCR newspaper pages) -> paragraphs.

A newspaper page copied out of a PDF arrives as one short line per printed column line,
often with a blank line after each, and words broken at the line end ("医疗器\\n\\n械").
The extract stage then makes every visual line its own block. This stage recognises that
layout from the line widths and rebuilds the blocks as paragraphs: lines are joined (CJK
without a space, Latin with one, "exam-\\nple" de-hyphenated) until a line ends a paragraph
(it ends a CJK sentence, it is clearly shorter than the column around it, or the next line
is indented).

Joining lines is a transformation, not a removal: the text of the new blocks is exactly the
text of the old ones put back together. Documents that are not column layouts (HTML, normal
plain text, Markdown with long paragraphs) keep their paragraphs, except that two paragraph
blocks a stray blank line broke mid-sentence or mid-word ("…资本投入大的问\n\n题,青岛…",
seed 004) are joined again (`join_broken_paragraphs`, its rules at the end of this module).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from cleaner.document import PARAGRAPH, Block, Document, Layout
from cleaner.rules import Rule, first_match
from cleaner.rules.joins import CONTINUATION_RULES, KEEP_APART_RULES
from cleaner.rules.layout import (
    BYLINE_RULES,
    COLUMN_OPENING_RULES,
    FURNITURE_RULES,
    ends_on_caption_credit,
)
from cleaner.stages.stitch import StitchConfig, reading_order
from cleaner.text import (
    CJK_CHARACTER,
    ENDS_ANY_STOP,
    ENDS_LATIN_SENTENCE,
    column_width,
    display_width,
    is_mostly_latin,
    is_title_case,
    join_wrapped,
    join_wrapped_lines,
)

NAME = "reflow"


@dataclass(frozen=True)
class ReflowConfig:
    # Off switch for inputs known to be one paragraph per line.
    enabled: bool = True
    # Fewer non-empty lines than this cannot show a column layout; a short note with a
    # few lines is left as it is.
    min_lines: int = 8
    # Width (display units: a CJK character is 1, a Latin character 0.5) that 90% of the
    # lines must stay under. Seed 003's columns are 8 to 34 units wide and an 80-character
    # hard-wrapped English text is 40; a text with one paragraph per line (seeds 001, 002,
    # 004) has many lines far above 60. (The median is no guide: menus and titles are short.)
    max_line_width: float = 45.0
    # Share of lines that must end mid-sentence (no 。！？. etc.). In seed 003 about 85% of
    # the lines do; a text with one paragraph per line has almost none.
    min_unfinished_share: float = 0.5
    # A CJK line narrower than this share of the column around it ends its paragraph
    # (the last line of a printed paragraph is short). In seed 003 full lines measure 0.81
    # to 1.0 of their neighbours (digits, spaces and punctuation make widths noisy), so
    # 0.75 keeps them joined. Latin lines use the "next word would have fitted" test.
    short_line_ratio: float = 0.75
    # Outside column layouts, re-join two paragraph blocks split in the middle of a
    # sentence or word by a stray blank line (seed 004: "…资本投入大的问" / "题,青岛…").
    join_broken_paragraphs: bool = True
    # A CJK block shorter than this (display units) that stops without punctuation is a
    # heading, byline or label, never the first half of a broken paragraph. Headings and
    # digest subheadings are mostly 6 to 20 units; seed 004's three fragments measure 21,
    # 47.5 and 173.5. The two 20-unit headlines found on the bench that stop without
    # punctuation are then followed by a longer opening clause, which only a first block
    # of `min_paragraph_width` may take.
    min_fragment_width: float = 20.0
    # An English block needs this many words to be a sentence broken off: headlines and
    # labels are shorter. (A Title Case line of any length is never joined.)
    min_fragment_words: int = 8
    # The rest of a broken clause: a second block opening with at most this many characters
    # and then a clause mark (，；。). A word's tail (1 to 4 ideographs, "题,") follows any
    # fragment; a longer rest only a long paragraph, because a new paragraph's opening
    # clause after a headline or a caption is 5 to 12 characters too ("江苏多地日前发布通知，").
    # Seed 004's rests are 1, 4 and 7; on the bench (HTML paragraphs, measured only) rests
    # of 11 and 12 were new paragraphs, so 10.
    max_clause_rest: int = 10
    # A first block this wide (display units) is a paragraph, not a headline, caption or
    # couplet line (those measured 20 to 23 on the bench); seed 004's fragment with a
    # 7-character rest is 173.5 wide.
    min_paragraph_width: float = 40.0
    # Interleaved columns (runs of lines of several articles alternating) are put back
    # in each article's order before the lines are joined (`cleaner.stages.stitch`).
    stitch_interleaved: bool = True


@dataclass(frozen=True)
class Line:
    """One physical line of the text."""

    text: str
    # The line starts with white space: printed paragraphs are indented.
    indented: bool
    # A blank line separates it from the line before.
    after_blank: bool


# Ends a CJK sentence: 。！？ possibly followed by closing quotes or brackets,
# or carries a reporter's signature after its full stop: "…发展。（记者 胡晓蓉）".
_CJK_SENTENCE_END = re.compile(r"(?:[。！？!?…][”’」』）)]*|。[”’」』]*[（(][^（）()]{1,20}[）)])$")
# Ends a sentence in any script (used only to measure the layout).
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s")


def apply(document: Document, settings: ReflowConfig) -> Document:
    document = _reflow_columns(document, settings)
    return join_broken_paragraphs(document, settings)


def _reflow_columns(document: Document, settings: ReflowConfig) -> Document:
    if not settings.enabled or document.media_type == "html" or not _only_plain_blocks(document):
        return document
    kept_head, text = _split_front_matter(document)
    lines = physical_lines(text)
    if not is_column_layout(lines, settings):
        return document
    order = reading_order(lines, StitchConfig()) if settings.stitch_interleaved else None
    article_starts: set[int] = set()
    if order is not None:
        lines = [
            replace(lines[index], after_blank=blank)
            for index, blank in zip(order.lines, order.new_blank, strict=True)
        ]
        article_starts = set(order.article_starts)
        document.metadata["stitch"] = order.note
    paragraphs = reflow_paragraphs(lines, settings.short_line_ratio)
    # A stitched article's first paragraph stands after a blank line: the split stage
    # weighs that as it does in plain text (the stitcher put the article together).
    document.blocks = kept_head + [
        Block(
            text,
            kind=PARAGRAPH,
            after_blank=first in article_starts,
            stitched_start=first in article_starts and len(article_starts) > 1,
        )
        for first, text in paragraphs
    ]
    # Tells the split stage this is a printed page, where a change of topic between two
    # headlines is evidence of two articles.
    document.layout = Layout.COLUMNS
    document.metadata["reflow"] = f"columns: {len(lines)} lines -> {len(paragraphs)} paragraphs"
    return document


def _only_plain_blocks(document: Document) -> bool:
    """Reflow rebuilds blocks from the text, so it must not lose what extract marked."""
    return all(block.kind == PARAGRAPH and block.kept for block in document.blocks[1:]) and bool(
        document.blocks
    )


def _split_front_matter(document: Document) -> tuple[list[Block], str]:
    """Blocks to keep as they are (YAML front matter) and the text left to reflow."""
    first = document.blocks[0]
    if first.kept:
        return [], document.text
    end = document.text.find(first.text)
    return [first], document.text[end + len(first.text) :] if end >= 0 else document.text


def physical_lines(text: str) -> list[Line]:
    """The non-empty lines of `text`, remembering indentation and blank lines before."""
    lines: list[Line] = []
    after_blank = True
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = raw.strip()
        if not stripped:
            after_blank = True
            continue
        indented = raw[:1].isspace() and bool(lines)
        lines.append(Line(stripped, indented, after_blank))
        after_blank = False
    return lines


def is_column_layout(lines: list[Line], settings: ReflowConfig) -> bool:
    """True when most lines are narrow and stop mid-sentence: a hard-wrapped column."""
    if len(lines) < settings.min_lines:
        return False
    if any(_MARKDOWN_HEADING.match(line.text) for line in lines):
        return False
    if not _reads_as_prose(lines):
        return False
    widths = sorted(display_width(line.text) for line in lines)
    if widths[int(len(widths) * 0.9)] > settings.max_line_width:
        return False
    unfinished = sum(1 for line in lines if not ENDS_ANY_STOP.search(line.text))
    return unfinished / len(lines) >= settings.min_unfinished_share


# A tab between two pieces of text on one line: a table's cells copied out as text
# ("原文名\t김종국"). A column's printed line is one run of words and never holds one.
_TAB_BETWEEN_CELLS = re.compile(r"\S\t+\S")


def _reads_as_prose(lines: list[Line]) -> bool:
    """Markup, feeds, subtitles and tables also come in short lines, but are mostly
    not letters, open lines with "<", or set cells apart with tabs; reflowing them would
    glue records together."""
    text = "".join(line.text for line in lines)
    letters = sum(1 for char in text if char.isalpha())
    markup = sum(
        1
        for line in lines
        if line.text.startswith("<") or "-->" in line.text or _TAB_BETWEEN_CELLS.search(line.text)
    )
    return letters >= 0.7 * len(text.replace(" ", "")) and markup <= 0.1 * len(lines)


def reflow_lines(lines: list[Line], ratio: float) -> list[str]:
    """Join column lines into paragraphs."""
    return [text for _, text in reflow_paragraphs(lines, ratio)]


def reflow_paragraphs(lines: list[Line], ratio: float) -> list[tuple[int, str]]:
    """Join column lines into paragraphs, each with the index of its first line."""
    widths = [display_width(line.text) for line in lines]
    # A page printed with a blank line after every line (seed 003) says nothing by its
    # blank lines; on any other page a blank line always ends a paragraph.
    spaced = sum(1 for line in lines if line.after_blank) > 0.5 * len(lines)
    paragraphs: list[tuple[int, str]] = []
    current: list[str] = []
    first_line = 0
    for index, line in enumerate(lines):
        if current and _paragraph_ends_before(lines, widths, index, first_line, spaced, ratio):
            paragraphs.append((first_line, join_wrapped_lines(current)))
            current, first_line = [], index
        current.append(line.text)
    if current:
        paragraphs.append((first_line, join_wrapped_lines(current)))
    return [(first, text) for first, text in paragraphs if text]


def _paragraph_ends_before(
    lines: list[Line], widths: list[float], index: int, first_line: int, spaced: bool, ratio: float
) -> bool:
    """Lines without a blank between them on a spaced page belong together (seed 003's
    subheading "精准培育 建设特色产" over "业集群"); elsewhere a line printed under another
    may still stand alone (`_head_line_ends`)."""
    line = lines[index]
    if line.after_blank and not spaced:
        return True
    if _SUBTITLE_DASH.match(line.text) and not _CJK_PUNCTUATION.search(lines[index - 1].text):
        # "——西吉县脱毒种薯繁育见闻" under a headline is its subtitle: a body line that a
        # wrap starts at a dash follows a line of prose, which holds punctuation.
        return True
    if _DATELINE.search(line.text):
        # "本报昆明4月2日电" opens a report wherever it is printed, under a headline or a
        # subtitle without a blank line between; no wrap starts a line on one.
        return True
    if line.after_blank == spaced and _head_line_ends(lines, widths, index, spaced):
        return True
    if ends_on_caption_credit(lines[index - 1].text):
        # "… Photo: Jane Smith" or "… 周舟/摄": a credit closes its caption, and the
        # headline printed under it is no wrap of it.
        return True
    return _starts_paragraph(lines, widths, index, first_line, ratio)


def _starts_paragraph(
    lines: list[Line], widths: list[float], index: int, first_line: int, short_line_ratio: float
) -> bool:
    """Does line `index` begin a new paragraph rather than continue the one before
    (which began at line `first_line`)?"""
    line, previous = lines[index], lines[index - 1]
    if line.indented or _CJK_SENTENCE_END.search(previous.text):
        return True
    if _far_wider_than_its_column(widths, index) or _far_wider_than_its_column(widths, index - 1):
        # A headline printed whole across a spaced page's column ("New York man pleads
        # guilty to threatening to kill Omar" over a 26-character column) is a line of
        # its own: no wrap makes a line that much wider than its column.
        return True
    if not line.after_blank:
        # Lines printed without a blank between them belong together (a wrapped
        # subheading "精准培育 建设特色产\n业集群") unless indentation says otherwise.
        return False
    if first_match(line.text, COLUMN_OPENING_RULES) is not None:
        # "5月 12日，科技日报记者走进…" opens an article; the line before may be a headline
        # as wide as the next, narrower column.
        return True
    if _is_page_furniture(previous.text):
        return True
    if _CJK_HEADLINE.search(previous.text) and not _CJK_PUNCTUATION.search(previous.text):
        # "四年前中500万现穷困潦倒 一夜暴富后如何经营": a space between CJK words and no
        # punctuation is a headline, however wide; body lines always hold a comma. A much
        # shorter line after it is the rest of the headline ("安宁疗护有" + "温度").
        return widths[index] >= short_line_ratio * widths[index - 1]
    if ENDS_LATIN_SENTENCE.search(previous.text) and _followed_by_opening(lines, index):
        # "Best tech gadgets of 2019" over "By Tom Baker", or "Economy in stress and
        # markets on a high; time to be careful?" over "LONDON (AFP) - …": a headline.
        return True
    if is_mostly_latin(previous.text) and _LATIN_END.search(previous.text):
        return _LATIN_START.match(line.text) is not None and _latin_paragraph_end(
            lines, index, first_line
        )
    if (
        # A head at the page's top ("引题" over "主题" over the first column): no line
        # above shows the column, the lines under it do, and a wrap would have filled it.
        # A line ending on a mark ("此次入选的国家级绿色工厂包括：") is the prose's own.
        first_line == index - 1
        and index - 1 < _PAGE_TOP_LINES
        and not _CJK_PUNCTUATION.search(previous.text[-1:])
        and _wraps_at_any_character(previous.text)
        and _stops_short_of_the_lines_under(widths, index - 1)
    ):
        return True
    return widths[index - 1] < short_line_ratio * _column_width(widths, index - 1, first_line)


# The lines at a page's top whose column is read from the lines under them. Only there:
# further down, the lines under a paragraph's first line may be the next, wider column
# (seed 003 sets its articles in columns of 8 to 34 units), and seed 003 and the
# labelled set's headlines came apart when it applied to every first line.
_PAGE_TOP_LINES = 3


def _stops_short_of_the_lines_under(widths: list[float], index: int) -> bool:
    column = column_width(widths[index + 1 : index + 9])
    return column is not None and widths[index] < _IDEOGRAPH_WRAP_FILL * column


# Bylines that show they are one ("本报记者 王磊", "By Jane Smith", "◎陈 科"); a bare
# two-character name is also what the last line of a paragraph often holds ("政策").
_CREDIT_RULES = tuple(rule for rule in BYLINE_RULES if rule.id != "split.byline.bare-name")


def _is_credit(text: str) -> bool:
    return first_match(text, _CREDIT_RULES) is not None


# Lines on each side of a line whose widths give its column's width.
_LOCAL_LINES = 6
# Share of its column a line set in ideographs fills when a wrap ended it: a wrap cuts at
# any character, so the line reaches the column's edge but for a closing mark or a digit
# pair measured half wide. One that stops clearly short (a kicker of 12 over a 15-unit
# column) was set whole. Tuned on the bench's tuning column pages (0.75 and 0.9 read fewer
# titles; at 0.9 digits made full lines end paragraphs). Lines of words (Latin, Hangul)
# are ragged and keep 0.6 (at 0.85 a Korean article's lines broke apart).
_IDEOGRAPH_WRAP_FILL = 0.85
_WORD_WRAP_FILL = 0.6


def _head_line_ends(lines: list[Line], widths: list[float], index: int, spaced: bool) -> bool:
    """Lines printed without a blank between them: the line before `index` stands alone
    when it is a byline, or when its width is not the column's: far narrower (a kicker,
    a headline's short line, a paragraph's last line) or far wider (a headline set across
    the column). The column's width is the median of the lines around. On a spaced page
    widths are left to `_starts_paragraph`, which knows its columns change width."""
    previous, line = lines[index - 1].text, lines[index].text
    if _is_credit(previous) or _is_credit(line):
        return True
    if spaced:
        return False
    around = sorted(widths[max(0, index - 1 - _LOCAL_LINES) : index + _LOCAL_LINES])
    column = around[len(around) // 2]
    if widths[index - 1] > 1.3 * column or _wider_than_its_column(widths, index - 1):
        return True
    if _wraps_at_any_character(line) and _wider_than_its_column(widths, index):
        return True  # no wrap continues a line onto a wider one: set across, whole
    if is_mostly_latin(previous):
        # Ragged right: the line stood alone when the next word would have fitted on it.
        if _LATIN_HYPHENATED.search(previous[-_TAIL:]):
            return False
        first_word = line.split(maxsplit=1)[0] if line.split() else ""
        return display_width(previous) + 0.5 * (1 + len(first_word)) <= column
    fill = _IDEOGRAPH_WRAP_FILL if _wraps_at_any_character(previous) else _WORD_WRAP_FILL
    return widths[index - 1] < fill * column


def _wraps_at_any_character(text: str) -> bool:
    """Set in ideographs (CJK characters are at least half of what it prints), which a
    column wraps at any character, so that its full lines are all as wide as the column."""
    return 2 * len(CJK_CHARACTER.findall(text)) >= sum(map(len, text.split()))


# Lines on each side of a line that show the width of the column it is set in, and by
# how much (display units) a line must pass that width to be printed across it: a
# column's line never passes its edge but by a closing mark kept at its end.
_COLUMN_LINES = 12
_PAST_THE_EDGE = 1.5


def _wider_than_its_column(widths: list[float], index: int) -> bool:
    """A line wider than the column it is printed in (the upper quartile of the lines
    around it) was set across the column, whole: a headline or a kicker, which a wrap
    never continues. A headline printed under its kicker is often narrower than the
    kicker, so the median of a few lines around (`_head_line_ends`) misses it."""
    others = widths[max(0, index - _COLUMN_LINES) : index]
    others += widths[index + 1 : index + 1 + _COLUMN_LINES]
    column = column_width(others)
    return column is not None and widths[index] > column + _PAST_THE_EDGE


# How much wider than its column (`_wider_than_its_column`'s upper quartile) a line
# must be to be read as set across it on a spaced page, in any script: ragged-right
# Latin lines pass the quartile by a word, never by a third.
_FAR_WIDER = 1.3


def _far_wider_than_its_column(widths: list[float], index: int) -> bool:
    others = widths[max(0, index - _COLUMN_LINES) : index]
    others += widths[index + 1 : index + 1 + _COLUMN_LINES]
    column = column_width(others)
    return column is not None and widths[index] > _FAR_WIDER * column


def _followed_by_opening(lines: list[Line], index: int) -> bool:
    """Does the line after `index` open an article (a byline, a dateline)?"""
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    return first_match(following, COLUMN_OPENING_RULES) is not None


def _latin_paragraph_end(lines: list[Line], index: int, first_line: int) -> bool:
    """Ragged-right Latin lines: the line before `index` ends its paragraph when the next
    word would have fitted, or when it is a Title Case headline over body text."""
    previous, line = lines[index - 1].text, lines[index].text
    if _LATIN_HYPHENATED.search(previous[-_TAIL:]) and line[:1].islower():
        return False  # "supplem-" + "ents": one word broken over two lines
    return (
        _next_word_would_fit(lines, index, first_line)
        or _ends_title_case(previous, line)
        or (ENDS_LATIN_SENTENCE.search(previous) is not None and is_title_case(line))
    )


_CJK_HEADLINE = re.compile(r"[\u4e00-\u9fff”] +[\u4e00-\u9fff“]")
_SUBTITLE_DASH = re.compile(r"^(?:——|--)")
_DATELINE = next(rule for rule in COLUMN_OPENING_RULES if rule.id == "reflow.opening.dateline")
_CJK_PUNCTUATION = re.compile(r"[，。、；：！？（）《》,;:!?()]")
_LATIN_END = re.compile(r"[A-Za-z0-9,;:.'\"’”)-]$")
_LATIN_START = re.compile(r"^(?:[^\W_]|['\"‘“(])")


def _around(widths: list, index: int) -> list:
    """Widths of the two lines before and the two after line `index`."""
    return widths[max(0, index - 2) : index] + widths[index + 1 : index + 3] or [widths[index]]


# Lines looked back over to find a paragraph's column width.
_COLUMN_WINDOW = 40


def _column_width(widths: list[float], index: int, first_line: int | None = None) -> float:
    """The column line `index` is set in: the widest earlier line of its own paragraph
    when it has one, else the second widest of the lines around it (so that one line of
    the next, wider column or a long line of digits does not make a full line look
    short)."""
    if first_line is not None and first_line < index:
        # The last lines of the paragraph are enough to know its column, and bounding the
        # window keeps a page of thousands of unbroken lines linear.
        return max(widths[max(first_line, index - _COLUMN_WINDOW) : index])
    around = sorted(_around(widths, index))
    return around[-2] if len(around) > 1 else around[0]


def _next_word_would_fit(lines: list[Line], index: int, first_line: int) -> bool:
    """Ragged-right Latin text: the line before `index` ends its paragraph when the next
    word would have fitted after it, since the typesetter would otherwise have put it
    there. The column is the longest earlier line of the same paragraph; for a paragraph's
    first line, the lines that follow (three quarters up, since headlines, bylines and last
    lines are shorter than the column)."""
    if first_line < index - 1:
        start = max(first_line, index - 1 - _COLUMN_WINDOW)
        column = max(len(line.text) for line in lines[start : index - 1])
    else:
        following = sorted(len(line.text) for line in lines[index : index + 8])
        column = following[(len(following) * 3) // 4]
    first_word = lines[index].text.split(maxsplit=1)[0]
    return len(lines[index - 1].text) + 1 + len(first_word) <= column


def _is_page_furniture(text: str) -> bool:
    """ "高新区周刊 3", "Page 4": page furniture is a line of its own."""
    return first_match(text, FURNITURE_RULES) is not None


def _ends_title_case(previous: str, line: str) -> bool:
    """An English headline as wide as the column: its words are capitalised, the body
    text under it is not."""
    opens_sentence = not line[:1].islower()
    return opens_sentence and is_title_case(previous) and not is_title_case(line)


# Patterns anchored at the end of a text look only at its last characters: a search for
# "[^，。]*$" over a whole long paragraph would try every start position.
_TAIL = 200
_LATIN_HYPHENATED = re.compile(r"[A-Za-z]-$")


# ---------------------------------------------------------------- paragraphs broken mid-word
#
# The continuation and keep-apart rules are data: `cleaner.rules.joins`.


def joining_rule(first: Block, second: Block, settings: ReflowConfig) -> Rule | None:
    """The continuation rule that joins two neighbouring blocks, or None."""
    if not (first.kind == second.kind == PARAGRAPH and first.kept and second.kept):
        return None
    rule = next(
        (rule for rule in CONTINUATION_RULES if rule.predicate(first.text, second.text, settings)),
        None,
    )
    if rule is None or keep_apart_rule(first.text, second.text, settings) is not None:
        return None
    return rule


def keep_apart_rule(first: str, second: str, settings: ReflowConfig) -> Rule | None:
    return next(
        (rule for rule in KEEP_APART_RULES if rule.predicate(first, second, settings)), None
    )


def join_broken_paragraphs(document: Document, settings: ReflowConfig) -> Document:
    """Join paragraph blocks that a stray blank line broke mid-sentence (not in HTML,
    where paragraphs are marked up, nor in column pages, which `_reflow_columns` rebuilt)."""
    if (
        not settings.enabled
        or not settings.join_broken_paragraphs
        or document.media_type == "html"
        or document.layout is Layout.COLUMNS
    ):
        return document
    blocks: list[Block] = []
    notes: list[str] = []
    for block in document.blocks:
        rule = joining_rule(blocks[-1], block, settings) if blocks else None
        if rule is None:
            blocks.append(block)
            continue
        previous = blocks[-1]
        notes.append(f"{rule.id} …{previous.text[-4:]}|{block.text[:4]}…")
        blocks[-1] = replace(
            previous,
            text=join_wrapped(previous.text, block.text),
            link_chars=previous.link_chars + block.link_chars,
        )
    if notes:
        document.blocks = blocks
        document.metadata["reflow"] = f"paragraphs: {len(notes)} joined ({'; '.join(notes)})"
    return document
