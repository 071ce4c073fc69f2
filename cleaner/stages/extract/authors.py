"""Who wrote the article: names from JSON-LD, <meta> and byline elements, cleaned, and
never the publisher, the outlet a story was taken from, or a software credit.

An author is a person or a desk ("Our Foreign Staff"); a byline's extras go: "By", roles
("AP Auto Writer", "IGN Staff"), affiliations after a role, handles and dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from cleaner.dates import normalize_date
from cleaner.stages.extract.titles import is_site_like
from cleaner.text import IDEOGRAPH, normalize_space

# Class/id/itemprop/rel tokens of an element holding a byline.
_BYLINE_TOKENS = frozenset(
    {"author", "authors", "byline", "byl", "byauthor", "writer", "creator", "reporter"}
)
# Tokens of bylines that are not the article's: comments, author boxes and their links.
_NOT_ARTICLE_BYLINE = frozenset(
    {
        "comment", "comments", "reply", "avatar", "bio", "biography", "flyout", "archive",
        "profile", "share", "social", "follow", "email", "twitter", "icon", "img", "image",
        "photo", "more", "related", "recommend", "tie", "reward", "date",
        "time", "meta", "count", "desc", "box",
    }
)  # fmt: skip
_COMMENT_TOKENS = frozenset({"comment", "comments", "respond", "reply"})
_LEADING_CREDIT = re.compile(
    r"^(?:(?:posted|written|text|words|story|reporting|report|analysis|opinion|commentary|"
    r"review|interview)\s+)?by[:\s]+"
    r"|^(?:text|texto|текст|von|par|por)\s*[:：]\s*"
    r"|^(?:作者|撰文|文|记者|本报记者|采写|执笔)\s*[:：/／|｜]?\s*",
    re.I,
)
# Where a byline's name ends: a handle, a date or time, a pipe, a spaced dash, a bullet.
_NAME_END = re.compile(
    r"(?:^|\s)(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d|\s@|\d"
    r"|\s[|｜/•·]|\s[-–—](?:\s|$)|\||发布|发表|时间|日期"
    # A weekday opening the date printed after the name ("Joe Wee Monday, February 29") or
    # the whole element ("Friday, January 11, 2008 1:14 PM CST" names no one).
    r"|(?:^|\s)(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    # At the start too: a byline element holding only its date ("Published: January 9,
    # 2008", "Dec 16, 2007 18:22 | Updated …") names no one.
    r"|(?:^|\s)(?:published|updated|posted)\b"
    # Text glued to a name by a lost line break: "JILL LAWLESSAssociated Press", "Jose
    # AltoverosView More Articles" (three small letters before the capital spare "McCoy",
    # "MacDonald", "DeArdo").
    r"|(?-i:(?<=[A-Z]{2})(?=[A-Z][a-z]))|(?-i:(?<=[a-z]{3})(?=[A-Z]))",
    re.I,
)
# Separators a template prints before a byline: "| By Melissa Jenkins".
_LEADING_SEPARATORS = " |｜•·-–—:"
# Where a reporter filed from: "by Hasan Mansoor in Karachi", "HEMMY SO in Los Angeles and
# BEN WIDDICOMBE": the place is no part of the name.
_FILED_FROM = re.compile(r"\s+in\s+[A-Z][^,;]*?(?=\s*(?:[,;]|\band\b|$))")
# Lines labelled as another role: an editor is not the author, "黄斌汉：" introduces a quote.
_OTHER_ROLE = re.compile(r"^(?:责任编辑|编辑|责编|editor|edited by)|[:：]$", re.I)
_NAME_SPLIT = re.compile(r"\s*(?:[,;，；、&]|\band\b|\bwith\b|\bavec\b|\bet\b|\bund\b|和)\s*", re.I)
_ROLE_WORDS = re.compile(
    r"\b(?:staff|writer|reporter|editor|correspondent|contributor|columnist|journalist|"
    r"technologist|director|senior|chief|producer|analyst|intern|special|engineer|former)\b",
    re.I,
)
_NOT_A_NAME = re.compile(r"\b(?:photo|photos|image|picture|illustration|video|credit)\b", re.I)
# Organisations and software credits, not people: "云南日报报业集团", "Discuz! Team".
_ORGANISATION = re.compile(
    r"(?:[网报社台站]|集团|公司|中心|频道)$|\b(?:team|inc|ltd|llc|corporation|company|publishers?)\b"
    # A paper or a broadcaster by the word it ends in ("CBC News", "Sunday Times"); a desk
    # of one ends in its own word ("Fox News Staff").
    r"|\b(?:news|times|journal|tribune|herald|gazette|magazine|radio|television|tv|network"
    r"|newspapers?|advertiser|chronicle|examiner|inquirer|courier|publications|publishing|weekly)$"
    # A domain: "Canoe.ca", "CSDN.NET", "www.yunnan.cn".
    r"|\.(?:com|net|org|info|[a-z]{2})$",
    re.I,
)
_PARTICLES = frozenset({"de", "van", "von", "da", "la", "le", "bin", "al", "di", "du", "der", "y"})


def clean_author(value: str) -> list[str]:
    """The names in one byline, without credits, roles and affiliations.

    >>> clean_author("By TOM KRISHER, AP Auto Writer")
    ['TOM KRISHER']
    >>> clean_author("Martin Untersinger (avec Damien Leloup et Morgane Tual)")
    ['Martin Untersinger', 'Damien Leloup', 'Morgane Tual']
    >>> clean_author("Catherine Shu @catherineshu / 2 days")
    ['Catherine Shu']
    >>> clean_author("王建宏 张文攀"), clean_author("陈 科")
    (['王建宏', '张文攀'], ['陈科'])
    >>> clean_author("实习记者孙越 通讯员胡育松 王孝宜")
    ['孙越', '胡育松', '王孝宜']
    >>> clean_author("[责任编辑：韩保林 PK155]")  # an editor, not the author
    []
    >>> clean_author("GameForce"), clean_author("Jose AltoverosView More Articles")
    (['GameForce'], ['Jose Altoveros'])
    """
    if _OTHER_ROLE.search(value.strip().lstrip("[【〔(（ ")):
        return []
    value = dated_byline(value) or value
    text = normalize_space(value.replace("(", ", ").replace(")", " ").replace("（", ", "))
    text = _LEADING_CREDIT.sub("", text.lstrip(_LEADING_SEPARATORS)).strip(" ,:")
    text = _FILED_FROM.sub("", text)
    end = _NAME_END.search(text)
    if end and not end.group() and " " not in text:
        end = None  # one word in camel case is an account's handle ("GameForce"), not glue
    text = text[: end.start()] if end else text
    if _NOT_A_NAME.search(text):
        return []
    names: list[str] = []
    for part in (part.strip(" .,:") for part in _NAME_SPLIT.split(text)):
        if not part:
            continue
        if names and (_ROLE_WORDS.search(part) or not _is_second_name(part)):
            break  # "Eric Song, IGN Staff": what follows a role is an affiliation
        names.extend(_cjk_names(part) if IDEOGRAPH.search(part) else [_without_affiliation(part)])
    return names


_ACRONYM = re.compile(r"^[A-Z]{2,4}$")
# News agencies by the names their credits print: agencies, not one site's words, as their
# stories run on every paper's pages. The longer of two names sharing a start comes first.
WIRE_AGENCY = (
    r"(?:australian\s+associated\s+press|associated\s+press|agence\s+france-presse|reuters"
    r"|press\s+association|pa\s+sport|canadian\s+press|united\s+press\s+international"
    r"|afp|aap|upi|dpa|ap|pa)"
)
# A news agency printed after the reporter's name, in the name's own case, so that no
# change of case shows where the name ends ("TOM CANAVAN ASSOCIATED PRESS").
_WIRE_AFTER_NAME = re.compile(rf"\s+(?:the\s+)?{WIRE_AGENCY}\s*$", re.I)
# Job titles of one person (a desk is "… Staff", "… Bureau").
_PERSON_ROLE = re.compile(
    r"writer|reporter|correspondent|editor|columnist|journalist|producer|analyst|"
    r"contributor|intern|engineer",
    re.I,
)


def _without_affiliation(part: str) -> str:
    """A name with its role and outlet printed after it, no comma between: "Stephen
    Shankland Staff Writer" and "JESSICA MINTZ AP Technology Writer" are the person;
    "HNN Staff" and "Our Foreign Staff", desks, stay whole.

    >>> _without_affiliation("Stephen Shankland Staff Writer")
    'Stephen Shankland'
    >>> _without_affiliation("JESSICA MINTZ AP Technology Writer")
    'JESSICA MINTZ'
    >>> _without_affiliation("Kevin McCoy USA TODAY"), _without_affiliation("Our Foreign Staff")
    ('Kevin McCoy', 'Our Foreign Staff')
    >>> _without_affiliation("Tom James PA Sports")
    'Tom James'
    >>> _without_affiliation("TOM CANAVAN ASSOCIATED PRESS")
    'TOM CANAVAN'

    """
    wire = _WIRE_AFTER_NAME.search(part)
    if wire and len(part[: wire.start()].split()) >= 2:
        return part[: wire.start()]
    words = part.split()
    capitals = _name_in_capitals(words)
    if capitals:
        return capitals
    role = next((i for i, word in enumerate(words) if _PERSON_ROLE.fullmatch(word)), None)
    if role is not None:
        start = next((i for i in range(2, role) if _ACRONYM.match(words[i])), role)
        while start > 2 and _ROLE_WORDS.fullmatch(words[start - 1]):
            start -= 1
        return " ".join(words[:start]) if start >= 2 else part
    # A name in mixed case followed by words in capitals: the outlet ("USA TODAY", "Tom
    # James PA SportsTicker").
    mixed = [i for i, word in enumerate(words) if not word.isupper()]
    outlet = next((i for i in range(2, len(words)) if _ACRONYM.match(words[i])), None)
    if outlet is not None and mixed[:2] == [0, 1]:
        return " ".join(words[:outlet])
    if len(words) > 2 and len(mixed) >= 2 and mixed == list(range(len(mixed))):
        return " ".join(words[: len(mixed)])
    return part


def _name_in_capitals(words: list[str]) -> str:
    """A name printed in capitals and what follows it in another case or after "THE": the
    outlet ("JASON STRAZIUSO Associated Press Writer", "FRANK BODANI Daily Record",
    "MIRJAM SWANSON THE PRESS-ENTERPRISE"); '' when the byline is not of that shape.

    >>> _name_in_capitals("JEFFREY McMURRAY Associated Press".split())
    'JEFFREY McMURRAY'
    >>> _name_in_capitals("HEMMY SO".split()), _name_in_capitals("Jane Smith Daily".split())
    ('', '')
    """
    count = 0
    while count < len(words) and _in_capitals(words[count]) and words[count].lower() != "the":
        count += 1
    if count < 2 or count == len(words):
        return ""
    # "JOSEPH WHITE AP Sports Writer": the wire's initials end the capitals, not the name.
    while count > 2 and _ACRONYM.match(words[count - 1]):
        count -= 1
    return " ".join(words[:count])


def _in_capitals(word: str) -> bool:
    """'McMURRAY', 'SO' and 'O'NEIL' are written in capitals; 'Associated' is not."""
    letters = [character for character in word if character.isalpha()]
    upper = sum(character.isupper() for character in letters)
    return len(letters) >= 2 and upper * 3 >= len(letters) * 2


