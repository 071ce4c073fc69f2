"""The content stream reader gives the operators and operands pdfminer's tokenizer gives,
and leaves what it does not read plainly to it."""

from __future__ import annotations

import pytest

from cleaner.stages.pdf.content_stream import Name, UnusualContent, operations

# Every shape of token the reader takes: integers and reals with signs, names, strings
# plain, nested and with each listed escape (octal of one to three digits, a line
# continuation), hexadecimal strings with white space inside, arrays in arrays, a
# dictionary of marked content, comments, booleans, operators with `*`, `'` and `"`.
STREAM = (
    b"q 1 0 0 1 -72.5 +.25 cm /GS0 gs % a comment (not a string\n"
    b"BT /F1 12 Tf 14.4 TL 0 Tr 3 Tz -.5 Ts T* 5. 0 Td\n"
    b"(plain) Tj (with (nested) parens) Tj (esc \\n\\r\\t\\b\\f\\(\\)\\\\ \\1\\12\\101x) Tj\n"
    b"(continued \\\nline) ' 1 2 (quoted) \" <48 65 6c6C6f> Tj <> Tj\n"
    b"[(A) -120.5 <4142> [1 2] (B)] TJ /Span <</MCID 3 /Lang (en) /Alt <41>>> BDC EMC\n"
    b"true false /Flag BMC EMC ET Q"
)


def _pdfminer_operations(data: bytes) -> list[tuple[list, str]]:
    from pdfminer.pdfinterp import PDFContentParser
    from pdfminer.pdftypes import PDFStream
    from pdfminer.psparser import PSEOF, PSKeyword, keyword_name

    parser = PDFContentParser([PDFStream({}, data)])
    found, operands = [], []
    while True:
        try:
            _, value = parser.nextobject()
        except PSEOF:
            return found
        if isinstance(value, PSKeyword):
            found.append((operands, keyword_name(value)))
            operands = []
        else:
            operands.append(value)


def _comparable(value):
    """pdfminer's names are its literals, ours `Name`; both become ('name', text)."""
    from pdfminer.psparser import PSLiteral

    if isinstance(value, (Name, PSLiteral)):
        return ("name", str(value.name) if isinstance(value, PSLiteral) else str(value))
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _comparable(item) for key, item in value.items()}
    return (type(value).__name__, value)


def test_operations_are_the_ones_pdfminer_reads():
    ours = [(_comparable(operands), operator) for operands, operator in operations(STREAM)]
    theirs = [
        (_comparable(operands), operator) for operands, operator in _pdfminer_operations(STREAM)
    ]
    assert ours == theirs
    assert len(ours) == 25


def test_escapes_and_nesting_give_the_bytes_of_the_string():
    strings = [operands[0] for operands, operator in operations(STREAM) if operator == "Tj"]
    assert strings[:3] == [
        b"plain",
        b"with (nested) parens",
        b"esc \n\r\t\b\f()\\ \x01\x0aAx",
    ]
    assert strings[3:] == [b"Hello", b""]


@pytest.mark.parametrize(
    "stream",
    [
        pytest.param(b"BI /W 1 /H 1 /BPC 8 /CS /G ID \xff EI", id="inline image"),
        pytest.param(b"/F#31 12 Tf", id="name with an escape"),
        pytest.param(b"(a\\qb) Tj", id="escape the standard does not list"),
        pytest.param(b"(\\777) Tj", id="octal code over 255"),
        pytest.param(b"<414> Tj", id="odd hexadecimal string"),
        pytest.param(b"[(a) Tj", id="array not closed"),
        pytest.param(b"(a) ] Tj", id="array closed twice"),
        pytest.param(b"<</A>> BDC", id="dictionary without a value"),
        pytest.param(b"{ 1 } Tj", id="PostScript procedure"),
        pytest.param(b"(never closed Tj", id="string not closed"),
    ],
)
def test_syntax_outside_the_plain_shapes_is_left_to_pdfminer(stream):
    with pytest.raises(UnusualContent):
        operations(stream)
