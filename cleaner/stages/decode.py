"""Decode stage: bytes -> text, recording which encoding was used and how it was decided.

The decision runs from the cheapest, surest evidence to the most expensive guess:

1. a byte-order mark (``bom``);
2. strict UTF-8, unless NUL bytes or 7-bit ISO-2022/HZ escapes say otherwise (``utf8``);
   a page that is mostly UTF-8 with a paragraph in a legacy encoding is decoded span by
   span instead of being turned into mojibake (``detector``, encoding ``utf-8+gb18030``);
3. a charset declared by the HTTP headers or inside the page (``declared``), used only when
   the bytes decode cleanly under it; chardet gets a say when a clean decode proves
   little (a single-byte charset over CJK-looking bytes, gb2312 over bytes Big5 fits);
4. chardet on a bounded sample (``detector``);
5. decoding with replacement characters (``fallback``, low confidence).

Encoding names are read the WHATWG way (``gb2312`` -> gb18030, ``big5`` -> big5hkscs,
``latin1`` -> cp1252 ...), because pages labelled with the narrow name routinely use
characters of the wider one. Files that are not text (images, archives, mostly control
bytes) and empty files become a `DocumentError`; nothing else is ever raised.
"""

from __future__ import annotations

import codecs
import dataclasses
import functools
import re

from cleaner.document import Document, DocumentError, EncodingGuess
from cleaner.rules.binary import binary_signature

NAME = "decode"


@dataclasses.dataclass(frozen=True)
class DecodeConfig:
    # Share of decoded characters that are control characters (other than tab, newline,
    # CR, FF, VT, ESC) or U+FFFD replacement characters above which a file is treated as
    # binary. 1% tolerates a stray NUL in a scraped page; images and archives exceed it.
    max_control_ratio: float = 0.01
    # Bytes at the start of a page searched for <meta charset> and <?xml encoding>.
    # WHATWG prescans 1024 bytes, but Chinese news pages in the bench put the meta after
    # long comments and scripts (the latest at byte 5,932); 8 KiB covers them all.
    declared_scan_bytes: int = 8192
    # Bytes handed to chardet (lines holding non-ASCII bytes, see `detector_sample`). The
    # encoding bench scores the same with 4 KiB, 64 KiB or whole files; the answer is
    # checked against the whole file afterwards (a failure reruns chardet on everything).
    detector_sample_bytes: int = 65536
    # A file that is not valid UTF-8 is decoded span by span (UTF-8 + a legacy encoding)
    # when at least this share of its non-ASCII bytes is surely UTF-8 (see `utf8_share`).
    # Legacy files reach at most 0.09 on the bench (IBM866 Cyrillic, whose letters often
    # look like UTF-8); a UTF-8 page with a GBK or cp1252 paragraph as long as its UTF-8
    # text scores 0.67-0.69. 0.4 keeps a wide margin on both sides and lets the cheap
    # bound (`utf8_share_at_most`, 0.30-0.36 on GBK pages) skip the scan of GBK pages.
    mixed_min_utf8_share: float = 0.4
    # chardet confidence needed to name the legacy encoding of those spans. They are
    # short, and chardet's answers on short GBK text score below 0.1 (KOI8-U, cp855).
    mixed_detector_min_confidence: float = 0.5
    # Bytes (from the first non-ASCII one) measured for that share: the byte-pattern scan
    # costs ~0.2 s per MB, and 1 MiB is far more than any page's head and first article.
    mixed_sample_bytes: int = 1 << 20
    # Non-ASCII bytes from which a declared single-byte charset (latin1, cp1251 ...) is
    # checked for mojibake: old Chinese sites often declare iso-8859-1 over GBK bytes,
    # which cp1252 decodes "cleanly". Pages with a few curly quotes are not checked.
    single_byte_check_min_bytes: int = 64
    # Share of accented Latin letters forming all-accented words ("Ïðèâåò") from which a
    # single-byte declaration reads as mojibake and chardet is asked. True single-byte
    # texts of the bench score at most 0.03; cp1252 readings of Cyrillic, Greek or CJK
    # bytes score 0.3 or more in 485 of 704 cases (the CJK check catches most others).
    mojibake_min_share: float = 0.3
    # Mixed files: a line of a legacy span whose decoding is made of fewer common
    # characters (see `common_share`) than this is tried with the other multi-byte codecs
    # (a Big5 paragraph in a file whose legacy spans read as gb18030), and the reading
    # with the most common characters wins. A file where some line has no reading above
    # this is reported as `fallback`. `python -m cleaner.bench.mixed_lines` on its tuning
    # part: 0.7 / 0.8 / 0.9 read 81.1 / 81.6 / 82.4% of (line, file codec) pairs right
    # and call 0.6 / 1.0 / 2.3% of right readings `fallback`; 0.8 balances the two.
    mixed_line_min_common_share: float = 0.8