def normal_author(value: str) -> str:
    """An author as records print it: names without "By" or roles, joined by ", ".

    A placeholder credits no one: "by Anonymous Student" is "" (the split stage reads
    bylines too, and every stage's byline is printed through here).

    >>> normal_author("By Jane Smith"), normal_author("段彦超 廖艳"), normal_author("陈科")
    ('Jane Smith', '段彦超, 廖艳', '陈科')
    >>> normal_author("by Anonymous Student")
    ''
    """
    names = clean_author(value)
    if names and all(is_placeholder(name) for name in names):
        return ""
    names = [name for name in names if not is_placeholder(name)]
    return ", ".join(dict.fromkeys(names)) if names else normalize_space(value)


def is_placeholder(name: str) -> bool:
    """What a template prints where no one is credited."""
    return name.lower() in _PLACEHOLDERS or bool(_ANONYMOUS.match(name))


# Chinese role words printed before a name: "实习记者孙越", "通訊員 白瑜".
_CJK_ROLE = re.compile(
    r"^(?:本[报報]|特约|特約|实习|實習|见习|見習)?(?:记者|記者|通讯员|通訊員|编辑|編輯|摄影|攝影)"
)


def _cjk_names(part: str) -> list[str]:
    pieces = [_CJK_ROLE.sub("", piece) for piece in part.split()]
    pieces = [piece for piece in pieces if piece]
    if all(len(piece) == 1 for piece in pieces):
        return ["".join(pieces)]  # "陈 科": a two-character name spread to three
    return pieces


