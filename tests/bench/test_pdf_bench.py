"""The PDF bench's kinds of miss: what it says went wrong with a true article."""

from __future__ import annotations

import pytest

from cleaner.bench.pdf import miss_class

ARTICLE = {
    "title": "港口重新开放",
    "kicker": "风暴过后",
    "subtitle": "——船只恢复通行",
    "paragraphs": ["港口在风暴之后重新开放，港务局统计了进出港的船只。" * 3],
}
TEXT = ARTICLE["paragraphs"][0]
OTHER = "另一篇文章讲的是城市的公交线路调整和新开的地铁站，与港口无关。" * 3


@pytest.mark.parametrize(
    ("found", "recovered", "titled", "kind"),
    [
        (("港口重新开放", TEXT + OTHER), False, True, "text: holds other articles' text"),
        (("港口重新开放", TEXT[:30]), False, True, "text: part lost to other articles"),
        (("风暴过后", TEXT), True, False, "title: the kicker"),
        (("——船只恢复通行", TEXT), True, False, "title: the subtitle"),
        (("港口重新开", TEXT), True, False, "title: last character lost"),
        (("风暴过后港口重新开放", TEXT), True, False, "title: with other lines"),
        ((None, TEXT), True, False, "title: none"),
        (("港口重新开放", TEXT), True, True, "reading order"),
    ],
)
def test_each_miss_is_named_by_what_went_wrong(found, recovered, titled, kind):
    assert miss_class(ARTICLE, found, recovered, titled) == kind


def test_the_wider_tuning_pool_takes_only_tuning_pages_of_each_set(tmp_path) -> None:
    import json

    from cleaner.bench.holdout import part_of
    from cleaner.bench.newspaper_pdf import wider_tuning_stories

    paragraph = "A public notice printed as news, long enough to be a paragraph of its story."
    truths = tmp_path / "extraction-web" / "cleaneval" / "truth.jsonl"
    truths.parent.mkdir(parents=True)
    ids = [f"page-{number}" for number in range(12)]
    lines = [json.dumps({"id": page, "text": "\n".join([paragraph] * 12)}) for page in ids]
    truths.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stories = wider_tuning_stories(tmp_path)
    tuning = {page for page in ids if part_of("extraction-web/cleaneval", page) == "tuning"}
    assert 0 < len(tuning) < len(ids)
    assert {story.story_id for story in stories} == {f"cleaneval/{page}" for page in tuning}
    assert all(story.lang == "en" and len(story.paragraphs) == 12 for story in stories)
