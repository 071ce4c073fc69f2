"""Rules as data: one `Rule` type for every table the stages apply.

A rule has a stable id (``family.name``, unique across all tables), the reason it exists,
examples it must fire on and examples it must spare; `tests/rules/test_rule_tables.py` runs
every example of every table. What a rule tests is a regular expression (`pattern`, searched
in a text no longer than `max_chars`), a `predicate` (a function of whatever the table's
stage measures), or both. A table whose examples need more than a text to be tried (a page
to extract, a block to measure, a pair of paragraphs) gives its rules a `probe`.

The tables live beside this module, one per kind of evidence:

- `boilerplate`: line rules for site chrome, metadata lines, and the extract stage's DOM
  rules;
- `layout`: shapes of printed pages (page furniture, bylines, article openings, captions)
  that reflow and split read;
- `joins`: when two paragraph blocks are one paragraph broken by a stray blank line;
- `spam`: spam, ad and contact scorers and patterns;
- `pdf`: sizes and places of a PDF page's lines (headline, kicker, subtitle, caption,
  margin furniture);
- `binary`: file signatures of formats that are not text;
- `language`: a document in a language the run does not keep (`--lang`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# What a rule is tried on: a text, a pair of texts, a page, bytes.
Example = str | bytes | tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """One named decision a stage applies, with the reason and examples both ways."""

    id: str
    reason: str
    fires_on: tuple[Example, ...]
    spares: tuple[Example, ...]
    pattern: re.Pattern[Any] | None = None
    # Returns the evidence (a non-empty string, or True) when the rule fires, else None/False.
    predicate: Callable[..., Any] | None = None
    # Longest text the pattern may fire on: chrome lines are short, and a long paragraph
    # that merely mentions "copyright" must survive. None: any length.
    max_chars: int | None = None
    # How an example is tried when the pattern or predicate alone cannot (see the module).
    probe: Callable[[Rule, Any], bool] | None = None

    @property
    def family(self) -> str:
        """The first part of the id: the stage or kind of evidence it belongs to."""
        return self.id.split(".", 1)[0]

    def search(self, text: Any) -> re.Match[Any] | None:
        """The pattern's first match in `text`, if the text is short enough for the rule."""
        if self.pattern is None or (self.max_chars is not None and len(text) > self.max_chars):
            return None
        return self.pattern.search(text)

    def fires(self, example: Example) -> bool:
        """Does the rule fire on one of its examples?"""
        if self.probe is not None:
            return bool(self.probe(self, example))
        if self.predicate is not None:
            arguments = example if isinstance(example, tuple) else (example,)
            return bool(self.predicate(*arguments))
        return self.search(example) is not None


def removed_by_stages(rule: Rule, example: str, through: str) -> bool:
    """Run the default stages up to and including `through` over an example (a page when
    it starts with "<", else text whose blank lines separate blocks): does a block end up
    removed under this rule's id? The probe of rules that judge a whole document."""
    from cleaner.config import Config
    from cleaner.document import Document
    from cleaner.pipeline import process_document
    from cleaner.stages import DEFAULT_STAGES

    names = [stage.NAME for stage in DEFAULT_STAGES]
    stages = DEFAULT_STAGES[: names.index(through) + 1]
    media_type = "html" if example.lstrip().startswith("<") else "text"
    document = Document("example", raw=example.encode("utf-8"), media_type=media_type)
    result = process_document(document, Config(), stages)
    blocks = getattr(result, "blocks", [])
    return any(block.removal is not None and block.removal.rule == rule.id for block in blocks)


def first_match(text: str, rules: tuple[Rule, ...]) -> Rule | None:
    """The first rule of `rules` whose pattern matches `text`."""
    # `Rule.search` for each rule, written out: the stages ask this of every block
    # against tables of dozens of rules, and a call per rule was most of its cost.
    length = len(text)
    for rule in rules:
        pattern, limit = rule.pattern, rule.max_chars
        if pattern is not None and (limit is None or length <= limit) and pattern.search(text):
            return rule
    return None


def all_rules() -> tuple[Rule, ...]:
    """Every rule of every table, in table order (imported here: only the rule listing and
    the tests need all of them at once)."""
    from cleaner.rules import binary, boilerplate, joins, language, layout, pdf, spam

    tables = (
        boilerplate.ALL_RULES,
        layout.ALL_RULES,
        joins.ALL_RULES,
        spam.ALL_RULES,
        pdf.ALL_RULES,
        binary.ALL_RULES,
        language.ALL_RULES,
    )
    return tuple(rule for table in tables for rule in table)


def rule_by_id(rule_id: str) -> Rule | None:
    return next((rule for rule in all_rules() if rule.id == rule_id), None)
