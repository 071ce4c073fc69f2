"""Line roles of a plain-text page: a small learned model and a sequence decoder.

Each block of a plain-text or column page (after reflow) is described by its shape
measured against the page itself (its width against the page's paragraph width, how it
ends, whether it reads as a byline or a dateline, Latin share, digits, blank lines around
it, the shape of its neighbours, and how much the text before it and after it share a
subject). A multinomial logistic model turns that into a score per role; a Viterbi
decoder over the page picks the sequence of roles that is most likely as a whole, with
the role-to-role transitions the model learned (a kicker comes before a title, a byline
after it, body after the head).

The weights are trained on the tuning pages of the split bench and of the extraction
sets by `cleaner.bench.train_split_roles` and shipped as `cleaner/models/split_roles.json`
(deterministic: the same data gives the same file). The model is numbers only; the
split stage reads the decoded roles.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from cleaner.document import HEADING, Block, Role
from cleaner.rules import first_match
from cleaner.rules.layout import (
    BYLINE_RULES,
    CAPTION_CREDIT,
    COLUMN_OPENING_RULES,
    FURNITURE_RULES,
    OPENER_RULES,
    REPORT_OPENER_RULES,
)
from cleaner.text import (
    ENDS_CLAUSE,
    ENDS_SENTENCE,
    SENTENCE_MARK,
    display_width,
    is_mostly_latin,
    is_title_case,
    topic_terms,
)

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "split_roles.json"

# The roles the model tells apart, in the order of its weight rows.
ROLES: tuple[Role, ...] = (
    Role.BODY,
    Role.TITLE,
    Role.KICKER,
    Role.SUBTITLE,
    Role.BYLINE,
    Role.DATELINE,
    Role.CAPTION,
    Role.FURNITURE,
    Role.SUBHEADING,
)
# Roles printed in an article's head, around its headline.
HEAD_ROLES = frozenset({Role.TITLE, Role.KICKER, Role.SUBTITLE, Role.BYLINE, Role.DATELINE})

# A dateline printed on a line of its own: "本报北京1月2日电", "LONDON (Reuters) -".
_DATELINE_ONLY = re.compile(
    r"^(?:(?:本[报報]|新华社|中新社)[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日电"
    r"|[A-Z][A-Z .'-]{2,30}\s*\([A-Za-z .]+\)\s*[—–-]{1,2})\s*$"
)
_SYMBOLS_ONLY = re.compile(r"^[\W_]+$")
_STARTS_DASH = re.compile(r"^(?:——|—|--|－－)")
_ENDS_COLON = re.compile(r"[:：]$")
_ENDS_LETTER = re.compile(r"[^\W_]$")
_COMMA = re.compile(r"[，、]|, ")

# Characters of text compared on each side of a short line for the topic feature.
_TOPIC_WINDOW = 600
_TOPIC_MIN_CHARS = 120
# Blocks looked through on each side for those paragraphs: a few articles' worth.
_TOPIC_BLOCKS = 40


# What a block's shape is read from: whole-line patterns (bylines, furniture) fire only
# on lines this short, openings on its first characters, endings on its last ones. A
# paragraph's middle says nothing about its role, and reading it made the stage slow.
_SHORT_LINE = 80
_HEAD_CHARS = 300
_TAIL_CHARS = 40


def _own_shape(block: Block, width: float, body_width: float) -> list[float]:
    """`width` is the block's own display width, measured once per page."""
    text = block.text.strip()
    head, tail = text[:_HEAD_CHARS], text[-_TAIL_CHARS:]
    short = len(text) <= _SHORT_LINE
    latin = is_mostly_latin(head)
    letters, digits = _letters_and_digits(head)
    ends_sentence = ENDS_SENTENCE.search(tail) is not None
    return [
        max(-6.0, min(2.0, math.log2(max(width, 0.5) / body_width))),
        float(width <= 4),
        float(width <= 12),
        float(width <= 25),
        float(width <= 45),
        float(ends_sentence),
        float(ENDS_CLAUSE.search(tail) is not None and not ends_sentence),
        float(_ENDS_COLON.search(tail) is not None),
        float(_ENDS_LETTER.search(tail) is not None),
        min(3, len(SENTENCE_MARK.findall(head))) / 3,
        float(_COMMA.search(head) is not None),
        float(_STARTS_DASH.match(head) is not None),
        float(short and first_match(text, BYLINE_RULES) is not None),
        float(first_match(head[: _TAIL_CHARS * 2], OPENER_RULES) is not None),
        float(first_match(head[: _TAIL_CHARS * 2], COLUMN_OPENING_RULES) is not None),
        float(short and first_match(text, FURNITURE_RULES) is not None),
        float(CAPTION_CREDIT.search(tail) is not None),
        float(short and _DATELINE_ONLY.match(text) is not None),
        float(short and _SYMBOLS_ONLY.match(text) is not None),
        float(latin),
        float(latin and short and is_title_case(text)),
        digits / letters,
        float(block.kind == HEADING),
        float(block.removal is not None and block.role is Role.TITLE),
        float(block.removal is not None and block.role is Role.BYLINE),
        float(block.after_blank),
    ]


