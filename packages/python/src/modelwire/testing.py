"""Test helpers shipped with the SDK: a fake clock that never really sleeps.

Example::

    clock = FakeClock()
    client = Client("http://gw/v1", clock=clock, transport=httpx.MockTransport(handler))
    client.predict("fraud-score", {"amount": 1})
    assert clock.sleeps == [0.1]  # the backoff the client asked for
"""

from __future__ import annotations

import asyncio
import threading


class FakeClock:
    """A clock whose time moves only when something sleeps on it or ``advance`` is called.

    Sleeps return at once (after yielding to the event loop in ``asleep``) and are recorded in
    ``sleeps`` (seconds), so tests can assert the exact backoff delays.

    Example::

        clock = FakeClock(start=1_764_000_000)
        clock.advance(30)
        assert clock.time() == 1_764_000_030
    """

    def __init__(self, start: float = 1_764_000_000.0) -> None:
        self._now = 0.0
        self._wall_offset = start
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        with self._lock:
            return self._now

    def time(self) -> float:
        with self._lock:
            return self._wall_offset + self._now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``."""
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(0.0, seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)
