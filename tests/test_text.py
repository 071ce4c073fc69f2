"""The shared text shapes: the fast definitions equal the per-character ones."""

from __future__ import annotations

import doctest

from hypothesis import given, settings
from hypothesis import strategies as st

import cleaner.text
from cleaner.text import (
    ALPHABETIC_LETTER,
    CJK_CHARACTER,
    display_width,
    is_mostly_latin,
    join_wrapped,
)


# Character-by-character definitions of the measures, which cleaner.text computes in C.
def _width_by_character(text: str) -> float:
    return sum(1.0 if CJK_CHARACTER.match(char) else 0.5 for char in text if not char.isspace())


def _latin_letters_by_character(text: str) -> int:
    return sum(1 for char in text if char.isalpha() and ord(char) < 0x2000)


_MIXED_TEXT = st.text(
    alphabet=st.sampled_from(
        "aZé Ωж１²\t\n\u3000\u00a0中文，。！ー\uff01\u2e80\u9fff\u1fff\u2000ǅ"
    ),
    max_size=30,
)


@given(_MIXED_TEXT)
@settings(max_examples=300, deadline=None)
def test_display_width_counts_wide_and_narrow_characters(text) -> None:
    assert display_width(text) == _width_by_character(text)


@given(_MIXED_TEXT)
@settings(max_examples=300, deadline=None)
def test_mostly_latin_compares_letters_with_cjk_characters(text) -> None:
    expected = _latin_letters_by_character(text) > len(CJK_CHARACTER.findall(text))
    assert is_mostly_latin(text) == expected


@given(st.text(max_size=40), st.text(min_size=1, max_size=40))
def test_joining_a_wrapped_line_loses_no_letter(head, tail) -> None:
    joined = join_wrapped(head, tail)
    assert "".join(joined.split()).replace("-", "") == "".join((head + tail).split()).replace(
        "-", ""
    )


def test_letter_class_holds_every_letter_below_u2000_and_nothing_else() -> None:
    below = "".join(map(chr, range(0x2000)))
    assert len(ALPHABETIC_LETTER.findall(below)) == _latin_letters_by_character(below)
    assert ALPHABETIC_LETTER.findall("中文，\u3000１2_") == []


def test_docstring_examples() -> None:
    assert doctest.testmod(cleaner.text).failed == 0
