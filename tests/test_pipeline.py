"""process_document: stage failures and the time budget become error records."""

from __future__ import annotations

import time
from types import SimpleNamespace

from cleaner.config import Config, load_config
from cleaner.document import Document, DocumentError
from cleaner.pipeline import StageFailure, process_document
from cleaner.stages import DEFAULT_STAGES


def stage(name: str, function) -> SimpleNamespace:
    return SimpleNamespace(NAME=name, apply=function)


def test_every_default_stage_runs_and_is_timed() -> None:
    document = Document("a.txt", raw=b"Ein Absatz.\n\nA second paragraph.")
    result = process_document(document, Config())
    assert isinstance(result, Document)
    assert list(result.timings) == [module.NAME for module in DEFAULT_STAGES]


def test_a_document_error_names_the_stage() -> None:
    def refuse(document, config):
        raise DocumentError("not_text", "looks like an image")

    result = process_document(Document("x"), Config(), [stage("decode", refuse)])
    assert result == StageFailure("x", "decode", "not_text", "looks like an image")


def test_an_unexpected_exception_becomes_an_internal_error() -> None:
    def crash(document, config):
        raise KeyError("boom")

    result = process_document(Document("x"), Config(), [stage("spam", crash)])
    assert isinstance(result, StageFailure)
    assert (result.stage, result.error) == ("spam", "internal")
    assert "KeyError" in result.message


def test_a_runaway_stage_is_stopped_by_the_time_budget() -> None:
    def spin(document, config):
        while True:  # burns CPU: the budget counts CPU time, not waiting
            sum(range(1000))

    def swallow_everything(document, config):
        try:
            spin(document, config)
        except Exception:  # a careless stage must not be able to hide the timeout
            return document

    config = load_config(run={"doc_timeout": 0.2})
    for runaway in (spin, swallow_everything):
        result = process_document(Document("slow"), config, [stage("extract", runaway)])
        assert isinstance(result, StageFailure)
        assert (result.stage, result.error) == ("extract", "timeout")


def test_the_budget_counts_cpu_time_not_waiting() -> None:
    """Issue 16 item 12: with wall time, a loaded machine (or a stage waiting on a
    disk) turned documents into timeouts depending on --workers; CPU time of the process
    processing the document does not depend on what else runs."""

    def wait(document, config):
        time.sleep(0.6)
        return document

    config = load_config(run={"doc_timeout": 0.2})
    result = process_document(Document("waits"), config, [stage("extract", wait)])
    assert isinstance(result, Document)


def test_a_timeout_says_it_is_cpu_time() -> None:
    def spin(document, config):
        while True:
            sum(range(1000))

    config = load_config(run={"doc_timeout": 0.1})
    result = process_document(Document("slow"), config, [stage("extract", spin)])
    assert isinstance(result, StageFailure) and "CPU" in result.message


def test_a_catastrophic_regex_is_interrupted() -> None:
    import re

    def backtrack(document, config):
        re.match(r"(a+)+$", "a" * 64 + "b")
        return document

    config = load_config(run={"doc_timeout": 0.3})
    result = process_document(Document("regex"), config, [stage("spam", backtrack)])
    assert isinstance(result, StageFailure) and result.error == "timeout"


def test_deep_recursion_is_an_error_record() -> None:
    def recurse(document, config):
        return recurse(document, config)

    result = process_document(Document("deep"), Config(), [stage("extract", recurse)])
    assert isinstance(result, StageFailure) and result.error == "too_deep"
