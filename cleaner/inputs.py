"""Finding and reading inputs: files and directories named on the command line, and stdin.

Discovery only lists what to read (paths are cheap to hold even for a crawl); the bytes are
read later, by whichever process handles the file, so memory never holds more than the
documents in flight.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from cleaner.config import InputConfig
from cleaner.document import Document, DocumentError
from cleaner.stages.pdf.reader import PdfProblem, page_count
from cleaner.warc import WarcDamage, read_response, response_offsets

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
    """One document to process. `source` is its path relative to its input root.

    A WARC or JSONL file holds many documents: each is an InputFile with the byte
    `offset` of its record and `container` naming the format ("warc" or "jsonl"). A PDF
    holds one document per page: `container` is "pdf" and `offset` the page index.
    `via_link` is true when the path was a symbolic link the walk accepted (or a path
    named on the command line); any other path is opened without following a link, so a
    file swapped for a link after listing is refused rather than read.
    """

    path: Path
    source: str
    container: str | None = None
    offset: int = 0
    via_link: bool = False
    # Set when no file name tells (standard input): "html" or "text".
    media_type: str | None = None


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
    # What a person should hear about although nothing failed: an empty directory, a
    # JSONL file without records, a WARC without HTML responses.
    warnings: list[str] = field(default_factory=list)


def display_path(path: str | Path) -> str:
    """A printable, JSON-safe form of a path whose name may not be valid UTF-8."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def media_type_for(name: str) -> str:
    """The media type a file name announces ("html", "markdown" or "text")."""
    lowered = name.lower()
    if lowered.endswith(".gz"):
        lowered = lowered[:-3]
    return _MEDIA_TYPE_BY_SUFFIX.get(os.path.splitext(lowered)[1], "text")


def discover(inputs: list[str], config: InputConfig, stdin_path: Path | None = None) -> Discovery:
    """Walk the inputs in a stable order (sorted names) and list the documents to process.

    WARC and JSONL files are opened here to list their records, so that each record is
    a unit of its own (read later by whichever process handles it). `stdin_path` holds
    what arrived on standard input (see `spooled_stdin`); it is listed where "-" stands.
    """
    found = _Listing(config)
    roots = [Path(name) for name in inputs if name != STDIN]
    real_roots = [Path(os.path.realpath(root)) for root in roots]
    prefixes = source_prefixes(roots)
    for name in inputs:
        if name == STDIN:
            if stdin_path is not None:
                found.add_stdin(stdin_path)
            continue
        root = Path(name)
        met = 0
        for item in _walk(root, real_roots, config, prefixes[str(root)]):
            met += 1
            found.add(item)
        if not met and root.is_dir():
            found.warnings.append(f"{display_path(root)}: no files in this directory")
    files, problems = found.files, found.problems
    if config.shard_count > 1:
        files = [item for item in files if in_shard(item.source, config)]
        problems = [item for item in problems if in_shard(item.source, config)]
    return Discovery(files, problems, found.skipped, found.warnings)


class _Listing:
    """What discovery has found so far; a file reached twice (overlapping inputs such as
    `d d/sub`) is listed once, so every source and id stays unique in a run."""

    def __init__(self, config: InputConfig) -> None:
        self.config = config
        self.files: list[InputFile] = []
        self.problems: list[InputProblem] = []
        self.warnings: list[str] = []
        self.skipped = 0
        self.sources: set[str] = set()

    def add(self, item: InputFile | InputProblem | None) -> None:
        if item is None:
            self.skipped += 1
        elif isinstance(item, InputProblem):
            self.problems.append(item)
        elif item.source in self.sources:
            self.skipped += 1
        else:
            self.sources.add(item.source)
            self._add_records(item)

    def add_stdin(self, path: Path) -> None:
        container = "jsonl" if _starts_like_json(path) else None
        media_type = None if container else sniff_media_type(path)
        self._add_records(InputFile(path, STDIN_SOURCE, container, media_type=media_type))

    def _add_records(self, item: InputFile) -> None:
        count = 0
        for unit in _records_of(item, self.config):
            if isinstance(unit, InputProblem):
                self.problems.append(unit)
            else:
                self.files.append(unit)
                count += 1
        container = item.container or container_of(item.path.name)
        if container and not count and not any(p.source == item.source for p in self.problems):
            what = "JSONL records" if container == "jsonl" else "HTML or text responses"
            self.warnings.append(f"{item.source}: no {what} in this file")


