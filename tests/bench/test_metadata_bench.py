"""The metadata labels are well-formed and split as the bench says; the judges are fair."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import pytest

from cleaner.bench import metadata as bench
from cleaner.bench.holdout import part_of

LABELS = Path(__file__).parents[2] / "fixtures" / "metadata" / "labels.jsonl"
ROWS = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


def test_labels_cover_enough_pages_and_sets() -> None:
    assert len(ROWS) >= 150
    assert len({row["set"] for row in ROWS}) >= 5
    assert len({(row["set"], row["id"]) for row in ROWS}) == len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row["source"])
def test_label_is_well_formed(row: dict) -> None:
    assert row["part"] == part_of(row["set"], row["id"])
    assert row["title"].strip() == row["title"] and row["title"]
    assert all(DAY.match(day) for day in [row["published"], *row["published_also"]] if day)
    assert not row["published_also"] or row["published"]
    assert re.fullmatch(r"[a-z]{2}", row["lang"])
    assert not row["author"].lower().startswith("by ")


def test_title_judge_ignores_quote_style_and_spacing_only() -> None:
    label = {"title": "Student Dies “Burned Her Up”", "title_also": []}
    assert bench.title_right(label, 'Student Dies  "Burned Her Up"')
    assert not bench.title_right(label, "Student Dies “Burned Her Up” - BuzzFeed News")
    assert not bench.title_right(label, "")


def test_author_judge_compares_name_sets() -> None:
    label = {"author": "Martin Untersinger, Damien Leloup"}
    assert bench.author_right(label, "By Damien Leloup and MARTIN UNTERSINGER")
    assert not bench.author_right(label, "Martin Untersinger")
    assert bench.author_right({"author": ""}, "")
    assert not bench.author_right({"author": ""}, "网易")
    assert bench.author_right({"author": "陈智"}, "陈 智")


def test_date_judge_takes_the_day_and_its_alternative() -> None:
    label = {"published": "2019-11-18", "published_also": ["2019-11-19"]}
    assert bench.date_right(label, "2019-11-19T04:58:46+00:00")
    assert bench.date_right(label, "2019-11-18")
    assert not bench.date_right(label, "2019-11-20")
    assert not bench.date_right({"published": "", "published_also": []}, "2020-01-01")


def test_site_judge_is_lenient_about_form_not_about_emptiness() -> None:
    assert bench.site_right({"site_name": "nj.com"}, "nj")
    assert bench.site_right({"site_name": "BBC News"}, "bbc news")
    assert not bench.site_right({"site_name": "网易"}, "")
    assert not bench.site_right({"site_name": "Vox"}, "The Verge")


def test_score_counts_each_part_apart() -> None:
    pages = [
        bench.Labelled({**ROWS[0], "part": "tuning"}, b""),
        bench.Labelled({**ROWS[1], "part": "test"}, b""),
    ]
    right = ROWS[0]

    def extractor(raw: bytes, source: str) -> bench.Predicted:
        return bench.Predicted(right["title"], right["author"], right["published"], "", "en")

    scores = bench.score(pages, extractor)
    assert scores["tuning"]["title"].right == 1 and scores["tuning"]["title"].seen == 1
    assert scores["test"]["title"].seen == 1
    assert scores["test"]["title"].right == int(ROWS[1]["title"] == right["title"])


def test_module_doctests_pass() -> None:
    assert doctest.testmod(bench).failed == 0