_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_ASCII_DIGIT = re.compile(r"[0-9]")


def _letters_and_digits(text: str) -> tuple[int, int]:
    """Letters and digits (at least one letter, to divide by) and digits of `text`;
    counted by a pattern in ASCII text, where the two agree with `str.isalnum` and
    `str.isdigit`, and character by character elsewhere ("①" is a digit)."""
    if text.isascii():
        return len(_ASCII_ALNUM.findall(text)) or 1, len(_ASCII_DIGIT.findall(text))
    return sum(map(str.isalnum, text)) or 1, sum(map(str.isdigit, text))


_OWN_NAMES = [
    "log_relative_width",
    "width_le_4",
    "width_le_12",
    "width_le_25",
    "width_le_45",
    "ends_sentence",
    "ends_clause",
    "ends_colon",
    "ends_letter",
    "sentence_marks",
    "has_comma",
    "starts_dash",
    "byline_rule",
    "opener_rule",
    "column_opening",
    "furniture_rule",
    "caption_credit",
    "dateline_only",
    "symbols_only",
    "latin",
    "title_case",
    "digit_share",
    "heading",
    "taken_title",
    "taken_byline",
    "after_blank",
]
# Of each neighbour, the parts of its shape that say most about the block between.
_NEIGHBOUR_PARTS = (0, 2, 5, 8, 12, 13, 17, 25)
_OFFSETS = (-2, -1, 1, 2)

FEATURE_NAMES: tuple[str, ...] = (
    *_OWN_NAMES,
    *(
        f"{'prev' if offset < 0 else 'next'}{abs(offset)}_{name}"
        for offset in _OFFSETS
        for name in (*(_OWN_NAMES[part] for part in _NEIGHBOUR_PARTS), "exists")
    ),
    "first",
    "last",
    "position",
    "topic_similarity",
    "topic_known",
    "repeats_next_opening",
    "body_before_log",
    "body_after_log",
)


