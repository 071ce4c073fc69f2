"""Settings of the extract stage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExtractConfig:
    # Tags whose whole subtree is page chrome by HTML's own semantics (unless the main
    # content region lies inside one: some sites wrap the whole page in <form>).
    chrome_tags: tuple[str, ...] = ("nav", "footer", "aside", "header", "form", "menu")
    # Find the main content region and mark the rest removed. Off = keep every visible
    # block except chrome tags (useful to review what the scorer throws away).
    main_region: bool = True
    # A sibling of the best container joins the main region when its score reaches this
    # share of the best score. 0.2 is readability's value; swept on the extraction bench
    # (en/zh F1): 0.1 -> 0.9789/0.9312, 0.2 -> 0.9791/0.9335, 0.3 -> 0.9795/0.9335.
    sibling_share: float = 0.2
    # Three other containers (or all, if fewer) scoring at least this share of the best
    # one pull the region up to their common ancestor (bodies split over several columns).
    # readability's 0.75; bench sweep: 0.6 -> 0.9788/0.9335, 0.9 -> 0.9793/0.9084.
    alternative_share: float = 0.75
    # A block whose link characters exceed this share of its text is a link list, not
    # prose (unless it is a long full sentence). 0.5 = more than half of it is links;
    # bench sweep 0.4/0.5/0.6 moved F1 by at most 0.001.
    max_link_density: float = 0.5
    # A main region with less text than this (in Latin-character weight) means the scorer
    # may have been misled by chrome-looking names; score again without them. 500 is
    # readability's charThreshold; 250 and 1000 gave the same bench F1.
    min_region_weight: float = 500.0
    # A chrome tag or chrome-named container inside the main region holding more than this
    # share of the region's prose (text of blocks that score as paragraphs) wraps the
    # article, it is not chrome: a page inside one <form>, a wrapper named "container
    # penci_sidebar". Half: chrome inside an article never holds most of its prose. Only
    # from `min_region_weight` on: on a page with one short paragraph, that paragraph may
    # well be the footer's.
    max_chrome_prose_share: float = 0.5
    # Figure captions and photo credits. Off by default: in the benchmarks' hand-made
    # bodies 111 of 141 caption blocks inside the main region are left out (a caption
    # describes a photo the text does not show). Turn on to keep them.
    keep_captions: bool = False
    # A headline is at most this long (text weight: a CJK character 3, a Latin one 1):
    # 80 ideographs or 240 letters, longer than any headline of the extraction bench and
    # shorter than most paragraphs.
    max_headline_weight: float = 240.0
    # A line opening a page without a title is its headline only from this weight on: a
    # bare number, "6月" or an initial is not a headline.
    min_untitled_headline_weight: float = 6.0
    # A heading that holds the page title (or is held by it) is the title printed on the
    # page only from this weight on (6 ideographs, 18 letters): "News" is inside every title.
    min_partial_title_weight: float = 18.0
    # A byline element's text is read as an author only up to this many characters: an
    # element holding more is a box around the byline (name, bio, links), whose inner
    # elements are read instead. 80 holds "By Jane Smith and John Doe, Staff Writers".
    max_byline_chars: int = 80
    # Opening lines of the main region searched for a printed byline ("By Jane Smith", a
    # Chinese lead naming its reporters): headline, kicker, dateline, byline and the first
    # paragraph fit in six; further down, "by" lines are quotes and captions.
    byline_search_blocks: int = 6
    # Lines between the headline and the main region searched for a byline too, when the
    # region starts under it: a template printing "Posted :", the date, "Author :", the
    # name and "Category :" on lines of their own fits in 12.
    byline_search_above: int = 12
    # Lines searched for a credit closing the story: from its fourth last kept line to as
    # many lines after its last, those the region left out between included ("--Scott
    # Ferguson" under the last paragraph, left out as a link, over a kept "Do you have
    # comments on this story?"; "Article by …" over "Photos by …" and a subscription line).
    closing_credit_lines: int = 4
    # Lines searched for a copyright line naming a news agency ("© 2008 AAP"): the story's
    # last kept lines and as many after them; a sponsor's "Brought to you by" and a
    # heading may close the region under it (four on the L3S-GN1 pages of Fairfax papers).
    copyright_search_lines: int = 4
    # An opening line of the story holding a date is its dateline up to this many
    # characters and without a closing full stop (the boilerplate stage's bound); a longer
    # one is a sentence or a caption ("… in this June 3, 2007, file photo.").
    max_dateline_chars: int = 60
    # A link text up to this weight is a navigation label (a section name: "Opinion",
    # "国内新闻"), which a title segment may repeat ("… - Opinion - Site"); heavier link
    # texts are headlines of other stories (and the story's own permalink).
    max_section_label_weight: float = 30.0
    # Texts after the headline searched for its dateline when no tag dates the page: the
    # kicker, byline, date, share links and the lead fit in 40 (the bylines over L3S-GN1
    # and extraction-en stories come within 15); further down, dates are the story's own
    # or a sidebar's.
    dateline_search_texts: int = 40
    # Blocks over the main region searched for the headline of a page without a title: the
    # byline, dateline and a "Filed under" line may stand between (three in the L3S-GN1
    # blog template that prints its headline outside the post's body).
    headline_search_blocks: int = 4
    # The headline over the story (story_headline.py): the story's lead is its first
    # `story_lead_blocks` kept blocks (headline, dateline, two paragraphs); a declared title
    # whose terms the lead prints at most `off_topic_title_share` of is off its topic (a
    # site's or a section's name); a line over the story whose terms the lead prints at
    # least `story_headline_share` of (two terms at least) is its headline. Tuned on the
    # metadata bench's tuning part: 0.2/0.5 changed 7 of its 189 titles, each to the
    # label, and no right one (a margin over the title's share instead took a caption
    # repeating the lead); on 674 unlabelled tuning pages 24 titles changed, read on the
    # page: 23 now the story's headline, one (a listing page) a listing's line.
    story_lead_blocks: int = 4
    off_topic_title_share: float = 0.2
    story_headline_share: float = 0.5
