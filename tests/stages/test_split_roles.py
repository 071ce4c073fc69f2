"""The line-role model of the split stage: its decoder, its shipped weights, and what it
does to a digest page and to one article with subheadings."""

from __future__ import annotations

import doctest
from pathlib import Path

import numpy as np
import pytest

from cleaner.bench.split_layouts import Tally, run_page, score_page
from cleaner.bench.split_pages import generate
from cleaner.config import Config
from cleaner.document import Block, Document, Role
from cleaner.pipeline import process_document
from cleaner.stages import split
from cleaner.stages.split import (
    HeadRun,
    Plan,
    SplitConfig,
    peel_subtitles,
    settle_column_heads,
    settle_head_lines,
)
from cleaner.stages.split_roles import (
    FEATURE_NAMES,
    PAGE_FEATURE_NAMES,
    ROLES,
    Reading,
    load_model,
    page_features,
    page_shape,
    read_page,
    stitched_heads,
    viterbi,
)

STORIES = [
    (
        "青岛港集装箱吞吐量创新高",
        [
            "青岛港今年集装箱吞吐量同比增长百分之八，航线网络覆盖全球一百八十多个国家和地区的港口。",
            "港口负责人介绍，新开通的航线主要通往东南亚和中东，冷链和汽车滚装业务增长最快。",
            "据了解，青岛港将继续推进自动化码头建设，预计明年完成第三期工程并投入使用。",
            "业内人士认为，外贸订单回暖和班轮公司调整运力，是吞吐量持续增长的两个主要原因。",
        ],
    ),
    (
        "生物医药园区建设提速",
        [
            "园区聚焦生物医药、精准医学、医疗器械等细分领域，搭建集实验室研发、技术产业化于一体的服务体系。",
            "截至目前，园区已引进创新药物企业四十余家，其中十二家企业的产品进入临床试验阶段。",
            "园区还设立了专项基金，为初创企业提供场地租金减免和贷款贴息等支持政策。",
            "下一步，园区将与周边高校共建联合实验室，吸引更多青年科研人员来这里创新创业。",
        ],
    ),
    (
        "秋粮收购工作全面展开",
        [
            "各地粮食部门提前做好仓容、资金和人员准备，确保农民的粮食卖得出、卖得好。",
            "在河南周口的一个收购点，前来售粮的车辆排起长队，工作人员现场检测水分和杂质。",
            "农业专家提醒，今年部分地区降雨偏多，农户要及时晾晒，防止粮食霉变造成损失。",
            "为方便群众，一些收购企业还推出了预约售粮服务，农户在手机上就能选择时间和地点。",
        ],
    ),
]


def run(text: str) -> Document:
    result = process_document(Document("page.txt", raw=text.encode(), media_type="text"), Config())
    assert isinstance(result, Document)
    return result


def test_viterbi_follows_the_transitions_over_a_weak_emission() -> None:
    # Two roles; the middle block slightly prefers role 1, but leaving role 0 is very
    # unlikely, so the best path stays in role 0.
    emissions = np.log(np.array([[0.9, 0.1], [0.45, 0.55], [0.9, 0.1]]))
    stay = np.log(np.array([[0.99, 0.01], [0.5, 0.5]]))
    start = np.log(np.array([0.5, 0.5]))
    assert viterbi(emissions, stay, start) == [0, 0, 0]
    free = np.log(np.full((2, 2), 0.5))
    assert viterbi(emissions, free, start) == [0, 1, 0]


def test_heads_inside_a_stitched_article_are_made_less_likely() -> None:
    emissions = np.zeros((3, len(ROLES)))
    plain = [Block("甲"), Block("乙"), Block("丙")]
    assert stitched_heads(plain, emissions) is emissions  # a page not stitched
    stitched = [Block("甲", stitched_start=True), Block("乙"), Block("丙", stitched_start=True)]
    lowered = stitched_heads(stitched, emissions)
    title, body = ROLES.index(Role.TITLE), ROLES.index(Role.BODY)
    assert lowered[1, title] < 0 and lowered[0, title] == lowered[2, title] == 0
    assert (lowered[:, body] == 0).all() and (emissions == 0).all()


