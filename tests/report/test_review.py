"""Golden renderings of document reviews and run summaries.

Each case renders a review to a 100-column console without colours and compares it with a
plain-text file under fixtures/report/golden/ that a person has read. To regenerate after an
intended change: ``CLEANER_UPDATE_GOLDEN=1 pytest tests/report/test_review.py``, then read the
diff before committing it.
"""

from __future__ import annotations

import json
import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console, RenderableType

from cleaner.report.review import ReviewError, document_review, print_review, run_review
from cleaner.report.run_files import read_jsonl

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "report"
GOLDEN = FIXTURES / "golden"
RUN = "run"  # relative to FIXTURES, so the summary title is the same on every clone


def render(renderable: RenderableType) -> str:
    console = Console(width=100, file=StringIO(), color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def without_trailing_spaces(text: str) -> str:
    """Table cells are padded with spaces; editors strip them, so goldens do not keep them."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def assert_matches_golden(rendered: str, name: str) -> None:
    path = GOLDEN / f"{name}.txt"
    rendered = without_trailing_spaces(rendered)
    if os.environ.get("CLEANER_UPDATE_GOLDEN"):
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")


def run_view(source: str) -> dict[str, Any]:
    for view in read_jsonl(FIXTURES / RUN / "documents.jsonl"):
        if view["source"] == source:
            return view
    raise AssertionError(f"fixture has no document {source}")


def fixture_view(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "views" / f"{name}.json").read_text(encoding="utf-8"))


DAILY = "news/qingdao-daily-2022-04-28.html"

DOCUMENT_CASES = [
    # (golden name, view, filters, why)
    ("document-daily", lambda: run_view(DAILY), {}, "two articles, four rules, all blocks"),
    ("document-daily-removed-only", lambda: run_view(DAILY), {"removed_only": True}, "kept hidden"),
    ("document-daily-family", lambda: run_view(DAILY), {"rule": "boilerplate"}, "family prefix"),
    ("document-daily-rule", lambda: run_view(DAILY), {"rule": "spam.app_promo"}, "exact id"),
    ("document-daily-no-match", lambda: run_view(DAILY), {"rule": "dedup"}, "filter hides all"),
    ("document-edge-cases", lambda: fixture_view("edge-cases"), {}, "no encoding, continued"),
    ("document-fallback", lambda: fixture_view("fallback-encoding"), {}, "fallback, duplicate"),
    ("document-empty", lambda: fixture_view("empty"), {}, "nothing extracted"),
]


@pytest.mark.parametrize(
    ("name", "view", "filters"),
    [case[:3] for case in DOCUMENT_CASES],
    ids=[case[0] for case in DOCUMENT_CASES],
)
def test_document_review_matches_golden(name: str, view, filters: dict[str, Any]) -> None:
    assert_matches_golden(render(document_review(view(), **filters)), name)


RUN_CASES = [
    ("run-summary", {}),
    ("run-source-duplicate", {"source": "news/sina-port.md"}),
    ("run-source-tail", {"source": "qingdao-daily-2022-04-28.html", "rule": "spam"}),
    ("run-article-id", {"article_id": "evil-1"}),
    ("run-failed-source", {"source": "news/broken.html"}),
]


@pytest.mark.parametrize(("name", "options"), RUN_CASES, ids=[case[0] for case in RUN_CASES])
def test_run_review_matches_golden(
    name: str, options: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES)
    assert_matches_golden(render(run_review(Path(RUN), **options)), name)


def test_removed_blocks_are_marked_in_the_gutter_and_kept_ones_are_not() -> None:
    lines = render(document_review(run_view(DAILY))).splitlines()
    removed = next(line for line in lines if "扫码下载APP" in line)
    kept = next(line for line in lines if "作为行业龙头" in line)
    assert removed.startswith("- ") and "spam.app_promo" in removed
    assert kept.startswith("  ") and "spam" not in kept


def test_removed_only_shows_every_removed_block_and_no_kept_text() -> None:
    view = run_view(DAILY)
    lines = render(document_review(view, removed_only=True)).splitlines()
    body = lines[next(i for i, line in enumerate(lines) if line.startswith("article 1/")) :]
    removed_rows = [line for line in body if line.startswith("- ")]
    for block in view["blocks"]:
        shown = any(block["text"][:6] in row for row in removed_rows)
        assert shown == (block["rule"] is not None), block["text"]
    # A kept row has text in the text column (the margin starts past column 66).
    kept_rows = [line for line in body if line.startswith("  ") and line[2:60].strip()]
    assert kept_rows and all("not shown" in row for row in kept_rows)


def test_rule_filter_by_family_excludes_other_families() -> None:
    text = render(document_review(run_view(DAILY), rule="boilerplate."))
    assert "首页 > 财经 > 正文" in text and "责任编辑" in text
    assert "扫码下载APP" not in text and "青岛日报记者" not in text


def test_split_points_name_every_article_in_order() -> None:
    text = render(document_review(run_view(DAILY)))
    first = text.index("article 1/2 · 海尔生物入选")
    second = text.index("article 2/2 · 青岛港4月吞吐量增长5%")
    assert first < text.index("作为行业龙头") < second < text.index("青岛港集团发布数据")


def test_an_article_that_resumes_after_another_is_marked_continued() -> None:
    text = render(document_review(fixture_view("edge-cases")))
    assert "article 1/2 (continued)" in text
    assert text.count("near-duplicates:") == 2  # once per article, not per resumption


def test_article_id_marks_only_the_requested_article(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    text = render(run_review(Path(RUN), article_id="qd-1"))
    assert text.count("◀ requested") == 1
    assert text.index("◀ requested") < text.index("article 2/2")


def test_document_review_lists_the_sources_of_its_duplicate_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(FIXTURES)
    text = render(run_review(Path(RUN), source="news/163-port.html", removed_only=True))
    assert "group qd-2 (3 articles:" in text
    for source in (DAILY, "news/sina-port.md", "news/163-port.html"):
        assert source in text
    assert f"duplicate of qd-2 [{DAILY}] (similarity 0.88)" in text


def test_summary_lists_duplicate_groups_and_every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    text = render(run_review(Path(RUN)))
    summary = json.loads((FIXTURES / RUN / "summary.json").read_text(encoding="utf-8"))
    for rule in summary["removed_by_rule"]:
        assert rule in text
    assert "news/sina-port.md  similarity 0.94" in text
    assert "news/evil.html" in text  # among the slowest files
    assert "not_text" in text and "binary data: 38% NUL bytes" in text


def test_unknown_source_is_a_review_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ReviewError, match="documents.jsonl"):
        run_review(FIXTURES / RUN, source="news/not-in-this-run.html")


def test_a_tail_matching_several_sources_is_a_review_error(tmp_path: Path) -> None:
    views = [{"source": f"{site}/2022/index.html", "blocks": []} for site in ("a", "b")]
    lines = "".join(json.dumps(view) + "\n" for view in views)
    (tmp_path / "documents.jsonl").write_text(lines, encoding="utf-8")
    with pytest.raises(ReviewError, match="matches 2 sources"):
        run_review(tmp_path, source="2022/index.html")
    assert "a/2022/index.html" in render(run_review(tmp_path, source="a/2022/index.html"))


def test_a_directory_without_summary_is_a_review_error(tmp_path: Path) -> None:
    with pytest.raises(ReviewError, match="summary.json not found"):
        run_review(tmp_path)


def test_print_review_writes_plain_text_when_stdout_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    print_review(document_review(run_view(DAILY)), width=100, pager=True)
    printed = capsys.readouterr().out
    assert "\x1b" not in printed
    expected = (GOLDEN / "document-daily.txt").read_text(encoding="utf-8")
    assert without_trailing_spaces(printed) == expected


def test_every_line_of_a_removed_block_is_marked_even_when_wrapped() -> None:
    long_removed = "广告 " * 60 + "\nsecond line"
    view = {
        "source": "x.html",
        "articles": [{"id": "x-0", "part": 0}],
        "blocks": [{"text": long_removed, "article": 0, "rule": "spam.ad", "stage": "spam"}],
    }
    lines = render(document_review(view, expand_all=True)).splitlines()
    rows = [line for line in lines if "广告" in line or "second line" in line]
    assert len(rows) > 3  # wrapped onto several lines
    assert all(row.startswith("- ") for row in rows)


def test_a_long_removed_block_is_shortened_while_its_rule_is_folded() -> None:
    view = {
        "source": "x.html",
        "articles": [{"id": "x-0", "part": 0}],
        "blocks": [{"text": "广告 " * 200, "article": 0, "rule": "spam.ad", "stage": "spam"}],
    }
    lines = render(document_review(view)).splitlines()
    rows = [line for line in lines if line.startswith("- ")]
    assert len(rows) == 3 and "more lines" in rows[-1]
    assert len(render(document_review(view, expand=["spam"])).splitlines()) > len(lines) + 5


def test_summary_shows_counts_it_does_not_know_and_says_when_no_story_repeats(
    tmp_path: Path,
) -> None:
    summary = {"counts": {"files": 2, "articles": 2, "documents": 2, "new_count": 7}}
    (tmp_path / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    text = render(run_review(tmp_path))
    assert "new count" in text and " 7" in text and "documents" in text
    assert "Near-duplicate groups: none" in text
    assert "Errors by type" not in text and "Removed by rule" not in text


def test_removed_text_is_in_its_family_colour_and_kept_text_is_plain() -> None:
    """Colour without strike-through or dim: both made struck Chinese hard to read."""
    view = {
        "source": "x.html",
        "articles": [{"id": "x-0", "part": 0}],
        "blocks": [
            {"text": "kept words", "article": 0, "rule": None},
            {"text": "spam words", "article": 0, "rule": "spam.ad", "stage": "spam"},
            {"text": "nav words", "article": 0, "rule": "boilerplate.nav"},
        ],
    }
    console = Console(width=80, file=StringIO(), color_system="standard", force_terminal=True)
    console.print(document_review(view))
    output = console.file.getvalue()
    assert "\x1b[1;31m-\x1b[0m \x1b[31mspam words" in output  # red: spam
    assert "\x1b[1;33m-\x1b[0m \x1b[33mnav words" in output  # yellow: boilerplate
    assert "\n  kept words\n" in output  # no escape code around kept text


def test_a_contained_article_names_the_longer_one_and_its_source(tmp_path: Path) -> None:
    articles = [
        {"id": "long", "source": "site/long.html", "cluster": None},
        {"id": "short", "source": "wire/short.html", "cluster": None, "contained_in": "long",
         "similarity": 0.93},
    ]  # fmt: skip
    view = {"source": "wire/short.html", "articles": [{"id": "short", "cluster": None}],
            "blocks": [{"text": "Wire copy.", "article": 0, "rule": None}]}  # fmt: skip
    for name, records in (("articles.jsonl", articles), ("documents.jsonl", [view])):
        lines = "".join(json.dumps(record) + "\n" for record in records)
        (tmp_path / name).write_text(lines, encoding="utf-8")
    text = render(run_review(tmp_path, source="wire/short.html"))
    assert "near-duplicates: contained in long [site/long.html] (containment 0.93)" in text
    assert "near-duplicates: none" not in text


def test_a_file_cleaned_alone_says_its_near_duplicates_were_not_checked() -> None:
    view = fixture_view("edge-cases")
    assert "near-duplicates: not checked" in render(
        document_review(view, near_duplicates_checked=False)
    )
    assert "near-duplicates: none" in render(document_review(view))
