"""Retry: statuses, backoff, Retry-After (cap, deadline), budget, identity across attempts."""

from __future__ import annotations

import httpx
import pytest

import modelwire
from modelwire import RetryOptions
from modelwire.options import BudgetOptions
from modelwire.testing import FakeClock

from .helpers import Script, error, make_client, reply

PREDICT = "/models/fraud-score/predict"
DATA = {"amount": 129.5}


def test_retries_503_then_succeeds_with_one_identity() -> None:
    script = Script().on(PREDICT, reply(503), reply(503), reply(200))
    clock = FakeClock()
    with make_client(script, clock, cache=False) as client:
        p = client.predict("fraud-score", DATA)
    assert p.attempts == 3
    sent = script.to(PREDICT)
    assert len(sent) == 3
    for name in ("x-request-id", "idempotency-key"):
        assert len({r.headers[name] for r in sent}) == 1
    traces = [r.headers["traceparent"].split("-") for r in sent]
    assert len({t[1] for t in traces}) == 1  # one trace id
    assert len({t[2] for t in traces}) == 3  # a new span per attempt
    bodies = script.bodies(PREDICT)
    assert {b["request_id"] for b in bodies} == {sent[0].headers["x-request-id"]}
    assert clock.sleeps == [0.1, 0.2]  # 100 ms, 200 ms: jitter none
    assert "x-model-version" not in sent[0].headers


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_every_retryable_status_is_retried(status: int) -> None:
    script = Script().on(PREDICT, reply(status), reply(200))
    with make_client(script, cache=False) as client:
        assert client.predict("fraud-score", DATA).attempts == 2


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, modelwire.BadRequestError),
        (401, modelwire.AuthError),
        (403, modelwire.AuthError),
        (404, modelwire.NotFoundError),
        (409, modelwire.ConflictError),
        (413, modelwire.PayloadTooLargeError),
        (422, modelwire.ValidationError),
    ],
)
def test_other_4xx_are_not_retried(status: int, kind: type[modelwire.ModelwireError]) -> None:
    script = Script().on(PREDICT, reply(status, error("X")), reply(200))
    with make_client(script, cache=False) as client, pytest.raises(kind) as info:
        client.predict("fraud-score", DATA)
    assert info.value.attempts == 1
    assert info.value.http_status == status
    assert len(script.to(PREDICT)) == 1


def test_validation_error_carries_field_errors_and_ids() -> None:
    body = error(
        "VALIDATION_FAILED", "bad input", errors=[{"field": "/amount", "message": "must be number"}]
    )
    script = Script().on(PREDICT, reply(422, body))
    with (
        make_client(script, cache=False) as client,
        pytest.raises(modelwire.ValidationError) as info,
    ):
        client.predict("fraud-score", {"amount": "x"})
    err = info.value
    assert err.code == "VALIDATION_FAILED"
    assert err.errors == (modelwire.FieldError("/amount", "must be number"),)
    assert err.request_id == "srv-rid"


def test_retry_after_replaces_backoff() -> None:
    script = Script().on(PREDICT, reply(429, headers={"Retry-After": "3"}), reply(200))
    clock = FakeClock()
    with make_client(script, clock, cache=False) as client:
        client.predict("fraud-score", DATA)
    assert clock.sleeps == [3.0]


def test_retry_after_above_cap_gives_up_at_once() -> None:
    script = Script().on(PREDICT, reply(429, headers={"Retry-After": "31"}), reply(200))
    clock = FakeClock()
    with (
        make_client(script, clock, cache=False) as client,
        pytest.raises(modelwire.RateLimitError) as info,
    ):
        client.predict("fraud-score", DATA)
    assert info.value.retry_after_ms == 31000
    assert clock.sleeps == []
    assert len(script.to(PREDICT)) == 1


def test_retry_after_beyond_deadline_gives_up_at_once() -> None:
    script = Script().on(PREDICT, reply(503, headers={"Retry-After": "5"}), reply(200))
    with make_client(script, cache=False, deadline_ms=2000) as client:
        with pytest.raises(modelwire.UnavailableError) as info:
            client.predict("fraud-score", DATA)
    assert info.value.retry_after_ms == 5000


