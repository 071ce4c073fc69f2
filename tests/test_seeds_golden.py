"""End to end: the real CLI over seeds/ gives the reviewed records in fixtures/golden/.

The golden files were read by a person (see fixtures/golden/README.md). When a change moves
them, look at the diff this test prints; regenerate with CLEANER_UPDATE_GOLDEN=1 only after
reading what changed and deciding that the new output is right.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "fixtures" / "golden"
runner = CliRunner()


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "out"
    result = runner.invoke(
        app, ["run", str(ROOT / "seeds"), "-o", str(out), "-q", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    return out


def removed_blocks(out: Path) -> str:
    """Every removed block of every seed, one line each: what the report shows."""
    lines = []
    for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        view = json.loads(line)
        for block in view["blocks"]:
            if block["rule"]:
                text = block["text"].replace("\n", " ")
                lines.append(f"{view['source']}\t{block['article']}\t{block['rule']}\t{text}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("seeds.articles.jsonl", lambda out: (out / "articles.jsonl").read_text("utf-8")),
        ("seeds.removed.tsv", removed_blocks),
    ],
)
def test_seed_output_matches_the_reviewed_golden_file(seed_run: Path, name: str, render) -> None:
    actual = render(seed_run)
    golden = GOLDEN / name
    if os.environ.get("CLEANER_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        expected_lines, actual_lines = expected.splitlines(), actual.splitlines()
        changed = [
            f"line {n}:\n  golden: {old[:300]}\n  now:    {new[:300]}"
            for n, (old, new) in enumerate(zip(expected_lines, actual_lines, strict=False), 1)
            if old != new
        ]
        pytest.fail(
            f"{name} differs from the reviewed golden file "
            f"({len(expected_lines)} vs {len(actual_lines)} lines):\n" + "\n".join(changed[:5])
        )


def test_seed_articles_say_what_the_issues_require(seed_run: Path) -> None:
    """The facts the issues name, checked directly (independent of the golden files)."""
    records = [
        json.loads(line)
        for line in (seed_run / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    by_seed: dict[str, list[dict]] = {}
    for record in records:
        by_seed.setdefault(record["source"][:3], []).append(record)
    assert [len(by_seed[seed]) for seed in ("000", "001", "002", "003", "004")] == [1, 1, 1, 5, 2]

    [seed000] = by_seed["000"]
    assert seed000["title"] == "海尔生物入选青岛市生物医药及医疗器械产业链链主企业"

    [seed001] = by_seed["001"]
    assert seed001["text"].startswith("4月6日,青岛市生物医药")
    assert seed001["text"].endswith("全力打造具有国际影响力和国内竞争力的“中国康湾”。")

    titles = [record["title"] for record in by_seed["003"]]
    for place in (
        "太原中北高新区",
        "安阳光电智能制造产业园",
        "泸州高新区",
        "青海零碳产业园",
        "青岛高新区",
    ):
        assert sum(title.startswith(place) for title in titles) == 1, (place, titles)
    text003 = "\n".join(record["text"] for record in by_seed["003"])
    assert "高端医疗器械" in text003 and "太原中北高新区党工委" in text003

    spam_strings = ("主站蜘蛛池模板", "13391219793", "400 0123 021", "0795-6240983", "广告")
    for record in records:
        for spam in spam_strings:
            assert spam not in record["text"], (record["source"], spam)
    assert all(record["encoding"] == "utf-8" for record in records)
