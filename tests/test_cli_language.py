"""`cleaner run --lang`: only the named languages reach articles.jsonl; the others are
counted in summary.json and explained in documents.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cleaner.cli import app

runner = CliRunner()

PAGE = (
    "<html><head><title>{title}</title></head>"
    "<body><article><h1>{title}</h1>{body}</article></body></html>"
)
STORIES = {
    "en": (
        "Harbour reopens",
        "The harbour reopened on Monday after six years of work, the council said. "
        "Ships will start to call next month, bringing goods from across the region.",
    ),
    "zh": (
        "港口重新开放",
        "经过六年建设，港口于周一重新开放。市政府表示，下月起将有船只靠港，为周边地区运来货物。",
    ),
    "ko": (
        "항구 재개장",
        "항구가 6년간의 공사를 마치고 월요일에 다시 문을 열었다고 시가 밝혔다. "
        "다음 달부터 선박이 입항해 지역 곳곳의 화물을 실어 나를 예정이다.",
    ),
    "ru": (
        "Порт снова открыт",
        "Порт вновь открылся в понедельник после шести лет работ, сообщили в мэрии. "
        "Суда начнут заходить в него в следующем месяце.",
    ),
}


def _pages(directory: Path) -> Path:
    directory.mkdir()
    for lang, (title, body) in STORIES.items():
        html = PAGE.format(title=title, body=f"<p>{body}</p>")
        (directory / f"{lang}.html").write_text(html, encoding="utf-8")
    return directory


def _run(tmp_path: Path, *options: str):
    pages = _pages(tmp_path / "pages")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["run", str(pages), "--out", str(out), "--quiet", "--workers", "1", *options]
    )
    return result, out


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_without_lang_every_language_is_written_with_its_code(tmp_path: Path) -> None:
    result, out = _run(tmp_path)
    assert result.exit_code == 0, result.output
    langs = {
        Path(record["source"]).stem: record["lang"] for record in _jsonl(out / "articles.jsonl")
    }
    assert langs == {lang: lang for lang in STORIES}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["languages"] == {lang: 1 for lang in STORIES}
    assert summary["counts"]["language_dropped_documents"] == 0


def test_lang_keeps_only_the_named_languages_and_counts_the_rest(tmp_path: Path) -> None:
    result, out = _run(tmp_path, "--lang", "zh, EN")
    assert result.exit_code == 0, result.output
    records = _jsonl(out / "articles.jsonl")
    assert sorted(record["lang"] for record in records) == ["en", "zh"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"]["language_dropped_documents"] == 2
    assert summary["counts"]["language_dropped_articles"] == 2
    assert summary["counts"]["articles"] == 2
    assert summary["config"]["language"]["keep"] == ["zh", "en"]
    # The left-out documents stay reviewable: every block says which rule took it.
    views = {Path(view["source"]).stem: view for view in _jsonl(out / "documents.jsonl")}
    assert views["ko"]["lang"] == "ko"
    ko_rules = [block["rule"] for block in views["ko"]["blocks"]]
    assert None not in ko_rules and "language.not_kept" in ko_rules
    assert any(block["rule"] is None for block in views["en"]["blocks"])


def test_lang_with_an_unknown_code_is_a_usage_error(tmp_path: Path) -> None:
    result, out = _run(tmp_path, "--lang", "zh,klingon")
    assert result.exit_code != 0
    assert "klingon" in result.output
    assert not (out / "articles.jsonl").exists()


def test_lang_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "cleaner.toml"
    config.write_text('[language]\nkeep = ["ko"]\n', encoding="utf-8")
    result, out = _run(tmp_path, "--config", str(config))
    assert result.exit_code == 0, result.output
    assert [record["lang"] for record in _jsonl(out / "articles.jsonl")] == ["ko"]


def test_run_help_explains_lang() -> None:
    result = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "200"})
    assert "--lang" in result.output
    assert "ISO 639-1" in result.output
