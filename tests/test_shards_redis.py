"""Two shards against one Redis index find the same near-duplicate groups as one process.

Starts a real redis-server on a free loopback port (tests/conftest.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from conftest import REDIS, RedisServer, free_port
from interrupted_runs import start_and_wait
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.output import JOURNAL, PARTIAL_DIRECTORY

runner = CliRunner()

STORIES = [
    "The city council approved a new budget for the harbour on Monday, raising spending on "
    "dredging and on a ferry terminal that has been delayed for three years by lawsuits. ",
    "Farmers in the northern valley reported the largest apple harvest in a decade, helped "
    "by a mild spring and new irrigation channels paid for by a regional grant programme. ",
    "青岛高新区生物医药产业园今天举行揭牌仪式，园区计划在三年内引进五十家医疗器械企业，"
    "并建设一个面向全国的康复医疗研发平台，为实体经济振兴发展提供新的动力。",
    "A chess prodigy from the coastal town won the national junior title on Sunday after a "
    "tense final game that lasted more than six hours and ended in a rook endgame. ",
]


def make_corpus(directory: Path) -> None:
    """Each story three times with small edits (a group), plus unrelated single pages."""
    directory.mkdir()
    for n, story in enumerate(STORIES):
        body = story * 4
        copies = [body, "Editor's note: updated. " + body, body.replace("three", "several")]
        for k, text in enumerate(copies):
            page = f"<html><body><article><h1>Story {n}</h1><p>{text}</p></article></body></html>"
            (directory / f"s{n}-copy{k}.html").write_text(page, encoding="utf-8")
    for n in range(6):
        unique = " ".join(f"unique{n}word{k}" for k in range(80))
        (directory / f"single{n}.html").write_text(f"<p>{unique}</p>", encoding="utf-8")


def groups(*outs: Path) -> set[frozenset[str]]:
    """Near-duplicate groups as sets of sources (union of duplicate_of links)."""
    records = [
        json.loads(line)
        for out in outs
        for line in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    source_of = {r["id"]: r["source"] for r in records}
    parent = {r["source"]: r["source"] for r in records}

    def find(item: str) -> str:
        while parent[item] != item:
            item = parent[item]
        return item

    for record in records:
        if record["duplicate_of"]:
            parent[find(record["source"])] = find(source_of[record["duplicate_of"]])
    members: dict[str, set[str]] = {}
    for source in parent:
        members.setdefault(find(source), set()).add(source)
    return {frozenset(group) for group in members.values() if len(group) > 1}


def test_two_shards_on_one_redis_index_match_a_single_run(tmp_path: Path, redis_url: str) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    single = tmp_path / "single"
    result = runner.invoke(app, ["run", str(corpus), "-o", str(single), "-q", "--workers", "1"])
    assert result.exit_code == 0, result.output
    expected = groups(single)
    assert len(expected) == len(STORIES)

    outs = []
    for shard in ("0/2", "1/2"):
        out = tmp_path / f"shard{shard[0]}"
        arguments = [
            "run",
            str(corpus),
            "-o",
            str(out),
            "-q",
            "--shard",
            shard,
            "--index",
            redis_url,
        ]
        result = runner.invoke(app, arguments)
        assert result.exit_code == 0, result.output
        outs.append(out)
    assert groups(*outs) == expected


def test_missing_redis_server_is_one_clear_error(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    url = f"redis://127.0.0.1:{free_port()}/0"
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(corpus), "-o", str(out), "-q", "--index", url])
    assert result.exit_code == 1
    assert "redis" in result.output.lower()
    assert not (out / "articles.jsonl").exists()


# --- issue 16 item 8: Redis as it fails in real runs ----------------------------------------


def many_pages(directory: Path, count: int) -> Path:
    """Pages in pairs of copies, so that the index has work on every page."""
    directory.mkdir()
    for n in range(count):
        words = " ".join(f"w{(n // 2 * 7 + k) % 101}" for k in range(60))
        text = f"Story {n // 2}\n\nParagraph one of story {n // 2} tells how the port {words}.\n"
        (directory / f"page{n:04d}.txt").write_text(text, encoding="utf-8")
    return directory


def cleaner(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "cleaner", "run", *arguments, "--quiet", "--workers", "1"]


def test_redis_emptied_mid_run_fails_clearly_and_keeps_the_partial(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    """An empty Redis restarted mid-run went unnoticed (exit 0, duplicates missed)."""
    corpus, out = many_pages(tmp_path / "corpus", 600), tmp_path / "out"
    process = start_and_wait(
        cleaner(str(corpus), "--out", str(out), "--index", redis_server.url), out, 40
    )
    redis.Redis(port=redis_server.port).flushall()
    stderr = process.communicate(timeout=120)[1]
    assert process.returncode == 1
    assert "emptied" in stderr and "--resume" in stderr
    assert "Traceback" not in stderr
    assert (out / PARTIAL_DIRECTORY / JOURNAL).exists()


def test_redis_stopped_mid_run_keeps_the_partial_for_resume(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    corpus = many_pages(tmp_path / "corpus", 600)
    reference, out = tmp_path / "reference", tmp_path / "out"
    base = redis_server.url.rsplit("/", 1)[0]
    subprocess.run(
        cleaner(str(corpus), "--out", str(reference), "--index", f"{base}/1"), check=True
    )
    arguments = [str(corpus), "--out", str(out), "--index", f"{base}/2"]
    process = start_and_wait(cleaner(*arguments), out, 40)
    redis_server.stop()
    stderr = process.communicate(timeout=120)[1]
    assert process.returncode == 1 and "--resume" in stderr, stderr
    assert "Traceback" not in stderr
    redis_server.start()  # empty again: the resume replays this run's records into it
    resumed = subprocess.run(cleaner(*arguments, "--resume"), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    for name in ("articles.jsonl", "errors.jsonl", "documents.jsonl"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name


def test_a_password_in_the_url_is_used_and_never_echoed(tmp_path: Path) -> None:
    if REDIS is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    server = RedisServer(tmp_path, free_port(), "--requirepass", "s3cret-word")
    server.start()
    try:
        corpus = tmp_path / "corpus"
        make_corpus(corpus)
        good = f"redis://:s3cret-word@127.0.0.1:{server.port}/0"
        result = runner.invoke(
            app, ["run", str(corpus), "-o", str(tmp_path / "a"), "-q", "--index", good]
        )
        assert result.exit_code == 0, result.output
        assert groups(tmp_path / "a")
        bad = f"redis://:wrong-word@127.0.0.1:{server.port}/0"
        result = runner.invoke(
            app, ["run", str(corpus), "-o", str(tmp_path / "b"), "-q", "--index", bad]
        )
        assert result.exit_code == 1
        assert "wrong-word" not in result.output and "***" in result.output
    finally:
        server.stop()


@pytest.mark.parametrize("url", ["REDIS://127.0.0.1:{port}/0", "redis://127.0.0.1:{port}/0"])
def test_the_scheme_is_case_insensitive(
    tmp_path: Path, redis_server: RedisServer, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a URL taken for a path would land here
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    location = url.format(port=redis_server.port)
    result = runner.invoke(
        app, ["run", str(corpus), "-o", str(tmp_path / "o"), "-q", "--index", location]
    )
    assert result.exit_code == 0, result.output
    assert not list(tmp_path.glob("REDIS:*")) and not list(tmp_path.glob("redis:*"))
    assert redis.Redis(port=redis_server.port).hlen("cleaner-dedup:records") > 0


def test_a_non_numeric_port_is_one_message(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    result = runner.invoke(
        app, ["run", str(corpus), "-o", str(tmp_path / "o"), "-q", "--index", "redis://h:port/0"]
    )
    assert result.exit_code == 1 and "port" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_rediss_talks_tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a URL taken for a path would land here
    if REDIS is None or shutil.which("openssl") is None:
        pytest.skip("needs redis-server and openssl")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(certificate), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        capture_output=True,
    )
    assert made.returncode == 0, made.stderr
    port = free_port()
    tls = ["--tls-port", str(port), "--tls-cert-file", str(certificate)]
    tls += ["--tls-key-file", str(key), "--tls-ca-cert-file", str(certificate)]
    server = RedisServer(tmp_path, free_port(), *tls, "--tls-auth-clients", "no")
    try:
        server.start()
    except (RuntimeError, OSError):
        pytest.skip("this redis-server has no TLS")
    try:
        corpus = tmp_path / "corpus"
        make_corpus(corpus)
        url = f"rediss://127.0.0.1:{port}/0?ssl_ca_certs={certificate}"
        result = runner.invoke(
            app, ["run", str(corpus), "-o", str(tmp_path / "o"), "-q", "--index", url]
        )
        assert result.exit_code == 0, result.output
        assert groups(tmp_path / "o")
        assert not list(tmp_path.glob("rediss:*")), "became a file index"
        client = redis.Redis("127.0.0.1", port, ssl=True, ssl_ca_certs=str(certificate))
        assert client.hlen("cleaner-dedup:records") > 0
    finally:
        server.stop()
