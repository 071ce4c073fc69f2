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
    if quiet:
        return
    timeouts = counts.get("timeouts", 0)
    stopped = f" ({timeouts} over --doc-timeout CPU seconds)" if timeouts else ""
    _stderr.print(
        f"{counts['files']} files → {counts['articles']} articles, "
        f"{counts['errors']} errors{stopped}, {counts['skipped']} skipped; "
        f"output in {escape(escape_controls(out))}",
        highlight=False,
        soft_wrap=True,
    )