# --- encoding names -------------------------------------------------------------------

# WHATWG Encoding Standard labels, grouped by the Python codec that decodes them. The
# narrow legacy names decode as their Windows/extended supersets, as browsers do.
_LABELS_BY_CODEC: dict[str, str] = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "cp1252": (
        "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 "
        "iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 "
        "x-cp1252 latin-1 iso8859_1"
    ),
    "gb18030": (
        "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk "
        "gb18030 cp936 euc-cn ms936 windows-936"
    ),
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5 big5hkscs cp950 ms950",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis cp932",
    "euc_jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso2022_jp": "csiso2022jp iso-2022-jp",
    "cp949": (
        "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 "
        "ksc5601 ksc_5601 windows-949 cp949 uhc"
    ),
    # WHATWG maps ISO-2022-KR and HZ to "replacement" to stop script injection in
    # browsers; we only read text, so decoding them properly is the useful choice.
    "iso2022_kr": "csiso2022kr iso-2022-kr",
    "hz": "hz-gb-2312 hz",
    "utf-16-le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
    "utf-16-be": "unicodefffe utf-16be",
    "cp866": "866 cp866 csibm866 ibm866",
    "iso8859-2": (
        "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2"
    ),
    "iso8859-3": (
        "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3"
    ),
    "iso8859-4": (
        "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4"
    ),
    "iso8859-5": (
        "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 "
        "iso_8859-5:1988"
    ),
    "iso8859-6": (
        "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 "
        "iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 "
        "iso_8859-6:1987"
    ),
    "iso8859-7": (
        "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 "
        "iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek"
    ),
    "iso8859-8": (
        "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 "
        "iso88598 iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical"
    ),
    "iso8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "mac-roman": "csmacintosh mac macintosh x-mac-roman macroman",
    "mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian maccyrillic",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874 cp874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": (
        "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 "
        "iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254"
    ),
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
}

CODEC_BY_LABEL: dict[str, str] = {
    label: codec for codec, labels in _LABELS_BY_CODEC.items() for label in labels.split()
}

# Codecs whose characters span several bytes: a clean decode under one of them is strong
# evidence. Under a single-byte codec almost any bytes decode "cleanly".
MULTI_BYTE_CODECS = frozenset(
    [
        "utf-8",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "utf-32",
        "utf-32-le",
        "utf-32-be",
        "gb18030",
        "big5hkscs",
        "shift_jis",
        "cp932",
        "shift_jis_2004",
        "euc_jp",
        "euc_jis_2004",
        "iso2022_jp",
        "iso2022_jp_2",
        "cp949",
        "johab",
        "iso2022_kr",
        "hz",
    ]
)


def codec_for_label(label: str) -> str | None:
    """The Python codec that decodes an encoding label, or None if the label is unknown.

    >>> codec_for_label(' GB2312 '), codec_for_label('Latin1'), codec_for_label('base64')
    ('gb18030', 'cp1252', None)
    """
    name = label.strip().strip("\"'").lower()
    if name in CODEC_BY_LABEL:
        return CODEC_BY_LABEL[name]
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    # Python also knows bytes-to-bytes "codecs" (base64, zlib, rot13): never text.
    if not getattr(info, "_is_text_encoding", True):
        return None
    return CODEC_BY_LABEL.get(info.name, info.name)


def decodes_cleanly(raw: bytes, codec: str) -> str | None:
    """`raw` decoded strictly under `codec`, or None when any byte does not fit."""
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


