"""Writing a run's results: atomically, so a reader never sees a half-written file.

Every output file is first written under ``OUT/.cleaner-partial/`` and moved into place with
`os.replace` only when the run completes. An interrupted run therefore leaves the previous
complete output untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from cleaner.locks import LockedError, RunLock
from cleaner.text import escape_controls

ARTICLES = "articles.jsonl"
ERRORS = "errors.jsonl"
DOCUMENTS = "documents.jsonl"
SUMMARY = "summary.json"
PARTIAL_DIRECTORY = ".cleaner-partial"
JOURNAL = "checkpoints.jsonl"
# Held (flock) by the run writing to the directory; see cleaner/locks.py.
LOCK_FILE = ".cleaner-lock"


class OutputError(Exception):
    """The output cannot be written (unwritable directory, full disk); ends the run."""


class ResumeError(OutputError):
    """--resume was asked for but there is no matching interrupted run."""


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def json_line(value: dict[str, Any]) -> str:
    return json_text(value) + "\n"


def document_line(head: dict[str, Any], articles: list[dict[str, Any]], blocks_json: str) -> str:
    """The documents.jsonl line of a marked document whose blocks were serialised already
    (in a worker process): the same bytes as `json_line` of the whole view."""
    opening = json_text({**head, "articles": articles})
    return f'{opening[:-1]}, "blocks": {blocks_json}}}\n'


class RunOutput:
    """Collects records during a run and publishes them when it finishes.

    With `out_dir` None, articles go to standard output (after the run, so that their
    cluster fields are complete) and errors to standard error.
    """

    def __init__(
        self,
        out_dir: Path | None,
        write_documents: bool = True,
        resume: bool = False,
        fingerprint: str = "",
        drop_duplicates: bool = False,
    ) -> None:
        self.out_dir = out_dir
        # Duplicates are written to the partial articles like every record (so --resume
        # replays them into the index in order) and left out when the run is published.
        self.drop_duplicates = drop_duplicates
        self.fingerprint = fingerprint
        self.resumed_units = 0
        self._lock: RunLock | None = None
        # True when --resume found a run that had finished but was stopped while
        # publishing, and completed that: there is nothing left to process.
        self.published = False
        self.articles = self.errors = self.documents = self.journal = None
        try:
            if out_dir is None:
                self.partial = Path(tempfile.mkdtemp(prefix="cleaner-"))
            else:
                out_dir.mkdir(parents=True, exist_ok=True)
                # Before the partial state is touched: a second run must not wipe it.
                self._lock = RunLock(out_dir / LOCK_FILE, f"to {out_dir}")
                self.partial = out_dir / PARTIAL_DIRECTORY
                restored = self._restore_checkpoint() if resume else None
                if self.published:
                    return
                if restored is None:
                    shutil.rmtree(self.partial, ignore_errors=True)
                    self.partial.mkdir()
                self.resumed_units = restored or 0
            mode = "a" if self.resumed_units else "w"
            self.articles = self._open(ARTICLES, mode)
            self.errors = self._open(ERRORS, mode)
            self.documents = self._open(DOCUMENTS, mode) if write_documents and out_dir else None
            self.journal = self._open(JOURNAL, mode)
            if not self.resumed_units:
                # Flushed now, not at the first checkpoint: a run killed before it must
                # still be recognised by --resume as this run.
                self.journal.write(json_line({"fingerprint": fingerprint}))
                self.journal.flush()
        except LockedError as error:
            raise OutputError(str(error)) from None
        except OSError as error:
            self._release()
            raise OutputError(_describe(error, out_dir)) from error
        except ResumeError:
            self._release()
            raise

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _open(self, name: str, mode: str = "w") -> IO[str]:
        return open(self.partial / name, mode, encoding="utf-8", newline="\n")

    def _restore_checkpoint(self) -> int | None:
        """Cut the partial files back to the last checkpoint; return the units it covers
        (None: the interrupted run stopped before writing anything, start afresh)."""
        journal = self.partial / JOURNAL
        if not journal.is_file():
            raise ResumeError(f"nothing to resume in {self.out_dir}: no interrupted run found")
        lines = journal.read_text(encoding="utf-8").splitlines()
        header = _json_or_none(lines[0]) if lines else None
        if header is None:
            return None
        if header.get("fingerprint") != self.fingerprint:
            raise ResumeError(
                f"the interrupted run in {self.out_dir} used other inputs or settings; "
                "run without --resume to start over"
            )
        publish = _json_or_none(lines[-1])
        if publish and "publish" in publish:
            _move_all([(Path(source), Path(target)) for source, target in publish["publish"]])
            shutil.rmtree(self.partial, ignore_errors=True)
            self.published = True
            return None
        checkpoints = [c for c in map(_json_or_none, lines[1:]) if c and "done" in c]
        last = checkpoints[-1] if checkpoints else {"done": 0}
        for name in (ARTICLES, ERRORS, DOCUMENTS):
            path = self.partial / name
            if path.exists():
                os.truncate(path, last.get(name, 0))
        # Rewrite the journal so that a torn last line cannot confuse the next resume.
        journal.write_text(json_line(header) + (json_line(last) if checkpoints else ""))
        return last["done"]

    def checkpoint(self, units_done: int) -> None:
        """Record that the first `units_done` inputs are completely written."""
        handles = {ARTICLES: self.articles, ERRORS: self.errors, DOCUMENTS: self.documents}
        offsets = {"done": units_done}
        try:
            for name, handle in handles.items():
                if handle is not None:
                    handle.flush()
                    offsets[name] = handle.tell()
            self.journal.write(json_line(offsets))
            self.journal.flush()
        except OSError as error:
            raise OutputError(_describe(error, self.out_dir)) from error

    def written(self, name: str) -> Iterator[dict[str, Any]]:
        """Records already in a partial file (a resumed run replays them)."""
        path = self.partial / name
        if not path.exists():
            return
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)

    def add_article(self, record: dict[str, Any]) -> None:
        self._write(self.articles, json_line(record))

    def add_error(self, record: dict[str, Any]) -> None:
        self._write(self.errors, json_line(record))
        if self.out_dir is None:
            line = escape_controls(f"{record['source']}: {record['message']}")
            print(f"error: {line}", file=sys.stderr)

    def add_document(self, line: str) -> None:
        """One documents.jsonl line (see `document_line`)."""
        if self.documents is not None:
            self._write(self.documents, line)

    def _write(self, handle: IO[str], line: str) -> None:
        try:
            handle.write(line)
        except OSError as error:
            raise OutputError(_describe(error, self.out_dir)) from error

    def finish(
        self,
        summary: dict[str, Any],
        clusters: dict[str, str],
        save_index: Callable[[], tuple[Path, Path] | None] | None = None,
    ) -> None:
        """Patch late cluster ids into earlier records, then publish every file.

        `save_index` writes the near-duplicate index beside its place and returns
        (written, place), so the index is published in the same step as the outputs: the
        list of moves is journalled first, and a run killed while moving is finished by
        --resume, never left with outputs and no index (or the reverse).
        """
        moves: list[tuple[Path, Path]] = []
        pending_index: tuple[Path, Path] | None = None
        try:
            self._close_files(check=True)
            if clusters:
                articles = self.partial / ARTICLES
                _patch_clusters(articles, clusters, _patch_article, self.drop_duplicates)
                if self.documents is not None:
                    _patch_clusters(self.partial / DOCUMENTS, clusters, _patch_document)
            if self.out_dir is None:
                with open(self.partial / ARTICLES, "rb") as articles:
                    shutil.copyfileobj(articles, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                (self.partial / SUMMARY).write_text(
                    json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
                moves = [
                    (self.partial / name, self.out_dir / name)
                    for name in (ARTICLES, ERRORS, DOCUMENTS, SUMMARY)
                    if (self.partial / name).exists()
                ]
            pending_index = save_index() if save_index is not None else None
            if pending_index is not None:
                moves.append(pending_index)
            self._journal_moves(moves)
            _move_all(moves)
        except OSError as error:
            if pending_index is not None:  # written beside the index, not in the partial
                with contextlib.suppress(OSError):
                    pending_index[0].unlink()
            self.abort()
            raise OutputError(_describe(error, self.out_dir)) from error
        shutil.rmtree(self.partial, ignore_errors=True)
        self._release()

    def _journal_moves(self, moves: list[tuple[Path, Path]]) -> None:
        """The moves that publish the run, made durable before the first one happens."""
        if self.out_dir is None:
            return
        with open(self.partial / JOURNAL, "a", encoding="utf-8", newline="\n") as journal:
            paths = [[os.path.abspath(a), os.path.abspath(b)] for a, b in moves]
            journal.write(json_line({"publish": paths}))
            journal.flush()
            os.fsync(journal.fileno())

    def abort(self) -> None:
        """Drop everything written so far; the previous output stays as it was."""
        self._close_files()
        shutil.rmtree(self.partial, ignore_errors=True)
        self._release()  # last: the next writer must not see our files go

    def close(self) -> None:
        """Close the partial files and keep them: an interrupted run can be resumed."""
        self._close_files()
        self._release()

    def _close_files(self, check: bool = False) -> None:
        """Close every partial file; `check` lets a failed flush (full disk) raise, else
        it is ignored: the files are about to be dropped or cut back on --resume."""
        for name in ("articles", "errors", "documents", "journal"):
            handle = getattr(self, name, None)
            if handle is None or handle.closed:
                continue
            try:
                handle.close()
            except OSError:
                if check:
                    raise
                with contextlib.suppress(OSError):
                    handle.close()  # a second close after a failed flush just closes


def _move_all(moves: list[tuple[Path, Path]]) -> None:
    for source, target in moves:
        if source.exists():  # a resumed publish skips what was moved already
            os.replace(source, target)


def _json_or_none(line: str) -> dict[str, Any] | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _patch_article(record: dict[str, Any], clusters: dict[str, str]) -> bool:
    cluster = clusters.get(record.get("id", ""))
    if cluster is None or record.get("cluster") == cluster:
        return False
    record["cluster"] = cluster
    return True


def _patch_document(view: dict[str, Any], clusters: dict[str, str]) -> bool:
    # A list, not a generator: every article must be patched, not just the first.
    return any([_patch_article(article, clusters) for article in view.get("articles", [])])


def _patch_clusters(
    path: Path, clusters: dict[str, str], patch, drop_duplicates: bool = False
) -> None:
    """Rewrite `path` line by line (streaming), setting cluster ids the run learned late
    and, with `drop_duplicates`, leaving out records that are a duplicate of another
    (every duplicate is in `clusters`)."""
    patched = path.with_suffix(".patched")
    with (
        open(path, encoding="utf-8") as source,
        open(patched, "w", encoding="utf-8", newline="\n") as target,
    ):
        for line in source:
            if any(record_id in clusters for record_id in _RECORD_ID.findall(line)):
                record = json.loads(line)
                if drop_duplicates and record.get("duplicate_of"):
                    continue
                if patch(record, clusters):
                    line = json_line(record)
            target.write(line)
    os.replace(patched, path)


# Finding the ids on a line is cheaper than parsing every line of a large file.
_RECORD_ID = re.compile(r'"id": "([0-9a-f]{16})"')


def _describe(error: OSError, out_dir: Path | None) -> str:
    where = str(out_dir) if out_dir is not None else "the temporary directory"
    reason = error.strerror or str(error)
    return f"cannot write output to {where}: {reason}"
