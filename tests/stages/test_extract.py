"""Extract stage: blocks in reading order, the main region kept, chrome marked with rule
ids (never deleted), metadata from front matter, <meta>, JSON-LD and <time>."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.config import Config
from cleaner.dates import normalize_date
from cleaner.document import Document, DocumentError
from cleaner.rules.boilerplate import DOM_RULES
from cleaner.stages import extract
from cleaner.stages.extract import ExtractConfig, html_blocks
from cleaner.stages.extract.metadata import without_site_name
from cleaner.stages.extract.region import (
    UnlikelyRegions,
    class_weight,
    container_scores,
    first_on_path,
    page_totals,
)
from cleaner.stages.extract.walk import flatten_markup, parse_html, walk_blocks
from cleaner.text import normalize_space, text_weight

BODY = [
    "The city council voted on Tuesday to fund a new public library downtown, ending a "
    "debate that had lasted more than two years and divided residents.",
    "Supporters said the library would give students a quiet place to study, while "
    "opponents worried about the cost, which is estimated at 40 million dollars.",
    "Construction is expected to start next spring, and the building should open in "
    "2027, according to the mayor's office, which released the plans on Monday.",
]


def page(body_paragraphs: list[str], extra_article: str = "", extra_page: str = "") -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in body_paragraphs)
    return f"""<html><head><title>Library approved | Springfield News</title>
    <meta property="og:title" content="Council approves new library">
    <meta property="article:published_time" content="2019-11-19T10:00:00Z">
    <meta name="author" content="Jane Smith"></head>
    <body>
    <nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
    <div id="sidebar" class="sidebar"><h3>Most read</h3><ul>
      <li><a href="/a">A story about something else entirely, with many words in it</a></li>
      <li><a href="/b">Another story about something else, also long enough to score</a></li>
    </ul></div>
    <div class="article"><h1>Council approves new library</h1>
      <div class="article-body">{paragraphs}{extra_article}</div>
      <div class="related"><h3>Related</h3><p>Council also debates parking fees, and
      residents say the fees are too high for families.</p></div>
    </div>
    <div class="comments"><p>Great news, finally! I have waited for this for years, and my
    kids will love it.</p></div>
    {extra_page}
    <footer><p>Copyright 2019 Springfield News. All rights reserved.</p></footer>
    </body></html>"""


def blocks_of(markup: str, **settings):
    metadata: dict[str, str] = {}
    blocks = html_blocks(markup, ExtractConfig(**settings), metadata)
    return blocks, metadata


def kept_texts(blocks) -> list[str]:
    return [block.text for block in blocks if block.kept]


def test_main_region_keeps_body_and_marks_the_rest():
    blocks, _ = blocks_of(page(BODY))
    assert kept_texts(blocks) == BODY
    rules = {block.text[:20]: block.removal.rule for block in blocks if block.removal}
    assert rules["Home News Sport"] in {"extract.nav-element", "extract.outside-main"}
    assert rules["Council approves new"] == "meta.title"
    assert rules["Great news, finally!"] == "extract.outside-main"
    assert rules["Copyright 2019 Sprin"] in {"extract.footer-element", "extract.outside-main"}
    assert rules["Council also debates"] in {"extract.chrome-container", "extract.outside-main"}


def test_every_removed_block_names_a_rule_and_nothing_is_lost():
    blocks, _ = blocks_of(page(BODY))
    assert all(
        block.removal.rule.startswith(("extract.", "meta.")) for block in blocks if block.removal
    )
    joined = " ".join(block.text for block in blocks)
    for text in ["Most read", "Great news", "Copyright 2019", *BODY]:
        assert text in joined


def test_link_lists_inside_the_article_are_marked_but_linked_prose_is_kept():
    link_list = '<p><a href="/x">Read more: the budget</a> | <a href="/y">Parking fees</a></p>'
    linked_sentence = (
        '<p>The plan, <a href="/p">published in full on the city website on Monday and '
        "discussed at length by the council, the library board and the public at three "
        "evening meetings</a>, runs to 300 pages.</p>"
    )
    blocks, _ = blocks_of(page(BODY, extra_article=link_list + linked_sentence))
    rules = {block.text[:10]: block.removal.rule if block.removal else None for block in blocks}
    assert rules["Read more:"] == "extract.link-dense"
    assert rules["The plan, "] is None


def test_hidden_text_and_captions_are_marked():
    extra = (
        '<div style="display:none"><p>hidden duplicate of the article body, never shown '
        "to a reader of the page, long enough to score.</p></div>"
        "<figure><img src='x.jpg'><figcaption>The site of the new library.</figcaption></figure>"
    )
    blocks, _ = blocks_of(page(BODY, extra_article=extra))
    rules = {block.text[:10]: block.removal.rule if block.removal else None for block in blocks}
    assert rules["hidden dup"] == "extract.hidden"
    assert rules["The site o"] == "extract.caption"
    kept_with_captions = kept_texts(
        blocks_of(page(BODY, extra_article=extra), keep_captions=True)[0]
    )
    assert "The site of the new library." in kept_with_captions


def test_main_region_off_keeps_everything_but_chrome():
    blocks, _ = blocks_of(page(BODY), main_region=False)
    rules = {block.removal.rule for block in blocks if block.removal}
    assert "extract.outside-main" not in rules
    assert {"extract.nav-element", "extract.chrome-container"} <= rules
    assert "Most read" not in " ".join(kept_texts(blocks))


def test_page_wrapper_named_like_a_sidebar_is_not_thrown_away():
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    markup = f'<html><body><div class="container has_sidebar">{paragraphs}</div></body></html>'
    blocks, _ = blocks_of(markup)
    assert kept_texts(blocks) == BODY


def test_paragraphs_straight_under_body_are_the_article():
    # Hand-written and Word-exported pages put their paragraphs in <body> itself.
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    menu = '<table><tr><td><a href="/">Home</a> | <a href="/about">About</a></td></tr></table>'
    blocks, _ = blocks_of(f"<html><body>{menu}{paragraphs}</body></html>")
    assert kept_texts(blocks) == BODY


def test_an_unclosed_name_anchor_around_the_page_is_not_a_link():
    # <a name="top"> left open wraps the whole page in an <a> that links nowhere.
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    markup = f'<html><body><a name="top"><div class="story">{paragraphs}</div></body></html>'
    blocks, _ = blocks_of(markup)
    assert kept_texts(blocks) == BODY
    assert all(block.link_chars == 0 for block in blocks)
    linked = f'<html><body><a href="/x"><div class="story">{paragraphs}</div></body></html>'
    assert all(block.link_chars == len(block.text) for block in blocks_of(linked)[0])


def test_a_page_inside_one_form_keeps_its_article():
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY * 2)
    markup = page([], extra_article=f'<form id="aspnetForm">{paragraphs}</form>')
    kept = kept_texts(blocks_of(markup)[0])
    assert all(text in kept for text in BODY)
    # A form beside the article (a search box, a newsletter sign-up) is still chrome.
    search = "<form><p>Search our archive of stories, events and people.</p></form>"
    kept = kept_texts(blocks_of(page(BODY, extra_article=search))[0])
    assert all(text in kept for text in BODY) and not any("Search" in text for text in kept)


def test_a_comment_thread_longer_than_the_story_is_still_chrome():
    # The thread sits inside the story's container and holds most of its prose; its
    # paragraphs gave the region no score, so its name still marks it.
    story = "".join(f"<p>{text}</p>" for text in BODY * 2)
    comments = "".join(f"<p>{text} I disagree, though.</p>" for text in BODY * 5)
    markup = (
        f'<html><body><div id="content">{story}'
        f'<div class="comment_container">{comments}</div></div></body></html>'
    )
    blocks = blocks_of(markup)[0]
    assert kept_texts(blocks) == BODY * 2
    assert {block.removal.rule for block in blocks if block.removal} == {"extract.chrome-container"}


def test_a_paragraph_set_in_a_heading_tag_scores_as_prose():
    blurb = " ".join(BODY)
    markup = (
        f"<html><body><div id='about'><h2>{blurb}</h2></div>"
        "<div id='footer'><p>Get our news feed sent to your web site, or get involved: we "
        "have branches in many cities and towns.</p></div></body></html>"
    )
    assert kept_texts(blocks_of(markup)[0]) == [blurb]


def test_an_unknown_tag_in_head_does_not_take_the_body_into_the_head():
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    markup = (
        "<html><head><title>Library</title><meta name='robots' content='all'><mbox>"
        f"<table><tr><td>{paragraphs}</td></tr></table></body></html>"
    )
    assert kept_texts(blocks_of(markup)[0]) == BODY
    # A head holding only what a head may hold is left alone: its title is not text.
    plain = f"<html><head><title>Library</title></head><body>{paragraphs}</body></html>"
    assert kept_texts(blocks_of(plain)[0]) == BODY


def test_an_unclosed_noscript_does_not_swallow_the_page():
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY * 6)
    markup = f"<html><body><noscript><img src='pixel.gif'><div>{paragraphs}</div></body></html>"
    assert kept_texts(blocks_of(markup)[0]) == BODY * 6
    fallback = (
        f"<html><body><noscript>Please enable JavaScript.</noscript>{paragraphs}</body></html>"
    )
    assert "Please enable JavaScript." not in kept_texts(blocks_of(fallback)[0])


def test_a_title_left_unclosed_does_not_swallow_the_page():
    # A page saved with bytes missing after its title: libxml2 reads the rest of the page
    # as the title's text and never opens the body.
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY * 6)
    cut = '<html><head><title>Library approved</titavaScript" src="a.js"></script>'
    markup = f"{cut}\n<script>var a = 1;</script></head><body>{paragraphs}</body></html>"
    blocks, metadata = blocks_of(markup)
    assert kept_texts(blocks) == BODY * 6
    assert metadata["title"] == "Library approved"
    # A long title that is closed is left as it is.
    closed = f"<html><head><title>{'Library ' * 300}</title></head><body>{paragraphs}</body>"
    assert kept_texts(blocks_of(closed + "</html>")[0]) == BODY * 6


def test_react_streamed_segments_are_read_but_the_hidden_attribute_still_hides():
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    streamed = f'<html><body><template id="B:0"></template><div hidden id="S:0">{paragraphs}</div>'
    assert kept_texts(blocks_of(streamed + "</body></html>")[0]) == BODY
    hidden = f'<html><body><div class="story">{paragraphs}</div><div hidden id="dialog">'
    hidden += "<p>Sign in to keep reading this and every other story on the site.</p></div>"
    assert kept_texts(blocks_of(hidden + "</body></html>")[0]) == BODY


def test_the_tex_source_of_a_mathml_formula_is_not_text():
    formula = (
        "<math><semantics><mi>A</mi><mo>=</mo><msup><mi>A</mi><mi>H</mi></msup>"
        '<annotation encoding="application/x-tex">{\\displaystyle A=A^{H}}</annotation>'
        "</semantics></math>"
    )
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    markup = f"<html><body><div>{paragraphs}<p>A matrix is Hermitian when {formula}.</p></div>"
    kept = " ".join(kept_texts(blocks_of(markup + "</body></html>")[0]))
    assert "displaystyle" not in kept and "Hermitian when A=AH." in kept


def test_a_body_class_list_of_feature_flags_is_not_a_caption():
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    markup = (
        '<html><body class="kotaku f_ad_timeout_on f_video_upload_captions_on">'
        f'<div class="post-content">{paragraphs}</div></body></html>'
    )
    assert kept_texts(blocks_of(markup)[0]) == BODY


@pytest.mark.parametrize(
    "classes",
    [
        "post type-post tag-tax-credits",
        "entry category-deductions-and-credits",
        "story [&_figcaption]:mt-xxs",
        "post md:sidebar-hidden",
    ],
)
def test_taxonomy_and_utility_class_names_do_not_brand_an_article(classes):
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    markup = f'<html><body><div class="{classes}">{paragraphs}</div></body></html>'
    blocks, _ = blocks_of(markup)
    assert kept_texts(blocks) == BODY


@pytest.mark.parametrize(
    ("name", "weight"),
    [
        ('id="ArtContent"', 25.0),
        ('class="vitstorybody"', 25.0),
        ('id="sidebarRight"', -25.0),
        ('id="commentBody"', -25.0),  # a comment's body is a comment
        ('class="relatedcontent"', -25.0),
        ('class="contents"', 0.0),  # a plural, not a compound
        ('class="download"', 0.0),  # "ad" is too short to be a part
        ('class="article-body"', 25.0),
    ],
)
def test_one_word_class_names_count_by_their_parts(name, weight):
    element = parse_html(f"<html><body><div {name}>x</div></body></html>").find(".//div")
    assert class_weight(element) == weight


def test_a_name_never_outweighs_the_text_under_it():
    # A one-line box named like content ("textLarge") beside an unnamed article: the
    # name adds at most what the box's own text scores, so the article scores higher.
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY * 2)
    markup = (
        f'<html><body><div id="a">{paragraphs}</div><div><div class="textLarge">'
        "<p>Share your thoughts, ideas, worries and questions with us.</p></div></div>"
        "</body></html>"
    )
    pieces = walk_blocks(parse_html(markup))
    settings, unlikely = ExtractConfig(), UnlikelyRegions()
    scores = container_scores(pieces, settings, unlikely, page_totals(pieces, settings))
    by_name = {
        element.get("id") or element.get("class"): score for element, score in scores.items()
    }
    assert by_name["a"] > by_name["textLarge"]
    assert kept_texts(blocks_of(markup)[0]) == BODY * 2


def test_a_caption_class_still_marks_a_caption():
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    caption = '<div class="photo-credit">Photo: J. Smith for the council</div>'
    markup = f'<html><body><div class="story">{paragraphs}{caption}</div></body></html>'
    blocks, _ = blocks_of(markup)
    assert kept_texts(blocks) == BODY


def test_metadata_from_meta_tags():
    _, metadata = blocks_of(page(BODY))
    assert metadata["title"] == "Council approves new library"
    assert metadata["published"] == "2019-11-19T10:00:00+00:00"
    assert metadata["author"] == "Jane Smith"


def test_metadata_from_json_ld_and_time_when_meta_is_missing():
    markup = (
        """<html><head><script type="application/ld+json">
      {"@graph": [{"@type": "NewsArticle", "headline": "Library approved",
      "author": [{"name": "Jane Smith"}, {"name": "Tom Jones"}]}]}</script></head>
      <body><article><time datetime="2019-11-19">Nov 19</time>
      <p>"""
        + BODY[0]
        + "</p></article></body></html>"
    )
    _, metadata = blocks_of(markup)
    assert metadata["title"] == "Library approved"
    assert metadata["author"] == "Jane Smith, Tom Jones"
    assert metadata["published"] == "2019-11-19"


def test_title_falls_back_to_title_tag_without_site_name():
    _, metadata = blocks_of(
        "<html><head><title>Library approved | Springfield News</title>"
        "</head><body><p>" + BODY[0] + "</p></body></html>"
    )
    assert metadata["title"] == "Library approved"


def test_declared_charset_does_not_garble_decoded_text():
    markup = (
        '<html><head><meta charset="gb2312"></head>'
        "<body><p>青岛高新区，生物医药。</p></body></html>"
    )
    blocks, _ = blocks_of(markup, main_region=False)
    assert kept_texts(blocks) == ["青岛高新区，生物医药。"]


def test_chinese_page_main_region():
    body = [
        "青岛高新区坚持“一园一业”，落实“5个1”机制，实施专业园区“聚核聚链”行动，做好园区专业化定位。",
        "生物医药及医疗器械产业园总占地4600余亩，分为医药器械片区和康复医疗片区，累计引进多个重点项目。",
    ]
    paragraphs = "".join(f"<p>{text}</p>" for text in body)
    markup = f"""<html><body><div class="nav"><a href="/">首页</a><a href="/n">新闻</a></div>
      <div class="content">{paragraphs}</div>
      <div class="hot"><ul><li><a href="/1">热门新闻一则，标题比较长，内容与本文无关</a>
      </li></ul></div>
      </body></html>"""
    blocks, _ = blocks_of(markup)
    assert kept_texts(blocks) == body


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2019-11-19T10:00:00Z", "2019-11-19T10:00:00+00:00"),
        ("2022年4月28日 12:19", "2022-04-28T12:19:00"),
        ("Nov. 19, 2019", "2019-11-19"),
        ("19 November 2019", "2019-11-19"),
        ("admin1年前 (2024-09-27)青岛产业信息134", "2024-09-27"),
        ("2019/02/30", None),
        ("no date here", None),
    ],
)
def test_normalize_date(written, iso):
    assert normalize_date(written) == iso


def test_text_weight_counts_cjk_three_times():
    assert text_weight("ab青") == 5.0


def test_front_matter_becomes_metadata_and_a_marked_block():
    text = '---\ntitle: "A title"\ndate: 2022-04-28 12:19:21 +0800\n---\nFirst paragraph.\n'
    document = Document("post.md", media_type="markdown", text=text)
    document = extract.apply(document, Config().extract)
    assert document.metadata["title"] == "A title"
    assert document.metadata["published"] == "2022-04-28T12:19:21+08:00"
    assert document.blocks[0].removal.rule == "extract.front-matter"
    assert [block.text for block in document.kept_blocks()] == ["First paragraph."]


def test_plain_text_paragraphs_and_markdown_links():
    text = "# Heading\n\nline one\nline two\n\n[a link](http://x) and text\n\n![](img.png)\n"
    document = extract.apply(Document("a.md", media_type="markdown", text=text), Config().extract)
    texts = [block.text for block in document.blocks]
    assert texts == ["Heading", "line one line two", "a link and text", ""]
    assert document.blocks[2].link_chars == len("a link")
    assert document.blocks[3].removal.rule == "extract.image"


def test_broken_and_empty_html_do_not_crash():
    assert html_blocks("") == []
    assert html_blocks("<html><body><p>unclosed <b>bold") != []


def test_nesting_beyond_the_parser_limit_is_read_again_without_wrapper_tags():
    deep = "<div>" * 3000 + "<p>Deep text that the parser would drop.</p>" + "</div>" * 3000
    assert kept_texts(html_blocks(deep)) == ["Deep text that the parser would drop."]
    spans = "<span><font>" * 2000 + "<p>Unclosed inline tags, then the story.</p>"
    assert kept_texts(html_blocks(spans)) == ["Unclosed inline tags, then the story."]
    shallow = "<div>" * 100 + "<p>Text at a normal depth, kept as usual.</p>" + "</div>" * 100
    assert kept_texts(html_blocks(shallow)) == ["Text at a normal depth, kept as usual."]


def test_nesting_of_kept_tags_beyond_the_parser_limit_is_an_error_not_a_short_article():
    deep = "<h1>" * 3000 + "Deep text that the parser would drop."
    with pytest.raises(DocumentError) as error:
        html_blocks(deep)
    assert error.value.kind == "too_deep"


@pytest.mark.parametrize(
    ("markup", "flat"),
    [
        (
            '<div class="a"><div><p>One <font>two</font></p></div>three</div>',
            "<br><br><p>One two</p><br>three<br>",
        ),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "<br><br><br>a<br><br>b<br><br><br>"),
        ("<span>x</span> <b>y</b>", "x y"),
    ],
)
def test_flatten_markup_turns_block_wrappers_into_breaks_and_drops_inline_ones(markup, flat):
    assert flatten_markup(markup) == flat


@pytest.mark.parametrize(
    "markup",
    [
        '<h2>T</h2><p class="x">p</p><a href="/x">l</a><li>i</li><br>',
        '<head><title>t</title><meta name="author" content="A"></head>',
        "<script>if (a<b) {}</script><style>p{}</style>",
        "no tags < 3 and > 2 <",
    ],
)
def test_flatten_markup_keeps_text_structure_metadata_and_hidden_elements(markup):
    assert flatten_markup(markup) == markup


def test_site_name_is_cut_from_the_title_only_when_it_is_the_site_name():
    assert without_site_name("How to X | The Blog", "The Blog") == "How to X"
    assert without_site_name("Vote - Results", "The Blog") == "Vote - Results"
    assert without_site_name("How to X", "") == "How to X"


def test_placeholder_dates_are_skipped_for_the_next_source():
    markup = (
        '<html><head><meta property="article:published_time" content="0001-01-01T00:00:00Z">'
        '</head><body><time datetime="2019-11-19T08:00:00Z"></time><p>'
        + BODY[0]
        + "</p></body></html>"
    )
    _, metadata = blocks_of(markup)
    assert metadata["published"] == "2019-11-19T08:00:00+00:00"


# ---------------------------------------------------------------- properties

_MARKUP_PIECES = st.sampled_from(
    [
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<a href='x'>",
        "</a>",
        "<li>",
        "<br>",
        "<nav>",
        "</nav>",
        "<script>",
        "</script>",
        "<h1>",
        "</h1>",
        " ",
        "\n\n",
        "青岛",
        "text, more",
        "<div class='comments'>",
        "<span style='display:none'>",
        "</span>",
        "&amp;",
        "<",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_MARKUP_PIECES | st.text(max_size=20), max_size=40))
def test_any_markup_gives_blocks_or_a_document_error_and_is_deterministic(pieces):
    markup = "".join(pieces)
    try:
        first = [(block.text, block.removal) for block in html_blocks(markup)]
    except DocumentError:
        return
    second = [(block.text, block.removal) for block in html_blocks(markup)]
    assert first == second
    assert all(block_text.strip() for block_text, _ in first)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="[]()!#<>`*_\\"), max_size=300))
def test_plain_text_blocks_lose_no_characters(text):
    blocks = extract.text_blocks(text, markdown=False)
    assert "".join("".join(block.text.split()) for block in blocks) == "".join(text.split())


def test_docstring_examples():
    import doctest

    import cleaner.dates
    import cleaner.text
    from cleaner.stages.extract import authors, markdown, metadata, region, walk

    for module in (cleaner.dates, cleaner.text, authors, markdown, metadata, region, walk):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_an_article_cut_in_two_by_an_ad_is_kept_whole():
    first = "".join(f"<p>{text}</p>" for text in BODY)
    second = "".join(f"<p>{text} (continued)</p>" for text in BODY[:2])
    markup = f"""<html><body>
      <div class="grid"><div class="article__body">{first}</div></div>
      <div class="ad-slot"><p>Advertisement, an offer you cannot refuse, today only.</p></div>
      <div class="grid"><div class="article__body">{second}</div></div>
      <div class="promo"><p>Another story, another day, read it on our site today.</p></div>
    </body></html>"""
    blocks, _ = blocks_of(markup)
    kept = kept_texts(blocks)
    assert kept[: len(BODY)] == BODY and len(kept) == len(BODY) + 2


def test_a_short_news_item_is_not_traded_for_its_disclaimer():
    news = "据财联社9月26日消息，今日从交通运输部新闻发布会获悉，京津冀交通一体化建设取得积极成效。"
    disclaimer = (
        "【免责声明】本文仅代表作者本人观点，与本网无关。本网站对文中陈述、观点判断保持中立，"
        "不对所包含内容的准确性、可靠性或完整性提供任何明示或暗示的保证。"
    )
    markup = f"""<html><body><div class="art_contextBox"><p>{news}</p></div>
      <div class="statement"><p>{disclaimer}</p></div></body></html>"""
    blocks, _ = blocks_of(markup)
    assert kept_texts(blocks) == [news]


def test_placeholder_authors_are_not_metadata():
    head = '<meta name="author" content="name, email@gmail.com">'
    _, metadata = blocks_of(f"<html><head>{head}</head><body><p>{BODY[0]}</p></body></html>")
    assert "author" not in metadata


@pytest.mark.parametrize("rule", DOM_RULES, ids=lambda rule: rule.id)
def test_every_dom_rule_example_keeps_the_article(rule):
    # That each example fires its rule is tested with every table (tests/rules/).
    ((page, _),) = rule.fires_on
    blocks, _ = blocks_of(page)
    assert any(block.kept for block in blocks)


def test_a_breadcrumb_is_never_the_title():
    markup = (
        "<html><body><h1>当前位置：首页->军事技术</h1><div><p>飞行物理学常识</p>"
        "<p>飞行归因于作用在飞机上的几个力，第一个是重力，第二个是升力，第三个是推力。</p>"
        "<p>多个力可同时从不同方向作用于同一架飞机，飞行员必须懂得它们之间的关系。</p>"
        "</div></body></html>"
    )
    _, metadata = blocks_of(markup)
    assert metadata["title"] == "飞行物理学常识"


@given(st.text(alphabet=st.sampled_from("ab 中\t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\u200b\ufeff")))
@settings(max_examples=300, deadline=None)
def test_normalize_space_agrees_with_the_regex_definition(text):
    import re

    assert normalize_space(text) == re.sub(r"\s+", " ", text).strip()


def test_first_on_path_remembers_each_prefix_and_answers_like_a_scan():
    root = parse_html('<div class="share"><div><p>a</p><p>b</p></div></div><div><p>c</p></div>')
    paragraphs = list(root.iter("p"))
    paths = [tuple(reversed([p, *p.iterancestors()])) for p in paragraphs]
    asked: list = []

    def is_share(element) -> bool:
        asked.append(element)
        return element.get("class") == "share"

    memo: dict = {}
    found = [first_on_path(path, is_share, memo) for path in paths]
    share = root.find(".//div")
    assert found == [share, share, None]
    assert len(asked) == len(set(asked))  # each element tested once
    assert first_on_path((), is_share, memo) is None


def test_markup_libxml2_gives_up_on_is_read_leniently() -> None:
    from cleaner.config import Config
    from cleaner.document import Document
    from cleaner.pipeline import process_document

    page = "<![CDATA[ The harbour reopened on Monday after the storm, officials said. ]]>"
    result = process_document(
        Document("cdata.html", raw=page.encode(), media_type="html"), Config()
    )
    assert "The harbour reopened on Monday" in "\n".join(b.text for b in result.kept_blocks())
    assert "BeautifulSoup" in result.metadata["html_parser"]


def test_walk_judges_repeated_attributes_by_every_attribute_that_hides():
    # Same tag and class, told apart only by style, the hidden attribute or the id: the
    # walk remembers answers per set of attributes, so each must still count.
    root = parse_html(
        "<body>"
        '<div class="x"><p>shown one</p></div>'
        '<div class="x" style="display:none"><p>hidden by style</p></div>'
        '<div class="x" hidden><p>hidden by attribute</p></div>'
        '<div class="x"><p>shown two</p></div>'
        '<div class="x" id="y"><p>shown three</p></div>'
        "</body>"
    )
    pieces = walk_blocks(root)
    hidden = {piece.block.text: piece.block.hidden for piece in pieces}
    assert hidden == {
        "shown one": False,
        "hidden by style": True,
        "hidden by attribute": True,
        "shown two": False,
        "shown three": False,
    }
    containers = [piece.block.container for piece in pieces]
    assert containers[0] == containers[3] == "div.x"
    assert containers[4] == "div#y.x"


@settings(max_examples=300)
@given(
    st.text(alphabet=st.one_of(st.characters(), st.sampled_from("青岛㐀\u9fff\uf900\ufaff﹏a ")))
)
def test_text_weight_equals_its_per_character_definition(text):
    def is_cjk(character: str) -> bool:
        return "\u3400" <= character <= "\u9fff" or "\uf900" <= character <= "\ufaff"

    assert text_weight(text) == sum(3.0 if is_cjk(character) else 1.0 for character in text)


@pytest.mark.parametrize(
    ("title", "site_name", "expected"),
    [
        ("The Clock | National Review", "National Review", "The Clock"),
        ("The Clock — national review ", "National Review", "The Clock"),  # any case
        ("The Clock · National Review", "National Review", "The Clock"),
        ("National Review", "National Review", "National Review"),  # nothing before it
        ("The Clock National Review", "National Review", "The Clock National Review"),
        ("The Clock | Other Site", "National Review", "The Clock | Other Site"),
        ("a|b|c", "", "a|b|c"),  # no site name known
    ],
)
def test_without_site_name_drops_only_a_separated_site_tail(title, site_name, expected):
    assert without_site_name(title, site_name) == expected


def test_a_standfirst_in_its_own_div_beside_the_body_is_kept():
    standfirst = (
        "A tanker that ran aground in the strait has been refloated and towed away, the "
        "coastguard agency said on Thursday morning."
    )
    body = "".join(f"<p>{text}</p>" for text in BODY * 2)
    markup = f"""<html><body><div class="story">
      <div class="first-para">{standfirst}</div>
      <div class="story-body">{body}</div>
      <div class="tools">Print | Email | Share</div>
    </div></body></html>"""
    blocks, _ = blocks_of(markup)
    assert kept_texts(blocks) == [standfirst, *BODY * 2]


def test_a_standfirst_wrapped_alone_before_the_body_is_kept_but_not_a_line_after_it():
    standfirst = (
        "Some of the biggest stars in theatre have passed a motion of no confidence in the "
        "arts council over its proposed round of grant cuts."
    )
    bio = "Julius is an entertainment reporter for the paper, based in Los Angeles."
    body = "".join(f"<p>{text}</p>" for text in BODY * 2)
    markup = f"""<html><body><div class="wrapper">
      <div><p class="introcopy">{standfirst}</p></div>
      <div class="story-body">{body}</div>
      <div class="bio"><p>{bio}</p></div>
    </div></body></html>"""
    blocks, _ = blocks_of(markup)
    assert kept_texts(blocks) == [standfirst, *BODY * 2]


# The rest of a story set in a section of its own beside the body container, its
# paragraphs a level deeper (a timeline under the story): the sibling bar misses it.
TIMELINE = [
    "8 p.m.: The harbour police are called to the quay after reports that a tanker has "
    "lost power and is drifting towards the breakwater, its crew of twelve still aboard.",
    "10:50 p.m.: Two tugs arrive and pass lines to the tanker, while the coastguard asks "
    "the small boats moored at the quay to move away until the tow has been made safe.",
    "1 a.m.: The tanker is towed clear of the breakwater and anchored in the outer "
    "harbour, where divers will inspect its hull for damage once the sun is up.",
    "3:45 a.m.: The port authority confirms that no oil has leaked, and that the quay will "
    "reopen to ferries in the morning, after a night in which nobody was hurt.",
]


def _story_with_section(section: str, body_paragraphs: list[str] = BODY * 3) -> str:
    body = "".join(f"<p>{text}</p>" for text in body_paragraphs)
    return f"""<html><body><div class="wrapper">
      <div class="article">{body}</div>
      <div>{section}</div>
    </div></body></html>"""


def test_a_prose_section_beside_the_body_joins_it_but_not_a_teaser_list():
    timeline = "".join(f"<p>{text}</p>" for text in TIMELINE)
    section = f"<h3>How the night unfolded</h3><div class='timeline'>{timeline}</div>"
    blocks, _ = blocks_of(_story_with_section(section))
    assert kept_texts(blocks) == [*BODY * 3, "How the night unfolded", *TIMELINE]
    # The same prose as blurbs, each under its headline link: a teaser box.
    teasers = "".join(
        f"<div><p><a href='/story/{n}'>Headline of another story, number {n}</a></p>"
        f"<p>{text}</p></div>"
        for n, text in enumerate(TIMELINE)
    )
    blocks, _ = blocks_of(_story_with_section(f"<h3>Must read</h3>{teasers}"))
    assert kept_texts(blocks) == BODY * 3
    # A short box of prose beside a short story stays out, a third of its prose as it is.
    notice = f"<div><div><p>{TIMELINE[0]}</p><p>{TIMELINE[1]}</p></div></div>"
    blocks, _ = blocks_of(_story_with_section(notice, BODY * 2))
    assert kept_texts(blocks) == BODY * 2


def test_a_container_named_in_one_word_with_a_chrome_part_is_chrome():
    body = "".join(f"<p>{text}</p>" for text in BODY * 2)
    prompt = "No comments have so far been submitted. Be the first to have your say on this."
    markup = f"""<html><body><div class="story">{body}
      <div id="readerComments"><p>{prompt}</p></div>
      <div class="socialbookmarks"><p>Bookmark this story with the sites you use.</p></div>
    </div></body></html>"""
    blocks, _ = blocks_of(markup)
    assert kept_texts(blocks) == BODY * 2
    assert {block.removal.rule for block in blocks if not block.kept} == {
        "extract.chrome-container"
    }
    # A word made from a chrome word is no compound: an analyst's "commentary" box.
    analysis = "Analysts said the vote, which came after two years of debate, was expected."
    opinion = f"""<html><body><div class="story">{body}
      <div class="commentary"><p>{analysis}</p></div></div></body></html>"""
    assert kept_texts(blocks_of(opinion)[0]) == [*BODY * 2, analysis]


def test_a_box_holding_more_than_one_block_is_not_taken_for_a_standfirst():
    teasers = "<br>".join(f"<a href='/{n}'>Teaser headline number {n}</a>" for n in range(3))
    body = "".join(f"<p>{text}</p>" for text in BODY * 2)
    markup = f"""<html><body><div class="story">
      <div class="box">Read more of our coverage of the council and its budget. {teasers}</div>
      <div class="story-body">{body}</div></div></body></html>"""
    blocks, _ = blocks_of(markup)
    assert kept_texts(blocks) == BODY * 2


def test_short_steps_between_the_chunks_of_an_article_are_kept():
    steps = [
        "A glass jar, a handful of moss, a small plant, some foam and an afternoon: that is "
        "all it takes, says the florist, who has built hundreds of them, to make a garden "
        "that lives for years, needs water once a month, and fits on any windowsill.",
        "Insert the plant.",
        "Add moss around it.",
        "Place the glass cover over the arrangement, gently, so that the moss is not pushed "
        "up against the sides, and leave it in the shade for a day.",
    ]
    chunks = "".join(
        f"<div class='step'><div class='content'><p>{text}</p></div>"
        f"<figcaption>Photo {n}</figcaption></div>"
        for n, text in enumerate(steps)
    )
    markup = f"""<html><body><div class="main">{chunks}</div>
      <div class="rail"><div class="content"><p>Short teaser.</p></div></div></body></html>"""
    blocks, _ = blocks_of(markup)
    assert kept_texts(blocks) == steps


# A handbook chapter in sections of one shape, no names anywhere: the longest section
# scores best, the others lie beside it in their own <li>.
_LONG_SECTION = " ".join(
    f"Animal caretakers in shelters, clinics and zoos feed, water and exercise animals, {n}."
    for n in range(6)
)
_SHORT_SECTION = (
    "Caretakers may work outdoors in all kinds of weather, and hours are irregular, as "
    "animals have to be fed every day, so caretakers often work weekends and holidays."
)


def _sections_page(section_attributes: str = "") -> str:
    sections = "".join(
        f"<li{section_attributes}><h4>Section {n}</h4><blockquote><p>{text}</p>"
        f"<p>{text}</p></blockquote></li>"
        for n, text in enumerate([_LONG_SECTION, _SHORT_SECTION, _SHORT_SECTION])
    )
    return (
        "<html><body><table><tr><td>Home</td><td>Contents</td></tr></table>"
        f"<div><ul>{sections}</ul></div><p>Site map</p></body></html>"
    )


def test_unnamed_sections_beside_the_best_one_join_it():
    blocks, _ = blocks_of(_sections_page())
    kept = kept_texts(blocks)
    assert kept.count(_SHORT_SECTION) == 4 and _LONG_SECTION in kept
    assert "Home" not in kept and "Site map" not in kept


def test_named_sections_are_left_to_their_names():
    # A template's parts carry names; an unnamed box in a named section is found by its
    # name's kind, not as a section of the document.
    kept = kept_texts(blocks_of(_sections_page(" class='promo'"))[0])
    assert _SHORT_SECTION not in kept and _LONG_SECTION in kept


# A story in one inline element, its paragraphs opened by <P> and its lead set before the
# first one (dailyrecord's `<span class="storytext">IRVING, Texas -- …<P>…`, BBC's
# `<B>lead</B><P>…` in a <font>): the parser keeps the lead in the cell around the span.
_LEAD = "SPRINGFIELD -- The council approved the library on Tuesday."


def test_the_lead_in_the_cell_around_an_inline_story_joins_it():
    markup = (
        "<html><body><table><tr><td><a href='/'>Home</a> <a href='/news'>News</a></td></tr>"
        f"<tr><td><span class='storytext'>{_LEAD}<P>{'<P>'.join(BODY)}</span><br>"
        "<a href='/sport'>Sport</a> | <a href='/weather'>Weather</a></td></tr>"
        "</table></body></html>"
    )
    kept = kept_texts(blocks_of(markup)[0])
    assert kept == [_LEAD, *BODY]  # the cell's link line and the menu's cell stay out