def body_width(blocks: list[Block], widths: list[float] | None = None) -> float:
    """The page's paragraph width: the median width of the blocks that end a sentence
    (of all blocks when none does). `widths`: the blocks' display widths, if known."""
    if widths is None:
        widths = [display_width(block.text) for block in blocks]
    ended = [
        width
        for block, width in zip(blocks, widths, strict=True)
        if ENDS_SENTENCE.search(block.text.strip()[-_TAIL_CHARS:])
    ]
    ordered = sorted(ended or widths) or [1.0]
    return max(4.0, ordered[len(ordered) // 2])


def page_features(blocks: list[Block]) -> np.ndarray:
    """One row of `FEATURE_NAMES` per block."""
    widths = [display_width(block.text) for block in blocks]
    width = body_width(blocks, widths)
    own = [_own_shape(block, own, width) for block, own in zip(blocks, widths, strict=True)]
    # Read once per page: which blocks the topic comparison takes as paragraphs.
    paragraphs = [_is_paragraph(block.text) for block in blocks]
    # Short lines in a row see the same paragraphs on each side: their terms are read once.
    terms_of: dict[str, set[str]] = {}
    rows = []
    count = len(blocks)
    for index, shape in enumerate(own):
        row = list(shape)
        for offset in _OFFSETS:
            other = index + offset
            if 0 <= other < count:
                row += [own[other][part] for part in _NEIGHBOUR_PARTS] + [1.0]
            else:
                row += [0.0] * len(_NEIGHBOUR_PARTS) + [0.0]
        may_head = _may_head(shape)
        similarity = _topic_similarity(blocks, index, paragraphs, terms_of) if may_head else None
        row += [
            float(index == 0),
            float(index == count - 1),
            index / max(1, count - 1),
            similarity if similarity is not None else 0.0,
            float(similarity is not None),
            float(may_head and _repeats_next_opening(blocks, index)),
            _body_run(blocks, own, range(index - 1, -1, -1)) if may_head else 0.0,
            _body_run(blocks, own, range(index + 1, count)) if may_head else 0.0,
        ]
        rows.append(row)
    return np.asarray(rows, dtype=float).reshape(count, len(FEATURE_NAMES))


def _repeats_next_opening(blocks: list[Block], index: int) -> bool:
    """The paragraph under the line opens with the line's own words: editors set a
    subheading that way ("几个月来" over "几个月来，俄罗斯…"); a headline names its
    subject in other words than the first sentence does."""
    if index + 1 >= len(blocks):
        return False
    own = re.sub(r"\s+", "", blocks[index].text)
    following = re.sub(r"\s+", "", blocks[index + 1].text[: len(blocks[index].text) + 8])
    return len(own) >= 4 and len(following) > len(own) and following.startswith(own)


def _body_run(blocks: list[Block], own: list[list[float]], indices: range) -> float:
    """How much body text (log of characters) lies between the line and the nearest
    short line on one side: a subheading sits a few paragraphs into an article, a
    headline after (or before) a whole article's text."""
    chars = 0
    for index in indices[:_TOPIC_BLOCKS]:
        if _may_head(own[index]):
            break
        chars += len(blocks[index].text)
    return math.log1p(chars) / 8


def _may_head(shape: list[float]) -> bool:
    """Short and not ending a sentence: a line worth the topic comparison."""
    return shape[4] == 1.0 and shape[5] == 0.0


def _is_paragraph(text: str) -> bool:
    return bool(ENDS_SENTENCE.search(text.strip()[-_TAIL_CHARS:])) or display_width(text) > 45


def _side_text(blocks: list[Block], indices: range, paragraphs: list[bool]) -> str:
    """Up to `_TOPIC_WINDOW` characters of the paragraphs at `indices`, looking at no more
    than `_TOPIC_BLOCKS` blocks: a page of thousands of short lines must not be read
    again for each of them."""
    texts, collected = [], 0
    for index in indices[:_TOPIC_BLOCKS]:
        text = blocks[index].text
        if paragraphs[index]:
            texts.append(text)
            collected += len(text)
            if collected >= _TOPIC_WINDOW:
                break
    return "".join(texts)[:_TOPIC_WINDOW]


def _topic_similarity(
    blocks: list[Block], index: int, paragraphs: list[bool], terms_of: dict[str, set[str]]
) -> float | None:
    """Share of the salient terms of the shorter side that the other side uses too: the
    sections of one article repeat their subject, two articles share little. `terms_of`
    keeps the terms of the side texts already read on the page."""
    left = _side_text(blocks, range(index - 1, -1, -1), paragraphs)
    right = _side_text(blocks, range(index + 1, len(blocks)), paragraphs)
    if min(len(left), len(right)) < _TOPIC_MIN_CHARS:
        return None
    for side in (left, right):
        if side not in terms_of:
            terms_of[side] = topic_terms(side)
    left_terms, right_terms = terms_of[left], terms_of[right]
    smaller = min(len(left_terms), len(right_terms))
    return len(left_terms & right_terms) / smaller if smaller else 0.0


# ---------------------------------------------------------------- the model


@dataclass(frozen=True)
class Logistic:
    """A (multinomial) logistic model over standardised features."""

    weights: np.ndarray  # classes x features
    bias: np.ndarray  # classes
    mean: np.ndarray  # features: the training data's, to centre the inputs
    scale: np.ndarray

    def log_probabilities(self, features: np.ndarray) -> np.ndarray:
        scores = ((features - self.mean) / self.scale) @ self.weights.T + self.bias
        scores -= scores.max(axis=1, keepdims=True)
        return scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))

    @classmethod
    def from_json(cls, data: dict) -> Logistic:
        return cls(
            *(np.asarray(data[key], dtype=float) for key in ("weights", "bias", "mean", "scale"))
        )


@dataclass(frozen=True)
class RoleModel:
    lines: Logistic  # the role of each block
    transitions: np.ndarray  # log P(role | previous role), roles x roles
    start: np.ndarray  # log P(first role)
    page: Logistic  # single article (class 0) or several (class 1)
    prior: np.ndarray  # log P(role) over the training blocks
    # How much of the prior the decoder divides out of the model's P(role | block) (1: a
    # likelihood as an HMM wants it) and how much the transitions weigh: the block model
    # already sees its neighbours, so counting the context again in full overrules it.
    prior_weight: float = 0.0
    transition_weight: float = 1.0

    def emissions(self, features: np.ndarray) -> np.ndarray:
        """log P(role | block) per block."""
        return self.lines.log_probabilities(features)

    def decode(self, emissions: np.ndarray) -> list[int]:
        return viterbi(
            emissions - self.prior_weight * self.prior,
            self.transition_weight * self.transitions,
            self.transition_weight * self.start,
        )


