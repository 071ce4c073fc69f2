"""Review reports: what cleaner removed from a document and why, and what a run produced.

Three entry points, wired by the CLI (`cleaner diff`, `cleaner report`):

- `document_review(view)` renders one marked document (the dict of one `documents.jsonl`
  line, or the same dict built in memory by `cleaner diff`);
- `run_review(out_dir)` renders a finished run's summary, or one of its documents;
- `print_review(renderable)` shows a review in the terminal (optionally through a pager) or
  writes it as a self-contained HTML page.

Rendering is pure: these functions read files and build rich renderables; only
`print_review` writes anywhere. Every scraped string is shown literally (see `safe_text`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

from cleaner.report.console_output import print_renderable
from cleaner.report.html_review import document_page
from cleaner.report.html_run import DEFAULT_HTML_RUN, DocumentRow, document_pages, summary_page
from cleaner.report.render_document import render_document
from cleaner.report.render_summary import render_failed_source, render_summary
from cleaner.report.review_facts import RelatedArticles
from cleaner.report.review_plan import BlockFilter, DocumentPlan, Folding, plan_document
from cleaner.report.rule_listing import rules_table, unknown_rule_message
from cleaner.report.run_files import (
    SUMMARY,
    ReviewError,
    RunData,
    document_views,
    find_document,
    find_error,
    find_neighbours,
    read_run,
    run_links,
)
from cleaner.report.safe_text import one_line

__all__ = [
    "DocumentReview",
    "ReviewError",
    "RunSummaryReview",
    "document_review",
    "print_review",
    "rule_filter_error",
    "rules_listing",
    "run_review",
]


class DocumentReview:
    """One document's review: rich renders it for the terminal (`console.print(review)`),
    `html_pages` lays the same plan out as an HTML page."""

    def __init__(self, plan: DocumentPlan, related: RelatedArticles) -> None:
        self.plan = plan
        self.related = related

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield render_document(self.plan, self.related)

    def html_pages(self, path: Path) -> Iterator[tuple[Path, str]]:
        title = f"cleaner review · {one_line(self.plan.view.get('source'))}"
        yield path, document_page(self.plan, self.related, title)


class RunSummaryReview:
    """A finished run's summary: the terminal summary, or an HTML page that links a review
    page for each document (written into `<page name>-documents/` beside it)."""

    def __init__(self, run: RunData, out_dir: Path) -> None:
        self.run = run
        self.out_dir = out_dir

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield render_summary(self.run, self.out_dir)

    def html_pages(self, path: Path) -> Iterator[tuple[Path, str]]:
        folder = f"{path.stem}-documents"
        links = run_links(self.out_dir, self.run.groups)
        rows: list[DocumentRow] = []
        unlinked = 0
        for item in document_pages(document_views(self.out_dir), links, folder):
            if not isinstance(item, DocumentRow):
                yield path.parent / item[0], item[1]
            elif item.link is None:
                unlinked += 1  # counted, not kept: a run may hold millions of documents
            else:
                rows.append(item)
        yield path, summary_page(self.run, self.out_dir, rows, unlinked, DEFAULT_HTML_RUN)


def document_review(
    view: Mapping[str, Any],
    *,
    removed_only: bool = False,
    rule: str | None = None,
    cluster_sources: Mapping[str, Sequence[str]] | None = None,
    article_sources: Mapping[str, str] | None = None,
    article_id: str | None = None,
    near_duplicates_checked: bool = True,
    expand: Sequence[str] = (),
    expand_all: bool = False,
) -> RenderableType:
    """Review of one marked document.

    `removed_only` hides kept blocks; `rule` shows only blocks removed by that rule id or by
    any rule under that family prefix (``spam`` or ``spam.``). `cluster_sources` maps a
    near-duplicate group to the sources of its articles, listed under each article;
    `article_sources` names the source of an article id a duplicate or containment link
    points at; `article_id` marks that article's header. `near_duplicates_checked=False`
    (for a file cleaned on its own, as `cleaner diff` does) says "not checked" instead of
    "none" for an article without near-duplicates. Runs of blocks removed by one rule are
    folded into one line unless their rule matches one of `expand` (ids or families) or
    `expand_all` is set.
    """
    related = RelatedArticles(
        cluster_sources or {}, article_sources or {}, checked=near_duplicates_checked
    )
    plan = plan_document(
        view,
        BlockFilter(removed_only=removed_only, rule=rule),
        Folding(tuple(expand), expand_all),
        article_id,
    )
    return DocumentReview(plan, related)


def run_review(
    out_dir: Path,
    *,
    source: str | None = None,
    article_id: str | None = None,
    removed_only: bool = False,
    rule: str | None = None,
    expand: Sequence[str] = (),
    expand_all: bool = False,
) -> RenderableType:
    """The run summary of `out_dir`, or the review of one of its documents.

    With `source` (the input path as recorded, or a unique tail of it) or `article_id`, the
    document is found by streaming `documents.jsonl`; an input that failed is reported from
    `errors.jsonl`. Raises `ReviewError` when the output or the document cannot be found.
    """
    out_dir = Path(out_dir)
    if source is None and article_id is None:
        return RunSummaryReview(read_run(out_dir), out_dir)
    view = find_document(out_dir, source=source, article_id=article_id)
    if view is None:
        failure = find_error(out_dir, source) if source is not None else None
        if failure is None:
            wanted = f"source {source!r}" if source is not None else f"article id {article_id!r}"
            wanted = one_line(wanted)
            raise ReviewError(f"no document with {wanted} in {out_dir / 'documents.jsonl'}")
        return render_failed_source(failure)
    articles = [a for a in view.get("articles") or [] if isinstance(a, Mapping)]
    neighbours = find_neighbours(out_dir, articles)
    # The view has no containment fields; articles.jsonl does, so they are merged in here.
    with_links = [{**a, **neighbours.containment.get(str(a.get("id")), {})} for a in articles]
    return document_review(
        {**view, "articles": with_links},
        removed_only=removed_only,
        rule=rule,
        cluster_sources=neighbours.cluster_sources,
        article_sources=neighbours.source_of,
        article_id=article_id,
        expand=expand,
        expand_all=expand_all,
    )


def print_review(
    renderable: RenderableType,
    *,
    pager: bool = False,
    html_path: Path | None = None,
    width: int | None = None,
) -> None:
    """Print a review to stdout, or write it to `html_path` as a self-contained HTML page.

    Colours follow the terminal (off when stdout is not a TTY or NO_COLOR is set) and the
    width is the terminal's unless `width` is given. `pager` pages long output when stdout is
    a terminal. With `html_path` the same review is also written there as an HTML page
    (atomically: a reader sees the previous page or the new one, never half of one).
    """
    print_renderable(renderable, pager=pager, html_path=html_path, width=width)


def rules_listing(prefix: str | None = None) -> RenderableType:
    """Every rule id (or those under `prefix`) with its family, reason and an example."""
    return rules_table(prefix)


def rule_filter_error(wanted: str, out_dir: Path | None = None) -> str | None:
    """Why `wanted` (a `--rule` or `--expand` value) can show nothing, or None if it can.

    A rule id or family prefix of this version's rules is valid, and so is one the run in
    `out_dir` recorded in its summary (written by another version, it may name others).
    """
    return unknown_rule_message(wanted, _recorded_rules(out_dir) if out_dir else ())


def _recorded_rules(out_dir: Path) -> list[str]:
    try:
        summary = json.loads((Path(out_dir) / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    by_rule = summary.get("removed_by_rule") if isinstance(summary, dict) else None
    return [str(rule) for rule in by_rule] if isinstance(by_rule, dict) else []


def one_after_another(renderables: list):
    """Several reviews shown as one (the pages of a PDF)."""
    from rich.console import Group

    return renderables[0] if len(renderables) == 1 else Group(*renderables)
