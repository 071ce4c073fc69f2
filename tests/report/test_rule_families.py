"""Rule families: one colour per family, and how `--rule` filters match rule ids."""

from __future__ import annotations

import pytest

from cleaner.report.rule_families import RULE_FAMILIES, family_colour, family_of, rule_matches

RULE_FILTER_CASES = [
    ("spam.ad", "spam", True),
    ("spam.ad", "spam.", True),
    ("spam.ad", "spam.ad", True),
    ("spam.ad.inline", "spam.ad", True),
    ("spam.adult", "spam.ad", False),
    ("boilerplate.nav", "spam", False),
    ("spamfilter.x", "spam", False),
    (None, "spam", False),
]


@pytest.mark.parametrize(("rule", "wanted", "expected"), RULE_FILTER_CASES)
def test_rule_filter(rule: str | None, wanted: str, expected: bool) -> None:
    assert rule_matches(rule, wanted) is expected


def test_each_listed_family_has_its_own_colour_and_a_reason() -> None:
    colours = [family.colour for family in RULE_FAMILIES]
    assert len(set(colours)) == len(colours)
    assert all(family.why for family in RULE_FAMILIES)
    assert family_colour("spam.ad") == family_colour("spam") != family_colour("boilerplate.x")


def test_an_unlisted_family_gets_the_same_colour_every_time() -> None:
    assert family_of("layout.hard_wrap") == "layout" and family_of("plain") == "plain"
    assert family_colour("layout.a") == family_colour("layout.b")
    assert family_colour("layout.a") not in {family.colour for family in RULE_FAMILIES}


def test_every_family_of_the_rule_tables_is_listed() -> None:
    from cleaner.rules import all_rules

    listed = {family.name for family in RULE_FAMILIES}
    assert {rule.family for rule in all_rules()} <= listed
