"""Decks (kickers and subtitles) set in the body's size, standing out only by weight."""

from __future__ import annotations

import random

import pytest

from cleaner.document import Role
from cleaner.stages.pdf.config import PdfConfig
from cleaner.stages.pdf.page import layout_page
from cleaner.stages.pdf.reader import Glyph, PageText

BODY = 10.0


def _line(text: str, x: float, baseline: float, size: float, bold: bool = False) -> list[Glyph]:
    width = size if not text.isascii() else 0.5 * size
    return [
        Glyph(char, x + i * width, x + (i + 1) * width, baseline, size, bold)
        for i, char in enumerate(text)
    ]


def _story(deck: str, byline_bold: bool, rng: random.Random) -> list[Glyph]:
    """A headline over a two-column story, a bold line in the body's size right under it,
    then a byline and the columns."""
    gutter = rng.uniform(11, 16)
    right = 40 + 11 * BODY + gutter
    glyphs = _line("港口重新开放", 40, 60, 24)
    glyphs += _line(deck, 40, 60 + 0.2 * 24 + 14, BODY, bold=True)
    top = 60 + 0.2 * 24 + 14 + rng.uniform(0.6, 1.2) * BODY + BODY
    glyphs += _line("本报记者 王明", 40, top, BODY, bold=byline_bold)
    for number in range(12):
        baseline = top + (number + 1.3) * BODY * 1.4
        glyphs += _line("港口在风暴之后重新开放了。", 40, baseline, BODY)
        glyphs += _line("港务局统计了进出港船只。", right, baseline, BODY)
    return glyphs


@pytest.mark.parametrize("byline_bold", [False, True])
def test_a_bold_line_in_the_body_size_under_a_headline_is_its_subtitle(byline_bold):
    glyphs = _story("船只恢复通行，渔民陆续回港", byline_bold, random.Random(5))
    layout = layout_page(PageText(glyphs, 400.0, 600.0), PdfConfig())
    roles = {block.text: block.role for block in layout.blocks}
    assert roles["船只恢复通行，渔民陆续回港"] is Role.SUBTITLE
    assert roles["本报记者 王明"] is Role.BYLINE
    assert layout.articles[0].title == "港口重新开放"
    assert layout.articles[0].author


def test_a_bold_sentence_under_a_headline_is_text_not_a_deck():
    """A bold first paragraph ends its sentence; a deck is a phrase."""
    glyphs = _story("港务局说，船只已经恢复通行。", False, random.Random(6))
    layout = layout_page(PageText(glyphs, 400.0, 600.0), PdfConfig())
    roles = {block.text: block.role for block in layout.blocks}
    assert roles["港务局说，船只已经恢复通行。"] is Role.BODY
    assert layout.articles[0].subtitle is None


def test_bold_carries_no_weight_on_a_page_whose_body_is_bold():
    glyphs = [
        Glyph(g.char, g.x0, g.x1, g.baseline, g.size, True)
        for g in _story("船只恢复通行", False, random.Random(7))
    ]
    layout = layout_page(PageText(glyphs, 400.0, 600.0), PdfConfig())
    assert layout.articles[0].subtitle is None