# A narrower codec tried before a WHATWG superset whose mapping differs, not just
# extends: WHATWG's Shift_JIS decodes JIS X 0208 like Python's shift_jis (0x817C -> U+2212
# MINUS SIGN, 0x8160 -> U+301C WAVE DASH), cp932 maps those to fullwidth forms. cp932 is
# kept for pages using its NEC/IBM extension characters, which shift_jis rejects.
_NARROWER_FIRST: dict[str, str] = {"cp932": "shift_jis"}


def decode_strictly(raw: bytes, codec: str) -> tuple[str, str] | None:
    """(text, codec used) for `raw` under `codec` or the narrower codec tried first."""
    for candidate in (_NARROWER_FIRST.get(codec), codec):
        text = decodes_cleanly(raw, candidate) if candidate else None
        if text is not None:
            return text, candidate
    return None


# --- binary files: signatures in cleaner.rules.binary ------------------------------


# Characters that do not occur in text: C0 controls other than tab, LF, VT, FF, CR and
# ESC (ANSI colours in logs), DEL, C1 controls, and U+FFFD left by undecodable bytes.
# They are counted on the UTF-8 bytes, in C: the ASCII ones by `bytes.translate`, the C1
# ones (0xC2 0x80-0x9F) by a pattern led by a literal byte, U+FFFD by `bytes.count`. A
# character-class regex over the text took twice as long (0.12 s over the bench pages).
_ASCII_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_C1_CONTROL_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_REPLACEMENT_UTF8 = "\ufffd".encode()


def not_text_share(text: str) -> float:
    """Share of the characters of `text` that are control or replacement characters."""
    if not text:
        return 0.0
    encoded = text.encode("utf-8", "surrogatepass")  # lone surrogates are no controls
    count = len(encoded) - len(encoded.translate(None, _ASCII_CONTROL_BYTES))
    if b"\xc2" in encoded:
        count += len(_C1_CONTROL_UTF8.findall(encoded))
    count += encoded.count(_REPLACEMENT_UTF8)
    return count / len(text)


# --- the steps, from surest to weakest ------------------------------------------------

