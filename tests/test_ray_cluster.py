"""`--ray-address` against a cluster started the way a user starts one: `ray start --head`
in its own process group (stopped by that group's id, never `ray stop`, which would stop
every Ray on the machine). The runs are `cleaner run` subprocesses, as on a login node."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import free_port
from interrupted_runs import start_and_wait
from typer.testing import CliRunner

from cleaner.cli import app

REPOSITORY = Path(__file__).resolve().parents[1]
SEEDS = str(REPOSITORY / "seeds")
SPLIT_PAGES = str(REPOSITORY / "fixtures" / "split")
OUTPUTS = ("articles.jsonl", "errors.jsonl", "documents.jsonl")


@pytest.fixture(scope="module")
def head(tmp_path_factory) -> dict[str, int]:
    log = tmp_path_factory.mktemp("ray-head") / "ray-start.log"
    ports = {"gcs": free_port()}
    command = [
        str(Path(sys.executable).parent / "ray"),
        "start",
        "--head",
        "--block",
        "--num-cpus=1",
        f"--port={ports['gcs']}",
        "--include-dashboard=false",
        "--disable-usage-stats",
    ]
    with open(log, "wb") as stream:
        process = subprocess.Popen(
            command, stdout=stream, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 120
    while b"Ray runtime started" not in log.read_bytes():
        assert process.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, "ray start --head did not start"
        time.sleep(0.5)
    yield ports
    os.killpg(process.pid, signal.SIGTERM)
    # `ray start` takes ~30 s to stop its processes one by one on a loaded machine; after a
    # few seconds what is left of this cluster is killed (its own group, no other).
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def local_reference(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    result = CliRunner().invoke(app, ["run", SEEDS, "--out", str(out), "--workers", "1", "-q"])
    assert result.exit_code == 0, result.output
    return out


def cleaner_on(address: str, out: Path, **environment: str) -> None:
    env = {key: value for key, value in os.environ.items() if key != "RAY_ADDRESS"}
    command = [sys.executable, "-m", "cleaner", "run", SEEDS, "--out", str(out), "-q"]
    result = subprocess.run(
        [*command, "--ray-address", address],
        capture_output=True,
        text=True,
        env=env | environment,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def test_auto_joins_the_cluster_ray_start_made(head, local_reference: Path, tmp_path: Path):
    # `auto` finds no cluster but one that `ray start` made: with none it is an error.
    cleaner_on("auto", tmp_path / "out")
    for name in OUTPUTS:
        assert (tmp_path / "out" / name).read_bytes() == (local_reference / name).read_bytes()


def test_sigterm_stops_a_ray_run_in_order_and_resume_finishes_it(head, tmp_path: Path):
    """ray.init installs Ray's own SIGTERM handler (abort, exit 134); the run's orderly
    stop must still be what SIGTERM does."""
    reference, out = tmp_path / "reference", tmp_path / "out"
    inputs = [SEEDS, SPLIT_PAGES]
    local = CliRunner().invoke(app, ["run", *inputs, "-o", str(reference), "--workers", "1"])
    assert local.exit_code == 0, local.output
    command = [sys.executable, "-m", "cleaner", "run", *inputs, "-o", str(out), "-q"]
    command += ["--ray-address", "auto"]
    env = {key: value for key, value in os.environ.items() if key != "RAY_ADDRESS"}
    process = start_and_wait(command, out, 10, timeout=120, env=env)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert "interrupted" in stderr and "SIGTERM received" not in stderr, stderr
    resumed = subprocess.run([*command, "--resume"], capture_output=True, text=True, env=env)
    assert resumed.returncode == 0, resumed.stderr
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
