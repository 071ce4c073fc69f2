"""Colours per rule family, and how a `--rule` filter matches rule ids.

A rule id's family is the part before the first dot (``boilerplate.breadcrumb`` ->
``boilerplate``); the family names the stage that owns the rule. A reviewer learns one colour
per family, so the table below is fixed rather than generated: the same family is the same
colour in every report, terminal or HTML.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class RuleFamily:
    name: str
    colour: str
    why: str


RULE_FAMILIES: tuple[RuleFamily, ...] = (
    RuleFamily("extract", "blue", "not part of the page's main content: cool, quiet colour"),
    RuleFamily("boilerplate", "yellow", "navigation, footers, share bars: the bulk of removals"),
    RuleFamily("meta", "cyan", "bylines and dates moved into metadata, not lost"),
    RuleFamily("spam", "red", "ads and spam: the removals a reviewer wants to see first"),
    RuleFamily("split", "magenta", "text between articles on a multi-article page"),
    RuleFamily("reflow", "bright_cyan", "lines of a printed page joined or set apart"),
    RuleFamily("pdf", "bright_magenta", "a PDF page's margins, headlines and captions"),
    RuleFamily("dedup", "green", "repeated text inside the document"),
    RuleFamily("language", "bright_blue", "text in a language the run does not keep"),
    RuleFamily("decode", "bright_red", "undecodable bytes: rare and worth a look"),
)

_COLOUR_BY_FAMILY = {family.name: family.colour for family in RULE_FAMILIES}

# Families no one has listed yet (a new stage) still get a stable colour, picked by a
# checksum of the name (not `hash()`, which changes between runs).
_SPARE_COLOURS = ("bright_magenta", "bright_yellow", "bright_green", "purple")


def family_of(rule: str) -> str:
    """``boilerplate.breadcrumb`` -> ``boilerplate``; an id without a dot is its own family."""
    return rule.split(".", 1)[0]


def family_colour(rule_or_family: str) -> str:
    family = family_of(rule_or_family)
    if family in _COLOUR_BY_FAMILY:
        return _COLOUR_BY_FAMILY[family]
    return _SPARE_COLOURS[zlib.crc32(family.encode("utf-8")) % len(_SPARE_COLOURS)]


def rule_matches(rule: str | None, wanted: str) -> bool:
    """Does `rule` match a `--rule` filter: the exact id, or any id under a prefix.

    ``spam`` and ``spam.`` match every spam rule; ``spam.ad`` matches ``spam.ad`` and
    ``spam.ad.inline`` but not ``spam.adult``.
    """
    if rule is None:
        return False
    prefix = wanted.rstrip(".")
    return rule == prefix or rule.startswith(prefix + ".")
