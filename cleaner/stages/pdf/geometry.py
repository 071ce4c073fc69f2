"""A page's glyphs become lines, and lines become regions in reading order.

Regions come from a recursive XY-cut: a page is cut along the widest empty horizontal bands
(one article above another, a headline over its columns), then along empty vertical strips
(column gutters), and each part again, until a part cannot be cut: a column's run of body
lines, a headline, a caption. The order of the cuts is the reading order of a newspaper
page: top to bottom, and left to right inside a band.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from operator import attrgetter

from cleaner.stages.pdf.config import PdfConfig
from cleaner.stages.pdf.reader import Glyph
from cleaner.text import ends_sentence, join_wrapped_lines

# PDFium reports a hyphen it sees at a line end as this control character.
_LINE_END_HYPHEN = "\x02"

# Ascent and descent of a line box, as shares of the font size: the box a reader sees
# around a line, whatever the font's own metrics say.
_ASCENT = 0.8
_DESCENT = 0.2


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    baseline: float
    size: float
    # Most of its characters are set bold.
    bold: bool = False

    @property
    def top(self) -> float:
        return self.baseline - _ASCENT * self.size

    @property
    def bottom(self) -> float:
        return self.baseline + _DESCENT * self.size


def body_size(glyphs: list[Glyph]) -> float:
    """The size most characters of the page are set in."""
    # Exact sizes are counted first and rounded once each (a page sets thousands of
    # characters in a few sizes); rounded sizes keep the order they were first seen in,
    # so a tie goes to the same size as counting rounded sizes directly.
    exact = Counter(glyph.size for glyph in glyphs if not glyph.char.isspace())
    sizes: Counter[float] = Counter()
    for size, count in exact.items():
        sizes[round(size, 1)] += count
    return sizes.most_common(1)[0][0] if sizes else 10.0


def lines_of(glyphs: list[Glyph], body: float, settings: PdfConfig) -> list[Line]:
    """Glyphs grouped by baseline, each group cut into lines at gutter-wide gaps."""
    rows: list[list[Glyph]] = []
    row: list[Glyph] = []
    first = None
    for glyph in sorted(glyphs, key=attrgetter("baseline", "x0")):
        if first is not None and abs(glyph.baseline - first.baseline) <= 0.3 * (
            glyph.size if glyph.size < first.size else first.size
        ):
            row.append(glyph)
        else:
            row, first = [glyph], glyph
            rows.append(row)
    lines = []
    for row in rows:
        lines.extend(_cut_row(sorted(row, key=attrgetter("x0")), body, settings))
    return lines


def _cut_row(row: list[Glyph], body: float, settings: PdfConfig) -> list[Line]:
    pieces: list[list[Glyph]] = [[row[0]]]
    # Where the text layer writes its word spaces as characters, white between two
    # letters is never a word space.
    spaces_written = any(glyph.char == " " for glyph in row)
    line_gap, kicker_step = settings.line_gap, settings.kicker_step
    column_gutter = settings.column_gap * body
    piece, previous = pieces[0], row[0]
    # Sizes are ordered and gutters chosen with comparisons, not min() and max(): this
    # runs for every character of the page.
    for glyph in row[1:]:
        if glyph.size > previous.size:
            size, smaller = glyph.size, previous.size
        else:
            size, smaller = previous.size, glyph.size
        gap = glyph.x0 - previous.x1
        # A gutter is wide in the line's own size, or wide in body sizes (two headlines
        # side by side). Word spaces of a headline, unwritten or stretched after a written
        # space, run to about 0.4 of its size; between ideographs, or between letters
        # where spaces are written, only letter-spacing (a tenth or two of the size)
        # remains, so a narrower white already parts two headlines.
        # (`_spaced` written out.)
        unwritten_space = (previous.char.isascii() or glyph.char.isascii()) and (
            not spaces_written or previous.char == " "
        )
        word_space = (0.45 if unwritten_space else 0.3) * size
        widest = column_gutter if column_gutter >= word_space else word_space
        gutter = line_gap * size if line_gap * size <= widest else widest
        # One line is set in one size: white between two sizes, however close, parts two
        # headlines side by side.
        resized = size > kicker_step * smaller
        if gap > gutter or (resized and gap > 0.2 * size):
            piece = [glyph]
            pieces.append(piece)
        else:
            piece.append(glyph)
        previous = glyph
    return [line for piece in pieces if (line := _line(piece)) is not None]


def _line(glyphs: list[Glyph]) -> Line | None:
    parts: list[str] = []
    previous = None
    for glyph in glyphs:
        char = glyph.char
        # Text drawn glyph by glyph has no space characters: a gap is a word space.
        if (
            previous is not None
            and not char.isspace()
            and parts[-1] != " "
            and glyph.x0 - previous.x1 > 0.2 * glyph.size
            and _spaced(previous.char, char)
        ):
            parts.append(" ")
        parts.append("-" if char == _LINE_END_HYPHEN else char)
        previous = glyph
    text = " ".join("".join(parts).split())
    if not text:
        return None
    inked = [glyph for glyph in glyphs if not glyph.char.isspace()]
    sizes = {glyph.size for glyph in inked}
    # Most lines are set in one size; a mixed one takes its most common (first of a tie).
    if len(sizes) == 1:
        size = round(inked[0].size, 1)
    else:
        size = Counter(round(glyph.size, 1) for glyph in inked).most_common(1)[0][0]
    baseline = sorted(glyph.baseline for glyph in inked)[len(inked) // 2]
    bold = 2 * sum(glyph.bold for glyph in inked) > len(inked)
    return Line(text, inked[0].x0, inked[-1].x1, baseline, size, bold)


def _spaced(left: str, right: str) -> bool:
    return left.isascii() or right.isascii()


def regions(lines: list[Line], body: float, settings: PdfConfig) -> list[list[Line]]:
    """The page's lines as regions in reading order (the XY-cut of the module's docstring).

    Gutters are cut before bands: a gutter that runs the whole height of a part separates
    stories side by side, while a band of white across them may be the white under one
    story's headline next to another's, which must not cut that other headline in two.
    """
    if len(lines) <= 1:
        return [lines] if lines else []
    columns = _vertical_cuts(lines, body, settings)
    if len(columns) > 1:
        return [region for column in columns for region in regions(column, body, settings)]
    bands = _horizontal_cuts(lines, body, settings)
    if len(bands) > 1:
        return [region for band in bands for region in regions(band, body, settings)]
    return [sorted(lines, key=lambda line: (line.baseline, line.x0))]


def _horizontal_cuts(lines: list[Line], body: float, settings: PdfConfig) -> list[list[Line]]:
    """Cut where a band of white runs across the part AND the line size (or weight) changes
    across it (body over the next story's headline, a headline over its body, a caption
    over text).
    White between body lines of the same size is a paragraph gap that happens to line up
    across columns: cutting there would read the columns' upper halves before their lower
    halves. Only the widest such band is cut here (a row of stories over the next before a
    headline over its body), so that each part is tried for gutters again first."""
    ordered = sorted(lines, key=lambda line: line.top)
    # Each line's bottom, computed once: the lines above are looked through again at
    # every band of white.
    bottoms = [line.bottom for line in ordered]
    resized: list[tuple[float, int]] = []
    same_size: list[tuple[float, int]] = []
    reach = ordered[0].bottom
    for position, line in enumerate(ordered[1:], 1):
        gap = line.top - reach
        if gap >= settings.size_change_gap * body:
            floor = reach - 0.5 * body
            above = [
                kept
                for kept, bottom in zip(ordered[:position], bottoms[:position], strict=True)
                if bottom > floor
            ]
            overlapping = [kept for kept in above if kept.x0 < line.x1 and line.x0 < kept.x1]
            nearest = max(overlapping or above, key=lambda kept: kept.bottom)
            # A bold line over regular ones (a deck in the body's size over the story's
            # columns) parts them as a change of size does.
            if _different(line.size, nearest.size, settings) or line.bold != nearest.bold:
                resized.append((gap, position))
            elif gap >= settings.row_gap * body:
                same_size.append((gap, position))
        reach = max(reach, line.bottom)
    # In a single column, white between lines of one size (two stories one above the
    # other, a paragraph gap) can be cut without upsetting the reading order.
    single_column = all(
        lower.top >= upper.bottom - 0.3 * body
        for upper, lower in zip(ordered, ordered[1:], strict=False)
    )
    cuts = resized or (same_size if single_column else [])
    if not cuts:
        return [ordered]
    _, position = max(cuts)
    return [ordered[:position], ordered[position:]]


# A body line wider than its column (a long web address, a rule of underscores set as one
# word) runs on over the gutter beside it and hides it: the two columns would be read as
# one, their lines interleaved. Where a part shows no gutter, up to this many of its
# widest body lines (in the body's size and weight: a headline or a deck over columns is
# never set aside) are set aside and the gutter sought again ...
MAX_OVERRUNNING_LINES = 2
# ... and taken when each column it parts holds at least this many lines.
MIN_COLUMN_LINES = 3


def _vertical_cuts(lines: list[Line], body: float, settings: PdfConfig) -> list[list[Line]]:
    """The part cut at gutters, white that runs its whole height. A line that runs over a
    gutter does not hide it (`MAX_OVERRUNNING_LINES`); it is read in the column it starts
    in."""
    columns = _gutter_cuts(lines, body, settings)
    if len(columns) > 1 or len(lines) < 2 * MIN_COLUMN_LINES + 1:
        return columns
    text = [line for line in lines if not line.bold and not _different(line.size, body, settings)]
    widest = sorted(text, key=lambda line: line.x1 - line.x0, reverse=True)
    for count in range(1, min(MAX_OVERRUNNING_LINES, len(widest)) + 1):
        overrunning = widest[:count]
        rest = [line for line in lines if all(line is not other for other in overrunning)]
        columns = _gutter_cuts(rest, body, settings)
        if len(columns) > 1 and all(len(column) >= MIN_COLUMN_LINES for column in columns):
            for line in overrunning:
                # Columns come left to right, each opening with its leftmost line.
                home = [column for column in columns if column[0].x0 <= line.x0 + 0.5 * body]
                (home[-1] if home else columns[0]).append(line)
            return columns
    return [lines]


def _gutter_cuts(lines: list[Line], body: float, settings: PdfConfig) -> list[list[Line]]:
    ordered = sorted(lines, key=lambda line: line.x0)
    columns = [[ordered[0]]]
    reach = ordered[0].x1
    for line in ordered[1:]:
        if line.x0 - reach >= settings.column_gap * body:
            columns.append([line])
        else:
            columns[-1].append(line)
        reach = max(reach, line.x1)
    return columns


def _different(first: float, second: float, settings: PdfConfig) -> bool:
    return max(first, second) > settings.size_step * min(first, second)


def paragraphs(region: list[Line], settings: PdfConfig) -> list[str]:
    """A region's lines joined into paragraphs: a first-line indent, more white above a
    line than between the region's other lines, or a short line that ends a sentence
    before it, opens one; a word broken at the line end is mended (`join_wrapped`).
    Ragged-right English has short lines mid-paragraph, hence the sentence end."""
    left = min(line.x0 for line in region)
    right = max(line.x1 for line in region)
    gaps = sorted(b.top - a.bottom for a, b in zip(region, region[1:], strict=False))
    usual = gaps[len(gaps) // 2] if gaps else 0.0
    paragraphs: list[list[str]] = []
    opens = True
    previous = None
    for line in region:
        indented = line.x0 - left > settings.indent * line.size
        spaced = previous is not None and line.top - previous.bottom > usual + 0.3 * line.size
        if opens or indented or spaced or not paragraphs:
            paragraphs.append([line.text])
        else:
            paragraphs[-1].append(line.text)
        short = right - line.x1 > settings.short_line * line.size
        opens = short and ends_sentence(line.text)
        previous = line
    return [join_wrapped_lines(lines) for lines in paragraphs]
