"""Per-document stages, in the order the pipeline runs them.

Each stage module exposes `NAME` and `apply(document, config) -> Document`. A stage marks
blocks removed (it never deletes them) and raises `DocumentError` for a document it
cannot process. Adding a stage is one new module and one line in `DEFAULT_STAGES`.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

from cleaner.stages import boilerplate, decode, extract, language, reflow, spam, split

if TYPE_CHECKING:
    from cleaner.config import Config
    from cleaner.document import Document

StageFunction = Callable[["Document", "Config"], "Document"]

DEFAULT_STAGES: tuple[ModuleType, ...] = (
    decode,
    extract,
    reflow,
    boilerplate,
    spam,
    split,
    language,
)
