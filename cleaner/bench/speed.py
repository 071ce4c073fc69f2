"""Speed as the user meets it: whole `cleaner run` processes against trafilatura, start-up,
workers, stage CPU, memory and the cost curve.

    python -m cleaner.bench.speed ../shared/bench                 # start-up, runs, workers
    python -m cleaner.bench.speed ../shared/bench --skip-throughput --sizes 1000,10000

Every figure is of a child process, start-up included, timed from outside: CPU seconds are
the child's user + system time (and its workers', which it waits for), wall seconds the
clock. Each command runs `--repeat` times, interleaved (cleaner, trafilatura, cleaner, ...),
and the median is printed, so a machine that gets busier during the bench slows both.

1. Start-up: `python -X importtime` of `cleaner.cli` and of a one-page run (the largest
   imports), then `cleaner --version`, `--help`, `run` and `diff` on one small page.
2. Whole runs over the 171 extraction pages (extraction-en + extraction-zh) and the 621
   L3S-GN1 news pages: `cleaner run DIR --out OUT --workers 1` next to a process that
   imports trafilatura and calls its `extract` on every page (bench extra), pages per CPU
   second and per wall second; then `--workers N` (wall speed-up, output byte-identical).
3. CPU seconds per stage from the one-worker run's summary.json.
4. The cost curve (`--sizes`): synthetic crawls of that many pages through the CLI.
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cleaner

# Extracts every file of a directory with trafilatura, as a user's script would.
TRAFILATURA_LOOP = """
import sys
from pathlib import Path
import trafilatura
for path in sorted(Path(sys.argv[1]).iterdir()):
    trafilatura.extract(path.read_bytes())
"""


@dataclass(frozen=True)
class Timing:
    cpu: float
    wall: float


def timed(command: list[str], before: Callable[[], None] | None = None) -> Timing:
    """CPU (user + system, the child's and its waited-for children's) and wall seconds."""
    if before is not None:
        before()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)
    return Timing(cpu, wall)


def medians(timings: list[Timing]) -> Timing:
    return Timing(
        statistics.median(t.cpu for t in timings), statistics.median(t.wall for t in timings)
    )


def cleaner_command(*arguments: str) -> list[str]:
    """The installed console script when there is one (what a user runs), else -m."""
    script = Path(sys.executable).with_name("cleaner")
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "cleaner"]
    return [*launcher, *arguments]


def write_corpus(pages: dict[str, bytes], directory: Path) -> Path:
    directory.mkdir(parents=True)
    for name, raw in pages.items():
        (directory / name).write_bytes(raw)
    return directory


def bench_pages(bench: Path) -> dict[str, bytes]:
    """The 171 extraction pages as raw bytes, keyed by a file name."""
    pages = {}
    for path in sorted((bench / "extraction-en" / "html").glob("*.html.gz")):
        pages[f"en-{path.name[:-3]}"] = gzip.decompress(path.read_bytes())
    for path in sorted((bench / "extraction-zh" / "original").glob("*.html")):
        pages[f"zh-{path.name}"] = path.read_bytes()
    return pages


def news_pages(bench: Path) -> dict[str, bytes]:
    """The L3S-GN1 Google News pages."""
    folder = bench / "extraction-web" / "l3s-gn1" / "pages"
    return {
        path.name[:-3]: gzip.decompress(path.read_bytes()) for path in sorted(folder.glob("*.gz"))
    }


# ---------------------------------------------------------------- start-up


def import_seconds(code: list[str]) -> tuple[float, list[tuple[str, float]]]:
    """`python -X importtime`: all imports' seconds and the largest top-level packages."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *code], capture_output=True, text=True
    )
    by_package: dict[str, float] = {}
    total = 0.0
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if not cumulative.strip().isdigit() or name.startswith("  "):
            continue
        seconds = int(cumulative) / 1e6  # a top-level import: nested ones are inside it
        total += seconds
        package = name.strip().split(".")[0]
        by_package[package] = by_package.get(package, 0.0) + seconds
    largest = sorted(by_package.items(), key=lambda item: -item[1])[:6]
    return total, largest


def startup(page: bytes, work: Path, repeat: int) -> None:
    corpus = write_corpus({"page.html": page}, work / "one-page")
    out = work / "one-page-out"
    print(f"start-up (one {len(page) / 1024:.0f} KiB page; median of {repeat}):")
    for label, code in (
        ("import cleaner.cli", ["-c", "import cleaner.cli"]),
        ("cleaner run, one page", ["-m", "cleaner", "run", str(corpus), "-o", str(out), "-q"]),
    ):
        shutil.rmtree(out, ignore_errors=True)
        total, largest = import_seconds(code)
        parts = ", ".join(f"{name} {seconds:.2f}" for name, seconds in largest)
        print(f"  imports of {label:<22}: {total:5.2f} s ({parts})")
    commands = {
        "cleaner --version": cleaner_command("--version"),
        "cleaner --help": cleaner_command("--help"),
        "cleaner run (one page)": cleaner_command("run", str(corpus), "-o", str(out), "-q"),
        "cleaner diff (one page)": cleaner_command("diff", str(corpus / "page.html")),
    }
    for label, command in commands.items():
        timing = medians(
            [timed(command, lambda: shutil.rmtree(out, ignore_errors=True)) for _ in range(repeat)]
        )
        print(f"  {label:<24}: {timing.cpu:5.2f} s CPU, {timing.wall:5.2f} s wall")


