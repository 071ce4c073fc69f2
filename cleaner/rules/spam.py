"""Spam, ad and contact rules as data: what each block is measured on, and the named rules.

A block is measured once (`measure` -> `BlockFacts`: separators, flagged-word share, repeated
n-grams, phone numbers, ...). Each `SpamRule` is a named scorer over those facts that returns
the evidence a reviewer reads ("41 separators, 74% flagged words") or None. Each
`PatternRule` is a regular expression for a short block. Every rule carries an example that
fires and a real-looking counterexample that must not; both run as tests.

Rules that need the blocks around a block (an "广告" marker and the blocks it introduces, a
"友情链接" run, CSS-hidden text) live in `cleaner.stages.spam`, which applies this table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from cleaner.rules import Rule, removed_by_stages
from cleaner.rules.traditional_forms import traditional_forms
from cleaner.text import ENDS_SENTENCE, IDEOGRAPH, SENTENCE_MARK

RULES_DIR = Path(__file__).parent
# The shipped flagged-word lists (source and licence in each file's header).
FLAGGED_WORD_FILES = ("flagged_words_zh.txt", "flagged_words_zh_hant.txt", "flagged_words_en.txt")

# ---------------------------------------------------------------- flagged words


def read_word_list(path: Path) -> list[str]:
    """Words of a list file: one per line, blank lines and '#' comments skipped."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    return words


def with_traditional_forms(words: Iterable[str]) -> set[str]:
    """Add the Traditional (Taiwan, Hong Kong) spelling of every Chinese word.

    Lists are written once in Simplified; OpenCC derives the other scripts so a
    Traditional page meets the same list (`cleaner.rules.traditional_forms` keeps the
    shipped words' forms, so a run loads OpenCC only for words of its own).
    """
    expanded = set(words)
    for word in words:
        if IDEOGRAPH.search(word):
            expanded.update(traditional_forms(word))
    return expanded


@dataclass(frozen=True)
class Lexicon:
    """Flagged words compiled into one pattern; Latin words match as whole words."""

    pattern: re.Pattern[str] | None

    def find(self, text: str) -> list[str]:
        # The pattern has no capturing group, so findall gives the whole matches.
        return self.pattern.findall(text) if self.pattern else []


def build_lexicon(words: Iterable[str]) -> Lexicon:
    """One pattern for all words; the longest word wins ("online casino" over "casino").

    Words are grouped by whether they need a Latin word boundary at their start and end
    (\\b does not work next to Han, which counts as a word character: "夜AV" must match "av"),
    and each group becomes a prefix tree, which the regex engine walks far faster than an
    alternation of hundreds of words. A lookahead for the words' first characters lets the
    engine pass over most positions with one character-class test instead of trying every
    group (the scan takes half the time; the matches are the same).
    """
    groups: dict[tuple[bool, bool], set[str]] = {}
    for word in {word.strip().lower() for word in words if word.strip()}:
        key = (_latin_edge(word[0]), _latin_edge(word[-1]))
        groups.setdefault(key, set()).add(word)
    if not groups:
        return Lexicon(None)
    alternatives = []
    for (latin_start, latin_end), group in sorted(groups.items()):
        tree = _prefix_tree_pattern(sorted(group))
        before = r"(?<![A-Za-z0-9])" if latin_start else ""
        after = r"(?![A-Za-z0-9])" if latin_end else ""
        alternatives.append(f"{before}(?:{tree}){after}")
    pattern = f"(?={_first_character_filter(groups)})(?:{'|'.join(alternatives)})"
    return Lexicon(re.compile(pattern, re.IGNORECASE))


def _first_character_filter(groups: dict[tuple[bool, bool], set[str]]) -> str:
    """Where a word can start: one of the words' first characters, and for a Latin one
    (which needs a word boundary before it anyway) only at the start of a Latin word.

    Half the characters of the bench blocks are a first character (most Latin letters
    are), but few of them open a word: the boundary test turns the other Latin positions
    away before the engine tries the groups (scan 0.15 s -> 0.08 s, same matches).
    """
    starts = {word[0] for group in groups.values() for word in group}
    latin = "".join(sorted(re.escape(first) for first in starts if _latin_edge(first)))
    other = "".join(sorted(re.escape(first) for first in starts if not _latin_edge(first)))
    branches = ([f"[{other}]"] if other else []) + (
        [rf"(?<![A-Za-z0-9])[{latin}]"] if latin else []
    )
    return "|".join(branches)


def _latin_edge(character: str) -> bool:
    return character.isascii() and character.isalnum()


