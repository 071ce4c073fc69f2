"""Wrap review text into terminal lines the way Chinese and English are typeset.

rich wraps at spaces and folds a run without spaces at the column edge, which is right for
English and wrong for Chinese: it starts lines with `，` and `。` and cuts numbers such as
"2019" in two. Here a line may break at a space, or between two characters where
`cleaner.text.may_break_between` allows it; a run with no break opportunity longer than the
line (a URL) is folded at the edge as a last resort.

Widths are rich's cell widths (`get_character_cell_size`): the terminal lays text out in
those cells, so the columns line up exactly; `cleaner.text.display_width` measures how wide
text prints on a page, which is a different question.
"""

from __future__ import annotations

from rich.cells import get_character_cell_size
from rich.text import Text

from cleaner.text import may_break_between


def line_spans(plain: str, width: int) -> list[tuple[int, int]]:
    """(start, end) of each line `plain` wraps into at `width` cells; newlines end lines.

    >>> text = "青岛港吞吐量增长，集装箱"
    >>> [text[start:end] for start, end in line_spans(text, 8)]  # "，" stays with "长"
    ['青岛港吞', '吐量增', '长，集装', '箱']
    >>> line_spans("in 2019 we", 5)
    [(0, 3), (3, 8), (8, 10)]
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for line in plain.split("\n"):
        spans.extend(_wrap_one_line(plain, start, start + len(line), max(width, 1)))
        start += len(line) + 1
    return spans


def _wrap_one_line(plain: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    line_start, used, opportunity, index = start, 0, None, start
    while index < end:
        character = plain[index]
        if index > line_start and may_break_between(plain[index - 1], character):
            opportunity = index
        cells = get_character_cell_size(character)
        # White space may hang past the edge: it is trimmed from the end of the line.
        if not character.isspace() and used + cells > width and index > line_start:
            cut = opportunity if opportunity is not None else index
            spans.append((line_start, cut))
            # Scan again from the cut: the opportunities after it belong to the new line.
            line_start, used, opportunity, index = cut, 0, None, cut
            continue
        used += cells
        index += 1
    spans.append((line_start, end))
    return spans


def wrap_text(text: Text, width: int) -> list[Text]:
    """`text` cut into lines of at most `width` cells, styles kept, trailing spaces trimmed."""
    spans = line_spans(text.plain, width)
    boundaries = [offset for span in spans for offset in span]
    pieces = text.divide(boundaries)
    lines = [pieces[2 * number + 1] for number in range(len(spans))]
    for line in lines:
        line.rstrip()
    return lines
