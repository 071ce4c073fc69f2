"""Speed and scale benchmark: whole runs against trafilatura, workers, memory, cost curve.

    python -m cleaner.bench.speed /work/shared/bench                    # pages/s, workers
    python -m cleaner.bench.speed /work/shared/bench --sizes 1000,10000,100000

1. Pages/s of a whole cleaner run (read + decode + extract + boilerplate + spam + split +
   dedup + write) over the extraction-en and extraction-zh pages, next to trafilatura's
   `extract` alone on the same pages in the same process (bench-only dependency).
2. The same run with 1 and with N workers (output compared byte for byte).
3. For each size: a crawl-like JSONL of that many synthetic pages (bench ground-truth
   stories wrapped in boilerplate, with word edits so that few are exact copies), run
   through the CLI in a child process; prints seconds, documents/s and peak RSS.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleaner.config import load_config
from cleaner.output import RunOutput
from cleaner.pipeline import run
from cleaner.stages.dedup import NearDuplicateIndex


def bench_pages(bench: Path) -> dict[str, bytes]:
    """Every extraction page as raw bytes, keyed by a file name."""
    pages = {}
    for path in sorted((bench / "extraction-en" / "html").glob("*.html.gz")):
        pages[f"en-{path.name[:-3]}"] = gzip.decompress(path.read_bytes())
    for path in sorted((bench / "extraction-zh" / "original").glob("*.html")):
        pages[f"zh-{path.name}"] = path.read_bytes()
    return pages


def time_cleaner(pages: dict[str, bytes], workers: int, work: Path) -> tuple[float, bytes]:
    corpus = work / f"corpus-{workers}"
    corpus.mkdir()
    for name, raw in pages.items():
        (corpus / name).write_bytes(raw)
    out = work / f"out-{workers}"
    config = load_config(run={"workers": workers, "quiet": True})
    started = time.perf_counter()
    index = NearDuplicateIndex(config.dedup, str(out / "dedup-index"))
    run([str(corpus)], RunOutput(out), config, index=index)
    index.close()
    seconds = time.perf_counter() - started
    return seconds, (out / "articles.jsonl").read_bytes()


def time_trafilatura(pages: dict[str, bytes]) -> float | None:
    try:
        import trafilatura
    except ImportError:
        return None
    started = time.perf_counter()
    for raw in pages.values():
        trafilatura.extract(raw)
    return time.perf_counter() - started


def throughput(bench: Path, workers: int) -> None:
    pages = bench_pages(bench)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        single, single_output = time_cleaner(pages, 1, work)
        parallel, parallel_output = time_cleaner(pages, workers, work)
    reference = time_trafilatura(pages)
    count = len(pages)
    print(f"pages: {count} (extraction-en + extraction-zh)")
    print(f"cleaner whole run, 1 worker : {count / single:8.1f} pages/s ({single:.2f} s)")
    print(
        f"cleaner whole run, {workers} workers: {count / parallel:8.1f} pages/s "
        f"({parallel:.2f} s, {single / parallel:.2f}x; output identical: "
        f"{single_output == parallel_output})"
    )
    if reference is None:
        print("trafilatura not installed: pip install -e '.[bench]'")
    else:
        print(f"trafilatura extract alone  : {count / reference:8.1f} pages/s ({reference:.2f} s)")
        print(f"cleaner / trafilatura      : {reference / single:8.2f}x (single process)")


# ---------------------------------------------------------------- cost curve

_TEMPLATE = (
    "<html><head><title>{title}</title><meta property='article:published_time' "
    "content='2024-0{month}-1{day}'></head><body><nav><a href='/'>首页</a> <a href='/news'>新闻"
    "</a> <a href='/world'>World</a></nav><div class='crumbs'>当前位置：首页 &gt; 新闻</div>"
    "<article><h1>{title}</h1>{paragraphs}</article><aside><h3>相关阅读</h3><ul>{related}"
    "</ul></aside><footer>Copyright © 2024 Example News. 版权所有 转载请注明出处</footer>"
    "</body></html>"
)


def story_texts(bench: Path) -> list[str]:
    truth = json.loads((bench / "extraction-en" / "ground-truth.json").read_text())
    texts = [entry["articleBody"] for entry in truth.values() if entry.get("articleBody")]
    texts += [
        path.read_text(encoding="utf-8")
        for path in sorted((bench / "extraction-zh" / "cleaned").glob("*.txt"))
    ]
    return [text for text in texts if len(text) > 400]


def synthetic_page(texts: list[str], rng: random.Random, n: int) -> str:
    text = rng.choice(texts)
    start = rng.randrange(max(1, len(text) - 1500))
    body = text[start : start + 1500]
    words = body.split(" ")
    for _ in range(5):  # a few edits, so most pages are near- but not exact duplicates
        words[rng.randrange(len(words))] = f"edit{n}"
    paragraphs = "".join(f"<p>{part}</p>" for part in " ".join(words).split("\n") if part)
    related = "".join(f"<li><a href='/n/{n + k}'>Related story {n + k}</a></li>" for k in range(5))
    return _TEMPLATE.format(
        title=f"Story {n}",
        paragraphs=paragraphs,
        related=related,
        month=1 + n % 9,
        day=n % 10,
    )


def cost_curve(bench: Path, sizes: list[int], workers: int) -> None:
    texts = story_texts(bench)
    rng = random.Random(7)
    print(f"{'documents':>10} {'seconds':>9} {'docs/s':>8} {'peak RSS MiB':>13}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as scratch:
            crawl = Path(scratch) / "crawl.jsonl"
            with open(crawl, "w", encoding="utf-8") as stream:
                for n in range(size):
                    record = {"id": f"doc{n}", "html": synthetic_page(texts, rng, n)}
                    stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            seconds, peak = _child_run(crawl, Path(scratch) / "out", workers)
        print(f"{size:>10} {seconds:>9.1f} {size / seconds:>8.0f} {peak:>13.0f}")


def _child_run(crawl: Path, out: Path, workers: int) -> tuple[float, float]:
    """Run the CLI in a child process; its peak RSS (the largest process) in MiB."""
    command = [sys.executable, "-m", "cleaner", "run", str(crawl), "-o", str(out), "-q"]
    command += ["--workers", str(workers)]
    probe = (
        "import resource, subprocess, sys, time;"
        "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True);"
        "print(time.perf_counter() - t,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True
    )
    seconds, peak = result.stdout.split()
    shutil.rmtree(out, ignore_errors=True)
    return float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path, help="path to the shared bench/ folder")
    parser.add_argument("--workers", type=int, default=2, help="workers for the parallel run")
    parser.add_argument("--sizes", default="", help="comma-separated corpus sizes to time")
    parser.add_argument("--skip-throughput", action="store_true")
    arguments = parser.parse_args()
    if not arguments.skip_throughput:
        throughput(arguments.bench, arguments.workers)
    if arguments.sizes:
        sizes = [int(size) for size in arguments.sizes.split(",")]
        cost_curve(arguments.bench, sizes, arguments.workers)


if __name__ == "__main__":
    main()