def _prefix_tree_pattern(words: list[str]) -> str:
    """A regex for a set of words that shares their prefixes: ab|ac -> a(?:b|c).

    Longer continuations come first and a word that is a prefix of another makes the rest
    optional, so the engine takes the longest word at each position.
    """
    by_first: dict[str, list[str]] = {}
    ends_here = False
    for word in words:
        if word:
            by_first.setdefault(word[0], []).append(word[1:])
        else:
            ends_here = True
    branches = [re.escape(first) + _prefix_tree_pattern(rests) for first, rests in by_first.items()]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends_here else body


def load_default_lexicon_words() -> set[str]:
    words: list[str] = []
    for name in FLAGGED_WORD_FILES:
        words.extend(read_word_list(RULES_DIR / name))
    return with_traditional_forms(words)


# ---------------------------------------------------------------- both scripts

# Traditional forms of the Simplified characters the patterns below use, from OpenCC's
# s2t, s2tw and s2hk tables (character level). Patterns are written once, in Simplified;
# `either_script` lets each of these characters match its Traditional forms too.
_TRADITIONAL_PAIRS = (
    "业:業 从:從 们:們 众:眾衆 优:優 传:傳 关:關 内:內 册:冊 击:擊 别:別 办:辦 务:務 "
    "单:單 发:發 号:號 咨:諮 对:對 帮:幫 广:廣 开:開 扫:掃 机:機 来:來 欢:歡 点:點 "
    "热:熱 电:電 码:碼 种:種 类:類 线:線 维:維 编:編 群:羣 职:職 联:聯 蓝:藍 视:視 "
    "订:訂 让:讓 证:證 识:識 诚:誠 话:話 询:詢 说:說説 请:請 费:費 资:資 赞:贊 转:轉 "
    "过:過 邮:郵 链:鏈 长:長 阅:閱閲 领:領 频:頻 系:繫 络:絡 义:義 书:書 为:為 页:頁"
)
_TRADITIONAL_FORMS = dict(pair.split(":") for pair in _TRADITIONAL_PAIRS.split())


def either_script(pattern: str) -> str:
    """Let every Simplified character of a regex also match its Traditional forms.

    >>> either_script("扫码[关注]")
    '[扫掃][码碼][关關注]'
    """
    pieces: list[str] = []
    in_class = escaped = False
    for character in pattern:
        forms = _TRADITIONAL_FORMS.get(character, "")
        if escaped or not forms:
            pieces.append(character)
        elif in_class:
            pieces.append(character + forms)
        else:
            pieces.append(f"[{character}{forms}]")
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == "[":
            in_class = True
        elif character == "]":
            in_class = False
    return "".join(pieces)


# ---------------------------------------------------------------- measuring a block

