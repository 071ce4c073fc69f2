"""Settings of the pdf stage. Sizes are multiples of the page's body font size (the size
most of the page's characters are set in), so one setting fits a tabloid and a broadsheet."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PdfConfig:
    # Glyphs on one baseline belong to one line unless a gap wider than this (in the line's
    # own font size) separates them: that is a column gutter. Word spaces of justified
    # English run to about 0.6 em; gutters are rarely narrower than one em.
    line_gap: float = 0.9
    # A horizontal band of empty page at least this tall (in body sizes) separates
    # regions: more than the white between two lines of body text (leading minus size,
    # about 0.2-0.5) and less than the space papers leave under an article (about 1).
    row_gap: float = 0.7
    # Between lines of different sizes (a headline over its body) a smaller gap is enough.
    size_change_gap: float = 0.2
    # Two sizes are "different" when one exceeds the other by this factor.
    size_step: float = 1.15
    # An empty vertical strip at least this wide (in body sizes) between line boxes is a
    # column gutter.
    column_gap: float = 0.8
    # Headlines are set at least this much larger than body text; 1.25 leaves bold
    # intertitles (about 1.1) in the body.
    headline_ratio: float = 1.25
    # Two headline lines whose sizes differ by this factor are two parts of a headline
    # group (a kicker over its title) even when no white parts them: papers set a kicker
    # at half to nine tenths of the title's size, while the lines of one headline share
    # one size (PDF sizes are exact, so 4% is well above any rounding).
    kicker_step: float = 1.04
    # A kicker or subtitle takes one to three lines; a longer run larger than the body is
    # a standfirst or an intertitle's paragraph, not a deck.
    deck_lines: int = 3
    # Evidence for a deck, in size steps (a deck a size step larger than the body counts
    # 1.5): set bold while the body is not counts one step, so a bold line in the body's
    # size stacked on a headline is a deck; ending a sentence, as a bold first paragraph
    # does, counts half a step against.
    deck_bold: float = 1.0
    deck_sentence: float = 0.5
    # Captions and credits are set smaller than the body.
    caption_ratio: float = 0.92
    # Running heads and folios sit in these shares of the page height at the top and the
    # bottom (the paper's name, date and page number); 7% is about the top 5 cm of a
    # broadsheet's 58 cm, where no article text sits.
    furniture_band: float = 0.07
    # A band line this close to text outside the band (white space between them, in the
    # larger line's size) continues that text: line spacing leaves about 0.2 of the size
    # and a paragraph gap about 0.6, while running heads stand off by a rule and more.
    attached_gap: float = 0.7
    # ... or continues it a paragraph gap away, when it is set in the text's own size from
    # the text's left edge: spaced paragraphs leave up to about 1.5 sizes of white (a
    # line's leading plus 0.6 of it), and an indent is at most 2.5 sizes (two ideographs
    # and a half). Running heads stand further off or in another size.
    paragraph_gap: float = 1.6
    paragraph_indent: float = 2.5
    # A line that starts this much to the right of its region's left edge (in its own size)
    # opens a paragraph (the first-line indent: two ideographs in Chinese, one em in English).
    indent: float = 0.7
    # A line ending this far short of its region's right edge (in its own size) ends its
    # paragraph.
    short_line: float = 2.0
