"""WARC files: list the HTML response records of one, read one record back.

warcio parses the container. Its record parser is asked not to parse HTTP headers
(`no_record_parse`): it stops the whole file on a response record without a
WARC-Target-URI, so the HTTP head is parsed here, record by record. A file that goes bad
half-way (truncated, junk between gzip members, a Content-Length longer than the data)
keeps the records read before the damage and reports the damage as one problem.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from cleaner.text import escape_controls

if TYPE_CHECKING:
    from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser

# warcio is imported by the functions that read a WARC: a run without one never loads it.


@cache
def _http_parser() -> StatusAndHeadersParser:
    from warcio.statusandheaders import StatusAndHeadersParser

    # warcio accepts any status line when not verifying; HTTP/2 crawlers write "HTTP/2".
    return StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1", "HTTP/2"], verify=False)


class WarcDamage(Exception):
    """The file stops being a readable WARC at some offset; the message says where."""


@dataclass(frozen=True)
class WarcResponse:
    """An HTML or plain-text response record, as read back by `read_response`."""

    payload: bytes
    url: str | None
    content_type: str
    fetched: str | None


def response_offsets(path: os.PathLike | str) -> Iterator[int]:
    """Byte offsets of the HTML/text response records; WarcDamage after the last good one.

    Raises WarcDamage at once for a file that is not a WARC at all.
    """
    from warcio.archiveiterator import ArchiveIterator

    size = os.path.getsize(path)
    with open(path, "rb") as stream, _quiet_warcio():
        records = ArchiveIterator(stream, no_record_parse=True)
        last_end = 0
        try:
            for record in records:
                if record.format != "warc":
                    raise WarcDamage("not a WARC file (no WARC/1.x record header)")
                wanted = _is_page_response(record)
                records.read_to_end()
                offset, length = records.member_info
                if getattr(record.raw_stream, "limit", 0) > 0:
                    raise WarcDamage(f"record at byte {offset} is cut short")
                last_end = offset + length
                if wanted:
                    yield offset
        except WarcDamage:
            raise
        except Exception as error:  # noqa: BLE001 - warcio and zlib raise many kinds
            raise WarcDamage(f"unreadable after byte {last_end}: {_reason(error)}") from error
        if records.err_count:
            raise WarcDamage(f"{records.err_count} record(s) with a wrong Content-Length")
        if last_end < size and records.offset < size:
            raise WarcDamage(f"{size - last_end} bytes after byte {last_end} are not WARC records")


def read_response(path: os.PathLike | str, offset: int, limit: int) -> WarcResponse:
    """The record at `offset` (at most `limit` + 1 payload bytes); WarcDamage if unreadable."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        with open(path, "rb") as stream, _quiet_warcio():
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream, no_record_parse=True)))
            record.http_headers = _http_head(record)
            payload = record.content_stream().read(limit + 1)
    except Exception as error:  # noqa: BLE001 - warcio and zlib raise many kinds
        raise WarcDamage(f"cannot read WARC record: {_reason(error)}") from error
    headers = record.http_headers
    return WarcResponse(
        payload=payload,
        url=record.rec_headers.get_header("WARC-Target-URI"),
        content_type=(headers.get_header("Content-Type") if headers else None) or "",
        fetched=record.rec_headers.get_header("WARC-Date"),
    )


def _is_page_response(record) -> bool:
    """A response record whose HTTP head announces HTML or plain text (or nothing)."""
    if record.rec_type != "response":
        return False
    headers = _http_head(record)
    if headers is None:
        return False
    content_type = (headers.get_header("Content-Type") or "").lower()
    return not content_type or "html" in content_type or "text/plain" in content_type


def _http_head(record) -> StatusAndHeaders | None:
    """The HTTP status and headers at the start of a response block, or None."""
    block_type = (record.content_type or "").lower()
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    # warcio's own rule (http/https target) or, without a target, the block's type.
    if not (uri.lower().startswith(("http:", "https:")) or "application/http" in block_type):
        return None
    try:
        return _http_parser().parse(record.raw_stream)
    except EOFError:
        return None


def _reason(error: Exception) -> str:
    # warcio quotes the offending line; keep the message short and printable.
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return escape_controls(text[:120].encode("ascii", "backslashreplace").decode("ascii"))


@contextlib.contextmanager
def _quiet_warcio() -> Iterator[None]:
    """warcio writes warnings (with raw bytes of the file) straight to stderr: keep them
    off the terminal; the damage is reported through err_count instead."""
    with contextlib.redirect_stderr(io.StringIO()):
        yield
