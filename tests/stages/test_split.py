"""Split stage: several articles on one page get their own numbers, titles and authors;
a single article stays one, however many subheadings it has."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.bench.split import Predicted, Scores, score_page
from cleaner.config import Config
from cleaner.document import CAPTION, HEADING, Block, Document, Role
from cleaner.pipeline import process_document
from cleaner.rules import first_match
from cleaner.rules.layout import BYLINE_RULES, FURNITURE_RULES, OPENER_RULES
from cleaner.stages import boilerplate, decode, extract, reflow, split
from cleaner.stages.split import clean_byline, latin_lines_set_apart, topic_similarity

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
LABELLED = ROOT / "fixtures" / "split"


def run(raw: bytes, media_type: str = "text") -> Document:
    result = process_document(Document("test", raw=raw, media_type=media_type), Config())
    assert isinstance(result, Document), result
    return result


def seed(number: str) -> bytes:
    return next(SEEDS.glob(f"{number}_*")).read_bytes()


def article_text(document: Document, article: int) -> str:
    return "".join(block.text for block in document.kept_blocks(article))


# ---------------------------------------------------------------- rule tables


# Each rule's own examples run in tests/rules/test_rule_tables.py; more body text here.


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("2023年是关键的一年。", FURNITURE_RULES),
        ("青岛高新区不断集聚产业链上下游资源", FURNITURE_RULES),
        ("日前，山西省太原市尖草坪区召开大会", OPENER_RULES),
        ("近年来，泸州高新区坚持做好三个精准对接", OPENER_RULES),
        ("The council met on Monday - and argued.", OPENER_RULES),
        ("构建零碳产业链条", BYLINE_RULES),
        ("By the end of the year, prices rose.", BYLINE_RULES),
    ],
)
def test_body_text_matches_no_rule(text: str, rules) -> None:
    assert first_match(text, rules) is None


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("◎陈 科", "陈科"),
        ("By Jane Smith", "Jane Smith"),
        ("本报记者 王小明", "王小明"),
        ("实习记者孙越 通讯员胡育松 王孝宜", "实习记者孙越 通讯员胡育松 王孝宜"),
        ("本報記者 王小明", "王小明"),
    ],
)
def test_clean_byline(line: str, name: str) -> None:
    assert clean_byline(line) == name


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("本報訊 （記者王小明）5月12日，記者走進園區", OPENER_RULES),
        ("記者從市科技局獲悉", OPENER_RULES),
        ("本報記者 王小明", BYLINE_RULES),
    ],
)
def test_traditional_chinese_forms_match_too(text: str, rules) -> None:
    assert first_match(text, rules) is not None


def test_topic_similarity_tells_sections_from_other_articles() -> None:
    qinghai = "青海零碳产业园规划总面积约22平方公里，青海零碳产业园建设稳步推进。"
    qinghai_more = "青海零碳产业园首个绿电示范项目建成，为青海零碳产业园输送绿色电能。"
    luzhou = "泸州高新区以酒城人才聚集行动为抓手，深化产教融合，引育工匠人才。"
    assert topic_similarity(qinghai, qinghai_more) > topic_similarity(qinghai, luzhou)


# ---------------------------------------------------------------- seed 003


@pytest.fixture(scope="module")
def seed_003() -> Document:
    return run(seed("003"))


SEED_003_TITLES = [
    "太原中北高新区:硬举措提升营商环境“软实力”",
    "安阳光电智能制造产业园项目开工",
    "泸州高新区：深化产教融合，引育工匠人才",
    "青海零碳产业园：“减碳增绿”，走出高原发展新路",
    "青岛高新区：建圈强链，蓄力打造“中国康湾”",
]


def test_seed_003_holds_five_articles_with_their_headlines(seed_003: Document) -> None:
    assert [info.title for info in seed_003.articles] == SEED_003_TITLES
    for article, place in enumerate(["太原中北", "安阳光电", "泸州", "青海零碳", "青岛"]):
        assert place in article_text(seed_003, article)


def test_seed_003_articles_have_whole_words(seed_003: Document) -> None:
    assert "太原中北高新区党工委" in article_text(seed_003, 0)
    assert "高端医疗器械" in article_text(seed_003, 4)


def test_seed_003_headlines_printed_after_the_body_belong_to_their_article(
    seed_003: Document,
) -> None:
    headline = next(block for block in seed_003.blocks if block.text == "泸州高新区：")
    assert headline.article == 2
    assert headline.removal is not None and headline.removal.rule == "meta.title"
    assert "泸州高新区" in article_text(seed_003, 2)
    assert "泸州" not in article_text(seed_003, 3)


def test_seed_003_bylines_become_authors(seed_003: Document) -> None:
    assert seed_003.articles[4].author == "陈科"
    assert seed_003.articles[1].author == "实习记者孙越 通讯员胡育松 王孝宜"
    assert article_text(seed_003, 1).startswith("科技日报记者5 月 15 日获悉")
    rules = {block.text: block.removal.rule for block in seed_003.blocks if block.removal}
    assert rules["科技日报讯 （实习记者孙越 通讯员胡育松 王孝宜）"] == "meta.byline"
    assert rules["◎陈 科"] == "meta.byline"


def test_seed_003_pull_quote_is_removed_and_subheadings_stay(seed_003: Document) -> None:
    quote = seed_003.blocks[0]
    assert quote.text.startswith("聚焦创新药物") and quote.removal.rule == "split.pull-quote"
    assert quote.removal.detail.endswith("article 4 (青岛高新区：建圈强链，蓄力打造“中国康湾”)")
    subheading = next(block for block in seed_003.blocks if block.text == "构建零碳产业链条")
    assert subheading.kept and subheading.kind == HEADING and subheading.article == 3


def test_every_block_gets_an_article_in_reading_order(seed_003: Document) -> None:
    numbers = [block.article for block in seed_003.blocks]
    assert numbers == sorted(numbers)
    assert set(numbers) == set(range(5))


# ---------------------------------------------------------------- seed 004


def seed_004_with_ads_marked() -> Document:
    """Seed 004 as the split stage sees it once spam has marked the two ads."""
    document = Document("004", raw=seed("004"), media_type="text")
    for stage in (decode, extract, reflow, boilerplate):
        document = stage.apply(document, Config().settings_of(stage.NAME))
    ads = next(i for i, block in enumerate(document.blocks) if block.text == "广告")
    for block in document.blocks[ads:]:
        block.remove("spam.ad-block", "spam", "test: the ads at the end of seed 004")
    return split.apply(document, Config().split)


def test_seed_004_holds_two_articles() -> None:
    document = seed_004_with_ads_marked()
    assert [info.title for info in document.articles] == [
        "青岛高新区催创新“种子”竞相萌发",
        "宝鸡高新区16个重点项目集中开工",
    ]
    assert [info.author for info in document.articles] == ["肖玲玲", "席静"]
    assert article_text(document, 1).startswith("1月2日,宝鸡高新区")
    assert article_text(document, 1).endswith("聚力推进城市东进再提速。")


def test_seed_004_ads_sit_with_the_last_article_and_make_no_article() -> None:
    document = seed_004_with_ads_marked()
    ads = [block for block in document.blocks if block.removal and block.removal.stage == "spam"]
    assert ads and all(block.article == 1 for block in ads)
    assert "宜春丰城" not in article_text(document, 1)


def test_seed_004_caption_is_attached_to_the_article_it_is_printed_in() -> None:
    document = seed_004_with_ads_marked()
    caption = next(block for block in document.blocks if block.text.endswith("周舟/摄"))
    assert caption.kept and caption.kind == CAPTION and caption.article == 0


def test_seed_004_through_the_whole_pipeline() -> None:
    document = run(seed("004"))
    assert len(document.articles) == 2


def test_a_repeated_passage_in_a_single_article_is_not_a_pull_quote() -> None:
    sentence = "青海零碳产业园规划总面积约22平方公里，是青藏高原首座零碳产业园。"
    page = f"{sentence}\n\n{ONE_TOPIC}\n\n{sentence}{ONE_TOPIC}\n"
    document = run(page.encode())
    assert document.article_count == 1 and all(block.kept for block in document.blocks)


@pytest.mark.parametrize("number", ["000", "001", "002"])
def test_single_article_seeds_stay_single(number: str) -> None:
    document = run(seed(number))
    assert document.article_count == 1
    assert all(block.article == 0 for block in document.blocks)


# ---------------------------------------------------------------- must not split


ONE_TOPIC = (
    "青海零碳产业园规划总面积约22平方公里，是青藏高原首座零碳产业园。青海零碳产业园以绿电为"
    "能源基础，以绿锂、绿硅、绿氢为主导产业，青海零碳产业园将打造千亿级零碳产业集群。"
)


def test_a_markdown_article_with_subheadings_stays_one() -> None:
    page = f"# 青海零碳产业园建设提速\n\n{ONE_TOPIC}\n\n## 构建零碳产业链条\n\n{ONE_TOPIC}\n\n"
    page += f"## 探索低碳化发展路径\n\n{ONE_TOPIC}\n"
    assert run(page.encode(), "markdown").article_count == 1


def test_sections_on_one_subject_under_top_headings_stay_one() -> None:
    page = f"## 构建零碳产业链条\n\n{ONE_TOPIC}\n\n## 探索低碳化发展路径\n\n{ONE_TOPIC}\n"
    assert run(page.encode(), "markdown").article_count == 1


def test_html_with_subheadings_stays_one() -> None:
    body = "".join(f"<h2>第{i}部分</h2><p>{ONE_TOPIC}</p>" for i in range(4))
    page = f"<html><body><h1>青海零碳产业园</h1>{body}</body></html>"
    assert run(page.encode(), "html").article_count == 1


def test_a_digest_splits_under_its_page_title() -> None:
    other = "泸州高新区以酒城人才聚集行动为抓手，不断深化产教融合，全力打造智能制造工匠园区。" * 3
    page = f"# 高新区周刊\n\n## 青海零碳产业园\n\n{ONE_TOPIC * 2}\n\n## 泸州高新区\n\n{other}\n"
    document = run(page.encode(), "markdown")
    assert [info.title for info in document.articles] == ["青海零碳产业园", "泸州高新区"]
    assert document.blocks[0].removal.rule == "split.furniture.page-title"


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["◎陈 科", "高新区周刊 3", "青岛高新区：", "5月12日，记者走进园区。"]),
            st.text(alphabet="中国高新区产业园，。“” ab", min_size=1, max_size=120),
        ),
        max_size=25,
    )
)
def test_any_blocks_get_contiguous_article_numbers(texts: list[str]) -> None:
    document = Document("test", media_type="text", metadata={"reflow": "columns: test"})
    document.blocks = [Block(text) for text in texts]
    before = "".join(texts)
    split.apply(document, Config().split)
    numbers = [block.article for block in document.blocks]
    assert numbers == sorted(numbers)
    assert set(numbers) == (set(range(document.article_count)) if texts else set())
    assert re.sub(r"\s", "", "".join(b.text for b in document.blocks)) == re.sub(r"\s", "", before)


# ---------------------------------------------------------------- the labelled pages


def test_bench_scoring_counts_boundaries_titles_and_text() -> None:
    truth = {
        "layout": "columns-zh",
        "articles": [
            {"title": "甲：乙", "author": None, "text": "第一篇文章的正文内容在这里写得足够长。"},
            {"title": "丙", "author": "丁", "text": "第二篇文章的正文内容也在这里写得足够长。"},
        ],
    }
    scores = Scores()
    predicted = [
        Predicted("甲:乙", None, "第一篇文章的正文内容在这里写得足够长。"),
        Predicted("戊", "丁", "第二篇文章的正文内容也在这里写得足够长。"),
    ]
    score_page("page", truth, predicted, scores)
    assert (scores.right_starts, scores.found_starts, scores.text_matches) == (1, 1, 2)
    assert (scores.title_matches, scores.author_matches) == (1, 1)


# The figures the README claims for the labelled set (`python -m cleaner.bench.split
# fixtures/split ../shared/bench`), less a small margin for harmless changes.
README_BOUNDARY_PRECISION, README_BOUNDARY_RECALL, README_TITLES = 1.000, 0.989, 0.976
MARGIN = 0.02


def test_labelled_pages_are_split_as_the_readme_claims() -> None:
    truth = json.loads((LABELLED / "truth.json").read_text(encoding="utf-8"))
    scores = Scores()
    for name in sorted(truth):
        page = LABELLED / "pages" / name
        document = run(page.read_bytes(), "markdown" if name.endswith(".md") else "text")
        predicted = [
            Predicted(
                document.articles[part].title if document.articles else None,
                document.articles[part].author if document.articles else None,
                "\n\n".join(block.text for block in document.kept_blocks(part)),
            )
            for part in range(document.article_count)
        ]
        score_page(name, truth[name], predicted, scores)
    assert scores.pages == 36
    assert scores.right_starts / scores.predicted_starts >= README_BOUNDARY_PRECISION - MARGIN
    assert scores.found_starts / scores.true_starts >= README_BOUNDARY_RECALL - MARGIN
    assert scores.title_matches / scores.true_articles >= README_TITLES - MARGIN


COLUMN_BODY = [
    "The council approved the new budget on Monday after",
    "a long debate about the cost of the proposed works",
    "along the northern waterfront, which opponents said",
    "would raise local taxes for years to come, and about",
    "whether residents had been consulted before the plans",
    "were drawn up. The mayor said she would publish the",
]


def test_an_english_line_the_line_above_had_room_for_is_set_apart() -> None:
    # "as roads close" fits after "Storm hits the coast": no wrap put it on a line of its
    # own, it is the subtitle. "wild rabbit" does not fit after its full line.
    subtitled = ["Storm hits the coast", "as roads close across the region"]
    wrapped = ["Chinese hunter catches bubonic plague after eating", "wild rabbit"]
    page = "\n".join(
        [*COLUMN_BODY, "", *subtitled, "", *COLUMN_BODY, "", *wrapped, "", *COLUMN_BODY]
    )
    found = latin_lines_set_apart(page, {subtitled[1], wrapped[1]})
    assert found == {subtitled[1]}


def test_short_article_at_a_stitched_start_is_not_merged_away() -> None:
    """The stitcher followed a short article through the columns, so it stays its own;
    the same short article on a page the stitcher did not touch is still merged."""

    def page(stitched: bool) -> tuple[list[Block], split.Plan]:
        blocks = [
            Block("First headline", kind=HEADING, stitched_start=stitched),
            Block("A long body paragraph of the first article. " * 8),
            Block("Short headline", kind=HEADING, stitched_start=stitched),
            Block("Two short lines."),
        ]
        plan = split.Plan(starts=[0, 2], titles=[[0], [2]], bylines=[[], []])
        return blocks, plan

    blocks, plan = page(stitched=True)
    split.merge_short_articles(blocks, plan, min_chars=120)
    assert plan.starts == [0, 2]
    blocks, plan = page(stitched=False)
    split.merge_short_articles(blocks, plan, min_chars=120)
    assert plan.starts == [0]


BRIEF = "园区今年新增企业十家，产值增长一成，就业岗位增加数百个。" * 2


@pytest.mark.parametrize(
    ("head", "under_head", "body", "kept_apart"),
    [
        # A brief printing a report's head stays an article however short.
        (["短讯标题"], ["本报记者 王磊"], BRIEF, True),
        (["短讯标题", "——副标题在此"], [], BRIEF, True),
        (["短讯标题"], ["本报北京1月2日电　园区新增企业十家。"], BRIEF, True),
        # A headline over a short paragraph, no byline, subtitle or dateline: a teaser.
        (["短讯标题"], [], BRIEF, False),
        # A head with no text under it is a headline put on the wrong side of its text.
        (["短讯标题"], ["本报记者 王磊"], "", False),
    ],
)
def test_short_article_printing_a_report_head_is_not_merged_away(
    head: list[str], under_head: list[str], body: str, kept_apart: bool
) -> None:
    blocks = [
        Block("第一篇标题"),
        Block("第一篇文章的正文很长，讲述园区的发展和规划。" * 8),
        *(Block(text) for text in head),
        *(Block(text) for text in under_head),
        *([Block(body)] if body else []),
    ]
    second = 2 + len(head)
    bylines = [second] if under_head and under_head[0].startswith("本报记者") else []
    plan = split.Plan(starts=[0, 2], titles=[[0], list(range(2, second))], bylines=[[], bylines])
    split.merge_short_articles(blocks, plan, min_chars=120)
    assert (plan.starts == [0, 2]) is kept_apart


LONG_BODY = "第一篇文章的正文很长，讲述园区的发展和规划。" * 8
# Twice this (84 characters) is short by count (under 120) and a report by the room it
# takes (168); once (84 by room) is too little either way.
CJK_BRIEF = "园区今年新增企业十家，产值增长一成，就业岗位增加数百个，税收同比增长两成，均创新高。"
LATIN_BRIEF = "The park added ten firms this year; output grew."


@pytest.mark.parametrize(
    ("before", "brief", "kept_apart"),
    [
        # A Chinese brief beside a full article is an article: its 84 characters say
        # as much as an English paragraph twice as long.
        (LONG_BODY, CJK_BRIEF * 2, True),
        # The same brief beside another short part: one text in short sections.
        (CJK_BRIEF, CJK_BRIEF * 2, False),
        # An English text as long (96 characters) is a teaser.
        (LONG_BODY, LATIN_BRIEF * 2, False),
        # Half the Chinese brief is still too little.
        (LONG_BODY, CJK_BRIEF, False),
    ],
)
def test_short_article_counts_its_text_by_the_room_it_takes(
    before: str, brief: str, kept_apart: bool
) -> None:
    blocks = [Block("第一篇标题"), Block(before), Block("短讯标题"), Block(brief)]
    plan = split.Plan(starts=[0, 2], titles=[[0], [2]], bylines=[[], []])
    split.merge_short_articles(blocks, plan, min_chars=120)
    assert (plan.starts == [0, 2]) is kept_apart


def _chunked(lines: list[tuple[str, bool]]) -> tuple[list[Block], list[int]]:
    """Blocks of (text, after a blank line), all read by the decoder."""
    blocks = []
    for text, after_blank in lines:
        block = Block(text)
        block.after_blank = after_blank
        blocks.append(block)
    return blocks, list(range(len(blocks)))


BODY_LINE = "The council said the harbour would reopen on Monday after the storm had passed."


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # A headline the model read as furniture over the first article's text.
        ("Doctors offer free flu shots to migrants", Role.BODY, Role.TITLE),
        ("Doctors offer free flu shots to migrants", Role.BYLINE, Role.TITLE),
        # A masthead or an issue date stays furniture; so does a line over a headline.
        ("The Daily Courier", Role.BODY, Role.FURNITURE),
        ("2020年1月2日 星期四", Role.BODY, Role.FURNITURE),
        ("Doctors offer free flu shots to migrants", Role.TITLE, Role.FURNITURE),
        # A sentence is no headline.
        ("The doctors offered free flu shots to migrants.", Role.BODY, Role.FURNITURE),
    ],
)
def test_opening_headline_read_as_furniture(first: str, second: Role, expected: Role) -> None:
    blocks, indices = _chunked([(first, True), ("By Jane Smith", False), (BODY_LINE, False)])
    roles = split.opening_headline(blocks, indices, [Role.FURNITURE, second, Role.BODY])
    assert roles[0] is expected
    assert roles[1:] == [second, Role.BODY]


def test_a_chunks_last_line_is_its_articles_text_not_the_next_headline() -> None:
    tail = "14) MTV Unplugged in New York (Vinyl)"
    lines = [
        ("Records for the Nostalgic", True),
        (BODY_LINE, False),
        (tail, False),
        ("New York Man Pleads Guilty", True),
        (BODY_LINE, False),
        (BODY_LINE, False),
    ]
    blocks, indices = _chunked(lines)
    read = [Role.TITLE, Role.BODY, Role.TITLE, Role.SUBTITLE, Role.BODY, Role.BODY]
    roles = split.chunk_tails(blocks, indices, read)
    assert roles == [Role.TITLE, Role.BODY, Role.BODY, Role.TITLE, Role.BODY, Role.BODY]
    # With a blank line after every line, blank lines say nothing of where articles end.
    spaced, indices = _chunked([(text, True) for text, _ in lines])
    assert split.chunk_tails(spaced, indices, read) == read


def test_a_chunks_headline_shaped_first_line_is_its_headline() -> None:
    question = "Gift Guide: What do you buy for the person who already has everything?"
    lines = [
        ("Records for the Nostalgic", True),
        (BODY_LINE, False),
        (BODY_LINE, False),
        (question, True),
        ("Prior to the new charger", False),
        (BODY_LINE, False),
    ]
    blocks, indices = _chunked(lines)
    read = [Role.TITLE, Role.BODY, Role.BODY, Role.BODY, Role.TITLE, Role.BODY]
    roles = split.chunk_heads(blocks, indices, read, split.SplitConfig())
    assert roles[3] is Role.TITLE
    # A chunk opening on a sentence is body: a paragraph after a blank line.
    blocks[3].text = "Why does this matter? The harbour is the town's main employer."
    assert split.chunk_heads(blocks, indices, read, split.SplitConfig()) == read


PARK_TEXT = "高新区产业园今年新增企业十家，园区产值增长一成，产业园就业岗位增加。" * 3
RIVER_TEXT = "长江流域治理持续推进，沿江城市水质改善，流域生态修复工程完工。" * 3


@pytest.mark.parametrize(
    ("bodies", "after"),
    [
        # Each headline repeats the words of the text over it: printed after its body.
        ([PARK_TEXT, RIVER_TEXT, PARK_TEXT], True),
        # ... of the text under it: printed before, the last line a stray one.
        ([RIVER_TEXT, PARK_TEXT, RIVER_TEXT], False),
    ],
)
def test_a_page_opening_and_closing_on_a_head_reads_its_headlines_side_from_their_words(
    bodies: list[str], after: bool
) -> None:
    texts = ["社会", bodies[0], "产业园新增企业十家", bodies[1], "长江流域水质改善", bodies[2]]
    texts.append("长江流域水质改善" if after else "图文")
    blocks = [Block(text) for text in texts]
    groups = [
        split.Group([0], 1, None),
        split.Group([2], 3, 1),
        split.Group([4], 5, 3),
        split.Group([6], None, 5),
    ]
    assert split.headlines_after_body(groups, blocks, {}) is after
    # A page that does not open on a head shows its side without the words.
    assert split.headlines_after_body(groups[1:], blocks, {}) is True


@pytest.mark.parametrize(
    ("text", "shaped"),
    [
        ("Trump Impeachment Inquiry: Adam Schiff Working against the Clock", True),
        # A picture's caption ends on its credit, with or without brackets.
        ("Tariffs brought in 2%. Photo: Ruth Adams", False),
        ("A storm over Sydney Harbour! Photograph: Tom Jenkins/The Guardian", False),
        ("A storm over the harbour (Photo: Tom Jenkins)", False),
        # A numbered list's item; a headline numbering a series prints a stop.
        ("3) Cofanetto Nolan: Interstellar/Il Cavaliere Oscuro – La", False),
        ("（2）园区新增企业十家", False),
        ("10.新生活与明白神的旨意", True),
        # A sentence the headline quotes is the headline's; one of its own is not.
        ("‘Meth. We’re on it.’: Spokane ad agencies divided on the campaign", True),
        ("'Meth. We're On It': South Dakota campaign is working, Noem says", True),
        ("The vote slips. Officials wait for the count", False),
    ],
)
def test_headline_shape_leaves_out_captions_list_items_and_sentences(
    text: str, shaped: bool
) -> None:
    assert split.is_headline_shaped(Block(text), split.SplitConfig()) is shaped


def test_an_english_headline_past_110_characters_is_headline_shaped() -> None:
    headline = (
        "Ascom and Dräger introduce integrated clinical alarm management solution in"
        " North America to improve patient care"
    )
    longer = headline + " across all their hospitals"
    assert 110 < len(headline) <= 120 < len(longer)
    assert split.is_headline_shaped(Block(headline), split.SplitConfig())
    assert not split.is_headline_shaped(Block(longer), split.SplitConfig())
