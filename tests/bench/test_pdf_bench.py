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