def test_invalid_retry_after_falls_back_to_backoff() -> None:
    script = Script().on(PREDICT, reply(503, headers={"Retry-After": "soon"}), reply(200))
    clock = FakeClock()
    with make_client(script, clock, cache=False) as client:
        client.predict("fraud-score", DATA)
    assert clock.sleeps == [0.1]


def test_retries_exhausted_raises_last_error_with_attempts() -> None:
    script = Script().on(PREDICT, reply(500, error("INTERNAL")))
    with make_client(script, cache=False) as client, pytest.raises(modelwire.ServerError) as info:
        client.predict("fraud-score", DATA)
    assert info.value.attempts == 3
    assert info.value.code == "INTERNAL"


def test_html_502_is_a_server_error() -> None:
    script = Script().on(PREDICT, reply(502, "<html>bad gateway</html>"))
    retry = RetryOptions(max_retries=0, budget=None)
    with (
        make_client(script, cache=False, retry=retry) as client,
        pytest.raises(modelwire.ServerError) as info,
    ):
        client.predict("fraud-score", DATA)
    assert info.value.code == "HTTP_502"


def test_budget_stops_retry_storms() -> None:
    script = Script().on(PREDICT, reply(503))
    retry = RetryOptions(jitter="none", max_retries=5, budget=BudgetOptions(max_tokens=2))
    with make_client(script, cache=False, retry=retry, breaker=False) as client:
        with pytest.raises(modelwire.UnavailableError) as info:
            client.predict("fraud-score", DATA)
        assert info.value.attempts == 3  # first attempt + 2 retries paid by the budget
        with pytest.raises(modelwire.UnavailableError) as again:
            client.predict("fraud-score", DATA)
        assert again.value.attempts == 1  # budget empty: no retry at all


def test_deadline_exceeded_carries_last_error() -> None:
    script = Script().on(PREDICT, reply(503))
    retry = RetryOptions(jitter="none", max_retries=10, backoff_initial_ms=400, budget=None)
    with make_client(script, cache=False, retry=retry, deadline_ms=1000, breaker=False) as client:
        with pytest.raises(modelwire.DeadlineExceededError) as info:
            client.predict("fraud-score", DATA)
    assert info.value.code == "DEADLINE_EXCEEDED"
    assert isinstance(info.value.__cause__, modelwire.UnavailableError)


def test_timeouts_and_connection_errors_are_retried() -> None:
    script = Script().on(
        PREDICT, httpx.ReadTimeout("slow"), httpx.ConnectError("refused"), reply(200)
    )
    with make_client(script, cache=False) as client:
        assert client.predict("fraud-score", DATA).attempts == 3


def test_timeout_error_kind_when_all_attempts_time_out() -> None:
    script = Script().on(PREDICT, httpx.ReadTimeout("slow"))
    with make_client(script, cache=False) as client, pytest.raises(modelwire.TimeoutError) as info:
        client.predict("fraud-score", DATA)
    assert info.value.code == "TIMEOUT"


def test_connection_error_kind() -> None:
    script = Script().on(PREDICT, httpx.ConnectError("refused"))
    with (
        make_client(script, cache=False) as client,
        pytest.raises(modelwire.ConnectionError) as info,
    ):
        client.predict("fraud-score", DATA)
    assert info.value.code == "CONNECTION_ERROR"


def test_malformed_2xx_is_not_retried() -> None:
    script = Script().on(PREDICT, reply(200, "not json"), reply(200))
    with (
        make_client(script, cache=False) as client,
        pytest.raises(modelwire.MalformedResponseError),
    ):
        client.predict("fraud-score", DATA)
    assert len(script.to(PREDICT)) == 1


def test_envelope_missing_fields_is_malformed() -> None:
    script = Script().on(PREDICT, reply(200, {"status": "success"}))
    with (
        make_client(script, cache=False) as client,
        pytest.raises(modelwire.MalformedResponseError),
    ):
        client.predict("fraud-score", DATA)


def test_full_jitter_stays_within_the_ceiling() -> None:
    script = Script().on(PREDICT, reply(503), reply(503), reply(200))
    clock = FakeClock()
    with make_client(script, clock, cache=False, retry=RetryOptions(budget=None)) as client:
        client.predict("fraud-score", DATA)
    assert len(clock.sleeps) == 2
    assert 0 <= clock.sleeps[0] <= 0.1
    assert 0 <= clock.sleeps[1] <= 0.2
