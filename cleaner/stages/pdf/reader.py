"""Reading a PDF page's text layer: each character with its position and font size.

pypdfium2 (PDFium, the PDF engine of Chrome) is used because it is fast (C++), reads the
CJK CID fonts of Chinese papers through their standard CMaps, and is Apache/BSD licensed.
Only this module touches it.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from cleaner.document import DocumentError


class Glyph(NamedTuple):
    """One character of the text layer. Coordinates are points from the page's top left.

    A named tuple, not a frozen dataclass: a page has thousands of characters, and a
    frozen dataclass sets each field through `object.__setattr__`, which made building
    them a tenth of reading a page."""

    char: str
    x0: float
    x1: float
    baseline: float
    size: float
    # Set in a bold face, or made bold by stroking its outline (see `_bold_objects`).
    bold: bool = False


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
        skipped = _skipped_text_origins(page)
    finally:
        document.close()
    if skipped:
        glyphs += _glyphs_of_skipped_text(raw, index, skipped, height)
    return PageText(glyphs, width, height)


def _glyphs(textpage, height: float) -> list[Glyph]:
    import pypdfium2.raw as pdfium_c

    calls = _text_page_calls()
    x, y = ctypes.c_double(), ctypes.c_double()
    # The loose box spans a character's advance, not its ink: a middle dot or a comma of
    # a Chinese font inks a sliver of its full-width cell, and white measured from the
    # ink would read as a column gutter.
    box = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    x_ref, y_ref, box_ref, matrix_ref = (ctypes.byref(item) for item in (x, y, box, matrix))
    glyphs = []
    # Size and weight of a text object, by its address: its characters share font, size,
    # text matrix and render mode, so each object is asked once.
    object_styles: dict[int, tuple[float, bool]] = {}
    page = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    is_generated, unicode, text_object = calls.is_generated, calls.unicode, calls.text_object
    origin, loose_box = calls.origin, calls.loose_box
    for index in range(calls.count_chars(page)):
        # PDFium adds spaces and line ends it guessed; the layout here makes its own.
        if is_generated(page, index) == 1:
            continue
        code = unicode(page, index)
        if code in (0, 0xFFFE, 0xFFFF, 0x0D, 0x0A) or 0xD800 <= code <= 0xDFFF:
            continue
        address = text_object(page, index)
        style = object_styles.get(address) if address is not None else None
        if style is None:
            # The size PDFium reports is the one the font is selected in (`Tf`); many
            # papers' layout programs select every font at size 1 and scale it with the
            # text matrix.
            calls.matrix(page, index, matrix_ref)
            size = calls.font_size(page, index) * _scale(
                (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
            )
            style = (size, address is not None and _object_is_bold(_text_object(address)))
            if address is not None:
                object_styles[address] = style
        size, bold = style
        if size <= 0:
            continue
        origin(page, index, x_ref, y_ref)
        loose_box(page, index, box_ref)
        x1 = max(box.right, x.value + 0.25 * size) if code == 0x20 else box.right
        glyphs.append(Glyph(chr(code), x.value, x1, height - y.value, size, bold))
    return glyphs


@dataclass(frozen=True)
class _TextPageCalls:
    """The text page's per-character calls, bound to take the page as a plain address:
    pypdfium2's bindings convert a typed pointer on every call, which costs more than the
    call itself when it is made a few times for each of a page's thousands of characters."""

    count_chars: Callable[[int], int]
    is_generated: Callable[[int, int], int]
    unicode: Callable[[int, int], int]
    text_object: Callable[[int, int], int | None]
    matrix: Callable[..., int]
    font_size: Callable[[int, int], float]
    origin: Callable[..., int]
    loose_box: Callable[..., int]


@cache
def _text_page_calls() -> _TextPageCalls:
    import pypdfium2.raw as pdfium_c

    def bound(function, result, *arguments):
        address = ctypes.cast(function, ctypes.c_void_p).value
        return ctypes.CFUNCTYPE(result, *arguments)(address)

    page, index, pointer = ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p
    return _TextPageCalls(
        count_chars=bound(pdfium_c.FPDFText_CountChars, ctypes.c_int, page),
        is_generated=bound(pdfium_c.FPDFText_IsGenerated, ctypes.c_int, page, index),
        unicode=bound(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, page, index),
        text_object=bound(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, page, index),
        matrix=bound(pdfium_c.FPDFText_GetMatrix, ctypes.c_int, page, index, pointer),
        font_size=bound(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, page, index),
        origin=bound(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int, page, index, pointer, pointer),
        loose_box=bound(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int, page, index, pointer),
    )


def _text_object(address: int):
    """The typed handle pypdfium2's object calls take, from a text object's address."""
    import pypdfium2.raw as pdfium_c

    return ctypes.cast(address, pdfium_c.FPDF_PAGEOBJECT)


