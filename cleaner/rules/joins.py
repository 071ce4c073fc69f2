"""When two paragraph blocks are one paragraph a stray blank line broke in two.

A digest or Markdown page sometimes carries a blank line in the middle of a sentence, even
of a word ("…资本投入大的问\n\n题,青岛高新区…"), so the extract stage makes two paragraphs of
it. The reflow stage joins two neighbouring paragraph blocks when a continuation rule below
fires: the first breaks off mid-sentence (a long fragment ending in a letter, no
punctuation) and the second opens with the rest of that sentence, or a mark shows the
sentence goes on (a block opening with a comma, a CJK block ending with one) -- unless a
keep-apart rule says the second starts something new. Each rule's predicate takes the two
texts and the reflow settings (`JoinLimits`); its examples are (first, second) pairs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from cleaner.rules import Rule, first_match
from cleaner.rules.layout import COLUMN_OPENING_RULES
from cleaner.text import (
    ENDS_SENTENCE,
    IDEOGRAPH_RANGES,
    display_width,
    is_mostly_latin,
    is_title_case,
)


class JoinLimits(Protocol):
    """The reflow settings the join rules read (`cleaner.stages.reflow.ReflowConfig`)."""

    min_fragment_width: float
    min_fragment_words: int
    max_clause_rest: int
    min_paragraph_width: float


def _try_pair(rule: Rule, pair: tuple[str, str]) -> bool:
    """Try a rule on an example pair with the default reflow settings."""
    from cleaner.stages.reflow import ReflowConfig  # the stage imports this table

    return bool(rule.predicate(*pair, ReflowConfig()))


def _pair_rule(
    rule_id: str,
    predicate: Callable[[str, str, JoinLimits], bool],
    reason: str,
    fires_on: tuple[str, str],
    spares: tuple[str, str],
) -> Rule:
    return Rule(rule_id, reason, (fires_on,), (spares,), predicate=predicate, probe=_try_pair)


# Patterns anchored at the end of a text look only at its last characters.
_TAIL = 200

_IDEOGRAPH = IDEOGRAPH_RANGES
_ENDS_IN_IDEOGRAPH = re.compile(f"[{_IDEOGRAPH}]$")
# Marks inside a sentence that show a block is running prose, not a heading or a label.
_PROSE_MARK = re.compile(r"[，,、；;。！？]")
# The last clause of a block: what follows its last punctuation mark.
_LAST_CLAUSE = re.compile(r"[^，,、；;。！？!?：:“”\"（）()《》]*$")
_ENDS_IN_LATIN_WORD = re.compile(r"[A-Za-z][-,;]?$")
_URL_TAIL = re.compile(r"(?:https?://|www\.|\S+\.(?:com|org|net|cn|html?)\b|\S*[/@]\S*)\S*$")


# A clause mark that closes the rest of a broken clause. Not "、": lists of names and
# titles ("袁志刚、封进（复旦大学）") open with one.
_CLAUSE_END = "，,；;。"
# Marks no paragraph opens with, and a sentence end that no broken paragraph stops at.
_OPENING_MARK = re.compile(r"[，。、；！？,;]")
_ENDS_IN_CJK_CLAUSE_MARK = re.compile(f"[{_IDEOGRAPH}”」』）][，、；]$")
_WORD_TAIL = re.compile(f"[{_IDEOGRAPH}]{{1,4}}[{_CLAUSE_END}]")


def _tail_of_cjk_word(first: str, second: str, settings: JoinLimits) -> bool:
    fragment = breaks_off_mid_sentence(first, settings) and _ENDS_IN_IDEOGRAPH.search(
        first[-_TAIL:]
    )
    return bool(fragment) and _WORD_TAIL.match(second) is not None


def _rest_of_cjk_clause(first: str, second: str, settings: JoinLimits) -> bool:
    if (
        not _ENDS_IN_IDEOGRAPH.search(first[-_TAIL:])
        or display_width(first) < settings.min_paragraph_width
    ):
        return False
    if not breaks_off_mid_sentence(first, settings):
        return False
    longest = settings.max_clause_rest - 1
    rest = re.match(
        f'[{_IDEOGRAPH}][^\\s{_CLAUSE_END}、！？!?：:“”"（）()]{{0,{longest}}}[{_CLAUSE_END}]',
        second,
    )
    return rest is not None


def _lowercase_latin_word(first: str, second: str, settings: JoinLimits) -> bool:
    # An all-lowercase first word: "iPhone sales…" or "eBay said…" open sentences.
    opens_lowercase = re.match(r"[a-z]+[’'\s,;:.)]", second) is not None
    fragment = breaks_off_mid_sentence(first, settings) and not first.endswith("-")
    return fragment and opens_lowercase and _all_words(second)


def _hyphenated_latin_word(first: str, second: str, settings: JoinLimits) -> bool:
    opens_lowercase = re.match(r"[a-z]", second) is not None
    fragment = breaks_off_mid_sentence(first, settings) and first.endswith("-")
    return fragment and opens_lowercase and _all_words(second)


def _opens_with_clause_mark(first: str, second: str, settings: JoinLimits) -> bool:
    return _OPENING_MARK.match(second) is not None and not ENDS_SENTENCE.search(first[-_TAIL:])


def _after_cjk_clause_mark(first: str, second: str, settings: JoinLimits) -> bool:
    # The second block must read as prose: a heading after a stray comma stays apart.
    opens_cjk = re.match(f"[{_IDEOGRAPH}]", second) is not None
    return bool(
        _ENDS_IN_CJK_CLAUSE_MARK.search(first[-_TAIL:]) and opens_cjk and _PROSE_MARK.search(second)
    )


def _all_words(text: str) -> bool:
    """Mostly letters: a sentence, not a table row or a rule line ("article 2/2 ═══")."""
    visible = [char for char in text if not char.isspace()]
    return sum(1 for char in visible if char.isalpha()) >= 0.7 * len(visible)


CONTINUATION_RULES: tuple[Rule, ...] = (
    _pair_rule(
        "reflow.join.cjk_word_tail",
        _tail_of_cjk_word,
        "One to four ideographs, then a clause mark: the tail of the word the first block "
        "broke off. A new paragraph opens with a sentence, not with a word's tail.",
        ("针对医疗器械领域准入门槛高、资本投入大的问", "题,青岛高新区积极为企业拓展融资渠道。"),
        ("针对医疗器械领域准入门槛高、资本投入大的问题。", "青岛高新区积极为企业拓展融资渠道。"),
    ),
    _pair_rule(
        "reflow.join.cjk_clause_rest",
        _rest_of_cjk_clause,
        "A short run of characters, then a clause mark, after a long paragraph that broke "
        "off: the rest of its last clause.",
        (
            "持续加码的跨国医药龙头再次对生产供应基地追加投资2.5亿美元,以增加罐装"
            "生产能力和增加建设一条吸入气",
            "雾剂包装生产线,进一步扩大生产供应基地产能。",
        ),
        ("精准孵化助企快速成长", "雾剂包装生产线,进一步扩大生产供应基地产能。"),
    ),
    _pair_rule(
        "reflow.join.opens_with_clause_mark",
        _opens_with_clause_mark,
        "No paragraph opens with a comma or a full stop: the mark belongs to the sentence "
        "the first block left unfinished.",
        ("人生如戏。一夜之间", "，它可以让一个普通人成为百万富翁。"),
        ("人生如戏。", "它可以让一个普通人成为百万富翁。"),
    ),
    _pair_rule(
        "reflow.join.after_cjk_clause_mark",
        _after_cjk_clause_mark,
        "No paragraph ends with a comma: the next block of prose finishes its sentence.",
        ("但记者采访时看到的山庄，", "不过是一些建在农田里的简易平房。"),
        ("但记者采访时看到的山庄，", "简易平房"),
    ),
    _pair_rule(
        "reflow.join.latin_lowercase",
        _lowercase_latin_word,
        "English paragraphs start with a capital; a lowercase word goes on a sentence.",
        (
            "The council approved the new budget on Monday after a long debate about the",
            "cost of the works along the northern waterfront.",
        ),
        (
            "The council approved the new budget on Monday after a long debate.",
            "cost of the works along the northern waterfront.",
        ),
    ),
    _pair_rule(
        "reflow.join.latin_hyphen",
        _hyphenated_latin_word,
        "A word hyphenated at the end of a block and finished in lowercase in the next.",
        (
            "The council approved the new budget after a long debate about the infra-",
            "structure works along the northern waterfront.",
        ),
        ("Rates And Fees For Infra-", "structure works along the northern waterfront."),
    ),
)


def _first_ends_with_signature(first: str, second: str, settings: JoinLimits) -> bool:
    # "…聚力推进城市东进再提速。 席静" or "…注入强劲动能。 周舟/摄": a name set apart.
    tail = _LAST_CLAUSE.search(first[-_TAIL:])
    ends_cjk = _ENDS_IN_IDEOGRAPH.search(first[-_TAIL:]) is not None
    return ends_cjk and tail is not None and any(char.isspace() for char in tail.group())


def _first_ends_with_url(first: str, second: str, settings: JoinLimits) -> bool:
    return _URL_TAIL.search(first[-_TAIL:]) is not None


def _second_opens_article(first: str, second: str, settings: JoinLimits) -> bool:
    return first_match(second, COLUMN_OPENING_RULES) is not None


# Words that open a Chinese sentence, followed by a comma: "目前，", "据了解，". A general
# list of discourse openers, so that a paragraph missing its full stop is not glued to the
# next one ("…推动高质量发展" / "目前,青岛高新区…").
_SENTENCE_OPENER = re.compile(
    r"(?:目前|当前|近日|日前|近期|近年来|此外|另外|同时|与此同时|其中|据悉|据了解|据介绍|据报道"
    r"|据统计|今年|去年|明年|当天|当日|如今|对此|为此|因此|所以|但是|然而|不过|首先|其次"
    r"|再次|最后|随后|此前|之后|此后|总之|事实上|值得一提的是|值得注意的是|记者了解到"
    r"|据[^，,。]{1,8}(?:介绍|透露|消息|报道))[，,]"
)


def _second_opens_sentence(first: str, second: str, settings: JoinLimits) -> bool:
    return _SENTENCE_OPENER.match(second) is not None


_CAPTION = re.compile(r"^(?:图为|图[:：]|图片|\(图|（图|Photo:|Picture:)|(?:摄|摄影)[）)]?$")


def _second_is_caption(first: str, second: str, settings: JoinLimits) -> bool:
    return _CAPTION.search(second.strip()) is not None


def _second_is_unfinished_line(first: str, second: str, settings: JoinLimits) -> bool:
    # The rest of a sentence a stray blank line broke runs on to its full stop, or at
    # least through a clause mark before the next break; a short English line with
    # neither is a head line of its own (a subtitle in lower case under its title).
    text = second.strip()
    return (
        is_mostly_latin(text)
        and display_width(text) < settings.min_paragraph_width
        and not ENDS_SENTENCE.search(text)
        and not _PROSE_MARK.search(text)
    )


KEEP_APART_RULES: tuple[Rule, ...] = (
    _pair_rule(
        "reflow.keep.signature",
        _first_ends_with_signature,
        "A name set apart by a space after the text is a reporter's or photographer's "
        "signature: the paragraph is complete.",
        (
            "新的一年,宝鸡高新区全面掀起各项工作新热潮,聚力推进城市东进再提速。 席静",
            "广告,请拨打电话。",
        ),
        ("新的一年,宝鸡高新区全面掀起各项工作新热潮,聚力推进城市东进再提", "速。"),
    ),
    _pair_rule(
        "reflow.keep.url",
        _first_ends_with_url,
        "A block ending in a link or an address ends there; the letters are not a word's "
        "first half.",
        (
            "The figures for every section of the works are published at www.example.org/budget",
            "and residents may comment until the end of the year.",
        ),
        (
            "The figures for every section of the works are published at the offices of the",
            "council and residents may comment until the end of the year.",
        ),
    ),
    _pair_rule(
        "reflow.keep.article_opening",
        _second_opens_article,
        "A byline or dateline opening (本报讯, 5月12日，, By …) starts an article.",
        (
            "宝鸡高新区牢固树立项目为王、大抓项目的工作理念,持续深入开展活动",
            "本报讯,1月2日宝鸡高新区重点项目集中开工。",
        ),
        ("宝鸡高新区牢固树立项目为王、大抓项目的工作理念,持续深入开展活", "动,重点项目集中开工。"),
    ),
    _pair_rule(
        "reflow.keep.sentence_opener",
        _second_opens_sentence,
        "A discourse opener and a comma (目前，此外，据了解，) starts a new sentence: the "
        "first block only lost its full stop.",
        (
            "青岛高新区通过做优双创载体、做强赛事载体等措施,推动高质量发展",
            "目前,青岛高新区已集聚企业近600家。",
        ),
        (
            "青岛高新区通过做优双创载体、做强赛事载体等措施,推动高质量发",
            "展,青岛高新区已集聚企业近600家。",
        ),
    ),
    _pair_rule(
        "reflow.keep.caption",
        _second_is_caption,
        "A picture caption (图为…, …摄) describes a photo; it never finishes a sentence.",
        (
            "项目总投资约4.5亿美元,时隔不到半年再次追加投资用于扩大生产供应基地",
            "图为,生产基地一角。新华社记者 张三 摄",
        ),
        ("项目总投资约4.5亿美元,时隔不到半年再次追加投资用于扩大生产供应基", "地,产能将翻一番。"),
    ),
    _pair_rule(
        "reflow.keep.unfinished_line",
        _second_is_unfinished_line,
        "A short English line without a full stop or a clause mark is a head line (a "
        "subtitle in lower case under its title), not the rest of a broken sentence.",
        (
            "Deval Patrick takes nascent 2020 campaign to South Carolina",
            "who is also considering Bernie Sanders and Joe Biden",
        ),
        (
            "The council approved the new budget on Monday after a long debate about the",
            "cost of the works along the northern waterfront.",
        ),
    ),
)


def breaks_off_mid_sentence(text: str, settings: JoinLimits) -> bool:
    """Does a paragraph block stop in the middle of a sentence?

    CJK: it ends in an ideograph, is long, and holds punctuation (a heading is short and
    has none; "肖玲玲" is a byline). English: it ends in a letter (or "letter-", "letter,"), has
    enough words and is not Title Case (a headline).

    >>> breaks_off_mid_sentence("针对医疗器械领域准入门槛高、资本投入大的问", ReflowConfig())
    True
    >>> breaks_off_mid_sentence("精准孵化助企快速成长", ReflowConfig())
    False
    """
    if _ENDS_IN_IDEOGRAPH.search(text[-_TAIL:]):
        return (
            display_width(text) >= settings.min_fragment_width
            and _PROSE_MARK.search(text) is not None
        )
    if _ENDS_IN_LATIN_WORD.search(text[-_TAIL:]) and is_mostly_latin(text) and _all_words(text):
        return len(text.split()) >= settings.min_fragment_words and not is_title_case(text)
    return False


ALL_RULES: tuple[Rule, ...] = (*CONTINUATION_RULES, *KEEP_APART_RULES)
