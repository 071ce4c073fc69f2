"""Per-document stages, in the order the pipeline runs them.

Each stage is one module (the extract stage one package) with `NAME`, a frozen settings
dataclass, and `apply(document, settings) -> Document`: it receives only its own settings
(the `Config` field named after the stage), marks blocks removed (it never deletes them),
sets what it learns as typed fields (`Block.role`, `Document.layout`), and raises
`DocumentError` for a document it cannot process. A stage with one-time work (compiling
rules) may also define `prepare(settings)`: the pipeline calls it before each document's
time budget starts (it must be cheap when repeated), so that work is never billed to a
page. Adding a stage is one new module, one field in `cleaner.config.Config` and one line
in `DEFAULT_STAGES`.
"""

from __future__ import annotations

from typing import Any, Protocol

from cleaner.document import Document
from cleaner.stages import boilerplate, decode, extract, language, pdf, reflow, spam, split


class Stage(Protocol):
    """What the pipeline needs of a stage module."""

    NAME: str

    def apply(self, document: Document, settings: Any, /) -> Document: ...


DEFAULT_STAGES: tuple[Stage, ...] = (
    decode,
    extract,
    reflow,
    boilerplate,
    spam,
    split,
    language,
)

# A PDF page is read by position (the pdf stage), which takes the place of decode, extract
# and reflow; it is already cut into its articles by headline size, so split is not run.
PDF_STAGES: tuple[Stage, ...] = (pdf, boilerplate, spam, language)


def stages_for(document: Document) -> tuple[Stage, ...]:
    """The stages a document goes through, by what it is."""
    return PDF_STAGES if document.media_type == "pdf" else DEFAULT_STAGES
