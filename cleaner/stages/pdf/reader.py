"""Reading a PDF page's text layer: each character with its position and font size.

pypdfium2 (PDFium, the PDF engine of Chrome) is used because it is fast (C++), reads the
CJK CID fonts of Chinese papers through their standard CMaps, and is Apache/BSD licensed.
Only this module touches it.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

from cleaner.document import DocumentError


@dataclass(frozen=True)
class Glyph:
    """One character of the text layer. Coordinates are points from the page's top left."""

    char: str
    x0: float
    x1: float
    baseline: float
    size: float


@dataclass(frozen=True)
class PageText:
    glyphs: list[Glyph]
    width: float
    height: float


class PdfProblem(Exception):
    """A PDF that cannot be opened: `kind` is the error record's type."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def _open(source):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(source)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise PdfProblem("encrypted_pdf", "the PDF is encrypted (needs a password)") from error
        raise PdfProblem("bad_pdf", f"cannot open the PDF: {error}") from error


def page_count(path) -> int:
    """How many pages the PDF at `path` has; PdfProblem when it cannot be opened."""
    document = _open(str(path))
    try:
        return len(document)
    finally:
        document.close()


def read_page(raw: bytes, index: int) -> PageText:
    """The glyphs of page `index` (0-based) of the PDF in `raw`."""
    try:
        document = _open(raw)
    except PdfProblem as problem:
        raise DocumentError(problem.kind, problem.message) from problem
    try:
        if not 0 <= index < len(document):
            raise DocumentError("bad_pdf", f"the PDF has no page {index + 1}")
        page = document[index]
        width, height = page.get_size()
        glyphs = _glyphs(page.get_textpage(), height)
    finally:
        document.close()
    return PageText(glyphs, width, height)


def _glyphs(textpage, height: float) -> list[Glyph]:
    import pypdfium2.raw as pdfium_c

    x, y = ctypes.c_double(), ctypes.c_double()
    # The loose box spans a character's advance, not its ink: a middle dot or a comma of
    # a Chinese font inks a sliver of its full-width cell, and white measured from the
    # ink would read as a column gutter.
    box = pdfium_c.FS_RECTF()
    glyphs = []
    for index in range(textpage.count_chars()):
        # PDFium adds spaces and line ends it guessed; the layout here makes its own.
        if pdfium_c.FPDFText_IsGenerated(textpage, index) == 1:
            continue
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        if code in (0, 0xFFFE, 0xFFFF, 0x0D, 0x0A) or 0xD800 <= code <= 0xDFFF:
            continue
        pdfium_c.FPDFText_GetCharOrigin(textpage, index, x, y)
        pdfium_c.FPDFText_GetLooseCharBox(textpage, index, box)
        size = pdfium_c.FPDFText_GetFontSize(textpage, index)
        if size <= 0:
            continue
        x1 = max(box.right, x.value + 0.25 * size) if chr(code) == " " else box.right
        glyphs.append(Glyph(chr(code), x.value, x1, height - y.value, size))
    return glyphs