def _is_second_name(part: str) -> bool:
    """A further author after a comma has a name's shape: "Paul Magnusson", not "Futurism"."""
    if IDEOGRAPH.search(part):
        return True
    if _ARTICLE.match(part):
        return False  # "Tom Canavan, The Associated Press": the outlet
    words = part.split()
    return len(words) >= 2 and _is_name_shaped(words)


def _is_name_shaped(words: list[str]) -> bool:
    if not 1 <= len(words) <= 5:
        return False
    if any("." in word.strip(".") and not word[:1].isupper() for word in words):
        return False
    return all(word[:1].isupper() or word.lower() in _PARTICLES for word in words)


# What turns a site's name into one of its desks: "News Nation Bureau", "Reuters Staff",
# "CNN Wire Staff", "新华社编辑部" credit the newsroom, not the publisher as a company.
_DESK_WORDS = re.compile(
    r"\b(?:bureau|desk|staff|newsroom|wire|team|reporters?|correspondents?)\b"
    r"|(?:编辑部|編輯部|记者站|記者站|评论员|評論員|记者|記者)$",
    re.I,
)


def is_desk(name: str, site_keys: frozenset[str]) -> bool:
    """The site's name with a desk word: a desk of the site, which may be credited.

    >>> is_desk("News Nation Bureau", frozenset({"newsnation"}))
    True
    >>> is_desk("News Nation", frozenset({"newsnation"})), is_desk("Staff", frozenset())
    (False, False)
    """
    desk = _DESK_WORDS.search(name)
    if desk is None:
        return False
    rest = (name[: desk.start()] + name[desk.end() :]).strip(" -–—,")
    return bool(rest) and is_site_like(rest, site_keys)


# What a template prints where no one is credited: a CMS's default account ("Administrative
# User", Plone's), an essay site's or a forum's "Anonymous Student", "Anonymous Coward",
# and their Chinese words: unknown (未知), anonymous (匿名), "compiled from the web" (网络整理).
_PLACEHOLDERS = frozenset(
    {"admin", "administrator", "administrative user", "unknown", "未知", "网络整理", "匿名"}
)
_ANONYMOUS = re.compile(r"^anonymous\b", re.I)


