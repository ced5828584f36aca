"""The blocking twin's bound on a body read: one thread per ``Client`` that, when an attempt's
time is up, shuts down the socket its body is read from, so a body that stalls ends at the
attempt's timeout (the blocked read returns, the attempt fails with ``TimeoutError``).

Why a watchdog: httpx's timeouts bound each socket read, not a whole body, and cannot be changed
while a body is read; a thread blocked in ``recv`` is only woken by shutting the socket down.
Arming and cancelling an alarm costs a lock and a heap push: no thread per attempt.

Example::

    alarm = watchdog.arm(time.monotonic() + 2.0, socket_cut(response))
    try:
        ...                      # read the body
    finally:
        watchdog.cancel(alarm)   # after this, the alarm never fires
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Callable

import httpx


class Alarm:
    """One armed attempt: ``fired`` tells whether its time ran out before it was cancelled."""

    __slots__ = ("cancelled", "cut", "fired")

    def __init__(self, cut: Callable[[], None]) -> None:
        self.cut = cut
        self.fired = False
        self.cancelled = False


def socket_cut(response: httpx.Response) -> Callable[[], None]:
    """What ends ``response``'s body read from another thread: shut its socket down (an
    in-memory transport has none; the reading loop's own time check ends it)."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None

    def cut() -> None:
        if isinstance(sock, socket.socket):
            # The plain socket's shutdown (also under TLS): wakes the blocked recv with EOF.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    return cut


class Watchdog:
    """Alarms by monotonic time, fired by one daemon thread started on first use."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Alarm]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._closed = False

    def arm(self, when: float, cut: Callable[[], None]) -> Alarm:
        """Call ``cut`` at ``when`` (``time.monotonic()``) unless cancelled first."""
        alarm = Alarm(cut)
        with self._cond:
            heap = self._heap
            while heap and heap[0][2].cancelled:  # keep the heap to the live alarms
                heapq.heappop(heap)
            heapq.heappush(heap, (when, next(self._order), alarm))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="modelwire-watchdog", daemon=True
                )
                self._thread.start()
            elif heap[0][2] is alarm:
                self._cond.notify()
        return alarm

    def cancel(self, alarm: Alarm) -> None:
        """Disarm ``alarm``; once this returns its ``cut`` is not running and never will."""
        with self._cond:
            alarm.cancelled = True

    def close(self) -> None:
        """Stop the thread (pending alarms never fire). Idempotent."""
        with self._cond:
            self._closed = True
            self._heap.clear()
            self._cond.notify()

    def _loop(self) -> None:
        with self._cond:
            while not self._closed:
                heap, now = self._heap, time.monotonic()
                while heap and (heap[0][2].cancelled or heap[0][0] <= now):
                    alarm = heapq.heappop(heap)[2]
                    if not alarm.cancelled:
                        alarm.fired = True
                        # A socket closed meanwhile has nothing left to wake.
                        with contextlib.suppress(OSError):
                            alarm.cut()
                self._cond.wait(heap[0][0] - now if heap else None)
