"""Breaker: 5 consecutive failures open it, 4xx ignored, one half-open trial (injected clock)."""

from __future__ import annotations

import pytest

import modelwire
from modelwire import BreakerOptions, RetryOptions
from modelwire.breaker import Breaker, Outcome
from modelwire.events import Event
from modelwire.testing import FakeClock

from .helpers import Script, error, make_client, reply

PREDICT = "/models/fraud-score/predict"
NO_RETRY = RetryOptions(max_retries=0, budget=None)


def state_of(breaker: Breaker) -> str:
    return breaker.state


def test_unit_breaker_cycle() -> None:
    clock = FakeClock()
    transitions: list[str] = []
    b = Breaker(
        consecutive_failures=5, reset_timeout_s=30, clock=clock, on_transition=transitions.append
    )
    for _ in range(4):
        b.record("failure", b.acquire())
    assert state_of(b) == "closed"
    b.record("ignored", b.acquire())  # a 4xx does not reset the streak
    b.record("failure", b.acquire())
    assert state_of(b) == "open"
    with pytest.raises(modelwire.CircuitOpenError):
        b.acquire()
    clock.advance(30)
    assert b.acquire() is True  # the one trial
    with pytest.raises(modelwire.CircuitOpenError):
        b.acquire()  # others fail fast while it is in flight
    b.record("failure", True)
    assert state_of(b) == "open"
    clock.advance(30)
    trial = b.acquire()
    b.record("ignored", trial)  # ignored trial: still half-open, next attempt may trial
    assert state_of(b) == "half-open"
    b.record("success", b.acquire())
    assert state_of(b) == "closed"
    assert transitions == ["open", "half-open", "open", "half-open", "closed"]


def test_success_resets_the_streak() -> None:
    b = Breaker(consecutive_failures=3, reset_timeout_s=1, clock=FakeClock())
    outcomes: list[Outcome] = ["failure", "failure", "success", "failure", "failure"]
    for outcome in outcomes:
        b.record(outcome, b.acquire())
    assert state_of(b) == "closed"


def test_client_opens_after_five_failures_and_fails_fast() -> None:
    script = Script().on(PREDICT, reply(500, error("INTERNAL")))
    clock = FakeClock()
    events: list[Event] = []
    with make_client(script, clock, cache=False, retry=NO_RETRY, on_event=events.append) as client:
        for i in range(5):
            with pytest.raises(modelwire.ServerError):
                client.predict("fraud-score", {"i": i})
        assert client.breaker_state("fraud-score") == "open"
        with pytest.raises(modelwire.CircuitOpenError) as info:
            client.predict("fraud-score", {"i": 99})
        assert info.value.code == "CIRCUIT_OPEN"
        assert len(script.to(PREDICT)) == 5  # fail fast: no network
        assert [e.type for e in events].count("breaker_open") == 1
        script.on(PREDICT, reply(200))
        clock.advance(30)
        assert client.breaker_state("fraud-score") == "half-open"
        client.predict("fraud-score", {"i": 100})
        assert client.breaker_state("fraud-score") == "closed"
    kinds = [e.type for e in events]
    assert kinds.index("breaker_half_open") < kinds.index("breaker_close")


def test_4xx_and_429_never_open_the_breaker() -> None:
    script = Script().on(PREDICT, reply(422, error("VALIDATION_FAILED")), reply(429))
    with make_client(script, cache=False, retry=NO_RETRY) as client:
        for i in range(10):
            with pytest.raises((modelwire.ValidationError, modelwire.RateLimitError)):
                client.predict("fraud-score", {"i": i})
        assert client.breaker_state("fraud-score") == "closed"


def test_breakers_are_per_pinned_version() -> None:
    script = Script().on(PREDICT, reply(503))
    options = BreakerOptions(consecutive_failures=2)
    with make_client(script, cache=False, retry=NO_RETRY, breaker=options) as client:
        for i in range(2):
            with pytest.raises(modelwire.UnavailableError):
                client.predict("fraud-score", {"i": i}, version="1")
        assert client.breaker_state("fraud-score", "1") == "open"
        assert client.breaker_state("fraud-score") == "closed"
        assert client.breaker_state("fraud-score", "2") == "closed"


def test_breaker_false_disables_it() -> None:
    script = Script().on(PREDICT, reply(503))
    with make_client(script, cache=False, retry=NO_RETRY, breaker=False) as client:
        for i in range(8):
            with pytest.raises(modelwire.UnavailableError):
                client.predict("fraud-score", {"i": i})
    assert len(script.to(PREDICT)) == 8
