"""The pipeline: run the per-document stages, then dedup, and hand records to the writer."""

from __future__ import annotations

import time
from dataclasses import dataclass

from cleaner.config import Config
from cleaner.document import Document, DocumentError
from cleaner.stages import DEFAULT_STAGES


@dataclass
class StageFailure:
    """A document that a stage could not process: one line of errors.jsonl."""

    source: str
    stage: str
    error: str
    message: str


def process_document(
    document: Document, config: Config, stages=DEFAULT_STAGES
) -> Document | StageFailure:
    """Run every stage over one document; a failing stage turns it into a StageFailure."""
    for stage in stages:
        started = time.perf_counter()
        try:
            document = stage.apply(document, config)
        except DocumentError as error:
            return StageFailure(document.source, stage.NAME, error.kind, error.message)
        except RecursionError:
            return StageFailure(
                document.source, stage.NAME, "too_deep", "document is nested too deeply"
            )
        except Exception as error:  # noqa: BLE001 - one bad document must not end the run
            return StageFailure(
                document.source, stage.NAME, "internal", f"{type(error).__name__}: {error}"
            )
        finally:
            document.timings[stage.NAME] = time.perf_counter() - started
    return document
