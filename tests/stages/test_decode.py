"""Decode stage: real samples in many encodings, lying declarations, mixed files, binary
and empty files, the WHATWG label table, and any bytes never raising anything but
DocumentError."""

from __future__ import annotations

import codecs
import dataclasses
import doctest
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.config import Config
from cleaner.document import Document, DocumentError, EncodingGuess
from cleaner.rules import Rule
from cleaner.rules.binary import SIGNATURES, binary_signature
from cleaner.stages import decode

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "encoding"
SEEDS = ROOT / "seeds"
CONFIG = Config()
SOURCES = {"bom", "declared", "utf8", "detector", "fallback"}

CASES = json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8"))
ERRORS = json.loads((FIXTURES / "errors.json").read_text(encoding="utf-8"))


def decoded(raw: bytes, declared_charset: str | None = None) -> Document:
    document = Document(source="test", raw=raw, declared_charset=declared_charset)
    return decode.apply(document, CONFIG.decode)


def expected_text(case: dict) -> str:
    if "expected" in case:
        return (FIXTURES / case["expected"]).read_text(encoding="utf-8")
    return (FIXTURES / case["file"]).read_bytes().decode(case["codec"])


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_fixture_decodes_to_the_true_text(case: dict) -> None:
    document = decoded((FIXTURES / case["file"]).read_bytes())
    assert document.text == expected_text(case), case["comment"]
    assert document.encoding is not None
    assert document.encoding.source == case["source"], case["comment"]
    assert 0.0 <= document.encoding.confidence <= 1.0


@pytest.mark.parametrize("case", ERRORS, ids=[case["file"] for case in ERRORS])
def test_fixture_is_rejected_with_its_error_kind(case: dict) -> None:
    with pytest.raises(DocumentError) as raised:
        decoded((FIXTURES / case["file"]).read_bytes())
    assert raised.value.kind == case["error"], case["comment"]
    expected_words = {"not_text": "not text", "empty": "empty"}[case["error"]]
    assert expected_words in raised.value.message


@pytest.mark.parametrize("seed", sorted(SEEDS.iterdir()), ids=lambda path: path.name)
def test_seed_pages_are_utf8_and_keep_every_character(seed: Path) -> None:
    raw = seed.read_bytes()
    document = decoded(raw)
    assert document.encoding.source in {"utf8", "bom"}
    assert document.text == raw.decode("utf-8-sig")


# --- binary signatures are rules: each example fires its own rule, text fires none ---


@pytest.mark.parametrize("signature", SIGNATURES, ids=[rule.id for rule in SIGNATURES])
def test_binary_signature_example_fires_its_rule(signature: Rule) -> None:
    (example,) = signature.fires_on
    assert binary_signature(example) is signature
    with pytest.raises(DocumentError) as raised:
        decoded(example + b" trailing bytes of the file" * 10)
    assert raised.value.kind == "not_text"
    assert signature.id in raised.value.message


@pytest.mark.parametrize(
    "text",
    [b"GIF images are small", b"PK fans rejoice", b"%PDF in a sentence", b"ID3 tags explained"],
)
def test_text_that_starts_like_a_signature_is_still_text(text: bytes) -> None:
    assert binary_signature(text) is None
    assert decoded(text).text == text.decode("ascii")


# --- encoding labels, the WHATWG way ---


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("x-gbk", "gb18030"),
        ("big5", "big5hkscs"),
        ("ISO-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("shift_jis", "cp932"),
        ("euc-kr", "cp949"),
        ("tis-620", "cp874"),
        ("iso-8859-9", "cp1254"),
        ("iso-8859-2", "iso8859-2"),
        (' "utf-8" ', "utf-8"),
        ("koi8-r", "koi8-r"),
    ],
)
def test_label_maps_to_its_whatwg_codec(label: str, codec: str) -> None:
    assert decode.codec_for_label(label) == codec


@pytest.mark.parametrize("label", ["base64", "rot13", "zlib", "hex", "no-such-charset", ""])
def test_unknown_and_bytes_to_bytes_labels_are_refused(label: str) -> None:
    assert decode.codec_for_label(label) is None


