"""Read what a run wrote to its output directory, for the reports.

`documents.jsonl` and `articles.jsonl` grow with the run, so they are streamed line by line
and only what a report shows is kept (one document view, or the sources of duplicate
groups). A truncated last line, as an interrupted run may leave, is skipped rather than
making the whole run unreadable.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.report.safe_text import one_line

SUMMARY = "summary.json"
ARTICLES = "articles.jsonl"
DOCUMENTS = "documents.jsonl"
ERRORS = "errors.jsonl"

# How the run writes an article outside any near-duplicate group (cleaner/output.py dumps
# with ", " and ": " separators). Only top-level keys are unescaped in a JSON line, and no
# nested object of an article record has a "cluster" key, so a line holding this is skipped
# without parsing.
_NO_CLUSTER = '"cluster": null'

# Sources named when a `--source` tail matches several documents.
AMBIGUOUS_SHOWN = 5


class ReviewError(Exception):
    """The run output or the requested document cannot be read; the message says why."""


@dataclass(frozen=True)
class GroupMember:
    id: str
    source: str
    title: str
    duplicate_of: str | None
    similarity: float | None


@dataclass
class DuplicateGroup:
    cluster: str
    members: list[GroupMember] = field(default_factory=list)


@dataclass
class RunData:
    """What the run summary shows, gathered from the output files."""

    summary: dict[str, Any]
    # Near-duplicate groups of two or more articles, largest first.
    groups: list[DuplicateGroup]
    # One (source, message) example per error type, the first met in errors.jsonl.
    error_examples: dict[str, tuple[str, str]]


def read_jsonl(
    path: Path, *, containing: tuple[str, ...] = (), lacking: str | None = None
) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL file, one at a time; unreadable lines are skipped.

    Parsing is most of the cost of a lookup in a large run, so a line is parsed only if it
    contains one of `containing` (when given) and does not contain `lacking`. Both are
    plain substring tests on the raw line: they may let through a line that does not match
    (the caller checks the parsed record) but must never drop one that does.
    """
    wanted = tuple(needle.encode("utf-8") for needle in containing)
    unwanted = lacking.encode("utf-8") if lacking is not None else None
    try:
        with path.open("rb") as lines:  # bytes: lines that are skipped are never decoded
            for line in lines:
                if wanted and not any(needle in line for needle in wanted):
                    continue
                if unwanted is not None and unwanted in line:
                    continue
                record = _parse(line.decode("utf-8", errors="replace"))
                if record is not None:
                    yield record
    except FileNotFoundError:
        return


def json_needles(value: str) -> tuple[str, ...]:
    """How `value` can appear inside a JSON line: raw UTF-8 or with \\u escapes."""
    return tuple({json.dumps(value, ensure_ascii=flag)[1:-1] for flag in (False, True)})


def _parse(line: str) -> dict[str, Any] | None:
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def read_run(out_dir: Path) -> RunData:
    summary_path = out_dir / SUMMARY
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ReviewError(
            f"{summary_path} not found: is {out_dir} the output of a finished cleaner run?"
        ) from error
    except (OSError, ValueError) as error:
        raise ReviewError(f"cannot read {summary_path}: {error}") from error
    if not isinstance(summary, dict):
        raise ReviewError(f"{summary_path} does not hold a run summary")
    return RunData(summary, duplicate_groups(out_dir), error_examples(out_dir))


def duplicate_groups(out_dir: Path) -> list[DuplicateGroup]:
    """Articles grouped by their `cluster` field; groups of one are not groups."""
    groups: dict[str, DuplicateGroup] = {}
    for record in read_jsonl(out_dir / ARTICLES, lacking=_NO_CLUSTER):
        cluster = record.get("cluster")
        if cluster is None:
            continue
        group = groups.setdefault(str(cluster), DuplicateGroup(str(cluster)))
        group.members.append(_member(record))
    found = [group for group in groups.values() if len(group.members) > 1]
    return sorted(found, key=lambda group: (-len(group.members), group.cluster))