def is_person_or_desk(
    name: str, site_keys: frozenset[str], sources: frozenset[str], declared: bool = False
) -> bool:
    """A credited name that is not the site, the outlet a story came from, or a company.

    >>> is_person_or_desk("网易", frozenset({"网易财经"}), frozenset())
    False
    >>> is_person_or_desk("Molly Wood", frozenset({"wired"}), frozenset())
    True
    >>> is_person_or_desk("Anonymous Student", frozenset(), frozenset())
    False
    """
    if not name or len(name) > 60 or "@" in name or "://" in name:
        return False
    if not any(character.isalpha() for character in name):
        return False
    if is_placeholder(name):
        return False
    shape = _THE_WIRE.sub("", name).split()  # "By the Associated Press"
    if not declared and IDEOGRAPH.search(name) is None and not _is_name_shaped(shape):
        return False  # a byline element's text: only a name's shape; a meta tag may say "kingname"
    if name in sources or _ORGANISATION.search(name):
        return False
    return is_desk(name, site_keys) or not is_site_like(name, site_keys)


def first_author(
    candidates: Iterable[tuple[str, bool]], site_keys: frozenset[str], sources: frozenset[str]
) -> str:
    """The names of the first candidate that credits a person or desk, joined by ", ".
    Each candidate says whether the page declared it an author (JSON-LD, <meta>). A name
    with an article ("The Times-Picayune", "The Associated Press") is a paper or a wire,
    credited only when no candidate names a person."""
    fallback = ""
    for candidate, declared in candidates:
        names = [
            name
            for name in clean_author(candidate)
            if is_person_or_desk(name, site_keys, sources, declared)
        ]
        if names and not all(_ARTICLE.match(name) for name in names):
            return _joined(names)
        fallback = fallback or _joined(names)
    return fallback


def _joined(names: list[str]) -> str:
    """Names as one field; an agency is credited by its name ("Associated Press"), which
    a byline may print with an article ("By the Associated Press")."""
    return ", ".join(dict.fromkeys(_THE_WIRE.sub("", name) for name in names))


_ARTICLE = re.compile(r"^(?:the|die|der|das|le|la|les|el|los|las|il|o|a)\s", re.I)
_THE_WIRE = re.compile(rf"^the\s+(?={WIRE_AGENCY}$)", re.I)


# The lead of a Chinese story names its reporters in brackets after the dateline:
# "长江网10月4日讯（记者陈智 整合）", "新华社北京3月5日电（记者 张三、李四）". What the
# reporters did ("整合", "报道") follows the names.
_LEAD_REPORTERS = re.compile(
    r"^.{0,40}?(?:讯|訊|电|電)\s*[（(]\s*(?:本报|本報)?(?:记者|記者)\s*"
    r"(?P<names>[^）)]{2,40}?)\s*(?:整合|综合|綜合|报道|報道|采写|採寫|摄|攝)?\s*[）)]"
)


# A credit line printing the date before the name, as blog and CMS templates do: "Posted on
# 12/20/2004 12:19:30 PM PST by Jim Robinson", "16th Jan 2008, 09:28am by Damien McFerran.",
# "2/26/2015 7:11 AM PST BY TMZ STAFF". The name ends the line.
_DATED_BYLINE = re.compile(
    r"^(?P<date>.{4,60}?)[\s,|]+(?i:by)\s+(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})[.\s]*$"
)
# Longer, the line is a sentence ending in "by …", not a credit (the bound of a byline
# line, `meta.byline`).
_MAX_DATED_BYLINE_CHARS = 80


def dated_byline(text: str) -> str | None:
    """The name a dated credit line ends in, or None when what comes before "by" is no date.

    >>> dated_byline("Posted on 12/20/2004 12:19:30 PM PST by Jim Robinson")
    'Jim Robinson'
    >>> dated_byline("Fri 14 Dec 2007 at 12:25am, by Jane Doe")
    'Jane Doe'
    >>> dated_byline("The bill was signed by Governor Smith") is None
    True
    >>> dated_byline("On May 5, 2008 the bill was signed by Governor Smith") is None
    True
    """
    if len(text) > _MAX_DATED_BYLINE_CHARS:
        return None
    match = _DATED_BYLINE.match(text.strip())
    if match is None or normalize_date(match.group("date")) is None:
        return None
    words = match.group("date").split()
    if sum(not _DATE_WORD.fullmatch(word) for word in words) > _MAX_WORDS_AROUND_DATE:
        return None  # "On May 5, 2008 the bill was signed by Jane Smith": a sentence
    return match.group("name").rstrip(".")


