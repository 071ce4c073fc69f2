"""Spam stage: mark SEO spam, ads and sales contacts removed, with the rule and its evidence.

Runs after boilerplate, on the blocks still kept. Three kinds of evidence, in this order:

1. CSS-hidden text (`spam.seo.hidden-text`): readers never see it; search engines do.
2. Context: an ad marker ("广告", "Sponsored") and the short blocks it introduces
   (`spam.ad.marker`, `spam.ad.block`); a "友情链接" link farm (`spam.seo.link-farm`).
3. One block at a time: the rule table of `cleaner.rules.spam` (keyword stuffing, flagged
   words, sales contacts, contact cards, follow-our-account, ad labels, solicitation) plus
   the user's own pattern rules from the config file.

Precision matters as much as recall: an article about gambling regulation or one that
quotes a hotline must survive, so every rule needs more than one weak signal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.document import HEADING, Block, Document, Role
from cleaner.rules import Rule
from cleaner.rules.spam import (
    AD_MARKER,
    BLOCK_RULES,
    LINK_FARM,
    MODEL_BOILERPLATE_RULE,
    MODEL_RULE,
    PATTERN_RULES,
    BlockFacts,
    Lexicon,
    build_lexicon,
    compile_user_rule,
    load_default_lexicon_words,
    measure,
    read_word_list,
    with_traditional_forms,
)
from cleaner.rules.spam_model import (
    Candidate,
    document_features,
    shared_token_shares,
    shipped_model,
)
from cleaner.text import ENDS_ANY_STOP, ENDS_CLAUSE, ENDS_SENTENCE, IDEOGRAPH, SENTENCE_MARK

NAME = "spam"


@dataclass(frozen=True)
class SpamConfig:
    enabled: bool = True
    # Words added to the shipped flagged-word lists (any script; Simplified Chinese words
    # also get their Traditional forms). For a site's own spam vocabulary.
    extra_flagged_words: tuple[str, ...] = ()
    # A word-list file in the shipped format (one word a line, '#' comments), or None.
    extra_flagged_words_file: str | None = None
    # Extra pattern rules, as TOML ``[[spam.rules]]`` tables: id, pattern, why, example,
    # max_chars (default 300). Their ids become "spam.custom.<id>".
    rules: tuple[dict[str, Any], ...] = ()
    # Rule ids to switch off, e.g. ("spam.contact.card",) for a directory of business pages.
    disabled_rules: tuple[str, ...] = ()
    # Remove CSS-hidden blocks. Off for pages whose body is revealed by JavaScript.
    remove_hidden: bool = True
    # Hidden text is only spam when it is the minority: above this share of the page's
    # characters the body itself is hidden until a script shows it (some sites do this).
    hidden_max_share: float = 0.5
    # Keyword stuffing: at least 8 separators ("a | b | c" lists) when only repetition speaks
    # for it; the seed-002 spam line has 40, a menu of related links 5-15, which the
    # repetition test then tells apart. 5 are enough when flagged words cover 20% of it.
    stuffing_min_separators: int = 8
    stuffing_min_flagged_separators: int = 5
    # ... with segments of at most 16 characters on average (keywords, not clauses: the
    # labelled spam lists average 3.5-16). Short segments alone do not make spam (a 、 list
    # of cities averages 3); few sentence ends and clause commas, and then flagged words or
    # repetition, do ...
    stuffing_max_segment_chars: float = 16.0
    # ... flagged words covering 20% of it, or 30% of its trigrams repeated 3+ times. In
    # fixtures/spam/blocks.jsonl, spam lists of 5+ separators measure 38-92% flagged and real
    # paragraphs 0%; the seed-002 line repeats 34% of its trigrams, real paragraphs <= 16%.
    stuffing_min_flagged_share: float = 0.2
    stuffing_min_repeated_share: float = 0.3
    # ... and hardly a sentence: at most one sentence end per 8 separators and one clause
    # comma per 4 (a keyword list has none; prose has a comma every few words).
    stuffing_max_sentences_per_separator: float = 1 / 8
    stuffing_max_clauses_per_separator: float = 1 / 4
    # Flagged-word blocks: 4 distinct flagged words covering 35% of the characters. A news
    # sentence naming three kinds of gambling stays under both (see the counterexample).
    flagged_min_distinct: int = 4
    flagged_min_share: float = 0.35
    # Sales contacts: blocks up to 300 characters with 2+ contacts and a sales cue, or 3+
    # phone numbers / messenger ids without one. Longer blocks are articles that happen to
    # quote numbers (the seed-001 sales block is 96 characters).
    contact_max_chars: int = 300
    contact_min_without_cue: int = 3
    # Contact cards (address + phone lines) are short; 120 characters covers a full
    # address, two numbers and an e-mail.
    card_max_chars: int = 120
    # An ad marker introduces at most this many blocks (seed 004's two ads run 4 and 3); the
    # run also ends at the first block that reads as a sentence, so an article after an ad
    # slot is kept.
    ad_max_blocks: int = 6
    # An ad marker is a short label: "广告", "Sponsored Links", "- Advertisement -". 40
    # characters hold a marker printed twice with its decoration; a longer line is prose.
    ad_marker_max_chars: int = 40
    # The block model (`cleaner.rules.spam_model`) judges the blocks the rules kept.
    model_enabled: bool = True
    # Probability above which the model removes a block. None: the threshold the training
    # script picked on the tuning part (the lowest that keeps look-alike paragraphs >= 0.995
    # and removes at most 0.07% of bench paragraphs), stored in the model file.
    model_threshold: float | None = None
    # Blocks shorter than this (white space aside) are left to the rules: "更多" or "Share"
    # is chrome if anything, and a few characters give the model too little to read.
    model_min_chars: int = 6
    # ... and longer ones too: the longest labelled spam block is 218 characters, so the
    # model has learnt nothing about longer blocks but what real paragraphs look like (a
    # third of the bench's are over 200); they would cost half its time for nothing.
    # Long stuffed keyword runs are the rules' (keyword-stuffing).
    model_max_chars: int = 240
    # A block the model flags that breaks off mid-sentence is judged again joined with up
    # to this many blocks on each side that carry the sentence on (PDF columns, wrapped
    # lines of text files): three lines either way hold most wrapped paragraphs' sentence.
    model_context_blocks: int = 3
    # ... unless the model is this sure of the block alone. Spam put into a wrapped
    # paragraph of a text file also sits between lines that carry a sentence on, and there
    # the paragraph drowns it; on the tuning part such spam scores 0.94-1.00 alone in most
    # cases, the fragments of PDF news columns 0.72-0.85.
    model_context_max_probability: float = 0.9
    # On a page already cut into stories (a newspaper PDF page), a flagged block whose own
    # story carries its topic on needs a higher score: the threshold rises by this share of
    # the way to 1 for each part of its content tokens the rest of its story holds. A
    # short notice among a page's stories shares no words with the others, which the
    # off-topic evidence reads as spam; its story's other paragraphs share its words.
    model_story_topic_raise: float = 1.0
    # ... and a paragraph of a story printed under its headline, beside other paragraphs
    # of that story that hold at least `model_story_floor_min_share` of its content
    # tokens (the headline counted), is removed only when the model is at least this sure
    # of it (the threshold the raise then starts from). The real paragraphs the model flags
    # on the tuning newspaper pages and the wider tuning pool (`python -m
    # cleaner.bench.pdf_spam BENCH --wide`: a story cut at the foot of its slot, a
    # notice's contact line) score 0.62-0.87 and their stories hold 0.11-0.67 of their
    # tokens; nine in ten of the labelled spam blocks put into a story share under 0.15
    # with it. Without the share gate (every paragraph of a headlined story) the tuning
    # pages lost 11 of 1,131 spam blocks, the test pages 165 of 960: the tuning spam is
    # the model's training data and scores 0.98 or more, spam it has not seen far less.
    model_story_min_probability: float = 0.9
    model_story_floor_min_share: float = 0.15

    def __post_init__(self) -> None:
        """A broken user rule or a missing word file is a setup error: fail before any page."""
        for rule in self.rules:
            if not isinstance(rule, dict):
                raise ValueError(f"[[spam.rules]] entries must be tables, got {rule!r}")
            compile_user_rule(rule)
        word_file = self.extra_flagged_words_file
        if word_file and not Path(word_file).is_file():
            raise ValueError(f"[spam] extra_flagged_words_file {word_file!r} is not a file")

    @cached_property
    def compiled(self) -> RuleSet:
        """The word lists and rules these settings name, compiled on first use and kept by
        the settings themselves (a run has one; each worker compiles its copy once)."""
        return build_ruleset(self)


@dataclass(frozen=True)
class RuleSet:
    """Everything the stage needs from the config, compiled once."""

    lexicon: Lexicon
    # The per-block rules in the order they are tried: scorers, then patterns (shipped,
    # then the user's).
    block_rules: tuple[Rule, ...]


def build_ruleset(config: SpamConfig) -> RuleSet:
    words = load_default_lexicon_words()
    extra = list(config.extra_flagged_words)
    if config.extra_flagged_words_file:
        path = Path(config.extra_flagged_words_file)
        try:
            extra.extend(read_word_list(path))
        except OSError as error:
            raise ValueError(f"cannot read flagged-word file {path}: {error.strerror}") from error
    words |= with_traditional_forms(extra)
    user_rules = tuple(compile_user_rule(dict(rule)) for rule in config.rules)
    return RuleSet(build_lexicon(words), BLOCK_RULES + PATTERN_RULES + user_rules)


def prepare(settings: SpamConfig) -> None:
    """Compile the rules and read the block model once per process, before any
    document's time budget starts."""
    settings.compiled  # noqa: B018 - a cached property: reading it compiles and keeps
    if settings.model_enabled:
        shipped_model()


