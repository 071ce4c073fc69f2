"""Reading a run's output directory for the reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner.report.run_files import (
    duplicate_groups,
    find_document,
    find_neighbours,
    read_jsonl,
    source_matches,
)


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")


def test_read_jsonl_skips_a_truncated_last_line_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text('{"id": "a"}\n\n["not", "a", "record"]\n{"id": "b"}\n{"id": "c", "te', "utf-8")
    assert [record["id"] for record in read_jsonl(path)] == ["a", "b"]


def test_read_jsonl_of_a_missing_file_is_empty(tmp_path: Path) -> None:
    assert list(read_jsonl(tmp_path / "absent.jsonl")) == []


def test_duplicate_groups_are_largest_first_and_singletons_dropped(tmp_path: Path) -> None:
    articles = [
        {"id": "1", "source": "a", "cluster": "small"},
        {"id": "2", "source": "b", "cluster": "big"},
        {"id": "3", "source": "c", "cluster": "small", "duplicate_of": "1", "similarity": 0.9},
        {"id": "4", "source": "d", "cluster": "big", "duplicate_of": "2", "similarity": 0.8},
        {"id": "5", "source": "e", "cluster": "big", "duplicate_of": "2", "similarity": 0.85},
        {"id": "6", "source": "f", "cluster": "alone"},
        {"id": "7", "source": "g", "cluster": None},
    ]
    write_jsonl(tmp_path / "articles.jsonl", articles)
    groups = duplicate_groups(tmp_path)
    assert [(group.cluster, len(group.members)) for group in groups] == [("big", 3), ("small", 2)]
    assert [member.source for member in groups[0].members] == ["b", "d", "e"]
    neighbours = find_neighbours(tmp_path, [{"id": "3", "cluster": "small", "duplicate_of": "1"}])
    assert neighbours.cluster_sources == {"small": ["a", "c"]}
    assert neighbours.source_of == {"1": "a", "3": "c"}
    assert find_neighbours(tmp_path, []).cluster_sources == {}


def test_neighbours_follow_containment_links_to_earlier_articles(tmp_path: Path) -> None:
    articles = [
        {"id": "long", "source": "site/long.html", "cluster": None},
        {"id": "other", "source": "site/other.html", "cluster": None},
        {"id": "short", "source": "wire/short.html", "cluster": None, "contained_in": "long",
         "similarity": 0.93},
    ]  # fmt: skip
    write_jsonl(tmp_path / "articles.jsonl", articles)
    neighbours = find_neighbours(tmp_path, [{"id": "short", "cluster": None}])
    assert neighbours.containment == {"short": {"contained_in": "long", "similarity": 0.93}}
    assert neighbours.source_of == {"long": "site/long.html"}


SOURCE_CASES = [
    ("news/a.html", "news/a.html", "exact"),
    ("news/a.html", "./news/a.html", "exact"),
    ("/data/crawl/news/a.html", "news/a.html", "tail"),
    ("news/a.html", "/home/me/crawl/news/a.html", "tail"),
    ("news/a.html", "a.html", "tail"),
    ("news/ba.html", "a.html", None),  # a tail must start at a path separator
    ("news/a.html", "news/b.html", None),
    ("news/a.html", "html", None),
]


@pytest.mark.parametrize(("recorded", "wanted", "expected"), SOURCE_CASES)
def test_source_matches(recorded: str, wanted: str, expected: str | None) -> None:
    assert source_matches(recorded, wanted) == expected


def test_an_exact_source_wins_over_an_earlier_tail_match(tmp_path: Path) -> None:
    write_jsonl(
        tmp_path / "documents.jsonl",
        [{"source": "mirror/news/a.html", "n": 1}, {"source": "news/a.html", "n": 2}],
    )
    assert find_document(tmp_path, source="news/a.html")["n"] == 2
    assert find_document(tmp_path, source="mirror/news/a.html")["n"] == 1


def test_find_document_by_article_id(tmp_path: Path) -> None:
    write_jsonl(
        tmp_path / "documents.jsonl",
        [
            {"source": "x", "articles": [{"id": "x-0"}]},
            {"source": "y", "articles": [{"id": "y-0"}, {"id": "y-1"}]},
        ],
    )
    assert find_document(tmp_path, article_id="y-1")["source"] == "y"
    assert find_document(tmp_path, article_id="z-0") is None


@pytest.mark.parametrize("ascii_only", [True, False], ids=["\\u escapes", "raw utf-8"])
def test_lookups_find_non_ascii_sources_however_the_json_was_escaped(
    tmp_path: Path, ascii_only: bool
) -> None:
    views = [{"source": "新闻/第1版.html", "articles": [{"id": "版-0"}]}, {"source": "x/y.html"}]
    lines = "".join(json.dumps(view, ensure_ascii=ascii_only) + "\n" for view in views)
    (tmp_path / "documents.jsonl").write_text(lines, encoding="utf-8")
    assert find_document(tmp_path, source="第1版.html")["source"] == "新闻/第1版.html"
    assert find_document(tmp_path, article_id="版-0")["source"] == "新闻/第1版.html"
    assert find_document(tmp_path, source="新闻/第2版.html") is None


def test_groups_are_found_in_compact_json_too(tmp_path: Path) -> None:
    """The skip-unclustered shortcut must not drop articles written another way."""
    articles = [
        {"id": "1", "source": "a", "cluster": "g"},
        {"id": "2", "source": "b", "cluster": "g", "text": 'quoted "cluster": null in text'},
        {"id": "3", "source": "c", "cluster": None},
    ]
    lines = "".join(json.dumps(a, separators=(",", ":")) + "\n" for a in articles)
    (tmp_path / "articles.jsonl").write_text(lines, encoding="utf-8")
    assert [len(group.members) for group in duplicate_groups(tmp_path)] == [2]
