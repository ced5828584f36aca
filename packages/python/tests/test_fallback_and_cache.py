"""Fallback (depth 1), the credential-scoped cache, stale-if-error, low confidence."""

from __future__ import annotations

import pytest

import modelwire
from modelwire import CacheOptions, RetryOptions
from modelwire.events import Event
from modelwire.testing import FakeClock

from .helpers import Script, error, make_client, reply, success

PREDICT = "/models/fraud-score/predict"
BACKUP = "/models/fraud-score-backup/predict"
FALLBACKS = {"fraud-score": "fraud-score-backup"}
NO_RETRY = RetryOptions(max_retries=0, budget=None, jitter="none")


def test_fallback_after_retries_exhausted_keeps_request_id_new_idempotency_key() -> None:
    script = (
        Script()
        .on(PREDICT, reply(503))
        .on(BACKUP, reply(200, success(model="fraud-score-backup", version="1")))
    )
    events: list[Event] = []
    with make_client(script, fallbacks=FALLBACKS, on_event=events.append) as client:
        p = client.predict("fraud-score", {"amount": 1}, version="2")
    assert p.fallback == modelwire.Fallback(
        "fraud-score", "fraud-score-backup", "retries_exhausted"
    )
    assert p.attempts == 4
    assert p.model.name == "fraud-score-backup"
    primary, backup = script.to(PREDICT), script.to(BACKUP)
    assert {r.headers["x-request-id"] for r in primary + backup} == {
        primary[0].headers["x-request-id"]
    }
    assert backup[0].headers["idempotency-key"] != primary[0].headers["idempotency-key"]
    assert "x-model-version" not in backup[0].headers  # no version pin on the backup
    assert (
        primary[0].headers["traceparent"].split("-")[1]
        == backup[0].headers["traceparent"].split("-")[1]
    )
    assert next(e for e in events if e.type == "fallback").to == "fraud-score-backup"


def test_fallback_on_circuit_open() -> None:
    script = Script().on(PREDICT, reply(500)).on(BACKUP, reply(200))
    options = modelwire.BreakerOptions(consecutive_failures=1)
    with make_client(script, retry=NO_RETRY, breaker=options, fallbacks=FALLBACKS) as client:
        first = client.predict("fraud-score", {"amount": 1})
        assert first.fallback is not None and first.fallback.reason == "retries_exhausted"
        second = client.predict("fraud-score", {"amount": 2})
        assert second.fallback is not None and second.fallback.reason == "circuit_open"
    assert len(script.to(PREDICT)) == 1


def test_backup_failing_too_raises_the_primary_error_with_the_backup_attached() -> None:
    script = Script().on(PREDICT, reply(503)).on(BACKUP, reply(500))
    with make_client(script, retry=NO_RETRY, fallbacks=FALLBACKS) as client:
        with pytest.raises(modelwire.UnavailableError) as info:
            client.predict("fraud-score", {"amount": 1})
    assert isinstance(info.value.backup_error, modelwire.ServerError)
    assert info.value.attempts == 2


@pytest.mark.parametrize("status", [400, 404, 422, 429])
def test_no_fallback_on_4xx_or_429(status: int) -> None:
    script = Script().on(PREDICT, reply(status, error("X"))).on(BACKUP, reply(200))
    with (
        make_client(script, retry=NO_RETRY, fallbacks=FALLBACKS) as client,
        pytest.raises(modelwire.ModelwireError),
    ):
        client.predict("fraud-score", {"amount": 1})
    assert script.to(BACKUP) == []


def test_fallback_function_and_answers_not_cached_under_primary() -> None:
    script = Script().on(PREDICT, reply(503)).on(BACKUP, reply(200))
    with make_client(script, retry=NO_RETRY, fallbacks=lambda m: m + "-backup") as client:
        client.predict("fraud-score", {"amount": 1})
        again = client.predict("fraud-score", {"amount": 1})
    assert again.cached is False
    assert len(script.to(BACKUP)) == 2


