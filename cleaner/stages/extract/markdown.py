"""Markdown and plain text: one block per blank-line separated paragraph."""

from __future__ import annotations

import re

from cleaner.document import HEADING, Block
from cleaner.text import join_lines

NAME = "extract"

# ---------------------------------------------------------------- Markdown / text

# Link text holds no bracket and a target no parenthesis: each attempt then stops at the
# next bracket, so a page of ten thousand "[" cannot make the engine backtrack for minutes.
_MARKDOWN_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^()]*\)")
MARKDOWN_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
MARKDOWN_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")


def text_blocks(text: str, markdown: bool = True) -> list[Block]:
    """Split plain or Markdown text into one block per blank-line separated paragraph."""
    blocks: list[Block] = []
    for chunk in PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = chunk.split("\n")
        if not any(line.strip() for line in lines):
            continue
        heading = _MARKDOWN_HEADING.match(lines[0].strip()) if markdown or "#" in chunk else None
        if heading and len(lines) == 1:
            blocks.append(Block(heading.group(2), kind=HEADING, tag=f"h{len(heading.group(1))}"))
            continue
        paragraph = join_lines(lines)
        only_images = _MARKDOWN_IMAGE.sub("", paragraph).strip() == ""
        paragraph = _MARKDOWN_IMAGE.sub(r"\1", paragraph)
        link_text = "".join(match.group(1) for match in MARKDOWN_LINK.finditer(paragraph))
        paragraph = MARKDOWN_LINK.sub(r"\1", paragraph)
        paragraph = MARKDOWN_AUTOLINK.sub(r"\1", paragraph)
        block = Block(paragraph, link_chars=len(link_text))
        if only_images:
            block.remove("extract.image", NAME, "a Markdown image with no text around it")
        blocks.append(block)
    return blocks