def apply(document: Document, settings: SpamConfig) -> Document:
    if not settings.enabled or not document.blocks:
        return document
    ruleset = settings.compiled
    enabled = _enabled_check(settings)
    if settings.remove_hidden and enabled("spam.seo.hidden-text"):
        mark_hidden(document.blocks, settings.hidden_max_share)
    if enabled("spam.ad.marker"):
        mark_ad_runs(document.blocks, settings)
    if enabled("spam.seo.link-farm"):
        mark_link_farms(document.blocks)
    facts_of: dict[int, BlockFacts] = {}
    for block in document.blocks:
        if block.kept:
            facts_of[id(block)] = judge_block(block, settings, ruleset, enabled)
    if _model_on(settings, enabled):
        headlined = {
            number: " ".join(filter(None, (info.kicker, info.title, info.subtitle)))
            for number, info in enumerate(document.articles)
            if info.title
        }
        stories = len(document.articles)
        mark_model_spam(document.blocks, facts_of, settings, enabled, stories, headlined)
    return document


def _model_on(settings: SpamConfig, enabled) -> bool:
    return settings.model_enabled and (enabled(MODEL_RULE) or enabled(MODEL_BOILERPLATE_RULE))


def _enabled_check(settings: SpamConfig):
    disabled = frozenset(settings.disabled_rules)
    return lambda rule_id: rule_id not in disabled


