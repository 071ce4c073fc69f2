"""Page metadata read as a person reads it: the byline and dateline printed over the story,
a site's desk as an author, dates written in other languages (issue 13)."""

from __future__ import annotations

import pytest

from cleaner.dates import normalize_date
from cleaner.stages.extract import ExtractConfig, html_blocks
from cleaner.stages.extract.authors import is_desk, lead_reporters
from cleaner.stages.extract.metadata import _labelled_dates
from cleaner.stages.extract.titles import without_site_segments

STORY = (
    "<p>The city council voted on Tuesday to fund a new public library downtown, ending a "
    "debate that had lasted more than two years and divided residents.</p>"
    "<p>Supporters said the library would give students a quiet place to study, while "
    "opponents worried about the cost, which is estimated at 40 million dollars.</p>"
    "<p>Construction is expected to start next spring, and the building should open in "
    "2027, according to the mayor's office, which released the plans on Monday.</p>"
)


def metadata_of(head: str, body: str) -> dict[str, str]:
    metadata: dict[str, str] = {}
    html_blocks(f"<html><head>{head}</head><body>{body}</body></html>", ExtractConfig(), metadata)
    return metadata


def test_a_byline_printed_over_the_story_beats_a_byline_element_naming_the_paper() -> None:
    body = (
        '<div class="sidebar"><span class="byline">The Springfield Courier</span>'
        "<p>Updated Jan 20, 2008</p></div>"
        f"<article><h1>Library approved</h1><p>By Jane Smith</p>{STORY}</article>"
    )
    assert metadata_of("<title>Library approved</title>", body)["author"] == "Jane Smith"


@pytest.mark.parametrize(
    ("paper", "author"),
    # A news agency is credited by its name, without the article the byline prints.
    [("The Water Coolest", "The Water Coolest"), ("The Associated Press", "Associated Press")],
)
def test_a_paper_is_still_credited_when_no_person_is(paper: str, author: str) -> None:
    byline = f'<p class="byline">{paper}</p>'
    body = f"<article><h1>Library approved</h1>{byline}{STORY}</article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == author


@pytest.mark.parametrize(
    ("lead", "names"),
    [
        ("长江网10月4日讯（记者陈智 整合） 国庆中秋长假过半，外媒关注武汉的热情不减。", "陈智"),
        ("新华社北京3月5日电（记者 张三、李四）十四届全国人大一次会议5日上午开幕。", "张三、李四"),
        ("本报讯（记者 王五）昨日，市政府召开新闻发布会，介绍今年重点工作安排。", "王五"),
    ],
)
def test_a_chinese_lead_names_its_reporters(lead: str, names: str) -> None:
    assert lead_reporters(lead) == names
    body = (
        f"<article><h1>外媒眼中的长假</h1><p>{lead}</p><p>{lead[-20:]}还有更多内容。</p></article>"
    )
    found = metadata_of("<title>外媒眼中的长假</title>", body)
    assert found["author"].replace(" ", "") == names.replace("、", ",")


def test_a_lead_without_a_dateline_names_no_reporter() -> None:
    assert lead_reporters("（记者陈智）这句话没有电头，只是括号。") is None
    assert lead_reporters("他在电话中说（记者注：原话如此）情况很好。") is None


def test_a_desk_of_the_site_is_an_author_but_the_site_is_not() -> None:
    sites = frozenset({"newsnation"})
    assert is_desk("News Nation Bureau", sites)
    assert not is_desk("News Nation", sites)
    assert not is_desk("Bureau of Statistics", sites)
    ld = (
        '<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Library '
        'approved", "author": {{"@type": "Person", "name": "{name}"}}, "publisher": '
        '{{"@type": "Organization", "name": "News Nation"}}}}</script>'
    )
    body = f"<article><h1>Library approved</h1>{STORY}</article>"
    assert metadata_of(ld.format(name="News Nation Bureau"), body)["author"] == "News Nation Bureau"
    assert "author" not in metadata_of(ld.format(name="News Nation"), body)


def test_the_dateline_over_the_story_beats_the_first_date_of_the_page() -> None:
    body = (
        '<div class="sidebar"><p>Last updated Jan 20, 2008</p>'
        "<ul><li><a href='/a'>Other story</a></li></ul></div>"
        "<article><h1>Library approved</h1><p>Sunday January 13, 2008, 5:00 AM</p>"
        f"{STORY}</article>"
    )
    assert metadata_of("<title>Library approved</title>", body)["published"] == "2008-01-13"


def test_a_caption_mentioning_a_date_is_not_the_dateline() -> None:
    caption = (
        "<p>The mayor at the opening of the old library, in this June 3, 2007, file photo.</p>"
    )
    body = f"<article><h1>Library approved</h1>{caption}<p>Jan 18, 2008</p>{STORY}</article>"
    assert metadata_of("<title>Library approved</title>", body)["published"] == "2008-01-18"


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("publiziert am 25. September 2018", "2018-09-25"),
        ("Mis à jour le 12 janvier 2021 à 10h", "2021-01-12"),
        ("3 de março de 2020", "2020-03-03"),
        ("15 de diciembre de 2019", "2019-12-15"),
        ("Pubblicato il 7 maggio 2022", "2022-05-07"),
        ("gepubliceerd op 1 augustus 2023", "2023-08-01"),
        ("Опубликовано 25.09.2018 в 10:00", "2018-09-25"),
        ("01-14-2008 15:45", "2008-01-14"),
        ("Tuesday, 26th December 2006", "2006-12-26"),
        ("Saturday 12-Jan-2008 11:48 AM", "2008-01-12"),
        ("14/01/2008", "2008-01-14"),
        ("03/04/2020", None),
        ("03/04/2020 14:30", None),
        ("1/7/2008, 6:30 p.m. EST", "2008-01-07"),
        ("12/01/2007 01:50:35 AM PST", "2007-12-01"),
        ("32. September 2018", None),
        ("Sat, 29 Dec 15:58:00 2007", "2007-12-29"),  # the clock before the year
        ("Thu Jan 10 01:01:09 2008", "2008-01-10"),
        ("Sat, 29 Dec 15:58", None),
    ],
)
def test_dates_written_in_other_languages_and_orders(written: str, iso: str | None) -> None:
    assert normalize_date(written) == iso


