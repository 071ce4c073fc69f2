"""Interrupting a real run at any point leaves a resumable state; --resume finishes it
with exactly the output of an uninterrupted run."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.output import JOURNAL, PARTIAL_DIRECTORY

STORY = (
    "<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
    "<p>Paragraph one of story {n} tells how the port of town {n} reopened after the storm "
    "and how {words} the harbour master counted the ships.</p>"
    "<p>第{n}篇报道：港口在风暴之后重新开放，{words}港务局统计了进出港的船只数量。</p>"
    "</article></body></html>"
)


def make_corpus(directory: Path, count: int) -> None:
    directory.mkdir()
    for n in range(count):
        words = " ".join(f"w{(n * 7 + k) % 101}" for k in range(40))
        page = STORY.format(n=n, words=words)
        if n % 50 == 7:
            page = ""  # some error records too
        (directory / f"page{n:04d}.html").write_text(page, encoding="utf-8")


def cleaner(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "cleaner", "run", *arguments, "--quiet", "--workers", "1"]


def checkpoints(out: Path) -> int:
    journal = out / PARTIAL_DIRECTORY / JOURNAL
    return len(journal.read_text().splitlines()) if journal.exists() else 0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("resume") / "corpus"
    make_corpus(directory, 600)
    return directory


@pytest.fixture(scope="module")
def uninterrupted(corpus: Path) -> Path:
    out = corpus.parent / "reference"
    subprocess.run(cleaner(str(corpus), "--out", str(out)), check=True)
    return out


@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_killed_run_resumes_to_the_same_output(
    corpus: Path, uninterrupted: Path, tmp_path: Path, signal_number: int
) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(cleaner(str(corpus), "--out", str(out)), stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while checkpoints(out) < 40 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the run finished before it could be interrupted"
    process.send_signal(signal_number)
    process.wait(timeout=30)
    assert not (out / "articles.jsonl").exists(), "an interrupted run published output"
    interrupted_at = checkpoints(out)
    assert 40 <= interrupted_at < 600

    resumed = subprocess.run(cleaner(str(corpus), "--out", str(out), "--resume"))
    assert resumed.returncode == 0
    for name in ("articles.jsonl", "errors.jsonl", "documents.jsonl"):
        assert (out / name).read_bytes() == (uninterrupted / name).read_bytes(), name
    summary = json.loads((out / "summary.json").read_text())
    reference = json.loads((uninterrupted / "summary.json").read_text())
    assert summary["counts"] == reference["counts"]
    assert summary["removed_by_rule"] == reference["removed_by_rule"]
    assert not (out / PARTIAL_DIRECTORY).exists()


def test_resume_refuses_a_run_with_other_inputs(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(cleaner(str(corpus), "--out", str(out)))
    while checkpoints(out) < 5 and process.poll() is None:
        time.sleep(0.01)
    process.kill()
    process.wait()
    other = subprocess.run(
        cleaner(str(corpus), "--out", str(out), "--resume", "--exclude", "*7.html"),
        capture_output=True,
        text=True,
    )
    assert other.returncode == 1
    assert "other inputs or settings" in other.stderr


def test_resume_without_an_interrupted_run_says_so(tmp_path: Path, corpus: Path) -> None:
    result = subprocess.run(
        cleaner(str(corpus), "--out", str(tmp_path / "fresh"), "--resume"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "nothing to resume" in result.stderr


def test_a_run_killed_before_its_first_checkpoint_resumes(
    corpus: Path, uninterrupted: Path, tmp_path: Path
) -> None:
    """Issue 16 item 6: the journal's header used to sit in a buffer until the first
    checkpoint, so a run killed before it left an empty journal and --resume claimed
    "other inputs or settings". A child process opens the output as `cleaner run` would
    and dies (os._exit, like SIGKILL: no buffers flushed) before any document."""
    out = tmp_path / "out"
    dies_early = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from cleaner.config import Config\n"
        "from cleaner.output import RunOutput\n"
        "from cleaner.pipeline import run_fingerprint\n"
        "fingerprint = run_fingerprint([sys.argv[1]], Config())\n"
        "output = RunOutput(Path(sys.argv[2]), fingerprint=fingerprint)\n"
        "os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", dies_early, str(corpus), str(out)], check=False)
    assert (out / PARTIAL_DIRECTORY / JOURNAL).exists()
    resumed = subprocess.run(
        cleaner(str(corpus), "--out", str(out), "--resume"), capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    for name in ("articles.jsonl", "errors.jsonl", "documents.jsonl"):
        assert (out / name).read_bytes() == (uninterrupted / name).read_bytes(), name


def _kill_after(arguments: list[str], units: int, out: Path) -> None:
    process = subprocess.Popen(cleaner(*arguments), stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while checkpoints(out) < units and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the run finished before it could be interrupted"
    process.kill()
    process.wait(timeout=30)


def test_resume_with_drop_duplicates_is_byte_identical(corpus: Path, tmp_path: Path) -> None:
    """Issue 16 item 6: dropped duplicates were never written, so a resumed run did not
    replay them: their clusters were lost, the counts were wrong, the index was short."""
    reference, out = tmp_path / "reference", tmp_path / "out"
    copies = tmp_path / "copies"
    copies.mkdir()
    for page in sorted(corpus.iterdir())[:200]:
        text = page.read_text(encoding="utf-8")
        (copies / page.name).write_text(text, encoding="utf-8")
        (copies / f"copy-{page.name}").write_text(text.replace("<h1>", "<h1>Copy: "), "utf-8")
    subprocess.run(cleaner(str(copies), "--out", str(reference), "--drop-duplicates"), check=True)
    expected = json.loads((reference / "summary.json").read_text())
    assert expected["counts"]["duplicates_dropped"] > 100
    _kill_after([str(copies), "--out", str(out), "--drop-duplicates"], 150, out)
    resumed = subprocess.run(
        cleaner(str(copies), "--out", str(out), "--drop-duplicates", "--resume")
    )
    assert resumed.returncode == 0
    for name in ("articles.jsonl", "errors.jsonl", "documents.jsonl"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"] == expected["counts"]
    from cleaner.stages.dedup import DedupConfig, NearDuplicateIndex

    def indexed(directory: Path) -> set[str]:
        index = NearDuplicateIndex(DedupConfig(), directory / "dedup-index")
        ids = set(index.store)
        index.release()
        return ids

    assert indexed(out) == indexed(reference)


def test_resume_refuses_other_drop_duplicates(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _kill_after([str(corpus), "--out", str(out)], 5, out)
    other = subprocess.run(
        cleaner(str(corpus), "--out", str(out), "--resume", "--drop-duplicates"),
        capture_output=True,
        text=True,
    )
    assert other.returncode == 1 and "other inputs or settings" in other.stderr


# Runs the CLI and dies (os._exit, like SIGKILL) at the Nth call of a method of the index.
DIES_INSIDE_THE_INDEX = """
import os, sys
from cleaner.stages import dedup
owner, method = sys.argv[1].split(".")
real = getattr(getattr(dedup, owner), method)
calls = []
def dies_at_the_nth(*arguments, **keywords):
    calls.append(1)
    if len(calls) == int(sys.argv[2]):
        os._exit(9)
    return real(*arguments, **keywords)