def _member(record: Mapping[str, Any]) -> GroupMember:
    similarity = record.get("similarity")
    duplicate_of = record.get("duplicate_of")
    return GroupMember(
        id=str(record.get("id", "")),
        source=str(record.get("source", "")),
        title=str(record.get("title") or ""),
        duplicate_of=None if duplicate_of is None else str(duplicate_of),
        similarity=similarity if isinstance(similarity, int | float) else None,
    )


def error_examples(out_dir: Path) -> dict[str, tuple[str, str]]:
    examples: dict[str, tuple[str, str]] = {}
    for record in read_jsonl(out_dir / ERRORS):
        kind = str(record.get("error", "unknown"))
        examples.setdefault(kind, (str(record.get("source", "")), str(record.get("message", ""))))
    return examples


@dataclass
class Neighbours:
    """What articles.jsonl says about the articles of one document under review."""

    # Near-duplicate group -> the sources of its articles, in run order.
    cluster_sources: dict[str, list[str]] = field(default_factory=dict)
    # Article id -> its source, for every article the review names.
    source_of: dict[str, str] = field(default_factory=dict)
    # Article id -> its containment fields (only in articles.jsonl, not in the view).
    containment: dict[str, dict[str, Any]] = field(default_factory=dict)


_CONTAINMENT_KEYS = ("contains", "contained_in")


def find_neighbours(out_dir: Path, articles: Collection[Mapping[str, Any]]) -> Neighbours:
    """Group members, containment links and the sources of every article they name.

    One pass over articles.jsonl finds the groups and the document's own records; a second
    pass, only if needed, finds the sources of articles named by a containment link.
    """
    own = {str(article["id"]) for article in articles if article.get("id") is not None}
    clusters = {str(a["cluster"]) for a in articles if a.get("cluster") is not None}
    neighbours = Neighbours()
    for record in _articles_mentioning(out_dir, own | clusters):
        record_id, cluster = str(record.get("id", "")), record.get("cluster")
        if cluster is not None and str(cluster) in clusters:
            neighbours.cluster_sources.setdefault(str(cluster), []).append(_source(record))
            neighbours.source_of[record_id] = _source(record)
        if record_id in own:
            links = {key: record[key] for key in _CONTAINMENT_KEYS if record.get(key)}
            neighbours.containment[record_id] = {**links, "similarity": record.get("similarity")}
    named = {str(a["duplicate_of"]) for a in articles if a.get("duplicate_of") is not None}
    named |= {str(v) for links in neighbours.containment.values() for v in _links(links)}
    missing = named - set(neighbours.source_of)
    for record in _articles_mentioning(out_dir, missing):
        if str(record.get("id", "")) in missing:
            neighbours.source_of[str(record["id"])] = _source(record)
    return neighbours


def _articles_mentioning(out_dir: Path, values: Collection[str]) -> Iterator[dict[str, Any]]:
    if not values:
        return iter(())
    needles = tuple(needle for value in values for needle in json_needles(value))
    return read_jsonl(out_dir / ARTICLES, containing=needles)


def _links(fields: Mapping[str, Any]) -> list[Any]:
    return [fields[key] for key in _CONTAINMENT_KEYS if fields.get(key)]


def _source(record: Mapping[str, Any]) -> str:
    return str(record.get("source", ""))


def source_matches(recorded: str, wanted: str) -> str | None:
    """How a recorded source matches a `--source` argument: "exact", "tail" or None.

    A tail match lets a reviewer type ``seeds/a.html`` for ``/data/crawl/seeds/a.html``
    (or the other way round) without knowing how the run recorded paths.
    """
    recorded_path, wanted_path = os.path.normpath(recorded), os.path.normpath(wanted)
    if recorded == wanted or recorded_path == wanted_path:
        return "exact"
    if recorded_path.endswith(os.sep + wanted_path) or wanted_path.endswith(os.sep + recorded_path):
        return "tail"
    return None