def test_byline_lines_in_a_row_are_one_credit() -> None:
    body = (
        "<article><h1>谁来为无序拆房埋单</h1><p>本报实习生 刘国栋 周炜</p>"
        "<p>本报记者 王燕平 方云凤</p>"
        "<p>为拆一幢房，断送了三条人命。前天的这场惨剧发生得实在太突然。</p>"
        "<p>三条人命啊，就这样从我们眼前骤然消失。随之毁去的，还有他们的家庭。</p></article>"
    )
    found = metadata_of("<title>谁来为无序拆房埋单</title>", body)
    assert found["author"] == "刘国栋, 周炜, 王燕平, 方云凤"


def test_an_author_line_with_a_slash() -> None:
    body = (
        "<article><h1>新联盟今天成立</h1><p>执笔/叨叨姐、胡一刀&amp;李小飞刀</p>"
        "<p>西方世界的一些政客正试图串联起来，组成一个所谓的联盟，号称八国联盟。</p>"
        "<p>据统计，这个联盟目前一共找着十八个人，来自八个国家的议会。</p></article>"
    )
    assert (
        metadata_of("<title>新联盟今天成立</title>", body)["author"] == "叨叨姐, 胡一刀, 李小飞刀"
    )


def test_a_title_loses_the_section_its_menu_prints_once_the_site_is_cut() -> None:
    head = "<title>That Way Lies Trouble - Opinion - New York Times Blog</title>"
    menu = "<nav><a href='/opinion'>Opinion</a> <a href='/world'>World</a></nav>"
    body = f"{menu}<article>{STORY}</article>"
    assert metadata_of(head, body)["title"] == "That Way Lies Trouble"
    # Without the menu, "Opinion" could be part of the headline: it stays.
    assert (
        metadata_of(head, f"<article>{STORY}</article>")["title"]
        == "That Way Lies Trouble - Opinion"
    )


def test_an_untitled_page_headline_is_not_its_byline_nor_its_separators() -> None:
    body = "<div><p>谁来为无序拆房埋单？- -</p><p>by William Moss</p>" + STORY + "</div>"
    assert metadata_of("", body)["title"] == "谁来为无序拆房埋单？"
    body = "<div><h4>by William Moss</h4>" + STORY + "</div>"
    assert metadata_of("", body).get("title") != "by William Moss"


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("By Stephen Shankland Staff Writer, CNET News.com", "Stephen Shankland"),
        ("By JOSEPH WHITE AP Sports Writer", "JOSEPH WHITE"),
        (
            "Kevin Johnson and Kevin McCoy USA TODAY Published 10:07 PM",
            "Kevin Johnson, Kevin McCoy",
        ),
        ("DANICA KIRKA and JILL LAWLESSAssociated Press", "DANICA KIRKA, JILL LAWLESS"),
        ("Analysis by Chris Cillizza", "Chris Cillizza"),
        ("Roger M. Boisjoly, Former Morton Thiokol Engineer", "Roger M. Boisjoly"),
        ("By Bryan DeArdo and Nancy McEntire", "Bryan DeArdo, Nancy McEntire"),
        ("Our Foreign Staff", "Our Foreign Staff"),
        ("| By Melissa Jenkins", "Melissa Jenkins"),
        ("by Hasan Mansoor in Karachi", "Hasan Mansoor"),
        ("BY HEMMY SO in Los Angeles and BEN WIDDICOMBE", "HEMMY SO, BEN WIDDICOMBE"),
        ("By JASON STRAZIUSO Associated Press Writer", "JASON STRAZIUSO"),
        ("By FRANK BODANI Daily Record/Sunday News", "FRANK BODANI"),
        ("MIRJAM SWANSON THE PRESS-ENTERPRISE", "MIRJAM SWANSON"),
        ("Jose AltoverosView More Articles", "Jose Altoveros"),
        ("By Tom James PA SportsTicker Contributing Writer", "Tom James"),
        ("By Kevin McCoy and Ann MacDonald", "Kevin McCoy, Ann MacDonald"),
        ("Joe Smith Monday, February 29, 2016 @ 11:10 PM UTC", "Joe Smith"),
        ("BY TOM CANAVAN ASSOCIATED PRESS", "TOM CANAVAN"),
        ("By Tom Canavan, The Associated Press", "Tom Canavan"),
    ],
)
def test_a_byline_loses_roles_outlets_and_glued_text(byline: str, author: str) -> None:
    body = f'<article><h1>Library approved</h1><p class="byline">{byline}</p>{STORY}</article>'
    assert metadata_of("<title>Library approved</title>", body)["author"] == author


