"""A thread-safe abort signal that works for both ``Client`` and ``AsyncClient`` calls.

Example::

    signal = AbortSignal()
    threading.Timer(0.5, signal.abort).start()
    client.predict("fraud-score", data, signal=signal)  # raises AbortedError after 0.5 s
"""

from __future__ import annotations

import threading
from collections.abc import Callable


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