_UTF8_BOM = b"\xef\xbb\xbf"
_BYTE_ORDER_MARKS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian mark starts with the UTF-16 one.
    (_UTF8_BOM, "utf-8"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


def decode_by_bom(raw: bytes) -> tuple[str, EncodingGuess] | None:
    """Text after a byte-order mark; the mark wins even over damaged bytes (as in browsers),
    except that a UTF-8 file with invalid bytes goes on to the mixed-file step."""
    for mark, codec in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            body = raw[len(mark) :]
            text = decodes_cleanly(body, codec)
            if text is not None:
                return text, EncodingGuess(codec, 1.0, "bom")
            if codec == "utf-8":
                return None
            return body.decode(codec, errors="replace"), EncodingGuess(codec, 0.1, "fallback")
    return None


# ISO-2022 designator escapes (ESC $ ..., ESC ( ..., ESC ) ...) and HZ shift sequences:
# 7-bit encodings of CJK text that are also valid ASCII, so valid UTF-8.
_SEVEN_BIT_ESCAPE = re.compile(rb"\x1b[$()]|~\{[\x21-\x7e]{2}")


def looks_like_utf8(raw: bytes) -> bool:
    """Cheap guards before trusting a strict UTF-8 decode.

    NUL bytes point to UTF-16/32 or binary data; escapes in pure ASCII point to ISO-2022
    or HZ. Either way the detector should decide.
    """
    if b"\x00" in raw:
        return False
    return not (raw.isascii() and _SEVEN_BIT_ESCAPE.search(raw))


def decode_as_utf8(raw: bytes) -> tuple[str, EncodingGuess] | None:
    """Strict UTF-8, when the guards let it try (pure ASCII lands here too)."""
    if not looks_like_utf8(raw):
        return None
    text = decodes_cleanly(raw, "utf-8")
    return None if text is None else (text, EncodingGuess("utf-8", 1.0, "utf8"))


_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:+-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml\b[^>]*?encoding\s*=\s*["']([a-z0-9_.:+-]+)""", re.IGNORECASE)


def declared_labels(raw: bytes, scan_bytes: int) -> list[str]:
    """Charset labels declared inside the page (meta, http-equiv, XML), in page order.

    >>> declared_labels(b'<?xml encoding="utf-8"?><meta content="text/html; charset=gbk">', 99)
    ['utf-8', 'gbk']
    """
    head = raw[:scan_bytes]
    found = [m for pattern in (_XML_ENCODING, _META_CHARSET) for m in pattern.finditer(head)]
    found.sort(key=lambda match: match.start())
    return [match.group(1).decode("ascii") for match in found]


def in_page_codec(label: str) -> str | None:
    """Codec for a label read inside the page: a page readable as ASCII that claims
    UTF-16/32 is really UTF-8 (the WHATWG rule)."""
    codec = codec_for_label(label)
    if codec is not None and codec.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return codec


def declared_codecs(document: Document, config: DecodeConfig) -> list[str]:
    """Known codecs the page declares, strongest first, without repeats."""
    labels = declared_labels(document.raw, config.declared_scan_bytes)
    http_codec = codec_for_label(document.declared_charset or "")
    codecs_found = [http_codec] if http_codec else []
    codecs_found += [codec for codec in map(in_page_codec, labels) if codec]
    return list(dict.fromkeys(codecs_found))


# A clean decode under a declared charset is strong but not proof (a single-byte codec
# decodes almost anything), hence just under the certainty of a BOM or valid UTF-8.
DECLARED_CONFIDENCE = 0.9

# Codecs that read ISO-2022 / HZ escapes; any other codec leaves them in the text.
_SEVEN_BIT_CODECS = frozenset({"iso2022_jp", "iso2022_jp_2", "iso2022_kr", "hz"})


def decode_as_declared(
    document: Document, config: DecodeConfig
) -> tuple[str, EncodingGuess] | None:
    """The first declared codec under which the bytes decode cleanly and plausibly.

    A doubtful one (see `declaration_doubtful`) gives way to a later, sound declaration
    (servers send ``charset=ISO-8859-1`` by default over pages whose meta says gbk), then
    to the detector when it names another codec (recorded as declared if another
    declaration named it too); failing both, it stands.
    """
    raw = document.raw
    seven_bit = raw.isascii() and _SEVEN_BIT_ESCAPE.search(raw) is not None
    doubtful: list[tuple[str, str]] = []
    for declared in declared_codecs(document, config):
        decoded = decode_strictly(raw, declared)
        if decoded is None or (seven_bit and decoded[1] not in _SEVEN_BIT_CODECS):
            continue
        text, codec = decoded
        if not declaration_doubtful(raw, codec, text, config):
            return text, EncodingGuess(codec, DECLARED_CONFIDENCE, "declared")
        doubtful.append(decoded)
    if not doubtful:
        return None
    text, codec = doubtful[0]
    overruled = detector_instead(raw, codec, config)
    if overruled is None:
        return text, EncodingGuess(codec, DECLARED_CONFIDENCE, "declared")
    if overruled[1].encoding in {codec for _, codec in doubtful}:
        # The detector confirms a later declaration: that one was right after all.
        return overruled[0], EncodingGuess(overruled[1].encoding, DECLARED_CONFIDENCE, "declared")
    return overruled


# Multi-byte codecs whose bytes others also decode cleanly, into other characters. Every
# Big5, EUC-KR and EUC-JP file of the bench (and 29 of 30 Shift_JIS) decodes cleanly as
# gb18030, so those pages under a template's gb2312 meta would pass; of the 48 GB pages,
# none decodes as cp949/euc_jp/cp932 and 2 as Big5, so asking the detector costs little.
_CONFUSABLE: dict[str, tuple[str, ...]] = {
    "gb18030": ("big5hkscs", "cp949", "euc_jp", "cp932"),
}
# The multi-byte legacy encodings a page may hide under a single-byte declaration.
_CJK_LEGACY = ("gb18030", "big5hkscs", "cp932", "euc_jp", "cp949")
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]{2,}")


def declaration_doubtful(raw: bytes, codec: str, text: str, config: DecodeConfig) -> bool:
    """Whether a clean decode under the declared codec still proves little.

    Multi-byte: the bytes also fit a codec easily confused with it. Single-byte: enough
    non-ASCII bytes, and the text reads as mojibake or the bytes fit a CJK encoding.
    """
    if codec in MULTI_BYTE_CODECS:
        others = _CONFUSABLE.get(codec, ())
        return any(decodes_cleanly(raw, other) is not None for other in others)
    non_ascii = len(raw.translate(None, bytes(range(0x80))))
    if non_ascii < config.single_byte_check_min_bytes:
        return False
    return mojibake_share(text) >= config.mojibake_min_share or could_be_cjk(raw, non_ascii)


