"""Every rule of every table: a unique id, a reason, examples that fire, examples it spares;
and every removal the pipeline makes names a rule of these tables."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from cleaner.config import Config
from cleaner.document import Document
from cleaner.pipeline import process_document
from cleaner.rules import Rule, all_rules
from cleaner.rules.layout import REPORT_OPENER_RULES, REPORT_OPENING_IDS

ROOT = Path(__file__).resolve().parents[2]
RULES = all_rules()
# The families a reviewer filters by (`--rule FAMILY`); a new family is a deliberate change.
FAMILIES = {
    "boilerplate",
    "decode",
    "extract",
    "language",
    "meta",
    "pdf",
    "reflow",
    "spam",
    "split",
}


def test_the_openings_a_report_prints_once_are_all_rules_of_the_openings_table() -> None:
    # A renamed opening rule would otherwise drop out of the page model's evidence unseen.
    assert [rule.id for rule in REPORT_OPENER_RULES] == list(REPORT_OPENING_IDS)


def test_rule_ids_are_unique_across_all_tables() -> None:
    counts = Counter(rule.id for rule in RULES)
    assert [rule_id for rule_id, count in counts.items() if count > 1] == []


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_is_named_explained_and_has_examples_both_ways(rule: Rule) -> None:
    assert re.fullmatch(r"[a-z]+(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+", rule.id.replace("_", "-"))
    assert rule.family in FAMILIES
    assert len(rule.reason) >= 15
    assert rule.fires_on, "an example that fires"
    assert rule.spares, "an example that must not fire"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_fires_on_its_examples(rule: Rule) -> None:
    for example in rule.fires_on:
        assert rule.fires(example), example


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_spares_its_counterexamples(rule: Rule) -> None:
    for example in rule.spares:
        assert not rule.fires(example), example


def _pages() -> list[Path]:
    seeds = sorted((ROOT / "seeds").iterdir())
    extraction = sorted((ROOT / "fixtures" / "extraction").rglob("*.html.gz"))
    return seeds + extraction


def test_every_removal_the_pipeline_makes_names_a_known_rule() -> None:
    import gzip

    known = {rule.id for rule in RULES}
    seen: set[str] = set()
    for path in _pages():
        raw = path.read_bytes()
        media_type = "text"
        if path.name.endswith(".gz"):
            raw, media_type = gzip.decompress(raw), "html"
        result = process_document(Document(path.name, raw=raw, media_type=media_type), Config())
        assert isinstance(result, Document), result
        seen |= {block.removal.rule for block in result.blocks if block.removal}
    assert seen - known == set()
    assert len(seen) >= 15  # the pages exercise many rules, so the check means something