@cache
def load_model(path: Path = MODEL_PATH) -> RoleModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    if (
        tuple(data["features"]) != FEATURE_NAMES
        or tuple(data["roles"]) != ROLES
        or tuple(data["page_features"]) != PAGE_FEATURE_NAMES
    ):
        raise ValueError(f"{path} was trained for other features or roles; retrain it")
    return RoleModel(
        lines=Logistic.from_json(data["lines"]),
        transitions=np.asarray(data["transitions"], dtype=float),
        start=np.asarray(data["start"], dtype=float),
        page=Logistic.from_json(data["page"]),
        prior=np.asarray(data["prior"], dtype=float),
        prior_weight=float(data["decoder"]["prior_weight"]),
        transition_weight=float(data["decoder"]["transition_weight"]),
    )


def viterbi(emissions: np.ndarray, transitions: np.ndarray, start: np.ndarray) -> list[int]:
    """The most likely role sequence (indices into ROLES)."""
    count = len(emissions)
    if count == 0:
        return []
    score = start + emissions[0]
    back = np.zeros((count, len(start)), dtype=int)
    for index in range(1, count):
        candidates = score[:, None] + transitions
        back[index] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + emissions[index]
    path = [int(score.argmax())]
    for index in range(count - 1, 0, -1):
        path.append(int(back[index][path[-1]]))
    return path[::-1]


@dataclass
class Reading:
    """What the model reads on a page: each block's role, how sure it is of each, and
    how likely the page holds several articles."""

    roles: list[Role]
    emissions: np.ndarray
    features: np.ndarray
    several: float


def read_page(
    blocks: list[Block], model: RoleModel | None = None, subheadings: bool = True
) -> Reading:
    """`subheadings=False` reads no line as a subheading: the model learnt them from
    column pages only, and on plain text (a line per paragraph) a one-line headline over
    its first paragraph looks the same to it. Column pages are read with them."""
    model = model or load_model()
    features = page_features(blocks)
    emissions = model.emissions(features)
    if not subheadings:
        emissions = emissions.copy()
        emissions[:, ROLES.index(Role.SUBHEADING)] = -np.inf
    roles = [ROLES[index] for index in model.decode(stitched_heads(blocks, emissions))]
    shape = np.asarray([page_shape(blocks, roles, emissions, features, columns=subheadings)])
    several = float(np.exp(model.page.log_probabilities(shape)[0][1]))
    return Reading(roles, emissions, features, several)


# Log-odds a block inside a stitched article (reflowed interleaved columns), not at its
# start, loses as a headline (title or kicker) when the roles are decoded: the stitcher
# put the article together from its runs, so a head there is less likely. Scored, not a
# veto: a sure headline stays one, and the page model still decides whether the page
# holds several articles. On the tuning pages 0.5 and 1 read the same, 2 and 3 cut fewer
# articles but recover fewer; a bonus at the chain starts themselves changed nothing.
STITCHED_INSIDE_HEAD_COST = 1.0


def stitched_heads(blocks: list[Block], emissions: np.ndarray) -> np.ndarray:
    """The emissions the roles are decoded from, with heads inside stitched articles
    made less likely (a page the stitcher did not touch is read as it is)."""
    starts = {row for row, block in enumerate(blocks) if block.stitched_start}
    if not starts:
        return emissions
    inside = [row for row in range(len(blocks)) if row not in starts]
    lowered = emissions.copy()
    for role in (Role.TITLE, Role.KICKER):
        lowered[inside, ROLES.index(role)] -= STITCHED_INSIDE_HEAD_COST
    return lowered


# ---------------------------------------------------------------- one article or several

PAGE_FEATURE_NAMES: tuple[str, ...] = (
    "boundaries_log",
    "boundary_title_confidence",
    "boundary_title_confidence_min",
    "boundary_topic_similarity",
    "boundary_topic_known",
    "boundary_head_share",
    "segment_chars_log",
    "segment_chars_min_log",
    "short_line_share",
    "boundary_after_blank",
    "after_blank_share",
    "blocks_log",
)
_TOPIC = FEATURE_NAMES.index("topic_similarity")


