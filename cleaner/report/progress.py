"""Progress bar and friendly messages on standard error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from cleaner.text import escape_controls

_stderr = Console(stderr=True)


class RunProgress:
    """A files/s progress bar with ETA; silent when stderr is not a terminal or `quiet`."""

    def __init__(self, quiet: bool = False, console: Console | None = None) -> None:
        self.console = console or _stderr
        self.enabled = not quiet and self.console.is_terminal
        self.progress = Progress(
            TextColumn("[bold]cleaning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
            disable=not self.enabled,
        )
        self.task = None
        self.done = 0

    def start(self, total: int) -> None:
        self.task = self.progress.add_task("files", total=total, rate="")

    def advance(self, _source: str) -> None:
        if self.task is None:
            return
        self.done += 1
        elapsed = self.progress.tasks[0].elapsed or 0.0
        rate = f"{self.done / elapsed:,.0f} files/s" if elapsed > 0.5 else ""
        self.progress.update(self.task, advance=1, rate=rate)

    @contextmanager
    def shown(self) -> Iterator[RunProgress]:
        with self.progress:
            yield self


def print_error(message: str) -> None:
    """One friendly line on stderr; the message is plain text, never markup, and the
    control characters a file name or record id may carry are shown as escapes."""
    text = escape(escape_controls(message))
    _stderr.print(f"[bold red]error:[/] {text}", highlight=False, soft_wrap=True)


def print_warning(message: str) -> None:
    """One line on stderr about something that did not fail but may surprise."""
    text = escape(escape_controls(message))
    _stderr.print(f"[yellow]warning:[/] {text}", highlight=False, soft_wrap=True)


def print_run_summary(counts: dict[str, int], out: str, quiet: bool = False) -> None:
    """The run's closing line: what came out, how many near-duplicates and errors, and where
    the errors are described."""
    if quiet:
        return
    _stderr.print(run_summary_line(counts, out), highlight=False, soft_wrap=True)


def run_summary_line(counts: dict[str, int], out: str) -> str:
    """The closing line, e.g. '3 files → 4 articles (2 near-duplicates), 1 error (see
    out/errors.jsonl), 0 skipped; output in out': where to look next, without summary.json."""
    timeouts = counts.get("timeouts", 0)
    stopped = f", {timeouts} over --doc-timeout CPU seconds" if timeouts else ""
    duplicates = counts.get("duplicates", 0)
    copies = f" ({_plural(duplicates, 'near-duplicate')})" if duplicates else ""
    errors = counts["errors"]
    where = out if out == "stdout" else f"{out}/errors.jsonl"
    described = f" (see {where}{stopped})" if errors else ""
    shown_out = escape(escape_controls(out))
    # Only said when --lang left documents out: a run that keeps every language is silent.
    other_languages = counts.get("language_dropped", 0)
    left_out = f", {other_languages:,} in other languages (--lang)" if other_languages else ""
    return (
        f"{counts['files']} files → {_plural(counts['articles'], 'article')}{copies}, "
        f"{_plural(errors, 'error')}{escape(escape_controls(described))}, "
        f"{counts['skipped']} skipped{left_out}; output in {shown_out}"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
