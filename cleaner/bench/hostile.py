"""Benchmark of hostile inputs: how long the whole per-document pipeline takes on input
shaped to make a rule's pattern work hardest, and on the runaway and huge cases the
reliability tests check for correctness only (a timed unit test fails on a loaded machine
and passes on a stub; here the figures are printed for a person to read).

    python -m cleaner.bench.hostile [--scale 1]

Each crafted shape is a long run of what one rule family looks for, with the near-miss at
the end that forces backtracking in a careless pattern. Seconds are CPU seconds of this
process (`time.process_time`), so another job on the machine does not inflate them. A shape
that takes more than a few seconds at scale 1 is a pattern to fix.
"""

from __future__ import annotations

import argparse
import time

from cleaner.config import load_config
from cleaner.document import Document
from cleaner.pipeline import StageFailure, process_document
from cleaner.report.safe_text import strip_control

WORST_CASES = {
    "separators": "亚洲综合|" * 20_000 + "x",
    "digits": "1" * 100_000 + "a",
    "phone-like": "138 0013 " * 20_000,
    "messenger": ("微信号:" + "a" * 30 + " ") * 5_000,
    "ad-markers": "广告\n\n" * 20_000,
    "urls": "http://" + "a." * 50_000,
    "emails": "a" * 50_000 + "@" + "b." * 20_000,
    "cjk-punctuation": "，" * 100_000,
    "spaces": " " * 100_000 + "x",
    "breadcrumb": "首页 > " * 30_000,
    "headline-shaped": "青岛高新区：\n\n" * 20_000,
    "brackets": "（" * 50_000 + "）" * 10,
    "markdown": "[" * 50_000 + "](" * 10_000,
    "tags": "<" * 100_000,
    "front-matter": "---\n" + "key: value\n" * 30_000,
}

# Many unterminated escape sequences: the terminal-safety regex must not rescan the text.
CRAFTED_ESCAPES = ("\x1b]" + "x" * 50 + "\x1b[" + "1;" * 50) * 2_000


def time_worst_cases(scale: int) -> list[tuple[str, str, float, str]]:
    """(shape, media type, CPU seconds, outcome) for every crafted shape."""
    config = load_config(run={"doc_timeout": 120})
    rows = []
    for name, text in WORST_CASES.items():
        for media_type in ("text", "html"):
            raw = (text * scale).encode("utf-8")
            started = time.process_time()
            result = process_document(Document(name, raw=raw, media_type=media_type), config)
            spent = time.process_time() - started
            outcome = result.error if isinstance(result, StageFailure) else "document"
            rows.append((name, media_type, spent, outcome))
    return rows


def time_escape_stripping(scale: int) -> float:
    started = time.process_time()
    strip_control(CRAFTED_ESCAPES * scale)
    return time.process_time() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="repeat every shape this often")
    args = parser.parse_args(argv)
    print(f"{'shape':<18} {'as':<5} {'CPU s':>7}  outcome")
    for name, media_type, spent, outcome in time_worst_cases(args.scale):
        print(f"{name:<18} {media_type:<5} {spent:7.2f}  {outcome}")
    print(f"terminal-escape stripping, crafted input: {time_escape_stripping(args.scale):.3f} s")


if __name__ == "__main__":
    main()
