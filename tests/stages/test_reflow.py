"""Reflow stage: hard-wrapped column text becomes paragraphs; everything else is untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.config import Config
from cleaner.document import Document
from cleaner.stages import decode, extract, reflow
from cleaner.stages.reflow import ReflowConfig, is_column_layout, join_wrapped, physical_lines

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SEED_003 = SEEDS / "003_7c0e3b62e9f8622c.txt"


def extracted(raw: bytes, media_type: str = "text") -> Document:
    document = Document("test", raw=raw, media_type=media_type)
    for stage in (decode, extract):
        document = stage.apply(document, Config())
    return document


def reflowed(raw: bytes, media_type: str = "text") -> Document:
    return reflow.apply(extracted(raw, media_type), Config())


def non_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- seed 003


@pytest.fixture(scope="module")
def seed_003() -> Document:
    return reflowed(SEED_003.read_bytes())


def test_seed_003_words_broken_across_lines_are_whole_again(seed_003: Document) -> None:
    texts = [block.text for block in seed_003.blocks]
    assert any("高端医疗器械" in text for text in texts)
    assert any("太原中北高新区党工委" in text for text in texts)
    # "医疗器\n\n械" stayed a block ending in 器 before the reflow.
    assert not any(text.endswith("医疗器") for text in texts)


def test_seed_003_keeps_every_character(seed_003: Document) -> None:
    assert non_space("".join(b.text for b in seed_003.blocks)) == non_space(SEED_003.read_text())


def test_seed_003_headlines_and_paragraphs_stay_apart(seed_003: Document) -> None:
    texts = [block.text for block in seed_003.blocks]
    assert "太原中北高新区:" in texts
    assert "硬举措提升营商环境“软实力”" in texts
    assert "安阳光电智能制造产业园项目开工" in texts
    assert "◎陈 科" in texts
    # The pull quote ends in 。 and the first article starts on an indented line.
    assert texts[0].endswith("增速28%。")
    assert texts[1].startswith("5月12日，科技日报记者走进太原中北高新区")
    assert 50 < len(texts) < 80  # 297 printed lines


def test_seed_003_is_marked_as_a_column_layout(seed_003: Document) -> None:
    assert seed_003.metadata["reflow"] == "columns: 297 lines -> 64 paragraphs"


@pytest.mark.parametrize("seed", ["000", "001", "002", "004"])
def test_normal_seeds_are_left_as_they_are(seed: str) -> None:
    raw = next(SEEDS.glob(f"{seed}_*")).read_bytes()
    before = extracted(raw)
    after = reflow.apply(extracted(raw), Config())
    assert [block.text for block in after.blocks] == [block.text for block in before.blocks]
    assert "reflow" not in after.metadata


def test_html_is_left_as_it_is() -> None:
    lines = "".join(f"<p>短行{i}没有标点</p>\n" for i in range(30))
    document = reflowed(f"<html><body>{lines}</body></html>".encode(), "html")
    assert len(document.blocks) == 30


def test_can_be_switched_off() -> None:
    config = Config(reflow=ReflowConfig(enabled=False))
    document = reflow.apply(extracted(SEED_003.read_bytes()), config)
    assert len(document.blocks) > 250


# ---------------------------------------------------------------- joining lines


@pytest.mark.parametrize(
    ("head", "tail", "joined", "why"),
    [
        ("高端医疗器", "械、康复医疗", "高端医疗器械、康复医疗", "CJK: no space"),
        ("营收规模已突破 80亿", "元，增速", "营收规模已突破 80亿元，增速", "CJK after digits"),
        ("a fine exam-", "ple of it", "a fine example of it", "Latin word broken"),
        ("the well-", "Known", "the well- Known", "capital after hyphen: a real hyphen"),
        ("two", "words", "two words", "Latin: a space"),
        ("“中国康湾”", "◎陈 科", "“中国康湾”◎陈 科", "quotes are CJK punctuation"),
    ],
)
def test_join_wrapped(head: str, tail: str, joined: str, why: str) -> None:
    assert join_wrapped(head, tail) == joined, why


def column(paragraphs: list[str], width: int) -> bytes:
    """Lay paragraphs out as seed 003 does: every line of `width` characters on its own,
    a blank line after each."""
    lines = []
    for paragraph in paragraphs:
        lines += [paragraph[i : i + width] for i in range(0, len(paragraph), width)]
    return "\n\n".join(lines).encode()


BODY = [
    "近年来，青岛高新区以龙头企业为引领，以专业化园区为依托，密集出台政策",
    "眼下，位于青岛高新区的红岛汇科技金融中心，生物制药企业的标牌已高高挂起，其区域总部将在这里落户。",
    "前不久，青岛高新区与企业就系列合作项目签约，这是继双方达成战略合作意向后的首次具体项目落地。",
]


def test_a_sentence_end_or_a_short_last_line_ends_a_paragraph() -> None:
    document = reflowed(column(BODY, 16))
    assert [block.text for block in document.blocks] == BODY


def test_a_headline_line_is_not_glued_to_the_next_article() -> None:
    text = (
        column(BODY[:2], 16)
        + "\n\n青岛高新区：\n\n建圈强链 打造康湾\n\n".encode()
        + column(BODY[2:], 16)
    )
    texts = [block.text for block in reflowed(text).blocks]
    assert texts[2:4] == ["青岛高新区：", "建圈强链 打造康湾"]
    assert texts[4] == BODY[2]


def test_hyphenated_english_column_is_rejoined() -> None:
    lines = [
        "The council approved the new budget on Monday after a",
        "long debate about the cost of the proposed infra-",
        "structure works along the northern waterfront, which",
        "opponents said would raise local taxes for years to",
        "come, and about whether residents had been consulted",
        "at all before the plans were drawn up.",
        "The mayor said she would publish the full figures for",
        "every section of the works before the end of the year.",
    ]
    document = reflowed("\n\n".join(lines).encode())
    texts = [block.text for block in document.blocks]
    assert len(texts) == 2
    assert texts[0].startswith("The council approved")
    assert "proposed infrastructure works" in texts[0]
    assert texts[0].endswith("were drawn up.")


def test_prose_with_one_paragraph_per_line_is_not_a_column() -> None:
    text = "\n\n".join(BODY * 4)
    assert not is_column_layout(physical_lines(text), ReflowConfig())


def test_a_few_short_lines_are_not_a_column() -> None:
    assert not is_column_layout(physical_lines("一行\n\n二行\n\n三行"), ReflowConfig())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="中国高新区产业园建设发展，。、“”ab 12", min_size=1, max_size=80),
        min_size=1,
        max_size=30,
    ),
    st.integers(min_value=6, max_value=30),
)
def test_reflow_never_loses_or_adds_a_character(paragraphs: list[str], width: int) -> None:
    raw = column(paragraphs, width)
    document = reflowed(raw)
    assert non_space("".join(block.text for block in document.blocks)) == non_space(raw.decode())
