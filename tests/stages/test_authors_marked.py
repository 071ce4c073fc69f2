"""The elements the byline and source look-ups start from: the values libxml2 hands over
mark the same elements as testing each element's joined attributes."""

from __future__ import annotations

from lxml import html

from cleaner.stages.extract import authors

PAGE = """<html><body>
<div class="story"><p class="byline author" id="by">By A. Writer</p>
<span rel="AUTHOR">B</span><span itemprop="creator">C</span><em class="wrİter">D</em>
<i id="ſource">E</i><b class="plain" data-author="no">F</b><!-- class="author" -->
<a class="src" href="/x">G</a><div class="post-source"><span class="source">H</span></div>
</div></body></html>"""


def test_marked_elements_are_those_whose_joined_attributes_match() -> None:
    root = html.fromstring(PAGE)
    expected = [
        element
        for element in root.iter()
        if isinstance(element.tag, str) and authors._MARKED.search(authors._attributes(element))
    ]
    found = authors._marked_elements(root)
    assert found == expected
    assert [element.text for element in found][:5] == ["By A. Writer", "B", "C", "D", "E"]
    assert all(element.text not in ("F", "G") for element in found)