# Words in a font's name that say it is a bold cut (Helvetica-Bold, Arial,Bold,
# NotoSansSC-Black, SourceHanSans-Heavy, Roboto-SemiBold, FranklinGothic-Demi).
_BOLD_NAME = re.compile(r"bold|black|heavy|demi|semibold|ultra", re.IGNORECASE)
# Font weights from the font descriptor: 400 is regular, 600 semibold, 700 bold.
_BOLD_WEIGHT = 600
# The font descriptor's ForceBold flag (bit 19).
_FORCE_BOLD = 1 << 18
# Filled and stroked: the outline drawn over the fill thickens the glyph, which is how a
# bold is made from a font without a bold cut (common with Chinese fonts).
_FILL_STROKE_MODES = (2, 6)


def _object_is_bold(text_object) -> bool:
    import pypdfium2.raw as pdfium_c

    if pdfium_c.FPDFTextObj_GetTextRenderMode(text_object) in _FILL_STROKE_MODES:
        return True
    font = pdfium_c.FPDFTextObj_GetFont(text_object)
    if not font:
        return False
    name = ctypes.create_string_buffer(128)
    pdfium_c.FPDFFont_GetBaseFontName(font, name, len(name))
    return (
        bool(_BOLD_NAME.search(name.value.decode("latin-1")))
        or pdfium_c.FPDFFont_GetWeight(font) >= _BOLD_WEIGHT
        or bool(pdfium_c.FPDFFont_GetFlags(font) & _FORCE_BOLD)
    )


# PDFium's text page leaves out a text object whose box is narrower than this (points).
_NO_WIDTH = 0.01
# Forms nest rarely more than once or twice; the bound only keeps a looping file finite.
_FORM_DEPTH = 8

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _skipped_text_origins(page) -> dict[tuple[float, float], tuple[float, bool]]:
    """Origin (PDF page space, y up), font size and weight of each text object that the text page
    skips because its box has no width: its character is not in the text page (see
    `unread_text` for when that happens)."""
    import pypdfium2.raw as pdfium_c

    skipped: dict[tuple[float, float], tuple[float, bool]] = {}
    objects = [
        pdfium_c.FPDFPage_GetObject(page, i) for i in range(pdfium_c.FPDFPage_CountObjects(page))
    ]
    _collect_skipped(objects, _IDENTITY, skipped, 0)
    return skipped


def _collect_skipped(objects, matrix: Matrix, skipped: dict, depth: int) -> None:
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for handle in objects:
        kind = pdfium_c.FPDFPageObj_GetType(handle)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _FORM_DEPTH:
            form = pdfium_c.FS_MATRIX()
            pdfium_c.FPDFPageObj_GetMatrix(handle, form)
            inner = [
                pdfium_c.FPDFFormObj_GetObject(handle, i)
                for i in range(pdfium_c.FPDFFormObj_CountObjects(handle))
            ]
            placed = (form.a, form.b, form.c, form.d, form.e, form.f)
            _collect_skipped(inner, _multiply(placed, matrix), skipped, depth + 1)
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            if not pdfium_c.FPDFPageObj_GetBounds(handle, left, bottom, right, top):
                continue
            if right.value - left.value >= _NO_WIDTH:
                continue
            # An embedded font has its glyph boxes: its objects without width are blanks
            # (a space set on its own), with nothing to read.
            if pdfium_c.FPDFFont_GetIsEmbedded(pdfium_c.FPDFTextObj_GetFont(handle)) == 1:
                continue
            size = ctypes.c_float()
            if not pdfium_c.FPDFTextObj_GetFontSize(handle, size) or size.value <= 0:
                continue
            text_matrix = pdfium_c.FS_MATRIX()
            pdfium_c.FPDFPageObj_GetMatrix(handle, text_matrix)
            placed = (text_matrix.a, text_matrix.b, text_matrix.c, text_matrix.d, 0.0, 0.0)
            x, y = _apply(matrix, left.value, bottom.value)
            skipped[(x, y)] = (
                size.value * _scale(_multiply(placed, matrix)),
                _object_is_bold(handle),
            )


def _multiply(first: Matrix, then: Matrix) -> Matrix:
    """The matrix that applies `first`, then `then` (PDF's row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _scale(matrix: Matrix) -> float:
    a, b, c, d, _, _ = matrix
    return abs(a * d - b * c) ** 0.5


def _glyphs_of_skipped_text(
    raw: bytes, index: int, skipped: dict[tuple[float, float], tuple[float, bool]], height: float
) -> list[Glyph]:
    from cleaner.stages.pdf.unread_text import read_characters_at

    glyphs = []
    for character in read_characters_at(raw, index, list(skipped)):
        size, bold = min(
            skipped.items(),
            key=lambda item: abs(item[0][0] - character.x) + abs(item[0][1] - character.y),
        )[1]
        # A ligature read back as two letters shares its advance between them.
        step = (character.right - character.x) / len(character.text)
        for offset, char in enumerate(character.text):
            x0 = character.x + offset * step
            glyphs.append(Glyph(char, x0, x0 + step, height - character.y, size, bold))
    return glyphs
