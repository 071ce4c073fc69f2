"""Extract stage: decoded text -> blocks in reading order, plus page metadata.

The stage is a package because an HTML page takes several steps, one file each:

- `walk`: parse the page once with lxml and walk it once into paragraph-sized blocks that
  remember their tag, container trail, link characters, whether CSS hides them, and their
  element path.
- `region`: a readability-like content score over those paths; the best-scoring container
  (with its qualifying siblings and same-kind containers) is the main region.
- `chrome`: blocks outside the region (``extract.outside-main``) and, inside it, blocks
  under chrome tags or chrome-named containers, captions, hidden text and link lists (the
  rule table with reasons and examples is `cleaner.rules.boilerplate.DOM_RULES`).
- `metadata` and `dates`: title, published, author, url and source_name from <meta>,
  JSON-LD, <time> and the title printed on the page (marked ``meta.title``).
- `page`: the steps above in order, and BeautifulSoup for markup libxml2 gives up on.
- `markdown` and `front_matter`: Markdown and plain text become one block per blank-line
  separated paragraph; YAML front matter becomes metadata.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from cleaner.dates import fetch_year
from cleaner.document import METADATA, Block, Document, Layout, Role
from cleaner.stages.extract.config import ExtractConfig
from cleaner.stages.extract.front_matter import FRONT_MATTER, parse_front_matter
from cleaner.stages.extract.markdown import MARKDOWN_AUTOLINK, text_blocks
from cleaner.stages.extract.page import html_blocks

NAME = "extract"

__all__ = ["NAME", "ExtractConfig", "apply", "html_blocks", "text_blocks"]

# A tag's attributes stop at the next "<": with [^>]* every unclosed "<p" scanned to the
# end of the text, quadratic in a text file of "<p<p<p…".
_HTML_TAG = re.compile(r"<(?:p|div|br|span|a|table|li|h[1-6]|body|html|img)\b[^<>]*>", re.I)


def apply(document: Document, settings: ExtractConfig) -> Document:
    text = document.text
    front_matter = FRONT_MATTER.match(text)
    if front_matter:
        document.metadata.update(parse_front_matter(front_matter.group(1)))
        document.blocks.append(
            Block(front_matter.group(0).strip(), kind=METADATA, role=Role.METADATA).with_removal(
                "extract.front-matter", NAME, "YAML front matter, kept as metadata"
            )
        )
        text = text[front_matter.end() :]
    media_type = document.media_type
    promoted = media_type != "html" and _at_least(3, _HTML_TAG.finditer(text, 0, 200_000))
    if promoted:
        media_type = "html"
        # Markdown around the HTML (a Jekyll post): keep its autolinks as text, not tags.
        text = MARKDOWN_AUTOLINK.sub(r"&lt;\1&gt;", text)
    document.media_type = media_type
    document.layout = Layout.WEB if media_type == "html" else Layout.PROSE
    if media_type == "html":
        document.blocks.extend(
            html_blocks(
                text,
                settings,
                document.metadata,
                markdown_breaks=promoted,
                reference_year=fetch_year(document.fetched),
            )
        )
    else:
        document.blocks.extend(text_blocks(text, markdown=media_type == "markdown"))
    if document.url and "url" not in document.metadata:
        document.metadata["url"] = document.url
    return document


def _at_least(count: int, matches: Iterator[re.Match[str]]) -> bool:
    return sum(1 for _ in itertools.islice(matches, count)) == count
