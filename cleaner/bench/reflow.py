"""Benchmark of the paragraph join: broken paragraphs found again, real ones left apart.

    python -m cleaner.bench.reflow /work/shared/bench [--share 0.3] [--seed 1]

The ground-truth article texts of ``extraction-zh/cleaned`` and ``extraction-en`` give real
paragraphs (one per line). Each page is written out as Markdown, paragraphs separated by a
blank line, after breaking a share of its paragraphs in two at a random place (CJK: between
any two characters; English: at a space, or inside a word with a hyphen), the way a stray
blank line breaks seed 004's paragraphs. The page then goes through decode, extract and
reflow, and the block boundaries are compared with the truth:

- breaks joined: the share of inserted breaks that no longer separate two blocks;
- real boundaries joined: the share of true paragraph boundaries that the stage removed
  (each one is two real paragraphs glued together: the error that matters most);
- pages with a wrong join: pages where at least one real boundary was removed.

A wrong join is also counted apart when the truth text itself is broken there: its line
stops at a comma or the next line opens with a clause mark (a real paragraph does neither;
such truth lines come from pages that break sentences with <br>).

Pages whose truth is a hard-wrapped copy or a list (over half its lines stop mid-sentence)
are left out, as are pages where extraction changes the text (Markdown syntax in the truth).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.config import Config
from cleaner.document import Document
from cleaner.stages import decode, extract, reflow

# A paragraph shorter than this is not broken: a headline or a byline, not a sentence.
MIN_BROKEN_LENGTH = 12
_SENTENCE_END = re.compile(r"[。！？!?.…”’\"')）」』:：;；]$")
_BROKEN_TRUTH_END = re.compile(r"[，,、]$")
_BROKEN_TRUTH_START = re.compile(r"[，。、；,;]")


@dataclass
class Scores:
    pages: int = 0
    skipped: int = 0
    breaks: int = 0
    breaks_joined: int = 0
    boundaries: int = 0
    boundaries_joined: int = 0
    broken_truth_joined: int = 0
    pages_wrongly_joined: int = 0
    wrong_joins: list[str] = field(default_factory=list)


def truth_pages(bench: Path) -> Iterator[tuple[str, list[str], bool]]:
    """(name, paragraphs, is_latin) for every ground-truth article of the bench."""
    for path in sorted((bench / "extraction-zh" / "cleaned").glob("*.txt")):
        yield path.name, _paragraphs(path.read_text(encoding="utf-8")), False
    truth = json.loads((bench / "extraction-en" / "ground-truth.json").read_text())
    for name, entry in sorted(truth.items()):
        yield name, _paragraphs(entry["articleBody"]), True


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def already_wrapped(paragraphs: list[str]) -> bool:
    """A truth text copied from a hard-wrapped page: many lines stop mid-sentence."""
    unfinished = sum(1 for paragraph in paragraphs if not _SENTENCE_END.search(paragraph))
    return unfinished > 0.5 * len(paragraphs)


def break_paragraph(paragraph: str, is_latin: bool, rng: random.Random) -> tuple[str, str]:
    """Split one paragraph in two at a random place, as a stray blank line would."""
    if not is_latin:
        cut = rng.randint(1, len(paragraph) - 1)
        return paragraph[:cut], paragraph[cut:]
    spaces = [index for index, char in enumerate(paragraph) if char == " "]
    cut = rng.choice(spaces)
    word = re.match(r"[a-z]{6,}", paragraph[cut + 1 :])
    if word and rng.random() < 0.3:
        # "infra-" / "structure": a word hyphenated across the break.
        middle = cut + 1 + len(word.group()) // 2
        return paragraph[:middle] + "-", paragraph[middle:]
    return paragraph[:cut], paragraph[cut + 1 :]


def laid_out(
    paragraphs: list[str], is_latin: bool, share: float, rng: random.Random
) -> tuple[list[str], list[bool]]:
    """The pieces written to the page, and for each boundary whether it is a true one."""
    pieces: list[str] = []
    true_boundary: list[bool] = []
    for paragraph in paragraphs:
        if pieces:
            true_boundary.append(True)
        breakable = len(paragraph) >= MIN_BROKEN_LENGTH and (not is_latin or " " in paragraph)
        if breakable and rng.random() < share:
            head, tail = break_paragraph(paragraph, is_latin, rng)
            pieces += [head, tail]
            true_boundary.append(False)
        else:
            pieces.append(paragraph)
    return pieces, true_boundary


def kept_boundaries(pieces: list[str], config: Config) -> list[bool] | None:
    """For each boundary between pieces, whether the stages left a block boundary there.
    None when extraction changed the text, so offsets no longer line up."""
    raw = "\n\n".join(pieces).encode()
    document = Document("bench.md", raw=raw, media_type="markdown")
    for stage in (decode, extract, reflow):
        document = stage.apply(document, config.settings_of(stage.NAME))
    block_ends = set(_running_ends(block.text for block in document.blocks))
    piece_ends = _running_ends(pieces)
    if not block_ends or max(block_ends) != piece_ends[-1]:
        return None
    return [end in block_ends for end in piece_ends[:-1]]


def _running_ends(texts) -> list[int]:
    """Offsets, in characters other than spaces and hyphens, where each text ends."""
    ends, total = [], 0
    for text in texts:
        total += len(re.sub(r"[\s-]", "", text))
        ends.append(total)
    return ends


def score(bench: Path, share: float, seed: int, config: Config) -> Scores:
    scores = Scores()
    rng = random.Random(seed)
    for name, paragraphs, is_latin in truth_pages(bench):
        if len(paragraphs) < 2 or already_wrapped(paragraphs):
            scores.skipped += 1
            continue
        pieces, truth = laid_out(paragraphs, is_latin, share, rng)
        kept = kept_boundaries(pieces, config)
        if kept is None:
            scores.skipped += 1
            continue
        scores.pages += 1
        _score_page(name, pieces, truth, kept, scores)
    return scores


def _score_page(
    name: str, pieces: list[str], truth: list[bool], kept: list[bool], scores: Scores
) -> None:
    wrong = 0
    for index, (is_true, is_kept) in enumerate(zip(truth, kept, strict=True)):
        if not is_true:
            scores.breaks += 1
            scores.breaks_joined += not is_kept
            continue
        scores.boundaries += 1
        if is_kept:
            continue
        wrong += 1
        head, tail = pieces[index], pieces[index + 1]
        broken = bool(_BROKEN_TRUTH_END.search(head) or _BROKEN_TRUTH_START.match(tail))
        scores.broken_truth_joined += broken
        mark = " (truth broken here)" if broken else ""
        scores.wrong_joins.append(f"{name[:12]}: …{head[-20:]} | {tail[:20]}…{mark}")
    scores.boundaries_joined += wrong
    scores.pages_wrongly_joined += wrong > 0


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f} ({part}/{whole})" if whole else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("bench", type=Path, help="the shared bench folder")
    parser.add_argument("--share", type=float, default=0.3, help="share of paragraphs broken")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the breaks")
    arguments = parser.parse_args(argv)
    started = time.perf_counter()
    scores = score(arguments.bench, arguments.share, arguments.seed, Config())
    rows = [
        ("pages (skipped)", f"{scores.pages} ({scores.skipped})"),
        ("breaks joined", _ratio(scores.breaks_joined, scores.breaks)),
        ("real boundaries joined", _ratio(scores.boundaries_joined, scores.boundaries)),
        ("  of them where the truth is broken", str(scores.broken_truth_joined)),
        ("pages with a wrong join", _ratio(scores.pages_wrongly_joined, scores.pages)),
        ("seconds", f"{time.perf_counter() - started:.1f}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    for wrong in scores.wrong_joins[:30]:
        print("wrong join:", wrong)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