# Latin letters beyond ASCII forming a whole word of three or more: "Ïðèâåò" is Cyrillic
# read as cp1252. Real Latin-script words mix in ASCII letters ("déjà", "Straße").
_ALL_ACCENTED_WORD = re.compile("(?<![A-Za-z])[\u00c0-\u024f]{3,}(?![A-Za-z])")
_ACCENTED_LETTER = re.compile("[\u00c0-\u024f]")


def mojibake_share(text: str, sample_chars: int = 65536) -> float:
    """Share of the accented Latin letters (in a sample) that form all-accented words."""
    sample = text[:sample_chars]
    accented = len(_ACCENTED_LETTER.findall(sample))
    if accented == 0:
        return 0.0
    return sum(len(word) for word in _ALL_ACCENTED_WORD.findall(sample)) / accented


def could_be_cjk(raw: bytes, non_ascii: int) -> bool:
    """Most non-ASCII bytes come in runs (every character of a multi-byte encoding does,
    accented Latin letters stand alone) and some CJK codec decodes all the bytes.
    Cyrillic or Greek words of odd byte length break every CJK codec at once, and a
    failing strict decode stops at its first error, so this costs next to nothing."""
    in_runs = sum(len(run) for run in _NON_ASCII_RUN.findall(raw))
    if in_runs < non_ascii / 2:
        return False
    return any(decodes_cleanly(raw, codec) is not None for codec in _CJK_LEGACY)


def detector_instead(
    raw: bytes, declared: str, config: DecodeConfig
) -> tuple[str, EncodingGuess] | None:
    """chardet's reading of the page, when it names another codec that decodes it all."""
    detected = detect(raw, config.detector_sample_bytes)
    if detected is None or detected[0] == declared:
        return None
    decoded = decode_strictly(raw, detected[0])
    if decoded is None or decoded[1] == declared:
        return None
    return decoded[0], EncodingGuess(decoded[1], detected[1], "detector")


# Blinds the page's own charset declarations before detection: chardet 7 trusts them
# whenever they decode, and by the time it runs we have already judged them.
_DECLARATION_KEYWORD = re.compile(rb"(?:charset|encoding)(?=\s*=)", re.IGNORECASE)


_NON_ASCII_BYTE = re.compile(rb"[\x80-\xff]")


def non_ascii_window(raw: bytes, size: int) -> bytes:
    """`size` bytes of `raw` from just before its first non-ASCII byte: legacy text after
    a 10 MB ASCII head is what decides the encoding, not the head."""
    first = _NON_ASCII_BYTE.search(raw)
    start = 0 if first is None else max(0, first.start() - 256)
    return raw[start : start + size]


def detector_sample(raw: bytes, sample_bytes: int) -> bytes:
    """At most `sample_bytes` of the lines of `raw` that hold non-ASCII bytes.

    ASCII says nothing about a legacy encoding but dilutes chardet's statistics: a GBK
    paragraph after 100 KB of inline script scores as MacRoman. UTF-16/32 (NUL bytes)
    cannot be cut into lines at a newline byte, so it keeps the plain prefix.
    """
    if len(raw) <= sample_bytes:
        return raw
    if b"\x00" in raw[: sample_bytes * 4]:
        return raw[:sample_bytes]
    lines = non_ascii_window(raw, sample_bytes * 16).split(b"\n")
    return b"\n".join(line for line in lines if not line.isascii())[:sample_bytes]


def detect(raw: bytes, sample_bytes: int) -> tuple[str, float] | None:
    """chardet's answer for a sample of `raw` (declarations blinded), mapped to a codec;
    None for binary data."""
    import chardet  # here: most pages declare or prove their encoding without it

    sample = _DECLARATION_KEYWORD.sub(b"x", detector_sample(raw, sample_bytes))
    try:
        result = chardet.detect(sample, compat_names=False)
    except Exception:  # noqa: BLE001 - a detector bug on odd bytes must not end the run
        return None
    label = result.get("encoding")
    codec = codec_for_label(label) if label else None
    return None if codec is None else (codec, float(result.get("confidence") or 0.0))


