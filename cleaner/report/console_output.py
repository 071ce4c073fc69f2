"""Show a review: on the terminal, through a pager, or as a self-contained HTML page.

Terminal output leaves colour and width to rich, which turns colours off when stdout is not
a terminal or NO_COLOR is set and takes the width from the terminal. The HTML page is rich's
recorded output: rich escapes every character of text it exports, and the page also carries a
Content-Security-Policy that allows no script at all, so even a bug in escaping could not
run a scraped `<script>`.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from io import StringIO
from itertools import groupby
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.pager import Pager
from rich.terminal_theme import DEFAULT_TERMINAL_THEME

# Width of the HTML page in characters when none is given: wide enough for the margin
# column next to the text, narrow enough to read without scrolling on a laptop.
HTML_WIDTH = 120

# `{{`/`}}` are literal braces: rich fills the other fields with str.format. The CSP forbids
# scripts, frames, fetches and images: the page needs nothing but its own inline styles.
HTML_PAGE = """\
<!DOCTYPE html>
<html lang="und">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{{stylesheet}}
body {{{{
    color: {{foreground}};
    background-color: {{background}};
    margin: 1.5em;
}}}}
pre {{{{
    font-family: 'DejaVu Sans Mono', Menlo, Consolas, 'Noto Sans Mono CJK SC', monospace;
    line-height: 1.35;
}}}}
.wide {{{{
    letter-spacing: calc(2ch - 1em);
}}}}
</style>
</head>
<body>
<pre><code>{{code}}</code></pre>
</body>
</html>
"""
_CODE_START, _CODE_END = "<pre><code>", "</code></pre>"

__all__ = [
    "cell_len",
    "print_renderable",
    "render_html",
    "render_plain",
    "write_html",
    "write_pages",
]


class LessPager(Pager):
    """`less -R`, so the pager shows the review's colours instead of raw escape codes."""

    def show(self, content: str) -> None:
        subprocess.run(["less", "-R"], input=content, text=True, check=False)


def print_renderable(
    renderable: RenderableType,
    *,
    pager: bool = False,
    html_path: Path | None = None,
    width: int | None = None,
) -> None:
    if html_path is not None:
        write_pages(renderable, Path(html_path), width=width)
    # A reader that closes the pipe early (`cleaner report OUT | head`) is handled by rich:
    # it stops writing and exits with status 1, without a traceback.
    console = Console(width=width)
    if pager and console.is_terminal and shutil.which("less"):
        with console.pager(pager=LessPager(), styles=True):
            console.print(renderable)
    else:
        console.print(renderable)


def render_plain(renderable: RenderableType, width: int) -> str:
    """The review as plain text at `width` columns, as a pipe or NO_COLOR would show it."""
    console = Console(width=width, file=StringIO(), color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def render_html(renderable: RenderableType, *, width: int | None = None, title: str) -> str:
    """The review as one HTML page: styles embedded, no script, no external resource."""
    console = Console(
        record=True,
        file=StringIO(),
        width=width or HTML_WIDTH,
        color_system="truecolor",
        force_terminal=True,
    )
    console.print(renderable)
    page = HTML_PAGE.format(title=_format_literal(html.escape(title)))
    exported = console.export_html(
        theme=DEFAULT_TERMINAL_THEME, code_format=page, inline_styles=False
    )
    head, _, rest = exported.partition(_CODE_START)
    code, _, tail = rest.rpartition(_CODE_END)
    return head + _CODE_START + pin_wide_characters(code) + _CODE_END + tail


def pin_wide_characters(code: str) -> str:
    """Wrap runs of double-width characters so each takes exactly two columns in the page.

    rich lays out columns counting a Chinese character as two cells, as terminals do. A
    browser draws it 1em wide with whatever CJK font it finds, which is not two Latin
    monospace cells, so the margin column would drift on every line holding Chinese. The
    `.wide` class pads each such character to 2ch. Only text is touched: tags and entities
    that rich writes are ASCII, so they are never inside a wide run.
    """
    pieces = []
    for wide, run in groupby(code, key=lambda character: cell_len(character) == 2):
        text = "".join(run)
        pieces.append(f'<span class="wide">{text}</span>' if wide else text)
    return "".join(pieces)


def _format_literal(text: str) -> str:
    """Text placed into a str.format template, with its braces kept literal."""
    return text.replace("{", "{{").replace("}", "}}")


def write_pages(renderable: RenderableType, path: Path, *, width: int | None = None) -> None:
    """Write a review's HTML pages: its own layout when it has one (`html_pages`), else
    rich's recorded output in a `<pre>` (a failed input's note). Each page is written
    atomically."""
    html_pages = getattr(renderable, "html_pages", None)
    if html_pages is None:
        write_html(renderable, path, width=width)
        return
    for page_path, page in html_pages(path):
        page_path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(page_path, page)


def write_html(renderable: RenderableType, path: Path, *, width: int | None = None) -> None:
    """Write rich's HTML export of `renderable` atomically."""
    page = render_html(renderable, width=width, title=f"cleaner review · {path.stem}")
    write_text_atomically(path, page)


def write_text_atomically(path: Path, page: str) -> None:
    """A reader sees the old page or the new one, never half of one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); a report is meant to be shared like any page.
        os.fchmod(handle, 0o644)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(page)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
