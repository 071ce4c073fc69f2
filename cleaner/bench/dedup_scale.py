"""Cost curve and memory of the near-duplicate index from 1,000 to 100,000 documents.

    python -m cleaner.bench.dedup_scale ../shared/bench [--sizes 1000 10000 100000]

Each run is a fresh process (so its peak RSS is its own) that indexes synthetic ~1,500-
character Chinese documents (`cleaner.bench.dedup.synthetic_documents`: characters drawn with
the bench texts' frequencies, one in ten an edited copy of a recent one) in groups of
`DOCUMENTS_JUDGED_TOGETHER` per `check_and_add_many` call, as the pipeline's parent does.
Two streams per size:

- **ordinary**: those documents;
- **one hot story**: every tenth document is instead an edited copy of one single story
  (5% of its characters changed), so at 100,000 documents that story has 10,000 copies; a
  quadratic index (every copy verified against every earlier one) shows up here.

Fingerprinting (normalise, shingle, sign) and the index (band and anchor look-up,
verification, insert) are timed apart, in CPU seconds of the process, since the machine is
shared; the index part is where the cost could grow with the corpus. Memory per indexed
document is the index's growth under tracemalloc (a separate run, tracing slows it down).
Nothing here is tuned, so there is no tuning/test split: the documents are synthetic.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from cleaner.bench.dedup import bench_texts, synthetic_documents
from cleaner.stages.dedup import (
    DOCUMENTS_JUDGED_TOGETHER,
    DedupConfig,
    NearDuplicateIndex,
    fingerprint_text,
)

# Every this many documents, one is a copy of the hot story (10,000 copies in 100,000).
HOT_EVERY = 10


@dataclass(frozen=True)
class RunResult:
    stream: str
    documents: int
    fingerprint_cpu: float  # seconds
    index_cpu: float
    wall: float
    flagged: int
    hot_copies: int
    hot_copies_joined: int  # copies whose cluster is the hot story's first copy
    candidates_verified: int
    most_candidates: int
    peak_rss_mib: float
    rss_growth_mib: float
    tail_index_rate: float  # documents per index CPU second over the last tenth

    @property
    def rate(self) -> float:
        return self.documents / (self.fingerprint_cpu + self.index_cpu)

    @property
    def index_rate(self) -> float:
        return self.documents / self.index_cpu


def documents(bench: Path, count: int, hot: bool) -> Iterator[tuple[str, bool]]:
    """(text, whether it is a copy of the hot story) for the stream of `count` documents."""
    stream = synthetic_documents(bench_texts(bench), count)
    generator = np.random.default_rng(11)
    hot_story: np.ndarray | None = None
    for number, text in enumerate(stream):
        if not hot:
            yield text, False
        elif hot_story is None:
            hot_story = np.array(list(text))
            yield text, False
        elif number % HOT_EVERY == HOT_EVERY - 1:
            copy = hot_story.copy()
            changed = generator.integers(0, len(copy), len(copy) // 20)
            copy[changed] = hot_story[generator.integers(0, len(copy), len(changed))]
            yield "".join(copy.tolist()), True
        else:
            yield text, False


def _rss_mib() -> float:
    with open("/proc/self/statm") as stream:
        return int(stream.read().split()[1]) * resource.getpagesize() / 2**20


def run_one(bench: Path, count: int, hot: bool) -> RunResult:
    config = DedupConfig()
    # Warm the process-wide character tables and scratch buffers outside the timing.
    warm = NearDuplicateIndex(config)
    for number, (text, _) in enumerate(documents(bench, 50, hot)):
        warm.check_and_add(f"warm-{number}", text)
    index = NearDuplicateIndex(config)
    rss_before = _rss_mib()
    fingerprint_cpu = index_cpu = tail_cpu = 0.0
    tail_documents = 0
    flagged = hot_copies = joined = 0
    hot_first = "0" if hot else None
    wall = time.perf_counter()
    stream = enumerate(documents(bench, count, hot))
    while group := list(itertools.islice(stream, DOCUMENTS_JUDGED_TOGETHER)):
        started = time.process_time()
        records = [
            (str(number), text, fingerprint_text(text, config)) for number, (text, _) in group
        ]
        fingerprinted = time.process_time()
        verdicts = index.check_and_add_many(records)
        spent = time.process_time() - fingerprinted
        fingerprint_cpu += fingerprinted - started
        index_cpu += spent
        if group[0][0] >= count - count // 10:
            tail_cpu += spent
            tail_documents += len(group)
        for (_, (_, is_hot)), verdict in zip(group, verdicts, strict=True):
            flagged += verdict.relation is not None
            hot_copies += is_hot
            joined += is_hot and verdict.cluster == hot_first
    wall = time.perf_counter() - wall
    statistics = index.statistics
    return RunResult(
        stream="one hot story" if hot else "ordinary",
        documents=count,
        fingerprint_cpu=fingerprint_cpu,
        index_cpu=index_cpu,
        wall=wall,
        flagged=flagged,
        hot_copies=hot_copies,
        hot_copies_joined=joined,
        candidates_verified=statistics.candidates_verified,
        most_candidates=statistics.most_candidates,
        peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        rss_growth_mib=_rss_mib() - rss_before,
        tail_index_rate=tail_documents / tail_cpu if tail_cpu else float("nan"),
    )


def memory_per_document(bench: Path, count: int, untraced: int = 200) -> float:
    """Bytes the index grows by per indexed document, traced by tracemalloc. The first
    `untraced` documents are indexed before tracing starts, so the generator's one-off
    state and the index's first allocations are not counted against the rest."""
    config = DedupConfig()
    index = NearDuplicateIndex(config)
    stream = enumerate(documents(bench, count + untraced, hot=False))
    for number, (text, _) in stream:
        index.check_and_add(str(number), text)
        if number == untraced - 1:
            break
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    for number, (text, _) in stream:
        index.check_and_add(str(number), text)
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (after - before) / count