def test_every_codec_in_the_label_table_exists() -> None:
    for codec in set(decode.CODEC_BY_LABEL.values()):
        assert codecs.lookup(codec).name


def test_module_doctests_pass() -> None:
    assert doctest.testmod(decode).failed == 0


# --- declarations ---


def test_declarations_are_found_in_page_order() -> None:
    head = (
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        b'<meta http-equiv="Content-Type" content="text/html; charset=GBK">'
        b"<meta charset='big5'>"
    )
    assert decode.declared_labels(head, 8192) == ["utf-8", "GBK", "big5"]


def test_declaration_beyond_the_scan_window_is_ignored() -> None:
    head = b" " * 100 + b'<meta charset="gbk">'
    assert decode.declared_labels(head, 50) == []
    assert decode.declared_labels(head, 200) == ["gbk"]


CYRILLIC = "Новости дня: в городе открылся новый парк, жители довольны переменами. " * 4


def test_http_charset_wins_over_the_page_when_both_decode() -> None:
    raw = f'<meta charset="koi8-r"><p>{CYRILLIC}</p>'.encode("cp1251")
    document = decoded(raw, declared_charset="windows-1251")
    assert document.encoding.source == "declared"
    assert document.encoding.encoding == "cp1251"
    assert CYRILLIC in document.text


def test_truthful_single_byte_declaration_is_kept() -> None:
    text = "Le café est déjà ouvert : naïve façade, « citations » et àccents. " * 5
    raw = f'<meta charset="iso-8859-1"><p>{text}</p>'.encode("cp1252")
    document = decoded(raw)
    assert document.encoding == EncodingGuess("cp1252", decode.DECLARED_CONFIDENCE, "declared")
    assert text in document.text


def test_declared_utf16_in_an_ascii_readable_page_means_utf8() -> None:
    raw = '<meta charset="utf-16"><p>naïve</p>'.encode()
    assert decoded(raw).text.endswith("naïve</p>")
    assert decode.in_page_codec("utf-16") == "utf-8"


# --- the UTF-8 step and its guards ---


def test_plain_utf8_is_taken_without_the_detector() -> None:
    document = decoded("新闻 news".encode())
    assert document.encoding == EncodingGuess("utf-8", 1.0, "utf8")


def test_hz_escapes_in_ascii_go_to_the_detector() -> None:
    raw = "Hello ~{<:Ky2;S{#,NpJ)l6HK!#~} bye".encode("ascii")
    assert not decode.looks_like_utf8(raw)
    document = decoded(raw)
    assert document.text == raw.decode("hz")
    assert document.encoding.source == "detector"


def test_tilde_brace_in_utf8_text_stays_utf8() -> None:
    raw = "模板里写 ~{name} 就行".encode()
    assert decode.looks_like_utf8(raw)
    assert decoded(raw).encoding.source == "utf8"


def test_stray_nul_is_removed_from_a_utf8_page() -> None:
    paragraph = "这是一段普通的新闻正文，用于检查空字节会被删除。" * 20
    raw = f"<p>{paragraph}</p>".encode().replace("。".encode(), "\x00。".encode(), 1)
    document = decoded(raw)
    assert "\x00" not in document.text
    assert document.text == f"<p>{paragraph}</p>"


# --- mixed files ---


def test_pure_gbk_page_is_not_taken_for_a_mixed_one() -> None:
    raw = (FIXTURES / "lying-meta-latin1-over-gbk.html").read_bytes()
    assert decode.utf8_share(raw) < CONFIG.decode.mixed_min_utf8_share
    assert not decoded(raw).encoding.encoding.startswith("utf-8+")


def test_mixed_page_records_both_encodings() -> None:
    document = decoded((FIXTURES / "mixed-utf8-gbk.html").read_bytes())
    assert document.encoding.encoding == "utf-8+gb18030"
    assert "\ufffd" not in document.text