def find_document(
    out_dir: Path, *, source: str | None = None, article_id: str | None = None
) -> dict[str, Any] | None:
    """The view of one document from documents.jsonl, by source or by one article's id."""
    path = out_dir / DOCUMENTS
    if not path.exists():
        raise ReviewError(f"{path} not found: did the run write document views?")
    if source is None:
        views = read_jsonl(path, containing=json_needles(str(article_id)))
        return next((view for view in views if _holds_article(view, article_id)), None)
    return _only_match(read_jsonl(path, containing=_name_needles(source)), source, str(path))


def find_error(out_dir: Path, source: str) -> dict[str, Any] | None:
    """The errors.jsonl record of an input that failed, matched like `find_document`."""
    records = read_jsonl(out_dir / ERRORS, containing=_name_needles(source))
    return _only_match(records, source, str(out_dir / ERRORS))


def _name_needles(source: str) -> tuple[str, ...]:
    """Every recorded source that can match `source` contains its file name."""
    return json_needles(os.path.basename(os.path.normpath(source)))


def _holds_article(view: Mapping[str, Any], article_id: str | None) -> bool:
    articles = view.get("articles") or []
    return any(isinstance(a, Mapping) and a.get("id") == article_id for a in articles)


def _only_match(
    records: Iterator[dict[str, Any]], source: str, where: str
) -> dict[str, Any] | None:
    """The record whose source is `source`; else the one record it is a tail of."""
    first_tail: dict[str, Any] | None = None
    tails: list[str] = []
    for record in records:
        match = source_matches(str(record.get("source", "")), source)
        if match == "exact":
            return record
        if match == "tail":
            first_tail = first_tail or record
            tails.append(str(record.get("source", "")))
    if len(tails) > 1:
        shown = ", ".join(one_line(tail, 120) for tail in tails[:AMBIGUOUS_SHOWN])
        more = ", …" if len(tails) > AMBIGUOUS_SHOWN else ""
        raise ReviewError(
            f"{one_line(source)!r} matches {len(tails)} sources in {where}: {shown}{more}"
        )
    return first_tail


@dataclass
class RunLinks:
    """Every near-duplicate and containment link of a run, gathered in one pass, for the
    review pages of the HTML run report (one `find_neighbours` per document would read
    articles.jsonl once per document)."""

    cluster_sources: dict[str, list[str]] = field(default_factory=dict)
    source_of: dict[str, str] = field(default_factory=dict)
    containment: dict[str, dict[str, Any]] = field(default_factory=dict)


def run_links(out_dir: Path, groups: Collection[DuplicateGroup]) -> RunLinks:
    links = RunLinks()
    for group in groups:
        links.cluster_sources[group.cluster] = [member.source for member in group.members]
        links.source_of.update((member.id, member.source) for member in group.members)
    for record in read_jsonl(
        out_dir / ARTICLES, containing=tuple(f'"{k}": "' for k in _CONTAINMENT_KEYS)
    ):
        fields = {key: record[key] for key in _CONTAINMENT_KEYS if record.get(key)}
        if fields:
            links.containment[str(record.get("id", ""))] = {
                **fields,
                "similarity": record.get("similarity"),
            }
            links.source_of[str(record.get("id", ""))] = _source(record)
    named = {str(v) for fields in links.containment.values() for v in _links(fields)}
    missing = named - set(links.source_of)
    for record in _articles_mentioning(out_dir, missing):
        if str(record.get("id", "")) in missing:
            links.source_of[str(record["id"])] = _source(record)
    return links


def document_views(out_dir: Path) -> Iterator[dict[str, Any]]:
    """Every document view of the run, in run order, one at a time."""
    return read_jsonl(out_dir / DOCUMENTS)