def source_prefixes(roots: list[Path]) -> dict[str, str]:
    """The prefix of each input's sources: nothing for a single input (paths relative
    to it, or a file's own name), else the input's path relative to the inputs' common
    directory, so `x/pages y/pages` and `a/1.html b/1.html` give different sources.

    >>> source_prefixes([Path("a/1.html"), Path("b/1.html")])
    {'a/1.html': 'a/', 'b/1.html': 'b/'}
    """
    if len(roots) < 2:
        return {str(root): "" for root in roots}
    anchors = [
        os.path.abspath(root) if root.is_dir() else os.path.dirname(os.path.abspath(root))
        for root in roots
    ]
    try:
        common = os.path.commonpath(anchors)
    except ValueError:  # different drives: fall back to the paths as given
        common = None
    prefixes = {}
    for root in roots:
        relative = (
            Path(os.path.relpath(os.path.abspath(root), common)).as_posix()
            if common
            else root.as_posix()
        )
        if root.is_dir():
            prefixes[str(root)] = "" if relative == "." else f"{display_path(relative)}/"
        else:  # a named file: its prefix is its directory, its name follows
            parent = Path(relative).parent.as_posix()
            prefixes[str(root)] = "" if parent == "." else f"{display_path(parent)}/"
    return prefixes


def in_shard(source: str, config: InputConfig) -> bool:
    """Whether `source` belongs to this machine's shard (--shard I/N).

    Decided by a hash of the source alone, so every machine agrees without talking to
    the others, whatever order or subset of the inputs it lists.
    """
    digest = hashlib.sha256(source.encode("utf-8", "backslashreplace")).digest()
    return int.from_bytes(digest[:8], "big") % config.shard_count == config.shard_index


def container_of(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith((".warc", ".warc.gz")):
        return "warc"
    if lowered.endswith(".jsonl"):
        return "jsonl"
    if lowered.endswith(".pdf"):
        return "pdf"
    return None


def _records_of(item: InputFile, config: InputConfig) -> Iterator[InputFile | InputProblem]:
    container = item.container or container_of(item.path.name)
    if container is None:
        yield item
        return
    try:
        if container == "warc":
            for offset in response_offsets(item.path):
                yield InputFile(item.path, f"{item.source}@{offset}", "warc", offset)
        elif container == "pdf":
            yield from _pdf_pages(item)
        else:
            yield from _jsonl_records(item)
    except WarcDamage as damage:
        yield InputProblem(item.source, "bad_warc", str(damage))
    except PdfProblem as problem:
        yield InputProblem(item.source, problem.kind, problem.message)
    except Exception as error:  # noqa: BLE001 - a bad container must not end the run
        yield InputProblem(item.source, f"bad_{container}", f"cannot read records: {error}")


def _pdf_pages(item: InputFile) -> Iterator[InputFile]:
    """One input per page, named like ``paper.pdf#p3`` (pages count from 1)."""
    for index in range(page_count(item.path)):
        yield InputFile(item.path, f"{item.source}#p{index + 1}", "pdf", index, item.via_link)


def _jsonl_records(item: InputFile) -> Iterator[InputFile]:
    offset = 0
    with open(item.path, "rb") as stream:
        for number, line in enumerate(stream, 1):
            if line.strip():
                yield InputFile(item.path, f"{item.source}:{number}", "jsonl", offset)
            offset += len(line)


def _walk(
    root: Path, real_roots: list[Path], config: InputConfig, prefix: str = ""
) -> Iterator[InputFile | InputProblem | None]:
    """Yield an InputFile per wanted file, None per skipped file, InputProblem per bad path."""
    if not os.path.lexists(root):
        yield InputProblem(display_path(root), "not_found", "no such file or directory")
        return
    if not root.is_dir():
        yield _named_file(root, prefix + display_path(root.name))
        return
    seen_directories = {os.path.realpath(root)}
    pending = [root]
    while pending:
        directory = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name, reverse=True)
        except OSError as error:
            relative = display_path(directory.relative_to(root)) if directory != root else "."
            message = f"cannot list directory: {error.strerror}"
            yield InputProblem(prefix + relative, "unreadable", message)
            continue
        subdirectories = []
        for entry in reversed(entries):
            path = Path(entry.path)
            relative = path.relative_to(root).as_posix()
            source = prefix + display_path(relative)
            verdict = _classify(entry, path, real_roots, config, seen_directories)
            if verdict == "directory":
                subdirectories.append(path)
            elif verdict == "file":
                wanted = _wanted(relative, config)
                yield InputFile(path, source, via_link=entry.is_symlink()) if wanted else None
            elif verdict != "ignore":
                yield InputProblem(source, *verdict)
        pending.extend(reversed(subdirectories))