@pytest.mark.parametrize(
    "publisher",
    [
        "CBC News",
        "VOA News",
        "CSDN.NET",
        "www.yunnan.cn",
        "Canoe.ca",
        "The Honolulu Advertiser",
        "Southwest Herald Newspapers",
    ],
)
def test_a_publisher_named_as_author_is_no_author(publisher: str) -> None:
    head = f'<title>Library approved</title><meta name="author" content="{publisher}">'
    body = f"<article><h1>Library approved</h1>{STORY}</article>"
    assert "author" not in metadata_of(head, body)


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        ("wjz.com - Mitchell and Selig Head To Congress", "Mitchell and Selig Head To Congress"),
        ("海姑娘 | blog.wenxuecity.com", "海姑娘"),
        ("Lavigne lawsuit settled | edmontonsun.com", "Lavigne lawsuit settled"),
    ],
)
def test_a_title_segment_spelled_as_a_host_name_is_the_site(title: str, headline: str) -> None:
    assert metadata_of(f"<title>{title}</title>", f"<div>{STORY}</div>")["title"] == headline


@pytest.mark.parametrize(
    "segment",
    ["Node.js 22 released", "U.S. stocks fall", "Mr. Smith goes to Washington", "3.5 million"],
)
def test_a_dotted_word_inside_a_headline_is_not_a_host_name(segment: str) -> None:
    title = f"Vote early - {segment}"
    assert without_site_segments(title, frozenset()) == (title, "")
    assert without_site_segments(f"example.com | {segment}", frozenset()) == (
        segment,
        "example.com",
    )


@pytest.mark.parametrize("marker", ["articleByline", "leftColAuthorName", "essayAuthor"])
def test_a_compound_class_name_marks_a_byline(marker: str) -> None:
    body = f'<article><h1>Library approved</h1><p class="{marker}">By Jane Smith</p>{STORY}'
    assert metadata_of("<title>Library approved</title>", body + "</article>")["author"] == (
        "Jane Smith"
    )


def test_a_compound_class_name_of_a_comment_is_no_byline() -> None:
    body = f'<article><h1>Library approved</h1>{STORY}<p class="commentAuthor">Jane Smith</p>'
    assert "author" not in metadata_of("<title>Library approved</title>", body + "</article>")


@pytest.mark.parametrize(
    "dated",
    [
        "Published: January 09, 2008",
        "Jan 1, 2008",
        "Dec 16, 2007 18:22 | Updated",
        "Friday, January 11, 2008 1:14 PM CST",
    ],
)
def test_a_byline_element_holding_only_its_date_names_no_one(dated: str) -> None:
    body = f'<article><h1>Library approved</h1><p class="byline">{dated}</p>{STORY}</article>'
    found = metadata_of("<title>Library approved</title>", body)
    assert "author" not in found
    assert found["published"] == normalize_date(dated)[:10]


def test_a_title_that_dates_the_page_around_the_headline() -> None:
    title = "Ledger-Enquirer.com | 01/19/2008 | Terrorist gets life in embassy plot"
    body = f"<h1>AP Nation/World</h1><h1>Terrorist gets life in embassy plot</h1>{STORY}"
    found = metadata_of(f"<title>{title}</title>", body)
    assert found["title"] == "Terrorist gets life in embassy plot"
    assert found["site_name"] == "Ledger-Enquirer.com"


def test_a_host_name_in_the_title_makes_its_broadcaster_no_author() -> None:
    head = '<title>cbs4denver.com - Broncos sign Cutler</title><meta name="author" content="CBS">'
    assert "author" not in metadata_of(head, f"<h1>Broncos sign Cutler</h1>{STORY}")


def test_json_ld_with_a_line_break_inside_a_string_is_read() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "description": "Two\n'
        'lines", "author": {"@type": "Person", "name": "Jose Altoveros"}}</script>'
    )
    found = metadata_of("<title>Library approved</title>" + ld, f"<h1>Library approved</h1>{STORY}")
    assert found["author"] == "Jose Altoveros"


def test_the_date_under_the_headline_beats_a_banner_over_it() -> None:
    # Outside the main region both: a banner with today's date, the story's date line
    # between its headline and its text.
    body = (
        "<table><tr><td>Tuesday, January 15, 2008</td></tr></table>"
        '<div class="content"><h1>Library approved</h1><table><tr><td>9th January 2008'
        f"</td></tr></table><div class='text'>{STORY}</div></div>"
    )
    assert metadata_of("<title>Library approved</title>", body)["published"] == "2008-01-09"


def test_a_credit_line_dates_the_story_it_signs() -> None:
    body = (
        "<p>Monday, January 21, 2008</p><h2>Library approved</h2>"
        '<span class="author">By Agencies on Friday, January 18, 2008</span>'
        f"<div>{STORY}</div>"
    )
    assert metadata_of("", body)["published"] == "2008-01-18"


def test_a_heading_over_the_story_titles_a_page_without_a_title() -> None:
    body = (
        "<div class='top'><h1>Latest News</h1><p>Search:</p></div>"
        "<div class='post'><h2>Library approved after two years of debate</h2>"
        "<p>By Agencies on Friday</p><p>Filed Under: City</p>"
        f"<div class='entry'>{STORY}</div></div>"
    )
    assert metadata_of("", body)["title"] == "Library approved after two years of debate"


@pytest.mark.parametrize(
    "greeting", ["谢谢您访问〖关注中国中心〗", "Welcome to www.dailyrecord.com - Giants"]
)
def test_a_title_welcoming_the_reader_is_no_headline(greeting: str) -> None:
    assert metadata_of(f"<title>{greeting}</title>", f"<div>{STORY}</div>").get("title") != (
        greeting
    )


