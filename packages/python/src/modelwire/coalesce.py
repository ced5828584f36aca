"""Coalescing: identical calls in flight share one upstream call (threads: futures; asyncio:
shared tasks). Each caller keeps its own abort signal and deadline; the shared call keeps running
while at least one caller waits, and is aborted when all have left.

Example::

    coalescer = SyncCoalescer()
    value = coalescer.run(key, lambda shared_signal: do_call(shared_signal), signal=None,
                          wait_s=30.0)
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ._http import within
from .abort import AbortSignal, aborted_error, until_aborted
from .errors import DeadlineExceededError

T = TypeVar("T")


def _deadline() -> DeadlineExceededError:
    return DeadlineExceededError(
        "the call's deadline_ms ran out while waiting for a shared in-flight call"
    )


class FlightSignal(AbortSignal):
    """The abort signal of a shared call run by a worker thread. The worker calls ``at_io()``
    when it is about to block on I/O (send, sleep, token request); callers that all leave
    before that point let the worker get there first, then abort it. So, as with an asyncio
    task (cancelled only at its first ``await``), an attempt being started is sent rather than
    silently dropped depending on how fast the worker thread was scheduled.

    Example: ``signal = FlightSignal(); signal.at_io(); signal.abort()``
    """

    def __init__(self) -> None:
        super().__init__()
        self._at_io = threading.Event()

    def at_io(self) -> None:
        """Mark that the shared call reached blocking I/O (or ended); idempotent."""
        self._at_io.set()

    def wait_for_io(self) -> None:
        """Block until the worker reached blocking I/O or ended (never long: no I/O before)."""
        self._at_io.wait()


def at_io(signal: AbortSignal | None) -> None:
    """Tell a worker-run shared call's signal (if that is what ``signal`` is) it reached I/O.

    Example: ``at_io(shared_signal)`` right before ``http.send(request)``
    """
    if isinstance(signal, FlightSignal):
        signal.at_io()


@dataclass
class _SyncFlight(Generic[T]):
    future: Future[T] = field(default_factory=Future)
    # Only a call run by a worker thread can be left by every caller; an inline one needs none.
    signal: FlightSignal | None = None
    waiters: int = 1


class SyncCoalescer:
    """Thread-based coalescing. The first caller runs the call in its own thread unless it holds
    an abort signal (then a worker thread runs it, so that caller can leave at once).

    Example: ``SyncCoalescer().run("k", lambda s: 42, signal=None, wait_s=1.0) == 42``
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flights: dict[str, _SyncFlight[Any]] = {}
        self._pool: ThreadPoolExecutor | None = None

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(thread_name_prefix="modelwire")
            return self._pool

    def close(self) -> None:
        """Stop the worker threads (in-flight calls finish first)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False)

    def run(
        self,
        key: str | None,
        call: Callable[[AbortSignal | None], T],
        *,
        signal: AbortSignal | None,
        wait_s: float,
        on_join: Callable[[], None] = lambda: None,
    ) -> T:
        """Run ``call`` (or join the identical one in flight under ``key``, calling ``on_join``;
        None = never share)."""
        flight: _SyncFlight[T]
        leader = True
        with self._lock:
            existing = self._flights.get(key) if key is not None else None
            if existing is not None:
                existing.waiters += 1
                flight = existing
                leader = False
            else:
                flight = _SyncFlight()
                if key is not None:
                    self._flights[key] = flight
        if not leader:
            on_join()
        else:
            if signal is None:
                # Nobody can make this caller leave early: run inline (no thread hand-off).
                return self._run_leader(key, flight, call)
            flight.signal = FlightSignal()
            self._executor().submit(self._run_leader_quietly, key, flight, call)
        return self._wait(flight, signal, wait_s)

    def _finish(self, key: str | None, flight: _SyncFlight[Any]) -> None:
        if key is not None:
            with self._lock:
                if self._flights.get(key) is flight:
                    del self._flights[key]

    def _run_leader(
        self, key: str | None, flight: _SyncFlight[T], call: Callable[[AbortSignal | None], T]
    ) -> T:
        try:
            value = call(flight.signal)
        except BaseException as err:
            self._finish(key, flight)
            flight.future.set_exception(err)
            raise
        finally:
            at_io(flight.signal)  # ended: nothing left for a leaving caller to wait for
        self._finish(key, flight)
        flight.future.set_result(value)
        return value

    def _run_leader_quietly(
        self, key: str | None, flight: _SyncFlight[T], call: Callable[[AbortSignal | None], T]
    ) -> None:
        # The error reaches the waiters through the future; the worker thread swallows it.
        with contextlib.suppress(BaseException):
            self._run_leader(key, flight, call)

    def _wait(self, flight: _SyncFlight[T], signal: AbortSignal | None, wait_s: float) -> T:
        done = threading.Event()
        flight.future.add_done_callback(lambda _f: done.set())
        remove = signal.add_callback(done.set) if signal is not None else None
        try:
            done.wait(wait_s)
        finally:
            if remove is not None:
                remove()
        if flight.future.done():
            return flight.future.result()
        # This caller leaves; the shared call goes on for the others, or stops if none is left.
        with self._lock:
            flight.waiters -= 1
            last = flight.waiters == 0
        if last and flight.signal is not None:
            # Let an attempt being started go out first (it is then aborted in flight, which the
            # breaker ignores), as a task's cancellation takes effect at its first await.
            flight.signal.wait_for_io()
            flight.signal.abort()
        raise aborted_error() if signal is not None and signal.aborted else _deadline()


@dataclass
class _AsyncFlight(Generic[T]):
    task: asyncio.Task[T]
    waiters: int = 0


class AsyncCoalescer:
    """Task-based coalescing: the call runs as one shared task; callers await it through
    ``asyncio.shield``, so one caller's cancellation or abort never cancels the others.

    Example: ``await AsyncCoalescer().run("k", make_coro, signal=None, wait_s=1.0)``
    """

    def __init__(self) -> None:
        self._flights: dict[str, _AsyncFlight[Any]] = {}

    async def run(
        self,
        key: str | None,
        make: Callable[[], Coroutine[Any, Any, T]],
        *,
        signal: AbortSignal | None,
        wait_s: float,
        on_join: Callable[[], None] = lambda: None,
    ) -> T:
        """Run ``make()`` as a task (or join the identical one in flight under ``key``, calling
        ``on_join``)."""
        flight: _AsyncFlight[T] | None = self._flights.get(key) if key is not None else None
        if flight is not None and not flight.task.done():
            on_join()
        else:
            new_flight: _AsyncFlight[T] = _AsyncFlight(
                asyncio.get_running_loop().create_task(make())
            )
            if key is not None:
                self._flights[key] = new_flight
                new_flight.task.add_done_callback(lambda _t: self._finish(key, new_flight))
            flight = new_flight
        flight.waiters += 1
        try:
            return await self._wait(flight.task, signal, wait_s)
        finally:
            flight.waiters -= 1
            if flight.waiters == 0 and not flight.task.done():
                flight.task.cancel()  # every caller left: stop the shared call

    def _finish(self, key: str, flight: _AsyncFlight[Any]) -> None:
        if self._flights.get(key) is flight:
            del self._flights[key]
        task = flight.task
        if not task.cancelled():
            task.exception()  # mark retrieved: callers that left must not cause warnings

    @staticmethod
    async def _wait(task: asyncio.Task[T], signal: AbortSignal | None, wait_s: float) -> T:
        try:
            # The timer cancels only the shield on timeout or abort, never the shared task.
            return await within(wait_s, until_aborted(asyncio.shield(task), signal))
        except asyncio.TimeoutError as err:
            if task.done():
                return task.result()
            raise _deadline() from err
