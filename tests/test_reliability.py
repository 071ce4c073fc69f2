"""Any bytes, no crash: properties and a bounded fuzz run over the whole per-document
pipeline, plus the pathological inputs a crawl meets (deep nesting, huge lines, NULs)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner.bench.hostile import WORST_CASES
from cleaner.cli import app
from cleaner.config import Config, load_config
from cleaner.document import Document
from cleaner.pipeline import StageFailure, process_document
from cleaner.records import article_records

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").iterdir())
CONFIG = Config()
runner = CliRunner()


def process(raw: bytes, media_type: str = "html") -> Document | StageFailure:
    return process_document(Document("fuzz", raw=raw, media_type=media_type), CONFIG)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096), st.sampled_from(["html", "text", "markdown"]))
def test_any_bytes_give_a_document_or_an_error_record(raw: bytes, media_type: str) -> None:
    result = process(raw, media_type)
    assert isinstance(result, Document | StageFailure)
    if isinstance(result, StageFailure):
        assert result.error != "internal", result.message
        assert result.message
    else:
        for record in article_records(result):
            json.dumps(record.as_json(), ensure_ascii=False).encode("utf-8")  # always serialisable


_PLAIN_TEXT = st.text(
    alphabet=st.sampled_from(list("abcdefg hij,.。，青岛高新区产业园\n\n")),
    min_size=1,
    max_size=600,
)


@settings(max_examples=200, deadline=None)
@given(_PLAIN_TEXT)
def test_kept_and_removed_text_together_are_the_input_text(text: str) -> None:
    result = process(text.encode("utf-8"), "text")
    if isinstance(result, StageFailure):
        assert result.error == "empty"
        return
    everything = "".join(block.text for block in result.blocks)
    assert re.sub(r"\s", "", everything) == re.sub(r"\s", "", text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2048))
def test_processing_is_deterministic(raw: bytes) -> None:
    first, second = process(raw), process(raw)
    if isinstance(first, StageFailure):
        assert first == second
    else:
        assert article_records(first) == article_records(second)


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        operation = rng.random()
        position = rng.randrange(len(data) + 1)
        if operation < 0.3 and data:
            del data[position : position + rng.randint(1, 64)]
        elif operation < 0.6:
            data[position:position] = rng.randbytes(rng.randint(1, 16))
        elif operation < 0.8:
            data[position:position] = rng.choice(
                [b"<div>", b"</p>", b"<script>", b"\x00", b"\xff\xfe", b"<!--", b"]]>", b"&#0;"]
            )
        elif data:
            data = data[: position or 1]  # truncated download
    return bytes(data)


def test_fuzz_ten_thousand_mutated_pages_never_crash() -> None:
    rng = random.Random(20261124)
    corpora = [path.read_bytes() for path in SEEDS]
    corpora += [text.encode("gb18030") for text in (SEEDS[1].read_text()[:3000],)]
    outcomes = {"document": 0, "error": 0}
    for _ in range(10_000):
        base = rng.choice(corpora)
        start = rng.randrange(len(base))
        sample = mutate(base[start : start + rng.randint(0, 1500)], rng)
        result = process(sample, rng.choice(["html", "text"]))
        if isinstance(result, StageFailure):
            assert result.error != "internal", (result.message, sample[:200])
            outcomes["error"] += 1
        else:
            outcomes["document"] += 1
    assert outcomes["document"] > 5_000  # most mutated pages still hold text


def test_ten_thousand_nested_tags_are_handled() -> None:
    page = "<div>" * 10_000 + "<p>Deep inside the page there is text.</p>" + "</div>" * 10_000
    result = process(page.encode())
    # Deeper than libxml2 keeps: the page is read again without its wrapper tags.
    assert isinstance(result, Document), result
    assert "Deep inside the page there is text." in [b.text for b in result.kept_blocks()]


def test_nul_bytes_and_mixed_garbage_keep_the_text() -> None:
    paragraph = "<p>The port reopened today after the storm passed, officials said.</p>"
    raw = ("<p>Harbour\x00 news</p>" + paragraph * 5).encode()
    result = process(raw)
    assert isinstance(result, Document)
    assert "\x00" not in "".join(block.text for block in result.blocks)


def test_a_fifty_megabyte_single_line_file_finishes_with_a_record(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "huge.txt").write_bytes(b"word, " * (50 * 1024 * 1024 // 6))
    (corpus / "small.txt").write_text("A small page with a real sentence in it.\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(corpus), "-o", str(out), "-q", "--workers", "1"])
    assert result.exit_code == 0, result.output
    articles = [json.loads(line) for line in (out / "articles.jsonl").read_text().splitlines()]
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert {r["source"] for r in articles} | {e["source"] for e in errors} == {
        "huge.txt",
        "small.txt",
    }
    assert "small.txt" in {r["source"] for r in articles}


def test_time_budget_applies_in_worker_processes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"page{n}.txt").write_text(
            ("A sentence of text. " * 400_000) if n == 1 else "Short page.\n"
        )
    config = load_config(run={"doc_timeout": 0.05, "workers": 2})
    assert config.run.doc_timeout == 0.05
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["run", str(corpus), "-o", str(out), "-q", "--workers", "2", "--doc-timeout", "0.05"]
    )
    assert result.exit_code == 0
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [(e["source"], e["error"]) for e in errors] == [("page1.txt", "timeout")]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"]["timeouts"] == 1


def test_crafted_worst_cases_end_as_documents_or_plain_errors() -> None:
    """No rule backtracks catastrophically: each crafted input (`cleaner.bench.hostile`,
    which also times them) finishes inside a generous budget as a document or an ordinary
    error record, never `internal` or `timeout`."""
    config = load_config(run={"doc_timeout": 60})
    for name, text in WORST_CASES.items():
        for media_type in ("text", "html"):
            result = process_document(
                Document(name, raw=text.encode("utf-8"), media_type=media_type), config
            )
            if isinstance(result, StageFailure):
                assert result.error not in {"internal", "timeout"}, (name, result)


def test_sigterm_stops_a_pooled_run_without_worker_tracebacks(tmp_path: Path) -> None:
    """Issue 16 item 17: the parent used to die on SIGTERM while its workers were still
    sending results, and each worker printed a BrokenPipeError traceback."""
    import signal
    import sys

    from interrupted_runs import start_and_wait

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seed_text = SEEDS[0].read_bytes()
    for n in range(600):
        (corpus / f"page{n:04d}.txt").write_bytes(seed_text + f"\n\n第{n}篇。".encode())
    out = tmp_path / "out"
    journal = out / ".cleaner-partial" / "checkpoints.jsonl"
    command = [sys.executable, "-m", "cleaner", "run", str(corpus), "-o", str(out), "-q"]
    process = start_and_wait([*command, "--workers", "2"], out, 20)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert "interrupted" in stderr
    assert journal.exists(), "the partial output is kept for --resume"
