"""The run's closing line names near-duplicates, errors and where errors are described."""

from __future__ import annotations

from cleaner.report.progress import run_summary_line


def test_the_closing_line_names_duplicates_errors_and_the_errors_file() -> None:
    counts = {"files": 3, "articles": 4, "errors": 1, "skipped": 0, "duplicates": 2}
    assert run_summary_line(counts, "out") == (
        "3 files → 4 articles (2 near-duplicates), 1 error (see out/errors.jsonl), "
        "0 skipped; output in out"
    )


def test_a_clean_run_says_so_without_pointing_at_an_errors_file() -> None:
    counts = {"files": 1, "articles": 1, "errors": 0, "skipped": 2, "duplicates": 0}
    line = run_summary_line(counts, "out")
    assert line == "1 files → 1 article, 0 errors, 2 skipped; output in out"
    counts = {**counts, "errors": 2, "timeouts": 1}
    assert "2 errors (see out/errors.jsonl, 1 over --doc-timeout CPU seconds)" in (
        run_summary_line(counts, "out")
    )


def test_the_closing_line_counts_documents_left_out_by_lang() -> None:
    counts = {"files": 5, "articles": 3, "errors": 0, "skipped": 0, "language_dropped": 2}
    assert run_summary_line(counts, "out") == (
        "5 files → 3 articles, 0 errors, 0 skipped, 2 in other languages (--lang); output in out"
    )
