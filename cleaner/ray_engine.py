"""Ray as the engine of a run that outgrows one machine (`cleaner run --ray`).

The work is split as with `--workers`: reading an input, the per-document stages and the
near-duplicate fingerprints run remotely, a batch of inputs per Ray task; the driver takes
the results back in input order and alone consults the index and writes, so the output
is byte-identical to a run in one process. Only a run with --ray imports this module, and
only this module imports ray.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import threading
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import ray
from ray.exceptions import RayError

from cleaner.config import Config
from cleaner.inputs import InputFile
from cleaner.pipeline import PreparedDocument, StageFailure, process_input

Result = PreparedDocument | StageFailure
LOCAL = "local"


class RayUnavailable(Exception):
    """Ray could not be started or reached; the message says where and why."""


@ray.remote
def _process_batch(config: Config, batch: list[InputFile]) -> list[Result]:
    # One bad document is already one StageFailure (process_input catches it); what gets
    # here as a task failure is a worker that died, which Ray retries.
    return [process_input((item, config)) for item in batch]


def ray_results(tasks: list[InputFile], config: Config) -> Iterator[Result]:
    """The result of every input, in input order, computed by Ray tasks."""
    if not tasks:
        return
    started_here = _connect(config)
    try:
        yield from _ordered_results(tasks, config)
    finally:
        if started_here:
            ray.shutdown()


def _connect(config: Config) -> bool:
    """Join the cluster (or start a Ray on this machine); True when this run started or
    joined it and so must let go of it at the end. An embedding program that called
    ray.init itself keeps its session."""
    if ray.is_initialized():
        return False
    # "local" is Ray's word for a new Ray on this machine. Without it ray.init would join
    # whatever cluster `ray start` last left on this machine, and refuse num_cpus there.
    address = config.run.ray_address or os.environ.get("RAY_ADDRESS") or LOCAL
    # Worker lines on the driver's terminal would break the progress bar; failures come
    # back as error records, and Ray's own logs stay in its session directory.
    quiet = {"log_to_driver": False, "logging_level": logging.ERROR}
    try:
        with _stop_handlers_kept():
            _init(address, config, quiet)
    except Exception as error:  # noqa: BLE001 - Ray raises many kinds; the user needs one line
        where = "on this machine" if address == LOCAL else f"at {address}"
        raise RayUnavailable(f"cannot start Ray {where}: {error}") from error
    return True


def _init(address: str, config: Config, quiet: dict) -> None:
    if address == LOCAL:
        # A cleaning run has no use for a dashboard or for reporting usage over the
        # network; a user who wants either sets it before the run.
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(LOCAL, num_cpus=config.run.workers, include_dashboard=False, **quiet)
    else:
        ray.init(address=address, **quiet)


@contextlib.contextmanager
def _stop_handlers_kept() -> Iterator[None]:
    """ray.init installs its core's own SIGTERM handler, which aborts the process (exit
    134, a stack dump on stderr); the run's handlers (the CLI's orderly stop: partial
    output kept for --resume, exit 143) are put back over it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    kept = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in kept.items():
            if handler is not None:
                signal.signal(number, handler)


def _ordered_results(tasks: list[InputFile], config: Config) -> Iterator[Result]:
    settings = config.run
    config_ref = ray.put(config)  # sent to the object store once, not with every task
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    limit = cpus * settings.ray_tasks_in_flight_per_cpu
    in_flight: deque[tuple[list[InputFile], ray.ObjectRef]] = deque()
    try:
        for batch in _batches(tasks, settings.ray_batch_documents):
            in_flight.append((batch, _submit(config_ref, batch, config)))
            if len(in_flight) >= limit:
                yield from _collect(*in_flight.popleft(), config_ref, config)
        while in_flight:
            yield from _collect(*in_flight.popleft(), config_ref, config)
    finally:
        for _batch, ref in in_flight:  # a stopped run leaves no work queued on the cluster
            # Already finished, or the cluster is gone: nothing left to cancel either way.
            with contextlib.suppress(Exception):
                ray.cancel(ref)


def _batches(tasks: list[InputFile], size: int) -> Iterator[list[InputFile]]:
    """Consecutive inputs, `size` at a time, with absolute paths: a worker's current
    directory is not the driver's on another node (paths must be shared, e.g. NFS)."""
    here = Path.cwd()
    for start in range(0, len(tasks), size):
        yield [
            item if item.path.is_absolute() else dataclasses.replace(item, path=here / item.path)
            for item in tasks[start : start + size]
        ]


def _submit(config_ref: ray.ObjectRef, batch: list[InputFile], config: Config) -> ray.ObjectRef:
    return _process_batch.options(max_retries=config.run.ray_task_retries).remote(config_ref, batch)


def _collect(
    batch: list[InputFile], ref: ray.ObjectRef, config_ref: ray.ObjectRef, config: Config
) -> list[Result]:
    """The batch's results; when Ray has given up on the batch, each of its documents
    alone, so that the one killing its worker does not take the others with it."""
    try:
        return ray.get(ref)
    except RayError as error:
        if len(batch) == 1:
            return [_worker_lost(batch[0], error, config)]
    singles = [_submit(config_ref, [item], config) for item in batch]
    results: list[Result] = []
    for item, single in zip(batch, singles, strict=True):
        try:
            results.extend(ray.get(single))
        except RayError as error:
            results.append(_worker_lost(item, error, config))
    return results


def _worker_lost(item: InputFile, error: RayError, config: Config) -> StageFailure:
    message = (
        f"the Ray worker processing it died, also when Ray ran it again "
        f"({config.run.ray_task_retries} retries, then alone): {type(error).__name__}"
    )
    return StageFailure(item.source, "ray", "worker_lost", message)
