"""YAML front matter (Jekyll, Hugo): metadata, not body."""

from __future__ import annotations

import re

from cleaner.dates import normalize_date

FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def parse_front_matter(body: str) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for line in body.splitlines():
        match = _FRONT_MATTER_LINE.match(line)
        if match and match.group(2):
            metadata[match.group(1).lower()] = match.group(2).strip().strip("\"'")
    if "date" in metadata:
        metadata.setdefault("published", normalize_date(metadata["date"]) or metadata["date"])
    return metadata
