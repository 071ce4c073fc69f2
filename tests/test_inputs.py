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
    # The source names file and line (crawlers repeat ids); the record's id is metadata.
    assert [(r["source"], r["url"], r["title"]) for r in records] == [
        ("crawl.jsonl:1", "https://e.com/1", "One"),
        ("crawl.jsonl:2", "https://e.com/2", "Two"),
    ]
    views = read_jsonl(out / "documents.jsonl")
    assert [view["metadata"]["record_id"] for view in views] == ["n1", "n2"]
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


# ---------------------------------------------------------------- hostile inputs (issue 16)


def story(n: int) -> str:
    return PAGE.format(title=f"Story {n}", body=f"The harbour story number {n} goes on. " * 12)


def run_cli(*arguments: str, input: str | bytes | None = None):
    return runner.invoke(app, ["run", *arguments, "-q"], input=input)


def test_corrupt_deflate_data_is_an_error_record_with_any_workers(tmp_path: Path) -> None:
    import gzip

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    packed = bytearray(gzip.compress(story(1).encode() * 20))
    packed[20:60] = bytes(byte ^ 0x55 for byte in packed[20:60])
    (corpus / "bad.html.gz").write_bytes(bytes(packed))
    for n in range(3):
        (corpus / f"ok{n}.html").write_text(story(n))
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        assert run_cli(str(corpus), "-o", str(out), "--workers", workers).exit_code == 0
        [error] = read_jsonl(out / "errors.jsonl")
        assert (error["source"], error["error"]) == ("bad.html.gz", "bad_gzip")
        assert len(read_jsonl(out / "articles.jsonl")) == 3


HOSTILE_JSONL = [
    json.dumps({"id": "lone\ud800", "html": story(1)}),
    json.dumps({"url": "https://e.com/\udfff", "html": story(2)}),
    "[" * 100_000 + "]" * 100_000,
    '{"a": ' * 100_000 + "1" + "}" * 100_000,
    json.dumps({"html": story(3)}),
]


@pytest.mark.parametrize("via", ["file", "stdin"])
def test_hostile_jsonl_lines_are_error_records(tmp_path: Path, via: str, monkeypatch) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temporary))
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text("\n".join(HOSTILE_JSONL) + "\n", encoding="utf-8")
    if via == "file":
        result = run_cli(str(crawl), "-o", "-", "--workers", "2")
    else:
        result = run_cli("-", "-o", "-", "--workers", "2", input=crawl.read_bytes())
    assert result.exit_code == 0, result.output
    articles = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["title"] for a in articles] == ["Story 1", "Story 2", "Story 3"]
    assert articles[1]["url"] == "https://e.com/\ufffd"
    assert result.stderr.count("nested too deeply") == 2
    assert list(temporary.iterdir()) == [], "--out - must leave no temporary files"


def test_sources_and_ids_are_unique_across_inputs(tmp_path: Path) -> None:
    for folder in ("x/pages", "y/pages", "a", "b"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "x/pages/1.html").write_text(story(1))
    (tmp_path / "y/pages/1.html").write_text(story(1))
    (tmp_path / "a/1.html").write_text(story(2))
    (tmp_path / "b/1.html").write_text(story(2))
    cases = {
        ("x/pages", "y/pages"): ["x/pages/1.html", "y/pages/1.html"],
        ("a/1.html", "b/1.html"): ["a/1.html", "b/1.html"],
        ("x", "x/pages"): ["pages/1.html"],  # one file reached twice is read once
    }
    for inputs, sources in cases.items():
        out = tmp_path / "out"
        result = run_cli(*(str(tmp_path / name) for name in inputs), "-o", str(out))
        assert result.exit_code == 0, result.output
        articles = read_jsonl(out / "articles.jsonl")
        assert [a["source"] for a in articles] == sources
        assert len({a["id"] for a in articles}) == len(articles)
        if len(articles) == 2:  # the same page twice: the second copy is compared
            assert articles[1]["duplicate_of"] == articles[0]["id"]