def judge_block(block: Block, settings: SpamConfig, ruleset: RuleSet, enabled) -> BlockFacts:
    """Apply the per-block rules in table order; the first that fires removes the block.
    The facts measured on the way are returned for the model."""
    facts = measure(block.text, ruleset.lexicon)
    for rule in ruleset.block_rules:
        if enabled(rule.id):
            evidence = rule.predicate(facts, settings)
            if evidence:
                block.remove(rule.id, NAME, evidence)
                break
    return facts


# ---------------------------------------------------------------- the block model


def _model_judges(block: Block, facts: BlockFacts, settings: SpamConfig) -> bool:
    """Body text of a length spam comes in; headings and titles are the article's, and
    hidden blocks the hidden-text rule's (it keeps them when they are the page's body)."""
    return (
        block.kept
        and not block.hidden
        and block.kind != HEADING
        and block.role is Role.BODY
        and settings.model_min_chars <= facts.chars <= settings.model_max_chars
    )


def mark_model_spam(
    blocks: list[Block],
    facts_of: dict[int, BlockFacts],
    settings: SpamConfig,
    enabled,
    stories: int = 1,
    headlined: dict[int, str] | None = None,
) -> None:
    """Remove the blocks the rules kept that the model scores as spam, naming the family
    it guesses and the features that weighed most. On a page cut into `stories`, the
    `headlined` ones are stories printed under a headline (their articles' numbers, to
    the headline group's text).

    The article a block is judged against is the page before any spam came off it (so a
    second run over a judged document judges alike): every block the earlier stages kept.
    """
    page = [block for block in blocks if block.kept or block.removal.stage == NAME]
    candidates = []
    for index, block in enumerate(page):
        facts = facts_of.get(id(block))
        if facts is not None and _model_judges(block, facts, settings):
            candidates.append(Candidate(index, facts, str(block.kind), block.link_chars))
    if not candidates:
        return
    model = shipped_model()
    threshold = model.threshold if settings.model_threshold is None else settings.model_threshold
    texts = [block.text for block in page]
    features = document_features(texts, candidates)
    probabilities = model.probabilities(features)
    flagged = np.flatnonzero(probabilities >= threshold)
    spam_rows = _spam_in_context(
        page, texts, candidates, flagged, probabilities, threshold, settings
    )
    if stories > 1:
        spam_rows = _spam_beside_its_story(
            page, texts, candidates, spam_rows, probabilities, threshold, settings, headlined or {}
        )
    for row in spam_rows:
        verdict = model.verdict(features, int(row))
        rule = MODEL_BOILERPLATE_RULE if verdict.family == "boilerplate" else MODEL_RULE
        if not enabled(rule):
            continue
        evidence = ", ".join(repr(feature) for feature in verdict.evidence)
        block = page[candidates[row].index]
        block.remove(rule, NAME, f"{verdict.family} {verdict.probability:.2f}: {evidence}")


