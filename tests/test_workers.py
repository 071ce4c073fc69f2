"""The worker pool's back-pressure: inputs handed out are bounded by what the parent took."""

from __future__ import annotations

import threading

from cleaner.pipeline import _InFlight


def _next_in_thread(admitted) -> tuple[threading.Thread, list]:
    got: list = []
    thread = threading.Thread(target=lambda: got.append(next(admitted, "end")), daemon=True)
    thread.start()
    return thread, got


def test_no_more_inputs_are_handed_out_than_the_limit() -> None:
    in_flight = _InFlight(3)
    admitted = in_flight.admit(iter(range(10)))
    assert [next(admitted) for _ in range(3)] == [0, 1, 2]
    thread, got = _next_in_thread(admitted)
    thread.join(0.3)
    assert got == []  # the fourth waits: the parent has taken no result yet
    in_flight.done()
    thread.join(5)
    assert got == [3]


def test_stopping_releases_a_waiting_feeder() -> None:
    in_flight = _InFlight(1)
    admitted = in_flight.admit(iter(range(10)))
    assert next(admitted) == 0
    thread, got = _next_in_thread(admitted)
    in_flight.stop()
    thread.join(5)
    assert got == ["end"]  # the feeder ends instead of blocking Pool.terminate
