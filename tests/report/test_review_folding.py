"""Folded reviews: chrome runs become one line, kept text stays whole, real pages stay short."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from cleaner.bench.review_lines import TARGET_OTHER_LINES, measure, page_view
from cleaner.config import Config
from cleaner.report.console_output import render_plain
from cleaner.report.line_breaking import line_spans
from cleaner.report.review import document_review
from cleaner.text import NO_LINE_START

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "fixtures" / "report" / "pages"


def nav(text: str, rule: str = "extract.outside-main") -> dict[str, Any]:
    return {"text": text, "kind": "list_item", "article": 0, "rule": rule, "stage": "extract",
            "detail": "outside the best-scoring content region"}  # fmt: skip


def kept(text: str) -> dict[str, Any]:
    return {"text": text, "kind": "paragraph", "article": 0, "rule": None}


def page(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"source": "p.html", "articles": [{"id": "p-0", "part": 0}], "blocks": list(blocks)}


BODY = "青岛港集团发布数据，4月份货物吞吐量同比增长5%，集装箱吞吐量创同期新高。" * 3
NAV_PAGE = page(*(nav(f"栏目{n}") for n in range(40)), kept(BODY), nav("分享到："), nav("微博"))


def lines_of(view: dict[str, Any], width: int = 120, **options: Any) -> list[str]:
    return render_plain(document_review(view, **options), width).splitlines()


def test_a_run_removed_by_one_rule_is_one_line_with_count_chars_rule_and_evidence() -> None:
    lines = lines_of(NAV_PAGE)
    folds = [line for line in lines if "extract.outside-main:" in line]
    assert len(folds) == 2  # the 40 blocks before the text and the 2 after it
    assert folds[0].startswith("- 40 blocks, 150 chars — extract.outside-main: outside the best")
    assert "栏目0 · 栏目1" in folds[0]
    assert not any("栏目39" in line for line in lines if line not in folds)


def test_expand_and_all_show_the_blocks_of_a_folded_run() -> None:
    folded = lines_of(NAV_PAGE)
    for options in ({"expand": ["extract.outside-main"]}, {"expand": ["extract"]},
                    {"expand_all": True}):  # fmt: skip
        lines = lines_of(NAV_PAGE, **options)
        assert sum(line.startswith("- 栏目") for line in lines) == 40, options
        assert len(lines) > len(folded) + 38
    assert lines_of(NAV_PAGE, expand=["boilerplate"]) == folded  # another family: still folded


def test_the_header_says_what_is_folded_and_how_to_see_it() -> None:
    header = "\n".join(lines_of(NAV_PAGE)[:8])
    assert "2 runs (42 blocks, 156 chars)" in header
    assert "--expand extract.outside-main or --all" in header


def test_a_rule_filter_shows_the_blocks_it_selects() -> None:
    lines = lines_of(NAV_PAGE, rule="extract")
    assert sum(line.startswith("- 栏目") for line in lines) == 40
    assert any("not shown" in line for line in lines)


def test_a_single_removed_block_is_shown_with_its_rule_and_evidence() -> None:
    lines = lines_of(page(kept(BODY), nav("责任编辑：李华", "boilerplate.editor-credit")))
    row = next(line for line in lines if "责任编辑" in line)
    assert row.startswith("- 责任编辑：李华") and "boilerplate.editor-credit" in row


def test_a_stretch_alternating_between_rules_folds_as_a_whole() -> None:
    related = []
    for n in range(10):
        related += [nav(f"相关文章标题{n}", "extract.link-dense"), nav("09-09 19:28", "x.date")]
    lines = lines_of(page(kept(BODY), *related))
    removed = [line for line in lines if line.startswith("- ")]
    assert len(removed) == 1
    assert "20 blocks" in removed[0] and "x.date 10, extract.link-dense 10" in removed[0]
    # Four items between kept text (a 163.com page: nav, title, nav, title) stay one by one.
    title = "meta.title"
    short = [nav("a"), nav("b"), nav("标题", title), nav("c"), nav("d"), nav("题", title)]
    removed = [line for line in lines_of(page(*short, kept(BODY))) if line.startswith("- ")]
    assert len(removed) == 4


def test_kept_paragraphs_are_whole_and_separated_by_a_blank_line() -> None:
    second = "第二段。" * 40
    lines = lines_of(page(kept(BODY), kept(second)), width=60)
    text = "".join(line[2:].strip() for line in lines[lines.index("") + 3 :])
    assert BODY + second in text
    assert "" in lines[lines.index("") + 3 :]


@pytest.mark.parametrize("width", [40, 80, 120])
def test_no_wrapped_line_of_chinese_starts_with_closing_punctuation(width: int) -> None:
    text = "据了解，近年来，青岛生物科技创新园先后获评工信部国家小微企业创业创新示范基地、" * 8
    spans = line_spans(text, width - 2)
    assert len(spans) > 2
    assert all(text[start] not in NO_LINE_START for start, _ in spans)
    assert "".join(text[start:end] for start, end in spans) == text


def test_numbers_and_latin_words_are_not_cut() -> None:
    text = "龙湖实现合约销售金额1056.2亿元，同比增长8.8%；营业额385.7亿元" * 3
    pieces = [text[start:end] for start, end in line_spans(text, 21)]
    assert all(not piece[:1].isdigit() or not prior[-1:].isdigit()
               for prior, piece in zip(pieces, pieces[1:], strict=False))  # fmt: skip


@given(st.text(alphabet="青岛港，。、“”（）ab 12\n", max_size=200), st.integers(1, 30))
def test_wrapping_keeps_every_character_and_fits_the_width(text: str, width: int) -> None:
    spans = line_spans(text, width)
    # The lines cover the text in order; only the newlines fall between them.
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert start == end or (start == end + 1 and text[end] == "\n")
    for line in (text[start:end] for start, end in spans):
        # A line may overrun only by white space it hangs, or by one wide character on a
        # line narrower than it.
        assert cell_len(line.rstrip()) <= max(width, 2)


REAL_PAGES = [
    (PAGES / "163-1.html.gz", "a 163.com article: 819 blocks, 31 kept"),
    (PAGES / "sina-3.html.gz", "a sina finance article: 389 blocks, 118 kept"),
    (ROOT / "seeds" / "002_1de24dbb6a6a9ccd.txt", "seed 002: one article, spam"),
    (ROOT / "seeds" / "003_7c0e3b62e9f8622c.txt", "seed 003: five articles in columns"),
]


@pytest.mark.parametrize("path", [p for p, _ in REAL_PAGES], ids=[w for _, w in REAL_PAGES])
def test_real_pages_review_at_120_columns_with_kept_text_whole_and_chrome_folded(
    path: Path,
) -> None:
    figures = measure(page_view(path, Config()), 120)
    assert figures["kept_whole"]
    assert figures["other"] <= TARGET_OTHER_LINES, figures
    assert figures["closer_starts"] == 0