def test_a_title_running_into_markup_ends_where_the_markup_starts() -> None:
    page = (
        '<html><head><title>Computerworld - Microsoft faces two new cases</titavaScript" '
        'src="x.js"></script></head><body><div>' + STORY + "</div></body></html>"
    )
    metadata: dict[str, str] = {}
    html_blocks(page, ExtractConfig(), metadata)
    assert metadata["title"] == "Computerworld - Microsoft faces two new cases"


def test_a_channel_of_a_chinese_portal_is_no_author() -> None:
    head = (
        "<title>苹果发布新iPhone 11|苹果_电信_新浪科技_新浪网</title>"
        '<meta property="article:author" content="新浪科技">'
    )
    assert "author" not in metadata_of(head, f"<h1>苹果发布新iPhone 11</h1>{STORY}")


def test_a_country_second_level_domain_is_not_the_site_name() -> None:
    head = '<title>Vote</title><meta property="og:url" content="https://tech.sina.com.cn/a.html">'
    assert metadata_of(head, f"<div>{STORY}</div>")["site_name"] == "sina"


def test_an_h2_printing_the_title_beats_a_sections_h1() -> None:
    body = (
        "<h1>Allergies Health Center</h1><div class='article'>"
        f"<h2>Babies Who Eat Peanuts Early May Avoid Allergy</h2>{STORY}</div>"
    )
    head = "<title>Babies Who Eat Peanuts Early May Avoid Allergy</title>"
    assert metadata_of(head, body)["title"] == "Babies Who Eat Peanuts Early May Avoid Allergy"


def test_the_date_in_the_pages_declared_address() -> None:
    head = (
        "<title>Library approved</title>"
        '<link rel="canonical" href="https://news.example.com/local/2015/03/18/library.html">'
    )
    assert metadata_of(head, f"<div>{STORY}</div>")["published"] == "2015-03-18"


def test_a_title_segment_dating_the_page() -> None:
    head = "<title>Una solución no violenta - 07.12.2017 - LA NACION</title>"
    assert metadata_of(head, f"<div>{STORY}</div>")["published"] == "2017-12-07"


@pytest.mark.parametrize(
    ("credit", "author"),
    [
        ("Posted on 12/20/2004 12:19:30 PM PST by Jim Robinson", "Jim Robinson"),
        ("16th Jan 2008, 09:28am by Damien McFerran.", "Damien McFerran"),
        ("Fri 14 Dec 2007 at 12:25am, by Jane Doe", "Jane Doe"),
        ("2/26/2015 7:11 AM PST BY TMZ STAFF", "TMZ STAFF"),
    ],
)
def test_a_credit_line_printing_the_date_before_the_name(credit: str, author: str) -> None:
    body = f"<article><h1>Library approved</h1><p>{credit}</p>{STORY}</article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == author


def test_a_sentence_with_a_date_ending_in_a_name_credits_no_one() -> None:
    sentence = "On May 5, 2008 the plan was signed by Governor Smith"
    body = f"<article><h1>Library approved</h1><p>{sentence}</p>{STORY}</article>"
    assert "author" not in metadata_of("<title>Library approved</title>", body)


def test_a_row_of_links_classed_byline_is_no_byline() -> None:
    links = " - ".join(f'<a href="/{n}">{n}</a>' for n in ("About Us", "Contact Us", "Subscribe"))
    body = f'<article><h1>Library approved</h1><div class="byline">{links}</div>{STORY}</article>'
    assert "author" not in metadata_of("<title>Library approved</title>", body)
    linked = (
        'By <a href="/a">Jane Smith</a>, <a href="/b">Tom Jones</a> and <a href="/c">Ann Lee</a>'
    )
    body = f'<article><h1>Library approved</h1><div class="byline">{linked}</div>{STORY}</article>'
    assert metadata_of("<title>Library approved</title>", body)["author"] == (
        "Jane Smith, Tom Jones, Ann Lee"
    )


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        (
            "Review: 'Mad Money' Cashes In On Cast - Entertainment News Story - KNTV | Bay Area",
            "Review: 'Mad Money' Cashes In On Cast",
        ),
        (
            "CTV Toronto - Police recover body of missing fisherman - CTV News, Shows and Sports",
            "Police recover body of missing fisherman",
        ),
        (
            "Montana's News Station - Fair. Accurate. -China promises safe food for visitors",
            "China promises safe food for visitors",
        ),
    ],
)
def test_a_heading_is_the_headline_when_every_other_title_segment_is_lighter(
    title: str, headline: str
) -> None:
    body = f"<h1>Sponsored Links</h1><h1>{headline}</h1>{STORY}<h1>Great Gift Ideas</h1>"
    assert metadata_of(f"<title>{title}</title>", body)["title"] == headline


def test_a_heavier_segment_beside_a_heading_keeps_it_from_being_the_headline() -> None:
    title = "CTV Toronto - Police recover body of missing Toronto fisherman"
    body = f"<h1>CTV Toronto</h1><h1>Weather</h1>{STORY}"
    assert metadata_of(f"<title>{title}</title>", body)["title"] != "CTV Toronto"


def test_a_printed_date_is_no_headline() -> None:
    body = f"<h1>Menu</h1><h1>January 21, 2002</h1>{STORY}"
    title = "Scarlet Letter: January 21, 2002"
    assert metadata_of(f"<title>{title}</title>", body)["title"] != "January 21, 2002"


