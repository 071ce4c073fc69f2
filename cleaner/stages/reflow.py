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
plain text, Markdown with long paragraphs) are left untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cleaner.document import PARAGRAPH, Block, Document
from cleaner.stages.split import FURNITURE_RULES, matching_rule

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


@dataclass(frozen=True)
class Line:
    """One physical line of the text."""

    text: str
    # The line starts with white space: printed paragraphs are indented.
    indented: bool
    # A blank line separates it from the line before.
    after_blank: bool


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# Ends a CJK sentence: 。！？ possibly followed by closing quotes or brackets,
# or carries a reporter's signature after its full stop: "…发展。（记者 胡晓蓉）".
_CJK_SENTENCE_END = re.compile(r"(?:[。！？!?…][”’」』）)]*|。[”’」』]*[（(][^（）()]{1,20}[）)])$")
# Ends a sentence in any script (used only to measure the layout).
_ANY_SENTENCE_END = re.compile(r"[。！？!?….;；:：][”’」』）)\"']*$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s")


def apply(document: Document, config) -> Document:
    settings: ReflowConfig = getattr(config, "reflow", ReflowConfig())
    if not settings.enabled or document.media_type == "html" or not _only_plain_blocks(document):
        return document
    kept_head, text = _split_front_matter(document)
    lines = physical_lines(text)
    if not is_column_layout(lines, settings):
        return document
    paragraphs = reflow_lines(lines, settings.short_line_ratio)
    document.blocks = kept_head + [Block(paragraph, kind=PARAGRAPH) for paragraph in paragraphs]
    # Tells the split stage this is a printed page, where a change of topic between two
    # headlines is evidence of two articles.
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


def display_width(text: str) -> float:
    """Printed width: a CJK character is 1, other characters 0.5, spaces nothing.

    PDF extraction inserts spaces around digits ("5 月 15 日") that take no room on the
    page, so spaces are not counted.

    >>> display_width("医疗器械 80 亿")
    6.0
    """
    return sum(1.0 if _CJK.match(char) else 0.5 for char in text if not char.isspace())


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
    unfinished = sum(1 for line in lines if not _ANY_SENTENCE_END.search(line.text))
    return unfinished / len(lines) >= settings.min_unfinished_share


def _reads_as_prose(lines: list[Line]) -> bool:
    """Markup, feeds, subtitles and tables also come in short lines, but are mostly
    not letters, or open lines with "<"; reflowing them would glue records together."""
    text = "".join(line.text for line in lines)
    letters = sum(1 for char in text if char.isalpha())
    markup = sum(1 for line in lines if line.text.startswith("<") or "-->" in line.text)
    return letters >= 0.7 * len(text.replace(" ", "")) and markup <= 0.1 * len(lines)


def reflow_lines(lines: list[Line], short_line_ratio: float) -> list[str]:
    """Join column lines into paragraphs."""
    widths = [display_width(line.text) for line in lines]
    paragraphs: list[str] = []
    current, first_line = "", 0
    for index, line in enumerate(lines):
        if current and _starts_paragraph(lines, widths, index, first_line, short_line_ratio):
            paragraphs.append(current)
            current, first_line = "", index
        current = join_wrapped(current, line.text)
    if current:
        paragraphs.append(current)
    return paragraphs


def _starts_paragraph(
    lines: list[Line], widths: list[float], index: int, first_line: int, short_line_ratio: float
) -> bool:
    """Does line `index` begin a new paragraph rather than continue the one before
    (which began at line `first_line`)?"""
    line, previous = lines[index], lines[index - 1]
    if line.indented or _CJK_SENTENCE_END.search(previous.text):
        return True
    if not line.after_blank:
        # Lines printed without a blank between them belong together (a wrapped
        # subheading "精准培育 建设特色产\n业集群") unless indentation says otherwise.
        return False
    if any(pattern.match(line.text) for pattern in _ARTICLE_OPENINGS):
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
    if _LATIN_SENTENCE_END.search(previous.text) and _followed_by_opening(lines, index):
        # "Best tech gadgets of 2019" over "By Tom Baker", or "Economy in stress and
        # markets on a high; time to be careful?" over "LONDON (AFP) - …": a headline.
        return True
    if _mostly_latin(previous.text) and _LATIN_END.search(previous.text):
        return _LATIN_START.match(line.text) is not None and _latin_paragraph_end(
            lines, index, first_line
        )
    return widths[index - 1] < short_line_ratio * _column_width(widths, index - 1, first_line)


def _followed_by_opening(lines: list[Line], index: int) -> bool:
    """Does the line after `index` open an article (a byline, a dateline)?"""
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    return any(pattern.match(following) for pattern in _ARTICLE_OPENINGS)


