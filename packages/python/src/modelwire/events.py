"""Events the client emits for metrics and tracing (plug in Prometheus or OpenTelemetry).

Example::

    def on_event(event: Event) -> None:
        if event.type == "response":
            latency_histogram.labels(event.model).observe(event.latency_ms / 1000)

    client = Client("https://gw/v1", on_event=on_event)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

#: The event types of docs/semantics.md ("Events"), in no particular order.
EventType = Literal[
    "cache_hit",
    "cache_miss",
    "coalesced",
    "request",
    "response",
    "request_error",
    "breaker_open",
    "breaker_half_open",
    "breaker_close",
    "retry",
    "fallback",
    "cache_stale",
    "call_end",
    # Fleet mode (docs/semantics.md, "Fleet mode (Redis)").
    "fleet_unavailable",
    "fleet_available",
    "fleet_entry_rejected",
]

_log = logging.getLogger("modelwire")


@dataclass(frozen=True, slots=True)
class Event:
    """One observation. Never carries tokens or request bodies.

    Fields (docs/semantics.md, "Events", says which type carries which): ``type``, ``model``
    (None for gateway operations), ``version`` (pinned or None), ``request_id``, ``attempt``
    (1-based, counted over the whole call, backup included), ``method``, ``path`` (below the base
    URL), ``status`` (HTTP status), ``latency_ms``, ``error_code``, ``delay_ms`` (retry), ``to``
    (fallback target), ``reason`` (fallback reason); ``call_end`` (the call settled, always its
    last event) adds ``operation``, ``outcome`` (``ok`` or the error's code), ``latency_ms`` (end
    to end), ``attempts``, ``cached``, ``coalesced`` and ``fallback`` (the backup's name or None).
    Fleet mode: ``cache_hit`` and ``coalesced`` carry ``tier`` (``memory`` or ``redis``),
    ``breaker_open`` ``fleet=True`` when a quorum of other instances opened it,
    ``fleet_unavailable`` / ``fleet_entry_rejected`` a ``reason``.

    Example: ``Event(type="retry", model="fraud-score", attempt=2, delay_ms=100.0)``
    """

    type: EventType
    model: str | None = None
    version: str | None = None
    request_id: str | None = None
    attempt: int | None = None
    method: str | None = None
    path: str | None = None
    status: int | None = None
    latency_ms: float | None = None
    error_code: str | None = None
    delay_ms: float | None = None
    to: str | None = None
    reason: str | None = None
    operation: str | None = None
    outcome: str | None = None
    attempts: int | None = None
    cached: bool | None = None
    coalesced: bool | None = None
    fallback: str | None = None
    #: ``cache_hit`` / ``coalesced``: ``"memory"`` (this client) or ``"redis"`` (fleet mode).
    tier: str | None = None
    #: ``breaker_open``: True when a quorum of other instances opened it (fleet mode).
    fleet: bool | None = None


EventHandler = Callable[[Event], None]


def emit(handler: EventHandler | None, event: Event) -> None:
    """Call ``handler``; an exception in user code is logged, never breaks the call."""
    if handler is None:
        return
    try:
        handler(event)
    except Exception:  # noqa: BLE001 - a metrics hook must not break predictions
        _log.exception("modelwire on_event handler raised; ignoring")