def test_the_byline_search_reads_lines_the_region_left_out_near_the_top_only() -> None:
    from types import SimpleNamespace

    from cleaner.document import HEADING, PARAGRAPH
    from cleaner.stages.extract.metadata import _opening_lines

    def piece(text: str, kept: bool, kind: str = PARAGRAPH) -> SimpleNamespace:
        return SimpleNamespace(block=SimpleNamespace(text=text, kept=kept, kind=kind))

    pieces = [
        piece("Menu", False),
        piece("Hope update: Gamez takes lead", False, HEADING),
        piece("Author :", False),
        piece("Ravi Chopra", False),
        piece("PALM DESERT – When the dust settled …", True),
        piece("By MIRJAM SWANSON", False),
        piece("Second paragraph", True),
        piece("Comments", False),
        piece("by Taboola", False),
        piece("Third paragraph", True),
    ]
    settings = ExtractConfig(byline_search_blocks=3)
    assert _opening_lines(pieces, settings) == [
        "Hope update: Gamez takes lead",
        "Author :",
        "Ravi Chopra",
        "PALM DESERT – When the dust settled …",
        "By MIRJAM SWANSON",
        "Second paragraph",
        "Third paragraph",
    ]


@pytest.mark.parametrize("marker", ["vitstorybyline", "postauthor"])
def test_words_run_together_in_a_class_name_mark_a_byline(marker: str) -> None:
    body = f'<article><h1>Library approved</h1><p class="{marker}">By Jane Smith</p>{STORY}'
    assert metadata_of("<title>Library approved</title>", body + "</article>")["author"] == (
        "Jane Smith"
    )


def test_words_run_together_in_a_comment_class_mark_no_byline() -> None:
    body = f'<article><h1>Library approved</h1>{STORY}<p class="commentauthor">Jane Smith</p>'
    assert "author" not in metadata_of("<title>Library approved</title>", body + "</article>")


def test_a_date_either_order_reads_is_read_in_the_order_the_page_writes_dates() -> None:
    story = (
        f"<article><h1>Blues down Blue Jackets</h1><p>01/08/2008 ST LOUIS 6</p>{STORY}</article>"
    )
    sidebar = "<aside><p>Kuerten retiring</p><p>1/15/2008, 2:52</p></aside>"
    found = metadata_of("<title>Blues down Blue Jackets</title>", story + sidebar)
    assert found["published"] == "2008-01-08"
    day_first = sidebar.replace("1/15/2008", "15/1/2008")
    found = metadata_of("<title>Blues down Blue Jackets</title>", story + day_first)
    assert found["published"] == "2008-08-01"
    found = metadata_of("<title>Blues down Blue Jackets</title>", story)
    assert found.get("published") != "2008-01-08"  # nothing tells the order: left unread


@pytest.mark.parametrize(
    ("label", "name"),
    [("Author :", "Ravi Chopra"), ("By", "Anika Bourley"), ("Written by", "Chris Beaumont")],
)
def test_a_credit_label_on_a_line_of_its_own_names_the_next_line(label: str, name: str) -> None:
    credit = f"<table><tr><td>{label}</td><td>{name}</td></tr></table>"
    body = f"<h1>Library approved</h1>{credit}<article>{STORY}</article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == name


def test_a_written_by_line_names_a_wire() -> None:
    body = f"<h1>Library approved</h1><p>Written by: AFP</p><article>{STORY}</article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == "AFP"


@pytest.mark.parametrize(
    ("closing", "author"),
    [("--Scott Ferguson", "Scott Ferguson"), ("- Shaun Newport", "Shaun Newport")],
)
def test_a_name_signing_the_end_of_the_story_is_its_author(closing: str, author: str) -> None:
    body = f"<article><h1>Library approved</h1>{STORY}<p>{closing}</p></article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == author


def test_the_attribution_of_a_closing_quotation_is_no_author() -> None:
    quote = "<p>-- Isaac Asimov, when asked why he fights religion with no hope for victory</p>"
    body = f"<article><h1>Library approved</h1>{STORY}{quote}</article>"
    assert "author" not in metadata_of("<title>Library approved</title>", body)


def test_a_dated_credit_set_as_a_heading_over_the_story_names_its_author() -> None:
    body = (
        "<h1>Library approved</h1><h5>2/26/2015 7:11 AM PST BY TMZ STAFF</h5>"
        f"<article>{STORY}</article>"
    )
    assert metadata_of("<title>Library approved</title>", body)["author"] == "TMZ STAFF"


def test_a_date_opening_an_untitled_page_is_not_its_headline() -> None:
    body = f"<div><p>November 23, 2004</p>{STORY}</div>"
    assert metadata_of("", body).get("title") != "November 23, 2004"


def test_a_page_declaring_no_title_takes_the_one_its_share_links_send_when_printed() -> None:
    share = (
        '<a href="http://digg.com/submit?url=http://x.org/1.stm&amp;title=Library approved">'
        "Digg</a>"
    )
    body = f"<div><div>Library approved</div><p>The move means a new library</p>{STORY}{share}"
    assert metadata_of("", body + "</div>")["title"] == "Library approved"
    unprinted = share.replace("title=Library approved", "title=Another story")
    body = f"<div><p>The move means a new library</p>{STORY}{unprinted}</div>"
    assert metadata_of("", body).get("title") != "Another story"


@pytest.mark.parametrize(
    ("lines", "author"),
    [
        (["Express News Service"], "Express News Service"),
        (["SHAWN LEVY", "The Oregonian Staff"], "SHAWN LEVY"),
    ],
)
def test_a_desk_credited_on_a_line_of_its_own_under_the_headline(
    lines: list[str], author: str
) -> None:
    credit = "".join(f"<p>{line}</p>" for line in lines)
    body = f"<article><h1>Library approved</h1>{credit}{STORY}</article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == author


