"""Render a finished run: counts, removals by rule, encodings, duplicate groups, slow files.

The summary answers "what did this run do" in one screen: how much text it kept, which rules
removed the rest (with a bar, since proportions read faster than numbers), which encodings it
met, which stories appeared in several sources, which files were slow, and which failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from cleaner.report.rule_families import family_colour
from cleaner.report.run_files import DuplicateGroup, RunData
from cleaner.report.safe_text import display_text, one_line

# Rows per table: a summary is read at a glance, the files hold the rest.
RULES_SHOWN = 20
GROUPS_SHOWN = 10
SOURCES_PER_GROUP = 5
# Cells of the longest bar; the others are scaled to it.
BAR_WIDTH = 24
# Counts shown first, in this order (summary.json "counts"); the first four always show.
_FIRST_COUNTS = ("files", "documents", "articles", "errors", "skipped", "duplicates_dropped")
_ALWAYS_SHOWN_COUNTS = frozenset({"files", "articles", "errors", "skipped"})
_NUMERIC_COLUMNS = frozenset({"count", "share", "chars", "files", "articles", "CPU seconds"})
# Eighths of a block give bars a resolution of 1/8 cell.
_BAR_EIGHTHS = " ▏▎▍▌▋▊▉"


def render_summary(run: RunData, out_dir: Path) -> RenderableType:
    summary = run.summary
    parts: list[RenderableType] = [
        Rule(
            Text.assemble(("cleaner run · ", "bold"), display_text(str(out_dir), "bold")),
            style="dim",
        ),
        _run_facts(summary),
        _counts_table(_mapping(summary.get("counts"))),
        _removed_by_rule_table(_mapping(summary.get("removed_by_rule"))),
        _encodings_table(_mapping(summary.get("encodings"))),
        _groups_table(run.groups),
        _slowest_table(summary.get("slowest")),
        _timings_table(_mapping(summary.get("timings"))),
        _errors_table(_mapping(summary.get("errors_by_type")), run.error_examples),
    ]
    shown = [part for part in parts if part is not None]
    # A blank line between tables: without edges they would run into each other.
    return Group(*(item for part in shown for item in (part, Text(""))))


def render_failed_source(failure: Mapping[str, Any]) -> RenderableType:
    """What a reviewer sees for an input that ended in errors.jsonl instead of articles."""
    return Group(
        Rule(display_text(failure.get("source"), "bold"), style="dim"),
        Text.assemble(
            ("not cleaned: ", "bold red"),
            f"failed in stage {one_line(failure.get('stage'))} with ",
            (one_line(failure.get("error")), "bold"),
        ),
        display_text(failure.get("message")),
    )


def bar(value: float, largest: float, width: int = BAR_WIDTH, style: str = "") -> Text:
    """A horizontal bar `width` cells long for `largest`, drawn in eighths of a cell."""
    if largest <= 0 or value <= 0:
        return Text("")
    eighths = max(1, round(8 * width * min(value, largest) / largest))
    full, rest = divmod(eighths, 8)
    return Text("█" * full + (_BAR_EIGHTHS[rest] if rest else ""), style=style)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _number(value: Any) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _table(title: str, *columns: str) -> Table:
    """A summary table: first column and text columns left, numbers right, bars left."""
    table = Table(
        title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, show_edge=False
    )
    for position, column in enumerate(columns):
        numeric = position > 0 and column in _NUMERIC_COLUMNS
        table.add_column(column, justify="right" if numeric else "left")
    return table


def _run_facts(summary: Mapping[str, Any]) -> Text:
    inputs = summary.get("inputs")
    names = inputs if isinstance(inputs, list) else []
    versions = _mapping(summary.get("versions"))
    line = Text.assemble(("inputs: ", "dim"))
    line.append(", ".join(one_line(name, 100) for name in names) or "—")
    line.append("\nversions: ", style="dim")
    line.append(", ".join(f"{one_line(k)} {one_line(v)}" for k, v in versions.items()) or "—")
    return line


def _counts_table(counts: Mapping[str, Any]) -> Table:
    """The run's counts in a fixed order, then any count a newer run added, then characters."""
    chars_in, chars_out = _number(counts.get("chars_in")), _number(counts.get("chars_out"))
    table = _table("Counts", "", "count", "share")
    others = [key for key in counts if key not in _FIRST_COUNTS and not key.startswith("chars_")]
    for key in (*_FIRST_COUNTS, *others):
        if key in counts or key in _ALWAYS_SHOWN_COUNTS:
            table.add_row(
                Text(one_line(key).replace("_", " ")), f"{_number(counts.get(key)):,}", ""
            )
    table.add_row("chars in", f"{chars_in:,}", "")
    table.add_row("chars kept", f"{chars_out:,}", _share(chars_out, chars_in))
    removed = max(chars_in - chars_out, 0)
    table.add_row("chars removed", f"{removed:,}", _share(removed, chars_in))
    return table


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole else ""