setattr(getattr(dedup, owner), method, dies_at_the_nth)
from cleaner.cli import app
app(["run", *sys.argv[3:]])
"""


@pytest.mark.parametrize("dies_in", ["RedisPostings.add_to", "RedisRecordStore.add"])
def test_resume_with_a_redis_index_is_byte_identical(
    corpus: Path, tmp_path: Path, redis_url: str, dies_in: str
) -> None:
    """Issue 16 item 6: a record stored in Redis without its LSH bands (killed between
    the two writes) was 'known' on resume, so its bands were never written and a later
    copy of it lost its duplicate_of."""
    copies = tmp_path / "copies"
    copies.mkdir()
    for page in sorted(corpus.iterdir())[:80]:
        text = page.read_text(encoding="utf-8")
        (copies / page.name).write_text(text, encoding="utf-8")
        (copies / f"copy-{page.name}").write_text(text.replace("<h1>", "<h1>Copy: "), "utf-8")
    reference, out = tmp_path / "reference", tmp_path / "out"
    base = redis_url.rsplit("/", 1)[0]
    subprocess.run(
        cleaner(str(copies), "--out", str(reference), "--index", f"{base}/1"), check=True
    )
    arguments = [str(copies), "--out", str(out), "--index", f"{base}/2", "-q", "--workers", "1"]
    killed = subprocess.run(
        [sys.executable, "-c", DIES_INSIDE_THE_INDEX, dies_in, "30", *arguments]
    )
    assert killed.returncode == 9
    resumed = subprocess.run(cleaner(*arguments[:5], "--resume"), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    for name in ("articles.jsonl", "errors.jsonl", "documents.jsonl"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name


def test_an_interrupt_a_library_swallowed_still_stops_the_run() -> None:
    """A parser callback or a bare ``except`` in a dependency can eat the KeyboardInterrupt
    of Ctrl-C; the run then took it for one bad document and went on to publish."""
    import os

    from cleaner.cli import StopSignals, Terminated

    for signal_number, raised in ((signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, Terminated)):
        before = signal.getsignal(signal_number)
        with StopSignals() as stops:
            try:
                os.kill(os.getpid(), signal_number)
                time.sleep(1)  # the handler runs here, at the latest
            except BaseException:  # noqa: BLE001 - what the careless library does
                pass
            with pytest.raises(raised):
                stops.check()
        assert signal.getsignal(signal_number) == before  # the run's handlers are undone
