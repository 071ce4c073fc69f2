"""Two shards against one Redis index find the same near-duplicate groups as one process.

Starts a real redis-server on a free loopback port (tests/conftest.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import free_port
from typer.testing import CliRunner

from cleaner.cli import app

runner = CliRunner()
REDIS = shutil.which("redis-server")

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
