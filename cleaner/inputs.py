"""Finding and reading inputs: files and directories named on the command line, and stdin.

Discovery only lists what to read (paths are cheap to hold even for a crawl); the bytes are
read later, by whichever process handles the file, so memory never holds more than the
documents in flight.
"""

from __future__ import annotations

import fnmatch
import gzip
import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cleaner.config import InputConfig
from cleaner.document import Document, DocumentError

STDIN = "-"

_MEDIA_TYPE_BY_SUFFIX = {
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
}
# Field names tried, in order, when a JSONL line carries a page (crawler output).
_JSONL_CONTENT_FIELDS = ("html", "content", "text", "body")


@dataclass(frozen=True)
class InputFile:
    """One file to process. `source` is its path relative to its input root."""

    path: Path
    source: str


@dataclass(frozen=True)
class InputProblem:
    """A path that was found but cannot be processed (broken link, unreadable directory)."""

    source: str
    error: str
    message: str


@dataclass(frozen=True)
class Discovery:
    files: list[InputFile]
    problems: list[InputProblem]
    skipped: int


def display_path(path: str | Path) -> str:
    """A printable, JSON-safe form of a path whose name may not be valid UTF-8."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def media_type_for(name: str) -> str:
    """The media type a file name announces ("html", "markdown" or "text")."""
    lowered = name.lower()
    if lowered.endswith(".gz"):
        lowered = lowered[:-3]
    return _MEDIA_TYPE_BY_SUFFIX.get(os.path.splitext(lowered)[1], "text")


def discover(inputs: list[str], config: InputConfig) -> Discovery:
    """Walk the inputs in a stable order (sorted names) and list the files to process."""
    files: list[InputFile] = []
    problems: list[InputProblem] = []
    skipped = 0
    roots = [Path(name) for name in inputs if name != STDIN]
    real_roots = [Path(os.path.realpath(root)) for root in roots]
    label_roots = len(roots) > 1
    for root in roots:
        prefix = f"{display_path(root.name or root)}/" if label_roots and root.is_dir() else ""
        for found in _walk(root, real_roots, config):
            if isinstance(found, InputProblem):
                problems.append(InputProblem(prefix + found.source, found.error, found.message))
            elif found is None:
                skipped += 1
            else:
                files.append(InputFile(found.path, prefix + found.source))
    return Discovery(files, problems, skipped)


def _walk(
    root: Path, real_roots: list[Path], config: InputConfig
) -> Iterator[InputFile | InputProblem | None]:
    """Yield an InputFile per wanted file, None per skipped file, InputProblem per bad path."""
    if not os.path.lexists(root):
        yield InputProblem(display_path(root), "not_found", "no such file or directory")
        return
    if not root.is_dir():
        yield InputFile(root, display_path(root.name))
        return
    seen_directories = {os.path.realpath(root)}
    pending = [root]
    while pending:
        directory = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name, reverse=True)
        except OSError as error:
            relative = display_path(directory.relative_to(root)) if directory != root else "."
            yield InputProblem(relative, "unreadable", f"cannot list directory: {error.strerror}")
            continue
        subdirectories = []
        for entry in reversed(entries):
            path = Path(entry.path)
            relative = path.relative_to(root).as_posix()
            verdict = _classify(entry, path, real_roots, config, seen_directories)
            if verdict == "directory":
                subdirectories.append(path)
            elif verdict == "file":
                yield (
                    InputFile(path, display_path(relative)) if _wanted(relative, config) else None
                )
            elif verdict != "ignore":
                yield InputProblem(display_path(relative), *verdict)
        pending.extend(reversed(subdirectories))


def _classify(
    entry: os.DirEntry,
    path: Path,
    real_roots: list[Path],
    config: InputConfig,
    seen_directories: set[str],
) -> str | tuple[str, str]:
    """ "file", "directory", "ignore", or an (error, message) pair for a problem path."""
    if entry.is_symlink():
        real = os.path.realpath(path)
        if not os.path.exists(real):
            return ("broken_link", "symbolic link points to nothing (or loops)")
        inside = any(Path(real).is_relative_to(root) for root in real_roots)
        if not inside and not config.follow_symlinks:
            return (
                "outside_root",
                "symbolic link leads outside the input roots; see --follow-symlinks",
            )
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return ("unreadable", f"cannot stat: {error.strerror}")
    if stat.S_ISDIR(mode):
        real = os.path.realpath(path)
        if real in seen_directories:
            return "ignore"  # a link back into a directory already walked: no loops
        seen_directories.add(real)
        return "directory"
    return "file" if stat.S_ISREG(mode) else "ignore"


def _wanted(relative: str, config: InputConfig) -> bool:
    name = relative.lower()
    base = name[:-3] if name.endswith(".gz") else name
    if not base.endswith(tuple(config.extensions)):
        return False
    if config.include and not any(fnmatch.fnmatch(relative, glob) for glob in config.include):
        return False
    return not any(fnmatch.fnmatch(relative, glob) for glob in config.exclude)


def read_document(item: InputFile, config: InputConfig) -> Document:
    """Read one input file into a Document; DocumentError for what cannot be read."""
    try:
        size = item.path.stat().st_size
        if size > config.max_file_bytes:
            raise DocumentError("too_large", _too_large_message(size, config.max_file_bytes))
        with open(item.path, "rb") as handle:
            raw = handle.read(config.max_file_bytes + 1)
    except PermissionError as error:
        raise DocumentError("unreadable", f"permission denied: {error.strerror}") from error
    except OSError as error:
        raise DocumentError("unreadable", f"cannot read file: {error.strerror}") from error
    if item.path.name.lower().endswith(".gz"):
        raw = _gunzip(raw, config.max_file_bytes)
    return Document(item.source, raw=raw, media_type=media_type_for(item.path.name))


def _too_large_message(size: int, limit: int) -> str:
    return f"file is {size:,} bytes, above the {limit:,} byte limit (inputs.max_file_bytes)"


def _gunzip(raw: bytes, limit: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=_BytesReader(raw)) as stream:
            data = stream.read(limit + 1)
    except (OSError, EOFError) as error:
        raise DocumentError("bad_gzip", f"cannot decompress: {error}") from error
    if len(data) > limit:
        raise DocumentError("too_large", f"decompresses to more than {limit:,} bytes")
    return data


class _BytesReader:
    """The minimal file object GzipFile needs, without copying the bytes."""

    def __init__(self, data: bytes) -> None:
        self.view = memoryview(data)
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.view) if size < 0 else min(len(self.view), self.position + size)
        chunk = self.view[self.position : end].tobytes()
        self.position = end
        return chunk


def stdin_documents(data: bytes) -> list[Document]:
    """Documents from standard input: JSONL records with a page field, or one raw text."""
    lines = [line for line in data.splitlines() if line.strip()]
    records = [_json_object(line) for line in lines]
    if lines and all(record is not None for record in records):
        return [
            _document_from_record(record, f"<stdin>:{n}") for n, record in enumerate(records, 1)
        ]
    return [Document("<stdin>", raw=data, media_type="text")]


def _json_object(line: bytes) -> dict | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _document_from_record(record: dict, fallback_source: str) -> Document:
    field = next(
        (name for name in _JSONL_CONTENT_FIELDS if isinstance(record.get(name), str)), None
    )
    content = record.get(field, "") if field else ""
    source = str(record.get("id") or record.get("source") or fallback_source)
    url = record.get("url") if isinstance(record.get("url"), str) else None
    raw = content.encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8")
    media_type = "html" if field == "html" else "text"
    return Document(source, raw=raw, media_type=media_type, url=url)


def read_stdin() -> bytes:
    return sys.stdin.buffer.read()
