"""The extraction benchmark's own parts: losses, parts, the anchors' cache, fragment text."""

from __future__ import annotations

import gzip
import json

from cleaner.bench import extraction
from cleaner.bench.extraction import (
    AnchorCache,
    BenchPage,
    Extraction,
    PageScore,
    html_text,
    losses,
    record_text,
    report_records,
    report_set,
    score_pages,
    truth_opens_with_title,
    web_pages,
)
from cleaner.bench.holdout import part_of

TRUTH = "The council voted on Tuesday to fund a new public library downtown after a long debate."


def _score(page_id: str, f1: float) -> PageScore:
    # precision = recall = f1 gives that page F1; 0 means an empty output
    return PageScore(page_id, "test", f1 or None, f1, 0.001)


def test_a_loss_is_a_page_cleaner_misses_where_an_anchor_finds_the_article() -> None:
    cleaner = [_score("a", 0.1), _score("b", 0.1), _score("c", 0.9), _score("d", 0.0)]
    trafilatura = [_score("a", 0.9), _score("b", 0.5), _score("c", 0.9), _score("d", 0.2)]
    readability = [_score("a", 0.2), _score("b", 0.79), _score("c", 0.1), _score("d", 0.85)]
    assert losses(cleaner, [trafilatura, readability]) == ["a", "d"]
    assert losses(cleaner, []) == []


def test_fragment_text_breaks_between_blocks() -> None:
    text = html_text("<div><p>First paragraph.</p><p>Second one</p>tail</div>")
    assert "paragraph.\n" in text and "Second one" in text
    assert "paragraph.Second" not in text
    assert html_text("") == ""


def test_web_pages_read_truth_and_skip_missing_pages(tmp_path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "p1.html.gz").write_bytes(gzip.compress(b"<p>hello</p>"))
    lines = [json.dumps({"id": "p1", "text": "hello"}), json.dumps({"id": "p2", "text": "x"})]
    (tmp_path / "truth.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pages = list(web_pages(tmp_path))
    assert [(page.page_id, page.raw, page.truth) for page in pages] == [
        ("p1", b"<p>hello</p>", "hello")
    ]


def test_anchor_outputs_are_cached_per_page_bytes(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(extraction, "anchor_version", lambda name: "1.0")
    calls = []

    def anchor(raw: bytes, page_id: str) -> Extraction:
        calls.append(page_id)
        return Extraction(TRUTH if raw.startswith(b"<p>") else "")

    pages = [BenchPage("x", b"<p>x</p>", TRUTH), BenchPage("y", b"nothing", TRUTH)]
    first = score_pages("s", pages, anchor, AnchorCache(tmp_path, "fake", "s"))
    again = score_pages("s", pages, anchor, AnchorCache(tmp_path, "fake", "s"))
    assert calls == ["x", "y"]
    assert [(s.precision, s.recall) for s in first] == [(s.precision, s.recall) for s in again]
    assert first[0].f1 == 1.0 and first[1].precision is None
    changed = [BenchPage("x", b"<p>changed</p>", TRUTH), pages[1]]
    score_pages("s", changed, anchor, AnchorCache(tmp_path, "fake", "s"))
    assert calls == ["x", "y", "x"]  # new bytes, new run
    assert {s.part for s in first} == {part_of("s", "x"), part_of("s", "y")}


def test_a_crashing_anchor_scores_the_page_empty() -> None:
    def crashing(raw: bytes, page_id: str) -> Extraction:
        raise ValueError("bad page")

    (score,) = score_pages("s", [BenchPage("x", b"<p>x</p>", TRUTH)], crashing)
    assert score.precision is None and score.recall == 0.0


def test_the_report_gives_both_parts_and_the_target_verdict() -> None:
    results = {
        "cleaner": [PageScore("a", "tuning", 1.0, 1.0, 0.0), PageScore("b", "test", 0.5, 0.5, 0)],
        "trafilatura": [PageScore("a", "tuning", 0.9, 0.9, 0), PageScore("b", "test", 0.9, 0.9, 0)],
    }
    lines = report_set("s", results)
    rows = [line for line in lines if line.startswith("|")]
    assert [row.split("|")[2].strip() for row in rows] == ["tuning"] * 2 + ["test"] * 2 + [
        "all"
    ] * 2
    assert "NOT met" in lines[-1] and "-0.4000" in lines[-1]


HEADLINE = "Library vote passes"


def test_the_record_puts_the_title_above_the_text_once() -> None:
    assert record_text(Extraction(TRUTH, HEADLINE)) == f"{HEADLINE}\n\n{TRUTH}"
    opening_with_it = f"{HEADLINE}.\n{TRUTH}"
    assert record_text(Extraction(opening_with_it, "  Library vote passes ")) == opening_with_it
    assert record_text(Extraction(TRUTH, None)) == TRUTH


def test_the_record_is_scored_only_where_the_truth_keeps_the_headline() -> None:
    truth = f"{HEADLINE}\n\n{TRUTH}"
    page = BenchPage("x", b"<p>x</p>", truth)

    def titled(raw: bytes, page_id: str) -> Extraction:
        return Extraction(TRUTH, HEADLINE)

    (kept,) = score_pages("l3s-gn1", [page], titled)
    (elsewhere,) = score_pages("extraction-en", [page], titled)
    assert kept.record_f1 == 1.0 and kept.f1 < 1.0
    assert elsewhere.record is None and elsewhere.f1 == kept.f1
    lines = report_records("l3s-gn1", {"cleaner": [kept], "trafilatura": [kept]})
    assert "+0.0000" in lines[-1]
    assert "| 1.0000 " in next(row for row in lines if "| all " in row)


def test_a_truth_opens_with_the_title_when_most_of_its_words_lead_it() -> None:
    assert truth_opens_with_title("Library vote passes downtown", f"{HEADLINE}. {TRUTH}")
    assert not truth_opens_with_title("Storm closes harbour", TRUTH)
    assert truth_opens_with_title("Library", TRUTH) is None