def test_the_shipped_model_matches_the_features_and_roles() -> None:
    model = load_model()
    assert model.lines.weights.shape == (len(ROLES), len(FEATURE_NAMES))
    assert model.transitions.shape == (len(ROLES), len(ROLES))


def test_features_are_measured_against_the_page() -> None:
    blocks = [Block("短标题"), Block(STORIES[0][1][0]), Block(STORIES[0][1][1])]
    rows = page_features(blocks)
    width = FEATURE_NAMES.index("log_relative_width")
    assert rows.shape == (3, len(FEATURE_NAMES))
    assert rows[0][width] < rows[1][width]


def test_a_digest_page_is_cut_into_its_articles_with_their_titles() -> None:
    text = "\n\n".join("\n".join([title, *paragraphs]) for title, paragraphs in STORIES) + "\n"
    document = run(text)
    assert [info.title for info in document.articles] == [title for title, _ in STORIES]
    for number, (_, paragraphs) in enumerate(STORIES):
        kept = [block.text for block in document.kept_blocks(number)]
        assert kept == paragraphs


def test_one_article_with_subheadings_stays_whole() -> None:
    title, paragraphs = STORIES[1]
    sections = ["建设进展", *paragraphs[:2], "扶持政策", *paragraphs[2:]]
    document = run("\n\n".join([title, *sections]) + "\n")
    assert document.article_count == 1
    assert all(block.role is not Role.FURNITURE for block in document.blocks)


# The test-part figures the README claims for the layout bench (`python -m
# cleaner.bench.split --layouts ../shared/bench`), articles recovered per family, less a
# small margin for harmless changes. The bench texts live outside the repository.
BENCH = Path(__file__).resolve().parents[3] / "shared" / "bench"
README_RECOVERED = {"digest": 0.941, "columns": 0.876, "wire": 0.922, "markdown": 0.971}
MARGIN = 0.03


@pytest.mark.skipif(not BENCH.is_dir(), reason="the shared bench folder is not here")
def test_layout_pages_are_split_as_the_readme_claims() -> None:
    tallies: dict[str, Tally] = {}
    for page in generate(BENCH):
        if page.part != "test" or page.family not in README_RECOVERED:
            continue
        media_type = "markdown" if page.name.endswith(".md") else "text"
        document = run_page(page.name, page.text.encode(), media_type, Config())
        score_page(page, document, tallies.setdefault(page.family, Tally()), [])
    for family, claimed in README_RECOVERED.items():
        tally = tallies[family]
        assert tally.recovered / tally.articles >= claimed - MARGIN, family


WIRE = [
    (
        "Harbour Traffic Reaches a New High",
        "March 3, 2021",
        [
            "LONDON (Reuters) - Container traffic through the harbour rose by eight percent "
            "this year, the port authority said on Monday.",
            "New routes to South East Asia and the Gulf grew fastest, with refrigerated cargo "
            "and car carriers leading the gains.",
            "The authority plans to finish the third stage of its automated terminal next year "
            "and open it to shipping lines in the spring.",
        ],
    ),
    (
        "Grain Buyers Open Their Doors Early",
        "March 4, 2021",
        [
            "Grain depots across the region prepared storage, cash and staff weeks ahead of "
            "the harvest so that farmers could sell without waiting.",
            "At one collection point trucks queued along the road while inspectors tested each "
            "load for moisture and foreign matter.",
            "Experts warned that heavy rain in some districts meant farmers should dry their "
            "grain quickly to keep it from spoiling in the sheds.",
        ],
    ),
]


def test_each_article_takes_the_date_printed_under_its_headline() -> None:
    text = "\n\n".join("\n\n".join([title, date, *paragraphs]) for title, date, paragraphs in WIRE)
    document = run(text + "\n")
    assert [info.title for info in document.articles] == [title for title, _, _ in WIRE]
    assert [info.published for info in document.articles] == ["2021-03-03", "2021-03-04"]


