"""Metrics derived purely from the event stream (docs/semantics.md, Telemetry: Metrics): an
internal listener maps each event to its instrument, so the metrics cannot disagree with
``on_event``. Only the base URL (``server.address`` / ``server.port``) is added.

Example::

    metrics = EventMetrics(telemetry)
    if metrics.active():
        metrics.record(Event("retry", "fraud-score", request_id="r-1", attempt=1, ...))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .guard import guarded

if TYPE_CHECKING:
    from ..events import Event
    from .providers import Telemetry

#: The HTTP semantic conventions' advisory buckets of ``http.client.request.duration`` (s).
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10)

_CACHE_RESULTS = {"cache_hit": "hit", "cache_miss": "miss", "cache_stale": "stale"}
_BREAKER_STATES = {
    "breaker_open": "open",
    "breaker_half_open": "half-open",
    "breaker_close": "closed",
}


@dataclass(frozen=True, slots=True)
class Instruments:
    """The SDK's instruments on one meter (created once per meter provider)."""

    request_duration: Any
    call_duration: Any
    calls: Any
    retries: Any
    cache_lookups: Any
    coalesced: Any
    breaker_transitions: Any
    fallbacks: Any
    fleet_unavailable: Any

    @staticmethod
    def create(meter: Any) -> Instruments:
        """Every instrument of the table, on ``meter``."""
        return Instruments(
            request_duration=meter.create_histogram(
                "http.client.request.duration",
                unit="s",
                description="Duration of HTTP client requests.",
                explicit_bucket_boundaries_advisory=list(DURATION_BUCKETS),
            ),
            call_duration=meter.create_histogram(
                "modelwire.client.call.duration",
                unit="s",
                description="Duration of logical modelwire calls, retries and fallback included.",
            ),
            calls=meter.create_counter(
                "modelwire.client.calls", unit="{call}", description="Logical calls settled."
            ),
            retries=meter.create_counter(
                "modelwire.client.retries", unit="{retry}", description="Attempts retried."
            ),
            cache_lookups=meter.create_counter(
                "modelwire.client.cache.lookups",
                unit="{lookup}",
                description="Prediction cache lookups by result.",
            ),
            coalesced=meter.create_counter(
                "modelwire.client.coalesced",
                unit="{call}",
                description="Calls that joined an identical call in flight.",
            ),
            breaker_transitions=meter.create_counter(
                "modelwire.client.breaker.transitions",
                unit="{transition}",
                description="Circuit breaker state changes.",
            ),
            fallbacks=meter.create_counter(
                "modelwire.client.fallbacks",
                unit="{call}",
                description="Calls handed to a backup model.",
            ),
            fleet_unavailable=meter.create_counter(
                "modelwire.client.fleet.unavailable",
                unit="{event}",
                description="Times fleet mode lost Redis and went local-only.",
            ),
        )


class EventMetrics:
    """The internal event listener that records the metrics (see the module's docstring): a
    function of each event alone, plus the base URL."""

    def __init__(self, telemetry: Telemetry) -> None:
        self._telemetry = telemetry

    def active(self) -> bool:
        """Whether a real meter records (else no event needs to be built for metrics)."""
        return self._telemetry.instruments() is not None

    def record(self, event: Event) -> None:
        """Record ``event`` on its instrument (a failing instrument or reader is ignored)."""
        instruments = self._telemetry.instruments()
        if instruments is None:
            return
        with guarded(f"recording the {event.type} metric"):
            self._record(instruments, event)

    def _record(self, m: Instruments, e: Event) -> None:
        kind = e.type
        model: dict[str, Any] = {"modelwire.model": e.model} if e.model is not None else {}
        if kind in ("response", "request_error"):
            attributes: dict[str, Any] = {
                "http.request.method": e.method or "_OTHER",
                "server.address": self._telemetry.server_address,
                "server.port": self._telemetry.server_port,
            }
            if e.status is not None:
                attributes["http.response.status_code"] = e.status
                if e.status >= 400:
                    attributes["error.type"] = str(e.status)
            elif e.error_code is not None:
                attributes["error.type"] = e.error_code
            m.request_duration.record((e.latency_ms or 0.0) / 1000.0, attributes)
        elif kind == "retry":
            m.retries.add(1, {**model, "error.type": e.error_code or "_OTHER"})
        elif kind in _CACHE_RESULTS:
            attributes = {**model, "modelwire.cache.result": _CACHE_RESULTS[kind]}
            if e.tier is not None:
                attributes["modelwire.cache.tier"] = e.tier  # hits: memory, or redis (fleet)
            m.cache_lookups.add(1, attributes)
        elif kind == "fleet_unavailable":
            m.fleet_unavailable.add(1)
        elif kind == "coalesced":
            m.coalesced.add(1, model)
        elif kind in _BREAKER_STATES:
            state = _BREAKER_STATES[kind]
            m.breaker_transitions.add(1, {**model, "modelwire.breaker.state": state})
        elif kind == "fallback":
            m.fallbacks.add(
                1,
                {**model, "modelwire.fallback.to": e.to, "modelwire.fallback.reason": e.reason},
            )
        elif kind == "call_end":
            attributes = {
                "modelwire.operation": e.operation,
                **model,
                "modelwire.outcome": e.outcome,
            }
            m.calls.add(1, attributes)
            m.call_duration.record((e.latency_ms or 0.0) / 1000.0, attributes)