def test_a_paper_named_like_a_desk_is_no_desk_line() -> None:
    body = f"<article><h1>Library approved</h1><p>The Hollywood Reporter</p>{STORY}</article>"
    assert "author" not in metadata_of("<title>Library approved</title>", body)


@pytest.mark.parametrize(
    ("stamp", "author"),
    [
        ("<span>华夏人文</span> <span>2020-03-09 18:14:21</span>", "华夏人文"),
        ("<span>原创</span> <span>GameForce</span> <span>2019-09-04 22:18:34</span>", "GameForce"),
        ("Associated Press - January 8, 2008 4:33 PM ET", "Associated Press"),
    ],
)
def test_the_account_printed_beside_the_date_under_the_headline_is_credited(
    stamp: str, author: str
) -> None:
    body = f"<article><h1>Library approved</h1><div>{stamp}</div>{STORY}</article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == author


@pytest.mark.parametrize(
    "stamp",
    [
        "Dublin 16 October 2003",  # where the story was filed
        "For Immediate Release February 14, 2003",
        "Updated 2008-01-05 10:00",
        "Full Coverage of September 11, 2001",
    ],
)
def test_a_place_or_a_label_beside_the_date_is_no_credit(stamp: str) -> None:
    body = f"<article><h1>Library approved</h1><div>{stamp}</div>{STORY}</article>"
    assert "author" not in metadata_of("<title>Library approved</title>", body)


def test_a_reporter_the_story_names_beats_the_account_that_posted_it() -> None:
    body = (
        "<article><h1>海螺沟寻子一个月</h1><div>原创 南方都市报 2019-09-09 16:01:46</div>"
        "<p>8岁儿子在四川海螺沟景区失联的第32天，温先生启程返回湖北十堰，搜寻仍在继续。</p>"
        "<p>此后，五批专业救援队先后到场，数百人次进行地毯式搜寻，家人和警方反复排查监控。</p>"
        "<p>采写：南都见习记者 林子沛</p></article>"
    )
    assert metadata_of("<title>海螺沟寻子一个月</title>", body)["author"] == "林子沛"


def test_a_labelled_publication_date_beats_the_date_the_lead_mentions() -> None:
    body = (
        "<article><h1>调研组到众创金融街开展调研工作</h1>"
        "<p>2019年2月27日下午，佛山顺德区大良街道党工委委员、街道经济和科技促进局局长潘卓辉一行"
        "到众创金融街开展调研工作。</p>"
        "<p>调研组一行走访了金融服务中心，实地考察金融街进驻企业情况，并围绕发展进行座谈。</p>"
        "<p>下一步，我区将结合当前粤港澳大湾区背景，升级发展众创金融街，加快金融资源集聚。</p>"
        "<p>发布日期：2019-03-06 责任编辑：龙慧</p></article>"
    )
    found = metadata_of("<title>调研组到众创金融街开展调研工作</title>", body)
    assert found["published"].startswith("2019-03-06")


@pytest.mark.parametrize(
    ("line", "labelled"),
    [
        ("Published: Wednesday 16 January 2008", True),
        ("Posted on 12/20/2004 12:19:30 PM", True),
        ("Posted by: Glenn on May 6, 2003 04:24 AM", False),  # a comment's credit
        ("时间：2019年3月8日 地点：会议中心", False),  # an event's time
    ],
)
def test_which_lines_label_a_publication_date(line: str, labelled: bool) -> None:
    assert bool(_labelled_dates([line])) is labelled


@pytest.mark.parametrize(
    ("copyright", "agency"),
    [
        ("© Reuters 2008. All rights reserved. Republication of Reuters content …", "Reuters"),
        ("(Copyright 2008 by The Associated Press. All Rights Reserved.)", "Associated Press"),
        ("Copyright (c) Press Association Ltd. 2008, All Rights Reserved.", "Press Association"),
        ("© 2008 AAP", "AAP"),
    ],
)
def test_a_copyright_line_under_the_story_naming_a_news_agency_credits_it(
    copyright: str, agency: str
) -> None:
    body = f"<article><h1>Library approved</h1>{STORY}<p>{copyright}</p></article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == agency


def test_a_byline_beats_the_agency_of_the_copyright_line() -> None:
    body = (
        f"<article><h1>Library approved</h1><p>By Jane Smith</p>{STORY}"
        "<p>© 2008 The Associated Press. All rights reserved.</p></article>"
    )
    assert metadata_of("<title>Library approved</title>", body)["author"] == "Jane Smith"


@pytest.mark.parametrize(
    "copyright",
    ["© 2008 The Springfield Courier. All rights reserved.", "Copyright 2008 Apple Inc."],
)
def test_a_copyright_line_naming_no_news_agency_credits_no_one(copyright: str) -> None:
    body = f"<article><h1>Library approved</h1>{STORY}<p>{copyright}</p></article>"
    assert "author" not in metadata_of("<title>Library approved</title>", body)


def test_the_agency_on_its_own_page_is_no_author() -> None:
    # The title names the agency as the page's publisher ("AFP: …" where its stories are
    # hosted): its copyright line credits no one.
    body = f"<article><h1>Library approved</h1>{STORY}<p>Copyright © 2008 AFP.</p></article>"
    assert "author" not in metadata_of("<title>AFP: Library approved</title>", body)


@pytest.mark.parametrize(
    "credit", ["<h3>The Associated Press</h3>", '<p class="byline">By the Associated Press</p>']
)
def test_a_news_agency_credited_under_the_headline(credit: str) -> None:
    body = f"<article><h1>Library approved</h1>{credit}{STORY}</article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == "Associated Press"


