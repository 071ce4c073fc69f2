"""Shapes of text that every stage asks about, defined once.

What counts as a CJK character, how wide a line prints, whether a text ends a sentence,
whether it is mostly Latin, how wrapped lines are joined: the stages must agree on these, so
they import them from here instead of writing their own copies.

Patterns are compiled once at import; each function is pure.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable

# ---------------------------------------------------------------- character classes

# CJK characters, their punctuation and full-width forms: each prints one column wide.
CJK_CHARACTER = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# Han ideographs only (the unified block, extension A and the compatibility block).
IDEOGRAPH_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
IDEOGRAPH = re.compile(f"[{IDEOGRAPH_RANGES}]")
# Runs of anything but ideographs: deleting them leaves the ideographs, whose count is
# then one `len` (half the time of listing every ideograph with findall).
_NOT_IDEOGRAPH_RUN = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff]+")


def _letter_class_below(limit: int) -> re.Pattern[str]:
    """A character class of the code points below `limit` that `str.isalpha` accepts."""
    letters = "".join(re.escape(chr(code)) for code in range(limit) if chr(code).isalpha())
    return re.compile(f"[{letters}]")


# Letters of the alphabetic scripts written with spaces (Latin, Greek, Cyrillic ...).
ALPHABETIC_LETTER = _letter_class_below(0x2000)

# ---------------------------------------------------------------- sentence ends

# Closing quotes and brackets that may follow the mark ending a sentence.
CLOSERS = "”’」』）)\"'"
# Ends a sentence: a full stop, question or exclamation mark, then closing quotes.
ENDS_SENTENCE = re.compile(f"[。！？.!?][{CLOSERS}]*$")
# Ends a sentence or a clause: also commas, enumeration commas, semicolons and ellipses.
# A line ending like this continues or finishes prose; a headline ends in none of them.
ENDS_CLAUSE = re.compile(f"[。，、；,;.…][{CLOSERS}]*$")
# Ends in a question or exclamation mark: a headline may ("爱出油快秃顶？"), so this alone
# does not make a sentence.
ENDS_QUESTION = re.compile(f"[!?！？][{CLOSERS}]*$")
# Ends with any stop a printed line can end on, colons included (measures column layouts).
ENDS_ANY_STOP = re.compile(f"[。！？!?….;；:：][{CLOSERS}]*$")
# Ends an English sentence.
ENDS_LATIN_SENTENCE = re.compile(f"[.!?][{CLOSERS}]*$")
# Holds a sentence mark somewhere: 。！？!? or a full stop before a space or the end.
SENTENCE_MARK = re.compile(r"[。！？!?]|\.(?=\s|$)")


def ends_sentence(text: str) -> bool:
    """Does the text end like a finished sentence?

    >>> ends_sentence("他说：“好。”"), ends_sentence("Storm hits the coast")
    (True, False)
    """
    return ENDS_SENTENCE.search(text[-_TAIL:]) is not None


# Patterns anchored at the end of a text look only at its last characters: a search for an
# end-anchored class over a whole long paragraph would try every start position.
_TAIL = 200

# ---------------------------------------------------------------- measures


def normalize_space(text: str) -> str:
    """Runs of white space as one space, none at either end.

    `str.split` and the regex class ``\\s`` agree on what white space is (Unicode's), and
    splitting is several times faster than ``re.sub(r"\\s+", " ", text).strip()``.

    >>> normalize_space("  a \\n\\t b ")
    'a b'
    """
    return " ".join(text.split())


def display_width(text: str) -> float:
    """Columns the text prints in: 1 per CJK character, 0.5 per other one, white space none.

    PDF extraction inserts spaces around digits ("5 月 15 日") that take no room on the page,
    so spaces are not counted. Counted in C (a split and one findall) rather than per
    character; the only CJK-range character that is white space is U+3000.

    >>> display_width("医疗器械 80 亿")
    6.0
    """
    visible = sum(map(len, text.split()))
    if not visible:
        return 0
    if text.isascii():
        return 0.5 * visible
    wide = len(CJK_CHARACTER.findall(text)) - text.count("\u3000")
    return wide + 0.5 * (visible - wide)


def text_weight(text: str) -> float:
    """Length in 'Latin characters': a CJK ideograph carries about three letters' worth.

    >>> text_weight("abc"), text_weight("青岛")
    (3.0, 6.0)
    """
    ideographs = 0 if text.isascii() else len(_NOT_IDEOGRAPH_RUN.sub("", text))
    return float(len(text) - ideographs + 3 * ideographs)


def is_mostly_latin(text: str) -> bool:
    """Letters of alphabetic scripts outnumber CJK characters: "区域创新 3" is CJK.

    >>> is_mostly_latin("Page 3"), is_mostly_latin("区域创新 3")
    (True, False)
    """
    if text.isascii():  # no CJK character: any letter outnumbers none
        return _ASCII_LETTER.search(text) is not None
    return len(ALPHABETIC_LETTER.findall(text)) > len(CJK_CHARACTER.findall(text))


_ASCII_LETTER = re.compile(r"[A-Za-z]")


def column_width(widths_around: list[float]) -> float | None:
    """The width of the column a line is printed in, from the widths of the lines around
    it: their upper quartile (a column's lines reach its edge but for paragraph ends, and
    a page's articles may be set in columns of different widths); None under four lines.

    >>> column_width([10, 10, 4, 10, 9]), column_width([10, 10])
    (10, None)
    """
    if len(widths_around) < 4:
        return None
    return sorted(widths_around)[(len(widths_around) * 3) // 4]


def is_latin(character: str) -> bool:
    """ASCII and the Latin, Greek and Cyrillic letters: scripts written with spaces."""
    return ord(character) < 0x2000 and character != "_"  # "____" is a blank to fill in


def looks_like_headline(text: str, max_weight: float = 240.0) -> bool:
    """Short and not ending like a sentence (a question mark does not count).

    `max_weight` is in `text_weight` units: 240 is 80 ideographs or 240 letters, longer than
    any headline of the benchmarks and shorter than most paragraphs.

    >>> looks_like_headline("青岛高新区走活产业新棋局"), looks_like_headline("他来了。")
    (True, False)
    """
    return text_weight(text) <= max_weight and not SENTENCE_MARK.search(text[-1:] + " ")


def is_title_case(text: str) -> bool:
    """Three words or more, most of them capitalised: an English headline.

    >>> is_title_case("Storm Hits the Coast"), is_title_case("The storm hit the coast")
    (True, False)
    """
    words = [word for word in text.split() if word[:1].isalpha()]
    capitalised = sum(1 for word in words if word[:1].isupper())
    return len(words) >= 3 and capitalised >= 0.6 * len(words)


# ---------------------------------------------------------------- topic terms

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def topic_terms(text: str) -> set[str]:
    """What two texts on one topic share: CJK character bigrams and words of four letters
    or more in any other script, lower-cased.

    >>> sorted(topic_terms("港口开放 Harbour opens"))
    ['harbour', 'opens', '口开', '开放', '港口']
    """
    terms: set[str] = set()
    for run in _HAN_RUN.findall(text):
        terms.update(map(operator.add, run, run[1:]))  # its bigrams, paired in C
    terms.update(word.lower() for word in _LONG_WORD.findall(_HAN_RUN.sub(" ", text)))
    return terms


# Words every text uses: sharing them says nothing about sharing a subject.
_COMMON_WORDS_TEXT = (
    "that with have this from they were said which their there been would about what "
    "will when more also than into other some them these only could after over such most "
    "because very just like your while where those being many then even much make made "
    "does well here back years year people first time 我们 一个 他们 没有 自己 这个 可以 "
    "已经 就是 什么 因为 所以 但是 这些 如果 还是 不是 时候 现在 这样 进行 工作 发展 中国"
)
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())


def salient_terms(text: str) -> set[str]:
    """CJK character bigrams and words of four letters or more (any other script),
    without the common ones (split's topic shift, extract's headline over the story).

    >>> sorted(salient_terms("They said the harbour opens"))
    ['harbour', 'opens']
    """
    return topic_terms(text) - COMMON_WORDS


# ---------------------------------------------------------------- joining lines

_LATIN_HYPHENATED = re.compile(r"[A-Za-z]-$")


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines of one paragraph: no space between CJK characters.

    >>> join_lines(["青岛高新区", "走活产业"])
    '青岛高新区走活产业'
    >>> join_lines(["one line", "and the next"])
    'one line and the next'
    """
    # Pieces in a list, joined once: adding to one string copies it each time, quadratic
    # in a "paragraph" of thousands of short lines.
    pieces: list[str] = []
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if pieces and not (CJK_CHARACTER.match(pieces[-1][-1]) and CJK_CHARACTER.match(line[0])):
            pieces.append(" ")
        pieces.append(line)
    return "".join(pieces)


def join_wrapped(head: str, tail: str) -> str:
    """Append a line wrapped at the column edge to the paragraph so far.

    >>> join_wrapped("高端医疗器", "械、康复医疗")
    '高端医疗器械、康复医疗'
    >>> join_wrapped("a fine exam-", "ple of it")
    'a fine example of it'
    >>> join_wrapped("two", "words")
    'two words'
    """
    return join_wrapped_lines([head, tail])


def join_wrapped_lines(lines: Iterable[str]) -> str:
    """Join lines wrapped at the column edge into one paragraph (see `join_wrapped`), in
    time linear in the paragraph however many lines it has.

    >>> join_wrapped_lines(["a fine exam-", "ple of", "高端医疗器", "械"])
    'a fine example of高端医疗器械'
    """
    pieces: list[str] = []
    end = ""  # the last two characters joined so far
    for line in lines:
        if not line:
            continue
        if _LATIN_HYPHENATED.search(end) and line[:1].islower():
            pieces[-1] = pieces[-1][:-1]  # "exam-" + "ple": one word broken over two lines
            end = end[:-1]
        elif end and is_latin(end[-1]) and is_latin(line[0]):
            pieces.append(" ")
        # CJK text, its punctuation and quotes (“ ” — ◎) are written without spaces.
        pieces.append(line)
        end = (end + line)[-2:]
    return "".join(pieces)


# ---------------------------------------------------------------- line breaking

# Punctuation that closes or ends a phrase: Chinese typesetting (GB/T 15834, the kinsoku
# rules of CJK layout) never starts a line with one, so it stays with the character before.
# ASCII quotes are left out: the same character opens and closes, and Latin text wraps at
# its spaces anyway.
NO_LINE_START = frozenset("，。、；：！？）」』”’》〉】〕］｝…·%‰℃,.;:!?)]}")
# Opening brackets and quotes: never left alone at the end of a line.
NO_LINE_END = frozenset("（「『“‘《〈【〔［｛([{")


def may_break_between(before: str, after: str) -> bool:
    """May a line wrap between these two characters (white space is handled by the caller)?

    Between two CJK characters yes, unless that would start a line with closing
    punctuation or end one with an opening bracket; inside a Latin word or a number
    ("2019") never, so "2019年" breaks before 年 and not between its digits.

    >>> may_break_between("青", "岛"), may_break_between("岛", "，"), may_break_between("“", "岛")
    (True, False, False)
    >>> may_break_between("9", "年"), may_break_between("2", "0"), may_break_between("a", " ")
    (True, False, False)
    >>> may_break_between("—", "—"), may_break_between("说", "—")
    (False, True)
    """
    if after in NO_LINE_START or before in NO_LINE_END or after.isspace():
        return False
    if before == after and before in "—…":  # a dash or ellipsis pair is one mark: "——"
        return False
    if before.isspace():
        return True
    return not (is_latin(before) and is_latin(after))


# ---------------------------------------------------------------- messages

# What a terminal would act on instead of printing: C0 controls (tab and newline too, so
# a message stays one line), DEL, C1 (which holds the 8-bit CSI), and the bidi embedding,
# override and isolate controls that can make a name read differently from what it is.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """A message made safe for a terminal: control characters written as escapes, so a
    file name or a record id with ESC or BEL reads as what it is and does nothing.

    >>> escape_controls("bad\\x1b]0;owned\\x07.html")
    'bad\\\\x1b]0;owned\\\\x07.html'
    >>> escape_controls("新闻 ok.html")
    '新闻 ok.html'
    """
    return _UNPRINTABLE.sub(_escape_one, text)


def _escape_one(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
