"""The bounded TTL cache of successful predictions (entries and bytes), thread- and task-safe.

Written on ``OrderedDict`` rather than ``cachetools.TTLCache`` because stale-if-error must read an
*expired* entry (TTLCache drops expired entries on access) and the cache is bounded by entry
count and byte size at once. Every method holds the lock only for dict operations, never across
I/O or an ``await``.

Example::

    cache = PredictionCache(ttl_s=30, max_entries=1000, max_bytes=50_000_000, clock=SYSTEM_CLOCK)
    cache.put("key", value, size=1024)
    cache.get("key")  # value while fresh, None after 30 s
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

from .clock import Clock

V = TypeVar("V")


@dataclass(slots=True)
class _Entry(Generic[V]):
    value: V
    size: int
    expires_at: float


class PredictionCache(Generic[V]):
    """LRU + TTL cache bounded by ``max_entries`` and ``max_bytes``.

    Example: ``PredictionCache[str](ttl_s=1, max_entries=2, max_bytes=100, clock=clock)``
    """

    def __init__(self, *, ttl_s: float, max_entries: int, max_bytes: int, clock: Clock) -> None:
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._clock = clock
        self._entries: OrderedDict[str, _Entry[V]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> V | None:
        """The fresh value for ``key`` (and mark it recently used), else None."""
        now = self._clock.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.expires_at <= now:
                return None
            self._entries.move_to_end(key)
            return entry.value

    def get_stale(self, key: str) -> V | None:
        """The value for ``key`` even if expired (for stale-if-error), else None."""
        with self._lock:
            entry = self._entries.get(key)
            return None if entry is None else entry.value

    def put(self, key: str, value: V, size: int, age_s: float = 0.0) -> None:
        """Store ``value`` (``size`` bytes of JSON, ``age_s`` old: a shared entry keeps its
        age); evict least recently used entries to fit."""
        if size > self._max_bytes or self._max_entries <= 0:
            return
        expires_at = self._clock.monotonic() + self._ttl_s - age_s
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = _Entry(value, size, expires_at)
            self._bytes += size
            while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.size

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @property
    def size_bytes(self) -> int:
        """Bytes currently held (sum of the stored JSON sizes)."""
        with self._lock:
            return self._bytes

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
