"""The split model's trainer: what it reads of a page, and which single articles it fits on."""

from __future__ import annotations

import json

from cleaner.bench import train_split_roles
from cleaner.bench.holdout import part_of
from cleaner.config import Config

PARAGRAPHS = [
    "The harbour authority said on Monday that container traffic rose by eight percent.",
    "New routes to South East Asia and the Gulf grew fastest, led by refrigerated cargo.",
    "Grain depots prepared storage, cash and staff weeks ahead of the harvest this year.",
    "Inspectors tested each load for moisture while trucks queued along the country road.",
]


def test_the_trainer_reads_a_page_without_the_lines_the_split_stage_sets_aside() -> None:
    question = "What did the harbour authority say about the new routes this year?"
    answers = [f"{paragraph} {paragraph}" for paragraph in PARAGRAPHS]
    text = "\n\n".join([question, answers[0], answers[1], question, answers[2], answers[3]])
    blocks, _ = train_split_roles.blocks_before_split("page.txt", text.encode(), "text", Config())
    assert [block.text for block in blocks].count(question) == 1
    assert len(blocks) == 5


def test_single_articles_are_the_tuning_parts_and_split_into_two_fixed_halves(tmp_path) -> None:
    (tmp_path / "extraction-zh" / "original").mkdir(parents=True)
    (tmp_path / "extraction-en" / "html").mkdir(parents=True)
    (tmp_path / "extraction-en" / "ground-truth.json").write_text("{}", encoding="utf-8")
    ids = [f"page-{number}" for number in range(40)]
    for set_name in train_split_roles.SINGLE_ARTICLE_SETS:
        folder = tmp_path / "extraction-web" / set_name
        folder.mkdir(parents=True)
        lines = [json.dumps({"id": item, "text": f"{set_name} {item}"}) for item in ids]
        (folder / "truth.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = train_split_roles.single_articles(tmp_path)
    wanted = [
        (set_name, item, f"{set_name} {item}".encode())
        for set_name in train_split_roles.SINGLE_ARTICLE_SETS
        for item in ids
        if part_of(set_name, item) == "tuning"
    ]
    assert found == wanted
    halves = {train_split_roles.in_fit_half(set_name, item) for set_name, item, _ in found}
    assert halves == {True, False}