def decode_with_detector(raw: bytes, config: DecodeConfig) -> tuple[str, EncodingGuess] | None:
    """Detector's answer if it decodes the whole file; reruns on everything if the sample
    missed a part that does not fit."""
    detected = detect(raw, config.detector_sample_bytes)
    if detected is None:
        return None
    decoded = decode_strictly(raw, detected[0])
    if decoded is None and len(raw) > config.detector_sample_bytes:
        detected = detect(raw, len(raw)) or detected
        decoded = decode_strictly(raw, detected[0])
    if decoded is None:
        return None
    text, codec = decoded
    return text, EncodingGuess(codec, detected[1], "detector")


def decode_with_replacement(raw: bytes, config: DecodeConfig) -> tuple[str, EncodingGuess]:
    """Last resort: the detector's codec (or UTF-8) with U+FFFD for bytes that do not fit."""
    codec, confidence = detect(raw, config.detector_sample_bytes) or ("utf-8", 0.0)
    text = raw.decode(codec, errors="replace")
    return text, EncodingGuess(codec, min(confidence, 0.1), "fallback")


# --- mixed UTF-8 + legacy files -------------------------------------------------------

# Runs of two or more 3/4-byte UTF-8 characters (CJK in UTF-8 is 3 bytes a character)
# mark text that surely is UTF-8. A single valid sequence inside a legacy paragraph is
# often an accident: the GBK bytes F0 A3 AC B3 (two characters) are one valid 4-byte
# UTF-8 sequence, and C4 A3 a valid 2-byte one.
_UTF8_ANCHOR = re.compile(
    rb"(?:\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}){2,}"
)


# A 2-byte UTF-8 sequence standing alone between ASCII bytes: an accented letter in a
# UTF-8 Latin text ("café"). Legacy CJK text seldom has one, its characters come in runs.
_UTF8_LONE_TWO_BYTE = re.compile(rb"(?<![\x80-\xff])[\xc2-\xdf][\x80-\xbf](?![\x80-\xff])")


def utf8_share(raw: bytes) -> float:
    """Share of the non-ASCII bytes of `raw` that are surely UTF-8: runs of two or more
    3/4-byte sequences, and lone 2-byte sequences between ASCII bytes."""
    non_ascii = len(raw.translate(None, bytes(range(0x80))))
    if non_ascii == 0:
        return 0.0
    in_runs = sum(len(run) for run in _UTF8_ANCHOR.findall(raw))
    lone = 2 * len(_UTF8_LONE_TWO_BYTE.findall(raw))
    return (in_runs + lone) / non_ascii


def utf8_share_at_most(raw: bytes) -> float:
    """A cheap upper bound of `utf8_share`: the share of non-ASCII bytes that belong to
    any valid UTF-8 sequence, accidental ones included. Spares the pattern scan on
    legacy files, where most bytes belong to none."""
    non_ascii = len(raw.translate(None, bytes(range(0x80))))
    if non_ascii == 0:
        return 0.0
    # Each invalid byte becomes one lone surrogate, which encoding back then drops.
    valid = len(raw.decode("utf-8", errors="surrogateescape").encode("utf-8", errors="ignore"))
    invalid = len(raw) - valid
    return (non_ascii - invalid) / non_ascii


def split_mixed(raw: bytes) -> list[tuple[bool, bytes]]:
    """Split `raw` into (is_utf8, bytes) spans, cut at line ends and at runs of 3/4-byte
    UTF-8 sequences. A span that decodes as UTF-8 is UTF-8; the others are legacy."""
    spans: list[tuple[bool, bytes]] = []
    for line in raw.splitlines(keepends=True):
        start = 0
        for anchor in _UTF8_ANCHOR.finditer(line):
            spans.append((False, line[start : anchor.start()]))
            spans.append((True, anchor.group()))
            start = anchor.end()
        spans.append((False, line[start:]))
    merged: list[tuple[bool, bytes]] = []
    for is_anchor, chunk in spans:
        if not chunk:
            continue
        is_utf8 = is_anchor or decodes_cleanly(chunk, "utf-8") is not None
        if merged and merged[-1][0] == is_utf8:
            merged[-1] = (is_utf8, merged[-1][1] + chunk)
        else:
            merged.append((is_utf8, chunk))
    return merged


