"""The state every call of one client shares (cache, breakers, retry budget, learned thresholds)
and its event hook, built once from the resolved ``ClientOptions``.

Private. Example::

    runtime = Runtime(ClientOptions.resolve("http://127.0.0.1:4010/v1"))
    runtime.breaker_state("fraud-score")  # "closed"
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .auth import OIDCClientCredentials, TokenProvider
from .breaker import Breaker, BreakerRegistry, BreakerState
from .cache import PredictionCache
from .events import Event, EventType, emit
from .fleet import BreakerHints, FleetState, Op
from .options import BreakerOptions, ClientOptions
from .result import Prediction
from .retry import RetryBudget
from .telemetry import EventMetrics, telemetry_for

_TRANSITION_EVENTS: dict[BreakerState, EventType] = {
    "open": "breaker_open",
    "half-open": "breaker_half_open",
    "closed": "breaker_close",
}


class Runtime:
    """Options plus the mutable state the stages read and update.

    Example: ``Runtime(options).cache`` is None when the client was built with ``cache=False``.
    """

    def __init__(self, options: ClientOptions) -> None:
        self.options = options
        self.clock = options.clock
        self.on_event = options.on_event
        #: OpenTelemetry (None: the API is absent or ``telemetry=False``) and the internal
        #: event listener that derives the metrics from the events.
        self.telemetry = telemetry_for(options)
        self.metrics = EventMetrics(self.telemetry) if self.telemetry is not None else None
        # Whether a 401 may be fixed by fetching a fresh token (a static one stays refused).
        self.refreshable_auth = isinstance(options.auth, (TokenProvider, OIDCClientCredentials))
        self.thresholds: dict[str, float] = {}
        cache = options.cache
        self.cache: PredictionCache[Prediction] | None = (
            PredictionCache(
                ttl_s=cache.ttl_ms / 1000,
                max_entries=cache.max_entries,
                max_bytes=cache.max_bytes,
                clock=self.clock,
            )
            if cache is not None
            else None
        )
        budget = options.retry.budget
        self.budget = (
            RetryBudget(
                max_tokens=budget.max_tokens,
                retry_cost=budget.retry_cost,
                success_refill=budget.success_refill,
            )
            if budget is not None
            else None
        )
        #: Fleet mode (None: off): the Redis side, the twin's Redis I/O (set by the twin, a
        #: ``SyncFleetIO`` or ``AsyncFleetIO``) and the breaker hints.
        self.fleet: FleetState | None = None
        self.fleet_io: Any = None
        self.hints: BreakerHints | None = None
        if options.fleet is not None:
            self.fleet = FleetState(options.fleet, self.clock.monotonic, self.emit)
            if options.breaker is not None:
                self.hints = BreakerHints(
                    self.fleet,
                    reset_timeout_s=options.breaker.reset_timeout_ms / 1000,
                    wall_ms=lambda: self.clock.time() * 1000,
                    monotonic=self.clock.monotonic,
                    background=self._background,
                )
        self._breakers = BreakerRegistry(self._new_breaker)

    def _background(self, ops: list[Op], then: Callable[[Any], None]) -> None:
        if self.fleet_io is not None:
            self.fleet_io.background(ops, then)

    def trip(self, model: str, version: str | None) -> None:
        """Fleet mode: open the closed breaker of (model, version) on a quorum of other
        instances' reports (``breaker_open`` with ``fleet=True``; not reported back)."""
        if self._breakers.get(model, version).trip():
            self.emit(Event("breaker_open", model, version, fleet=True))

    @property
    def observed(self) -> bool:
        """Whether anyone listens to events: the ``on_event`` hook or a recording meter (else
        no event is built at all)."""
        return self.on_event is not None or (self.metrics is not None and self.metrics.active())

    def emit(self, event: Event) -> None:
        """Report ``event`` to the ``on_event`` hook (a hook that raises is logged, ignored),
        then to the metrics listener."""
        emit(self.on_event, event)
        if self.metrics is not None:
            self.metrics.record(event)

    def breaker(self, model: str | None, version: str | None) -> Breaker | None:
        """The breaker of ``model`` at ``version``; None for gateway calls or breaker=False."""
        if model is None or self.options.breaker is None:
            return None
        return self._breakers.get(model, version)

    def breaker_state(self, model: str, version: str | None = None) -> BreakerState:
        """State of the breaker of ``model`` at ``version`` (reading it emits nothing)."""
        return self._breakers.get(model, version).state

    def _new_breaker(self, model: str, version: str | None) -> Breaker:
        # A disabled breaker still answers breaker_state (always closed): defaults suffice.
        options = self.options.breaker or BreakerOptions()

        def on_transition(state: BreakerState) -> None:
            self.emit(Event(_TRANSITION_EVENTS[state], model, version))
            if self.hints is not None:
                self.hints.reported(model, version, state)

        return Breaker(
            consecutive_failures=options.consecutive_failures,
            reset_timeout_s=options.reset_timeout_ms / 1000,
            clock=self.clock,
            on_transition=on_transition,
        )
