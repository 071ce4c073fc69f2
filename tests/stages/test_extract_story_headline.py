"""The headline printed over the story beats a declared title about something else
(cleaner/stages/extract/story_headline.py)."""

from __future__ import annotations

import pytest

from cleaner.stages.extract import ExtractConfig, html_blocks

STORY = (
    "<div class='story'>"
    "<p>The city council voted on Tuesday to fund a new public library downtown, ending a "
    "debate that had lasted more than two years and divided residents.</p>"
    "<p>Supporters said the library would give students a quiet place to study, while "
    "opponents worried about the cost, which is estimated at 40 million dollars.</p>"
    "<p>Construction is expected to start next spring, and the building should open in "
    "2027, according to the mayor's office, which released the plans on Monday.</p></div>"
)
MENU = (
    "<div class='menu'><a href='/news'>News</a> <a href='/sport'>Sport</a> "
    "<a href='/jobs'>Jobs</a> <a href='/homes'>Homes</a></div>"
)
HEADLINE = "Council votes to fund new downtown library"


def title_of(title: str, over_story: str, story: str = STORY) -> str | None:
    metadata: dict[str, str] = {}
    head = f"<head><title>{title}</title></head>" if title else "<head></head>"
    over = f"<table><tr><td>{over_story}</td></tr></table>"
    page = f"<html>{head}<body>{MENU}{over}{story}</body></html>"
    blocks = html_blocks(page, ExtractConfig(), metadata)
    titled = [
        block.text for block in blocks if block.removal and block.removal.rule == "meta.title"
    ]
    if metadata.get("title") == HEADLINE:
        assert titled == [HEADLINE]  # the line is taken out of the body as the title
    return metadata.get("title")


@pytest.mark.parametrize(
    "site_title",
    [
        "Springfield Courier",
        "WSPR - News section front",
        "Department of Media Relations - Press Release",
    ],
)
def test_a_title_naming_only_the_site_loses_to_the_headline_over_the_story(site_title: str) -> None:
    over_story = f"<p>{HEADLINE}</p><p>Posted: 6:12 PM Dec 30, 2007</p><p>By Jane Smith</p>"
    assert title_of(site_title, over_story) == HEADLINE


def test_a_page_without_a_title_takes_the_headline_over_the_story() -> None:
    assert title_of("", f"<p>{HEADLINE}</p><p>Share this | Print</p>") == HEADLINE


def test_chinese_headline_over_the_story() -> None:
    story = (
        "<div class='story'><p>本报讯 市议会周二投票通过决定，出资在市中心建设新的公共图书馆，"
        "这场持续两年多的争论就此结束。</p><p>支持者表示，新图书馆将为学生提供安静的学习场所；"
        "反对者则担心建设费用过高。</p><p>图书馆预计明年春天开工，二〇二七年建成开放。</p></div>"
    )
    assert title_of("春田日报", "<p>市议会投票出资建设市中心新图书馆</p>", story) == (
        "市议会投票出资建设市中心新图书馆"
    )


def test_a_title_on_the_story_s_topic_stays() -> None:
    title = "City funds library after two-year debate - Springfield Courier"
    assert title_of(title, f"<p>{HEADLINE}</p>") == "City funds library after two-year debate"


def test_an_off_topic_title_printed_over_the_story_is_its_headline() -> None:
    # A pun headline shares no word with the lead; printed over the story, it is the headline.
    over_story = f"<p>Books and Bricks</p><p>{HEADLINE}</p>"
    assert title_of("Books and Bricks", over_story) == "Books and Bricks"


@pytest.mark.parametrize(
    "over_story",
    [
        # a teaser linking to another story
        f"<p><a href='/library'>{HEADLINE}</a></p>",
        # prose stands between the line and the story: the line heads something else
        f"<p>{HEADLINE}</p><p>Readers wrote to us all week about the plan, and we print "
        "a selection of their letters below, edited for length and clarity.</p>",
        # a photo credit, a line cut mid-sentence
        "<p>Council to fund new library downtown © Reuters</p>",
        "<p>and the council votes to fund a new library downtown</p>",
    ],
)
def test_lines_that_are_not_the_headline_leave_the_title(over_story: str) -> None:
    assert title_of("Springfield Courier", over_story) == "Springfield Courier"


PUN = "Capping the deal"  # a headline sharing no term with the story's lead


def own_name_page(title: str, masthead: str, footer: str, over_story: str) -> str | None:
    metadata: dict[str, str] = {}
    page = (
        f"<html><head><title>{title}</title></head><body>{masthead}{MENU}"
        f"<div class='main'>{over_story}{STORY}</div>{footer}</body></html>"
    )
    html_blocks(page, ExtractConfig(), metadata)
    return metadata.get("title")


@pytest.mark.parametrize(
    ("masthead", "footer"),
    [
        ("", "<p>© 2008 Springfield Courier. All Rights Reserved.</p>"),
        ("<div class='top'><a href='/'>Springfield Courier</a></div>", ""),
        (
            "<div class='top'><a href='http://www.courier.example/'>Springfield Courier</a></div>",
            "",
        ),
    ],
)
def test_a_title_the_page_names_itself_by_loses_to_any_heading_over_the_story(
    masthead: str, footer: str
) -> None:
    # The copyright line or the link to the home page says "Springfield Courier" is the
    # site, so the heading over the story wins even though it shares no term with the lead.
    title = own_name_page("Springfield Courier Live", masthead, footer, f"<h3>{PUN}</h3>")
    assert title == PUN


def test_a_title_the_page_does_not_name_itself_by_keeps_to_the_topic_rule() -> None:
    # No copyright line, no home link: nothing says the title is the site's name, and the
    # pun heading shares no term with the lead.
    assert own_name_page("Springfield Courier Live", "", "", f"<h3>{PUN}</h3>") != PUN


def test_a_link_to_the_story_itself_does_not_make_its_title_the_site_s_name() -> None:
    masthead = "<div class='top'><a href='/2008/01/story.html'>Springfield Courier Live</a></div>"
    assert own_name_page("Springfield Courier Live", masthead, "", f"<h3>{PUN}</h3>") != PUN


def test_a_heading_over_a_menu_does_not_head_the_story() -> None:
    footer = "<p>© 2008 Springfield Courier. All Rights Reserved.</p>"
    over_story = (
        "<h3>Learn More</h3><ul><li><a href='/impact'>Program Impact</a></li>"
        "<li><a href='/stories'>Participant Stories</a></li></ul>"
    )
    assert own_name_page("Springfield Courier", "", footer, over_story) != "Learn More"
