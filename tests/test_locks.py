"""Issue 16 items 5 and 7: one writer per output directory and per index file."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.output import JOURNAL, PARTIAL_DIRECTORY, OutputError, RunOutput
from cleaner.stages.dedup import DedupConfig, DedupIndexError, NearDuplicateIndex


def test_a_second_writer_of_one_output_directory_is_refused(tmp_path: Path) -> None:
    first = RunOutput(tmp_path / "out")
    with pytest.raises(OutputError, match="another cleaner run"):
        RunOutput(tmp_path / "out")
    with pytest.raises(OutputError, match="another cleaner run"):
        RunOutput(tmp_path / "out", resume=True)
    first.close()
    # Released when the first one stops: a resume (or a new run) may take it.
    RunOutput(tmp_path / "out", resume=True).abort()


def test_a_second_writer_of_one_index_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shared.index"
    first = NearDuplicateIndex(DedupConfig(), path)
    with pytest.raises(DedupIndexError, match="another cleaner run"):
        NearDuplicateIndex(DedupConfig(), path)
    first.close()
    NearDuplicateIndex(DedupConfig(), path).close()


def _slow_corpus(directory: Path, count: int) -> None:
    directory.mkdir()
    for n in range(count):
        words = " ".join(f"w{(n * 7 + k) % 101}" for k in range(60))
        text = f"Story {n}\n\nParagraph one of story {n} tells how the port reopened {words}.\n"
        (directory / f"page{n:04d}.txt").write_text(text, encoding="utf-8")


def _cleaner(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "cleaner", "run", *arguments, "--quiet", "--workers", "1"]


def test_two_runs_into_one_out_keep_their_own_output(tmp_path: Path) -> None:
    """The second run used to wipe the first's partial state, and the first then
    published the other's articles under its own summary.

    The first run reads stdin, and stdin stays open until the second run has been
    refused: the first is certainly running then, however fast or loaded the machine."""
    second_inputs = tmp_path / "second"
    _slow_corpus(second_inputs, 3)
    out = tmp_path / "out"
    first = subprocess.Popen(_cleaner("-", "--out", str(out)), stdin=subprocess.PIPE)
    journal = out / PARTIAL_DIRECTORY / JOURNAL
    deadline = time.monotonic() + 60
    while not journal.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert first.poll() is None and journal.exists(), "the first run never started writing"
    second = subprocess.run(
        _cleaner(str(second_inputs), "--out", str(out)), capture_output=True, text=True
    )
    assert second.returncode == 1
    assert "another cleaner run" in second.stderr and str(out) in second.stderr
    records = "".join(
        json.dumps({"id": f"s{n}", "text": f"Story {n}\n\nThe port reopened, day {n}."}) + "\n"
        for n in range(5)
    )
    first.communicate(records.encode("utf-8"), timeout=120)
    assert first.returncode == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"]["files"] == 5
    articles = (out / "articles.jsonl").read_text().splitlines()
    assert len(articles) == 5
