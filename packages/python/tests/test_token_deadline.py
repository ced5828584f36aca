"""The call's deadline bounds the wait for its bearer token (docs/semantics.md, Attempt boundaries
and Auth; scenario ``deadline-bounds-token-fetch``): a token request cut by the deadline ends the
call with ``DeadlineExceededError`` and no attempt, while the client's ``timeout_ms`` still ends a
slow token request with a token failure (``AuthError`` / ``TOKEN_UNAVAILABLE``). Async callers
share one token request and each stops waiting at its own deadline without cancelling it for the
others.

No network and no sleeps: scripted transports, a fake clock, and token endpoints that answer when
the test lets them (the async deadlines below are a few real milliseconds)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpcore
import httpx
import pytest

import modelwire
from modelwire import AsyncClient, OIDCClientCredentials, TokenProvider
from modelwire import auth as auth_module
from modelwire.attempt_deadline import time_left
from modelwire.testing import FakeClock

from .helpers import BASE, NO_JITTER, Script, error, make_client, reply

PREDICT = "/models/fraud-score/predict"
TOKEN_URL = "http://gw.test/oauth/token"
OIDC = OIDCClientCredentials(TOKEN_URL, "svc", "s3cret")


def token_reply(token: str = "tok-1", expires_in: int = 3600) -> httpx.Response:
    return httpx.Response(200, json={"access_token": token, "expires_in": expires_in})


class StalledTokenEndpoint:
    """A token endpoint that stalls like a socket would: it records how long the driver lets the
    request's reads take (``time_left``), then times out as the socket would at that bound."""

    def __init__(self) -> None:
        self.bounds: list[float | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bounds.append(time_left(None, httpcore.ReadTimeout))
        raise httpx.ReadTimeout("no answer", request=request)


# ------------------------------------------------------------------------------ blocking twin
def test_sync_token_request_is_cut_by_the_call_deadline() -> None:
    endpoint = StalledTokenEndpoint()
    script = Script().on("/oauth/token", endpoint).on(PREDICT, reply(200))
    with make_client(script, auth=OIDC, deadline_ms=600, cache=False) as client:
        with pytest.raises(modelwire.DeadlineExceededError) as info:
            client.predict("fraud-score", {"a": 1}, request_id="rid-1")
    err = info.value
    assert (err.code, err.attempts, err.request_id) == ("DEADLINE_EXCEEDED", 0, "rid-1")
    assert err.trace_id is not None
    [bound] = endpoint.bounds
    assert bound is not None and 0.5 < bound <= 0.6  # min(timeout 10 s, deadline 600 ms)
    assert script.to(PREDICT) == []


def test_sync_token_request_still_ends_by_the_timeout_when_it_comes_first() -> None:
    endpoint = StalledTokenEndpoint()
    script = Script().on("/oauth/token", endpoint).on(PREDICT, reply(200))
    with make_client(script, auth=OIDC, timeout_ms=300, deadline_ms=5_000) as client:
        with pytest.raises(modelwire.AuthError) as info:
            client.predict("fraud-score", {"a": 1})
    err = info.value
    assert (err.code, err.http_status, err.idp_status, err.attempts) == (
        "TOKEN_UNAVAILABLE",
        None,
        None,
        0,
    )
    assert str(err) == f"the token endpoint {TOKEN_URL} did not answer within 300 ms"
    [bound] = endpoint.bounds
    assert bound is not None and 0.2 < bound <= 0.3


def test_sync_token_answer_trickling_past_the_deadline_is_cut_without_sockets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1000.0]
    monkeypatch.setattr(auth_module, "time", SimpleNamespace(monotonic=lambda: now[0]))

    class Trickle(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            for part in (b'{"access_token":', b'"tok-1",', b'"expires_in":3600}'):
                now[0] += 0.4  # each part arrives 400 ms after the previous one
                yield part

    script = Script().on(PREDICT, reply(200))
    script.on("/oauth/token", lambda _r: httpx.Response(200, stream=Trickle()))
    with make_client(script, auth=OIDC, deadline_ms=600) as client:
        with pytest.raises(modelwire.DeadlineExceededError):
            client.predict("fraud-score", {"a": 1})
    assert script.to(PREDICT) == []


def test_sync_wait_for_the_refresh_lock_ends_at_the_deadline() -> None:
    class BusyLock:
        """Another thread's refresh holds the lock for longer than any caller may wait."""

        def __init__(self) -> None:
            self.timeouts: list[float] = []

        def acquire(self, timeout: float = -1) -> bool:
            self.timeouts.append(timeout)
            return False

        def release(self) -> None:  # pragma: no cover - never acquired
            raise AssertionError("released a lock it does not hold")

    script = Script().on("/oauth/token", token_reply()).on(PREDICT, reply(200))
    with make_client(script, auth=OIDC, deadline_ms=600) as client:
        lock = BusyLock()
        client._tokens._refresh_lock = lock  # type: ignore[assignment]
        with pytest.raises(modelwire.DeadlineExceededError) as info:
            client.predict("fraud-score", {"a": 1})
    assert info.value.attempts == 0
    assert lock.timeouts == [pytest.approx(0.6)]
    assert script.requests == []


def test_sync_refresh_after_a_401_is_bounded_by_what_is_left_of_the_deadline() -> None:
    clock = FakeClock()
    endpoint = StalledTokenEndpoint()
    calls = iter([token_reply("old")])

    def token(request: httpx.Request) -> httpx.Response:
        return next(calls, None) or endpoint(request)

    def refused(_request: httpx.Request) -> httpx.Response:
        clock.advance(0.5)  # the 401 came after 500 ms of the call's 600
        return reply(401, error("UNAUTHENTICATED"))

    script = Script().on("/oauth/token", token).on(PREDICT, refused)
    with make_client(script, clock, auth=OIDC, deadline_ms=600, cache=False) as client:
        with pytest.raises(modelwire.DeadlineExceededError) as info:
            client.predict("fraud-score", {"a": 1})
    assert info.value.attempts == 1
    [bound] = endpoint.bounds
    assert bound is not None and 0.05 < bound <= 0.1


def test_sync_token_within_the_deadline_is_used() -> None:
    script = Script().on("/oauth/token", token_reply()).on(PREDICT, reply(200))
    with make_client(script, auth=OIDC, deadline_ms=600) as client:
        assert client.predict("fraud-score", {"a": 1}).attempts == 1
    assert script.to(PREDICT)[0].headers["authorization"] == "Bearer tok-1"


# ------------------------------------------------------------------------------- asyncio twin
class GatedTokenEndpoint:
    """An async token endpoint that answers only once ``open()`` is called; counts requests."""

    def __init__(self, answer: httpx.Response | None = None) -> None:
        self.gate = asyncio.Event()
        self.requests = 0
        self.answer = answer or token_reply()

    def open(self) -> None:
        self.gate.set()

    async def handler(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/oauth/token":
            self.requests += 1
            await self.gate.wait()
            return self.answer
        assert request.headers["authorization"] == "Bearer tok-1"
        return reply(200)


def gated_client(endpoint: GatedTokenEndpoint, **options: Any) -> AsyncClient:
    options.setdefault("retry", NO_JITTER)
    options.setdefault("auth", OIDC)
    transport = httpx.MockTransport(endpoint.handler)
    return AsyncClient(BASE, transport=transport, clock=FakeClock(), cache=False, **options)


async def test_async_caller_stops_waiting_for_its_token_at_its_deadline() -> None:
    endpoint = GatedTokenEndpoint()
    async with gated_client(endpoint) as client:
        with pytest.raises(modelwire.DeadlineExceededError) as info:
            await client.predict("fraud-score", {"a": 1}, deadline_ms=5, request_id="rid-1")
        assert (info.value.code, info.value.attempts) == ("DEADLINE_EXCEEDED", 0)
        assert info.value.request_id == "rid-1"
        # The token request goes on; once it answers, its token serves the next call.
        fetch = client._tokens._fetch
        assert fetch is not None and not fetch.done()
        endpoint.open()
        await asyncio.wait({fetch})
        assert (await client.predict("fraud-score", {"a": 2})).attempts == 1
    assert endpoint.requests == 1


async def test_async_callers_share_one_token_request_and_leaving_does_not_cancel_it() -> None:
    endpoint = GatedTokenEndpoint()
    async with gated_client(endpoint) as client:
        patient = asyncio.create_task(client.predict("fraud-score", {"a": 1}))
        cancelled = asyncio.create_task(client.predict("fraud-score", {"a": 2}))
        await asyncio.sleep(0)  # both are waiting for the one token request
        with pytest.raises(modelwire.DeadlineExceededError):
            await client.predict("fraud-score", {"a": 3}, deadline_ms=5)
        cancelled.cancel()
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        endpoint.open()
        assert (await patient).attempts == 1
    assert endpoint.requests == 1


async def test_async_token_request_still_ends_by_the_timeout_when_it_comes_first() -> None:
    endpoint = GatedTokenEndpoint()
    async with gated_client(endpoint, timeout_ms=5, deadline_ms=60_000) as client:
        with pytest.raises(modelwire.AuthError) as info:
            await client.predict("fraud-score", {"a": 1})
    assert (info.value.code, info.value.http_status) == ("TOKEN_UNAVAILABLE", None)
    assert str(info.value) == f"the token endpoint {TOKEN_URL} did not answer within 5 ms"


async def test_async_shared_token_error_reaches_each_caller_as_its_own() -> None:
    endpoint = GatedTokenEndpoint(httpx.Response(400, json={"error": "invalid_client"}))
    async with gated_client(endpoint) as client:
        calls = [asyncio.create_task(client.predict("fraud-score", {"a": n})) for n in (1, 2)]
        await asyncio.sleep(0)
        endpoint.open()
        errors = await asyncio.gather(*calls, return_exceptions=True)
    assert all(isinstance(err, modelwire.AuthError) for err in errors)
    assert errors[0] is not errors[1]
    assert endpoint.requests == 1


async def test_async_provider_wait_ends_at_the_deadline_and_is_cancelled() -> None:
    endpoint = GatedTokenEndpoint()
    cancelled: list[bool] = []

    async def slow_token() -> str:
        try:
            await endpoint.gate.wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise
        return "tok-1"

    async with gated_client(endpoint, auth=TokenProvider(slow_token)) as client:
        with pytest.raises(modelwire.DeadlineExceededError) as info:
            await client.predict("fraud-score", {"a": 1}, deadline_ms=5)
        await asyncio.sleep(0)  # the provider's task gets its cancellation
    assert info.value.attempts == 0
    assert cancelled == [True]


async def test_async_close_stops_the_token_request_in_flight() -> None:
    endpoint = GatedTokenEndpoint()
    client = gated_client(endpoint)
    with pytest.raises(modelwire.DeadlineExceededError):
        await client.predict("fraud-score", {"a": 1}, deadline_ms=5)
    fetch = client._tokens._fetch
    assert fetch is not None
    await client.aclose()
    await asyncio.wait({fetch})
    assert fetch.cancelled()
    assert client._tokens._fetch is None
