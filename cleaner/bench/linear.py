"""Benchmark of growth: every stage's CPU time on inputs of 10k, 100k and 1M characters.

    python -m cleaner.bench.linear [--sizes 10000,100000,1000000] [--cap 60] [--shape NAME]

A stage is linear when ten times the input costs about ten times the CPU. For each shape
(ordinary prose and the shapes that once made a pattern super-linear: a Markdown heading
with a run of spaces, runs of ``#``, front-matter lines padded with spaces, runs of spaces
inside a line, ``<p`` repeated in a text file, many repeated Markdown sections) the input
is cut to each size, run through the stages of its media type one by one, and timed in CPU
seconds of this process. The growth exponent between two sizes is
log(t2 / t1) / log(n2 / n1): about 1 is linear, 2 quadratic. Exponents are printed only
where the larger time is over 0.05 s (below that, timer noise decides). A run over `--cap`
CPU seconds is stopped and shown as ``> cap``; the larger sizes of that shape are skipped.
"""

from __future__ import annotations

import argparse
import itertools
import math
import time
from collections.abc import Callable

from cleaner.budget import DocumentTimeout, time_budget
from cleaner.config import Config, load_config
from cleaner.document import Document
from cleaner.stages import stages_for

PROSE_ZH = (
    "港口在风暴之后重新开放，港务局统计了进出港的船只数量。"
    "记者从市政府了解到，今年全市共完成道路改造工程四十二项，惠及居民十万余人。"
)
PROSE_EN = (
    "The port reopened after the storm, and the harbour master counted the ships. "
    "City officials said forty-two road projects were finished this year. "
)


def _repeat(unit: str) -> Callable[[int], str]:
    def shape(size: int) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    return shape


def _padded(head: str, tail: str) -> Callable[[int], str]:
    """One line: `head`, a run of spaces filling the size, then `tail`."""

    def shape(size: int) -> str:
        return head + " " * max(0, size - len(head) - len(tail)) + tail

    return shape


def _paragraphs(size: int) -> str:
    paragraph = PROSE_ZH * 3 + "\n\n" + PROSE_EN * 2 + "\n\n"
    return _repeat(paragraph)(size)


def _front_matter(size: int) -> str:
    body = "\n\n" + PROSE_EN * 3
    line = "title:" + " " * 200 + "value\n"
    lines = line * max(1, (size - len(body)) // len(line))
    return "---\n" + lines + "---\n" + body


SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "prose (text)": ("text", _paragraphs),
    "prose (html)": (
        "html",
        lambda size: (
            "<html><body><article>"
            + _repeat("<p>" + PROSE_ZH + "</p><p>" + PROSE_EN + "</p>")(size)
            + "</article></body></html>"
        ),
    ),
    "one long line": ("text", _repeat(PROSE_ZH)),
    "short lines": ("text", _repeat("要闻\n第3版\n本报记者 张三\n")),
    "markdown heading + spaces": ("markdown", _padded("# ", "title")),
    "runs of #": ("markdown", _repeat("#")),
    "front matter + spaces": ("markdown", _front_matter),
    "spaces inside a line": ("text", _padded("亚洲综合", "最新资讯")),
    "<p in text": ("text", _repeat("<p")),
    "markdown sections": ("markdown", _repeat("## 第一节\n\n" + PROSE_ZH + "\n\n")),
}


def stage_seconds(
    media_type: str, text: str, config: Config, cap: float
) -> tuple[dict[str, float], bool]:
    """CPU seconds per stage for one document; True when the cap stopped it."""
    document = Document("linear", raw=text.encode("utf-8"), media_type=media_type)
    seconds: dict[str, float] = {}
    stage_name = "start"
    try:
        with time_budget(cap):
            for stage in stages_for(document):
                stage_name = stage.NAME
                settings = config.settings_of(stage.NAME)
                prepare = getattr(stage, "prepare", None)
                if prepare is not None:
                    prepare(settings)
                started = time.process_time()
                document = stage.apply(document, settings)
                seconds[stage.NAME] = time.process_time() - started
    except DocumentTimeout:
        seconds[stage_name] = cap
        return seconds, True
    return seconds, False


def exponent(small: tuple[int, float], large: tuple[int, float]) -> float | None:
    (n1, t1), (n2, t2) = small, large
    if t2 < 0.05 or t1 <= 0:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--cap", type=float, default=60.0, help="CPU seconds per document")
    parser.add_argument("--shape", action="append", help="only this shape (repeatable)")
    arguments = parser.parse_args(argv)
    sizes = [int(size) for size in arguments.sizes.split(",")]
    config = load_config(run={"doc_timeout": 0}, inputs={"max_file_bytes": 64 * 1024 * 1024})
    chosen = arguments.shape or list(SHAPES)
    print(f"CPU seconds per stage; sizes {sizes} characters; cap {arguments.cap:g} s")
    worst: list[tuple[float, str]] = []
    for name in chosen:
        media_type, make = SHAPES[name]
        totals: list[tuple[int, float]] = []
        per_stage: dict[str, list[tuple[int, float]]] = {}
        for size in sizes:
            seconds, capped = stage_seconds(media_type, make(size), config, arguments.cap)
            totals.append((size, sum(seconds.values())))
            for stage, spent in seconds.items():
                per_stage.setdefault(stage, []).append((size, spent))
            if capped:
                break
        cells = "  ".join(
            f"{spent:7.3f}" if spent < arguments.cap else f"> {arguments.cap:g}"
            for _size, spent in totals
        )
        print(f"\n{name} [{media_type}]: total {cells}")
        for stage, points in per_stage.items():
            growth = [exponent(a, b) for a, b in itertools.pairwise(points)]
            shown = "  ".join("   -" if g is None else f"{g:4.2f}" for g in growth)
            times = "  ".join(f"{spent:7.3f}" for _size, spent in points)
            print(f"  {stage:<12} {times}   growth {shown}")
            worst.extend((g, f"{name} / {stage}") for g in growth if g is not None)
        if len(totals) < len(sizes):
            worst.append((math.inf, f"{name}: over the cap at {totals[-1][0]:,} characters"))
    worst.sort(reverse=True)
    print("\nsteepest growth:", ", ".join(f"{label} {g:.2f}" for g, label in worst[:5]) or "-")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
