"""The HTML reviews as a reader's browser sees them: structure, anchors, folds, filters."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from cleaner.bench.review_lines import page_view
from cleaner.config import Config
from cleaner.report.review import document_review, print_review, run_review
from cleaner.report.review_plan import plan_document

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "report"
PAGE_163 = FIXTURES / "pages" / "163-1.html.gz"
SEED_003 = ROOT / "seeds" / "003_7c0e3b62e9f8622c.txt"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def view_163() -> dict:
    return page_view(PAGE_163, Config())


def having(node, *classes: str, tag: str = "*") -> list:
    """Descendants of `node` carrying every one of `classes` (lxml without cssselect)."""
    tests = "".join(
        f"[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]" for name in classes
    )
    return node.xpath(f".//{tag}{tests}")


def page_of(review) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(next(iter(review.html_pages(Path("review.html"))))[1])


def test_a_real_page_reads_as_its_article_with_the_chrome_in_three_folds(view_163) -> None:
    dom = page_of(document_review(view_163, near_duplicates_checked=False))
    assert dom.get("lang") == "zh"
    folds = dom.findall(".//details")
    assert [fold.get("id") for fold in folds] == ["fold-1", "fold-2", "fold-3"]
    first = folds[0].find("summary").text_content()
    assert "162 blocks, 577 chars" in first and "extract.outside-main" in first
    assert len(folds[0].findall(".//div")) == 162  # the blocks are there, folded
    kept = [" ".join(node.text_content().split()) for node in having(dom, "kept")]
    for block in view_163["blocks"]:
        if block["rule"] is None:
            assert any(" ".join(block["text"].split()) in shown for shown in kept)


def test_the_top_says_encoding_duplicates_and_a_legend_whose_boxes_filter(view_163) -> None:
    dom = page_of(document_review(view_163, near_duplicates_checked=False))
    facts = {dt.text_content(): dd.text_content() for dt, dd in zip(
        having(dom, "facts", tag="dl")[0].findall("dt"),
        having(dom, "facts", tag="dl")[0].findall("dd"), strict=True)}  # fmt: skip
    assert facts["encoding"] == "utf-8 — bytes are valid UTF-8 (confidence 1.00)"
    assert facts["near-duplicates"] == "not checked"
    style = dom.findtext(".//style")
    for family in ("extract", "meta"):
        box = dom.get_element_by_id(f"show-{family}")
        assert box.get("type") == "checkbox" and box.get("checked") is not None
        assert f"body:has(#show-{family}:not(:checked)) main .fam-{family}" in style
    assert "line-break: strict" in style  # no closing mark at a line start in CJK text
    singles = dom.find(".//article").xpath("./div[contains(@class, 'removed')]")
    rules = [having(single, "rule")[0].text for single in singles]
    assert rules == ["meta.title", "meta.title", "meta.source-line"]  # beside the text


def test_a_multi_article_page_has_a_table_of_contents_and_split_anchors() -> None:
    dom = page_of(document_review(page_view(SEED_003, Config())))
    links = [a.get("href") for a in having(dom, "toc", tag="nav")[0].iter("a")]
    assert links == [f"#article-{n}" for n in range(1, 6)]
    for n in range(1, 6):
        assert dom.get_element_by_id(f"article-{n}").tag == "article"
    assert [hr.get("id") for hr in having(dom, "split", tag="hr")] == [
        f"split-{n}" for n in range(2, 6)
    ]


def test_expand_and_filters_carry_into_the_page(view_163) -> None:
    expanded = page_of(document_review(view_163, expand=["extract"]))
    assert expanded.findall(".//details") == []
    assert len(having(expanded, "block", "removed", "fam-extract")) == 785
    only_meta = page_of(document_review(view_163, rule="meta"))
    assert {node.get("class") for node in having(only_meta, "block")} == {"block removed fam-meta"}


def test_the_run_report_links_reviews_groups_side_by_side_and_charts_removals() -> None:
    pages = dict(run_review(FIXTURES / "run").html_pages(Path("out/run.html")))
    summary = lxml_html.fromstring(pages.pop(Path("out/run.html")))
    assert sorted(pages) == [Path(f"out/run-documents/0000{n}.html") for n in range(1, 5)]
    linked = {a.get("href") for a in summary.iter("a")}
    assert {f"run-documents/0000{n}.html" for n in range(1, 5)} <= linked
    group = having(summary, "group", tag="section")[0]
    members = having(group, "member")
    assert len(members) == 3
    assert "news/sina-port.md" in members[1].text_content()
    assert "similarity 0.94 to qd-2" in members[1].text_content()
    bars = summary.xpath(".//svg//rect")
    assert len(bars) == 6  # one per rule of summary.json
    assert summary.xpath(".//svg//title")[0].text == "spam.clickbait: 46 characters"
    assert "binary data: 38% NUL bytes" in summary.text_content()


def test_a_document_page_of_the_run_names_its_group_at_the_top() -> None:
    pages = dict(run_review(FIXTURES / "run").html_pages(Path("run.html")))
    page = next(p for p in pages.values() if "news/163-port.html</b>" in p)
    dom = lxml_html.fromstring(page)
    top = having(dom, "facts", tag="dl")[0].text_content()
    assert "group qd-2 (3 articles:" in top and "duplicate of qd-2" in top


needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium missing")


@needs_chromium
@pytest.mark.parametrize("width", [1280, 390])
def test_chromium_lays_the_review_out_at_desktop_and_phone_width(
    tmp_path: Path, width: int, view_163
) -> None:
    page = tmp_path / "review.html"
    print_review(document_review(view_163), html_path=page, width=100)
    shot = tmp_path / "shot.png"
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},900",
        f"--screenshot={shot}", page.as_uri(),
    ]  # fmt: skip
    subprocess.run(command, capture_output=True, timeout=120, check=True)
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(header[16:20], "big") == width  # the page fits: nothing overflows


def test_plan_anchors_are_unique_across_articles() -> None:
    plan = plan_document(page_view(SEED_003, Config()))
    anchors = [section.anchor for section in plan.sections] + [f.anchor for f in plan.folds()]
    assert len(anchors) == len(set(anchors))