def page_shape(
    blocks: list[Block],
    roles: list[Role],
    emissions: np.ndarray,
    features: np.ndarray,
    columns: bool = False,
) -> list[float]:
    """The page-level evidence for several articles: how many headlines the decoder read
    between body text, how sure it is of them, how many head a report, how the text on
    their two sides differs, how long the articles between them are, how the page's other
    lines look. `columns`: the page is hard-wrapped column text."""
    title_row = ROLES.index(Role.TITLE)
    boundaries: list[int] = []  # the first headline block of each run after body text
    seen_body = False
    in_head = False
    for index, role in enumerate(roles):
        if role in HEAD_ROLES:
            if seen_body and not in_head and role in (Role.TITLE, Role.KICKER):
                boundaries.append(index)
            in_head = in_head or role in (Role.TITLE, Role.KICKER)
        elif role in (Role.BODY, Role.SUBHEADING):
            seen_body, in_head = True, False
    sizes = _segment_sizes(blocks, roles, boundaries)
    count = len(blocks) or 1
    short = sum(1 for row in features if row[4] == 1.0 and row[5] == 0.0) / count
    blank = sum(1 for block in blocks if block.after_blank) / count
    if not boundaries:
        return [
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            math.log1p(sizes[0]),
            math.log1p(sizes[0]),
            short,
            0.0,
            blank,
            math.log(count),
        ]
    confidence = [math.exp(emissions[index][title_row]) for index in boundaries]
    known = [features[index][_TOPIC] for index in boundaries if features[index][_TOPIC + 1]]
    with_head = sum(1 for index in boundaries if _prints_report_head(blocks, roles, index, columns))
    return [
        math.log1p(len(boundaries)),
        sum(confidence) / len(confidence),
        min(confidence),
        sum(known) / len(known) if known else 0.0,
        len(known) / len(boundaries),
        with_head / len(boundaries),
        math.log1p(sum(sizes) / len(sizes)),
        math.log1p(min(sizes)),
        short,
        sum(1 for index in boundaries if blocks[index].after_blank) / len(boundaries),
        blank,
        math.log(count),
    ]


# Blocks looked through under a headline for its report's head (a kicker, subtitle,
# byline and dateline at most, as the digest and wire layouts print them).
_HEAD_LOOKAHEAD = 3


def _prints_report_head(
    blocks: list[Block], roles: list[Role], boundary: int, columns: bool
) -> bool:
    """The headline at `boundary` heads a report: a byline, subtitle or dateline under it,
    or, on a page of plain text, a first paragraph under its head that opens on where and
    by whom the report was filed ("PARIS (AP) - ...", "本报上海2月10日电　...",
    `REPORT_OPENER_RULES`): the decoder reads such a paragraph as body, its dateline
    inside. Not on column pages: there the model's plan replaces the rules' where it
    finds more articles, and counting these heads cut a labelled page at a quote line
    ("Fort Worth P.D. Open the door!", fixtures/split 024)."""
    under = range(boundary + 1, min(len(roles), boundary + 1 + _HEAD_LOOKAHEAD))
    if any(roles[index] in (Role.BYLINE, Role.SUBTITLE, Role.DATELINE) for index in under):
        return True
    if columns:
        return False
    for index in range(boundary + 1, len(roles)):
        role = roles[index]
        if role not in HEAD_ROLES and role not in (Role.FURNITURE, Role.CAPTION):
            opening = blocks[index].text.strip()[: _TAIL_CHARS * 2]
            return role is Role.BODY and first_match(opening, REPORT_OPENER_RULES) is not None
    return False


def _segment_sizes(blocks: list[Block], roles: list[Role], boundaries: list[int]) -> list[int]:
    """Body characters (subheadings are body) between consecutive boundaries. Every
    boundary follows body text, so only the stretch after the last can be empty: on a page
    that prints headlines under their articles it holds the last headline alone, and is
    left out."""
    edges = [0, *boundaries, len(blocks)]
    sizes = [
        sum(
            len(blocks[index].text)
            for index in range(start, end)
            if roles[index] in (Role.BODY, Role.SUBHEADING)
        )
        for start, end in zip(edges, edges[1:], strict=False)
    ]
    return sizes[:-1] if len(sizes) > 1 and not sizes[-1] else sizes


def sequence_indices(blocks: list[Block]) -> list[int]:
    """The blocks the decoder reads: the kept ones and those an earlier stage took out as
    the page's metadata (boilerplate marks a headline over a byline, or a byline); text
    removed as chrome or spam plays no part in the page's layout."""
    return [
        index
        for index, block in enumerate(blocks)
        if block.kept or block.role in (Role.TITLE, Role.BYLINE, Role.DATELINE)
    ]