# Legacy encodings tried for the non-UTF-8 spans of a mixed page when neither a
# declaration nor the detector settles it. The spans are short, so chardet's answer is
# weak (a 90-character GBK paragraph scores as KOI8-U at 0.02). GBK is the usual intruder
# in the Chinese pages this tool is for; gb18030 decodes most Big5 bytes too, so Big5 only
# wins through the detector. Spans whose non-ASCII bytes stand alone are Latin text.
_MULTI_BYTE_LEGACY = ("gb18030", "big5hkscs", "cp932", "cp949")
_SINGLE_BYTE_LEGACY = ("cp1252",)


def legacy_codec(legacy: list[bytes], document: Document, config: DecodeConfig) -> tuple[str, bool]:
    """The codec for the non-UTF-8 spans, and whether it decodes all of them cleanly."""
    joined = b"\n".join(legacy)
    candidates = [c for c in declared_codecs(document, config) if c != "utf-8"]
    detected = detect(joined, config.detector_sample_bytes)
    if detected is not None and detected[1] >= config.mixed_detector_min_confidence:
        candidates.append(detected[0])
    non_ascii = len(joined.translate(None, bytes(range(0x80))))
    in_runs = sum(len(run) for run in _NON_ASCII_RUN.findall(joined))
    if in_runs >= non_ascii / 2:
        candidates += _MULTI_BYTE_LEGACY
    candidates += _SINGLE_BYTE_LEGACY
    for codec in candidates:
        if decodes_cleanly(joined, codec) is not None:
            return codec, True
    return candidates[0], False


# Lead bytes of the most frequent characters in each national standard: GB2312 level 1
# (3,755 simplified), Big5 level 1 (5,401 traditional), JIS X 0208 level 1 (2,965 kanji)
# and KS X 1001 hangul (2,350 syllables). Real text is almost all made of these; the same
# bytes read with the wrong codec land anywhere in the code space.
_COMMON_ROWS = (
    ("gb2312", 0xB0, 0xD7),
    ("big5", 0xA4, 0xC6),
    ("shift_jis", 0x88, 0x98),
    ("euc_kr", 0xB0, 0xC8),
)
_KANA = re.compile("[\u3041-\u3096\u30a1-\u30fa\u30fc]")
# What counts in `common_share`: letters and ideographs, not ASCII, not punctuation or
# full-width forms, which every CJK codec shares.
_COUNTED = re.compile("[^\x00-\x7f\u2000-\u206f\u3000-\u303f\uff00-\uffef]")


@functools.lru_cache(maxsize=65536)
def is_common_character(character: str) -> bool:
    """A character among the most frequent of some CJK standard, kana, or a Latin letter.

    >>> is_common_character("国"), is_common_character("國"), is_common_character("笲")
    (True, True, False)
    """
    if _KANA.match(character) or "\u00c0" <= character <= "\u017f":
        return True
    for codec, first, last in _COMMON_ROWS:
        try:
            lead = character.encode(codec)[0]
        except UnicodeEncodeError:
            continue
        if first <= lead <= last:
            return True
    return False


def common_share(text: str) -> float:
    """Share of the counted characters of `text` that are common (1.0 when none count).

    >>> common_share("臺北市政府今天宣布")
    1.0
    >>> common_share("籓カ現┎さぱガ倍笲穝隔絬盢タΑ硄óカチ穎獽") < 0.8
    True
    """
    counted = _COUNTED.findall(text)
    if not counted:
        return 1.0
    return sum(map(is_common_character, counted)) / len(counted)


