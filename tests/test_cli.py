"""The CLI contract of `cleaner run`: files written, record keys, accounting, bad input."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.records import ARTICLE_KEYS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
runner = CliRunner()

PAGE = (
    "<html><head><title>Harbour opens</title></head><body><nav><a href='/'>Home</a></nav>"
    "<article><h1>Harbour opens</h1><p>The new harbour opened on Monday after six years of "
    "work, the city council said in a statement.</p><p>Ships will start to call next month, "
    "bringing goods from across the region.</p></article><footer>Copyright 2024</footer>"
    "</body></html>"
)


def run_cli(*arguments: str, input: str | bytes | None = None):
    return runner.invoke(app, ["run", *arguments, "--quiet", "--workers", "1"], input=input)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def seeds_out(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    result = run_cli(str(SEEDS), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_run_writes_the_four_outputs_and_nothing_partial(seeds_out: Path) -> None:
    names = sorted(path.name for path in seeds_out.iterdir())
    assert names == [
        "articles.jsonl",
        "dedup-index",
        "documents.jsonl",
        "errors.jsonl",
        "summary.json",
    ]


def test_article_records_carry_the_contract_keys(seeds_out: Path) -> None:
    records = read_jsonl(seeds_out / "articles.jsonl")
    assert records, "the seeds must give articles"
    for record in records:
        assert list(record)[: len(ARTICLE_KEYS)] == list(ARTICLE_KEYS)
        assert record["encoding_source"] in {"bom", "declared", "utf8", "detector", "fallback"}
        assert 0 <= record["part"] < record["parts"]
        assert "\\" not in record["source"]
        assert all(isinstance(count, int) for count in record["removed"].values())


def test_every_seed_is_accounted_for_once(seeds_out: Path) -> None:
    records = read_jsonl(seeds_out / "articles.jsonl")
    errors = read_jsonl(seeds_out / "errors.jsonl")
    sources = {record["source"] for record in records}
    assert sources | {error["source"] for error in errors} == {p.name for p in SEEDS.iterdir()}
    assert not sources & {error["source"] for error in errors}
    summary = json.loads((seeds_out / "summary.json").read_text())
    assert summary["counts"]["files"] == len(list(SEEDS.iterdir()))
    assert summary["counts"]["articles"] == len(records)
    assert set(summary["timings"]) >= {"decode", "extract"}


def test_seed_000_title_comes_from_front_matter(seeds_out: Path) -> None:
    record = next(
        r for r in read_jsonl(seeds_out / "articles.jsonl") if r["source"].startswith("000_")
    )
    assert record["title"] == "海尔生物入选青岛市生物医药及医疗器械产业链链主企业"
    assert record["published"].startswith("2022-04-28")
    assert "layout: post" not in record["text"]
    assert record["removed"]["extract.front-matter"] > 0


def test_two_runs_give_byte_identical_articles(tmp_path: Path, seeds_out: Path) -> None:
    again = tmp_path / "again"
    assert run_cli(str(SEEDS), "--out", str(again)).exit_code == 0
    assert (again / "articles.jsonl").read_bytes() == (seeds_out / "articles.jsonl").read_bytes()
    without_dedup = tmp_path / "without-dedup"
    assert run_cli(str(SEEDS), "--out", str(without_dedup), "--no-dedup").exit_code == 0
    ids_and_texts = [(r["id"], r["text"]) for r in read_jsonl(seeds_out / "articles.jsonl")]
    assert ids_and_texts == [
        (r["id"], r["text"]) for r in read_jsonl(without_dedup / "articles.jsonl")
    ]


def test_output_is_identical_with_two_workers(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    for n in range(6):
        (corpus / f"page{n}.html").write_text(PAGE.replace("six", str(n)), encoding="utf-8")
    one, two = tmp_path / "one", tmp_path / "two"
    assert (
        runner.invoke(app, ["run", str(corpus), "-o", str(one), "-q", "--workers", "1"]).exit_code
        == 0
    )
    assert (
        runner.invoke(app, ["run", str(corpus), "-o", str(two), "-q", "--workers", "2"]).exit_code
        == 0
    )
    assert (one / "articles.jsonl").read_bytes() == (two / "articles.jsonl").read_bytes()


def test_out_dash_writes_articles_to_stdout(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    result = run_cli(str(page), "--out", "-")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["title"] for r in records] == ["Harbour opens"]
    assert "new harbour opened" in records[0]["text"]
    assert "Copyright 2024" not in records[0]["text"]


def test_stdin_jsonl_gives_one_article_per_line() -> None:
    lines = "\n".join(
        json.dumps({"id": f"crawl-{n}", "url": f"https://example.com/{n}", "html": PAGE})
        for n in range(3)
    )
    result = run_cli("-", "--out", "-", "--no-dedup", input=lines)
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["source"] for r in records] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert records[1]["url"] == "https://example.com/1"


def test_stdin_raw_text_is_one_document() -> None:
    result = run_cli("-", "--out", "-", input="A plain paragraph of text.\n\nAnd another.\n")
    assert result.exit_code == 0
    record = json.loads(result.stdout.splitlines()[0])
    assert record["source"] == "<stdin>"
    assert record["text"] == "A plain paragraph of text.\n\nAnd another."


def test_directory_walk_filters_by_extension_and_globs(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "news" / "deep").mkdir(parents=True)
    (corpus / "news" / "a.html").write_text(PAGE, encoding="utf-8")
    (corpus / "news" / "deep" / "b.htm").write_text(PAGE, encoding="utf-8")
    (corpus / "news" / "c.md").write_text("# Title\n\nBody text here.\n", encoding="utf-8")
    (corpus / "news" / "d.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (corpus / "image.jpg").write_bytes(b"\xff\xd8\xff\xe0 not wanted")
    out = tmp_path / "out"
    assert run_cli(str(corpus), "-o", str(out), "--exclude", "*.md").exit_code == 0
    sources = [r["source"] for r in read_jsonl(out / "articles.jsonl")]
    assert sources == ["news/a.html", "news/d.html.gz", "news/deep/b.htm"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"]["skipped"] == 2
    out2 = tmp_path / "out2"
    assert run_cli(str(corpus), "-o", str(out2), "--include", "news/deep/*").exit_code == 0
    assert [r["source"] for r in read_jsonl(out2 / "articles.jsonl")] == ["news/deep/b.htm"]


def test_bad_inputs_become_error_records_and_the_run_goes_on(tmp_path: Path, monkeypatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.html").write_text(PAGE, encoding="utf-8")
    (corpus / "empty.html").write_bytes(b"")
    (corpus / "blank.txt").write_bytes(b"  \n\n \t")
    (corpus / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (corpus / "broken.html").write_bytes(b"<html><body><p>Half a page of text that stops <b><i")
    (corpus / "bad.gz.html.gz").write_bytes(b"not gzip at all")
    (corpus / "loop").symlink_to(corpus / "loop")
    (corpus / "dangling.html").symlink_to(tmp_path / "nowhere.html")
    odd_name = os.fsencode(corpus) + b"/caf\xe9.html"
    with open(odd_name, "wb") as handle:
        handle.write(PAGE.encode())
    out = tmp_path / "out"
    result = run_cli(str(corpus), "--out", str(out))
    assert result.exit_code == 0, result.output
    articles = {r["source"]: r for r in read_jsonl(out / "articles.jsonl")}
    errors = {e["source"]: e for e in read_jsonl(out / "errors.jsonl")}
    assert set(articles) >= {"good.html", "broken.html", "caf\\xe9.html"}
    assert errors["empty.html"]["error"] == "empty"
    assert errors["blank.txt"]["error"] == "empty"
    assert errors["image.html"]["error"] == "not_text"
    assert errors["bad.gz.html.gz"]["error"] == "bad_gzip"
    assert errors["dangling.html"]["error"] == "broken_link"
    assert errors["loop"]["error"] == "broken_link"
    assert "Half a page of text" in articles["broken.html"]["text"]
    for error in errors.values():
        assert set(error) == {"source", "stage", "error", "message"} and error["message"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"]["files"] == len(articles) + len(errors)
    assert summary["counts"]["seen"] == len(articles) + len(errors) + summary["counts"]["skipped"]


def test_unreadable_file_is_an_error_record(tmp_path: Path, monkeypatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.html").write_text(PAGE, encoding="utf-8")
    (corpus / "secret.html").write_text(PAGE, encoding="utf-8")
    real_open = os.open

    def guarded_open(path, *args, **kwargs):
        if str(path).endswith("secret.html"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    # Inputs are opened with os.open (O_NOFOLLOW, O_NONBLOCK); root ignores chmod.
    monkeypatch.setattr("os.open", guarded_open)
    out = tmp_path / "out"
    assert run_cli(str(corpus), "--out", str(out)).exit_code == 0
    errors = read_jsonl(out / "errors.jsonl")
    assert [(e["source"], e["error"]) for e in errors] == [("secret.html", "unreadable")]
    assert [r["source"] for r in read_jsonl(out / "articles.jsonl")] == ["good.html"]


def test_too_large_file_is_an_error_record(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "big.txt").write_bytes(b"x" * 2048)
    config = tmp_path / "cleaner.toml"
    config.write_text("[inputs]\nmax_file_bytes = 1024\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli(str(corpus), "--out", str(out), "--config", str(config)).exit_code == 0
    [error] = read_jsonl(out / "errors.jsonl")
    assert error["error"] == "too_large" and "1,024" in error["message"]


def test_out_inside_an_input_is_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.html").write_text(PAGE, encoding="utf-8")
    result = run_cli(str(corpus), "--out", str(corpus / "out"))
    assert result.exit_code == 1
    assert "inside the input" in result.output
    assert not (corpus / "out").exists()


def test_unwritable_output_fails_with_one_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run_cli(str(SEEDS), "--out", str(blocker / "out"))
    assert result.exit_code == 1
    assert "cannot write output" in result.output


def test_bad_config_is_a_friendly_error(tmp_path: Path) -> None:
    config = tmp_path / "cleaner.toml"
    config.write_text("[spam]\nno_such_setting = 1\n", encoding="utf-8")
    result = run_cli(str(SEEDS), "--out", str(tmp_path / "out"), "--config", str(config))
    assert result.exit_code == 1
    assert "no_such_setting" in result.output


def test_previous_output_survives_a_failed_run(
    tmp_path: Path, seeds_out: Path, monkeypatch
) -> None:
    before = (seeds_out / "articles.jsonl").read_bytes()

    def disk_full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("cleaner.output.os.replace", disk_full)
    result = run_cli(str(SEEDS), "--out", str(seeds_out))
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert (seeds_out / "articles.jsonl").read_bytes() == before
    assert not (seeds_out / ".cleaner-partial").exists()


def test_help_explains_the_run_command() -> None:
    result = runner.invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--include", "--exclude", "--workers", "--index", "--quiet"):
        assert option in result.output


def test_diff_shows_removed_blocks_with_their_rules() -> None:
    seed = next(SEEDS.glob("002_*"))
    result = runner.invoke(app, ["diff", str(seed), "--removed-only"])
    assert result.exit_code == 0, result.output
    assert "boilerplate.breadcrumb" in result.output
    assert "主站蜘蛛池模板" in result.output  # shown as removed, with its rule
    assert "spam." in result.output


def test_report_summarises_a_run_and_finds_a_document(seeds_out: Path) -> None:
    summary = runner.invoke(app, ["report", str(seeds_out)])
    assert summary.exit_code == 0, summary.output
    assert "Removed by rule" in summary.output
    one = runner.invoke(app, ["report", str(seeds_out), "--source", "001_eb4aab56ba06d60f.txt"])
    assert one.exit_code == 0
    assert "4月6日" in one.output
    missing = runner.invoke(app, ["report", str(seeds_out), "--source", "nope.html"])
    assert missing.exit_code == 1
    assert "nope.html" in missing.output
    not_a_run = runner.invoke(app, ["report", str(SEEDS)])
    assert not_a_run.exit_code == 1


def test_a_traditional_copy_is_flagged_and_same_topic_seeds_are_not(tmp_path: Path) -> None:
    import opencc

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    original = next(corpus.glob("001_*")).read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(original)
    (corpus / "zz_copy_traditional.txt").write_text(
        "責任編輯：王小明\n\n" + traditional, encoding="big5hkscs", errors="ignore"
    )
    out = tmp_path / "out"
    assert run_cli(str(corpus), "--out", str(out)).exit_code == 0
    records = read_jsonl(out / "articles.jsonl")
    by_source = {r["source"]: r for r in records}
    seed = by_source["001_eb4aab56ba06d60f.txt"]
    copy = by_source["zz_copy_traditional.txt"]
    assert copy["duplicate_of"] == seed["id"]
    assert copy["cluster"] == seed["cluster"] == seed["id"]  # patched in after the fact
    assert copy["similarity"] >= 0.8
    flagged = [r for r in records if r["duplicate_of"]]
    assert [r["source"] for r in flagged] == ["zz_copy_traditional.txt"]


def test_the_index_persists_so_the_next_run_flags_against_the_last(tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = tmp_path / "first"
    assert run_cli(str(SEEDS), "--out", str(tmp_path / "o1"), "--index", str(index)).exit_code == 0
    first.mkdir()
    original = next(SEEDS.glob("001_*")).read_text(encoding="utf-8")
    (first / "republished.txt").write_text("转载自青岛财经网\n\n" + original, encoding="utf-8")
    out = tmp_path / "o2"
    assert run_cli(str(first), "--out", str(out), "--index", str(index)).exit_code == 0
    [record] = read_jsonl(out / "articles.jsonl")
    seed_id = next(
        r["id"]
        for r in read_jsonl(tmp_path / "o1" / "articles.jsonl")
        if r["source"].startswith("001_")
    )
    assert record["duplicate_of"] == seed_id


def test_drop_duplicates_leaves_copies_out_but_counts_them(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "".join(
        f"<p>{PAGE[PAGE.index('The new') : PAGE.index('</p>')]} {n}</p>" for n in range(12)
    )
    for name in ("a.html", "b.html"):
        (corpus / name).write_text(f"<html><body><article>{body}</article></body></html>")
    out = tmp_path / "out"
    assert run_cli(str(corpus), "--out", str(out), "--drop-duplicates").exit_code == 0
    assert [r["source"] for r in read_jsonl(out / "articles.jsonl")] == ["a.html"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"]["duplicates_dropped"] == 1
    kept = tmp_path / "kept"
    assert run_cli(str(corpus), "--out", str(kept)).exit_code == 0
    [first, second] = read_jsonl(kept / "articles.jsonl")
    assert second["duplicate_of"] == first["id"] and second["similarity"] == 1.0
