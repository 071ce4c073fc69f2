"""Issue 16 items 7 and 9: outputs and the index are published in one step, and a full
disk gives one message and leaves no partial files."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from cleaner.output import PARTIAL_DIRECTORY
from cleaner.stages.dedup import DedupConfig, NearDuplicateIndex

OUTPUTS = ("articles.jsonl", "errors.jsonl", "documents.jsonl")


def make_corpus(directory: Path, count: int) -> Path:
    directory.mkdir()
    for n in range(count):
        words = " ".join(f"w{(n * 7 + k) % 101}" for k in range(60))
        text = f"Story {n}\n\nParagraph one of story {n} tells how the port reopened {words}.\n"
        (directory / f"page{n:04d}.txt").write_text(text, encoding="utf-8")
    return directory


def cleaner(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "cleaner", "run", *arguments, "--quiet", "--workers", "1"]


# Runs the CLI with os.replace dying (os._exit: a SIGKILL, nothing cleaned up) just before
# it moves a file of the given name into place.
DIES_WHILE_PUBLISHING = """
import os, sys
real_replace = os.replace
def replace(source, target):
    if os.path.basename(target) == sys.argv[1]:
        os._exit(9)
    real_replace(source, target)
os.replace = replace
from cleaner.cli import app
app(["run", *sys.argv[2:]])
"""


def index_ids(path: Path) -> set[str]:
    index = NearDuplicateIndex(DedupConfig(), path)
    try:
        return set(index.store)
    finally:
        index._saved_by_caller = True  # only reading: do not write it back
        index.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("publish") / "corpus", 30)


@pytest.fixture(scope="module")
def reference(corpus: Path) -> Path:
    out = corpus.parent / "reference"
    index = corpus.parent / "reference.index"
    subprocess.run(cleaner(str(corpus), "--out", str(out), "--index", str(index)), check=True)
    return out


@pytest.mark.parametrize("dies_before", ["errors.jsonl", "summary.json", "news.index"])
def test_a_run_killed_while_publishing_is_finished_by_resume(
    corpus: Path, reference: Path, tmp_path: Path, dies_before: str
) -> None:
    """Outputs used to be published before the index was saved: a kill in between left
    the index without the run's articles and nothing to resume."""
    out, index = tmp_path / "out", tmp_path / "news.index"
    arguments = [str(corpus), "--out", str(out), "--index", str(index), "-q", "--workers", "1"]
    killed = subprocess.run([sys.executable, "-c", DIES_WHILE_PUBLISHING, dies_before, *arguments])
    assert killed.returncode == 9
    resumed = subprocess.run(cleaner(*arguments[:5], "--resume"), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    assert index_ids(index) == index_ids(corpus.parent / "reference.index")
    assert not (out / PARTIAL_DIRECTORY).exists()
    assert not list(tmp_path.glob("*.tmp"))


def _limit_file_size(limit: int):
    def limit_in_child() -> None:
        # Writing past the limit fails with EFBIG (SIGXFSZ ignored), as a full disk fails
        # with ENOSPC: the same write path, without needing a small filesystem.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_in_child


def assert_one_clean_failure(result: subprocess.CompletedProcess, out: Path) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "cannot write" in result.stderr
    assert not (out / PARTIAL_DIRECTORY).exists()
    assert not [path for path in out.parent.rglob("*") if path.name.endswith(".tmp")]


def test_a_file_too_large_for_the_disk_is_one_message(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", 60)
    out = tmp_path / "out"
    result = subprocess.run(
        cleaner(str(corpus), "--out", str(out)),
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size(20_000),
    )
    assert_one_clean_failure(result, out)
    assert not (out / "articles.jsonl").exists()


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 128 KiB tmpfs (needs root and mount; skipped elsewhere)."""
    mount_point = tmp_path / f"tiny-{uuid.uuid4().hex[:8]}"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=False)


def test_a_full_disk_on_out_is_one_message_and_no_partial_files(
    tmp_path: Path, tiny_disk: Path
) -> None:
    corpus = make_corpus(tmp_path / "corpus", 200)
    out = tiny_disk / "out"
    result = subprocess.run(cleaner(str(corpus), "--out", str(out)), capture_output=True, text=True)
    assert_one_clean_failure(result, out)
    assert sorted(path.name for path in out.iterdir()) == []


def test_a_full_disk_while_saving_the_index_publishes_nothing(
    tmp_path: Path, tiny_disk: Path
) -> None:
    """The index write used to fail after the outputs were published, with a traceback
    and a *.tmp left beside the index."""
    corpus = make_corpus(tmp_path / "corpus", 200)
    out, index = tmp_path / "out", tiny_disk / "news.index"
    (tiny_disk / "filler").write_bytes(b"x" * 100_000)
    result = subprocess.run(
        cleaner(str(corpus), "--out", str(out), "--index", str(index)),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (out / "articles.jsonl").exists()
    assert sorted(path.name for path in tiny_disk.iterdir()) == ["filler"]
