"""PDF stage: one page of a PDF, read with positions and font sizes, becomes blocks in
reading order with their roles, grouped into the page's articles.

A PDF page takes this stage instead of decode, extract and reflow (see
`cleaner.stages.stages_for`): its text layer has no encoding to guess, no markup, and no
hard wraps to undo once lines are read by position. Files, one concern each:

- `reader`: the text layer's characters with position and size (pypdfium2);
- `unread_text`: characters PDFium's text page skips, read again (pdfminer.six);
- `geometry`: characters into lines, lines into regions in reading order (XY-cut), and a
  region's lines into paragraphs;
- `page`: regions into roles (furniture, title, kicker, subtitle, byline, caption, body)
  and articles, from sizes relative to the page's body size.
"""

from __future__ import annotations

from cleaner.document import Document, DocumentError, Layout
from cleaner.stages.pdf.config import PdfConfig
from cleaner.stages.pdf.page import NAME, layout_page
from cleaner.stages.pdf.reader import read_page

__all__ = ["NAME", "PdfConfig", "apply"]


def apply(document: Document, settings: PdfConfig) -> Document:
    page = read_page(document.raw, document.page or 0)
    if not any(not glyph.char.isspace() for glyph in page.glyphs):
        raise DocumentError(
            "no_text_layer",
            f"page {(document.page or 0) + 1} has no text layer (a scanned image?): "
            "run OCR on the PDF first (for example with ocrmypdf), then give cleaner the result",
        )
    laid_out = layout_page(page, settings)
    document.layout = Layout.PDF_PAGE
    document.blocks = laid_out.blocks
    document.articles = laid_out.articles
    if laid_out.published:
        document.metadata["published"] = laid_out.published
    document.text = "\n\n".join(block.text for block in document.blocks)
    return document
