"""File signatures ("magic numbers") of formats that are not text.

The decode stage refuses a file that starts with one of them as ``not_text``, naming the rule;
scrapers save images, PDFs, archives and videos next to the pages. Each pattern is anchored
at the start of the file.
"""

from __future__ import annotations

import re

from cleaner.rules import Rule


def _signature(
    name: str, pattern: bytes, what: str, why: str, example: bytes, spare: bytes
) -> Rule:
    return Rule(
        id=f"decode.binary.{name}",
        reason=f"{what}: {why}",
        fires_on=(example,),
        spares=(spare,),
        pattern=re.compile(rb"\A" + pattern, re.DOTALL),
    )


SIGNATURES: tuple[Rule, ...] = (
    _signature(
        "png",
        rb"\x89PNG\r\n\x1a\n",
        "a PNG image",
        "scrapers save images next to pages",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PNG images compress losslessly",
    ),
    _signature(
        "jpeg",
        rb"\xff\xd8\xff",
        "a JPEG image",
        "scrapers save images next to pages",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        b"JFIF is the file format of most JPEG photos",
    ),
    _signature(
        "gif",
        rb"GIF8[79]a",
        "a GIF image",
        "tracking pixels get saved under a page's name",
        b"GIF89a\x01\x00\x01\x00",
        b"GIF images are small",
    ),
    _signature(
        "webp",
        rb"RIFF.{4}WEBP",
        "a WebP image",
        "scrapers save images next to pages",
        b"RIFF\x24\x00\x00\x00WEBPVP8 ",
        b"RIFF and WEBP are container formats",
    ),
    _signature(
        "pdf",
        rb"%PDF-\d",
        "a PDF document",
        "its header is ASCII but its body is compressed streams",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"%PDF in a sentence",
    ),
    _signature(
        "zip",
        rb"PK\x03\x04",
        "a ZIP archive (or docx/xlsx/epub)",
        "office files and e-books are zips",
        b"PK\x03\x04\x14\x00\x00\x00",
        b"PK fans rejoice",
    ),
    _signature(
        "gzip",
        rb"\x1f\x8b\x08",
        "gzip-compressed data",
        "a .gz saved without its extension is not decompressed by the reader",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b"gzip makes pages smaller",
    ),
    _signature(
        "ole",
        rb"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Microsoft Office document",
        "doc/xls/ppt attachments of press releases",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
        b"Office documents before 2007 used OLE",
    ),
    _signature(
        "elf",
        rb"\x7fELF",
        "an executable (ELF)",
        "stray binaries in a crawl directory",
        b"\x7fELF\x02\x01\x01\x00",
        b"ELF binaries run on Linux",
    ),
    _signature(
        "7z",
        rb"7z\xbc\xaf\x27\x1c",
        "a 7-Zip archive",
        "archives are not pages",
        b"7z\xbc\xaf\x27\x1c\x00\x04",
        b"7z archives compress well",
    ),
    _signature(
        "mp4",
        rb".{4}ftyp(?:isom|iso2|mp4[12]|avc1|qt  |M4V |M4A |3gp)",
        "an MP4/QuickTime video",
        "videos embedded in news pages get saved too",
        b"\x00\x00\x00\x18ftypmp42",
        b"the ftyp box opens an MP4 file",
    ),
)

ALL_RULES = SIGNATURES


def binary_signature(raw: bytes) -> Rule | None:
    """The first signature matching the start of `raw`."""
    return next((rule for rule in SIGNATURES if rule.pattern.match(raw)), None)
