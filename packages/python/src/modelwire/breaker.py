"""The circuit breaker: 5 consecutive failures open it, one half-open trial (docs/semantics.md).

Written here instead of using ``pybreaker``: pybreaker counts every exception (4xx and
cancellation included) unless excluded, counts excluded ones as *successes* (which would reset the
streak or close a half-open breaker on a 4xx probe), serialises calls through one lock and has no
asyncio support. Our rule is that 4xx, aborts and malformed bodies are *ignored*. The breaker owns
no timer on calls; time comes from the injected clock.

Example::

    breaker = Breaker(consecutive_failures=5, reset_timeout_s=30, clock=SYSTEM_CLOCK)
    trial = breaker.acquire()          # raises CircuitOpenError while open
    breaker.record("failure", trial)   # or "success" / "ignored"
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Literal

from .clock import Clock
from .errors import CircuitOpenError

BreakerState = Literal["closed", "open", "half-open"]
Outcome = Literal["success", "failure", "ignored"]


class Breaker:
    """One breaker (per model + pinned version). Thread-safe; no I/O under its lock.

    Example: ``Breaker(consecutive_failures=5, reset_timeout_s=30, clock=clock).state``
    """

    def __init__(
        self,
        *,
        consecutive_failures: int,
        reset_timeout_s: float,
        clock: Clock,
        on_transition: Callable[[BreakerState], None] | None = None,
    ) -> None:
        self._threshold = consecutive_failures
        self._reset_timeout_s = reset_timeout_s
        self._clock = clock
        self._on_transition = on_transition
        self._lock = threading.Lock()
        self._state: BreakerState = "closed"
        self._streak = 0
        self._opened_at = 0.0
        self._trials = 0

    @property
    def state(self) -> BreakerState:
        """The current state; an open breaker past its reset timeout reports ``half-open``."""
        with self._lock:
            if self._state == "open" and self._reset_due():
                return "half-open"
            return self._state

    def _reset_due(self) -> bool:
        return self._clock.monotonic() - self._opened_at >= self._reset_timeout_s

    def acquire(self) -> bool:
        """Ask to make one attempt; returns whether it is the half-open trial.

        Raises ``CircuitOpenError`` when open, or half-open with its trial already in flight.
        """
        transition: BreakerState | None = None
        with self._lock:
            if self._state == "closed":
                return False
            if self._state == "open":
                if not self._reset_due():
                    raise self._open_error()
                self._state = "half-open"
                self._trials = 0
                transition = "half-open"
            # Half-open admits exactly one trial (docs/semantics.md; not configurable).
            if self._trials >= 1:
                raise self._open_error()
            self._trials += 1
        if transition is not None:
            self._notify(transition)
        return True

    def record(self, outcome: Outcome, trial: bool) -> None:
        """Record the outcome of an attempt made after ``acquire`` returned ``trial``."""
        transition: BreakerState | None = None
        with self._lock:
            if outcome == "ignored":
                if trial and self._state == "half-open":
                    # An ignored trial leaves the breaker half-open; the next attempt may trial.
                    self._trials = max(0, self._trials - 1)
                return
            if outcome == "success":
                if self._state != "closed" and trial:
                    self._state = "closed"
                    transition = "closed"
                if self._state == "closed":
                    self._streak = 0
            else:
                if self._state == "half-open" and trial:
                    self._state = "open"
                    self._opened_at = self._clock.monotonic()
                    transition = "open"
                elif self._state == "closed":
                    self._streak += 1
                    if self._streak >= self._threshold:
                        self._state = "open"
                        self._opened_at = self._clock.monotonic()
                        self._streak = 0
                        transition = "open"
        if transition is not None:
            self._notify(transition)

    def trip(self) -> bool:
        """Fleet mode: open a closed breaker on a quorum of other instances' reports (no
        transition callback: the caller reports it as fleet-opened). Whether it opened.
        Half-open trials stay local: it goes half-open after its own reset timeout."""
        with self._lock:
            if self._state != "closed":
                return False
            self._state = "open"
            self._streak = 0
            self._opened_at = self._clock.monotonic()
            return True

    def _notify(self, state: BreakerState) -> None:
        if self._on_transition is not None:
            self._on_transition(state)

    @staticmethod
    def _open_error() -> CircuitOpenError:
        return CircuitOpenError(
            "circuit open: the model failed repeatedly; calls fail fast until the breaker's "
            "reset timeout passes (configure a fallback to keep answering)"
        )


class BreakerRegistry:
    """One ``Breaker`` per (model, pinned version), created on first use.

    Example: ``registry.get("fraud-score", None).state == "closed"``
    """

    def __init__(
        self,
        factory: Callable[[str, str | None], Breaker],
    ) -> None:
        self._factory = factory
        self._breakers: dict[tuple[str, str | None], Breaker] = {}
        self._lock = threading.Lock()

    def get(self, model: str, version: str | None) -> Breaker:
        """The breaker of ``model`` at ``version`` (None = unpinned)."""
        key = (model, version)
        breaker = self._breakers.get(key)
        if breaker is None:
            with self._lock:
                breaker = self._breakers.get(key)
                if breaker is None:
                    breaker = self._factory(model, version)
                    self._breakers[key] = breaker
        return breaker
