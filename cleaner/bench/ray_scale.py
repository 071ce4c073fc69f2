"""Ray against the process pool on this machine, and what the shared Redis index costs.

    python -m cleaner.bench.ray_scale ../shared/bench [--repeat 3] [--limit N]

1. Pages: the test part (`part_of`) of the L3S-GN1 news pages (many sites) and of the 171
   extraction pages (English and Chinese sites), written to a scratch folder.
2. Whole `cleaner run` processes, timed from outside and interleaved, median of --repeat:
   `--workers 2` (the process pool) and `--ray --workers 2` (a Ray the run starts on this
   machine with 2 CPUs). Ray's fixed cost is the same `--ray` run over one page. The
   outputs are compared byte for byte.
3. Redis: a redis-server on a free loopback port, one `--workers 2 --index redis://` run;
   `INFO commandstats` before and after gives the commands per indexed record, by command,
   and the run's wall the driver's rate with the index across a socket.
4. `redis-benchmark` (redis-tools) replays each of those commands, shaped like the index's
   (keys spread over a million names, a record the size the index stores), pipelined from
   parallel clients; from its rates, the documents per second one Redis instance serves.

Everything runs on the bench machine (2 shared cores here): the server, the benchmark
clients and the run compete for them, so the Redis figures are a floor.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from cleaner.bench.holdout import part_of
from cleaner.bench.speed import (
    Timing,
    bench_pages,
    cleaner_command,
    medians,
    news_pages,
    timed,
    write_corpus,
)

OUTPUTS = ("articles.jsonl", "errors.jsonl", "documents.jsonl")
# 10^8 pages a day, the scale a crawl bigger than one machine reaches.
PAGES_PER_DAY = 100_000_000


def test_pages(bench: Path, limit: int | None) -> dict[str, bytes]:
    pages = {
        name: raw for name, raw in news_pages(bench).items() if part_of("l3s-gn1", name) == "test"
    }
    for name, raw in bench_pages(bench).items():
        set_name = "extraction-en" if name.startswith("en-") else "extraction-zh"
        if part_of(set_name, name[3:]) == "test":
            pages[name] = raw
    names = sorted(pages)[:limit] if limit else sorted(pages)
    return {name: pages[name] for name in names}


def engines(corpus: Path, work: Path, repeat: int) -> None:
    one_page = work / "one-page"
    one_page.mkdir()
    first = sorted(corpus.iterdir())[0]
    (one_page / first.name).write_bytes(first.read_bytes())
    runs = {
        "--workers 2": (corpus, ["--workers", "2"]),
        "--ray --workers 2": (corpus, ["--ray", "--workers", "2"]),
        "--workers 2, one page": (one_page, ["--workers", "2"]),
        "--ray --workers 2, one page": (one_page, ["--ray", "--workers", "2"]),
    }
    timings: dict[str, list[Timing]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, (inputs, options) in runs.items():
            out = work / f"out {name}"
            shutil.rmtree(out, ignore_errors=True)
            command = cleaner_command("run", str(inputs), "-o", str(out), "-q", *options)
            timings[name].append(timed(command))
    pages = len(list(corpus.iterdir()))
    pool, on_ray = medians(timings["--workers 2"]), medians(timings["--ray --workers 2"])
    pool_start = medians(timings["--workers 2, one page"])
    ray_start = medians(timings["--ray --workers 2, one page"])
    print(f"{pages} pages (test parts), whole processes, median of {repeat}")
    print(f"  {'':<16} {'wall s':>7} {'pages/s':>8} {'one page s':>11} {'pages/s after it':>17}")
    for name, whole, start in (
        ("--workers 2", pool, pool_start),
        ("--ray --workers 2", on_ray, ray_start),
    ):
        after = (pages - 1) / max(whole.wall - start.wall, 1e-9)
        print(
            f"  {name:<16} {whole.wall:>7.2f} {pages / whole.wall:>8.1f} "
            f"{start.wall:>11.2f} {after:>17.1f}"
        )
    overhead = (on_ray.wall - ray_start.wall) / (pool.wall - pool_start.wall)
    print(
        f"  Ray's fixed cost: {ray_start.wall - pool_start.wall:.1f} s more start-up; after it, "
        f"{overhead:.2f}x the pool's wall per page"
    )
    identical = all(
        (work / "out --workers 2" / name).read_bytes()
        == (work / "out --ray --workers 2" / name).read_bytes()
        for name in OUTPUTS
    )
    print(f"  outputs byte-identical: {identical}")


# ---------------------------------------------------------------- Redis


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(work: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(work),
        ],
        stdout=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            return server, port
        except redis.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def command_counts(client) -> dict[str, int]:
    return {
        name.removeprefix("cmdstat_"): stats["calls"]
        for name, stats in client.info("commandstats").items()
    }


def index_operations(corpus: Path, work: Path, port: int) -> tuple[dict[str, float], dict]:
    """Commands per indexed record, by command, for one run over `corpus`."""
    import redis

    client = redis.Redis(port=port)
    client.config_resetstat()
    before = command_counts(client)
    out = work / "out redis"
    url = f"redis://127.0.0.1:{port}/0"
    command = cleaner_command("run", str(corpus), "-o", str(out), "-q", "--workers", "2")
    timing = timed([*command, "--index", url])
    after = command_counts(client)
    records = client.hlen("cleaner-dedup:records")
    documents = json.loads((out / "summary.json").read_text())["counts"]["documents"]
    # The bench's own INFO/CONFIG/HLEN calls are not the index's.
    ours = {"info", "config|resetstat", "config", "hlen"}
    per_record = {
        name: (calls - before.get(name, 0)) / records
        for name, calls in sorted(after.items())
        if name not in ours and calls > before.get(name, 0)
    }
    facts = {"records": records, "documents": documents, "wall": timing.wall}
    return per_record, facts


def driver_rates(out: Path, port: int) -> dict[str, float]:
    """Records per second the driver's index calls take, fingerprints computed beforehand
    (the workers' share): the in-memory index and the Redis one across the socket."""
    from cleaner.stages.dedup import DedupConfig, NearDuplicateIndex, fingerprint_text

    config = DedupConfig()
    records = [json.loads(line) for line in (out / "articles.jsonl").read_text().splitlines()]
    records = [record for record in records if record["text"].strip()]
    fingerprints = [fingerprint_text(record["text"], config) for record in records]
    rates = {}
    for name, location in (("memory", None), ("redis", f"redis://127.0.0.1:{port}/1")):
        index = NearDuplicateIndex(config, location)
        started = time.perf_counter()
        for record, fingerprint in zip(records, fingerprints, strict=True):
            index.check_and_add(record["id"], record["text"], fingerprint)
        rates[name] = len(records) / (time.perf_counter() - started)
        index.release()
    return rates


def benchmark_command(port: int, arguments: list[str], requests: int) -> float:
    """Requests per second of one command, pipelined 32 deep from 16 clients."""
    result = subprocess.run(
        [
            "redis-benchmark",
            "-p",
            str(port),
            "-q",
            "-n",
            str(requests),
            "-c",
            "16",
            "-P",
            "32",
            "-r",
            "1000000",
            *arguments,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rates = re.findall(r"([\d.]+) requests per second", result.stdout)
    return float(rates[-1])


def redis_rates(port: int, record_bytes: int, requests: int) -> dict[str, float]:
    value = "x" * record_bytes
    shapes = {
        "lrange": ["LRANGE", "band:__rand_int__", "0", "31"],
        "rpush": ["RPUSH", "band:__rand_int__", "record-__rand_int__"],
        "ltrim": ["LTRIM", "band:__rand_int__", "0", "31"],
        "hset": ["HSET", "records", "record-__rand_int__", value],
        "hget": ["HGET", "records", "record-__rand_int__"],
        "hmget": ["HMGET", "records", "record-__rand_int__", "record-__rand_int__"],
        "incr": ["INCR", "sequence"],
    }
    return {name: benchmark_command(port, shape, requests) for name, shape in shapes.items()}


def redis_section(corpus: Path, work: Path, requests: int) -> None:
    if not shutil.which("redis-server") or not shutil.which("redis-benchmark"):
        print("redis: redis-server and redis-benchmark needed (apt-get install redis-server)")
        return
    server, port = start_redis(work)
    try:
        per_record, facts = index_operations(corpus, work, port)
        import redis

        client = redis.Redis(port=port)
        stored = client.hvals("cleaner-dedup:records")
        record_bytes = sum(map(len, stored)) // max(1, len(stored))
        memory_per_record = client.info("memory")["used_memory_dataset"] / max(1, len(stored))
        driver = driver_rates(work / "out redis", port)
        rates = redis_rates(port, record_bytes, requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    records, documents, record_bytes = facts["records"], facts["documents"], record_bytes
    total = sum(per_record.values())
    print(
        f"\nRedis index: {records} records indexed from {documents} documents "
        f"({records / documents:.2f} per document), {total:.1f} commands per record, "
        f"{record_bytes:,} bytes stored per record, {memory_per_record:,.0f} bytes of Redis "
        f"memory per record with its lists"
    )
    print(f"  {'command':<10} {'per record':>10} {'ops/s (redis-benchmark)':>24}")
    seconds_per_record = 0.0
    for name, count in sorted(per_record.items(), key=lambda item: -item[1]):
        # MULTI, EXEC, INCRBY, SET, GET: taken as cheap as INCR.
        rate = rates.get(name) or rates["incr"]
        seconds_per_record += count / rate
        print(f"  {name:<10} {count:>10.1f} {rate:>24,.0f}")
    records_per_second = 1 / seconds_per_record
    documents_per_second = records_per_second * records / documents
    needed = PAGES_PER_DAY / 86_400
    print(
        f"  one Redis instance: 1 / sum(commands per record / ops/s) = "
        f"{records_per_second:,.0f} records/s = {documents_per_second:,.0f} documents/s"
    )
    print(
        f"  10^8 pages a day = {needed:,.0f} pages/s on average = "
        f"{needed * records / documents * total:,.0f} commands/s; "
        f"one instance has {documents_per_second / needed:.1f}x that"
    )
    print(
        f"  the run with the Redis index (--workers 2): {documents / facts['wall']:.1f} "
        f"documents/s, wall {facts['wall']:.2f} s (start-up included)"
    )
    print(
        f"  one driver's index calls (fingerprints given): {driver['memory']:,.0f} records/s "
        f"in memory, {driver['redis']:,.0f} records/s against Redis = "
        f"{driver['redis'] * documents / records:,.0f} documents/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path, help="the shared bench folder (../shared/bench)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--requests", type=int, default=200_000, help="per redis-benchmark")
    parser.add_argument("--skip-engines", action="store_true", help="only the Redis part")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cleaner-ray-bench-") as scratch:
        work = Path(scratch)
        corpus = write_corpus(test_pages(arguments.bench, arguments.limit), work / "corpus")
        if not arguments.skip_engines:
            engines(corpus, work, arguments.repeat)
        redis_section(corpus, work, arguments.requests)


if __name__ == "__main__":
    main()