def test_head_lines_settle_by_their_order_and_dash() -> None:
    blocks = [Block("聚焦创新药物"), Block("生物医药园区建设提速"), Block("——园区引进企业四十余家")]
    run = HeadRun([(0, Role.TITLE), (1, Role.SUBTITLE), (2, Role.TITLE)], body_before=True)
    settle_head_lines(run, blocks)
    assert [role for _, role in run.blocks] == [Role.KICKER, Role.TITLE, Role.SUBTITLE]
    latin = [Block("Harbour Traffic Reaches a New High"), Block("Shipping lines add routes")]
    run = HeadRun([(0, Role.TITLE), (1, Role.TITLE)], body_before=False)
    settle_head_lines(run, latin)
    assert [role for _, role in run.blocks] == [Role.TITLE, Role.SUBTITLE]


def test_a_dashed_line_under_a_column_headline_is_its_subtitle() -> None:
    blocks = [
        Block("土豆不“土”"),
        Block("土豆无“土”"),
        Block("——西吉县脱毒种薯繁育见闻"),
        Block("正文"),
    ]
    plan = Plan(starts=[0, 3], titles=[[0, 1, 2], []], bylines=[[], []])
    peel_subtitles(blocks, plan)
    assert plan.titles[0] == [0, 1]
    assert plan.heads[0][Role.SUBTITLE] == [2]


def _reading_with(probabilities: list[dict[Role, float]]) -> Reading:
    emissions = np.full((len(probabilities), len(ROLES)), np.log(1e-3))
    for row, wanted in enumerate(probabilities):
        for role, probability in wanted.items():
            emissions[row][ROLES.index(role)] = np.log(probability)
    return Reading([Role.BODY] * len(probabilities), emissions, np.zeros((1, 1)), 1.0)


