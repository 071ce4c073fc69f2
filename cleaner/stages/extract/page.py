"""An HTML page read into blocks: parse, walk, choose the main region, mark chrome, collect
metadata. A page libxml2 returns nothing for is read by BeautifulSoup instead."""

from __future__ import annotations

from cleaner.document import Block, DocumentError
from cleaner.stages.extract.chrome import mark_chrome
from cleaner.stages.extract.config import ExtractConfig
from cleaner.stages.extract.markdown import text_blocks
from cleaner.stages.extract.metadata import collect_metadata
from cleaner.stages.extract.region import UnlikelyRegions, choose_region, page_totals
from cleaner.stages.extract.walk import SKIP_TAGS, flatten_markup, parse_html, walk_blocks


def html_blocks(
    markup: str,
    settings: ExtractConfig | None = None,
    metadata: dict[str, str] | None = None,
    markdown_breaks: bool = False,
    reference_year: int | None = None,
) -> list[Block]:
    """Walk an HTML page once and return its visible text as blocks, chrome marked.

    `markdown_breaks`: the HTML sits in a Markdown file, so a blank line between loose
    text is a paragraph break and ``[text](url)`` is a link.
    """
    settings = settings or ExtractConfig()
    root = parse_html(markup)
    if root is None:
        return lenient_blocks(markup, metadata)
    try:
        pieces = walk_blocks(root, markdown_breaks)
    except DocumentError as error:
        if error.kind != "too_deep":
            raise
        # libxml2 dropped what nests deeper than it keeps: read the page again without its
        # wrapper tags. Still too deep (nesting made of the tags kept) stays an error.
        root = parse_html(flatten_markup(markup))
        if root is None:
            return []
        pieces = walk_blocks(root, markdown_breaks)
    unlikely = UnlikelyRegions()
    totals = page_totals(pieces, settings)
    region = choose_region(pieces, settings, unlikely, totals) if settings.main_region else None
    mark_chrome(pieces, region, settings, unlikely, totals)
    if metadata is not None:
        collect_metadata(root, pieces, metadata, settings, reference_year)
    return [piece.block for piece in pieces]


def lenient_blocks(markup: str, metadata: dict[str, str] | None = None) -> list[Block]:
    """Text of markup that libxml2 gives up on (a bare CDATA section, a truncated tag).

    BeautifulSoup's pure-Python parser recovers what libxml2 drops; it is slow, so it
    runs only for the rare page that libxml2 returns nothing for.
    """
    import warnings

    from bs4 import BeautifulSoup

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(markup, "html.parser")
    for element in soup(sorted(SKIP_TAGS)):
        element.decompose()
    blocks = text_blocks(soup.get_text("\n\n"), markdown=False)
    if blocks and metadata is not None:
        metadata["html_parser"] = "libxml2 found no document; read by BeautifulSoup html.parser"
    return blocks