def test_jsonl_records_sharing_an_id_keep_apart(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text(
        "\n".join(json.dumps({"id": "same", "html": story(n)}) for n in (1, 1, 2)) + "\n"
    )
    out = tmp_path / "out"
    assert run_cli(str(crawl), "-o", str(out)).exit_code == 0
    articles = read_jsonl(out / "articles.jsonl")
    assert [a["source"] for a in articles] == ["crawl.jsonl:1", "crawl.jsonl:2", "crawl.jsonl:3"]
    assert len({a["id"] for a in articles}) == 3
    assert articles[1]["duplicate_of"] == articles[0]["id"]


def test_ids_follow_the_content_across_runs_sharing_an_index(tmp_path: Path) -> None:
    index = tmp_path / "news.index"
    day1, day2 = tmp_path / "day1", tmp_path / "day2"
    day1.mkdir()
    day2.mkdir()
    (day1 / "a.html").write_text(story(1))
    assert run_cli(str(day1), "-o", str(tmp_path / "out1"), "--index", str(index)).exit_code == 0
    [yesterday] = read_jsonl(tmp_path / "out1/articles.jsonl")
    (day2 / "a.html").write_text(story(2))  # a new story under yesterday's name
    (day2 / "b.html").write_text(story(2))  # an exact copy of today's story
    (day2 / "c.html").write_text(story(1))  # a copy of yesterday's story
    assert run_cli(str(day2), "-o", str(tmp_path / "out2"), "--index", str(index)).exit_code == 0
    today, copy, old_copy = read_jsonl(tmp_path / "out2/articles.jsonl")
    assert today["id"] != yesterday["id"] and today["duplicate_of"] is None
    assert copy["duplicate_of"] == today["id"]
    assert old_copy["duplicate_of"] == yesterday["id"]


def test_diff_shows_the_id_that_run_gives(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(story(5))
    out = tmp_path / "out"
    assert run_cli(str(page), "-o", str(out)).exit_code == 0
    [article] = read_jsonl(out / "articles.jsonl")
    shown = runner.invoke(app, ["diff", str(page)])
    assert shown.exit_code == 0, shown.output
    assert article["id"] in shown.stdout


def test_stdin_parses_exactly_like_a_file(tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"r{n}", "html": story(n)}) for n in range(8)]
    data = "\n".join([*lines, '{"id": "r9", "html": "<p>cut off'])
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text(data)
    for workers in ("1", "2"):
        from_stdin = run_cli("-", "-o", str(tmp_path / "in"), "--workers", workers, input=data)
        from_file = run_cli(str(crawl), "-o", str(tmp_path / "file"), "--workers", workers)
        assert from_stdin.exit_code == from_file.exit_code == 0
        piped = read_jsonl(tmp_path / "in/articles.jsonl")
        named = read_jsonl(tmp_path / "file/articles.jsonl")
        assert [a["text"] for a in piped] == [a["text"] for a in named]
        assert [a["title"] for a in piped] == [f"Story {n}" for n in range(8)]
        [error] = read_jsonl(tmp_path / "in/errors.jsonl")
        assert (error["source"], error["error"]) == ("<stdin>:9", "bad_jsonl")


def test_raw_html_on_stdin_without_a_doctype_is_read_as_html() -> None:
    # A real page's head (inline styles and scripts) can run past the first 200,000
    # characters, where the text reader's look for tags stops.
    style = "p { color: red }\n" * 15_000
    markup = f"<html><head><style>{style}</style></head><body>" + story(4)[6:]
    result = run_cli("-", "-o", "-", input=markup)
    assert result.exit_code == 0
    [article] = [json.loads(line) for line in result.stdout.splitlines()]
    assert article["title"] == "Story 4" and "<" not in article["text"]