# The words a printed date and time are made of: figures, month and weekday names, a clock's
# "am" and zone, and the words a template puts around them ("at", "on").
_DATE_WORD = re.compile(
    r"\W*(?:.*\d.*|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    r"|(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*|(?i:[ap]\.?m\.?)|(?-i:[A-Z]{1,2}[SD]?T|UTC|GMT)"
    r"|(?i:at|on|of))?\W*"
)
# A template's label before the date ("Posted on", "Published:") and no more.
_MAX_WORDS_AROUND_DATE = 2


# A credit line printing the name first and then only the date, as self-media platforms
# and blog templates do under the headline: "中国网 2019-11-25 10:37:31", "原创 GameForce
# 2019-09-04 22:18:34" (the account that posted the story). "原创" marks the post as the
# account's own; labels and separators may stand between name and date.
_ORIGINAL_MARK = re.compile(r"^(?:原创|原創|original)\s+", re.I)
_NAME_DATE_SEPARATORS = " |｜·•,，-–—"
# A template's label is no name: "Updated 2008-01-05", "发布时间 2019-09-07".
_DATE_LABEL = re.compile(
    r"^(?:posted|published|updated|modified|created|date|last|发布|發布|更新|时间|時間|日期)",
    re.I,
)
# A colon not between figures ends a label ("来源：", "Date:"); "4:44" is a clock.
_LABEL_COLON = re.compile(r"(?<!\d)[:：]|[:：](?!\d)")
# Words that open a phrase, not a name: "For Immediate Release February 14, 2003".
_NOT_NAME_START = frozenset({"for", "from", "in", "on", "at", "as", "since", "until", "to", "of"})
_MAX_CREDIT_NAME_WORDS = 3
_MAX_NAME_DATE_CHARS = 60


def name_before_date(text: str) -> str | None:
    """The name a credit line prints before the date it ends in, or None.

    >>> name_before_date("中国网 2019-11-25 10:37:31"), name_before_date("Jane Smith | Jan 5, 2008")
    ('中国网', 'Jane Smith')
    >>> name_before_date("原创 GameForce 2019-09-04 22:18:34")
    'GameForce'
    >>> [name_before_date(t) for t in ["Updated 2008-01-05", "Monday, January 5, 2008"]]
    [None, None]
    >>> [name_before_date(t) for t in ["Dublin 16 October 2003", "Full Coverage of May 1, 2001"]]
    [None, None]
    """
    text = _ORIGINAL_MARK.sub("", normalize_space(text))
    words = text.split()
    if len(text) > _MAX_NAME_DATE_CHARS or _LABEL_COLON.search(text) or "/" in words[0]:
        return None
    if words[0].lower() in _NOT_NAME_START:
        return None
    for count in range(1, min(_MAX_CREDIT_NAME_WORDS, len(words) - 1) + 1):
        name_words, date_words = words[:count], words[count:]
        if any(_DIGIT.search(word) or _STAMP_WORD.fullmatch(word) for word in name_words):
            return None
        if not all(IDEOGRAPH.search(word) or word[:1].isupper() for word in name_words):
            return None  # "By Agencies on Friday, …": a sentence's words, not a name
        date = " ".join(date_words).strip(_NAME_DATE_SEPARATORS)
        if not all(_STAMP_WORD.fullmatch(word) for word in date_words) or not date:
            continue
        if not DATE_START.match(date) or normalize_date(date) is None or not _YEAR.search(date):
            continue
        # One word over a date without its clock is where the story was filed ("Dublin 16
        # October 2003"); a platform's stamp gives the time of posting.
        if count == 1 and not IDEOGRAPH.search(name_words[0]) and not _CLOCK.search(date):
            return None
        name = " ".join(name_words).strip(_NAME_DATE_SEPARATORS)
        return None if not name or _DATE_LABEL.match(name) else name
    return None


# What a posting stamp is made of: figures, month and weekday names, a clock's "am" and
# zone, separators; a stamp starts with a figure, a month or a weekday (not "on", "of").
_MONTH_OR_DAY = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\.?,?"
)
_STAMP_WORD = re.compile(
    rf"(?i:\W*|.*\d.*|{_MONTH_OR_DAY}|[ap]\.?m\.?|(?-i:[A-Z]{{1,2}}[SD]?T|UTC|GMT))"
)
# Where a printed date may start; a label's "by: Glenn on May 6" does not.
DATE_START = re.compile(rf"(?i:\d|{_MONTH_OR_DAY}(?:\s|$))")
_CLOCK = re.compile(r"\d{1,2}:\d\d")


_YEAR = re.compile(r"(?:19|20)\d\d")


# A credit closing the story: "--Scott Ferguson", "— Jane Smith", "Article by Alexis
# Carroll, AS ’05"; what may follow a comma is short, a class year or a role ("-- Isaac
# Asimov, when asked why he fights …" attributes a quotation).
_CLOSING_CREDIT = re.compile(
    r"^(?:[-–—]{1,2}\s*|(?i:article|story|text|words|report|written)\s+(?i:by)\s+)"
    r"(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3})\s*(?:,.{0,20})?$"
)


# A desk credited on a line of its own under the headline, without "By": "Express News
# Service", "Our Foreign Staff", "Special Correspondent", "Washington Bureau" ("Reporter"
# is not among the words: "The Hollywood Reporter" is a paper).
_DESK_LINE = re.compile(
    r"^(?:[A-Z][\w.'’&-]*\s+){1,3}(?i:news\s+service|service|bureau|staff|desk|correspondents?)$"
)


def desk_line(text: str) -> str | None:
    """The desk a line under the headline credits, or None.

    >>> desk_line("Express News Service"), desk_line("Special Correspondent")
    ('Express News Service', 'Special Correspondent')
    >>> desk_line("The Hollywood Reporter") is None, desk_line("The city council met") is None
    (True, True)
    """
    text = normalize_space(text)
    return text if len(text) <= _MAX_DESK_LINE_CHARS and _DESK_LINE.match(text) else None


_MAX_DESK_LINE_CHARS = 40