# ---------------------------------------------------------------- whole runs


def whole_runs(name: str, pages: dict[str, bytes], work: Path, workers: int, repeat: int) -> None:
    corpus = write_corpus(pages, work / f"corpus-{name}")
    outputs = {count: work / f"out-{name}-{count}" for count in (1, workers)}

    def run_with(count: int) -> list[str]:
        return cleaner_command(
            "run", str(corpus), "-o", str(outputs[count]), "-q", "--workers", str(count)
        )

    def fresh(count: int) -> Callable[[], None]:
        return lambda: shutil.rmtree(outputs[count], ignore_errors=True)

    reference = _trafilatura_command(corpus)
    single, parallel, anchor = [], [], []
    for _ in range(repeat):
        single.append(timed(run_with(1), fresh(1)))
        if reference is not None:
            anchor.append(timed(reference))
        parallel.append(timed(run_with(workers), fresh(workers)))
    count = len(pages)
    one, many = medians(single), medians(parallel)
    print(f"{name}: {count} pages, whole processes, median of {repeat}")
    print(f"  {'':<34} {'pages/CPU s':>11} {'pages/s wall':>12} {'CPU s':>7} {'wall s':>7}")
    _row("cleaner run --workers 1", count, one)
    if anchor:
        reference_timing = medians(anchor)
        _row("trafilatura 2.3.1 extract loop", count, reference_timing)
    else:
        print("  trafilatura not installed: pip install -e '.[bench]'")
    _row(f"cleaner run --workers {workers}", count, many)
    if anchor:
        print(
            f"  cleaner / trafilatura, pages per CPU second: "
            f"{reference_timing.cpu / one.cpu:.2f}x (wall {reference_timing.wall / one.wall:.2f}x)"
        )
    identical = all(
        (outputs[1] / part).read_bytes() == (outputs[workers] / part).read_bytes()
        for part in ("articles.jsonl", "documents.jsonl", "errors.jsonl")
    )
    print(
        f"  --workers {workers} / --workers 1, wall: {one.wall / many.wall:.2f}x; "
        f"output byte-identical: {identical}"
    )
    stage_cpu(outputs[1] / "summary.json", one.cpu)


def _trafilatura_command(corpus: Path) -> list[str] | None:
    probe = subprocess.run([sys.executable, "-c", "import trafilatura"], capture_output=True)
    if probe.returncode != 0:
        return None
    return [sys.executable, "-c", TRAFILATURA_LOOP, str(corpus)]


def _row(label: str, count: int, timing: Timing) -> None:
    print(
        f"  {label:<34} {count / timing.cpu:11.1f} {count / timing.wall:12.1f} "
        f"{timing.cpu:7.2f} {timing.wall:7.2f}"
    )


def stage_cpu(summary_path: Path, process_cpu: float) -> None:
    """summary.json's CPU seconds per stage, and what the process spent besides them."""
    timings = json.loads(summary_path.read_text(encoding="utf-8"))["timings"]
    staged = sum(timings.values())
    parts = ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in timings.items())
    print(f"  stage CPU s (--workers 1): {parts}")
    print(
        f"  stages {staged:.2f} of {process_cpu:.2f} s CPU; the rest ({process_cpu - staged:.2f}) "
        "is start-up, records, JSON, fingerprints, the index and writing"
    )


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
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command (median)")
    parser.add_argument("--sizes", default="", help="comma-separated corpus sizes to time")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-news", action="store_true", help="not the 621 L3S-GN1 pages")
    arguments = parser.parse_args()
    # Byte-compiled once, as an installed package is: a process that finds no .pyc (with
    # PYTHONDONTWRITEBYTECODE set) would compile every module it imports on every start.
    compileall.compile_dir(Path(cleaner.__file__).parent, quiet=1)
    if not arguments.skip_throughput:
        pages = bench_pages(arguments.bench)
        with tempfile.TemporaryDirectory() as scratch:
            work = Path(scratch)
            smallest = min(pages.values(), key=len)
            startup(smallest, work, max(arguments.repeat, 5))
            whole_runs("extraction", pages, work, arguments.workers, arguments.repeat)
            if not arguments.skip_news:
                news = news_pages(arguments.bench)
                whole_runs("l3s-gn1", news, work, arguments.workers, arguments.repeat)
    if arguments.sizes:
        sizes = [int(size) for size in arguments.sizes.split(",")]
        cost_curve(arguments.bench, sizes, arguments.workers)


if __name__ == "__main__":
    main()
