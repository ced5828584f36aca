"""A thread-safe abort signal that works for both ``Client`` and ``AsyncClient`` calls.

Example::

    signal = AbortSignal()
    threading.Timer(0.5, signal.abort).start()
    client.predict("fraud-score", data, signal=signal)  # raises AbortedError after 0.5 s
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from .errors import AbortedError

T = TypeVar("T")


class AbortSignal:
    """Set once by ``abort()``; calls holding it stop waiting and raise ``AbortedError``.

    Only the caller holding the signal is aborted: a coalesced upstream call shared with other
    callers keeps running for them.

    Example: ``signal = AbortSignal(); signal.abort(); assert signal.aborted``
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    @property
    def aborted(self) -> bool:
        """True once ``abort()`` was called."""
        return self._event.is_set()

    def abort(self) -> None:
        """Abort every call waiting on this signal (idempotent)."""
        with self._lock:
            if self._event.is_set():
                return
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until aborted or ``timeout`` seconds passed; return whether it is aborted."""
        return self._event.wait(timeout)

    def add_callback(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Run ``callback`` on abort (at once if already aborted); returns an unsubscriber."""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)

                def remove() -> None:
                    with self._lock:
                        if callback in self._callbacks:
                            self._callbacks.remove(callback)

                return remove
        callback()
        return lambda: None


def aborted_error() -> AbortedError:
    """The error of a call its caller aborted (or, for ``AsyncClient``, cancelled).

    Example: ``raise aborted_error()``
    """
    return AbortedError("the call was aborted by its signal")


class AbortableRunner:
    """Runs a blocking function on a worker thread so that the calling thread can stop waiting
    for it when ``signal`` is aborted (the function itself finishes in the background).

    Example: ``AbortableRunner().run(lambda: http.send(request), signal)``
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def run(self, fn: Callable[[], T], signal: AbortSignal) -> T:
        """``fn()``'s result, or ``AbortedError`` as soon as ``signal`` is aborted."""
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(thread_name_prefix="modelwire-io")
            future = self._pool.submit(fn)
        done = threading.Event()
        future.add_done_callback(lambda _f: done.set())
        remove = signal.add_callback(done.set)
        try:
            done.wait()
        finally:
            remove()
        if future.done():
            return future.result()
        raise aborted_error()

    def close(self) -> None:
        """Stop the worker threads (running functions finish first)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False)


async def until_aborted(awaitable: Awaitable[T], signal: AbortSignal | None) -> T:
    """Await ``awaitable``; cancel it and raise ``AbortedError`` when ``signal`` is aborted first.

    Example: ``await until_aborted(http.send(request), signal)``
    """
    if signal is None:
        return await awaitable
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(awaitable)
    aborted: asyncio.Future[None] = loop.create_future()

    def mark_aborted() -> None:
        if not aborted.done():
            aborted.set_result(None)

    def on_abort() -> None:
        loop.call_soon_threadsafe(mark_aborted)

    remove = signal.add_callback(on_abort)
    waiting: set[asyncio.Future[Any]] = {task, aborted}
    try:
        await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        raise
    finally:
        remove()
        aborted.cancel()
    if task.done():
        return task.result()
    task.cancel()
    raise aborted_error()
