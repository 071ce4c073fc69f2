"""Run in each Ray worker of the test cluster (its worker_process_setup_hook): a page named
dies-once-* kills the worker the first time it is processed, dies-always-* every time, as
a lost node or an out-of-memory kill would. The marker directory comes from the cluster's
environment (CLEANER_TEST_MARKERS)."""

from __future__ import annotations

import os
from pathlib import Path


def kill_worker_on_marked_pages() -> None:
    from cleaner import pipeline

    process_document = pipeline.process_document

    def process_or_die(document, config, stages=None):
        name = os.path.basename(document.source)
        if name.startswith("dies-always"):
            os._exit(1)
        if name.startswith("dies-once"):
            marker = Path(os.environ["CLEANER_TEST_MARKERS"]) / name
            if not marker.exists():
                marker.touch()
                os._exit(1)
        return process_document(document, config, stages)

    pipeline.process_document = process_or_die
