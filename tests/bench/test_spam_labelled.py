"""The blind spam set (fixtures/spam/labelled) is well-formed, its split is the fixed hash
by phrasing group, it is what its compose script writes, and the injection generator and
the judge-agnostic scoring behave."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter, defaultdict
from pathlib import Path

import opencc
import pytest

from cleaner.bench.holdout import part_of
from cleaner.bench.spam_injection import BenchPage, injected_documents, items_of
from cleaner.bench.spam_judge import Judge, load_judge, spam_stage_judge
from cleaner.bench.spam_measures import (
    labelled_document,
    read_rows,
    score_injection,
    score_labelled,
    totals,
)
from cleaner.config import Config
from cleaner.document import Document
from cleaner.text import IDEOGRAPH

LABELLED = Path(__file__).resolve().parents[2] / "fixtures" / "spam" / "labelled"
FAMILIES = {
    "gambling", "adult", "loans", "medical", "pharma", "wechat", "app-download",
    "keyword-list", "link-farm", "part-time", "prizes", "crypto", "essay-mill", "contact",
    "hidden", "boilerplate",
}  # fmt: skip
ENGLISH_ONLY = {"pharma", "essay-mill"}
FORMATS = {"paragraph", "list", "link-run", "text-line", "html"}
ROWS, CONTEXTS = read_rows(LABELLED)


def test_every_row_has_the_fields_and_values_the_readme_names() -> None:
    scripts = {"zh": {"hans", "hant"}, "en": {"latn"}}
    for row in ROWS:
        assert row["label"] in {"spam", "keep"}, row["id"]
        assert row["family"] in FAMILIES, row["id"]
        assert row["format"] in FORMATS, row["id"]
        assert row["script"] in scripts[row["lang"]], row["id"]
        assert row["group"].startswith(row["family"] + "."), row["id"]
        assert row["id"].startswith(row["group"] + "."), row["id"]
        assert row["text"].strip() and row["source"], row["id"]
        assert ("html" in row) == (row["format"] == "html"), row["id"]
        if "context" in row:
            assert CONTEXTS[row["context"].removeprefix("ctx:")]["lang"] == row["lang"]
    assert len({row["id"] for row in ROWS}) == len(ROWS)


def test_size_and_balance_the_issue_asks_for() -> None:
    spam = Counter(row["family"] for row in ROWS if row["label"] == "spam")
    keep = Counter(row["family"] for row in ROWS if row["label"] == "keep")
    assert len(ROWS) >= 1500
    assert set(spam) == FAMILIES and min(spam.values()) >= 60, spam
    assert sum(keep.values()) >= sum(spam.values())
    languages = defaultdict(set)
    for row in ROWS:
        languages[row["family"], row["label"]].add(row["lang"])
    for family in FAMILIES:
        expected = {"en"} if family in ENGLISH_ONLY else {"zh", "en"}
        assert languages[family, "spam"] == expected == languages[family, "keep"], family


def test_parts_are_the_fixed_hash_of_the_phrasing_group() -> None:
    parts_of_group = defaultdict(set)
    for row in ROWS:
        assert row["part"] == part_of("spam", row["group"], tuning_share=0.7), row["id"]
        parts_of_group[row["group"]].add(row["part"])
    assert all(len(parts) == 1 for parts in parts_of_group.values())
    assert {row["part"] for row in ROWS} == {"tuning", "test"}


def test_traditional_rows_are_traditional() -> None:
    to_simplified = opencc.OpenCC("t2s.json")
    traditional = [row["text"] for row in ROWS if row["script"] == "hant"]
    changed = sum(to_simplified.convert(text) != text for text in traditional)
    assert len(traditional) >= 100 and changed >= 0.95 * len(traditional)
    assert all(IDEOGRAPH.search(row["text"]) for row in ROWS if row["lang"] == "zh")


def test_the_fixture_is_what_compose_writes() -> None:
    spec = importlib.util.spec_from_file_location("compose", LABELLED / "compose.py")
    compose = importlib.util.module_from_spec(spec)
    sys.modules["compose"] = compose  # its dataclasses look their module up
    try:
        spec.loader.exec_module(compose)
    finally:
        del sys.modules["compose"]
    rows, contexts = compose.build()
    written = (LABELLED / "blocks.jsonl").read_text(encoding="utf-8")
    assert compose.json_lines(rows) == written
    assert compose.json_lines(contexts) == (LABELLED / "contexts.jsonl").read_text("utf-8")


# ---------------------------------------------------------------- injection


def _articles() -> list[BenchPage]:
    chinese = "\n".join(
        f"第{n}段：市政府今天召开会议，研究部署今年的城市道路改造和绿化工作。" for n in range(5)
    )
    english = "\n".join(
        f"Paragraph {n}: the council met on Tuesday to discuss road repairs and new parks."
        for n in range(5)
    )
    pages = []
    for number in range(6):
        pages.append(BenchPage("extraction-zh", f"zh{number}", b"", chinese))
        pages.append(BenchPage("extraction-en", f"en{number}", b"", english))
    return pages


def test_injection_is_deterministic_and_stays_in_its_part_and_language() -> None:
    rows_by_id = {row["id"]: row for row in ROWS}
    first = injected_documents(_articles(), ROWS, seed=15)
    again = injected_documents(_articles(), ROWS, seed=15)
    other = injected_documents(_articles(), ROWS, seed=16)
    assert first == again
    assert [document.raw for document in first] != [document.raw for document in other]
    assert {document.media_type for document in first} == {"html", "text"}
    for document in first:
        assert 1 <= len(document.injections) <= 3
        for injection in document.injections:
            row = rows_by_id[injection.row_id]
            assert row["label"] == "spam"
            assert (row["part"], row["lang"]) == (document.part, document.lang)
        if document.media_type == "text":
            text = document.raw.decode("utf-8")
            assert all(piece in text for i in document.injections for piece in items_of(i.text))


def test_list_items_split_on_the_separators_spam_lists_use() -> None:
    assert items_of("a | b ~ c") == ["a", "b", "c"]
    assert items_of("送 100 元\n加微信") == ["送 100 元", "加微信"]
    assert items_of("one line with no list") == ["one line with no list"]


# ---------------------------------------------------------------- scoring


def _sample(count: int = 24) -> list[dict]:
    """A few rows of each label, formats mixed, in file order."""
    chosen, seen = [], Counter()
    for row in ROWS:
        key = (row["label"], row["format"] == "html")
        if seen[key] < count // 4:
            seen[key] += 1
            chosen.append(row)
    return chosen


def _judge_removing_everything() -> Judge:
    def remove_all(document: Document) -> Document:
        for block in document.blocks:
            block.remove("test.everything", "test")
        return document

    return Judge("removes everything", remove_all)


def test_a_judge_that_removes_everything_keeps_no_look_alike() -> None:
    rows = _sample()
    scores = score_labelled(rows, CONTEXTS, Config(), _judge_removing_everything())
    keep = totals(scores.keep, "tuning")
    spam = totals(scores.spam, "tuning")
    assert keep.judged > 0 and keep.kept == 0
    assert spam.total > 0 and spam.removed == spam.total


def test_a_judge_that_removes_nothing_removes_only_what_the_front_stages_did() -> None:
    rows = _sample()
    nothing = Judge("removes nothing", lambda document: document)
    scores = score_labelled(rows, CONTEXTS, Config(), nothing)
    for count in scores.spam.values():
        assert count.removed == count.by_front
    for count in scores.keep.values():
        assert count.kept == count.judged


def test_injected_article_paragraphs_are_all_lost_to_a_judge_removing_everything() -> None:
    documents = injected_documents(_articles()[:4], ROWS, seed=15)
    scores = score_injection(documents, Config(), _judge_removing_everything())
    paragraphs = [count for count in scores.paragraphs.values()]
    assert paragraphs and all(count.judged > 0 and count.kept == 0 for count in paragraphs)


def test_a_labelled_block_sits_inside_its_context_article() -> None:
    row = next(r for r in ROWS if r["format"] == "html" and "context" in r)
    document = labelled_document(row, CONTEXTS)
    markup = document.raw.decode("utf-8")
    context = CONTEXTS[row["context"].removeprefix("ctx:")]
    assert document.media_type == "html" and row["html"] in markup
    assert markup.index(context["paragraphs"][0]) < markup.index(row["html"])


def test_judges_are_named_module_and_factory() -> None:
    judge = load_judge("cleaner.bench.spam_judge:spam_stage_judge", Config())
    assert judge.name == spam_stage_judge(Config()).name
    with pytest.raises(ValueError):
        load_judge("no-colon", Config())
    with pytest.raises(TypeError):
        load_judge("builtins:str", Config())  # a factory that returns no Judge
