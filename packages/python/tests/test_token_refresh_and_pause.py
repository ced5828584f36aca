"""Using, refreshing and pausing OIDC tokens (docs/semantics.md, Auth), with both clients: a
token is due ``min(skew, lifetime / 2)`` before it expires; a failed refresh keeps the
still-valid token; failed token requests pause the next ones (1 s, 2 s, 4 s … 30 s), during
which callers fail at once with the last failure; a success resets. Token providers that fail
are ``TOKEN_UNAVAILABLE`` too.

No network and no sleeps: scripted transports and a fake clock."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

import modelwire
from modelwire import AsyncClient, Client, OIDCClientCredentials, TokenProvider
from modelwire.failure_pause import FailurePause
from modelwire.testing import FakeClock

from .helpers import BASE, NO_JITTER, Script, reply

PREDICT = "/models/fraud-score/predict"
TOKEN_PATH = "/oauth/token"
TOKEN_URL = "http://gw.test/oauth/token"
OIDC = OIDCClientCredentials(TOKEN_URL, "svc", "s3cret-never-shown")


def token_reply(token: str, expires_in: float | None = 3600) -> httpx.Response:
    body: dict[str, Any] = {"access_token": token}
    if expires_in is not None:
        body["expires_in"] = expires_in
    return httpx.Response(200, json=body)


def refused(status: int = 401, error: str = "invalid_client", **extra: str) -> httpx.Response:
    return httpx.Response(status, json={"error": error, **extra})


Predict = Callable[[], Any]


class Twin:
    """One client (sync or async) over a script, with a blocking ``predict`` for the tests."""

    def __init__(self, kind: str, script: Script, clock: FakeClock, **options: Any) -> None:
        options.setdefault("retry", NO_JITTER)
        options.setdefault("auth", OIDC)
        options.setdefault("cache", False)
        self.kind = kind
        self.loop = asyncio.new_event_loop() if kind == "async" else None
        if kind == "async":
            transport = httpx.MockTransport(script.ahandler)
            self.aclient = AsyncClient(BASE, transport=transport, clock=clock, **options)
        else:
            transport_sync = httpx.MockTransport(script.handler)
            self.client = Client(BASE, transport=transport_sync, clock=clock, **options)

    def predict(self) -> modelwire.Prediction:
        if self.loop is not None:
            return self.loop.run_until_complete(self.aclient.predict("fraud-score", {"a": 1}))
        return self.client.predict("fraud-score", {"a": 1})

    def close(self) -> None:
        if self.loop is not None:
            self.loop.run_until_complete(self.aclient.aclose())
            self.loop.close()
        else:
            self.client.close()


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def open_twin(kind: str, script: Script, clock: FakeClock, **options: Any) -> Twin:
    return Twin(kind, script, clock, **options)


def sent_tokens(script: Script) -> list[str]:
    return [r.headers["authorization"].removeprefix("Bearer ") for r in script.to(PREDICT)]


# ------------------------------------------------------------------------------ refresh skew
def test_a_short_lived_token_is_due_at_half_its_lifetime(kind: str) -> None:
    clock = FakeClock()
    script = Script().on(TOKEN_PATH, token_reply("tok-1", 10), token_reply("tok-2", 10))
    script.on(PREDICT, reply(200))
    twin = open_twin(kind, script, clock)
    try:
        twin.predict()
        clock.advance(4.9)  # min(30 s, 10 s / 2) = 5 s before it expires
        twin.predict()
        assert len(script.to(TOKEN_PATH)) == 1
        clock.advance(0.1)
        twin.predict()
    finally:
        twin.close()
    assert len(script.to(TOKEN_PATH)) == 2
    assert sent_tokens(script) == ["tok-1", "tok-1", "tok-2"]


def test_a_long_lived_token_is_due_skew_before_it_expires(kind: str) -> None:
    clock = FakeClock()
    script = Script().on(TOKEN_PATH, token_reply("tok-1", 3600), token_reply("tok-2"))
    script.on(PREDICT, reply(200))
    twin = open_twin(kind, script, clock)
    try:
        twin.predict()
        clock.advance(3569.9)
        twin.predict()
        clock.advance(0.1)  # 3600 s - 30 s skew
        twin.predict()
    finally:
        twin.close()
    assert sent_tokens(script) == ["tok-1", "tok-1", "tok-2"]


def test_a_token_without_expires_in_lives_300_seconds(kind: str) -> None:
    clock = FakeClock()
    script = Script().on(TOKEN_PATH, token_reply("tok-1", None), token_reply("tok-2"))
    script.on(PREDICT, reply(200))
    twin = open_twin(kind, script, clock)
    try:
        twin.predict()
        clock.advance(269.9)
        twin.predict()
        clock.advance(0.1)
        twin.predict()
    finally:
        twin.close()
    assert sent_tokens(script) == ["tok-1", "tok-1", "tok-2"]


# ------------------------------------------------------------------- a failed refresh keeps it
def test_a_failed_refresh_keeps_the_still_valid_token_until_it_expires(kind: str) -> None:
    clock = FakeClock()
    maintenance = refused(503, "temporarily_unavailable", error_description="IdP maintenance")
    script = Script().on(TOKEN_PATH, token_reply("tok-1", 10), maintenance)
    script.on(PREDICT, reply(200))
    twin = open_twin(kind, script, clock)
    try:
        twin.predict()
        clock.advance(6)  # due (after 5 s), valid until 10 s
        assert twin.predict().attempts == 1  # the refresh failed: the cached token is used
        assert len(script.to(TOKEN_PATH)) == 2
        clock.advance(0.5)  # within the 1 s failure pause: no token request
        twin.predict()
        assert len(script.to(TOKEN_PATH)) == 2
        clock.advance(4)  # past the token's expiry and the pause
        with pytest.raises(modelwire.AuthError) as info:
            twin.predict()
    finally:
        twin.close()
    err = info.value
    assert (err.code, err.http_status, err.idp_status, err.oauth_error, err.attempts) == (
        "TOKEN_UNAVAILABLE",
        None,
        503,
        "temporarily_unavailable",
        0,
    )
    assert err.oauth_error_description == "IdP maintenance"
    assert err.request_id is not None
    assert sent_tokens(script) == ["tok-1", "tok-1", "tok-1"]
    assert len(script.to(TOKEN_PATH)) == 3


def test_a_token_the_gateway_refused_is_never_used_again_even_if_the_refresh_fails(
    kind: str,
) -> None:
    clock = FakeClock()
    script = Script().on(TOKEN_PATH, token_reply("tok-1"), refused(503, "temporarily_unavailable"))
    script.on(PREDICT, reply(401))
    twin = open_twin(kind, script, clock)
    try:
        with pytest.raises(modelwire.AuthError) as info:
            twin.predict()
    finally:
        twin.close()
    # The refresh after the 401 failed: a token failure after one attempt.
    assert (info.value.code, info.value.idp_status, info.value.attempts) == (
        "TOKEN_UNAVAILABLE",
        503,
        1,
    )
    assert sent_tokens(script) == ["tok-1"]


# ---------------------------------------------------------------------------- failure pause
def test_token_failures_pause_the_next_requests_and_a_success_resets(kind: str) -> None:
    clock = FakeClock()
    bad = refused(401, "invalid_client", error_description="Invalid client credentials")
    script = Script().on(TOKEN_PATH, bad)
    script.on(PREDICT, reply(200))
    twin = open_twin(kind, script, clock)

    def fails() -> modelwire.AuthError:
        with pytest.raises(modelwire.AuthError) as info:
            twin.predict()
        return info.value

    def token_requests() -> int:
        return len(script.to(TOKEN_PATH))

    try:
        first = fails()
        assert token_requests() == 1
        assert "paused" not in str(first)
        clock.advance(0.25)
        second = fails()  # paused: fails at once with the last failure's fields
        assert token_requests() == 1
        assert str(second) == (
            f"{first} (token requests paused for another 750 ms after 1 failure)"
        )
        assert (second.code, second.idp_status, second.oauth_error, second.attempts) == (
            "TOKEN_UNAVAILABLE",
            401,
            "invalid_client",
            0,
        )
        assert second.oauth_error_description == "Invalid client credentials"
        assert second.__cause__ is not None
        clock.advance(0.75)  # the 1 s pause is over
        fails()
        assert token_requests() == 2
        clock.advance(1.5)  # the second pause is 2 s
        assert "paused for another 500 ms after 2 failures" in str(fails())
        assert token_requests() == 2
        clock.advance(0.5)
        fails()
        assert token_requests() == 3
        clock.advance(3.999)  # the third is 4 s
        assert "after 3 failures" in str(fails())
        script.on(TOKEN_PATH, token_reply("tok-1", 1), bad)
        clock.advance(0.001)
        assert twin.predict().attempts == 1  # a success ends the pause
        clock.advance(1)  # the 1 s token expired; its refresh fails
        fails()
        clock.advance(0.999)  # the pause starts over at 1 s
        assert "paused for another 1 ms after 1 failure" in str(fails())
    finally:
        twin.close()
    assert script.to(PREDICT)[0].headers["authorization"] == "Bearer tok-1"


def test_the_pause_grows_to_its_maximum_without_jitter() -> None:
    pause = FailurePause(1_000, 30_000, "none")
    assert [pause.failed(0.0) for _ in range(7)] == [
        1_000,
        2_000,
        4_000,
        8_000,
        16_000,
        30_000,
        30_000,
    ]
    assert pause.count == 7
    assert pause.remaining_ms(10.0) == pytest.approx(20_000)
    pause.succeeded()
    assert (pause.count, pause.remaining_ms(0.0), pause.failed(0.0)) == (0, 0.0, 1_000)


@pytest.mark.parametrize(("draw", "expected"), [(0.0, 2_000), (0.5, 3_000), (0.999999, 4_000)])
def test_full_jitter_draws_the_pause_from_its_upper_half(draw: float, expected: float) -> None:
    pause = FailurePause(1_000, 30_000, "full", rng=lambda: draw)
    pause.failed(0.0)
    pause.failed(0.0)
    assert pause.failed(0.0) == pytest.approx(expected, abs=0.01)  # the 3rd pause: 4 s


def test_the_retry_jitter_option_sets_the_pause_jitter() -> None:
    clock = FakeClock()
    script = Script().on(TOKEN_PATH, refused())
    jittered = modelwire.RetryOptions(jitter="full", budget=None)
    twin = open_twin("sync", script, clock, retry=jittered)
    try:
        with pytest.raises(modelwire.AuthError):
            twin.predict()
        with pytest.raises(modelwire.AuthError) as info:
            twin.predict()
    finally:
        twin.close()
    paused_ms = int(str(info.value).split("another ")[1].split(" ms")[0])
    assert 500 <= paused_ms <= 1_000


async def test_async_callers_during_a_refresh_join_it_even_when_it_fails() -> None:
    gate = asyncio.Event()
    requests: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == TOKEN_PATH:
            requests.append("token")
            await gate.wait()
            return refused(400, "invalid_scope")
        return reply(200)

    transport = httpx.MockTransport(handler)
    client = AsyncClient(BASE, transport=transport, clock=FakeClock(), auth=OIDC, retry=NO_JITTER)
    async with client:
        calls = [asyncio.create_task(client.predict("fraud-score", {"a": n})) for n in (1, 2, 3)]
        await asyncio.sleep(0)
        gate.set()
        errors = await asyncio.gather(*calls, return_exceptions=True)
    assert requests == ["token"]
    assert all(isinstance(e, modelwire.AuthError) for e in errors)
    assert {e.oauth_error for e in errors if isinstance(e, modelwire.AuthError)} == {
        "invalid_scope"
    }
    assert str(errors[0]).endswith(": check the requested scope")


# ----------------------------------------------------------------------------- token provider
def test_a_provider_that_raises_is_token_unavailable_with_its_cause(kind: str) -> None:
    boom = RuntimeError("vault sealed")

    def broken() -> str:
        raise boom

    script = Script().on(PREDICT, reply(200))
    twin = open_twin(kind, script, FakeClock(), auth=TokenProvider(broken))
    try:
        with pytest.raises(modelwire.AuthError) as info:
            twin.predict()
    finally:
        twin.close()
    err = info.value
    assert (err.code, err.http_status, err.attempts) == ("TOKEN_UNAVAILABLE", None, 0)
    assert err.__cause__ is boom
    assert "vault sealed" not in str(err)
    assert script.requests == []


@pytest.mark.parametrize("value", ["", None, 42])
def test_a_provider_without_a_token_is_token_unavailable(kind: str, value: object) -> None:
    script = Script().on(PREDICT, reply(200))
    provider = TokenProvider(lambda: value)  # type: ignore[arg-type, return-value]
    twin = open_twin(kind, script, FakeClock(), auth=provider)
    try:
        with pytest.raises(modelwire.AuthError) as info:
            twin.predict()
    finally:
        twin.close()
    assert info.value.code == "TOKEN_UNAVAILABLE"
    assert "non-empty string" in str(info.value)
    assert script.requests == []


async def test_an_async_provider_that_raises_is_token_unavailable() -> None:
    boom = KeyError("token")

    async def broken() -> str:
        raise boom

    script = Script().on(PREDICT, reply(200))
    transport = httpx.MockTransport(script.ahandler)
    async with AsyncClient(BASE, transport=transport, auth=TokenProvider(broken)) as client:
        with pytest.raises(modelwire.AuthError) as info:
            await client.predict("fraud-score", {"a": 1})
    assert (info.value.code, info.value.__cause__) == ("TOKEN_UNAVAILABLE", boom)
    assert script.requests == []


def test_token_failures_are_not_retried_and_do_not_count_for_the_breaker() -> None:
    clock = FakeClock()
    script = Script().on(TOKEN_PATH, refused(500, "server_error")).on(PREDICT, reply(200))
    breaker = modelwire.BreakerOptions(consecutive_failures=1)
    twin = open_twin("sync", script, clock, breaker=breaker, fallbacks={"fraud-score": "backup"})
    try:
        with pytest.raises(modelwire.AuthError):
            twin.predict()
        assert twin.client.breaker_state("fraud-score") == "closed"
    finally:
        twin.close()
    assert len(script.to(TOKEN_PATH)) == 1
    assert script.to("/models/backup/predict") == []


def test_threads_share_one_failing_refresh_and_keep_the_still_valid_token() -> None:
    clock = FakeClock()
    entered, release = threading.Event(), threading.Event()

    def slow_failure(_request: httpx.Request) -> httpx.Response:
        entered.set()
        release.wait(5)
        return refused(503, "temporarily_unavailable")

    script = Script().on(TOKEN_PATH, token_reply("tok-1", 10), slow_failure)
    script.on(PREDICT, reply(200))
    twin = open_twin("sync", script, clock)
    try:
        twin.predict()
        clock.advance(6)  # due, still valid
        with ThreadPoolExecutor(max_workers=2) as pool:
            first = pool.submit(twin.predict)
            assert entered.wait(5)
            second = pool.submit(twin.predict)  # waits for the refresh in flight (or its pause)
            release.set()
            assert first.result().attempts == second.result().attempts == 1
    finally:
        twin.close()
    assert len(script.to(TOKEN_PATH)) == 2
    assert sent_tokens(script) == ["tok-1", "tok-1", "tok-1"]
