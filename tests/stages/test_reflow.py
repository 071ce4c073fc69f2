"""Reflow stage: hard-wrapped column text becomes paragraphs; everything else is untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cleaner.config import Config
from cleaner.document import HEADING, PARAGRAPH, Block, Document
from cleaner.pipeline import process_document
from cleaner.rules.joins import CONTINUATION_RULES, KEEP_APART_RULES, breaks_off_mid_sentence
from cleaner.stages import decode, extract, reflow
from cleaner.stages.reflow import (
    ReflowConfig,
    is_column_layout,
    join_wrapped,
    joining_rule,
    keep_apart_rule,
    physical_lines,
    reflow_paragraphs,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SEED_003 = SEEDS / "003_7c0e3b62e9f8622c.txt"


def extracted(raw: bytes, media_type: str = "text") -> Document:
    document = Document("test", raw=raw, media_type=media_type)
    for stage in (decode, extract):
        document = stage.apply(document, Config().settings_of(stage.NAME))
    return document


def reflowed(raw: bytes, media_type: str = "text") -> Document:
    return reflow.apply(extracted(raw, media_type), Config().reflow)


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


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_normal_seeds_are_left_as_they_are(seed: str) -> None:
    raw = next(SEEDS.glob(f"{seed}_*")).read_bytes()
    before = extracted(raw)
    after = reflow.apply(extracted(raw), Config().reflow)
    assert [block.text for block in after.blocks] == [block.text for block in before.blocks]
    assert "reflow" not in after.metadata


def test_html_is_left_as_it_is() -> None:
    lines = "".join(f"<p>短行{i}没有标点</p>\n" for i in range(30))
    document = reflowed(f"<html><body>{lines}</body></html>".encode(), "html")
    assert len(document.blocks) == 30


def test_can_be_switched_off() -> None:
    config = Config(reflow=ReflowConfig(enabled=False))
    document = reflow.apply(extracted(SEED_003.read_bytes()), config.reflow)
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


def test_a_dashed_line_under_a_headline_stands_alone_as_its_subtitle() -> None:
    # Lines printed one under another, paragraphs apart by a blank line (not seed 003's
    # blank after every line): the subtitle and the dateline under the headline still
    # end the line before them.
    def lines(paragraphs: list[str]) -> str:
        return "\n".join(p[i : i + 16] for p in paragraphs for i in range(0, len(p), 16))

    subtitle = "——风险低、买得更踏实"
    text = (
        f"{lines(BODY[:2])}\n\n拿出10万元投资房产\n{subtitle}\n本报昆明4月2日电　{lines(BODY[2:])}"
    )
    texts = [block.text for block in reflowed(text.encode()).blocks]
    assert texts[texts.index(subtitle) - 1] == "拿出10万元投资房产"
    assert texts[texts.index(subtitle) + 1].startswith("本报昆明4月2日电")


def test_a_headline_wider_than_its_column_stands_alone() -> None:
    # Printed whole over a 16-unit column: an 18-unit kicker over a 20-unit headline
    # that holds a "、" (so the dash rule alone does not part it from its subtitle). A
    # wrap never continues a line wider than its column.
    def lines(paragraphs: list[str]) -> str:
        return "\n".join(p[i : i + 16] for p in paragraphs for i in range(0, len(p), 16))

    head = [
        "以专业化园区为依托的龙头企业引领发展",
        "17种产品、1个园区入选国家绿色制造名单",
        "——我省将持续优化政策环境",
    ]
    text = f"{lines(BODY[:2])}\n\n{chr(10).join(head)}\n本报昆明4月2日电　{lines(BODY[2:])}"
    texts = [block.text for block in reflowed(text.encode()).blocks]
    assert texts[2:5] == head
    assert texts[:2] == BODY[:2]  # the column's own lines are joined


def _column_lines(paragraphs: list[str], width: int = 16) -> str:
    return "\n".join(p[i : i + width] for p in paragraphs for i in range(0, len(p), width))


@pytest.mark.parametrize(
    ("head", "why"),
    [
        (
            ["龙头企业引领产业发展", "青岛高新区建圈强链"],
            "a 10-unit kicker stops short of the column",
        ),
        (
            ["以专业化园区为依托的龙头", "青岛高新区生物医药产业营收突破八十亿元"],
            "a headline set across the column, wider than it, continues no line",
        ),
    ],
)
def test_head_lines_that_no_wrap_made_stand_alone(head: list[str], why: str) -> None:
    # Lines without blank lines between them over a 16-unit column: a wrap cuts an
    # ideograph line at any character, so a line stopping short of the edge, or one
    # wider than the column, was set whole.
    text = f"{_column_lines(BODY[:2])}\n\n{chr(10).join(head)}\n{_column_lines(BODY[2:])}"
    texts = [block.text for block in reflowed(text.encode()).blocks]
    assert texts[2:4] == head, why
    assert texts[:2] == BODY[:2] and texts[4] == BODY[2]


def test_a_headline_wrapped_at_the_column_stays_one_line() -> None:
    headline = "青岛高新区生物医药产业营收突破八十亿元大关"
    text = f"{_column_lines(BODY[:2])}\n\n{_column_lines([headline])}\n{_column_lines(BODY[2:])}"
    texts = [block.text for block in reflowed(text.encode()).blocks]
    assert texts[2] == headline


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


def test_a_head_at_the_top_of_a_spaced_page_stops_short_of_the_column_under_it() -> None:
    # A kicker (10 units) and a headline (9) over a 16-unit column, a blank after every
    # line: no line above tells their column, the lines under them do, and a wrap would
    # have filled it.
    head = ["龙头企业引领产业发展", "青岛高新区建圈强链"]
    text = "\n\n".join(head).encode() + b"\n\n" + column(BODY, 16)
    texts = [block.text for block in reflowed(text).blocks]
    assert texts == [*head, *BODY]


def test_a_headline_set_across_a_spaced_column_is_a_line_of_its_own() -> None:
    # A blank after every line (seed 003's way): a headline printed whole, twice as wide
    # as the 26-character column, ends the paragraph above it and starts none of the body.
    before = [
        "A rep for Braun did not",
        "immediately respond to the",
        "paper's request for comment",
        "on the statement that was",
        "issued late on Monday.",
    ]
    headline = "Council approves the new waterfront budget after a long debate"
    after = [
        "The council approved the",
        "new budget on Monday after",
        "a long debate about the",
        "cost of the works along the",
        "northern waterfront.",
    ]
    text = "\n\n".join([*before, headline, *after])
    texts = [block.text for block in reflowed(text.encode()).blocks]
    assert texts == [" ".join(before), headline, " ".join(after)]


def test_a_captions_credit_ends_it_over_a_headline() -> None:
    # A blank after every line, a 41-character column: the caption's line ending on its
    # credit leaves no room for the headline's first word, but a credit closes its
    # caption, and the headline under it is no wrap of it.
    before = [
        "routinely discriminated against people",
        "of color, and on and on and on. I mean,",
        "there really should be a mission to take",
        "customers away from these companies. At",
        "minimum, it is smart to capitalize on it.",
    ]
    caption = "and on and on and on. Photo: Jane Smith"
    head = ["Expert how-to for English Riders", "By Ruth Adams"]
    after = [
        "VISIT the Pennsylvania National Horse",
        "Show, Oct. 11-21, in Harrisburg, PA. The",
        "historic show features the Grand Prix de",
        "Penn National, the Dover Saddlery USEF.",
    ]
    text = "\n\n".join([*before, caption, *head, *after])
    texts = [block.text for block in reflowed(text.encode()).blocks]
    closing = next(index for index, text in enumerate(texts) if text.endswith(caption))
    assert texts[closing + 1] == head[0]


def test_prose_with_one_paragraph_per_line_is_not_a_column() -> None:
    text = "\n\n".join(BODY * 4)
    assert not is_column_layout(physical_lines(text), ReflowConfig())


def test_a_table_copied_out_with_tabs_is_not_a_column() -> None:
    rows = [("原文名", "김종국"), ("国籍", "韩国"), ("职业", "歌手"), ("语言", "韩语、英语")] * 3
    column = [f"{label}的资料由本报记者整理" for label, _ in rows]
    assert is_column_layout(physical_lines("\n".join(column)), ReflowConfig())
    table = [f"{label}\t{value}" for label, value in rows]
    assert not is_column_layout(physical_lines("\n".join(column + table)), ReflowConfig())


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
    assume(raw.strip())  # a blank page is decode's `empty` error, not reflow's business
    document = reflowed(raw)
    assert non_space("".join(block.text for block in document.blocks)) == non_space(raw.decode())


# ---------------------------------------------------------------- paragraphs broken mid-word

SEED_004 = SEEDS / "004_05f8b70f58b3f3c5.txt"
NO_JOINS = Config(reflow=ReflowConfig(join_broken_paragraphs=False))


def article_texts(raw: bytes, config: Config) -> list[str]:
    """Kept text of each article after the whole pipeline."""
    document = process_document(Document("test", raw=raw), config)
    assert isinstance(document, Document)
    return [
        "\n\n".join(block.text for block in document.kept_blocks(part))
        for part in range(document.article_count)
    ]


@pytest.fixture(scope="module")
def seed_004() -> Document:
    return reflowed(SEED_004.read_bytes())


def test_seed_004_words_broken_across_paragraphs_are_whole_again() -> None:
    articles = article_texts(SEED_004.read_bytes(), Config())
    assert any("资本投入大的问题,青岛高新区" in text for text in articles)
    assert any("吸入气雾剂包装生产线" in text for text in articles)
    assert any("坚定不移推进教育优先" in text for text in articles)
    # Without the joins the words stay broken: the test above can fail.
    unjoined = article_texts(SEED_004.read_bytes(), NO_JOINS)
    assert not any("资本投入大的问题" in text for text in unjoined)


def test_seed_004_only_the_broken_pairs_change(seed_004: Document) -> None:
    before = [block.text for block in extracted(SEED_004.read_bytes()).blocks]
    after = [block.text for block in seed_004.blocks]
    assert len(after) == len(before) - 3
    glued = {first + second for first, second in zip(before, before[1:], strict=False)}
    assert all(text in before or text in glued for text in after)
    # Headings, the byline 肖玲玲, the caption with 周舟/摄 and the ads stay apart.
    for alone in ("肖玲玲", "精准孵化助企快速成长", "广告", "宜春丰城 国家高新技术产业开发区"):
        assert alone in after
    assert any(text.endswith("周舟/摄") for text in after)
    assert non_space("".join(after)) == non_space("".join(before))


def test_seed_004_joins_are_recorded(seed_004: Document) -> None:
    note = seed_004.metadata["reflow"]
    assert note.startswith("paragraphs: 3 joined")
    assert "问|题" in note and "reflow.join.cjk_clause_rest" in note
    # The split stage reads a note starting with "columns" as a printed page.
    assert not note.startswith("columns")


@pytest.mark.parametrize("seed", ["000", "001", "002", "003"])
def test_other_seeds_keep_the_same_text(seed: str) -> None:
    raw = next(SEEDS.glob(f"{seed}_*")).read_bytes()
    assert article_texts(raw, Config()) == article_texts(raw, NO_JOINS)


def test_joins_can_be_switched_off() -> None:
    document = reflow.apply(extracted(SEED_004.read_bytes()), NO_JOINS.reflow)
    assert any(block.text.endswith("资本投入大的问") for block in document.blocks)
    assert "reflow" not in document.metadata


@pytest.mark.parametrize("rule", CONTINUATION_RULES, ids=lambda rule: rule.id)
def test_continuation_rule_example_joins(rule) -> None:
    ((first, second),) = rule.fires_on
    assert joining_rule(Block(first), Block(second), ReflowConfig()) is rule


@pytest.mark.parametrize("rule", KEEP_APART_RULES, ids=lambda rule: rule.id)
def test_keep_apart_rule_example_stays_apart(rule) -> None:
    ((first, second),) = rule.fires_on
    settings = ReflowConfig()
    assert keep_apart_rule(first, second, settings) is rule
    assert joining_rule(Block(first), Block(second), settings) is None
    # The veto is what keeps them apart: the pair has a continuation shape.
    assert breaks_off_mid_sentence(first, settings)
    assert any(other.predicate(first, second, settings) for other in CONTINUATION_RULES)


LONG_FRAGMENT = (
    "专业园区加速集聚优质项目的背后,是产业生态和营商环境的不断完善,持续加码的跨国企业"
    "再次追加投资,以增加生产能力和建设一条新的自动化"
)


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        (
            "针对医疗设备领域准入门槛高、资金投入大的难",
            "题,高新区积极拓展融资渠道。",
            "针对医疗设备领域准入门槛高、资金投入大的难题,高新区积极拓展融资渠道。",
        ),
        (
            LONG_FRAGMENT,
            "包装生产线,进一步扩大产能。",
            LONG_FRAGMENT + "包装生产线,进一步扩大产能。",
        ),
        (
            "The council approved the new budget on Monday after a long debate about the",
            "cost of the works.",
            "The council approved the new budget on Monday after a long debate about the "
            "cost of the works.",
        ),
        (
            "人生如戏。一夜之间",
            "，它可以让人成为富翁。",
            "人生如戏。一夜之间，它可以让人成为富翁。",
        ),
        ("但记者看到的山庄，", "不过是几间平房。", "但记者看到的山庄，不过是几间平房。"),
        (
            "The pollutants were carried north by strong surface winds,",
            "the agency said in its report.",
            "The pollutants were carried north by strong surface winds, the agency said in its "
            "report.",
        ),
        (
            "The council approved the budget after a long debate about the proposed infra-",
            "structure works.",
            "The council approved the budget after a long debate about the proposed "
            "infrastructure works.",
        ),
    ],
)
def test_broken_pairs_are_joined(first: str, second: str, joined: str) -> None:
    # Each pair is joined by the rules, and the joined text is exactly the two texts put
    # together (no character lost, none added but a space between Latin words).
    document = Document("test", media_type="markdown", blocks=[Block(first), Block(second)])
    document = reflow.join_broken_paragraphs(document, ReflowConfig())
    assert [block.text for block in document.blocks] == [joined]


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        ("精准孵化助企快速成长", "题,青岛高新区积极为企业拓展融资渠道。", "a heading: short"),
        ("肖玲玲", "题,青岛高新区积极为企业拓展融资渠道。", "a byline"),
        (LONG_FRAGMENT, "周舟/摄", "a photo credit has no clause mark"),
        (LONG_FRAGMENT, "图为,生产线一角。", "a caption"),
        (
            "项目详情和全部申报材料请登录高新区管委会网站查看,网址为 www.example.cn/news",
            "题,青岛高新区积极为企业拓展融资渠道。",
            "ends with a URL",
        ),
        (LONG_FRAGMENT + "2024", "年,高新区共谋划157个项目。", "ends with a number"),
        (
            LONG_FRAGMENT,
            "目前,青岛高新区已集聚企业近600家。",
            "a new sentence after a lost full stop",
        ),
        (LONG_FRAGMENT, "高新区管委会主任在会上表示,将继续打造双创高地。", "a long opening clause"),
        (
            "市政府原标题：春季学期开学,织密返校疫情防控网",
            "江苏多地日前发布通知,部署返校工作。",
            "a headline-wide block with a new paragraph's opening clause",
        ),
        (LONG_FRAGMENT, "本报讯 1月2日,宝鸡高新区重点项目集中开工。", "a byline opening"),
        (LONG_FRAGMENT + "。", "题,青岛高新区积极为企业拓展融资渠道。", "ends a sentence"),
        (
            "The council approved the new budget on Monday after a long debate about it",
            "The mayor said she would publish the figures.",
            "English: a capital opens a sentence",
        ),
        (
            "Economy In Stress And Markets On A High For The Whole Year",
            "as investors weigh the figures.",
            "English: a Title Case headline",
        ),
        (
            "The council approved the new budget on Monday after a long debate about the",
            "iPhone sales figures released this week.",
            "English: a brand name is no lowercase word",
        ),
        ("高新区今年的重点工作包括，", "第二部分 产业园区", "a heading after a stray comma"),
        (LONG_FRAGMENT + "。", "，它可以让一个普通人成为百万富翁。", "a finished sentence"),
    ],
)
def test_real_paragraph_pairs_stay_apart(first: str, second: str, why: str) -> None:
    document = Document("test", media_type="markdown", blocks=[Block(first), Block(second)])
    document = reflow.join_broken_paragraphs(document, ReflowConfig())
    assert [block.text for block in document.blocks] == [first, second], why
    assert "reflow" not in document.metadata


def test_only_kept_paragraph_blocks_are_joined() -> None:
    settings = ReflowConfig()
    second = Block("题,青岛高新区积极为企业拓展融资渠道。")
    assert joining_rule(Block(LONG_FRAGMENT, kind=HEADING), second, settings) is None
    removed = Block(LONG_FRAGMENT).with_removal("boilerplate.test", "test")
    assert joining_rule(removed, second, settings) is None
    assert joining_rule(Block(LONG_FRAGMENT, kind=PARAGRAPH), second, settings) is not None


def test_a_paragraph_broken_twice_is_joined_whole() -> None:
    pieces = [LONG_FRAGMENT, "包装生产线,进一步扩大产能,并新建一座智能", "仓库。"]
    raw = ("## 标题\n\n" + "\n\n".join(pieces) + "\n").encode()
    texts = [block.text for block in reflowed(raw, "markdown").blocks]
    assert texts == ["标题", "".join(pieces)]


def test_markdown_digest_heading_is_not_glued() -> None:
    raw = f"## 高新区产业园区赋能项目集聚\n\n{LONG_FRAGMENT}\n\n包装生产线,进一步扩大产能。\n"
    texts = [block.text for block in reflowed(raw.encode(), "markdown").blocks]
    assert texts == ["高新区产业园区赋能项目集聚", LONG_FRAGMENT + "包装生产线,进一步扩大产能。"]


def test_html_paragraphs_are_not_joined() -> None:
    html = f"<html><body><p>{LONG_FRAGMENT}</p><p>包装生产线,进一步扩大产能。</p></body></html>"
    document = reflowed(html.encode(), "html")
    assert len([block for block in document.blocks if block.kind == PARAGRAPH]) == 2


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        # Blank pages are an `empty` error of the decode stage, not reflow's business.
        st.text(
            alphabet="中国高新区产业园建设发展，,。、“”ab cD-12", min_size=1, max_size=60
        ).filter(str.strip),
        min_size=1,
        max_size=12,
    )
)
def test_joining_never_loses_or_adds_a_character(paragraphs: list[str]) -> None:
    raw = "\n\n".join(paragraphs).encode()
    before = extracted(raw, "markdown")
    after = reflow.join_broken_paragraphs(extracted(raw, "markdown"), ReflowConfig())
    assert non_space("".join(b.text for b in after.blocks)) == non_space(
        "".join(b.text for b in before.blocks)
    )


def test_reflowed_paragraphs_know_their_first_line() -> None:
    # The stitcher's article starts are line positions: each paragraph says where it
    # starts, so the first paragraph of a stitched article can stand after a blank.
    lines = physical_lines(
        "第一段的第一行文字\n第一段的第二行。\n\n第二段的第一行文字\n第二段完。\n"
    )
    assert [first for first, _ in reflow_paragraphs(lines, 0.75)] == [0, 2]