def _named_file(path: Path, source: str) -> InputFile | InputProblem:
    """A file named on the command line: read whatever its name, if it is a regular file
    (a FIFO or a device would block the run or never end)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return InputProblem(source, "unreadable", f"cannot stat: {error.strerror}")
    if not stat.S_ISREG(mode):
        return InputProblem(source, "not_a_file", "not a regular file (a FIFO, socket or device)")
    return InputFile(path, source, via_link=True)


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
    if not base.endswith((*config.extensions, ".warc", ".jsonl")):
        return False
    if config.include and not any(fnmatch.fnmatch(relative, glob) for glob in config.include):
        return False
    return not any(fnmatch.fnmatch(relative, glob) for glob in config.exclude)


def read_document(item: InputFile, config: InputConfig) -> Document:
    """Read one input into a Document; DocumentError for what cannot be read."""
    if item.container == "warc":
        return _read_warc_record(item, config)
    if item.container == "jsonl":
        return _read_jsonl_record(item, config)
    # A PDF page is read like a file: the pdf stage opens the page it names.
    with _open_input(item, config) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > config.max_file_bytes:
            raise DocumentError("too_large", _too_large_message(size, config.max_file_bytes))
        raw = _read(handle, config.max_file_bytes + 1)
    if item.path.name.lower().endswith(".gz"):
        raw = _gunzip(raw, config.max_file_bytes)
    if item.container == "pdf":
        return Document(item.source, raw=raw, media_type="pdf", page=item.offset)
    media_type = item.media_type or media_type_for(item.path.name)
    return Document(item.source, raw=raw, media_type=media_type)


def _open_input(item: InputFile, config: InputConfig) -> IO[bytes]:
    """Open an input for reading, refusing what the listing would have refused.

    Without --follow-symlinks a path that was not a link when listed is opened with
    O_NOFOLLOW: swapped for a link since, it fails instead of publishing the link's
    target. O_NONBLOCK and the check of the opened descriptor keep a FIFO or device
    (put in place after listing) from blocking the run.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not (item.via_link or config.follow_symlinks):
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(item.path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            message = "became a symbolic link after it was listed; see --follow-symlinks"
            raise DocumentError("outside_root", message) from error
        raise _unreadable(error) from error
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise DocumentError("not_a_file", "not a regular file (a FIFO, socket or device)")
    return os.fdopen(descriptor, "rb")


def _read(handle: IO[bytes], size: int) -> bytes:
    try:
        return handle.read(size)
    except OSError as error:
        raise _unreadable(error) from error


def _unreadable(error: OSError) -> DocumentError:
    if isinstance(error, PermissionError):
        return DocumentError("unreadable", f"permission denied: {error.strerror}")
    return DocumentError("unreadable", f"cannot read file: {error.strerror}")


def _read_warc_record(item: InputFile, config: InputConfig) -> Document:
    try:
        response = read_response(item.path, item.offset, config.max_file_bytes)
    except WarcDamage as damage:
        raise DocumentError("bad_warc", str(damage)) from damage
    if len(response.payload) > config.max_file_bytes:
        size = len(response.payload)
        raise DocumentError("too_large", _too_large_message(size, config.max_file_bytes))
    charset = _CHARSET_PARAMETER.search(response.content_type)
    return Document(
        item.source,
        raw=response.payload,
        media_type="text" if "text/plain" in response.content_type.lower() else "html",
        url=response.url,
        declared_charset=charset.group(1).strip("\"'") if charset else None,
        fetched=response.fetched,
    )


_CHARSET_PARAMETER = re.compile(r"charset\s*=\s*([^\s;]+)", re.I)


def _read_jsonl_record(item: InputFile, config: InputConfig) -> Document:
    with _open_input(item, config) as stream:
        try:
            stream.seek(item.offset)
            line = stream.readline(config.max_file_bytes + 1)
        except OSError as error:
            raise _unreadable(error) from error
    if len(line) > config.max_file_bytes:
        raise DocumentError("too_large", _too_large_message(len(line), config.max_file_bytes))
    record = _json_object(line)
    return document_from_record(record, item.source, config)


def _too_large_message(size: int, limit: int) -> str:
    return f"file is {size:,} bytes, above the {limit:,} byte limit (inputs.max_file_bytes)"


def _gunzip(raw: bytes, limit: int) -> bytes:
    try:
        # BytesIO shares the bytes it is given instead of copying them.
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            data = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise DocumentError("bad_gzip", f"cannot decompress: {error}") from error
    if len(data) > limit:
        raise DocumentError("too_large", f"decompresses to more than {limit:,} bytes")
    return data


# ---------------------------------------------------------------- standard input

STDIN_SOURCE = "<stdin>"
# Bytes copied at a time from stdin to its spool file: memory stays flat whatever the size.
_SPOOL_CHUNK = 1 << 20


@contextlib.contextmanager
def spooled_stdin(stream: IO[bytes] | None = None) -> Iterator[Path]:
    """Standard input copied, in chunks, into a temporary file that lives for the block.

    stdin is then listed and read exactly like a file (JSONL records one by one, by any
    worker), and is never held in memory whole. The file is removed however the block ends.
    """
    source = stream if stream is not None else sys.stdin.buffer
    descriptor, name = tempfile.mkstemp(prefix="cleaner-stdin-")
    try:
        with open(descriptor, "wb") as spool:
            shutil.copyfileobj(source, spool, _SPOOL_CHUNK)
        yield Path(name)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)


