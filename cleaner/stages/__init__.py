"""Per-document stages, in the order the pipeline runs them.

Each stage module exposes `NAME` and `apply(document, config) -> Document`. A stage marks
blocks removed (it never deletes them) and raises `DocumentError` for a document it
cannot process. Adding a stage is one new module and one line in `DEFAULT_STAGES`.
"""

from __future__ import annotations

from types import ModuleType

from cleaner.stages import boilerplate, decode, extract, language, reflow, spam, split

DEFAULT_STAGES: tuple[ModuleType, ...] = (
    decode,
    extract,
    reflow,
    boilerplate,
    spam,
    split,
    language,
)
