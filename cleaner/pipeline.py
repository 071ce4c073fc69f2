"""The pipeline: run the per-document stages, then dedup, and hand records to the writer."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import heapq
import importlib.metadata
import itertools
import json
import multiprocessing
import os
import platform
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from cleaner import __version__
from cleaner.budget import DocumentTimeout, time_budget
from cleaner.config import Config
from cleaner.document import Document, DocumentError
from cleaner.inputs import (
    STDIN,
    InputFile,
    discover,
    display_path,
    read_document,
    spooled_stdin,
)
from cleaner.output import ARTICLES, DOCUMENTS, ERRORS, RunOutput, document_line, json_text
from cleaner.records import (
    ArticleRecord,
    article_records,
    view_articles,
    view_blocks,
    view_head,
)
from cleaner.stages import DEFAULT_STAGES, PDF_STAGES, Stage, language, stages_for
from cleaner.stages.dedup import (
    DOCUMENTS_JUDGED_TOGETHER,
    DedupVerdict,
    Fingerprint,
    NearDuplicateIndex,
    fingerprint_text,
)


@dataclass
class StageFailure:
    """A document that a stage could not process: one line of errors.jsonl."""

    source: str
    stage: str
    error: str
    message: str


def process_document(
    document: Document, config: Config, stages: tuple[Stage, ...] | None = None
) -> Document | StageFailure:
    """Run every stage over one document (by default the stages for its kind,
    `stages_for`); a failing stage turns it into a StageFailure."""
    stage_name = "start"
    stages = stages_for(document) if stages is None else stages
    try:
        _prepare_stages(stages, config)
        with time_budget(config.run.doc_timeout):
            for stage in stages:
                stage_name = stage.NAME
                started = time.thread_time()
                document = stage.apply(document, config.settings_of(stage.NAME))
                document.timings[stage.NAME] = time.thread_time() - started
    except DocumentTimeout:
        message = f"took more than {config.run.doc_timeout:g} s of CPU time (--doc-timeout)"
        return StageFailure(document.source, stage_name, "timeout", message)
    except DocumentError as error:
        return StageFailure(document.source, stage_name, error.kind, error.message)
    except RecursionError:
        message = "document is nested too deeply"
        return StageFailure(document.source, stage_name, "too_deep", message)
    except MemoryError:
        return StageFailure(document.source, stage_name, "out_of_memory", "ran out of memory")
    except Exception as error:  # noqa: BLE001 - one bad document must not end the run
        message = f"{type(error).__name__}: {error}"
        return StageFailure(document.source, stage_name, "internal", message)
    return document


def _prepare_stages(stages: tuple[Stage, ...], config: Config) -> None:
    """One-time work of each stage (compiling its rules), outside any document's budget.

    Otherwise the first document of each worker pays for it (the spam rules take ~0.3 s
    of CPU), and a budget cut during it repeats it for every later document.
    """
    for stage in stages:
        prepare = getattr(stage, "prepare", None)
        if prepare is not None:
            prepare(config.settings_of(stage.NAME))


# ---------------------------------------------------------------- the whole run


@dataclass
class RunTotals:
    """Counters for summary.json, filled as results arrive."""

    files: int = 0
    documents: int = 0
    articles: int = 0
    errors: int = 0
    skipped: int = 0
    duplicates: int = 0
    # Documents per language (ISO 639-1, "und" when too short to tell), and those left out
    # by --lang with the articles they held.
    languages: Counter = field(default_factory=Counter)
    language_dropped_documents: int = 0
    language_dropped_articles: int = 0
    chars_in: int = 0
    chars_out: int = 0
    removed_by_rule: Counter = field(default_factory=Counter)
    encodings: Counter = field(default_factory=Counter)
    errors_by_type: Counter = field(default_factory=Counter)
    # CPU seconds (of the thread that did the work) per stage and per document: wall-clock
    # time would count whatever else the machine was doing (the same run read 1.6-3.1 s).
    timings: Counter = field(default_factory=Counter)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    # Said on stderr at the end of the run and kept in summary.json.
    warnings: list[str] = field(default_factory=list)


@dataclass
class PreparedDocument:
    """A processed document reduced to what the writer needs.

    Built where the document was processed (a worker process with --workers), so that
    the parent, which must see records one at a time and in order, only consults the
    near-duplicate index and writes lines.
    """

    source: str
    records: list[ArticleRecord]
    # One per record: its near-duplicate fingerprint, or None (dedup off, empty text).
    fingerprints: list[Fingerprint | None]
    view_head: dict
    blocks_json: str
    chars_in: int
    kept_chars: list[int]
    removed_by_rule: Counter
    encoding: str | None
    timings: dict[str, float]
    lang: str | None
    # False when --lang leaves the document out: its records are not written.
    language_kept: bool


def prepare(document: Document, config: Config) -> PreparedDocument:
    records = article_records(document)
    language_kept = language.keeps(document.lang, config.language)
    fingerprints = [
        fingerprint_text(record.text, config.dedup)
        if config.dedup.enabled and language_kept and record.text.strip()
        else None
        for record in records
    ]
    removed = Counter()
    for block in document.blocks:
        if block.removal is not None:
            removed[block.removal.rule] += len(block.text)
    return PreparedDocument(
        source=document.source,
        records=records,
        fingerprints=fingerprints,
        view_head=view_head(document),
        blocks_json=json_text(view_blocks(document)),
        chars_in=sum(len(block.text) for block in document.blocks),
        kept_chars=[
            sum(len(block.text) for block in document.kept_blocks(part))
            for part in range(document.article_count)
        ],
        removed_by_rule=removed,
        encoding=document.encoding.encoding if document.encoding else None,
        timings=document.timings,
        lang=document.lang,
        language_kept=language_kept,
    )


def process_input(task: tuple[InputFile, Config]) -> PreparedDocument | StageFailure:
    """Read, process and prepare one input (in a worker process when --workers > 1, in a
    Ray task with --ray)."""
    item, config = task
    started = time.thread_time()
    try:
        document = read_document(item, config.inputs)
    except DocumentError as error:
        return StageFailure(item.source, "read", error.kind, error.message)
    except RecursionError:
        return StageFailure(item.source, "read", "too_deep", "input is nested too deeply")
    except Exception as error:  # noqa: BLE001 - one bad input must not end the run
        message = f"{type(error).__name__}: {error}"
        return StageFailure(item.source, "read", "internal", message)
    document.timings["read"] = time.thread_time() - started
    result = process_document(document, config)
    return result if isinstance(result, StageFailure) else prepare(result, config)


def _results(tasks: list[InputFile], config: Config) -> Iterator[PreparedDocument | StageFailure]:
    if config.run.ray:
        from cleaner.ray_engine import ray_results  # only a run on Ray loads ray

        yield from ray_results(tasks, config)
        return
    workers = config.run.workers or os.cpu_count() or 1
    if workers <= 1 or len(tasks) < 2:
        yield from map(process_input, ((item, config) for item in tasks))
        return
    forking = sys.platform != "darwin"
    if forking:
        # Compiled rules and loaded models are made once here, before the fork, and every
        # worker inherits them (copy-on-write) instead of making its own: ~0.8 s of CPU
        # and a language model's memory per worker.
        _prepare_stages((*DEFAULT_STAGES, *PDF_STAGES), config)
    context = multiprocessing.get_context("fork" if forking else "spawn")
    in_flight = _InFlight(workers * config.run.results_in_flight_per_worker)
    # The config goes to each worker once (inherited when forking), not with every input.
    with context.Pool(workers, initializer=_start_worker, initargs=(config,)) as pool:
        try:
            # imap keeps input order, so output is identical whatever the worker count.
            for result in pool.imap(_process_in_worker, in_flight.admit(iter(tasks)), 4):
                in_flight.done()
                yield result
        finally:
            in_flight.stop()


# The run's settings inside a worker process, set once by `_start_worker`.
_worker_config: Config | None = None


def _start_worker(config: Config) -> None:
    global _worker_config
    _quiet_worker_signals()
    _worker_config = config


def _process_in_worker(item: InputFile) -> PreparedDocument | StageFailure:
    return process_input((item, _worker_config))


class _InFlight:
    """Back-pressure for the pool: at most `limit` inputs handed out and not yet taken by
    the parent. Without it the pool's feeder thread sends every task at once and finished
    results queue up in the parent's memory whenever it is slower than the workers (the
    near-duplicate index at the end of a large run); the workers then wait instead."""

    def __init__(self, limit: int) -> None:
        self._slots = threading.Semaphore(limit)
        self._stopped = threading.Event()

    def admit(self, jobs: Iterator) -> Iterator:
        for job in jobs:
            # A timeout, so that a stopping run never leaves the feeder thread blocked
            # here (Pool.terminate joins it).
            while not self._slots.acquire(timeout=0.1):
                if self._stopped.is_set():
                    return
            if self._stopped.is_set():
                return
            yield job

    def done(self) -> None:
        self._slots.release()

    def stop(self) -> None:
        self._stopped.set()


def _quiet_worker_signals() -> None:
    """Stopping is the parent's job: a worker ignores Ctrl-C (sent to the whole process
    group) and dies quietly on the SIGTERM of Pool.terminate, instead of printing a
    KeyboardInterrupt or BrokenPipeError traceback from a pipe the parent has closed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def run(
    inputs: list[str],
    output: RunOutput,
    config: Config,
    index: NearDuplicateIndex | None = None,
    on_progress: Callable[[str], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> RunTotals:
    """Process every input, write records through `output`, return the counters.

    The inputs form one ordered sequence of units (paths that could not be walked or
    containers that broke, then every document, stdin's in the place of "-"). After each
    unit the output is checkpointed, so an interrupted run resumes at the first unit not
    completely written.
    """
    with contextlib.ExitStack() as stack:
        stdin_path = stack.enter_context(spooled_stdin()) if STDIN in inputs else None
        discovery = discover(inputs, config.inputs, stdin_path)
        totals = RunTotals(skipped=discovery.skipped, warnings=list(discovery.warnings))
        clusters: dict[str, str] = {}
        skip = output.resumed_units
        if skip:
            _replay(output, totals, index, clusters, config)
        if on_start:
            on_start(len(discovery.problems) + len(discovery.files) - skip)
        done = 0
        for problem in discovery.problems:
            done += 1
            if done <= skip:
                continue
            failure = StageFailure(problem.source, "input", problem.error, problem.message)
            _record_result(failure, output, totals, index, clusters, config, iter(()))
            output.checkpoint(done)
            if on_progress:
                on_progress(failure.source)
        pending = discovery.files[max(0, skip - done) :]
        done = max(done, skip)
        group_size = DOCUMENTS_JUDGED_TOGETHER if index is not None else 1
        for group in _groups(_results(pending, config), group_size):
            verdicts = _near_duplicate_verdicts(group, index)
            for result in group:
                done += 1
                _record_result(result, output, totals, index, clusters, config, verdicts)
                output.checkpoint(done)
                if on_progress:
                    on_progress(result.source)
    totals.files = totals.documents + totals.errors
    if not totals.files and not totals.warnings:
        totals.warnings.append("no input was processed: nothing found to read")
    save_index = index.save_pending if index is not None else None
    output.finish(summary_of(totals, inputs, config), clusters, save_index)
    return totals


T = TypeVar("T")


def _groups(items: Iterator[T], size: int) -> Iterator[tuple[T, ...]]:
    """Consecutive items, `size` at a time (itertools.batched, Python 3.12)."""
    while group := tuple(itertools.islice(items, size)):
        yield group


def _near_duplicate_verdicts(
    group: tuple[PreparedDocument | StageFailure, ...], index: NearDuplicateIndex | None
) -> Iterator[DedupVerdict]:
    """The index's verdict on each record of the group it judges, in order."""
    if index is None:
        return iter(())
    records = [
        (record.id, record.text, fingerprint)
        for result in group
        if isinstance(result, PreparedDocument)
        for record, fingerprint in _indexed_records(result)
    ]
    return iter(index.check_and_add_many(records))


def _indexed_records(
    prepared: PreparedDocument,
) -> Iterator[tuple[ArticleRecord, Fingerprint | None]]:
    """The records of a document the index judges: a document --lang leaves out writes
    no article and stays out of the index; an empty text is not compared."""
    if prepared.language_kept:
        for record, fingerprint in zip(prepared.records, prepared.fingerprints, strict=True):
            if record.text.strip():
                yield record, fingerprint


def _record_result(
    result: PreparedDocument | StageFailure,
    output: RunOutput,
    totals: RunTotals,
    index: NearDuplicateIndex | None,
    clusters: dict[str, str],
    config: Config,
    verdicts: Iterator[DedupVerdict],
) -> None:
    if isinstance(result, StageFailure):
        _record_failure(result, output, totals)
    else:
        _record_document(result, output, totals, index, clusters, config, verdicts)


def _replay(
    output: RunOutput,
    totals: RunTotals,
    index: NearDuplicateIndex | None,
    clusters: dict[str, str],
    config: Config,
) -> None:
    """Rebuild counters, near-duplicate index and clusters from an interrupted run."""
    dropped = output.drop_duplicates
    for error in output.written(ERRORS):
        totals.errors += 1
        totals.errors_by_type[error["error"]] += 1
    for view in output.written(DOCUMENTS):
        totals.documents += 1
        if view.get("encoding"):
            totals.encodings[view["encoding"]] += 1
        _count_language(totals, view.get("lang"), len(view["articles"]), config)
        written_parts = {
            article["part"]
            for article in view["articles"]
            if not (dropped and article.get("duplicate_of"))
        }
        for block in view["blocks"]:
            totals.chars_in += len(block["text"])
            if block["rule"]:
                totals.removed_by_rule[block["rule"]] += len(block["text"])
            elif block["article"] in written_parts:
                totals.chars_out += len(block["text"])
    for record in output.written(ARTICLES):
        if dropped and record.get("duplicate_of"):
            totals.duplicates += 1
        else:
            totals.articles += 1
        if index is not None:
            # Same records in the same order: the index answers as it did the first time.
            _mark_near_duplicates(ArticleRecord.from_json(record), index, clusters)


def _record_failure(failure: StageFailure, output: RunOutput, totals: RunTotals) -> None:
    output.add_error(dataclasses.asdict(failure))
    totals.errors += 1
    totals.errors_by_type[failure.error] += 1


def _record_document(
    prepared: PreparedDocument,
    output: RunOutput,
    totals: RunTotals,
    index: NearDuplicateIndex | None,
    clusters: dict[str, str],
    config: Config,
    verdicts: Iterator[DedupVerdict],
) -> None:
    """Write one document; `verdicts` holds the index's verdicts on its records (and on
    the rest of its group), in `_indexed_records` order."""
    # A document --lang leaves out writes no article.
    records = prepared.records if prepared.language_kept else []
    _count_language(totals, prepared.lang, len(prepared.records), config)
    if index is not None:
        for record, _ in _indexed_records(prepared):
            _apply_verdict(record, next(verdicts), clusters)
    for record in records:
        output.add_article(record.as_json())  # a dropped duplicate is left out at publish
        if record.duplicate_of and config.run.drop_duplicates:
            totals.duplicates += 1
            continue
        totals.articles += 1
        totals.chars_out += prepared.kept_chars[record.part]
    output.add_document(
        document_line(prepared.view_head, view_articles(prepared.records), prepared.blocks_json)
    )
    totals.documents += 1
    totals.chars_in += prepared.chars_in
    totals.removed_by_rule.update(prepared.removed_by_rule)
    if prepared.encoding:
        totals.encodings[prepared.encoding] += 1
    for stage, spent in prepared.timings.items():
        totals.timings[stage] += spent
    heapq.heappush(totals.slowest, (sum(prepared.timings.values()), prepared.source))
    if len(totals.slowest) > _SLOWEST_KEPT:
        heapq.heappop(totals.slowest)


_SLOWEST_KEPT = 10


def _count_language(totals: RunTotals, lang: str | None, articles: int, config: Config) -> None:
    totals.languages[lang or "und"] += 1
    if not language.keeps(lang, config.language):
        totals.language_dropped_documents += 1
        totals.language_dropped_articles += articles


def _mark_near_duplicates(
    record: ArticleRecord,
    index: NearDuplicateIndex,
    clusters: dict[str, str],
    fingerprint: Fingerprint | None = None,
) -> None:
    if record.text.strip():
        _apply_verdict(record, index.check_and_add(record.id, record.text, fingerprint), clusters)


def _apply_verdict(record: ArticleRecord, verdict: DedupVerdict, clusters: dict[str, str]) -> None:
    if verdict.relation == "duplicate" and verdict.other:
        # The group is named after its earliest record (across runs and shards), which
        # was written before this one was seen: `clusters` tells the writer to patch it.
        cluster = verdict.cluster or verdict.other
        clusters[cluster] = cluster
        clusters[record.id] = cluster
        record.cluster = cluster
        record.duplicate_of = verdict.other
        record.similarity = _rounded(verdict.similarity)
    elif verdict.relation in ("contains", "contained_in"):
        setattr(record, verdict.relation, verdict.other)
        record.similarity = _rounded(verdict.similarity)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def summary_of(totals: RunTotals, inputs: list[str], config: Config) -> dict:
    return {
        "counts": {
            # Every path met: processed (documents), failed (errors) or not wanted (skipped).
            "seen": totals.files + totals.skipped,
            "files": totals.files,
            "documents": totals.documents,
            "articles": totals.articles,
            "errors": totals.errors,
            # Documents stopped by --doc-timeout (CPU seconds), also among the errors.
            "timeouts": totals.errors_by_type["timeout"],
            "skipped": totals.skipped,
            "duplicates_dropped": totals.duplicates,
            # Documents (and their articles) in a language --lang does not keep.
            "language_dropped_documents": totals.language_dropped_documents,
            "language_dropped_articles": totals.language_dropped_articles,
            "chars_in": totals.chars_in,
            "chars_out": totals.chars_out,
        },
        "removed_by_rule": dict(totals.removed_by_rule.most_common()),
        "encodings": dict(totals.encodings.most_common()),
        "languages": dict(totals.languages.most_common()),
        "errors_by_type": dict(totals.errors_by_type.most_common()),
        "warnings": totals.warnings,
        "timings": {stage: round(seconds, 4) for stage, seconds in totals.timings.items()},
        "slowest": [
            {"source": source, "seconds": round(seconds, 4)}
            for seconds, source in sorted(totals.slowest, reverse=True)
        ],
        "versions": versions(),
        "inputs": [display_path(name) for name in inputs],
        "config": _jsonable(dataclasses.asdict(config)),
    }


def versions() -> dict[str, str]:
    found = {"cleaner": __version__, "python": platform.python_version()}
    for package in ("lxml", "chardet", "datasketch", "beautifulsoup4", "opencc", "py3langid"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def run_fingerprint(inputs: list[str], config: Config) -> str:
    """Identifies what a run computes (inputs and settings that change records).

    A resumed run must match the interrupted one; worker count, progress and the time
    budget do not change the records, so they may differ. Dropping duplicates does.
    """
    settings = _jsonable(dataclasses.asdict(config))
    settings["run"] = {"drop_duplicates": config.run.drop_duplicates}
    payload = json.dumps([inputs, settings], sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
