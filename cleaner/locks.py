"""Exclusive locks on what a run writes: its output directory and a file index.

A lock is an advisory `flock` on a small side file, held for the whole run. The kernel
releases it when the process ends in any way (even SIGKILL), so a killed run never
leaves a stale lock behind and `--resume` can take it again. The holder removes the side
file when it is done (a killed run leaves the file, which locks nothing); a process that
locked a file removed meanwhile sees that its path now names another file and tries again.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path


class LockedError(Exception):
    """Another process holds the lock; the message names what and who."""


class RunLock:
    """Holds an exclusive lock on `path` (created if needed) until `release`."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self._descriptor: int | None = None
        while self._descriptor is None:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(descriptor)
                os.close(descriptor)
                raise LockedError(
                    f"another cleaner run{holder} is writing {what}; wait for it to finish "
                    "or choose another location"
                ) from None
            if _still_names(path, descriptor):
                self._descriptor = descriptor
            else:  # the previous holder removed the file between our open and flock
                os.close(descriptor)
        # Who holds it, for the message a second run prints (best effort: a full disk
        # must not stop the lock from working).
        with contextlib.suppress(OSError):
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)

    def release(self) -> None:
        if self._descriptor is not None:
            # Remove while still holding it, so nobody can lock the file in between.
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            os.close(self._descriptor)  # closing the descriptor drops the flock
            self._descriptor = None


def _still_names(path: Path, descriptor: int) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(descriptor).st_ino
    except FileNotFoundError:
        return False


def _holder(descriptor: int) -> str:
    try:
        pid = os.pread(descriptor, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