def desk_credits(lines: list[str]) -> list[str]:
    """The desks the lines credit; a name-shaped line right over a desk's line is the
    person it credits ("SHAWN LEVY" over "The Oregonian Staff").

    >>> desk_credits(["Friday, January 18, 2008", "SHAWN LEVY", "The Oregonian Staff"])
    ['SHAWN LEVY']
    >>> desk_credits(["Buddhadeb caution on modernising markets", "Special Correspondent"])
    ['Special Correspondent']
    """
    credits = []
    for index, line in enumerate(lines):
        desk = desk_line(line) or wire_line(line)
        if not desk:
            continue
        above = normalize_space(lines[index - 1]) if index else ""
        words = above.split()
        person = 2 <= len(words) <= 3 and _is_name_shaped(words) and not _DIGIT.search(above)
        credits.append(above if person else desk)
    return credits


_DIGIT = re.compile(r"\d")


# A credit line the byline pattern does not read: "BY HEMMY SO in Los Angeles and BEN
# WIDDICOMBE, LARRY McSHANE and RICH SCHAPIRO in New York" (where each filed from, between
# the names), "KEVIN SCHOFIELD and GERRY BRAIDEN" (names in capitals joined by a lower-case
# "and", which a headline in capitals writes "AND").
_MAX_NAMES_LINE_CHARS = 120
_NAMES_LINE_SEPARATORS = re.compile(r"(?:\s*,\s*|\s+and\s+)")


def names_line(text: str) -> str | None:
    """The line, when it is only a credit of people's names, or None.

    >>> names_line("BY HEMMY SO in Los Angeles and BEN WIDDICOMBE in New York") is not None
    True
    >>> names_line("KEVIN SCHOFIELD and GERRY BRAIDEN")
    'KEVIN SCHOFIELD and GERRY BRAIDEN'
    >>> [names_line(t) for t in ["By the end of the year, prices rose", "OBAMA AND CLINTON"]]
    [None, None]
    >>> names_line("Jane Smith and John Doe") is None  # in a headline's case: no credit
    True
    """
    text = normalize_space(text)
    names = clean_author(text) if len(text) <= _MAX_NAMES_LINE_CHARS else []
    if not names or not all(
        len(name.split()) >= 2 and _is_name_shaped(name.split()) for name in names
    ):
        return None
    if re.match(r"by\s", text, re.I):
        return text
    if len(names) < 2 or " and " not in text:
        return None
    if not all(_in_capitals(word) for name in names for word in name.split()):
        return None
    rest = text
    for name in names:
        rest = rest.replace(name, "", 1)
    return None if _NAMES_LINE_SEPARATORS.sub("", rest).strip() else text


# A speech or a testimony names its speaker in its heading, after a label saying what it
# is: "Prepared Remarks of" over "Timothy J. Muris", "STATEMENT of" over "Chris Edwards",
# "Second Stage Speech by Micheál Martin, Minister for Enterprise, …". The name ends at a
# comma or at the words placing the speech ("… before the Committee", "… at the Summit").
_SPEECH_LABEL = re.compile(
    r"^(?:[\w'’-]+\s+){0,3}?(?i:remarks|statement|testimony|speech|address|lecture)"
    r"\s+(?i:of|by)(?:\s+|$)(?P<rest>.*)$"
)
_SPEAKER = re.compile(
    r"^(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3})"
    r"\s*(?:[,(]|$|\s(?i:before|at|to|on|in|for)\b)"
)
_MAX_SPEECH_LABEL_CHARS = 200


def speaker_credits(lines: list[str]) -> list[str]:
    """The speakers the opening lines of a speech or testimony name.

    >>> speaker_credits(["Prepared Remarks of", "Timothy J. Muris", "Chairman"])
    ['Timothy J. Muris']
    >>> speaker_credits(["Second Stage Speech by Micheál Martin, Minister for Enterprise"])
    ['Micheál Martin']
    >>> speaker_credits(["A statement by the council said rents would rise", "Jane Doe"])
    []
    """
    credits = []
    for index, line in enumerate(lines):
        text = normalize_space(line)
        match = _SPEECH_LABEL.match(text) if len(text) <= _MAX_SPEECH_LABEL_CHARS else None
        if not match:
            continue
        rest = match.group("rest")
        if not rest and index + 1 < len(lines):
            rest = normalize_space(lines[index + 1])
        speaker = _SPEAKER.match(rest)
        if speaker and _is_name_shaped(speaker.group("name").split()):
            credits.append(speaker.group("name"))
    return credits


def closing_credits(lines: list[str]) -> list[str]:
    """The names the lines closing a story sign it with; a line in a run of dashed lines
    is a list's item ("-Selective Enrollment" over "-Magnet High Schools"), no signature.

    >>> closing_credits(["The council meets again in May.", "--Scott Ferguson", "Comments"])
    ['Scott Ferguson']
    >>> closing_credits(["Programs", "-Selective Enrollment", "-Magnet High Schools"])
    []
    """
    dashed = [normalize_space(line).startswith(("-", "–", "—")) for line in lines]
    names = []
    for index, line in enumerate(lines):
        in_list = (index and dashed[index - 1]) or (index + 1 < len(lines) and dashed[index + 1])
        name = None if in_list else closing_credit(line)
        if name:
            names.append(name)
    return names