_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+")
# Separators of keyword lists. "、" is in Chinese prose too, which is why stuffing also
# needs short segments, few sentence ends and flagged words or repetition.
# Commas are not separators: they join clauses of prose, which a keyword list has none of.
# Nor is "/": it is in every URL, date and fraction.
_SEPARATOR = re.compile(r"\s*[|｜¦丨•、]\s*|(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_CLAUSE = re.compile(r"[，,；;]")

# (kind, pattern, the fewest digits a match holds): a block with fewer digits in all is not
# searched for that kind (most news paragraphs hold a date or a figure, not a phone number).
_CONTACT_PATTERNS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("mobile", re.compile(r"(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"), 11),
    ("service", re.compile(r"(?<!\d)[48]00[ -]?\d{3,4}[ -]?\d{3,4}(?!\d)"), 9),
    ("landline", re.compile(r"(?<![\d-])0\d{2,3}[ -－]?\d{7,8}(?!\d)"), 10),
    # Taiwan: 02-2720-8889 (landline), 0912-345-678 (mobile).
    ("landline", re.compile(r"(?<![\d-])0\d{1,2}[ -]\d{3,4}[ -]\d{4}(?!\d)"), 9),
    ("mobile", re.compile(r"(?<![\d-])09\d{2}[ -]?\d{3}[ -]?\d{3}(?!\d)"), 10),
    ("phone", re.compile(r"(?<!\d)\+?\d{1,3}[ .-]?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)"), 11),
    # International form with a country code: +971 55 123 4567, +44 20 7946 0000.
    (
        "phone",
        re.compile(r"(?<![\d+])\+[1-9]\d{0,2}[ .-]?\d{1,4}[ .-]\d{3,4}[ .-]\d{3,4}(?!\d)"),
        8,
    ),
    (
        "wechat",
        re.compile(
            either_script(
                r"(?:微信号?|威信|薇信|vx|v信|wechat|wx)\s*[:：]?\s*[A-Za-z][-_A-Za-z0-9]{5,19}"
            ),
            re.I,
        ),
        0,
    ),
    ("qq", re.compile(either_script(r"qq(?:号|群)?\s*[:：]?\s*[1-9]\d{4,10}"), re.I), 5),
    ("url", re.compile(r"https?://\S+|www\.[-\w.]+\.\w+", re.I), 0),
    ("email", re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), 0),
)
_DIGIT = re.compile(r"\d")
# Words that ask the reader to get in touch to buy, rent or join: the difference between a
# sales contact block and a news paragraph that quotes a number.
_SALES_CUE_WORDS = (
    r"微信号|加微信|加微|微信/手机|手机/微信|扫一扫|长按|租售|招商|加盟|代理|欢迎来电|欢迎咨询|"
    r"咨询热线|咨询电话|服务热线|联系我们|联络我们|请说明您的需求|快速帮您|对接资源|优惠|"
    r"免费咨询|诚招|诚聘|待遇优厚|有意者|量大从优|批发|出售|转让|回收|包过|代办|立即咨询|"
    r"添加请备注|请备注|当天放款|无抵押|可贷|日赚|兼职|"
    r"call now|contact us|whatsapp"
)
# The lookahead for the cues' first characters lets the engine pass over most positions
# with one character-class test instead of trying 46 alternatives at each (the block
# model reads the cues of every block it judges: 340 ns per character before).
_SALES_CUE = re.compile(
    either_script(
        f"(?=[{''.join(sorted({word[0] for word in _SALES_CUE_WORDS.split('|')}))}])"
        f"(?:{_SALES_CUE_WORDS})"
    ),
    re.I,
)
# Field labels of a business card: address, phone, fax, mail ...
_CONTACT_LABEL = re.compile(
    either_script(r"地址|电话|热线|传真|邮箱|电邮|邮编|手机|微信|qq|tel|phone|fax|e-?mail|address"),
    re.I,
)


class _remembered:
    """`functools.cached_property` without its per-instance lock (Python 3.11 takes an
    RLock on every first read; BlockFacts live in one thread): the value is computed on
    first read and stored on the instance, which then answers without this descriptor.
    Every block reads several facts, so the lock cost 0.06 s over the bench pages."""

    def __init__(self, compute: Callable) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


class BlockFacts:
    """What the rules look at, measured on first use and then remembered.

    Lazy because most blocks are settled by the cheap facts (length, separators, clauses)
    and never need the flagged-word scan or the contact patterns.
    """

    def __init__(self, text: str, lexicon: Lexicon) -> None:
        self.text = text
        self.lexicon = lexicon

    @_remembered
    def chars(self) -> int:
        """Characters other than white space (`str.split` cuts at exactly those)."""
        return sum(map(len, self.text.split()))

    @_remembered
    def segments(self) -> list[str]:
        return [segment for segment in _SEPARATOR.split(self.text) if segment.strip()]

    @property
    def separators(self) -> int:
        return max(0, len(self.segments) - 1)

    @property
    def mean_segment_chars(self) -> float:
        return self.chars / max(1, len(self.segments))

    @_remembered
    def sentence_ends(self) -> int:
        return len(SENTENCE_MARK.findall(self.text))

    @_remembered
    def clauses(self) -> int:
        return len(_CLAUSE.findall(self.text))

    @_remembered
    def flagged(self) -> tuple[str, ...]:
        return tuple(self.lexicon.find(self.text))

    @property
    def flagged_share(self) -> float:
        """Share of the characters covered by flagged words."""
        flagged_chars = sum(len(word.replace(" ", "")) for word in self.flagged)
        return flagged_chars / max(1, self.chars)

    @_remembered
    def repeated_share(self) -> float:
        return repeated_trigram_share(self.text)

    @_remembered
    def contacts(self) -> tuple[tuple[str, str], ...]:
        """(kind, text) of each phone number, messenger id, URL and e-mail."""
        return find_contacts(self.text)

    @_remembered
    def sales_cues(self) -> tuple[str, ...]:
        # A cue must be more than the label of the contact itself ("微信号 FViewXFG").
        without_contacts = self.text
        for _, contact in self.contacts:
            without_contacts = without_contacts.replace(contact, " ")
        return tuple(_SALES_CUE.findall(without_contacts))

    @_remembered
    def contact_labels(self) -> tuple[str, ...]:
        return tuple(label.lower() for label in _CONTACT_LABEL.findall(self.text))

    @property
    def ends_like_sentence(self) -> bool:
        return ENDS_SENTENCE.search(self.text) is not None