def _starts_like_json(path: Path) -> bool:
    """Whether the first non-blank byte is "{": crawler JSONL rather than a raw page."""
    with open(path, "rb") as stream:
        head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


_MARKUP_START = re.compile(rb"\s*(?:<!doctype|<html|<head|<body|<!--|<meta|<div|<p\b|<\?xml)", re.I)


def sniff_media_type(path: Path) -> str:
    """ "html" when raw stdin starts like markup (no name tells), else "text"."""
    with open(path, "rb") as stream:
        head = stream.read(4096).removeprefix(b"\xef\xbb\xbf")
    return "html" if _MARKUP_START.match(head) else "text"


def _json_object(line: bytes) -> dict:
    """The JSON object on one JSONL line; DocumentError (bad_jsonl) for anything else."""
    try:
        value = json.loads(line)
    except RecursionError as error:
        raise DocumentError("bad_jsonl", "line is nested too deeply to read") from error
    except ValueError as error:
        raise DocumentError("bad_jsonl", f"line is not valid JSON: {error}") from error
    if not isinstance(value, dict):
        raise DocumentError("bad_jsonl", "line is not a JSON object")
    return value


def clean_string(value: object) -> str | None:
    r"""A string field of a JSON record made safe to encode: a lone surrogate (from a
    "\ud800" escape) becomes U+FFFD; anything that is not a string is None.

    >>> clean_string("a\ud800b"), clean_string(5)
    ('a�b', None)
    """
    if not isinstance(value, str):
        return None
    return _SURROGATE.sub("\ufffd", value)


_SURROGATE = re.compile("[\ud800-\udfff]")


def document_from_record(record: dict, source: str, config: InputConfig) -> Document:
    """A Document from one crawler JSONL record (field names from the config).

    The record's own id is kept as metadata, not as the source: crawlers repeat ids,
    and the source (file and line) must name one record.
    """
    fields = (config.jsonl_content_field, *_JSONL_CONTENT_FIELDS)
    field_name = next((name for name in fields if isinstance(record.get(name), str)), None)
    content = clean_string(record[field_name]) if field_name else ""
    looks_like_html = field_name == "html" or "<" in content[:2000] and ">" in content[:2000]
    document = Document(
        source,
        raw=content.encode("utf-8"),
        media_type="html" if looks_like_html else "text",
        url=clean_string(record.get(config.jsonl_url_field)),
    )
    identifier = record.get(config.jsonl_id_field)
    if isinstance(identifier, int | float) and not isinstance(identifier, bool):
        identifier = str(identifier)
    if clean_string(identifier):
        document.metadata["record_id"] = clean_string(identifier)
    return document