def closing_credit(text: str) -> str | None:
    """The name a credit line closing a story gives, or None.

    >>> closing_credit("--Scott Ferguson"), closing_credit("Article by Alexis Carroll, AS ’05")
    ('Scott Ferguson', 'Alexis Carroll')
    >>> closing_credit("-- and that was the end of it") is None
    True
    >>> closing_credit("-- Isaac Asimov, when asked why he fights religion with no hope") is None
    True
    """
    match = _CLOSING_CREDIT.match(normalize_space(text))
    return match.group("name") if match else None


# A blog template signs a post under it with its poster's account, in any case: "Posted
# by red clay at February 7, 2005 12:29 AM | TrackBack", "posted by Aaron J. Seigo at 1:02
# PM", "Posted by Chris Cornwell on January 9, 2008 in Games". A comment's footer labels
# the name ("Posted by: Michael at …").
_POSTED_BY = re.compile(r"^posted\s+by\s+(?P<name>[^\s:|][^:|]{0,38}?)\s+(?:at|on)\s+", re.I)


def posted_by_credit(lines: list[str]) -> str | None:
    """The poster the page's "Posted by … at <date>" lines name, when they all name one (a
    multi-post page signs each post alike); lines naming several are a run of comments
    ("Posted by Idealist on January 10", "Posted by John on January 10").

    >>> posted_by_credit(["I don't know why.", "Posted by red clay at February 7, 2005"])
    'red clay'
    >>> posted_by_credit(["Posted by Idealist on Jan 10, 2008", "Posted by John on Jan 10, 2008"])
    >>> posted_by_credit(["Posted by: Michael at February 7, 2005 09:12 AM"])
    """
    names = []
    for line in lines:
        text = normalize_space(line)
        match = _POSTED_BY.match(text)
        if match and DATE_START.match(text[match.end() :]):
            names.append(match.group("name"))
    return names[0] if names and len({name.casefold() for name in names}) == 1 else None


# A copyright line under the story naming a news agency credits the agency with it, as a
# paper printing a wire story does: "© Reuters 2008. All rights reserved.", "Copyright (c)
# Press Association Ltd. 2008", "(Copyright 2008 by The Associated Press. …)", "© 2008 AAP".
# The paper's own copyright names no agency.
_COPYRIGHT_WIRE = re.compile(
    r"^\W*(?:©|\(c\)|copyright)(?:\s*(?:©|\(c\)|(?:19|20)\d\d|by\s|the\s))*"
    rf"\s*(?P<name>{WIRE_AGENCY})(?:\s+ltd\b|\s+limited\b)?(?=\W|$)",
    re.I,
)


def copyright_wire(text: str) -> str | None:
    """The news agency a copyright line credits, as printed, or None.

    >>> copyright_wire("© Reuters 2008. All rights reserved. Republication or …")
    'Reuters'
    >>> copyright_wire("(Copyright 2008 by The Associated Press. All Rights Reserved.)")
    'Associated Press'
    >>> copyright_wire("Copyright (c) Press Association Ltd. 2008, All Rights Reserved.")
    'Press Association'
    >>> copyright_wire("© 2008 AAP"), copyright_wire("Copyright PA Sport 2007")
    ('AAP', 'PA Sport')
    >>> copyright_wire("© 2008 Apple Inc.") is None, copyright_wire("Reuters said") is None
    (True, True)
    """
    match = _COPYRIGHT_WIRE.match(normalize_space(text))
    return normalize_space(match.group("name")) if match else None


# A wire dateline opening the lead names the news agency the story came from, in brackets
# before the dash (a place or a subject in brackets is none): "LOS ANGELES (AP) - U.S.
# figure skating …", "( Reuters )- A long-delayed …", "SAN FRANCISCO (AP) ― One of …".
# At most 60 characters of place before it.
_DATELINE_CREDIT = re.compile(
    rf"^(?:[A-Z][\w.,'’ -]{{0,60}}?)?\(\s*(?P<name>{WIRE_AGENCY})\s*\)\s*(?:--|[-–—―:])", re.I
)


def dateline_credit(text: str) -> str | None:
    """The source a wire dateline names, or None.

    >>> dateline_credit("LOS ANGELES (AP) - U.S figure skating champion …")
    'AP'
    >>> dateline_credit("( Reuters )- A long-delayed upgrade …")
    'Reuters'
    >>> dateline_credit("MUMBAI (Mumbai) - …") is None, dateline_credit("(Question) - …") is None
    (True, True)
    """
    match = _DATELINE_CREDIT.match(normalize_space(text))
    return match.group("name") if match else None


# A line of its own naming only a news agency, under the headline: "The Associated Press".
_WIRE_LINE = re.compile(rf"^(?:the\s+)?{WIRE_AGENCY}$", re.I)


def wire_line(text: str) -> str | None:
    """The agency a line naming only an agency credits, or None.

    >>> wire_line("The Associated Press"), wire_line("Reuters")
    ('The Associated Press', 'Reuters')
    >>> wire_line("Associated Press writers contributed to this report.") is None
    True
    """
    text = normalize_space(text)
    return text if _WIRE_LINE.match(text) else None


