"""Auth (static, provider, OIDC with refresh on 401), traceparent, events and redaction."""

from __future__ import annotations

import asyncio
import json
import logging
from urllib.parse import parse_qs

import httpx
import pytest

import modelwire
from modelwire import OIDCClientCredentials, TokenProvider
from modelwire.events import Event
from modelwire.redact import redact_headers
from modelwire.testing import FakeClock

from .helpers import BASE, Script, error, make_client, reply

PREDICT = "/models/fraud-score/predict"
TOKEN_URL = "http://gw.test/oauth/token"


def token_reply(token: str, expires_in: int = 3600) -> httpx.Response:
    return httpx.Response(200, json={"access_token": token, "expires_in": expires_in})


def test_oidc_token_is_cached_then_refreshed_near_expiry() -> None:
    script = Script().on("/oauth/token", token_reply("tok-1", 60), token_reply("tok-2", 60))
    script.routes["/oauth/token"] = [token_reply("tok-1", 60), token_reply("tok-2", 60)]
    script.on(PREDICT, reply(200))
    clock = FakeClock()
    auth = OIDCClientCredentials(TOKEN_URL, "svc", "s3cret", scope="models:predict")
    with make_client(script, clock, auth=auth, cache=False) as client:
        client.predict("fraud-score", {"a": 1})
        client.predict("fraud-score", {"a": 2})
        clock.advance(31)  # 60 s token, 30 s refresh skew
        client.predict("fraud-score", {"a": 3})
    token_requests = [r for r in script.requests if r.url.path == "/oauth/token"]
    assert len(token_requests) == 2
    form = parse_qs(token_requests[0].content.decode())
    assert form == {
        "grant_type": ["client_credentials"],
        "client_id": ["svc"],
        "client_secret": ["s3cret"],
        "scope": ["models:predict"],
    }
    auths = [r.headers["authorization"] for r in script.to(PREDICT)]
    assert auths == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


def test_oidc_refreshes_once_on_401() -> None:
    script = Script()
    script.routes["/oauth/token"] = [token_reply("old"), token_reply("new")]
    script.on(PREDICT, reply(401, error("UNAUTHENTICATED")), reply(200))
    with make_client(script, auth=OIDCClientCredentials(TOKEN_URL, "svc", "s")) as client:
        p = client.predict("fraud-score", {"a": 1})
    assert p.attempts == 2
    assert [r.headers["authorization"] for r in script.to(PREDICT)] == ["Bearer old", "Bearer new"]


def test_static_token_401_is_not_retried() -> None:
    script = Script().on(PREDICT, reply(401, error("UNAUTHENTICATED")), reply(200))
    with make_client(script, auth="t-alice") as client, pytest.raises(modelwire.AuthError) as info:
        client.predict("fraud-score", {"a": 1})
    assert info.value.code == "UNAUTHENTICATED"
    assert len(script.to(PREDICT)) == 1


def test_token_provider_is_asked_per_call_and_scopes_the_cache() -> None:
    tokens = iter(["t-1", "t-2", "t-2"])
    script = Script().on(PREDICT, reply(200))
    with make_client(script, auth=TokenProvider(lambda: next(tokens))) as client:
        client.predict("fraud-score", {"a": 1})
        assert client.predict("fraud-score", {"a": 1}).cached is False  # another token
        assert client.predict("fraud-score", {"a": 1}).cached is True


def test_oidc_bad_credentials_is_an_auth_error() -> None:
    script = Script()
    script.routes["/oauth/token"] = [httpx.Response(401, json={"error": "invalid_client"})]
    with make_client(script, auth=OIDCClientCredentials(TOKEN_URL, "svc", "bad")) as client:
        with pytest.raises(modelwire.AuthError) as info:
            client.predict("fraud-score", {"a": 1})
    assert "bad" not in str(info.value)


def test_caller_traceparent_is_continued() -> None:
    script = Script().on(PREDICT, reply(503), reply(200))
    caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    with make_client(script, cache=False) as client:
        client.predict("fraud-score", {"a": 1}, traceparent=caller, request_id="my-id")
    sent = script.to(PREDICT)
    assert {r.headers["traceparent"].split("-")[1] for r in sent} == {
        "4bf92f3577b34da6a3ce929d0e0e4736"
    }
    assert {r.headers["x-request-id"] for r in sent} == {"my-id"}
    assert json.loads(sent[0].content)["request_id"] == "my-id"


