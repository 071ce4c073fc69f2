"""`cleaner rules`: every rule id with its family, reason and an example; and the check
that a `--rule` / `--expand` value names something a review can show.

The ids come from `cleaner.rules.all_rules()`, the same registry the rule-table tests run,
so the listing cannot miss a rule the pipeline applies.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from cleaner.report.rule_families import family_colour, family_of, rule_matches
from cleaner.report.safe_text import display_text, one_line
from cleaner.rules import Example, Rule, all_rules

# Characters of an example shown in the listing: enough to recognise the line it fires
# on; the rule tables hold the whole page.
EXAMPLE_CHARS = 60
# Close spellings suggested for an unknown `--rule`.
SUGGESTIONS = 3


def registered_ids() -> list[str]:
    return [rule.id for rule in all_rules()]


def unknown_rule_message(wanted: str, also_known: Iterable[str] = ()) -> str | None:
    """None when `wanted` is a rule id or family prefix a review can show; else the error.

    `also_known` adds the ids a run's summary names (a run written by another version may
    name rules this one does not have).
    """
    ids = sorted({*registered_ids(), *also_known})
    if any(rule_matches(rule_id, wanted) for rule_id in ids):
        return None
    families = sorted({family_of(rule_id) for rule_id in ids})
    close = difflib.get_close_matches(wanted, [*families, *ids], n=SUGGESTIONS, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    return (
        f"no rule id or family {one_line(wanted)!r}.{hint} Families: {', '.join(families)}. "
        f"`cleaner rules` lists all {len(ids)} rule ids."
    )


def rules_table(prefix: str | None = None, rules: Collection[Rule] | None = None) -> RenderableType:
    """Every rule (or those under `prefix`) by family: id, reason and one example it fires on."""
    chosen = [
        rule for rule in rules or all_rules() if prefix is None or rule_matches(rule.id, prefix)
    ]
    chosen.sort(key=lambda rule: (rule.family, rule.id))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("rule", no_wrap=True)
    table.add_column("family")
    table.add_column("reason", ratio=3)
    table.add_column("fires on, e.g.", ratio=2, overflow="fold")
    for rule in chosen:
        colour = family_colour(rule.family)
        table.add_row(
            display_text(rule.id, f"bold {colour}"),
            display_text(rule.family, colour),
            display_text(rule.reason),
            display_text(example_text(rule.fires_on), "dim"),
        )
    table.caption = Text(f"{len(chosen)} rules", style="dim")
    table.caption_justify = "left"
    return table


def example_text(examples: Iterable[Example]) -> str:
    """The shortest example, on one line: a page shows as its start, bytes as their repr."""
    shown = [_one_example(example) for example in examples]
    return min(shown, key=len) if shown else ""


def _one_example(example: Example) -> str:
    if isinstance(example, bytes):
        return one_line(repr(example), EXAMPLE_CHARS)
    if isinstance(example, tuple):
        # (page, the block it removes) reads as the block; a pair of paragraphs as both.
        page = len(example) == 2 and str(example[0]).lstrip().startswith("<")
        example = str(example[1]) if page else " | ".join(str(part) for part in example)
    return one_line(example, EXAMPLE_CHARS)
