"""`cleaner run --ray` on a real local Ray (no network): the same bytes as a run in one
process, every input accounted for when workers die, --resume, and a Redis index shared by
two Ray runs.

One Ray for the module (ray.init(num_cpus=2), ~10 s to start on a loaded machine); the
CLI finds it initialised and uses it. Its workers run tests/ray_worker_hooks.py, which
kills a worker on pages named dies-*.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import ray
import ray_worker_hooks
from test_shards_redis import STORIES, groups, make_corpus
from typer.testing import CliRunner

from cleaner import pipeline
from cleaner.cli import app

runner = CliRunner()
REPOSITORY = Path(__file__).resolve().parents[1]
# ~230 inputs of every kind the project reads: the seeds, HTML (plain and gzip), text,
# Markdown, crawler JSONL, PDF, broken encodings that become error records.
MIXED_INPUTS = [
    str(REPOSITORY / name)
    for name in (
        "seeds",
        "fixtures/extraction",
        "fixtures/encoding",
        "fixtures/split",
        "fixtures/pdf",
        "fixtures/dedup",
    )
]
OUTPUTS = ("articles.jsonl", "errors.jsonl", "documents.jsonl")


@pytest.fixture(scope="module", autouse=True)
def local_ray(tmp_path_factory):
    markers = tmp_path_factory.mktemp("ray-markers")
    # The hook travels to the workers by value: they do not have tests/ on their path.
    ray.cloudpickle.register_pickle_by_value(ray_worker_hooks)
    ray.init(
        # A Ray of its own: without "local", ray.init joins any cluster already running
        # on the machine (another test run's `ray start --head`), which refuses num_cpus.
        address="local",
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        object_store_memory=200 * 1024 * 1024,
        runtime_env={
            "worker_process_setup_hook": ray_worker_hooks.kill_worker_on_marked_pages,
            "env_vars": {"CLEANER_TEST_MARKERS": str(markers)},
        },
    )
    yield markers
    ray.shutdown()


def cleaner_run(*arguments: str) -> None:
    result = runner.invoke(app, ["run", *arguments, "--quiet"])
    assert result.exit_code == 0, result.output


def small_batches(directory: Path, retries: int = 1) -> str:
    """A config with 3-document tasks: many tasks in flight, finishing out of order; each
    retry of a task whose worker died costs a new worker (seconds on a loaded machine)."""
    path = directory / "small-batches.toml"
    settings = f"[run]\nray_batch_documents = 3\nray_task_retries = {retries}\n"
    path.write_text(settings, encoding="utf-8")
    return str(path)


def same_output(out: Path, reference: Path) -> None:
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    summary = json.loads((out / "summary.json").read_text())
    expected = json.loads((reference / "summary.json").read_text())
    assert summary["counts"] == expected["counts"]
    assert summary["removed_by_rule"] == expected["removed_by_rule"]


@pytest.fixture(scope="module")
def local_reference(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    cleaner_run(*MIXED_INPUTS, "--out", str(out), "--workers", "1")
    return out


def test_a_ray_run_writes_the_bytes_of_a_run_in_one_process(
    tmp_path: Path, local_reference: Path
) -> None:
    out = tmp_path / "out"
    cleaner_run(*MIXED_INPUTS, "--out", str(out), "--ray", "--config", small_batches(tmp_path))
    same_output(out, local_reference)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"]["documents"] > 150 and summary["counts"]["errors"] > 0
    assert summary["config"]["run"]["ray"] is True


def make_pages(directory: Path, names: list[str]) -> None:
    directory.mkdir()
    for n, name in enumerate(names):
        words = " ".join(f"w{(n * 7 + k) % 97}" for k in range(60))
        page = (
            f"<html><body><article><h1>Report {n}</h1><p>The harbour of town {n} reopened "
            f"after the storm, the port said. {words}</p></article></body></html>"
        )
        (directory / name).write_text(page, encoding="utf-8")


def test_a_worker_killed_mid_run_loses_no_input(tmp_path: Path, local_ray: Path) -> None:
    corpus = tmp_path / "corpus"
    names = [f"page{n:02d}.html" for n in range(10)]
    names[4] = "dies-once-4.html"
    make_pages(corpus, names)
    reference, out = tmp_path / "reference", tmp_path / "out"
    cleaner_run(str(corpus), "--out", str(reference), "--workers", "1")
    cleaner_run(str(corpus), "--out", str(out), "--ray", "--config", small_batches(tmp_path))
    assert (local_ray / "dies-once-4.html").exists()  # the worker did die on it once
    same_output(out, reference)
    assert len((out / "documents.jsonl").read_text().splitlines()) == 10


def test_a_page_that_kills_every_worker_is_one_error_record(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    names = [f"page{n:02d}.html" for n in range(6)]
    names[2] = "dies-always.html"
    make_pages(corpus, names)
    out = tmp_path / "out"
    config = small_batches(tmp_path, retries=0)
    cleaner_run(str(corpus), "--out", str(out), "--ray", "--config", config)
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [(error["source"], error["error"]) for error in errors] == [
        ("dies-always.html", "worker_lost")
    ]
    articles = [json.loads(line) for line in (out / "articles.jsonl").read_text().splitlines()]
    assert sorted({article["source"] for article in articles}) == sorted(
        name for name in names if name != "dies-always.html"
    )


def test_an_interrupted_ray_run_resumes_to_the_same_output(
    tmp_path: Path, local_reference: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    record_result = pipeline._record_result
    recorded = []

    def interrupted_at_the_40th(*arguments, **keywords):
        recorded.append(1)
        if len(recorded) == 40:
            raise KeyboardInterrupt  # as Ctrl-C lands while the driver writes
        return record_result(*arguments, **keywords)

    monkeypatch.setattr(pipeline, "_record_result", interrupted_at_the_40th)
    config = small_batches(tmp_path)
    arguments = [*MIXED_INPUTS, "--out", str(out), "--ray", "--config", config]
    stopped = runner.invoke(app, ["run", *arguments, "--quiet"])
    assert stopped.exit_code == 130, stopped.output
    assert not (out / "articles.jsonl").exists()
    monkeypatch.setattr(pipeline, "_record_result", record_result)
    cleaner_run(*arguments, "--resume")
    same_output(out, local_reference)


def test_two_ray_runs_share_one_redis_index(tmp_path: Path, redis_url: str) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    single = tmp_path / "single"
    cleaner_run(str(corpus), "--out", str(single), "--workers", "1")
    expected = groups(single)
    assert len(expected) == len(STORIES)
    outs = []
    for shard in ("0/2", "1/2"):
        out = tmp_path / f"shard{shard[0]}"
        cleaner_run(str(corpus), "--out", str(out), "--shard", shard, "--index", redis_url, "--ray")
        outs.append(out)
    # Groups that span the two runs are found only through the shared index.
    assert groups(*outs) == expected