def test_stdin_is_copied_in_chunks_never_read_whole() -> None:
    from cleaner.inputs import spooled_stdin

    class Pipe(io.RawIOBase):
        """A stdin that refuses to be read whole (read() or read(-1))."""

        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def read(self, size: int = -1) -> bytes:
            assert 0 < size <= 1 << 20, "stdin must be read in bounded chunks"
            return self.data.read(size)

    data = b"line\n" * 300_000
    with spooled_stdin(Pipe(data)) as path:
        assert path.read_bytes() == data
    assert not path.exists()


def test_terminal_escapes_in_names_and_ids_are_shown_escaped(tmp_path: Path) -> None:
    hostile = "bad\x1b]0;owned\x07\x1b[2J"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / f"{hostile}.html").write_bytes(b"")
    record = json.dumps({"id": hostile, "html": "[" * 5})  # not an object: an error
    result = run_cli(str(corpus), "-", "-o", "-", input=record + "\n" + "{" * 3)
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "bad\\x1b]0;owned\\x07" in result.stderr
    shown = runner.invoke(app, ["diff", str(corpus / f"{hostile}.html")])
    assert shown.exit_code == 1
    assert "\x1b" not in shown.output and "bad\\x1b]0;owned" in shown.output


def test_a_file_swapped_for_a_link_after_listing_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text(story(7))
    root = tmp_path / "root"
    root.mkdir()
    (root / "page.html").write_text(story(1))
    [item] = discover([str(root)], InputConfig()).files
    (root / "page.html").unlink()
    (root / "page.html").symlink_to(secret)
    with pytest.raises(DocumentError) as refused:
        read_document(item, InputConfig())
    assert refused.value.kind == "outside_root"
    assert "Story 7" in read_document(item, InputConfig(follow_symlinks=True)).raw.decode()


def test_a_missing_input_stops_the_run_with_exit_1(tmp_path: Path) -> None:
    (tmp_path / "ok.html").write_text(story(1))
    result = run_cli(str(tmp_path / "ok.html"), str(tmp_path / "nope.html"), "-o", "-")
    assert result.exit_code == 1
    assert "nope.html" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("empty", None, "no files in this directory"),
        ("crawl.jsonl", b"\n\n", "no JSONL records"),
        ("crawl.warc", b"", "no HTML or text responses"),
    ],
)
def test_inputs_with_nothing_to_read_are_said_on_stderr(
    tmp_path: Path, name: str, content: bytes | None, said: str
) -> None:
    path = tmp_path / name
    path.mkdir() if content is None else path.write_bytes(content)
    result = run_cli(str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert said in result.stderr


def test_a_fifo_named_as_input_is_an_error_and_never_blocks(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    finished = subprocess.run(
        [sys.executable, "-m", "cleaner", "run", str(fifo), "-o", str(tmp_path / "out"), "-q"],
        capture_output=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    [error] = read_jsonl(tmp_path / "out/errors.jsonl")
    assert (error["source"], error["error"]) == ("pipe.html", "not_a_file")


def test_the_readme_quick_start_with_its_trailing_slashes(tmp_path: Path, monkeypatch) -> None:
    """`cleaner run seeds/ --out out/`, as the README gives it: a directory named with a
    trailing slash was looked up under its normalised name and ended the run."""
    repository = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(repository)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", "seeds/", "--out", f"{out}/", "-q", "--workers", "1"])
    assert result.exit_code == 0, result.output
    sources = [json.loads(line)["source"] for line in (out / "articles.jsonl").open()]
    assert sources and all(not source.startswith("/") for source in sources)
    named = CliRunner().invoke(app, ["run", "seeds", "--out", str(tmp_path / "plain"), "-q"])
    assert named.exit_code == 0, named.output
    assert (tmp_path / "plain" / "articles.jsonl").read_bytes() == (
        out / "articles.jsonl"
    ).read_bytes()
