"""Damaged WARC files: the records before the damage are read, the damage is one error
record for the file, and the other inputs of the run are processed (issue 16, item 1)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.cli import app
from cleaner.warc import WarcDamage, read_response, response_offsets

runner = CliRunner()

PAGE = (
    "<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
    "<p>{body}</p></article></body></html>"
)


def page(n: int) -> bytes:
    return PAGE.format(n=n, body=f"The harbour story number {n} goes on and on. " * 12).encode()


def warc_bytes(urls: list[str | None], gzip: bool = True) -> bytes:
    """A WARC with one HTML response per url; None leaves out WARC-Target-URI."""
    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=gzip)
    for n, url in enumerate(urls):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
        record = writer.create_warc_record(
            url or "https://example.com/x", "response", payload=io.BytesIO(page(n)),
            http_headers=headers,
        )  # fmt: skip
        if url is None:
            record.rec_headers.remove_header("WARC-Target-URI")
        writer.write_record(record)
    return stream.getvalue()


def two_members_with_junk() -> bytes:
    return warc_bytes(["https://e.com/1"]) + b"JUNK" + warc_bytes(["https://e.com/2"])


def truncated() -> bytes:
    data = warc_bytes(["https://e.com/1", "https://e.com/2"])
    return data[: len(data) // 2 + 7]


def content_length_too_long() -> bytes:
    data = warc_bytes(["https://e.com/1", "https://e.com/2"], gzip=False)
    return data.replace(b"Content-Length: ", b"Content-Length: 9", 1)


def run_over(tmp_path: Path, name: str, data: bytes, *options: str):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / name).write_bytes(data)
    (corpus / "plain.html").write_bytes(page(99))
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(corpus), "-o", str(out), "-q", *options])
    assert result.exit_code == 0, result.output
    articles = [json.loads(line) for line in (out / "articles.jsonl").open(encoding="utf-8")]
    errors = [json.loads(line) for line in (out / "errors.jsonl").open(encoding="utf-8")]
    return result, articles, errors


@pytest.mark.parametrize(
    ("name", "data", "records_kept"),
    [
        ("garbage.warc.gz", bytes(range(256)) * 4, 0),
        ("junk.warc.gz", two_members_with_junk(), 1),
        ("truncated.warc.gz", truncated(), 1),
        ("length.warc", content_length_too_long(), 0),
        ("text.warc", b"hello, this is not a WARC file\n", 0),
    ],
)
def test_a_damaged_warc_is_an_error_record_and_the_run_goes_on(
    tmp_path: Path, name: str, data: bytes, records_kept: int
) -> None:
    result, articles, errors = run_over(tmp_path, name, data, "--workers", "1")
    sources = [article["source"] for article in articles]
    assert "plain.html" in sources
    assert sum(source.startswith(f"{name}@") for source in sources) == records_kept
    assert [(error["source"], error["error"]) for error in errors] == [(name, "bad_warc")]
    assert "\x1b" not in result.output and "JUNK\x1f" not in errors[0]["message"]


def test_a_response_without_target_uri_is_read_with_no_url(tmp_path: Path) -> None:
    data = warc_bytes(["https://e.com/1", None, "https://e.com/3"])
    _, articles, errors = run_over(tmp_path, "crawl.warc.gz", data, "--workers", "2")
    assert errors == []
    urls = [article["url"] for article in articles if article["source"] != "plain.html"]
    assert urls == ["https://e.com/1", None, "https://e.com/3"]


def test_listing_stops_at_the_damage_and_keeps_what_came_before(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc.gz"
    path.write_bytes(two_members_with_junk())
    found = []
    with pytest.raises(WarcDamage, match="after byte"):
        found.extend(response_offsets(path))
    assert found == [0]
    response = read_response(path, 0, 1_000_000)
    assert response.url == "https://e.com/1"
    assert response.payload == page(0)
    assert response.fetched and response.fetched[:2] == "20"


def test_a_warc_without_html_responses_is_said_on_stderr(tmp_path: Path) -> None:
    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=True)
    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(stream.getvalue())
    result = runner.invoke(app, ["run", str(warc), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0
    assert "crawl.warc.gz: no HTML or text responses" in result.stderr