def decode_legacy_span(
    chunk: bytes, codec: str, config: DecodeConfig, used: list[str]
) -> tuple[str, bool]:
    """A legacy span decoded line by line: with `codec`, unless a line reads as mojibake
    under it and another multi-byte codec gives it more common characters. Appends the
    codecs used to `used`; returns the text and whether every line reads plausibly."""
    pieces, plausible = [], True
    for line in chunk.splitlines(keepends=True):
        text, line_codec = line.decode(codec, errors="replace"), codec
        # A line the codec reads cleanly is judged only when it holds a run of non-ASCII
        # bytes (what another multi-byte codec could read): a lone accented letter or
        # euro sign of a cp1252 line is not.
        judged = "\ufffd" in text or _NON_ASCII_RUN.search(line) is not None
        share = common_share(text) if judged else 1.0
        if share < config.mixed_line_min_common_share:
            for other in _MULTI_BYTE_LEGACY:
                decoded = decodes_cleanly(line, other)
                if decoded is not None and common_share(decoded) > share:
                    text, share, line_codec = decoded, common_share(decoded), other
        plausible = plausible and share >= config.mixed_line_min_common_share
        if line_codec not in used:
            used.append(line_codec)
        pieces.append(text)
    return "".join(pieces), plausible


def decode_mixed(document: Document, config: DecodeConfig) -> tuple[str, EncodingGuess] | None:
    """A mostly-UTF-8 file with legacy-encoded spans, decoded span by span."""
    raw = document.raw
    if b"\x00" in raw:
        return None
    window = non_ascii_window(raw, config.mixed_sample_bytes)
    if utf8_share_at_most(window) < config.mixed_min_utf8_share:
        return None
    share = utf8_share(window)
    if share < config.mixed_min_utf8_share:
        return None
    spans = split_mixed(raw)
    legacy = [chunk for is_utf8, chunk in spans if not is_utf8]
    codec, clean = legacy_codec(legacy, document, config)
    used: list[str] = []
    pieces = []
    for is_utf8, chunk in spans:
        if is_utf8:
            pieces.append(chunk.decode("utf-8", errors="replace"))
            continue
        text, plausible = decode_legacy_span(chunk, codec, config, used)
        clean = clean and plausible
        pieces.append(text)
    name = "+".join(["utf-8", *(used or [codec])])
    if not clean:
        return "".join(pieces), EncodingGuess(name, 0.1, "fallback")
    return "".join(pieces), EncodingGuess(name, round(share, 3), "detector")


# --- the stage ------------------------------------------------------------------------


def decode_bytes(document: Document, config: DecodeConfig) -> tuple[str, EncodingGuess]:
    """Text and encoding guess for `document.raw`, trying the steps in order."""
    by_mark = decode_by_bom(document.raw)
    if by_mark is not None:
        return by_mark
    if document.raw.startswith(_UTF8_BOM):  # invalid UTF-8 after its mark: read on without it
        document = dataclasses.replace(document, raw=document.raw[len(_UTF8_BOM) :])
    raw = document.raw
    return (
        decode_as_utf8(raw)
        or decode_mixed(document, config)
        or decode_as_declared(document, config)
        or decode_with_detector(raw, config)
        or decode_with_replacement(raw, config)
    )


def reject_binary(raw: bytes) -> None:
    """Refuse a file whose first bytes name a binary format, before any decoding."""
    signature = binary_signature(raw)
    if signature is not None:
        what = signature.reason.split(":", 1)[0]
        raise DocumentError("not_text", f"file is {what}, not text ({signature.id})")


def check_text(text: str, config: DecodeConfig) -> None:
    """Refuse decoded text that is mostly control characters, or only white space."""
    share = not_text_share(text)
    if share > config.max_control_ratio:
        nul_share = text.count("\x00") / len(text)
        raise DocumentError(
            "not_text",
            f"binary data, not text: {share:.1%} of the characters are control characters "
            f"or undecodable bytes ({nul_share:.1%} NUL), above the "
            f"{config.max_control_ratio:.1%} limit",
        )
    if not text.strip():
        raise DocumentError("empty", "file holds only white space")


def apply(document: Document, settings: DecodeConfig) -> Document:
    """Set `document.text` and `document.encoding` from `document.raw`.

    Raises DocumentError ``empty`` or ``not_text``; nothing else, whatever the bytes.
    """
    raw = document.raw
    if not raw or raw.isspace():
        raise DocumentError("empty", "file is empty or holds only white space")
    reject_binary(raw)
    text, guess = decode_bytes(document, settings)
    check_text(text, settings)
    document.text = text.replace("\x00", "")
    document.encoding = guess
    return document