def _continues(before: Block, after: Block, backwards: bool = False) -> bool:
    """Whether `after` goes on with the sentence `before` breaks off: a paragraph cut into
    blocks by a PDF's columns or a text file's wrapped lines. The break must show on the
    side that is not the judged block, so a spam line put next to a paragraph is not read
    as part of it: looking back, `before` ends inside a sentence (a comma, or a lower-case
    word or Han character with no stop after it); looking on, `after` opens in lower case
    (or the judged block ends on a comma)."""
    head, tail = before.text.rstrip(), after.text.lstrip()
    if not head or not tail or before.kind == HEADING or after.kind == HEADING:
        return False
    if ENDS_CLAUSE.search(head) and not ENDS_SENTENCE.search(head):
        return True
    if ENDS_ANY_STOP.search(head):
        return False
    if tail[0].islower():
        return True
    return backwards and (head[-1].islower() or IDEOGRAPH.match(head[-1]) is not None)


def _spam_in_context(
    page: list[Block],
    texts: list[str],
    candidates: list[Candidate],
    flagged_rows: np.ndarray,
    alone: np.ndarray,
    threshold: float,
    settings: SpamConfig,
) -> list[int]:
    """The flagged rows that stay spam. A flagged block cut out of a sentence that the
    model is not sure of alone is judged again joined with the blocks it runs on with, and
    stays spam only if that paragraph scores as spam too: a fragment of a PDF column
    ("before the U.S. House", "still up to $60 cheaper") says too little alone."""
    flagged = [candidates[row] for row in flagged_rows]
    runs: dict[int, tuple[int, int]] = {}
    for candidate, probability in zip(flagged, alone[flagged_rows], strict=True):
        if probability >= settings.model_context_max_probability:
            continue
        first = last = candidate.index
        while (
            first > 0
            and first > candidate.index - settings.model_context_blocks
            and (page[first - 1].kept and _continues(page[first - 1], page[first], backwards=True))
        ):
            first -= 1
        while (
            last + 1 < len(page)
            and last < candidate.index + settings.model_context_blocks
            and page[last + 1].kept
            and _continues(page[last], page[last + 1])
        ):
            last += 1
        if last > first:
            runs[candidate.index] = (first, last)
    if not runs:
        return [int(row) for row in flagged_rows]
    # Each run is judged as one block.
    lexicon = settings.compiled.lexicon
    joined_texts, joined = [], []
    for first, last in runs.values():
        text = " ".join(texts[first : last + 1])
        joined.append(
            Candidate(len(texts) + len(joined_texts), measure(text, lexicon), "paragraph", 0)
        )
        joined_texts.append(text)
    # The joined paragraphs are judged against the page without their own blocks, as a
    # block is judged against the others.
    spans = set().union(*(range(first, last + 1) for first, last in runs.values()))
    context = [text if index not in spans else "" for index, text in enumerate(texts)]
    model = shipped_model()
    probabilities = model.probabilities(document_features(context + joined_texts, joined))
    kept_in_context = {
        index
        for index, probability in zip(runs, probabilities, strict=True)
        if probability < threshold
    }
    return [
        int(row)
        for row, candidate in zip(flagged_rows, flagged, strict=True)
        if candidate.index not in kept_in_context
    ]


