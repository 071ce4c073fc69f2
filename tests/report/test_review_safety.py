"""Scraped text must not control the reviewer's terminal or be read as rich markup."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, RenderableType

from cleaner.report.review import document_review
from cleaner.report.safe_text import display_text, one_line, strip_control

STRIP_CASES = [
    # (label, scraped text, what must be shown)
    ("csi colour", "a\x1b[31mred\x1b[0m b", "ared b"),
    ("screen clear and cursor home", "\x1b[2J\x1b[Htext", "text"),
    ("osc window title ended by BEL", "x\x1b]0;owned\x07y", "xy"),
    ("osc hyperlink ended by ST", "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"),
    ("unterminated osc keeps the text after it", "a\x1b]0;title and text", "a0;title and text"),
    ("two-byte escape (reset terminal)", "a\x1bcb", "ab"),
    ("8-bit CSI", "a\x9b31mb", "ab"),
    ("carriage return overwrite", "safe\rEVIL", "safe\nEVIL"),
    ("CRLF becomes one newline", "one\r\ntwo", "one\ntwo"),
    ("NUL, bell, backspace, DEL", "a\x00b\x07c\x08d\x7f", "abcd"),
    ("bidi override", "spam.\u202eda\u202c", "spam.da"),
    ("bidi isolate", "\u2067x\u2069", "x"),
]

KEEP_CASES = [
    # Text that must come through unchanged: real page content is full of these.
    ("chinese", "海尔生物入选青岛市生物医药产业链链主企业"),
    ("traditional with full-width punctuation", "臺北市議會今日召開定期大會，審議預算。"),
    ("tab and newline", "col1\tcol2\nline2"),
    ("emoji with zero-width joiner", "family 👨\u200d👩\u200d👧"),
    ("brackets that look like markup", "[bold red]not markup[/]"),
    ("html", "<script>alert(1)</script>"),
]


@pytest.mark.parametrize(
    ("label", "scraped", "shown"), STRIP_CASES, ids=[c[0] for c in STRIP_CASES]
)
def test_control_sequences_are_stripped(label: str, scraped: str, shown: str) -> None:
    assert strip_control(scraped) == shown


@pytest.mark.parametrize(("label", "text"), KEEP_CASES, ids=[c[0] for c in KEEP_CASES])
def test_ordinary_text_is_kept_as_is(label: str, text: str) -> None:
    assert strip_control(text) == text
    assert display_text(text).plain == text


@given(st.text())
def test_no_control_character_survives_and_stripping_is_idempotent(text: str) -> None:
    cleaned = strip_control(text)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", cleaned)
    assert strip_control(cleaned) == cleaned


def test_crafted_unterminated_sequences_are_stripped_and_their_text_kept() -> None:
    """Many unterminated sequences (issue 9); how long this takes is measured by
    `python -m cleaner.bench.hostile`, not here."""
    crafted = ("\x1b]" + "x" * 50 + "\x1b[" + "1;" * 50) * 2_000
    cleaned = strip_control(crafted)
    assert "\x1b" not in cleaned
    assert cleaned.count("x") >= 50 * 2_000 - 50


def test_one_line_squeezes_whitespace_and_cuts_long_values() -> None:
    assert one_line("  a\n\tb \x1b[1m c ") == "a b c"
    assert one_line("x" * 50, 10) == "x" * 9 + "…"
    assert one_line(None) == ""


EVIL_VIEW = {
    "source": "evil/\x1b]0;title\x07page.html",
    "media_type": "html",
    "encoding": "utf-8\x1b[5m",
    "encoding_confidence": 1.0,
    "encoding_source": "utf8",
    "metadata": {"title": "[link=file:///etc/passwd]click[/link]"},
    "articles": [{"id": "x", "part": 0, "title": "T\x1b[8mhidden", "cluster": None}],
    "blocks": [
        {
            "text": "<script>alert(1)</script> \x1b[31mred",
            "kind": "paragraph",
            "article": 0,
            "rule": None,
            "stage": None,
            "detail": None,
        },
        {
            "text": "buy [bold]now[/bold] :smile:",
            "kind": "paragraph",
            "article": 0,
            "rule": "spam.ad\x1b[2J",
            "stage": "spam",
            "detail": "\x1b[31mevidence",
        },
    ],
}


def render_in_colour(renderable: RenderableType) -> str:
    console = Console(width=100, file=StringIO(), color_system="truecolor", force_terminal=True)
    console.print(renderable)
    return console.file.getvalue()


def test_colour_output_holds_only_rich_own_colour_codes() -> None:
    """With colours on, every escape sequence left is an SGR code that rich wrote itself."""
    output = render_in_colour(document_review(EVIL_VIEW))
    assert "\x07" not in output and "\x1b]" not in output
    assert all(
        re.fullmatch(r"\x1b\[[0-9;]*m", code) for code in re.findall(r"\x1b\[[^a-zA-Z]*.", output)
    )
    assert "[31m" not in re.sub(r"\x1b\[[0-9;]*m", "", output)  # not left as visible junk
    assert "<script>alert(1)</script> red" in re.sub(r"\x1b\[[0-9;]*m", "", output)


def test_scraped_text_is_never_read_as_markup_or_emoji_codes() -> None:
    console = Console(width=100, file=StringIO(), color_system=None)
    console.print(document_review(EVIL_VIEW))
    text = console.file.getvalue()
    assert "buy [bold]now[/bold] :smile:" in text
    assert "[link=file:///etc/passwd]click[/link]" in text
    assert "Thidden" in text and "spam.ad" in text and "evidence" in text


def test_the_escape_case_fails_without_stripping() -> None:
    """Control: rich alone would pass the scraped escape through; stripping is what stops it."""
    console = Console(width=100, file=StringIO(), color_system="truecolor", force_terminal=True)
    from rich.text import Text

    console.print(Text("\x1b[31mred"))
    assert "\x1b[31mred" in console.file.getvalue()


hostile_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Z", "Cc", "Cf")),
    max_size=80,
)
views = st.fixed_dictionaries(
    {
        "source": hostile_text,
        "encoding": st.none() | hostile_text,
        "encoding_source": st.none() | hostile_text,
        "encoding_confidence": st.none() | st.floats(allow_nan=True),
        "metadata": st.dictionaries(hostile_text, hostile_text, max_size=3),
        "articles": st.lists(
            st.fixed_dictionaries(
                {"id": hostile_text, "title": st.none() | hostile_text},
                optional={"cluster": st.none() | hostile_text, "similarity": st.floats()},
            ),
            max_size=3,
        ),
        "blocks": st.lists(
            st.fixed_dictionaries(
                {"text": hostile_text, "article": st.none() | st.integers(-2, 4)},
                optional={"rule": st.none() | hostile_text, "detail": st.none() | hostile_text},
            ),
            max_size=6,
        ),
    }
)


@settings(max_examples=60, deadline=None)
@given(views, st.booleans(), st.none() | hostile_text)
def test_any_view_renders_without_control_characters(
    view: dict, removed_only: bool, rule: str | None
) -> None:
    console = Console(width=60, file=StringIO(), color_system=None)
    console.print(document_review(view, removed_only=removed_only, rule=rule))
    assert not re.search(
        "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", console.file.getvalue()
    )
