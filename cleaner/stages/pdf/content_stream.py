"""A page's content stream as its operators with their operands, read by regular expressions.

The second reading of a page (`unread_text`) needs every text operator of the page to follow
the text position, and pdfminer.six's own tokenizer reads a stream one token at a time
through a chain of Python methods: on the bench's newspaper pages that was most of the
65 ms the second reading cost. Here one compiled pattern finds each token, and Python only
builds the values. The plain shapes of the PDF syntax are read (numbers, names, literal and
hexadecimal strings, arrays, dictionaries, operators, comments); anything outside them
(an inline image, a PostScript procedure, a name with `#` escapes, a string escape the
standard does not list, a hexadecimal string of odd length, an unbalanced bracket) raises
`UnusualContent`, and the caller reads that stream with pdfminer's tokenizer as before.
No pdfminer here: values are Python's own, names are `Name`.
"""

from __future__ import annotations

import re

# What a number, name or operator ends at (PDF 32000-1, 7.2.2: white space and delimiters;
# `#` too, as pdfminer does, since it can only start a name's escape).
_REGULAR = rb"[^\s#/%\[\]()<>{}]"

_TOKEN = re.compile(
    rb"(?P<space>\s+|%[^\r\n]*)"
    rb"|(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))"
    rb"|(?P<operator>(?:[A-Za-z'\"]" + _REGULAR + rb"*))"
    rb"|(?P<name>/" + _REGULAR + rb"*)"
    # A string without escapes or inner parentheses, the usual case, in one match, and one
    # with the standard's escapes but no inner parentheses (text of a two-byte font).
    rb"|(?P<plain_string>\([^()\\]*\))"
    rb"|(?P<escaped_string>\((?:[^()\\]|\\(?:[0-7]{1,3}|[nrtbf()\\\n]|\r\n?))*\))"
    rb"|(?P<string>\()"
    rb"|(?P<dictionary_open><<)|(?P<dictionary_close>>>)"
    rb"|(?P<hex_string><[0-9A-Fa-f\s]*>)"
    rb"|(?P<array_open>\[)|(?P<array_close>\])"
    rb"|(?P<other>.)",
    re.DOTALL,
)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|.)", re.DOTALL)
_STRING_PART = re.compile(rb"[^()\\]+|\\(?:[0-7]{1,3}|\r\n|.)|[()]", re.DOTALL)
# What each escape the standard lists stands for (PDF 32000-1, 7.3.4.2), by what follows
# the backslash: one to three octal digits give a byte; a backslash at a line's end
# continues the string on the next line.
_ESCAPES = {
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"b": b"\b",
    b"f": b"\f",
    b"(": b"(",
    b")": b")",
    b"\\": b"\\",
    b"\n": b"",
    b"\r": b"",
    b"\r\n": b"",
} | {
    f"{code:0{digits}o}".encode(): bytes((code,))
    for digits in (1, 2, 3)
    for code in range(min(8**digits, 256))
}
_WHITE = re.compile(rb"\s+")


class UnusualContent(Exception):
    """A stream with syntax this reader leaves to pdfminer's tokenizer."""


class Name(str):
    """A PDF name (`/F1` is `Name("F1")`)."""


Operation = tuple[list[object], str]


def operations(data: bytes) -> list[Operation]:
    """Each operator of the stream with the operands written before it.

    >>> operations(b"/F1 12 Tf 72.5 700 Td (Hi \\\\(you\\\\)) Tj [(A) -120 <4142>] TJ")
    [(['F1', 12], 'Tf'), ([72.5, 700], 'Td'), ([b'Hi (you)'], 'Tj'), ([[b'A', -120, b'AB']], 'TJ')]
    """
    found: list[Operation] = []
    operands: list[object] = []
    # Open arrays and dictionaries, innermost last: (kind, the operands outside it).
    open_containers: list[tuple[str, list[object]]] = []
    position, end = 0, len(data)
    while position < end:
        match = _TOKEN.match(data, position)
        kind, token, position = match.lastgroup, match.group(), match.end()
        if kind == "space":
            continue
        if kind == "number":
            operands.append(float(token) if b"." in token else int(token))
        elif kind == "operator":
            operator = token.decode("latin-1")
            if operator in ("true", "false"):
                operands.append(operator == "true")
                continue
            # An inline image's data is binary and ends only where its EI is found.
            if open_containers or operator == "BI":
                raise UnusualContent(f"operator {operator} at {match.start()}")
            found.append((operands, operator))
            operands = []
        elif kind == "name":
            operands.append(_name(token, data, position))
        elif kind == "plain_string":
            operands.append(token[1:-1])
        elif kind == "escaped_string":
            operands.append(_unescaped(token[1:-1]))
        elif kind == "string":
            value, position = _literal_string(data, position)
            operands.append(value)
        elif kind == "hex_string":
            operands.append(_hex_string(token))
        elif kind in ("array_open", "dictionary_open"):
            open_containers.append((kind, operands))
            operands = []
        elif kind in ("array_close", "dictionary_close"):
            operands = _closed(kind, open_containers, operands)
        else:
            raise UnusualContent(f"{token!r} at {match.start()}")
    if open_containers:
        raise UnusualContent("an array or dictionary is not closed")
    return found


def _name(token: bytes, data: bytes, position: int) -> Name:
    if data[position : position + 1] == b"#":
        raise UnusualContent("a name with # escapes")
    try:
        return Name(token[1:].decode("utf-8"))
    except UnicodeDecodeError as error:
        raise UnusualContent("a name that is not UTF-8") from error


def _literal_string(data: bytes, position: int) -> tuple[bytes, int]:
    """The string opened just before `position`, and where it ends: parentheses nest,
    escapes are read as the standard lists them (PDF 32000-1, 7.3.4.2)."""
    depth, parts = 1, []
    while True:
        match = _STRING_PART.match(data, position)
        if match is None:
            raise UnusualContent("a string is not closed")
        piece, position = match.group(), match.end()
        if piece == b"(":
            depth += 1
        elif piece == b")":
            depth -= 1
            if depth == 0:
                return b"".join(parts), position
        elif piece[:1] == b"\\":
            piece = _unescaped(piece)
        parts.append(piece)


def _unescaped(body: bytes) -> bytes:
    try:
        return _ESCAPE.sub(lambda escape: _ESCAPES[escape.group(1)], body)
    except KeyError as error:
        # Readers differ on what an unlisted escape (or an octal code over 255) means;
        # pdfminer's reading is kept.
        raise UnusualContent(f"string escape {error}") from error


def _hex_string(token: bytes) -> bytes:
    digits = _WHITE.sub(b"", token[1:-1])
    if len(digits) % 2:
        raise UnusualContent("a hexadecimal string of odd length")
    return bytes.fromhex(digits.decode("ascii"))


def _closed(
    kind: str, open_containers: list[tuple[str, list[object]]], inside: list[object]
) -> list[object]:
    """The operands outside the container that `kind` closes, with the container added."""
    opened = "array_open" if kind == "array_close" else "dictionary_open"
    if not open_containers or open_containers[-1][0] != opened:
        raise UnusualContent(f"unbalanced {kind}")
    _, outside = open_containers.pop()
    if kind == "array_close":
        outside.append(inside)
        return outside
    if len(inside) % 2 or not all(isinstance(key, Name) for key in inside[::2]):
        raise UnusualContent("a dictionary whose keys are not names")
    outside.append(dict(zip(inside[::2], inside[1::2], strict=True)))
    return outside
