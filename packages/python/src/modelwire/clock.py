"""Time source of the SDK, injectable so tests never sleep.

Example::

    clock = SystemClock()
    start = clock.monotonic()
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    """What the SDK needs from time: a monotonic clock, wall time, and sleeping (sync + async).

    Example: pass ``clock=FakeClock()`` (see ``modelwire.testing``) to drive backoff and breaker
    timers in tests without real sleeps.
    """

    def monotonic(self) -> float:
        """Seconds on a monotonic clock."""
        ...

    def time(self) -> float:
        """Unix wall time in seconds (for Retry-After dates and webhook timestamps)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block the calling thread for ``seconds``."""
        ...

    async def asleep(self, seconds: float) -> None:
        """Suspend the calling task for ``seconds``."""
        ...


class SystemClock:
    """The real clock: ``time.monotonic``, ``time.time``, ``time.sleep`` and ``asyncio.sleep``.

    Example: ``SystemClock().time()``
    """

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


SYSTEM_CLOCK = SystemClock()