def test_a_news_agency_named_as_the_source_is_no_outlet_the_story_was_taken_from() -> None:
    # "来源：新京报" names an outlet a portal took the story from, which did not write it
    # for the portal; a news agency's story is its own, credited by its copyright line.
    body = (
        f"<article><h1>Library approved</h1><p>Source: Press Association</p>{STORY}"
        "<p>Copyright (c) Press Association Ltd. 2008</p></article>"
    )
    assert metadata_of("<title>Library approved</title>", body)["author"] == "Press Association"


@pytest.mark.parametrize(
    ("lead", "iso"),
    [
        ("St. Louis, May 19, 1999 – Helen Smith, professor of biology, has received", "1999-05-19"),
        (
            "3:55 p.m., Feb. 1, 2005--With a staff of seven and more than 7,200 students",
            "2005-02-01",
        ),
    ],
)
def test_a_dateline_opening_the_lead_before_a_dash_dates_the_story(lead: str, iso: str) -> None:
    body = f"<article><h1>Library approved</h1><p>{lead} living on campus.</p>{STORY}</article>"
    assert metadata_of("<title>Library approved</title>", body)["published"] == iso


def test_a_lead_opening_on_a_year_before_a_dash_is_no_dateline() -> None:
    lead = "<p>In 1999 – the year the law passed – the council first asked for a library.</p>"
    body = f"<article><h1>Library approved</h1>{lead}{STORY}</article>"
    assert "published" not in metadata_of("<title>Library approved</title>", body)


def test_a_page_declaring_only_its_last_change_is_dated_by_it() -> None:
    head = '<title>Library approved</title><meta itemprop="dateUpdate" content="2019-09-30 22:46">'
    body = f"<article><h1>Library approved</h1>{STORY}</article>"
    assert metadata_of(head, body)["published"].startswith("2019-09-30")
    published = '<meta property="article:published_time" content="2019-09-28">'
    assert metadata_of(head + published, body)["published"] == "2019-09-28"


@pytest.mark.parametrize(
    ("closing", "author"),
    [
        # The region may keep a "Do you have comments?" line under the signature, and
        # leave the signature out as a link.
        (
            '<p><a href="/x">--Scott Ferguson</a></p><p>Do you have comments on this story?</p>'
            "<p>Post them below.</p>",
            "Scott Ferguson",
        ),
        (
            "<p>Article by Alexis Carroll, AS ’05</p><p>Photos by Kathy F. Atkinson</p>"
            "<p>To learn how to subscribe, click here.</p>",
            "Alexis Carroll",
        ),
    ],
)
def test_a_signature_a_few_lines_over_the_storys_end_names_its_author(
    closing: str, author: str
) -> None:
    body = f"<article><h1>Library approved</h1>{STORY}{closing}</article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == author


def test_a_list_of_dashed_items_under_the_story_signs_nothing() -> None:
    items = "".join(f"<p>-{item}</p>" for item in ["Selective Enrollment", "Magnet Schools"])
    body = f"<article><h1>Library approved</h1>{STORY}{items}</article>"
    assert "author" not in metadata_of("<title>Library approved</title>", body)


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        (
            "BY HEMMY SO in Los Angeles and BEN WIDDICOMBE, LARRY McSHANE and RICH SCHAPIRO in"
            " New York",
            "HEMMY SO, BEN WIDDICOMBE, LARRY McSHANE, RICH SCHAPIRO",
        ),
        ("KEVIN SCHOFIELD and GERRY BRAIDEN", "KEVIN SCHOFIELD, GERRY BRAIDEN"),
        ("by Scott Parazynski BS '83 Stanford University", "Scott Parazynski"),
    ],
)
def test_a_credit_of_names_the_byline_pattern_does_not_read(byline: str, author: str) -> None:
    body = f"<article><h1>Library approved</h1><p>{byline}</p>{STORY}</article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == author


@pytest.mark.parametrize(
    "line", ["OBAMA AND CLINTON MEET", "Jane Smith and John Doe", "by India Post News Weekly"]
)
def test_a_line_of_words_in_capitals_or_a_weekly_is_no_credit(line: str) -> None:
    body = f"<article><h1>Library approved</h1><p>{line}</p>{STORY}</article>"
    assert "author" not in metadata_of("<title>Library approved</title>", body)


@pytest.mark.parametrize("over", [True, False])
def test_a_dateline_beside_a_headline_printed_without_a_heading_beats_the_banner(
    over: bool,
) -> None:
    banner = "<table><tr><td>Wednesday, January 16, 2008</td></tr></table>"
    dateline, headline = "<div>01-14-2008 15:45</div>", '<div class="title">Library approved</div>'
    top = dateline + headline if over else headline + dateline
    body = f"{banner}<div>{top}<article>{STORY}</article></div>"
    assert metadata_of("<title>Library approved</title>", body)["published"] == "2008-01-14"


def test_a_byline_right_over_a_story_without_a_heading_credits_it() -> None:
    over = "<div><p>Library approved for downtown</p><p>by Chris Shiflett</p></div>"
    body = f"{over}<article>{STORY}</article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == "Chris Shiflett"


def test_a_menu_line_right_over_a_story_without_a_heading_credits_no_one() -> None:
    over = (
        "<ul><li><a href='/a'>Tryouts</a></li><li><a href='/b'>Article Update Service</a></li></ul>"
    )
    body = f"{over}<article>{STORY}</article>"
    assert "author" not in metadata_of("<title>Library approved</title>", body)