_UTF8_LINE = "青岛高新区今年一季度实现地区生产总值同比增长百分之八，工业投资继续保持较快增长。\n"
_GBK_LINE = "港口在风暴之后重新开放，船只陆续进港，码头工人忙着装卸货物。\n"
_BIG5_LINE = "臺北市政府今天宣布，捷運新路線將於明年正式通車，市民搭乘更加便利。\n"


def test_a_file_mixing_three_encodings_reads_each_line_with_its_own() -> None:
    """Issue 16 item 18: the Big5 line used to come out as gb18030 mojibake
    ("籓カ現┎さぱガ…") under a confident `utf-8+gb18030` from `detector`."""
    raw = (
        (_UTF8_LINE * 4).encode()
        + _GBK_LINE.encode("gbk")
        + (_UTF8_LINE * 2).encode()
        + _BIG5_LINE.encode("big5")
        + _UTF8_LINE.encode()
    )
    document = decoded(raw)
    assert document.text == _UTF8_LINE * 4 + _GBK_LINE + _UTF8_LINE * 2 + _BIG5_LINE + _UTF8_LINE
    assert document.encoding.encoding == "utf-8+gb18030+big5hkscs"
    assert document.encoding.source == "detector"


def test_a_mixed_line_no_codec_reads_plausibly_is_reported_as_fallback() -> None:
    # Rare GBK extension characters (trail bytes in the ASCII range): every codec's
    # reading is mostly uncommon characters or punctuation.
    rare = "丂丄丅丆丏丒丗丟丠両丣並丩丮丯丱丳丵丷丼乀乁乂乄乆乊乑乕乗乚乛乢乣乤乥乧乨乪乫乬\n"
    raw = (_UTF8_LINE * 4).encode() + rare.encode("gbk") + (_UTF8_LINE * 2).encode()
    document = decoded(raw)
    assert document.encoding.source == "fallback"
    assert document.text.startswith(_UTF8_LINE * 4) and document.text.endswith(_UTF8_LINE * 2)


def test_common_share_tells_text_from_mojibake() -> None:
    for line in (_UTF8_LINE, _GBK_LINE, _BIG5_LINE, "東京都は今日、新しい計画を発表した。"):
        assert decode.common_share(line) >= CONFIG.decode.mixed_line_min_common_share, line
    mojibake = _BIG5_LINE.encode("big5").decode("gb18030", errors="replace")
    assert decode.common_share(mojibake) < CONFIG.decode.mixed_line_min_common_share


def test_utf8_page_with_a_latin1_word_keeps_both() -> None:
    utf8 = "市民表示满意。" * 10
    raw = f"<p>{utf8}</p>\n".encode() + "<p>Café René</p>\n".encode("cp1252")
    document = decoded(raw)
    assert document.text == f"<p>{utf8}</p>\n<p>Café René</p>\n"


# --- the detector's sample ---


@pytest.mark.parametrize(
    "head", [b"var a = 1;\n" * 10_000, b"x" * 200_000], ids=["many lines", "one long line"]
)
def test_legacy_text_after_a_long_ascii_head_is_detected(head: bytes) -> None:
    news = "这是没有声明编码的页面，新闻内容在很长的脚本之后才出现，检测器必须看到它。" * 3
    raw = b"<script>" + head + f"</script><p>{news}</p>".encode("gbk")
    assert len(raw) > CONFIG.decode.detector_sample_bytes
    document = decoded(raw)
    assert document.encoding.encoding == "gb18030"
    assert news in document.text


def test_smaller_sample_setting_is_honoured() -> None:
    config = dataclasses.replace(
        CONFIG, decode=dataclasses.replace(CONFIG.decode, detector_sample_bytes=256)
    )
    raw = (FIXTURES / "shift_jis.txt").read_bytes()
    document = decode.apply(Document(source="test", raw=raw), config.decode)
    assert document.text == raw.decode("shift_jis")


# --- binary by content ---


def test_control_heavy_bytes_are_not_text() -> None:
    with pytest.raises(DocumentError) as raised:
        decoded(bytes(range(256)) * 8)
    assert raised.value.kind == "not_text"