def test_events_cover_request_response_retry_with_latency() -> None:
    script = Script().on(PREDICT, reply(503), reply(200))
    events: list[Event] = []

    def boom(event: Event) -> None:
        events.append(event)
        raise RuntimeError("a broken metrics hook must not break calls")

    with make_client(script, on_event=boom) as client:
        client.predict("fraud-score", {"a": 1})
    kinds = [e.type for e in events]
    assert kinds == [
        "cache_miss",
        "request",
        "response",
        "retry",
        "request",
        "response",
        "call_end",
    ]
    responses = [e for e in events if e.type == "response"]
    assert [e.status for e in responses] == [503, 200]
    assert all(e.latency_ms is not None for e in responses)


def test_tokens_and_bodies_never_reach_logs_or_reprs(caplog: pytest.LogCaptureFixture) -> None:
    script = Script().on(PREDICT, reply(200))
    caplog.set_level(logging.DEBUG, logger="modelwire")
    with make_client(script, auth="super-secret-token") as client:
        client.predict("fraud-score", {"ssn": "123-45-6789"})
        assert "super-secret-token" not in repr(client)
    assert "super-secret-token" not in caplog.text
    assert "123-45-6789" not in caplog.text
    assert "[REDACTED]" in caplog.text
    creds = OIDCClientCredentials(TOKEN_URL, "svc", "s3cret")
    assert "s3cret" not in repr(creds)
    assert redact_headers({"Authorization": "Bearer x", "X-Request-Id": "r"}) == {
        "Authorization": "[REDACTED]",
        "X-Request-Id": "r",
    }


HOSTILE_TOKEN_ANSWERS = {
    "too large": httpx.Response(
        200, content=b'{"access_token":"t","pad":"' + b"x" * 1_048_576 + b'"}'
    ),
    "too deep": httpx.Response(
        200, content=b'{"access_token":"t","x":' + b"[" * 101 + b"]" * 101 + b"}"
    ),
    "NaN": httpx.Response(200, content=b'{"access_token":"t","expires_in":NaN}'),
    "invalid UTF-8": httpx.Response(200, content=b'{"access_token":"t\xff"}'),
    "not an object": httpx.Response(200, content=b'["access_token"]'),
    "no access_token": httpx.Response(200, json={"token": "t"}),
    "empty access_token": httpx.Response(200, json={"access_token": ""}),
}


@pytest.mark.parametrize("answer", HOSTILE_TOKEN_ANSWERS.values(), ids=HOSTILE_TOKEN_ANSWERS.keys())
def test_a_hostile_token_answer_is_an_auth_error(answer: httpx.Response) -> None:
    script = Script().on(PREDICT, reply(200))
    script.routes["/oauth/token"] = [answer]
    with make_client(script, auth=OIDCClientCredentials(TOKEN_URL, "svc", "s3cret")) as client:
        with pytest.raises(modelwire.AuthError) as info:
            client.predict("fraud-score", {"a": 1})
    err = info.value
    assert (err.code, err.http_status, err.idp_status) == ("TOKEN_UNAVAILABLE", None, 200)
    assert str(err).startswith(f"the token endpoint {TOKEN_URL} answered HTTP 200 with")
    assert "s3cret" not in str(err)
    assert script.to(PREDICT) == []


def test_a_too_large_token_answer_is_refused_by_its_content_length_in_the_async_twin() -> None:
    script = Script().on(PREDICT, reply(200))
    announced = {"content-length": str(1_048_577)}
    script.routes["/oauth/token"] = [
        httpx.Response(200, headers=announced, stream=httpx.ByteStream(b"{}"))
    ]

    async def run() -> None:
        auth = OIDCClientCredentials(TOKEN_URL, "svc", "s3cret")
        transport = httpx.MockTransport(script.ahandler)
        async with modelwire.AsyncClient(BASE, auth=auth, transport=transport) as client:
            with pytest.raises(modelwire.AuthError) as info:
                await client.predict("fraud-score", {"a": 1})
        assert str(info.value).endswith("answered HTTP 200 with more than 1048576 bytes")

    asyncio.run(run())
