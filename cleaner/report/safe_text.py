"""Make scraped text safe to show in a terminal or an HTML page.

Scraped pages are hostile input for a reviewer's terminal: an ANSI escape sequence in a
paragraph can recolour, clear or retitle the terminal, a carriage return can overwrite what
the margin says, and bidirectional overrides can make a rule id read differently from what it
is ("Trojan Source"). Every string that comes from a page or a run's output files goes through
`display_text` before rendering; it returns a `rich.text.Text`, so the text is never parsed
as rich markup either (``[red]`` in a page stays literal).
"""

from __future__ import annotations

import re

from rich.style import Style
from rich.text import Text

# An OSC without its terminator is not swallowed to the end of the text (that would hide
# page text from the reviewer); its ESC goes with the other control characters below.
# Whole escape sequences first, so their parameters ("[31m") do not survive as visible junk:
# CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ESC \), and the short ESC sequences.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: window title, hyperlinks, clipboard
    r"|\x1b[ -/]*[0-~]"  # other escapes: charset picks, RIS reset (tried after CSI, OSC)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)

# Line breaks a terminal would honour differently from a newline: a lone CR returns to the
# start of the line and lets later text overwrite earlier text.
_CARRIAGE_RETURNS = re.compile(r"\r\n?")

# Remaining control characters: C0 except tab and newline, DEL, C1 (0x80-0x9f), and the
# Unicode bidi embedding/override/isolate controls. Zero-width joiners stay: emoji and
# several scripts need them.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_control(text: str) -> str:
    """Remove escape sequences and control characters; keep tabs and newlines.

    >>> strip_control("a\\x1b[31mred\\x1b[0m\\r\\nb\\x07")
    'ared\\nb'
    """
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _CARRIAGE_RETURNS.sub("\n", text)
    return _CONTROL_CHARACTERS.sub("", text)


def display_text(value: object, style: str | Style = "") -> Text:
    """Scraped or recorded value -> a Text that is shown literally (no markup, no escapes).

    The style is a span over the characters, not the Text's base style: a base style would
    also cover the padding a table adds, drawing strike-through lines across empty cells.
    """
    text = Text()
    if value is not None:
        text.append(strip_control(str(value)), style=style)
    return text


def one_line(value: object, limit: int = 0) -> str:
    """A value squeezed onto one line (titles, sources in tables), cut to `limit` characters."""
    text = " ".join(strip_control("" if value is None else str(value)).split())
    if limit and len(text) > limit:
        return text[: max(limit - 1, 0)] + "…"
    return text