def _spam_beside_its_story(
    page: list[Block],
    texts: list[str],
    candidates: list[Candidate],
    rows: list[int],
    probabilities: np.ndarray,
    threshold: float,
    settings: SpamConfig,
    headlined: dict[int, str],
) -> list[int]:
    """The flagged rows that stay spam on a page cut into stories: each needs a score
    above a threshold raised by how much of its topic the rest of its own story carries
    (`SpamConfig.model_story_topic_raise`), the blocks of the other stories left out; a
    paragraph of a story under a headline, beside others of it, starts from
    `SpamConfig.model_story_min_probability`."""
    kept = []
    by_story: dict[int, list[int]] = {}
    for row in rows:
        by_story.setdefault(page[candidates[row].index].article, []).append(row)
    for story, story_rows in by_story.items():
        story_texts = [
            text if block.article == story else "" for block, text in zip(page, texts, strict=True)
        ]
        # The story's headline group is its topic too (the layout took it out of the body).
        story_texts.append(headlined.get(story, ""))
        judged = np.array([candidates[row].index for row in story_rows], dtype=np.int64)
        carried = shared_token_shares(story_texts, judged)
        paragraphs = sum(
            block.article == story and block.role is Role.BODY and block.kept for block in page
        )
        for row, share in zip(story_rows, carried, strict=True):
            # The page holds the blocks before any spam came off, so the judged block is
            # one of the story's kept paragraphs; another must stand beside it.
            printed_story = (
                story in headlined
                and paragraphs >= 2
                and share >= settings.model_story_floor_min_share
            )
            base = (
                max(threshold, settings.model_story_min_probability) if printed_story else threshold
            )
            needed = base + (1.0 - base) * min(1.0, settings.model_story_topic_raise * share)
            if probabilities[row] >= needed:
                kept.append(row)
    return sorted(kept)


# ---------------------------------------------------------------- hidden text