def lead_reporters(text: str) -> str | None:
    """The reporters a Chinese lead names after its dateline, or None.

    >>> lead_reporters("长江网10月4日讯（记者陈智 整合） 国庆中秋长假过半")
    '陈智'
    >>> lead_reporters("新华社北京3月5日电（记者 张三、李四）十四届全国人大")
    '张三、李四'
    >>> lead_reporters("（记者陈智）这句话没有电头") is None
    True
    """
    match = _LEAD_REPORTERS.match(text.strip())
    return match.group("names").strip() if match else None


def byline_texts(root: etree._Element, max_chars: int) -> list[str]:
    """Texts of elements marked as bylines, in page order, outside comments and chrome."""
    texts = []
    for element in _marked_elements(root):
        if element.tag in ("meta", "link", "script"):
            continue
        tokens = _tokens(element)
        if not tokens & _BYLINE_TOKENS or tokens & _NOT_ARTICLE_BYLINE:
            continue
        text = normalize_space("".join(element.itertext()))
        if 1 < len(text) <= max_chars and not _in_comments(element) and not _is_menu(element):
            texts.append(text)
    return texts


# What stands between the links of a menu ("About Us - Contact Us - Subscribe").
_MENU_SEPARATORS = re.compile(r"[\s|｜•·/\-–—]*")
# A byline links its authors; this many links with only separators between them and no
# "By" or "and" is a row of links, whatever its class says.
_MIN_MENU_LINKS = 3


def _is_menu(element: etree._Element) -> bool:
    links = list(element.iter("a"))
    if len(links) < _MIN_MENU_LINKS:
        return False
    rest = "".join(element.itertext())
    for link in links:
        rest = rest.replace("".join(link.itertext()), "", 1)
    return bool(_MENU_SEPARATORS.fullmatch(rest))


def _attributes(element: etree._Element) -> str:
    return " ".join(element.get(name) or "" for name in ("class", "id", "itemprop", "rel"))


def _tokens(element: etree._Element) -> frozenset[str]:
    """Class/id words, compound names split too: "articleByline", "leftColAuthorName" and
    "essayAuthor" hold "byline" and "author" as "article-byline" does."""
    words = re.split(r"[\s_-]+", _attributes(element))
    parts = [part for word in words for part in (word, *_CAMEL_PART.findall(word)) if part]
    tokens = {part.lower() for part in parts}
    # Words run together in lower case: "vitstorybyline", "postauthor" (but "commentauthor"
    # is the comment's).
    tokens.update(
        ending
        for token in list(tokens)
        for ending in _RUN_TOGETHER_ENDINGS
        if token.endswith(ending)
        and token != ending
        and not any(token.startswith(word) for word in _NOT_ARTICLE_BYLINE)
    )
    return frozenset(tokens)


_RUN_TOGETHER_ENDINGS = ("byline", "author")


# The words of a camelCase name: "leftColAuthorName" -> left, Col, Author, Name.
_CAMEL_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def _in_comments(element: etree._Element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in ("footer", "nav", "aside"):
            return True
        if _COMMENT_TOKENS & _tokens(ancestor):
            return True
    return False


_SOURCE_LABEL = re.compile(r"^(?:来源|來源|来源于|稿源|source)\s*[:：]\s*(.{1,30})$", re.I)
# A cheap test before tokenising an element's attributes: most elements have none of these.
_MARKED = re.compile(r"auth|byl|writer|creator|reporter|source", re.I)
# The attribute values `_attributes` joins, in document order (an element's own values side
# by side), each with its element (`getparent`).
_MARKABLE_VALUES = etree.XPath(
    "descendant-or-self::*/@class | descendant-or-self::*/@id"
    " | descendant-or-self::*/@itemprop | descendant-or-self::*/@rel"
)


def _marked_elements(root: etree._Element) -> list[etree._Element]:
    """Elements whose class, id, itemprop or rel holds a `_MARKED` word, in page order:
    the elements `_MARKED.search(_attributes(element))` accepts (no word spans the space
    between two values), found from the values libxml2 hands over instead of four look-ups
    and a join per element (a third faster over the bench pages)."""
    marked: list[etree._Element] = []
    for value in _MARKABLE_VALUES(root):
        if _MARKED.search(value):
            element = value.getparent()
            if not marked or marked[-1] is not element:
                marked.append(element)
    return marked


def source_names(root: etree._Element, printed: Iterable[str]) -> frozenset[str]:
    """Outlets the page says a story came from ("来源：新京报", <a class="source">): a
    portal's reposted story names them where a byline would stand, but they did not
    write it. A news agency ("Source: Press Association") did: its story is its own."""
    names = set()
    for element in _marked_elements(root):
        if any("source" in token for token in _tokens(element)):
            text = normalize_space("".join(element.itertext()))
            if 0 < len(text) <= 40:
                labelled = _SOURCE_LABEL.match(text)
                names.add(labelled.group(1) if labelled else text)
    for line in printed:
        labelled = _SOURCE_LABEL.match(line)
        if labelled:
            names.add(labelled.group(1).strip())
    return frozenset(name for name in names if name and not _WIRE_LINE.match(name))
