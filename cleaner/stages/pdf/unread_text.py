"""Characters PDFium's text page leaves out, read again with pdfminer.six.

PDFium skips a text object whose box has no width. A box is the union of the glyphs' ink
boxes and the characters' origins, so a one-character string of a font that is not embedded
and that no font on the machine can stand in for (a Chinese font named by a predefined CMap,
on a server without Chinese fonts) has an empty box, and its character is lost: the last
character of a headline set line by line, a paragraph's last ideograph. Longer strings keep
their text (their origins span a width). The page objects still hold the skipped objects
with their origins, but PDFium exposes no character codes of a text object, so pdfminer.six
(pure Python, MIT) reads the page's content stream again, only for pages that have such an
object, and only the characters at those origins are taken. Only this module touches
pdfminer.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache

# A skipped object's origin and pdfminer's origin of the same character are one number
# computed twice from the same matrices; a quarter point is far below any advance.
_SAME_ORIGIN = 0.25


@dataclass(frozen=True)
class UnreadCharacter:
    """A character of a skipped text object, in PDF page space (y up)."""

    text: str
    x: float
    y: float
    # The right edge of the character's advance.
    right: float


def read_characters_at(
    raw: bytes, index: int, origins: list[tuple[float, float]]
) -> list[UnreadCharacter]:
    """The characters pdfminer finds on page `index` of `raw` whose origin is one of
    `origins`; none when pdfminer cannot read the page (PDFium could, so the page is not
    an error, only these characters stay lost)."""
    try:
        return _characters_at(raw, index, origins)
    except Exception as error:  # noqa: BLE001 - a second reader's failure must not fail the page
        logging.getLogger(__name__).debug("pdfminer could not read page %d: %s", index, error)
        return []


def _characters_at(
    raw: bytes, index: int, origins: list[tuple[float, float]]
) -> list[UnreadCharacter]:
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    resources = PDFResourceManager()
    device = _collector_type()(resources, origins)
    interpreter = PDFPageInterpreter(resources, device)
    for number, page in enumerate(PDFPage.get_pages(io.BytesIO(raw))):
        if number == index:
            interpreter.process_page(page)
            break
    return device.found


@cache
def _collector_type():
    """A pdfminer device that keeps only the characters set at the wanted origins; the
    others are only measured, to move the text position on (a page has thousands)."""
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.pdffont import PDFUnicodeNotDefined

    class CharactersAtOrigins(PDFLayoutAnalyzer):
        def __init__(self, resources, origins: list[tuple[float, float]]) -> None:
            # No layout analysis: only characters and their matrices are wanted.
            super().__init__(resources, laparams=None)
            self.origins = origins
            self.found: list[UnreadCharacter] = []

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            advance = font.char_width(cid) * fontsize * scaling
            x, y = matrix[4], matrix[5]
            if not any(
                abs(x - wanted_x) <= _SAME_ORIGIN and abs(y - wanted_y) <= _SAME_ORIGIN
                for wanted_x, wanted_y in self.origins
            ):
                return advance
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                return advance
            # A blank has no ink to lose; PDFium's own line reading makes word spaces.
            if text and not text.isspace() and not font.is_vertical():
                right = matrix[0] * advance + x
                self.found.append(UnreadCharacter(text, x, y, right))
            return advance

    return CharactersAtOrigins