def test_column_head_lines_the_model_reads_as_kicker_or_subtitle_leave_the_title(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = ["Harbour traffic", "reaches a new high", "as shipping lines add routes", "正文"]
    blocks = [Block(line) for line in lines]
    sure = [{Role.KICKER: 0.6}, {Role.TITLE: 0.9}, {Role.SUBTITLE: 0.8}, {Role.BODY: 1.0}]
    monkeypatch.setattr(split, "read_page", lambda _: _reading_with(sure))
    plan = Plan(starts=[0, 3], titles=[[0, 1, 2], []], bylines=[[], []])
    settle_column_heads(blocks, plan, SplitConfig())
    assert plan.titles[0] == [1]
    assert plan.heads[0] == {Role.KICKER: [0], Role.SUBTITLE: [2]}
    # Unsure readings, and a first line ending in a colon, leave the headline whole.
    unsure = [
        {Role.KICKER: 0.3, Role.TITLE: 0.6},
        {Role.TITLE: 0.9},
        {Role.SUBTITLE: 0.4},
        {Role.BODY: 1.0},
    ]
    monkeypatch.setattr(split, "read_page", lambda _: _reading_with(unsure))
    plan = Plan(starts=[0, 3], titles=[[0, 1, 2], []], bylines=[[], []])
    settle_column_heads(blocks, plan, SplitConfig())
    assert plan.titles[0] == [0, 1, 2] and not plan.heads
    blocks[0] = Block("太原中北高新区:")
    monkeypatch.setattr(split, "read_page", lambda _: _reading_with(sure))
    plan = Plan(starts=[0, 3], titles=[[0, 1, 2], []], bylines=[[], []])
    settle_column_heads(blocks, plan, SplitConfig())
    assert plan.titles[0] == [0, 1]


def test_a_bold_line_under_a_digest_heading_is_the_subtitle() -> None:
    subtitles = ["航线网络覆盖全球", "专项基金扶持初创企业", "预约售粮方便群众"]
    sections = [
        f"## {title}\n\n**{subtitle}**\n\n" + "\n\n".join(paragraphs)
        for (title, paragraphs), subtitle in zip(STORIES, subtitles, strict=True)
    ]
    result = process_document(
        Document("digest.md", raw="\n\n".join(sections).encode(), media_type="markdown"), Config()
    )
    assert isinstance(result, Document)
    assert [info.subtitle for info in result.articles] == subtitles
    assert all("**" not in block.text for block in result.blocks)


def test_a_page_without_a_short_line_after_its_body_is_not_read_by_the_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unread(*args, **kwargs):
        raise AssertionError("the model read a page that holds no headline after body text")

    monkeypatch.setattr(split, "read_page", unread)
    title, paragraphs = STORIES[0]
    document = run("\n".join([title, *paragraphs]) + "\n")
    assert document.article_count == 1
    with pytest.raises(AssertionError):
        run("\n\n".join("\n".join([title, *body]) for title, body in STORIES) + "\n")


def test_a_dateline_takes_its_year_from_the_issue_date_the_page_prints() -> None:
    datelines = ["本报北京1月2日电　", "本报上海12月30日电　", ""]
    stories = [
        "\n".join([title, dateline + paragraphs[0], *paragraphs[1:]])
        for (title, paragraphs), dateline in zip(STORIES, datelines, strict=True)
    ]
    document = run("\n\n".join(stories) + "\n\n2021年1月3日 星期日\n")
    assert [info.title for info in document.articles] == [title for title, _ in STORIES]
    # Filed in December, printed in January: the year before. No dateline: the issue date.
    published = [info.published for info in document.articles]
    assert published == ["2021-01-02", "2020-12-30", "2021-01-03"]


def test_split_doctests() -> None:
    assert doctest.testmod(split).failed == 0


def test_a_line_the_paragraph_under_it_opens_with_reads_as_repeating_it() -> None:
    repeats = FEATURE_NAMES.index("repeats_next_opening")
    before = FEATURE_NAMES.index("body_before_log")
    title, paragraphs = STORIES[0]
    blocks = [
        Block(title),
        Block(paragraphs[0]),
        Block("港口负责人介绍"),
        Block(paragraphs[1]),
    ]
    features = page_features(blocks)
    assert features[2][repeats] == 1.0 and features[0][repeats] == 0.0
    assert features[2][before] > 0.0 and features[0][before] == 0.0


def test_a_page_read_without_subheadings_gives_no_line_that_role() -> None:
    title, paragraphs = STORIES[0]
    blocks = [Block(title), Block(paragraphs[0]), Block("港口负责人介绍"), Block(paragraphs[1])]
    assert Role.SUBHEADING not in read_page(blocks, subheadings=False).roles


def _head_share(texts: list[str], roles: list[Role], columns: bool = False) -> float:
    blocks = [Block(text) for text in texts]
    features = page_features(blocks)
    emissions = load_model().emissions(features)
    shape = page_shape(blocks, roles, emissions, features, columns)
    return shape[PAGE_FEATURE_NAMES.index("boundary_head_share")]


def test_a_headline_over_a_dateline_opening_heads_a_report() -> None:
    """A wire story printing no byline heads its text with a dateline; the page model
    counts that headline as a report's, as it counts one over a byline."""
    texts, roles = [], []
    for title, _, paragraphs in WIRE:
        texts += [title, *paragraphs]
        roles += [Role.TITLE, *[Role.BODY] * len(paragraphs)]
    first = len(WIRE[0][2]) + 2  # the second story's first paragraph
    texts[first] = "PARIS (AP) - " + texts[first]
    assert _head_share(texts, roles) == 1.0
    assert _head_share(texts, roles, columns=True) == 0.0
    # The same headline over plain text (a section of one story) heads no report, nor
    # does one over a paragraph opening on a date, which any paragraph may.
    texts[first] = WIRE[1][2][0]
    assert _head_share(texts, roles) == 0.0
    texts[first] = "5月12日，" + texts[first]
    assert _head_share(texts, roles) == 0.0
    # A dateline further down the text is a paragraph's, not the headline's.
    texts[first + 1] = "PARIS (AP) - " + texts[first + 1]
    assert _head_share(texts, roles) == 0.0