def test_tabs_and_form_feeds_are_text() -> None:
    raw = b"col1\tcol2\tcol3\r\n\x0cnext page\r\n" * 20
    assert decoded(raw).text == raw.decode("ascii")


# --- any bytes: a Document with text, or DocumentError ---


LABELS = st.sampled_from(["utf-8", "gbk", "big5", "latin1", "utf-16", "bogus", "base64"])


@settings(max_examples=300, deadline=None)
@given(
    raw=st.binary(max_size=2048),
    meta=st.one_of(st.none(), LABELS),
    http=st.one_of(st.none(), LABELS),
)
def test_any_bytes_give_text_or_a_document_error(
    raw: bytes, meta: str | None, http: str | None
) -> None:
    if meta is not None:
        raw = f'<meta charset="{meta}">'.encode() + raw
    try:
        document = decoded(raw, declared_charset=http)
    except DocumentError as error:
        assert error.kind in {"not_text", "empty"}
        return
    assert isinstance(document.text, str) and document.text.strip()
    assert "\x00" not in document.text
    assert document.encoding.source in SOURCES


# Text without control characters (Cc), surrogates (Cs) and U+FFFD.
PRINTABLE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffd"),
    min_size=1,
    max_size=300,
).filter(lambda text: text.strip() and "~{" not in text)


@settings(max_examples=100, deadline=None)
@given(text=PRINTABLE_TEXT)
def test_any_printable_utf8_text_round_trips(text: str) -> None:
    document = decoded(text.encode("utf-8"))
    assert document.text == text
    assert document.encoding.source == "utf8"


def test_utf8_bom_page_with_a_gbk_paragraph_is_decoded_span_by_span() -> None:
    raw = (FIXTURES / "mixed-utf8-gbk.html").read_bytes()
    document = decoded(b"\xef\xbb\xbf" + raw)
    assert document.text == expected_text({"expected": "mixed-utf8-gbk.expected.txt"})
    assert document.encoding.encoding == "utf-8+gb18030"


def test_damaged_utf16_after_its_mark_is_a_low_confidence_fallback() -> None:
    body = "一段用UTF-16编码的新闻正文，末尾少了一个字节。".encode("utf-16-le") * 10
    document = decoded(b"\xff\xfe" + body[:-1])
    assert document.encoding.source == "fallback"
    assert document.encoding.confidence <= 0.1
    assert document.text.startswith("一段用UTF-16编码的新闻正文")


def test_utf8_latin_page_with_a_cp1252_paragraph_keeps_both() -> None:
    french = "Le café est déjà ouvert à côté de l'hôtel ; élèves et professeurs s'y retrouvent. "
    raw = f"<p>{french * 3}</p>\n".encode() + f"<p>{french * 3}</p>\n".encode("cp1252")
    document = decoded(raw)
    assert document.text == f"<p>{french * 3}</p>\n" * 2
    assert document.encoding.encoding == "utf-8+cp1252"


@pytest.mark.parametrize("case", CASES[:10], ids=[case["file"] for case in CASES[:10]])
def test_single_encoding_samples_are_not_mistaken_for_mixed_files(case: dict) -> None:
    raw = (FIXTURES / case["file"]).read_bytes()
    if decode.decodes_cleanly(raw, "utf-8") is None:
        assert decode.utf8_share(raw) < CONFIG.decode.mixed_min_utf8_share


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_cheap_bound_never_falls_below_the_utf8_share(case: dict) -> None:
    raw = (FIXTURES / case["file"]).read_bytes()
    assert decode.utf8_share_at_most(raw) >= decode.utf8_share(raw)


def test_big5_bytes_under_a_gb2312_declaration_are_read_as_big5() -> None:
    raw = (FIXTURES / "big5.txt").read_bytes()
    assert decode.decodes_cleanly(raw, "gb18030") is not None  # the lie decodes "cleanly"
    document = decoded(b'<meta charset="gb2312">\n' + raw)
    assert document.text == '<meta charset="gb2312">\n' + raw.decode("big5")
    assert document.encoding.encoding == "big5hkscs"