def measure(text: str, lexicon: Lexicon) -> BlockFacts:
    return BlockFacts(text, lexicon)


def repeated_trigram_share(text: str) -> float:
    """Share of token trigrams that occur three times or more in the block.

    Tokens are Han characters and Latin/digit runs. Prose repeats few trigrams; a stuffed
    keyword list repeats its keywords ("综合久久" ×20). 0.0 for blocks under 12 tokens.
    """
    tokens = [token.lower() for token in _TOKEN.findall(text)]
    trigrams = list(zip(tokens, tokens[1:], tokens[2:], strict=False))
    if len(trigrams) < 10:
        return 0.0
    counts = Counter(trigrams)
    repeated = sum(count for count in counts.values() if count >= 3)
    return repeated / len(trigrams)


# Every contact pattern needs one of these: a digit, "@", a URL start or a messenger name.
# Most prose blocks hold none, and one search spares them the eleven patterns.
_CONTACT_HINT = re.compile(
    either_script(r"\d|@|https?://|www\.|微信|威信|薇信|vx|v信|wechat|wx"), re.I
)


def find_contacts(text: str) -> tuple[tuple[str, str], ...]:
    """Phone numbers, messenger ids, URLs and e-mails, each counted once."""
    if not _CONTACT_HINT.search(text):
        return ()
    digits = len(_DIGIT.findall(text))
    found: list[tuple[str, str]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern, min_digits in _CONTACT_PATTERNS:
        if digits < min_digits:
            continue
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            found.append((kind, match.group(0).strip()))
    return tuple(found)


# ---------------------------------------------------------------- the rules


class SpamLimits(Protocol):
    """What the scorers read of the spam settings (`cleaner.stages.spam.SpamConfig`)."""

    stuffing_min_separators: int
    stuffing_min_flagged_separators: int
    stuffing_max_segment_chars: float
    stuffing_min_flagged_share: float
    stuffing_min_repeated_share: float
    stuffing_max_sentences_per_separator: float
    stuffing_max_clauses_per_separator: float
    flagged_min_distinct: int
    flagged_min_share: float
    contact_max_chars: int
    contact_min_without_cue: int
    card_max_chars: int


@cache
def _default_settings() -> Any:
    """The default spam settings, whose compiled lexicon the rule examples are measured
    with (one per process: compiling the shipped word lists takes a fifth of a second)."""
    from cleaner.stages.spam import SpamConfig  # the stage imports this table

    return SpamConfig()


def _judge_example(rule: Rule, text: str) -> bool:
    settings = _default_settings()
    return bool(rule.predicate(measure(text, settings.compiled.lexicon), settings))


def _scorer(
    rule_id: str,
    reason: str,
    fires_on: str,
    spares: str,
    detect: Callable[[BlockFacts, SpamLimits], str | None],
) -> Rule:
    """A named scorer over a block's facts: returns the evidence when the block is spam."""
    return Rule(rule_id, reason, (fires_on,), (spares,), predicate=detect, probe=_judge_example)


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def keyword_stuffing(facts: BlockFacts, config: SpamLimits) -> str | None:
    """Many short segments, hardly a sentence, and flagged words or repetition."""
    if facts.separators < config.stuffing_min_flagged_separators:
        return None
    if facts.mean_segment_chars > config.stuffing_max_segment_chars:
        return None
    most_sentences = facts.separators * config.stuffing_max_sentences_per_separator
    most_clauses = facts.separators * config.stuffing_max_clauses_per_separator
    if facts.sentence_ends > most_sentences or facts.clauses > most_clauses:
        return None
    flagged = facts.flagged_share >= config.stuffing_min_flagged_share
    repeated = (
        facts.repeated_share >= config.stuffing_min_repeated_share
        and facts.separators >= config.stuffing_min_separators
    )
    if not (flagged or repeated):
        return None
    return (
        f"{facts.separators} separators, {_percent(facts.flagged_share)} flagged words, "
        f"{_percent(facts.repeated_share)} repeated trigrams"
    )


def flagged_words(facts: BlockFacts, config: SpamLimits) -> str | None:
    """A block mostly made of distinct gambling/adult/SEO words, whatever its layout."""
    distinct = {word.lower() for word in facts.flagged}
    if len(distinct) < config.flagged_min_distinct:
        return None
    if facts.flagged_share < config.flagged_min_share:
        return None
    lowered = facts.text.lower()
    # First by where the word appears; words at the same place (a word and the longer one
    # it begins) alphabetically, so the evidence does not vary with the set's hash order.
    sample = ", ".join(sorted(distinct, key=lambda word: (lowered.find(word), word))[:4])
    return f"{_percent(facts.flagged_share)} flagged words ({len(distinct)} distinct: {sample})"


def sales_contact(facts: BlockFacts, config: SpamLimits) -> str | None:
    """Phone numbers or messenger ids with words that solicit a call or a chat.

    Two contacts and a sales cue, three phone numbers or messenger ids without one, or, in a
    block no longer than a contact card, one personal contact (mobile, international number,
    WeChat, QQ) and a cue: news rarely prints a mobile number. Links and e-mails alone are a
    link list or a byline, not a sales pitch.
    """
    if facts.chars > config.contact_max_chars or not facts.contacts:
        return None
    personal = [kind for kind, _ in facts.contacts if kind in ("mobile", "phone", "wechat", "qq")]
    callable_contacts = [kind for kind, _ in facts.contacts if kind not in ("url", "email")]
    # A number next to gambling, adult or counterfeit words sells them: those count as cues,
    # except in a sentence ("发现赌博线索可拨打…举报。" is news).
    cues = facts.sales_cues + (() if facts.ends_like_sentence else facts.flagged)
    short_personal = personal and facts.chars <= config.card_max_chars
    if len(facts.contacts) < 2 and not (short_personal and cues):
        return None
    if not cues and len(callable_contacts) < config.contact_min_without_cue:
        return None
    kinds = Counter(kind for kind, _ in facts.contacts)
    listed = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
    cues_text = f"; cues: {', '.join(dict.fromkeys(cues))}" if cues else ""
    return f"{len(facts.contacts)} contacts in {facts.chars} chars ({listed}){cues_text}"


def contact_card(facts: BlockFacts, config: SpamLimits) -> str | None:
    """A short block of labelled fields (address, phone, fax, mail) and no sentence."""
    if facts.chars > config.card_max_chars or not facts.contacts:
        return None
    labels = set(facts.contact_labels)
    if len(labels) < 2:
        return None
    if facts.sentence_ends:
        return None
    return f"{len(labels)} contact fields ({', '.join(sorted(labels))}), no sentence"


BLOCK_RULES: tuple[Rule, ...] = (
    _scorer(
        rule_id="spam.seo.keyword-stuffing",
        reason="SEO pages list keywords separated by | or 、 for search engines, not readers",
        fires_on=(
            "主站蜘蛛池模板: 亚洲五月综合缴情在线观看| heyzo专区无码综合| 亚洲综合久久夜AV | "
            "狠狠色丁香婷婷综合激情| 亚洲综合色丁香麻豆| 色欲色香天天天综合网站| "
            "国产成人综合网在线观看| 激情综合色综合久久综合| 色综合久久无码中文字幕|"
        ),
        spares=(
            "园区聚焦生物医药、精准医学、医疗器械、智慧医养、宠物科技等细分领域，"
            "通过搭建集实验室研发、技术产业化、资本加速于一体的服务体系，赋能实体经济。"
        ),
        detect=keyword_stuffing,
    ),
    _scorer(
        rule_id="spam.seo.flagged-words",
        reason="a block made mostly of gambling, adult or SEO-bait words is an ad, not news",
        fires_on="澳门威尼斯人娱乐城百家乐真人荷官在线发牌，注册送88元彩金，首存返水",
        spares=(
            "警方介绍，该团伙在境外架设网络赌博平台，以百家乐、老虎机等名目吸引参赌人员，"
            "涉案流水超过2亿元，目前已有12名嫌疑人被刑事拘留。"
        ),
        detect=flagged_words,
    ),
    _scorer(
        rule_id="spam.contact.sales",
        reason="phone numbers and WeChat ids with a call to get in touch are a sales ad",
        fires_on=(
            "葛毅明微信号 产业招商/厂房土地租售:400 0123 021 或微信/手机:13391219793 "
            "请说明您的需求、用途、税收、公司、联系人、手机号,以便快速帮您对接资源。"
        ),
        spares=(
            "据悉，活动报名截止至5月20日，市民可拨打报名电话0532-88886666或13912345678，"
            "也可到社区服务中心现场报名。"
        ),
        detect=sales_contact,
    ),
    _scorer(
        rule_id="spam.contact.card",
        reason="a line of address, phone and fax fields is a business card, not a paragraph",
        fires_on="地址:宜春丰城高新区高新中大道 电话:0795-6240983",
        spares="市民如遇紧急情况，可拨打24小时服务热线0532-12345678求助。",
        detect=contact_card,
    ),
)


def pattern_rule(
    rule_id: str,
    pattern: str,
    reason: str,
    fires_on: str,
    spares: str,
    max_chars: int = 80,
    max_clauses: int = 2,
    skip_sentences: bool = False,
) -> Rule:
    """A regular expression (either script) that marks a short block as spam.

    `max_chars`: longer blocks are prose that merely mentions the phrase. `max_clauses`:
    blocks with this many clause commas or more read as narrative, not a call to action.
    `skip_sentences`: a block that ends like a sentence is prose about the phrase.
    """
    compiled = re.compile(either_script(pattern), re.I)

    def detect(facts: BlockFacts, config: SpamLimits | None = None) -> str | None:
        if facts.chars > max_chars or facts.clauses >= max_clauses:
            return None
        if skip_sentences and facts.ends_like_sentence:
            return None
        match = compiled.search(facts.text)
        return f"matched {match.group(0)!r}" if match else None

    examples = ((fires_on,) if fires_on else (), (spares,) if spares else ())
    return Rule(
        rule_id, reason, *examples, pattern=compiled, predicate=detect, probe=_judge_example
    )


PATTERN_RULES: tuple[Rule, ...] = (
    pattern_rule(
        "spam.follow.qr-code",
        r"(?:扫描|扫一扫|扫码|长按|识别)(?!了)[^。，]{0,4}"
        r"(?:上方|下方|左方|右方|左侧|右侧|下图|上图|图中|文末|底部)[^。，]{0,6}二维码"
        r"|(?:扫描|扫码|长按)(?:上方|下方|左方|右方|左侧|右侧|下图|上图|图中)"
        r"|长按识别|微信扫一扫|微信扫码|点击(?:上方|下方)?蓝字",
        "points at a QR code image the text does not carry: page furniture, even as a sentence",
        "专注苹果新闻报道，每日推送最新苹果资讯。扫描下方二维码关注苹果汇官方微信。",
        "记者扫码关注了该公众号后发现，其发布的内容多为虚假广告，已有多名市民上当。",
    ),
    pattern_rule(
        "spam.follow.qr-scan",
        r"(?:扫描|扫一扫|扫码|长按|识别)(?!了)[^。，]{0,10}二维码",
        "asks the reader to scan a QR code the page shows (a sentence that only mentions "
        "scanning one, as a fraud warning does, is news)",
        "扫描二维码 立即领取新人专享礼包",
        "反诈中心提醒市民切勿扫描来历不明的二维码。",
        skip_sentences=True,
    ),
    pattern_rule(
        "spam.follow.scan-call",
        r"(?:扫描|扫一扫|扫码|识别)(?!了)[^。，]{0,10}(?:关注|公众号|微信|小程序|咨询|下载)",
        "asks the reader to scan and follow, chat or download",
        "扫码下载APP，领取新人红包",
        "市民可扫码下载“i青岛”APP办理。",
        # A sentence telling readers how to use a public service is news.
        skip_sentences=True,
    ),
    pattern_rule(
        "spam.follow.read-original",
        r"点击(?:下方|文末|左下角|底部)?\W{0,2}阅读原文",
        "WeChat furniture pointing at a 'read the original' link the text does not carry",
        "点击下方“阅读原文”，立即报名参加",
        "他在仔细阅读原文后表示，译文存在多处错误。",
    ),
    pattern_rule(
        "spam.follow.account",
        r"(?<!了)关注[^。，了]{0,12}(?:公众号|视频号|微信号|订阅号|服务号|抖音号)"
        r"|^\W*(?:欢迎|请)?关注我们\W*$"
        r"|^\W*[\w\u4e00-\u9fff]{0,12}(?:官方微信|微信公众号|公众号|订阅号|服务号|微信公号)\W*$",
        "asks the reader to follow an account, or names one under its QR code",
        "欢迎关注青岛日报微信公众号：qdrbwx",
        "市民可关注“青岛发布”微信公众号查询各区核酸检测点位。",
        # A sentence that tells readers where to look something up is news service.
        skip_sentences=True,
    ),
    pattern_rule(
        "spam.ad.label",
        r"^\s*(?:[\[【(（]\s*(?:广告|推广|赞助|sponsored|advertisement|ad)\s*[\]】)）]"
        r"|(?:广告|推广|赞助内容|sponsored|advertisement|paid content)\s*[:：|｜]"
        r"|(?:广告|推广)\s+(?=\S))",
        "a block that labels itself as an ad",
        "【广告】丰城高新区欢迎您 构建“2+N”现代产业体系",
        "推广农村物流品牌，交通运输部支持交邮融合发展。",
        max_chars=300,
        # The label decides, however many clauses the ad copy has.
        max_clauses=10_000,
    ),
    pattern_rule(
        "spam.seo.solicitation",
        r"(?:加|\+)\s*(?:[vV](?![A-Za-z])|威信|薇信|微信)\s*[:：]?\s*[A-Za-z0-9_-]{5,}|薇信"
        r"|代开[^，。\s]{0,6}发票|(?:办理|代办)?各类证件(?:办理)?|刷单兼职"
        r"|注册(?:就|即)?送\d*元?|首存(?:送|返)|点击领取|立即(?:注册|领取)彩金"
        r"|buy cheap \w+|buy (?:viagra|cialis|levitra|xanax|tramadol)"
        r"|click here to (?:buy|win|claim)|(?:casino|no deposit) bonus"
        r"|buy (?:cheap )?(?:instagram |twitter |tiktok |youtube )?(?:followers|likes|views)",
        "obfuscated messenger ids, fake invoices and sign-up bonuses are classic spam",
        "加V信：abc8888 代开各类发票 注册就送88元",
        "威海市信用办表示，将加大对虚假发票的查处力度，对代开发票等违法行为依法严惩。",
        max_chars=200,
        max_clauses=4,
        skip_sentences=True,
    ),
)


def compile_user_rule(values: dict[str, object]) -> Rule:
    """A rule from the config file: ``{id, pattern, why?, example?, counterexample?,
    max_chars?}``.

    Raises ValueError with the reason when a setting is missing or the pattern is invalid.
    """
    unknown = set(values) - {"id", "pattern", "why", "example", "counterexample", "max_chars"}
    if unknown or "id" not in values or "pattern" not in values:
        raise ValueError(
            f"[[spam.rules]] needs 'id' and 'pattern' (optional: why, example, counterexample, "
            f"max_chars); got {sorted(values)}"
        )
    rule_id = str(values["id"])
    # User rules live under spam.custom, so `--rule spam.custom` shows them all and they can
    # never shadow a shipped rule.
    rule_id = rule_id if rule_id.startswith("spam.custom.") else f"spam.custom.{rule_id}"
    try:
        re.compile(either_script(str(values["pattern"])), re.I)
    except re.error as error:
        raise ValueError(f"[[spam.rules]] {rule_id}: invalid pattern: {error}") from error
    example, counterexample = values.get("example"), values.get("counterexample")
    return pattern_rule(
        rule_id,
        str(values["pattern"]),
        str(values.get("why", "a rule from the configuration file")),
        str(example) if example else "",
        str(counterexample) if counterexample else "",
        max_chars=int(values.get("max_chars", 300)),  # type: ignore[arg-type]
        max_clauses=10_000,
    )


# ---------------------------------------------------------------- rules of a block's context
#
# The spam stage applies these with the blocks around a block: an ad marker and the short
# blocks it introduces, a link-farm heading and its links, hidden text against the page.

# A block that is nothing but an ad marker, possibly repeated ("Sponsored LinksSponsored
# Links") or decorated ("- 广告 -", "[Advertisement]").
AD_MARKER = re.compile(
    either_script(
        r"^[\W_]*(?:(?:广告|推广|赞助|赞助商|商业推广|广告位|(?:广告|推广|赞助商?)(?:链接|内容)"
        r"|广告位招租|广告招租|sponsored(?: links?| content| post)?"
        r"|advertisements?|advertising|ads?|promoted|paid (?:content|post)"
        r"|(?:continue|story continues) reading(?: below)?|story continues below"
        r"|scroll to continue(?: with content)?)[\W_]*)+$"
    ),
    re.I,
)
LINK_FARM = re.compile(
    either_script(r"^\W*(?:友情链接|友链|合作链接|friendly links|partner links)\s*[:：]?"), re.I
)


def _in_context(rule_id: str, reason: str, fires_on: str, spares: str) -> Rule:
    def probe(rule: Rule, example: str) -> bool:
        return removed_by_stages(rule, example, "spam")

    return Rule(rule_id, reason, (fires_on,), (spares,), probe=probe)


_STORY = (
    "The council voted on Tuesday to fund a new public library downtown, ending a debate "
    "that had lasted more than two years and divided residents of the city."
)
_PAGE = (
    "<html><body><div class='article-body'><p>{story}</p>{extra}<p>{story}</p></div></body></html>"
)

CONTEXT_RULES: tuple[Rule, ...] = (
    _in_context(
        "spam.ad.marker",
        "a block that only says 广告 / Advertisement marks an ad slot",
        f"{_STORY}\n\n广告\n\n丰城高新区欢迎您\n\n{_STORY}",
        f"{_STORY}\n\n广告业\n\n{_STORY}",
    ),
    _in_context(
        "spam.ad.block",
        "the short, sentence-less blocks right after an ad marker are the ad",
        f"{_STORY}\n\n广告\n\n丰城高新区欢迎您\n\n{_STORY}",
        f"{_STORY}\n\n广告\n\n{_STORY}",
    ),
    _in_context(
        "spam.seo.link-farm",
        "a 友情链接 / partner-links heading introduces a list of links traded for ranking",
        f"{_STORY}\n\n友情链接：\n\n{_STORY}",
        f"{_STORY}\n\n友情链接在早期互联网很常见，如今已很少见到。\n\n{_STORY}",
    ),
    _in_context(
        "spam.seo.link-farm.entry",
        "the link-only blocks under a link-farm heading are the farm",
        f"{_STORY}\n\n友情链接\n\n[青岛厂房](http://a.example.com) "
        f"[青岛仓库](http://b.example.com)\n\n{_STORY}",
        f"{_STORY}\n\n友情链接\n\n{_STORY}",
    ),
)


def _hidden_probe(rule: Rule, hidden_text: str) -> bool:
    """The example is the text of a CSS-hidden block between two paragraphs of a story."""
    from cleaner.document import Block, Document
    from cleaner.stages import spam

    hidden = Block(hidden_text, hidden=True)
    document = Document("example", blocks=[Block(_STORY), hidden, Block(_STORY)])
    spam.apply(document, _default_settings())
    return hidden.removal is not None and hidden.removal.rule == rule.id


HIDDEN_TEXT = Rule(
    "spam.seo.hidden-text",
    "text hidden by CSS is for search engines, not readers (unless it is most of the page: "
    "then the body itself waits for a script to show it)",
    ("cheap flights cheap hotels best deals",),
    (" ".join([_STORY] * 3),),
    probe=_hidden_probe,
)

# The block model's removals (`cleaner.rules.spam_model`): one id for spam of any family,
# and one for the reposting and subscription notices it recognises, which are boilerplate.
MODEL_RULE = "spam.model"
MODEL_BOILERPLATE_RULE = "boilerplate.model"


def _model_probe(rule: Rule, text: str) -> bool:
    """The example is a block between two paragraphs of a story: does the model remove it
    under this rule's id?"""
    from cleaner.document import Block, Document
    from cleaner.stages import spam

    block = Block(text)
    document = Document("example", blocks=[Block(_STORY), block, Block(_STORY)])
    spam.apply(document, _default_settings())
    return block.removal is not None and block.removal.rule == rule.id


MODEL_RULES: tuple[Rule, ...] = (
    Rule(
        MODEL_RULE,
        "the block model scores the block as spam in a phrasing no rule names: its character "
        "n-grams, contacts, links and how little it shares with its article",
        (
            "下载官方APP，新人首单立减50元，邀请好友再领现金红包，名额有限先到先得！",
            "Make $500 a day from home with our automated trading signals, join the private "
            "group now and start earning today!",
        ),
        (
            "市场监管部门提醒，所谓“首单立减”“邀请好友领现金”的推广中有不少是诱导下载的骗局，"
            "消费者应通过正规渠道购物。",
            "Regulators warned on Monday that automated trading signals sold through private "
            "chat groups have cost investors millions of dollars this year.",
        ),
        probe=_model_probe,
    ),
    Rule(
        MODEL_BOILERPLATE_RULE,
        "the block model reads a repost disclaimer or a subscribe prompt: site boilerplate, "
        "not the article",
        (
            "—END— 觉得有用就点个关注，每周五更新",
            "Like what you read? Subscribe to the weekly digest and get every issue in your inbox.",
        ),
        ("法院认定该网站未经许可转载他人文章构成侵权，判令其删除涉案内容并赔偿损失。",),
        probe=_model_probe,
    ),
)

ALL_RULES: tuple[Rule, ...] = (
    *BLOCK_RULES,
    *PATTERN_RULES,
    *CONTEXT_RULES,
    HIDDEN_TEXT,
    *MODEL_RULES,
)
