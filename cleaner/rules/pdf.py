"""How the pdf stage reads a printed page's lines: by size relative to the page's body
text and by place on the page. Predicates take what the stage measures (sizes, positions)
and the stage's threshold from `PdfConfig`, so examples are tuples of numbers."""

from __future__ import annotations

from cleaner.rules import Rule


def _at_least(ratio: float, limit: float) -> bool:
    return ratio >= limit


def _at_most(ratio: float, limit: float) -> bool:
    return ratio <= limit


def _in_margin(top: float, bottom: float, page_height: float, band: float) -> bool:
    return bottom <= band * page_height or top >= (1 - band) * page_height


HEADLINE = Rule(
    "pdf.title",
    "a line set well above the body size is a headline; the largest of a headline group is "
    "the title (size / body size, threshold)",
    fires_on=((2.4, 1.25),),
    spares=((1.1, 1.25),),
    predicate=_at_least,
)


def _stands_out(
    size_ratio: float,
    bold: bool,
    ends_sentence: bool,
    step: float,
    bold_weight: float,
    sentence_weight: float,
) -> bool:
    """Evidence that a short line is a deck, not text, in size steps: set a size step
    larger than the body (1.5), set bold (`bold_weight`), and against it, ending a sentence
    as a paragraph does (`sentence_weight`; a deck is a phrase more often than a sentence)."""
    evidence = (1.5 if size_ratio >= step else 0.0) + (bold_weight if bold else 0.0)
    return evidence - (sentence_weight if ends_sentence else 0.0) >= 1.0


DECK = Rule(
    "pdf.deck",
    "a short line that stands out from the body (larger, or bold), stacked on a headline, "
    "belongs to its headline group as kicker or subtitle even below the headline size "
    "(size / body size, bold, ends a sentence, size step, weight of bold, of a sentence end)",
    fires_on=(
        (1.24, False, False, 1.15, 1.0, 0.5),
        (1.0, True, False, 1.15, 1.0, 0.5),
        (1.24, False, True, 1.15, 1.0, 0.5),
    ),
    spares=((1.1, False, False, 1.15, 1.0, 0.5), (1.0, True, True, 1.15, 1.0, 0.5)),
    predicate=_stands_out,
)
KICKER = Rule(
    "pdf.kicker",
    "a smaller headline line above the title is its kicker (line, title position in group)",
    fires_on=((0, 1),),
    spares=((2, 1),),
    predicate=lambda position, title_at: position < title_at,
)
SUBTITLE = Rule(
    "pdf.subtitle",
    "a smaller headline line under the title (or a dash line opening the text) is its "
    "subtitle (line, title position in group)",
    fires_on=((2, 1),),
    spares=((0, 1),),
    predicate=lambda position, title_at: position > title_at,
)
CAPTION = Rule(
    "pdf.caption",
    "text set smaller than the body is a picture's caption or credit (size / body size, threshold)",
    fires_on=((0.8, 0.92),),
    spares=((1.0, 0.92),),
    predicate=_at_most,
)
FURNITURE = Rule(
    "pdf.furniture",
    "a line in the top or bottom margin band is a running head or folio (top, bottom, page "
    "height, band share)",
    fires_on=((20.0, 30.0, 842.0, 0.07),),
    spares=((400.0, 410.0, 842.0, 0.07),),
    predicate=_in_margin,
)

ALL_RULES: tuple[Rule, ...] = (HEADLINE, DECK, KICKER, SUBTITLE, CAPTION, FURNITURE)
