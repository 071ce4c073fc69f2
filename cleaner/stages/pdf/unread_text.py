"""Characters PDFium's text page leaves out, read again with pdfminer.six.

PDFium skips a text object whose box has no width. A box is the union of the glyphs' ink
boxes and the characters' origins, so a one-character string of a font that is not embedded
and that no font on the machine can stand in for (a Chinese font named by a predefined CMap,
on a server without Chinese fonts) has an empty box, and its character is lost: the last
character of a headline set line by line, a paragraph's last ideograph. Longer strings keep
their text (their origins span a width). The page objects still hold the skipped objects
with their origins, but PDFium exposes no character codes of a text object, so pdfminer.six
(pure Python, MIT) reads the page's content stream again, only for pages that have such an
object, and only the characters at those origins are taken. The page's content stream is
tokenized by `content_stream` (pdfminer's tokenizer was most of this reading's cost) and
its operators run by pdfminer's interpreter; a stream that reader leaves alone, and every
form, is read by pdfminer's own. Only this module touches pdfminer.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache

from cleaner.stages.pdf.content_stream import Name, UnusualContent, operations

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
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    resources = PDFResourceManager()
    device = _collector_type()(resources, origins)
    interpreter = _interpreter_type()(resources, device)
    interpreter.page_level = True
    for number, page in enumerate(PDFPage.get_pages(io.BytesIO(raw))):
        if number == index:
            interpreter.process_page(page)
            break
    return device.found


@cache
def _interpreter_type():
    """pdfminer's interpreter, running the page's own content stream from `operations`."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.pdftypes import stream_value

    class PageFromOperations(PDFPageInterpreter):
        # Only the interpreter of the page itself; the ones pdfminer makes for forms are
        # not, and read their streams as pdfminer does.
        page_level = False

        def execute(self, streams) -> None:
            if not self.page_level:
                return super().execute(streams)
            self.page_level = False
            try:
                # Streams of one page are one stream cut between tokens (PDF 32000-1, 7.8.2).
                page_operations = operations(
                    b"\n".join(stream_value(stream).get_data() for stream in streams)
                )
            except UnusualContent:
                return super().execute(streams)
            self.run(page_operations)

        def run(self, page_operations) -> None:
            # An operator's method and how many operands it takes, found once per operator,
            # the way pdfminer's own loop finds them (`do_` and the operator, `T*` as `T_a`).
            methods: dict[str, tuple[object, int] | None] = {}
            for operands, operator in page_operations:
                if operator not in methods:
                    spelled = operator.replace("*", "_a").replace('"', "_w").replace("'", "_q")
                    method = getattr(self, f"do_{spelled}", None)
                    methods[operator] = method and (method, method.__code__.co_argcount - 1)
                found = methods[operator]
                values = [
                    operand if type(operand) in _PLAIN_VALUES else _pdfminer_value(operand)
                    for operand in operands
                ]
                if found and not self.argstack and len(values) == found[1]:
                    # The usual case: the operator takes just what was written before it.
                    found[0](*values)
                    continue
                # Otherwise pdfminer's stack rule: operands pile up until an operator
                # takes its number of them from the top.
                self.argstack.extend(values)
                if found is None:
                    continue
                method, wanted = found
                if not wanted:
                    method()
                    continue
                arguments = self.pop(wanted)
                if len(arguments) == wanted:
                    method(*arguments)

    return PageFromOperations


# Values of `operations` that pdfminer's tokenizer gives the same.
_PLAIN_VALUES = (int, float, bytes, bool)


def _pdfminer_value(value: object) -> object:
    """A value of `operations` as pdfminer's tokenizer gives it: names are its literals."""
    from pdfminer.psparser import LIT

    if isinstance(value, Name):
        return LIT(str(value))
    if isinstance(value, list):
        return [_pdfminer_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _pdfminer_value(item) for key, item in value.items()}
    return value


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
            # pdfminer's width of a character, by font and character id: a page sets the
            # same few thousand characters many times, and a width is asked through a
            # chain of lookups (a CID font's by its Unicode form too).
            self.widths: dict[tuple[int, int], float] = {}

        def render_string_horizontal(self, *arguments):
            # A horizontal string's characters share one baseline; on an upright line
            # (no rotation or skew), when no wanted origin lies on it, only the text
            # position is moved on, by the same sums pdfminer makes, without a matrix and
            # a call for each character.
            seq, matrix, (x, y), font, fontsize, scaling, charspace, wordspace = arguments[:8]
            dxscale = arguments[9]  # after rise; ncs and graphicstate follow, unused here
            a, b, c, d, e, f = matrix
            if b or any(abs(y * d + f - wanted_y) <= _SAME_ORIGIN for _, wanted_y in self.origins):
                return super().render_string_horizontal(*arguments)
            needcharspace = False
            for item in seq:
                if isinstance(item, (int, float)):
                    x -= item * dxscale
                    needcharspace = True
                elif isinstance(item, bytes):
                    for cid in font.decode(item):
                        if needcharspace:
                            x += charspace
                        width = self.widths.get((id(font), cid))
                        if width is None:
                            width = self.widths[(id(font), cid)] = font.char_width(cid)
                        x += width * fontsize * scaling
                        if cid == 32 and wordspace:
                            x += wordspace
                        needcharspace = True
            return (x, y)

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
