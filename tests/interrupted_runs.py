"""Start `cleaner run` as a process and stop it mid-run, once its journal shows progress."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from cleaner.output import JOURNAL, PARTIAL_DIRECTORY


def start_and_wait(
    command: list[str], out: Path, journal_lines: int, *, timeout: float = 60, **popen
) -> subprocess.Popen:
    """The running process, once its journal holds more than `journal_lines` lines; fails
    the test when the run ends first (nothing would be left to interrupt)."""
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, **popen)
    journal = out / PARTIAL_DIRECTORY / JOURNAL
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if journal.exists() and len(journal.read_text().splitlines()) > journal_lines:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the run finished before it could be stopped"
    return process