def _removed_by_rule_table(by_rule: Mapping[str, Any]) -> Table | None:
    rows = _largest_first(by_rule)
    if not rows:
        return None
    total = sum(chars for _, chars in rows)
    table = _table("Removed by rule", "rule", "chars", "share", "")
    for rule, chars in rows[:RULES_SHOWN]:
        colour = family_colour(rule)
        table.add_row(
            display_text(rule, colour),
            f"{chars:,}",
            _share(chars, total),
            bar(chars, rows[0][1], style=colour),
        )
    _note_hidden(table, len(rows) - RULES_SHOWN, "rule")
    return table


def _largest_first(counts: Mapping[str, Any]) -> list[tuple[str, float]]:
    rows = [(one_line(key), _number(value)) for key, value in counts.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def _note_hidden(table: Table, hidden: int, noun: str) -> None:
    if hidden > 0:
        plural = "" if hidden == 1 else "s"
        table.add_row(Text(f"… {hidden:,} more {noun}{plural}", style="dim italic"))


def _encodings_table(encodings: Mapping[str, Any]) -> Table | None:
    rows = _largest_first(encodings)
    if not rows:
        return None
    table = _table("Encodings", "encoding", "files", "")
    for encoding, files in rows:
        table.add_row(display_text(encoding), f"{files:,}", bar(files, rows[0][1], style="cyan"))
    return table


def _groups_table(groups: list[DuplicateGroup]) -> RenderableType:
    if not groups:
        # Said, not omitted: "no story appeared twice" is an answer a reviewer looks for.
        return Text.assemble(("Near-duplicate groups", "bold"), ": none")
    table = _table("Near-duplicate groups, largest first", "group", "articles", "title · sources")
    for group in groups[:GROUPS_SHOWN]:
        table.add_row(display_text(group.cluster), f"{len(group.members):,}", _group_cell(group))
    _note_hidden(table, len(groups) - GROUPS_SHOWN, "group")
    return table


def _group_cell(group: DuplicateGroup) -> Text:
    title = next((member.title for member in group.members if member.title), "")
    cell = Text.assemble((one_line(title, 100) or "(untitled)", "bold"))
    for member in group.members[:SOURCES_PER_GROUP]:
        cell.append(f"\n{one_line(member.source, 120)}")
        if member.duplicate_of is not None and member.similarity is not None:
            cell.append(f"  similarity {member.similarity:.2f}", style="dim")
    hidden = len(group.members) - SOURCES_PER_GROUP
    if hidden > 0:
        cell.append(f"\n… {hidden:,} more", style="dim italic")
    return cell


def _slowest_table(slowest: Any) -> Table | None:
    rows = [row for row in slowest or [] if isinstance(row, Mapping)]
    if not rows:
        return None
    table = _table("Slowest files", "source", "CPU seconds")
    for row in rows:
        table.add_row(
            display_text(one_line(row.get("source"))), f"{_number(row.get('seconds')):.3f}"
        )
    return table


def _timings_table(timings: Mapping[str, Any]) -> Table | None:
    rows = [(one_line(stage), _number(seconds)) for stage, seconds in timings.items()]
    if not rows:
        return None
    largest = max(seconds for _, seconds in rows)
    table = _table("Time per stage", "stage", "CPU seconds", "")
    for stage, seconds in rows:  # pipeline order, as recorded
        colour = family_colour(stage)
        table.add_row(Text(stage), f"{seconds:.3f}", bar(seconds, largest, style=colour))
    return table


def _errors_table(
    by_type: Mapping[str, Any], examples: Mapping[str, tuple[str, str]]
) -> Table | None:
    rows = _largest_first(by_type)
    if not rows:
        return None
    table = _table("Errors by type", "error", "count", "example")
    for kind, count in rows:
        source, message = examples.get(kind, ("", ""))
        example = Text(one_line(source, 100))
        if message:
            example.append(f"\n{one_line(message, 200)}", style="dim")
        table.add_row(display_text(kind, "red"), f"{count:,}", example)
    return table