def test_gb_page_that_also_fits_big5_keeps_its_declaration() -> None:
    news = "市政府今天召开新闻发布会，介绍城市交通建设的最新进展。" * 4
    raw = f'<meta charset="gb2312"><p>{news}</p>'.encode("gb2312")
    document = decoded(raw)
    assert news in document.text
    assert document.encoding.encoding == "gb18030"


RUSSIAN = "Правительство города объявило о строительстве новой линии метро до конца года. " * 3


@pytest.mark.parametrize(
    ("text", "mojibake"),
    [
        (RUSSIAN.encode("cp1251").decode("cp1252"), True),
        ("Νέα γραμμή μετρό ανακοινώθηκε σήμερα".encode("cp1253").decode("cp1252"), True),
        ("Le café est déjà ouvert à côté de l'hôtel, près de l'église.", False),
        ("Die Straße wird für den Verkehr gesperrt, Änderungen möglich.", False),
        ("Zażółć gęślą jaźń — w Łodzi otwarto nową linię tramwajową.", False),
        ("Az őrült kutya és a fűnyíró, egy régi magyar történet.", False),
    ],
)
def test_mojibake_share_tells_misread_bytes_from_latin_text(text: str, mojibake: bool) -> None:
    assert (decode.mojibake_share(text) >= CONFIG.decode.mojibake_min_share) is mojibake


def test_cyrillic_page_under_a_latin1_declaration_is_read_as_cyrillic() -> None:
    raw = f'<meta charset="iso-8859-1"><p>{RUSSIAN}</p>'.encode("cp1251")
    document = decoded(raw)
    assert RUSSIAN in document.text
    assert document.encoding.source == "detector"


def test_korean_page_under_a_gb2312_declaration_is_read_as_korean() -> None:
    raw = b'<meta charset="gb2312">\n' + (FIXTURES / "euc-kr.txt").read_bytes()
    assert decode.decodes_cleanly(raw, "gb18030") is not None  # the lie decodes "cleanly"
    document = decoded(raw)
    assert document.text == raw.decode("euc-kr")


def test_iso2022_page_under_a_gb2312_declaration_is_not_left_escaped() -> None:
    raw = b'<meta charset="gb2312">\n' + (FIXTURES / "iso-2022-jp.txt").read_bytes()
    document = decoded(raw)
    assert "\x1b" not in document.text
    assert document.text == raw.decode("iso2022_jp")


def test_server_default_latin1_gives_way_to_the_page_gbk_meta() -> None:
    news = "市政府今天召开新闻发布会，介绍城市交通建设的最新进展和下一步的工作安排。" * 3
    raw = f'<meta charset="gbk"><p>{news}</p>'.encode("gbk")
    document = decoded(raw, declared_charset="ISO-8859-1")
    assert news in document.text
    assert document.encoding == EncodingGuess("gb18030", decode.DECLARED_CONFIDENCE, "declared")


def _is_not_text_character(character: str) -> bool:
    """The definition the byte-level count must agree with, one character at a time."""
    code = ord(character)
    text_controls = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}
    return (code < 0x20 and code not in text_controls) or 0x7F <= code <= 0x9F or code == 0xFFFD


_CONTROL_HEAVY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(max_codepoint=0xA0),
        st.sampled_from("\ufffd\u00c2\u0080青岛©·\ud800\U0001f600"),
        st.characters(),
    )
)


@settings(max_examples=300)
@given(_CONTROL_HEAVY_TEXT)
def test_not_text_share_counts_each_control_character(text):
    expected = sum(map(_is_not_text_character, text)) / len(text) if text else 0.0
    assert decode.not_text_share(text) == expected


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("ab\x00\ufffd", 0.5),  # NUL and a replacement character
        ("\x85\x9f©·", 0.5),  # C1 controls count, © and · (also 0xC2 in UTF-8) do not
        ("\t\n\x0b\x0c\r\x1b", 0.0),  # white space and ESC are text
        ("青岛\x7f\x1f", 0.5),  # DEL and unit separator among CJK
    ],
)
def test_not_text_share_examples(text, share):
    assert decode.not_text_share(text) == share