@pytest.mark.parametrize(
    ("heading", "author"),
    [
        ("<p>Prepared Remarks of</p><p>Timothy J. Muris</p><p>Chairman</p>", "Timothy J. Muris"),
        (
            "<h2>STATEMENT of</h2><p>Chris Edwards</p><p>Director of Fiscal Policy</p>",
            "Chris Edwards",
        ),
        (
            "<h3>Second Stage Speech by Micheál Martin, Minister for Enterprise</h3>",
            "Micheál Martin",
        ),
    ],
)
def test_a_speech_names_its_speaker_in_its_heading(heading: str, author: str) -> None:
    # A byline element elsewhere on the page (a sidebar's commentary) credits another.
    sidebar = '<div class="sidebar"><span class="byline">Neal McCluskey</span></div>'
    body = f"<article><h1>Library approved</h1>{heading}{STORY}</article>{sidebar}"
    assert metadata_of("<title>Library approved</title>", body)["author"] == author


def test_a_sentence_quoting_a_statement_names_no_speaker() -> None:
    lead = "<p>A statement by the council said rents would rise.</p><p>Jane Doe</p>"
    body = f"<article><h1>Library approved</h1>{lead}{STORY}</article>"
    assert "author" not in metadata_of("<title>Library approved</title>", body)


def test_the_account_a_blog_signs_its_post_with_is_its_author_even_in_lower_case() -> None:
    comments = (
        "<div class='comments'><p>Thanks for making me think.</p>"
        "<p>Posted by: Sherry at February 16, 2005 03:27 PM</p></div>"
    )
    footer = "<p>Posted by red clay at February 7, 2005 12:29 AM | TrackBack</p>"
    body = f"<article><h1>Library approved</h1>{STORY}{footer}{comments}</article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == "red clay"


def test_comments_posted_by_several_people_credit_none_of_them() -> None:
    comments = "".join(
        f"<p>Great point.</p><p>Posted by {name} on January 10, 2008 5:58 PM</p>"
        for name in ("Idealist", "John", "rupert")
    )
    body = f"<article><h1>Library approved</h1>{STORY}{comments}</article>"
    assert "author" not in metadata_of("<title>Library approved</title>", body)


def test_an_untitled_page_takes_the_line_over_its_byline_as_its_headline() -> None:
    # No <title>, no heading: the template prints the headline as a plain line over the
    # byline, a date banner over both.
    top = (
        "<div><p>Home</p><p>Sunday, June 19, 2005</p>"
        "<p>Born gay? How biology may drive orientation</p><p>By Sandi Doughton</p></div>"
    )
    metadata = metadata_of("", f"{top}<article>{STORY}</article>")
    assert metadata["author"] == "Sandi Doughton"
    assert metadata["title"] == "Born gay? How biology may drive orientation"


@pytest.mark.parametrize(
    "over", ["<ul><li>Print</li><li>Reprints</li></ul>", "<p>Published Thursday 27 July 2017</p>"]
)
def test_a_menu_item_or_a_date_over_the_byline_is_no_headline(over: str) -> None:
    top = f"<div>{over}<p>By Sandi Doughton</p></div>"
    assert "title" not in metadata_of("", f"{top}<article>{STORY}</article>")


def test_a_byline_under_the_headline_line_credits_the_story() -> None:
    # The headline is a plain <div>, and a link stands between its byline and the story:
    # only the line under the headline places the byline.
    story = (
        '<div class="headline">Aidy recalls big guns</div><div><i>By Kevin Affleck</i></div>'
        '<div><a href="#comments">Read Comments (1)</a></div>'
    )
    body = f"<div><p>Sport</p><p>News</p></div>{story}<div>{STORY}</div>"
    metadata = metadata_of("<title>Aidy recalls big guns</title>", body)
    assert metadata["author"] == "Kevin Affleck"


def test_a_byline_under_the_headline_beats_a_role_in_a_meta_tag() -> None:
    head = '<title>Library approved</title><meta name="author" content="Open Source PBX Editor">'
    top = "<div><p>Library approved</p><p>By Patrick Barnard</p><p>TMCnet Assignment Editor</p>"
    body = f"{top}</div><article>{STORY}</article>"
    assert metadata_of(head, body)["author"] == "Patrick Barnard"


@pytest.mark.parametrize("placeholder", ["Administrative User", "Anonymous Student", "Anonymous"])
def test_a_templates_placeholder_credits_no_one(placeholder: str) -> None:
    head = f'<title>Library approved</title><meta name="author" content="{placeholder}">'
    body = f"<article><h1>Library approved</h1>{STORY}</article>"
    assert "author" not in metadata_of(head, body)


@pytest.mark.parametrize(
    ("lead", "author"),
    [("LOS ANGELES (AP) - The city council", "AP"), ("( Reuters )- The city council", "Reuters")],
)
def test_a_wire_dateline_credits_its_agency_when_no_one_else_is(lead: str, author: str) -> None:
    body = f"<article><h1>Library approved</h1><p>{lead} voted to fund it.</p>{STORY}</article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == author


def test_a_wire_dateline_loses_to_a_paper_credited_by_its_byline() -> None:
    lead = '<p class="byline">By the Associated Press</p><p>LOS ANGELES (AP) - It voted.</p>'
    body = f"<article><h1>Library approved</h1>{lead}{STORY}</article>"
    assert metadata_of("<title>Library approved</title>", body)["author"] == "Associated Press"


def test_a_place_in_brackets_opening_the_lead_is_no_wire() -> None:
    body = f"<article><h1>Library approved</h1><p>MUMBAI (Mumbai) - It rained.</p>{STORY}</article>"
    assert "author" not in metadata_of("<title>Library approved</title>", body)