def test_cache_hit_and_ttl() -> None:
    script = Script().on(PREDICT, reply(200))
    clock = FakeClock()
    events: list[Event] = []
    with make_client(script, clock, on_event=events.append) as client:
        first = client.predict("fraud-score", {"b": 1, "a": 2.0})
        hit = client.predict("fraud-score", {"a": 2, "b": 1})  # same canonical JSON
        assert (first.cached, hit.cached, hit.attempts) == (False, True, 0)
        assert hit.result == first.result
        clock.advance(30)
        assert client.predict("fraud-score", {"a": 2, "b": 1}).cached is False
        assert client.predict("fraud-score", {"a": 2, "b": 1}, cache=False).cached is False
    assert len(script.to(PREDICT)) == 3
    assert [e.type for e in events].count("cache_hit") == 1
    body = script.bodies(PREDICT)[0]
    assert body["meta"]["input_digest"] == modelwire.cache_key(
        "fraud-score", None, "anonymous", {"a": 2, "b": 1}
    )


def test_two_credentials_never_share_an_entry() -> None:
    script = Script().on(PREDICT, reply(200))
    clock = FakeClock()
    with (
        make_client(script, clock, auth="t-alice") as alice,
        make_client(script, clock, auth="t-bob") as bob,
    ):
        alice.predict("fraud-score", {"a": 1})
        assert bob.predict("fraud-score", {"a": 1}).cached is False
        assert alice.predict("fraud-score", {"a": 1}).cached is True
    assert script.to(PREDICT)[0].headers["authorization"] == "Bearer t-alice"


def test_errors_are_not_cached() -> None:
    script = Script().on(PREDICT, reply(422, error("VALIDATION_FAILED")), reply(200))
    with make_client(script) as client:
        with pytest.raises(modelwire.ValidationError):
            client.predict("fraud-score", {"a": 1})
        assert client.predict("fraud-score", {"a": 1}).cached is False


def test_stale_if_error_serves_the_expired_answer() -> None:
    script = Script().on(PREDICT, reply(200), reply(503))
    clock = FakeClock()
    cache = CacheOptions(stale_if_error=True)
    with make_client(script, clock, cache=cache, retry=NO_RETRY) as client:
        fresh = client.predict("fraud-score", {"a": 1})
        clock.advance(31)
        stale = client.predict("fraud-score", {"a": 1})
    assert (stale.stale, stale.cached, stale.fallback) == (True, True, None)
    assert stale.result == fresh.result


def test_cache_is_bounded_by_entries() -> None:
    script = Script().on(PREDICT, reply(200))
    with make_client(script, cache=CacheOptions(max_entries=2)) as client:
        for i in range(3):
            client.predict("fraud-score", {"i": i})
        assert client.predict("fraud-score", {"i": 0}).cached is False  # evicted (LRU)
        assert client.predict("fraud-score", {"i": 2}).cached is True


def test_low_confidence_from_option_and_from_model_info() -> None:
    result = {"label": "fraud", "confidence": 0.55}
    info = {
        "status": "success",
        "code": "OK",
        "message": "info",
        "request_id": "r",
        "trace_id": "t",
        "result": {
            "name": "fraud-score",
            "default_version": "2",
            "versions": [],
            "traffic": [],
            "input_schema": {},
            "output_schema": {},
            "thresholds": {"min_confidence": 0.6},
        },
    }
    script = (
        Script()
        .on(PREDICT, reply(200, success(result)))
        .on("/models/fraud-score/info", reply(200, info))
    )
    with make_client(script) as client:
        assert client.predict("fraud-score", {"a": 1}).low_confidence is False  # no threshold known
        assert client.predict("fraud-score", {"a": 1}, min_confidence=0.5).low_confidence is False
        client.model_info("fraud-score")
        p = client.predict("fraud-score", {"a": 1})
        assert p.low_confidence is True
        assert p.confidence == 0.55


def test_invalid_input_is_rejected_before_sending() -> None:
    script = Script().on(PREDICT, reply(200))
    with make_client(script, max_input_bytes=32) as client:
        with pytest.raises(modelwire.InvalidInputError) as info:
            client.predict("fraud-score", {"x": float("nan")})
        assert info.value.code == "INVALID_INPUT"
        with pytest.raises(modelwire.PayloadTooLargeError):
            client.predict("fraud-score", {"note": "x" * 64})
    assert script.requests == []


def test_options_are_validated() -> None:
    with pytest.raises(modelwire.InvalidInputError) as info:
        RetryOptions(jitter="sometimes")
    assert info.value.code == "INVALID_OPTIONS"
    with pytest.raises(modelwire.InvalidInputError):
        modelwire.Client("ftp://nope")