def _latin_paragraph_end(lines: list[Line], index: int, first_line: int) -> bool:
    """Ragged-right Latin lines: the line before `index` ends its paragraph when the next
    word would have fitted, or when it is a Title Case headline over body text."""
    previous, line = lines[index - 1].text, lines[index].text
    if _LATIN_HYPHENATED.search(previous) and line[:1].islower():
        return False  # "supplem-" + "ents": one word broken over two lines
    return (
        _next_word_would_fit(lines, index, first_line)
        or _ends_title_case(previous, line)
        or (_LATIN_SENTENCE_END.search(previous) is not None and _title_cased(line))
    )


# Lines that open an article (and so end whatever came before): a date opening, a
# paper's own report ("科技日报讯"), a marked byline, an English byline, a wire dateline.
_ARTICLE_OPENINGS = (
    re.compile(r"^\d{1,2}\s*月\s*\d{1,2}\s*日\s*[，,]"),
    re.compile(r"^(?:本[报報]|[\u4e00-\u9fff]{2,8})[讯訊]"),
    re.compile(r"^[◎■●▲★]"),
    re.compile(r"^By [A-Z]"),
    re.compile(r"^[A-Z][A-Z .'-]{2,30}(?:, [A-Z][A-Za-z .]{2,20})? ?(?:\([A-Za-z .]+\))? ?[—–-]+ "),
)
_CJK_HEADLINE = re.compile(r"[\u4e00-\u9fff”] +[\u4e00-\u9fff“]")
_CJK_PUNCTUATION = re.compile(r"[，。、；：！？（）《》,;:!?()]")
_LATIN_SENTENCE_END = re.compile(r"[.!?][\"'’”)]*$")
_LATIN_END = re.compile(r"[A-Za-z0-9,;:.'\"’”)-]$")
_LATIN_START = re.compile(r"^(?:[^\W_]|['\"‘“(])")


def _around(widths: list, index: int) -> list:
    """Widths of the two lines before and the two after line `index`."""
    return widths[max(0, index - 2) : index] + widths[index + 1 : index + 3] or [widths[index]]


def _column_width(widths: list[float], index: int, first_line: int | None = None) -> float:
    """The column line `index` is set in: the widest earlier line of its own paragraph
    when it has one, else the second widest of the lines around it (so that one line of
    the next, wider column or a long line of digits does not make a full line look
    short)."""
    if first_line is not None and first_line < index:
        return max(widths[first_line:index])
    around = sorted(_around(widths, index))
    return around[-2] if len(around) > 1 else around[0]


def _next_word_would_fit(lines: list[Line], index: int, first_line: int) -> bool:
    """Ragged-right Latin text: the line before `index` ends its paragraph when the next
    word would have fitted after it, since the typesetter would otherwise have put it
    there. The column is the longest earlier line of the same paragraph; for a paragraph's
    first line, the lines that follow (three quarters up, since headlines, bylines and last
    lines are shorter than the column)."""
    lengths = [len(line.text) for line in lines]
    if first_line < index - 1:
        column = max(lengths[first_line : index - 1])
    else:
        following = sorted(lengths[index : index + 8])
        column = following[(len(following) * 3) // 4]
    first_word = lines[index].text.split(maxsplit=1)[0]
    return lengths[index - 1] + 1 + len(first_word) <= column


def _is_page_furniture(text: str) -> bool:
    """ "高新区周刊 3", "Page 4": page furniture is a line of its own."""
    return matching_rule(text, FURNITURE_RULES) is not None


def _mostly_latin(text: str) -> bool:
    """Latin letters outnumber CJK characters: "区域创新 3" is a CJK line."""
    latin = sum(1 for char in text if char.isalpha() and _is_latin(char))
    return latin > len(_CJK.findall(text))


def _ends_title_case(previous: str, line: str) -> bool:
    """An English headline as wide as the column: its words are capitalised, the body
    text under it is not."""
    opens_sentence = not line[:1].islower()
    return opens_sentence and _title_cased(previous) and not _title_cased(line)


def _title_cased(text: str) -> bool:
    words = [word for word in text.split() if word[:1].isalpha()]
    capitalised = sum(1 for word in words if word[:1].isupper())
    return len(words) >= 3 and capitalised >= 0.6 * len(words)


_LATIN_HYPHENATED = re.compile(r"[A-Za-z]-$")


def join_wrapped(head: str, tail: str) -> str:
    """Append a wrapped line to the paragraph so far.

    >>> join_wrapped("高端医疗器", "械、康复医疗")
    '高端医疗器械、康复医疗'
    >>> join_wrapped("a fine exam-", "ple of it")
    'a fine example of it'
    >>> join_wrapped("two", "words")
    'two words'
    """
    if not head:
        return tail
    if _LATIN_HYPHENATED.search(head) and tail[:1].islower():
        return head[:-1] + tail
    if _is_latin(head[-1]) and _is_latin(tail[0]):
        return f"{head} {tail}"
    # CJK text, its punctuation and quotes (“ ” — ◎) are written without spaces.
    return head + tail


def _is_latin(char: str) -> bool:
    """ASCII and the Latin, Greek and Cyrillic letters: scripts written with spaces."""
    return ord(char) < 0x2000 and char != "_"  # "____" is a blank to fill in, not a word
