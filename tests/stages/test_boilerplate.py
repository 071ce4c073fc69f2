"""Boilerplate stage: every rule's example fires, body text that looks similar survives,
and the seeds lose exactly their chrome."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.config import Config
from cleaner.document import Block, Document
from cleaner.pipeline import process_document
from cleaner.rules.boilerplate import LINE_RULES
from cleaner.stages import boilerplate
from cleaner.stages.boilerplate import matching_rule

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


# Each rule's own examples run in tests/rules/test_rule_tables.py.


@pytest.mark.parametrize("rule", LINE_RULES, ids=lambda rule: rule.id)
def test_every_line_rule_example_is_removed_by_the_stage(rule):
    (example,) = rule.fires_on
    assert matching_rule(example) is not None


# Real-looking body text that mentions what the rules look for. None may be removed.
BODY_TEXT = [
    "The court ruled that the copyright of the photograph belongs to the agency, not to "
    "the magazine that printed it without permission.",
    "Shares of the company fell 4% on Monday after the report, and analysts said the "
    "outlook for the rest of the year remained uncertain.",
    "Back to Taylor! It's her music, so why can't she sing it?",
    "He went back to the office after lunch and found the letter on his desk.",
    "Related reporting by the Associated Press showed the same pattern in three states.",
    "据了解,该平台的评论功能将于下月上线,用户可以对每篇文章发表评论。",
    "版权保护是文化产业发展的基础,今年全市共查处侵权案件120起。",
    "返回家乡创业的大学生越来越多,当地政府为他们提供了场地和资金支持。",
    "分享经济在青岛发展迅速,共享单车、共享充电宝已经进入各个社区。",
    "相关部门表示,将进一步加大对违法违规行为的查处力度。",
    "“双园”揭牌 打造产业发展新引擎",
    "12个项目集中签约 助推“双园”建设",
    "Sign up for a Hulu ad-free account for $11.99 a month",
    "他下载了这款APP后发现个人信息被泄露,随即向警方报案并提交了相关证据。",
    "收藏家张先生表示,这件瓷器是他二十年前在北京潘家园购得的。",
    "打印机市场今年增长了百分之十,主要受益于居家办公需求。",
    "排行榜前三名的企业都来自青岛高新区,其中两家是生物医药企业。",
    "Source: officials said the talks would resume next week in Geneva, Switzerland.",
]


@pytest.mark.parametrize("text", BODY_TEXT)
def test_body_text_is_not_matched(text):
    assert matching_rule(text) is None


# Comment-section prompts in English as l3s-gn1 pages of four sites print them, and body
# sentences with the same words.
@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("Share this article What is this?", "boilerplate.share-prompt"),
        ("Share this story!", "boilerplate.share-prompt"),
        ("Send this article to Friends by E-Mail", "boilerplate.share-prompt"),
        ("Click photo to enlarge", "boilerplate.image-credit"),
        ("She will share this article with her class on Monday.", None),
        ("Click the photo to enlarge it and see the damage done by the storm.", None),
    ],
)
def test_share_and_enlarge_prompts(text, rule_id):
    rule = matching_rule(text)
    assert (rule.id if rule else None) == rule_id


@pytest.mark.parametrize(
    ("text", "is_chrome"),
    [
        ("There are currently no comments for this entry.", True),
        ("Thanks for your comments - this feedback is now closed", True),
        ("Comments are closed.", True),
        ("HAVE YOUR SAY", True),
        ("To have your say on this or any other issue visit our blogs", True),
        ("No comment was made by the police, who said the inquiry was still open.", False),
        ("The consultation is closed, and residents had their say in March.", False),
    ],
)
def test_english_comment_prompts(text, is_chrome):
    rule = matching_rule(text)
    assert (rule is not None and rule.id == "boilerplate.comment-chrome") is is_chrome


def _run(blocks: list[Block], metadata: dict[str, str] | None = None) -> Document:
    document = Document("test", blocks=blocks, metadata=metadata or {})
    return boilerplate.apply(document, Config().boilerplate)


def test_related_heading_takes_its_teasers_and_stops_at_prose():
    body = "The council voted on Tuesday to fund the new library, ending a two-year debate."
    document = _run(
        [
            Block(body),
            Block("相关文章"),
            Block("8月生物医药产业选址报告:精选3个意向选址项目推介"),
            Block(
                "火石创造旗下平台融合运营,继续为生物医药企业提供优质选址服务。奥全生物完成近亿元..."
            ),
            Block("A long closing paragraph of the same story. " * 10),
        ]
    )
    rules = [block.removal.rule if block.removal else None for block in document.blocks]
    assert rules == [
        None,
        "boilerplate.related-heading",
        "boilerplate.related-heading.entry",
        "boilerplate.related-heading.entry",
        None,
    ]


def test_a_wire_copyright_line_stays_with_its_story_but_the_site_line_goes():
    body = "The council voted on Tuesday to fund the new library, ending a two-year debate."
    wire = "Copyright 2008 The Associated Press. All rights reserved."
    site = "Copyright 2008 Springfield News Media. All rights reserved."
    document = _run([Block(body), Block(wire), Block(site)])
    rules = [block.removal.rule if block.removal else None for block in document.blocks]
    assert rules == [None, None, "boilerplate.copyright"]


def test_short_lines_without_chrome_evidence_stay():
    lines = ["青岛高新区催创新“种子”竞相萌发", "精准孵化助企快速成长", "Why it matters"]
    document = _run([Block(line) for line in lines])
    assert all(block.kept for block in document.blocks)


def test_metadata_lines_become_metadata():
    document = _run(
        [
            Block("两大产业园同时挂牌"),
            Block("admin1年前 (2024-09-27)青岛产业信息134"),
            Block("正文第一段,内容很长。" * 5),
            Block("（文章来源：青岛财经网）"),
            Block("责任编辑：王晓明"),
        ]
    )
    rules = [block.removal.rule if block.removal else None for block in document.blocks]
    assert rules == ["meta.title", "meta.dateline", None, "meta.source-line", "meta.editor"]
    assert document.metadata == {
        "title": "两大产业园同时挂牌",
        "published": "2024-09-27",
        "source_name": "青岛财经网",
        "editor": "王晓明",
    }


def test_a_sentence_with_a_date_is_not_a_dateline():
    sentence = "On Nov. 19, 2019, the board approved the merger after a long review."
    document = _run([Block(sentence)])
    assert document.blocks[0].kept


def test_disabled_stage_changes_nothing():
    document = Document("test", blocks=[Block("相关文章")])
    config = Config(boilerplate=boilerplate.BoilerplateConfig(enabled=False))
    assert boilerplate.apply(document, config.boilerplate).blocks[0].kept


# ---------------------------------------------------------------- seeds


def _seed(prefix: str) -> Document:
    path = next(SEEDS.glob(f"{prefix}_*"))
    result = process_document(Document(path.name, raw=path.read_bytes()), Config())
    assert isinstance(result, Document)
    return result


def _kept_text(document: Document) -> str:
    return "\n\n".join(block.text for block in document.kept_blocks())


def test_seed_001_keeps_exactly_the_body():
    document = _seed("001")
    text = _kept_text(document)
    assert text.startswith("4月6日,青岛市生物医药")
    body_end = "全力打造具有国际影响力和国内竞争力的“中国康湾”。"
    assert body_end in text
    after_body = text[text.index(body_end) + len(body_end) :]
    assert after_body.strip() == ""
    removed = {block.removal.rule for block in document.blocks if block.removal}
    assert {"boilerplate.breadcrumb", "boilerplate.badge-text", "meta.dateline"} <= removed
    assert "boilerplate.related-heading" in removed
    assert document.metadata["published"] == "2024-09-27"
    assert document.metadata["title"].startswith("两大“千亩产业园”同时挂牌")


def test_seed_000_title_source_and_trailing_links():
    document = _seed("000")
    assert document.metadata["title"] == "海尔生物入选青岛市生物医药及医疗器械产业链链主企业"
    assert document.metadata["source_name"] == "青岛财经网"
    kept = document.kept_blocks()
    assert kept[0].text.startswith("为贯彻落实市第十三次党代会")
    assert kept[-1].text.endswith("贡献科技力量。")
    assert "打造高端医疗装备技术“长板”，入选首批“先进”名单" in _kept_text(document)
    removed_text = " ".join(block.text for block in document.blocks if not block.kept)
    assert "返回首页" in removed_text and "finews.zning.xyz" in removed_text


def test_seed_002_breadcrumb_comments_and_editor_go():
    document = _seed("002")
    text = _kept_text(document)
    for chrome in ["我的位置", "評論一下", "請輸入驗證碼", "責任編輯"]:
        assert chrome not in text
    assert "生物醫藥產業是山東省“十強產業”的重要組成部分" in text
    assert "栽下梧桐樹,引得鳳凰來。" in text
    assert document.metadata["editor"] == "崔現香"
    assert document.metadata["title"] == "青島市北崛起生物科技產業集群“高地”"
    assert "青島生物科技創新園" in text  # a subheading, not a title
    assert all(block.removal.rule for block in document.blocks if block.removal)


@pytest.mark.parametrize(
    "text",
    [
        *BODY_TEXT,
        "记者从市政府获悉,今年全市新增就业岗位三万个。",
        "By the numbers",
        "Editor's note: this story has been updated with comments from the mayor's office.",
        "来源于生活的艺术作品最能打动人心,展览将持续到下月底。",
    ],
)
def test_body_text_is_not_taken_for_metadata(text):
    block = Block(text)
    metadata: dict[str, str] = {}
    boilerplate.mark_metadata_line(block, metadata)
    assert block.kept and metadata == {}


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("By Justine Coleman - 11/18/19 11:04 PM EST", "meta.byline"),
        (
            "Reporting by Rodrigo Campos; additional reporting by Stephanie Kelly",
            "meta.credit-line",
        ),
        ("Keith Bradsher contributed reporting from Hong Kong.", "meta.credit-line"),
        ("Published Nov 18, 2019 at 4:07 PM | Updated at 5:36 PM CST", "meta.dateline"),
        ("本文来源：证券市场红周刊 责任编辑：杨倩", "meta.source-line"),
        ("（原标题：单项奖金100万美元，“中国诺贝尔奖”揭晓！）", "meta.original-title"),
    ],
)
def test_metadata_lines_anywhere_in_the_body(text, rule_id):
    body = "A paragraph of the story, long enough to be prose and not a line of chrome. " * 3
    document = _run([Block(body) for _ in range(10)] + [Block(text)])
    assert document.blocks[-1].removal.rule == rule_id
    assert all(block.kept for block in document.blocks[:-1])


@pytest.mark.parametrize(
    "text",
    [
        "By Monday, the council had approved the budget and sent it to the mayor.",
        "Updated figures show that unemployment fell in every region last quarter.",
        "Reporting by journalists in the region was restricted for most of the week.",
    ],
)
def test_sentences_shaped_like_metadata_stay(text):
    document = _run([Block(text)])
    assert document.blocks[0].kept


def test_a_short_line_printed_three_times_is_furniture_twice_is_not():
    body = "A paragraph of the story, long enough to be prose and not a line of chrome."
    texts = ["天气预报", body, "天气预报", "Headline repeated", body + " More.", "天气预报"]
    texts.append("Headline repeated")
    document = _run([Block(text) for text in texts])
    rules = [block.removal.rule if block.removal else None for block in document.blocks]
    furniture = "boilerplate.repeated-line"
    assert rules == [furniture, None, furniture, None, None, furniture, None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see [the report](https://example.com/r) today", "see the report today"),
        ("[a](x) and [b](y)", "a and b"),
        ("no link [here] (or there)", "no link [here] (or there)"),  # no "](": untouched
        ("[[[[ ](", "[[[[ ]("),  # a "](" without a closing bracket is no link
    ],
)
def test_without_markdown_links_keeps_the_link_text(text, expected):
    assert boilerplate.without_markdown_links(text) == expected
