"""Finding and reading inputs: files and directories named on the command line, and stdin.

Discovery only lists what to read (paths are cheap to hold even for a crawl); the bytes are
read later, by whichever process handles the file, so memory never holds more than the
documents in flight.
"""

from __future__ import annotations

import fnmatch
import gzip
import hashlib
import io
import json
import os
import re
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
    """One document to process. `source` is its path relative to its input root.

    A WARC or JSONL file holds many documents: each is an InputFile with the byte
    `offset` of its record and `container` naming the format ("warc" or "jsonl").
    """

    path: Path
    source: str
    container: str | None = None
    offset: int = 0


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
    """Walk the inputs in a stable order (sorted names) and list the documents to process.

    WARC and JSONL files are opened here to list their records, so that each record is
    a unit of its own (read later by whichever process handles it).
    """
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
                item = InputFile(found.path, prefix + found.source)
                for unit in _records_of(item, config):
                    (problems if isinstance(unit, InputProblem) else files).append(unit)
    if config.shard_count > 1:
        files = [item for item in files if in_shard(item.source, config)]
        problems = [item for item in problems if in_shard(item.source, config)]
    return Discovery(files, problems, skipped)


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
    return None


def _records_of(item: InputFile, config: InputConfig) -> Iterator[InputFile | InputProblem]:
    container = container_of(item.path.name)
    if container is None:
        yield item
        return
    try:
        if container == "warc":
            yield from _warc_records(item)
        else:
            yield from _jsonl_records(item)
    except (OSError, ValueError, EOFError) as error:
        yield InputProblem(item.source, f"bad_{container}", f"cannot read records: {error}")


def _warc_records(item: InputFile) -> Iterator[InputFile]:
    from warcio.archiveiterator import ArchiveIterator

    with open(item.path, "rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if record.rec_type == "response" and _is_html_response(record):
                offset = records.get_record_offset()
                yield InputFile(item.path, f"{item.source}@{offset}", "warc", offset)


def _is_html_response(record) -> bool:
    if record.http_headers is None:
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return not content_type or "html" in content_type or "text/plain" in content_type


def _jsonl_records(item: InputFile) -> Iterator[InputFile]:
    offset = 0
    with open(item.path, "rb") as stream:
        for number, line in enumerate(stream, 1):
            if line.strip():
                yield InputFile(item.path, f"{item.source}:{number}", "jsonl", offset)
            offset += len(line)


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


def _read_warc_record(item: InputFile, config: InputConfig) -> Document:
    from warcio.archiveiterator import ArchiveIterator

    try:
        with open(item.path, "rb") as stream:
            stream.seek(item.offset)
            record = next(iter(ArchiveIterator(stream)))
            raw = record.content_stream().read(config.max_file_bytes + 1)
            url = record.rec_headers.get_header("WARC-Target-URI")
            content_type = record.http_headers.get_header("Content-Type") or ""
    except (OSError, ValueError, StopIteration, EOFError) as error:
        raise DocumentError("bad_warc", f"cannot read WARC record: {error}") from error
    if len(raw) > config.max_file_bytes:
        raise DocumentError("too_large", _too_large_message(len(raw), config.max_file_bytes))
    charset = _CHARSET_PARAMETER.search(content_type)
    return Document(
        item.source,
        raw=raw,
        media_type="text" if "text/plain" in content_type.lower() else "html",
        url=url,
        declared_charset=charset.group(1).strip("\"'") if charset else None,
    )


_CHARSET_PARAMETER = re.compile(r"charset\s*=\s*([^\s;]+)", re.I)


def _read_jsonl_record(item: InputFile, config: InputConfig) -> Document:
    try:
        with open(item.path, "rb") as stream:
            stream.seek(item.offset)
            line = stream.readline(config.max_file_bytes + 1)
    except OSError as error:
        raise DocumentError("unreadable", f"cannot read file: {error.strerror}") from error
    record = _json_object(line)
    if record is None:
        raise DocumentError("bad_jsonl", "line is not a JSON object")
    return document_from_record(record, item.source, config)


def _too_large_message(size: int, limit: int) -> str:
    return f"file is {size:,} bytes, above the {limit:,} byte limit (inputs.max_file_bytes)"


def _gunzip(raw: bytes, limit: int) -> bytes:
    try:
        # BytesIO shares the bytes it is given instead of copying them.
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            data = stream.read(limit + 1)
    except (OSError, EOFError) as error:
        raise DocumentError("bad_gzip", f"cannot decompress: {error}") from error
    if len(data) > limit:
        raise DocumentError("too_large", f"decompresses to more than {limit:,} bytes")
    return data


def stdin_documents(data: bytes, config: InputConfig) -> list[Document]:
    """Documents from standard input: JSONL records with a page field, or one raw text."""
    lines = [line for line in data.splitlines() if line.strip()]
    records = [_json_object(line) for line in lines]
    if lines and all(record is not None for record in records):
        return [
            document_from_record(record, f"<stdin>:{n}", config)
            for n, record in enumerate(records, 1)
        ]
    return [Document("<stdin>", raw=data, media_type="text")]


def _json_object(line: bytes) -> dict | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def document_from_record(record: dict, fallback_source: str, config: InputConfig) -> Document:
    """A Document from one crawler JSONL record (field names from the config)."""
    fields = (config.jsonl_content_field, *_JSONL_CONTENT_FIELDS)
    field = next((name for name in fields if isinstance(record.get(name), str)), None)
    content = record[field] if field else ""
    identifier = record.get(config.jsonl_id_field)
    source = str(identifier) if identifier not in (None, "") else fallback_source
    url = record.get(config.jsonl_url_field)
    # Lone surrogates (from "\ud800" escapes) cannot be encoded: they become U+FFFD.
    raw = content.encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8")
    looks_like_html = field == "html" or "<" in content[:2000] and ">" in content[:2000]
    return Document(
        display_path(source),
        raw=raw,
        media_type="html" if looks_like_html else "text",
        url=url if isinstance(url, str) else None,
    )


def read_stdin() -> bytes:
    return sys.stdin.buffer.read()