def _in_child(arguments: list[str]) -> dict:
    command = [sys.executable, "-m", "cleaner.bench.dedup_scale", *arguments]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(finished.stdout.splitlines()[-1])


def table(results: list[RunResult], memory: dict[int, float]) -> list[str]:
    lines = [
        "| stream | documents | docs/s (CPU, fingerprint + index) | index only: docs/s "
        "(last tenth) | candidates verified per doc: mean, max | flagged | hot copies "
        "joined to the first | peak RSS | RSS growth |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        hot = f"{r.hot_copies_joined:,}/{r.hot_copies:,}" if r.hot_copies else ""
        lines.append(
            f"| {r.stream} | {r.documents:,} | {r.rate:,.0f} | {r.index_rate:,.0f} "
            f"({r.tail_index_rate:,.0f}) | {r.candidates_verified / r.documents:.2f}, "
            f"{r.most_candidates} | {r.flagged:,} | {hot} | {r.peak_rss_mib:,.0f} MiB | "
            f"{r.rss_growth_mib:,.0f} MiB |"
        )
    for stream in dict.fromkeys(r.stream for r in results):
        rates = [r.rate for r in results if r.stream == stream]
        spread = (max(rates) - min(rates)) / max(rates)
        lines.append(f"\n{stream}: slowest size {spread:.1%} below the fastest (target <= 15%)")
    for count, per_document in memory.items():
        lines.append(
            f"index memory per document (tracemalloc, {count:,} docs): {per_document:,.0f} B"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path, help="the shared bench folder")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--memory-sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child's run
    parser.add_argument("--hot", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--memory", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.one:
        print(json.dumps(asdict(run_one(arguments.bench, arguments.one, arguments.hot))))
        return
    if arguments.memory:
        print(json.dumps({"bytes": memory_per_document(arguments.bench, arguments.memory)}))
        return
    bench = str(arguments.bench)
    results = [
        RunResult(**_in_child([bench, "--one", str(size), *(["--hot"] if hot else [])]))
        for hot in (False, True)
        for size in arguments.sizes
    ]
    memory = {
        size: _in_child([bench, "--memory", str(size)])["bytes"] for size in arguments.memory_sizes
    }
    print("\n".join(table(results, memory)))


if __name__ == "__main__":
    main()
