"""Exclusive locks on what a run writes: its output directory and a file index.

A lock is an advisory `flock` on a small side file, held for the whole run. The kernel
releases it when the process ends in any way (even SIGKILL), so a killed run never
leaves a stale lock behind and `--resume` can take it again. The side file itself stays:
removing it would let a third run lock a fresh file while a second still holds the old one.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class LockedError(Exception):
    """Another process holds the lock; the message names what and who."""


class RunLock:
    """Holds an exclusive lock on `path` (created if needed) until `release`."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self._descriptor: int | None = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(self._descriptor)
            os.close(self._descriptor)
            self._descriptor = None
            raise LockedError(
                f"another cleaner run{holder} is writing {what}; wait for it to finish "
                "or choose another location"
            ) from None
        # Who holds it, for the message a second run prints (best effort: a full disk
        # must not stop the lock from working).
        try:
            os.ftruncate(self._descriptor, 0)
            os.pwrite(self._descriptor, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing the descriptor drops the flock
            self._descriptor = None


def _holder(descriptor: int) -> str:
    try:
        pid = os.pread(descriptor, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
