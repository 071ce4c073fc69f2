"""Mixed-encoding lines: does the decode stage read each legacy line of a mixed file with
its own codec, and say `fallback` only when no codec reads it?

    python -m cleaner.bench.mixed_lines /work/shared/bench [--threshold 0.9 ...]

Every line holding a run of non-ASCII bytes in the multi-byte folders of
``encoding/`` (Big5, GB2312, CP932, SHIFT_JIS, EUC-KR, CP949) is put, as one legacy span,
through `decode_legacy_span` once for each codec the stage may have picked for the spans
of the whole file (gb18030, big5hkscs, cp932, cp949), the way a UTF-8 page holding that
line would. A reading is right when the text equals the line read with its folder's
codec. Printed: right readings before the per-line check (every legacy line read with
the file's codec) and after, lines fixed and broken by it, and the `fallback` verdicts
among right readings (false alarms) and among wrong ones (mojibake said). Files are
split by `holdout.part_of("encoding-lines", folder/file)`; tune on tuning, report test.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from cleaner.bench.encoding import true_codec
from cleaner.bench.holdout import part_of
from cleaner.stages.decode import (
    _MULTI_BYTE_LEGACY,
    _NON_ASCII_RUN,
    DecodeConfig,
    decode_legacy_span,
)

FOLDERS = ("Big5", "GB2312", "CP932", "SHIFT_JIS", "EUC-KR", "CP949")


def bench_lines(bench: Path) -> list[tuple[str, bytes, str]]:
    """(part, line bytes, true text) for every judged line of the multi-byte folders."""
    lines = []
    for folder in FOLDERS:
        codec = true_codec(folder)
        for path in sorted((bench / "encoding" / folder).iterdir()):
            part = part_of("encoding-lines", f"{folder}/{path.name}")
            for line in path.read_bytes().splitlines():
                if not _NON_ASCII_RUN.search(line):
                    continue
                try:
                    lines.append((part, line, line.decode(codec)))
                except UnicodeDecodeError:
                    continue  # a line the folder's own codec cannot read: no truth
    return lines


def score(lines: list[tuple[str, bytes, str]], threshold: float) -> dict[str, Counter]:
    """Per part: readings right before the per-line check (one codec for every legacy
    line) and after it, lines fixed and broken by it, and fallback verdicts."""
    config = DecodeConfig(mixed_line_min_common_share=threshold)
    tallies: dict[str, Counter] = {"tuning": Counter(), "test": Counter()}
    for part, line, truth in lines:
        tally = tallies[part]
        for assumed in _MULTI_BYTE_LEGACY:
            before = line.decode(assumed, errors="replace") == truth
            text, plausible = decode_legacy_span(line, assumed, config, [])
            after = text == truth
            tally["readings"] += 1
            tally["before"] += before
            tally["after"] += after
            tally["fixed"] += after and not before
            tally["broken"] += before and not after
            tally["right_but_fallback"] += after and not plausible
            tally["wrong_and_fallback"] += (not after) and not plausible
            tally["wrong"] += not after
    return tallies


def main(arguments: list[str]) -> int:
    if not arguments:
        print(__doc__, file=sys.stderr)
        return 2
    bench = Path(arguments[0])
    thresholds = [float(value) for value in arguments[2:]] if "--threshold" in arguments else []
    lines = bench_lines(bench)
    print(
        "threshold  part     readings  right before  after  fixed  broken  "
        "fallback: of right  of wrong"
    )
    for threshold in thresholds or [DecodeConfig().mixed_line_min_common_share]:
        for part, tally in score(lines, threshold).items():
            readings = tally["readings"] or 1
            wrong = tally["wrong"] or 1
            print(
                f"{threshold:9.2f}  {part:7}  {tally['readings']:8}  "
                f"{tally['before'] / readings:12.3f}  {tally['after'] / readings:5.3f}  "
                f"{tally['fixed']:5}  {tally['broken']:6}  "
                f"{tally['right_but_fallback'] / readings:18.3f}  "
                f"{tally['wrong_and_fallback'] / wrong:8.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
