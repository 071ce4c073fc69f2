"""A per-document time budget, so one pathological page cannot stall a run."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class DocumentTimeout(BaseException):
    """Raised inside a stage when the document's budget runs out.

    A BaseException, like KeyboardInterrupt, so that a stage's own `except Exception`
    cannot swallow it.
    """


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout in the body after `seconds` of CPU time (0 = no budget).

    CPU time (user + system) of this process, not wall time: a document then gets the
    same budget on a loaded machine as on an idle one and with any --workers, so the
    output does not depend on either. Each pool worker handles one document at a time, so
    its process time is the document's. Uses ITIMER_PROF / SIGPROF, so it works in the
    main thread of a process (the CLI, and each worker); elsewhere it is a no-op. The
    regex engine checks for signals while it matches, so a runaway pattern is
    interrupted too.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def on_alarm(_signal_number, _frame) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGPROF, on_alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
