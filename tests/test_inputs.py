"""Crawl-sized inputs: WARC and JSONL files, sharding, and the directory walk's safety."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.cli import app
from cleaner.config import InputConfig
from cleaner.document import DocumentError
from cleaner.inputs import discover, in_shard, read_document

runner = CliRunner()

PAGE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>{body}</p></article></body></html>"
)


def write_warc(path: Path, pages: list[tuple[str, bytes, str]]) -> None:
    """A gzipped WARC with a request and a response record per page."""
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, body, content_type in pages:
            request_headers = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "example.com")], is_http_request=True
            )
            request = writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""), http_headers=request_headers
            )
            writer.write_record(request)
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_warc_response_records_become_documents(tmp_path: Path) -> None:
    gbk_body = PAGE.format(title="港口重新开放", body="港口在风暴之后重新开放，船只陆续进港。" * 5)
    pages = [
        (
            "https://example.com/a",
            PAGE.format(title="Harbour", body="Ships came back " * 20).encode(),
            "text/html; charset=utf-8",
        ),
        ("https://example.com/b", gbk_body.encode("gbk"), "text/html; charset=GBK"),
        ("https://example.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(300), "image/png"),
    ]
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, pages)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(warc), "-o", str(out), "-q", "--workers", "1"])
    assert result.exit_code == 0, result.output
    records = read_jsonl(out / "articles.jsonl")
    assert [r["url"] for r in records] == ["https://example.com/a", "https://example.com/b"]
    assert all(r["source"].startswith("crawl.warc.gz@") for r in records)
    assert records[1]["title"] == "港口重新开放"
    assert "船只陆续进港" in records[1]["text"]
    assert records[1]["encoding"] == "gb18030"
    assert records[1]["encoding_source"] == "declared"


def test_jsonl_file_with_configured_fields(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.jsonl"
    lines = [
        {
            "doc": "n1",
            "page": PAGE.format(title="One", body="First story body " * 10),
            "link": "https://e.com/1",
        },
        {
            "doc": "n2",
            "page": PAGE.format(title="Two", body="Second story body " * 10),
            "link": "https://e.com/2",
        },
    ]
    crawl.write_text("\n".join(json.dumps(line) for line in lines) + "\n\nnot json\n")
    config = tmp_path / "c.toml"
    config.write_text(
        '[inputs]\njsonl_content_field = "page"\njsonl_id_field = "doc"\njsonl_url_field = "link"\n'
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(crawl), "-o", str(out), "-q", "-c", str(config)])
    assert result.exit_code == 0, result.output
    records = read_jsonl(out / "articles.jsonl")
    assert [(r["source"], r["url"], r["title"]) for r in records] == [
        ("n1", "https://e.com/1", "One"),
        ("n2", "https://e.com/2", "Two"),
    ]
    [error] = read_jsonl(out / "errors.jsonl")
    assert error["source"] == "crawl.jsonl:4" and error["error"] == "bad_jsonl"


def test_shards_partition_the_inputs(tmp_path: Path) -> None:
    for n in range(40):
        (tmp_path / f"p{n}.html").write_text(PAGE.format(title=f"T{n}", body="body"))
    everything = {item.source for item in discover([str(tmp_path)], InputConfig()).files}
    shards = [
        {
            item.source
            for item in discover([str(tmp_path)], InputConfig(shard_index=i, shard_count=3)).files
        }
        for i in range(3)
    ]
    assert set().union(*shards) == everything
    assert sum(len(shard) for shard in shards) == len(everything)
    assert all(shards), "40 inputs over 3 shards should leave none empty"
    assert in_shard("p1.html", InputConfig(shard_index=0, shard_count=1))


def test_bad_shard_option_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    result = runner.invoke(
        app, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "--shard", "3/3"]
    )
    assert result.exit_code == 2
    assert "--shard" in result.output


def test_symlink_outside_the_root_is_refused_unless_asked(tmp_path: Path) -> None:
    outside = tmp_path / "outside.html"
    outside.write_text(PAGE.format(title="Outside", body="text"))
    root = tmp_path / "root"
    root.mkdir()
    (root / "inside.html").write_text(PAGE.format(title="Inside", body="text"))
    (root / "link.html").symlink_to(outside)
    found = discover([str(root)], InputConfig())
    assert [item.source for item in found.files] == ["inside.html"]
    assert [(p.source, p.error) for p in found.problems] == [("link.html", "outside_root")]
    followed = discover([str(root)], InputConfig(follow_symlinks=True))
    assert [item.source for item in followed.files] == ["inside.html", "link.html"]


def test_reading_a_gzip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    import gzip

    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<p>" + b"a" * 5_000_000))
    item = discover([str(bomb)], InputConfig()).files[0]
    with pytest.raises(DocumentError) as refused:
        read_document(item, InputConfig(max_file_bytes=1_000_000))
    assert refused.value.kind == "too_large"