def mark_hidden(blocks: list[Block], max_share: float) -> None:
    """Remove CSS-hidden blocks unless they hold most of the page's text."""
    hidden = [block for block in blocks if block.hidden and block.kept]
    total = sum(len(block.text) for block in blocks if block.kept)
    hidden_chars = sum(len(block.text) for block in hidden)
    if not hidden or hidden_chars > max_share * total:
        return
    for block in hidden:
        block.remove(
            "spam.seo.hidden-text", NAME, "hidden by CSS (display:none, visibility:hidden ...)"
        )


# ---------------------------------------------------------------- ad markers


def is_ad_marker(text: str, settings: SpamConfig) -> bool:
    return len(text) <= settings.ad_marker_max_chars and bool(AD_MARKER.match(text))


# Twelve Latin words make a sentence even without its full stop (sloppy sites drop them);
# English ad copy under a marker is a short slogan ("Shop the winter sale now").
PROSE_MIN_LATIN_WORDS = 12


def reads_as_sentence(block: Block) -> bool:
    """A paragraph of prose: ends like a sentence, holds two sentence ends, or is long English.

    Ad copy is slogans, names and addresses; news is sentences.
    """
    text = block.text.strip()
    ends = len(SENTENCE_MARK.findall(text))
    ends_like_sentence = bool(re.search(r"[。！？!?.…][”」』\"')）]*$", text))
    latin_words = len(re.findall(r"[A-Za-z]+", text))
    return (
        ends >= 2
        or (ends_like_sentence and len(text) >= 8)
        or (latin_words >= PROSE_MIN_LATIN_WORDS)
    )


def mark_ad_runs(blocks: list[Block], settings: SpamConfig) -> None:
    """Remove each ad marker and the short, sentence-less blocks that follow it.

    A marker an earlier stage already removed (boilerplate) still introduces its ad.
    """
    for index, block in enumerate(blocks):
        if not is_ad_marker(block.text, settings):
            continue
        block.remove("spam.ad.marker", NAME, f"ad marker {block.text.strip()!r}")
        for offset, follower in enumerate(ad_followers(blocks, index + 1, settings), start=1):
            follower.remove(
                "spam.ad.block", NAME, f"block {offset} after ad marker {block.text.strip()!r}"
            )


def ad_followers(blocks: list[Block], start: int, settings: SpamConfig) -> list[Block]:
    """The kept blocks right after a marker that belong to its ad.

    The run ends at the first sentence, the next marker, an article heading, or a removed
    block: a marker in removed page chrome must not reach into the article body.
    """
    followers: list[Block] = []
    for index in range(start, len(blocks)):
        block = blocks[index]
        if not block.kept:
            break
        full = len(followers) == settings.ad_max_blocks
        if full or is_ad_marker(block.text, settings) or reads_as_sentence(block):
            break
        if block.kind == HEADING and _next_kept_is_sentence(blocks, index + 1):
            break
        followers.append(block)
    return followers


# Kept blocks under a heading looked at for its article's first sentence: a digest
# prints a subtitle or a byline between ("## Title" / "**subtitle**" / text).
_HEAD_LINES_UNDER_HEADING = 2


def _next_kept_is_sentence(blocks: list[Block], start: int) -> bool:
    following = islice((block for block in blocks[start:] if block.kept), _HEAD_LINES_UNDER_HEADING)
    return any(map(reads_as_sentence, following))


# ---------------------------------------------------------------- link farms


def mark_link_farms(blocks: list[Block]) -> None:
    """Remove "友情链接" blocks and the link-only blocks right after a bare heading."""
    for index, block in enumerate(blocks):
        # A sentence that starts with the words is about link farms, not one.
        if not LINK_FARM.match(block.text) or reads_as_sentence(block):
            continue
        block.remove("spam.seo.link-farm", NAME, f"link farm {block.text.strip()[:12]!r}")
        for follower in blocks[index + 1 :]:
            if not follower.kept:
                continue
            if follower.link_chars < 0.6 * len(follower.text) or reads_as_sentence(follower):
                break
            follower.remove("spam.seo.link-farm.entry", NAME, "link list after a link-farm heading")
