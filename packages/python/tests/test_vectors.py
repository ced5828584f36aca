"""The shared vectors of test/vectors/: canonical JSON, cache keys, Retry-After, webhooks and
the failure table."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx
import pytest

from modelwire import InvalidInputError, ModelwireError, canonical_json
from modelwire._core import NO_ARGS, ClientCore
from modelwire._http import transport_error
from modelwire.abort import aborted_error
from modelwire.auth import OIDCClientCredentials, StaticToken, fixed_scope
from modelwire.body import BodyReader
from modelwire.breaker import Breaker
from modelwire.cache_key import ANONYMOUS_SCOPE, cache_key, token_scope
from modelwire.effects import HttpAnswer
from modelwire.failures import breaker_verdict, fallback_reason, is_retryable
from modelwire.operations import predict_op, prepare_input
from modelwire.options import ClientOptions
from modelwire.responses import read_answer
from modelwire.retry import parse_retry_after
from modelwire.stages.retry import deadline_error
from modelwire.testing import FakeClock
from modelwire.webhook import WebhookVerificationError, verify_webhook

from .conftest import VECTORS, load_json

CANONICAL = load_json(VECTORS / "canonical-json.json")
CACHE_KEYS = load_json(VECTORS / "cache-keys.json")
RETRY_AFTER = load_json(VECTORS / "retry-after.json")
WEBHOOKS = load_json(VECTORS / "webhooks.json")
FAILURES = load_json(VECTORS / "failures.json")


def _names(cases: list[dict[str, Any]]) -> list[str]:
    return [c["name"] for c in cases]


@pytest.mark.parametrize("case", CANONICAL["cases"], ids=_names(CANONICAL["cases"]))
def test_canonical_json(case: dict[str, Any]) -> None:
    value = json.loads(case["input_json"])
    text = canonical_json(value)
    assert text == case["canonical"]
    assert hashlib.sha256(text.encode()).hexdigest() == case["sha256"]


_SPECIAL = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


@pytest.mark.parametrize("case", CANONICAL["rejected"], ids=_names(CANONICAL["rejected"]))
def test_canonical_json_rejects(case: dict[str, Any]) -> None:
    value = json.loads(case["input_json"])
    special = _SPECIAL[case["special"]]
    if not case["path"]:
        value = special
    else:
        target = value
        for step in case["path"][:-1]:
            target = target[step]
        target[case["path"][-1]] = special
    with pytest.raises(InvalidInputError) as info:
        canonical_json(value)
    assert info.value.kind == case["error_kind"]
    assert info.value.code == case["error_code"]


@pytest.mark.parametrize("case", CACHE_KEYS["cases"], ids=_names(CACHE_KEYS["cases"]))
def test_cache_key(case: dict[str, Any]) -> None:
    data = json.loads(case["data_json"])  # from JSON text: keeps 1.0 vs 1 and big integers
    key = cache_key(case["model"], case["version"], case["scope"], data)
    assert key == case["key"]
    canonical = canonical_json(
        {"model": case["model"], "version": case["version"], "scope": case["scope"], "data": data}
    )
    assert canonical == case["canonical"]


def _scope_of(auth: dict[str, Any]) -> str:
    if "token" in auth:
        return str(fixed_scope(StaticToken(auth["token"])))
    if "token_provider_returns" in auth:
        return token_scope(auth["token_provider_returns"])
    if "oidc" in auth:
        o = auth["oidc"]
        creds = OIDCClientCredentials(
            o["token_url"], o["client_id"], o["client_secret"], o.get("scope")
        )
        return str(fixed_scope(creds))
    if "cache_scope" in auth:
        return str(auth["cache_scope"])
    return ANONYMOUS_SCOPE


@pytest.mark.parametrize("case", CACHE_KEYS["scopes"], ids=_names(CACHE_KEYS["scopes"]))
def test_cache_scope(case: dict[str, Any]) -> None:
    if "cache_scope" in case:
        assert _scope_of({"cache_scope": case["cache_scope"]}) == case["scope"]
        return
    assert _scope_of(case.get("auth") or {}) == case["scope"]


def test_client_uses_the_vector_scope_for_a_static_token() -> None:
    core = ClientCore(ClientOptions.resolve("http://127.0.0.1:1/v1", auth="t-alice"))
    expected = next(s["scope"] for s in CACHE_KEYS["scopes"] if s["auth"] == {"token": "t-alice"})
    assert core.scope_for(None) == expected


@pytest.mark.parametrize("case", RETRY_AFTER["cases"], ids=_names(RETRY_AFTER["cases"]))
def test_retry_after(case: dict[str, Any]) -> None:
    got = parse_retry_after(case["header"], now=case["now_ms"] / 1000)
    expected = case["expected"]
    if expected.get("ignored"):
        assert got is None
        return
    assert got is not None
    assert got == pytest.approx(expected["delay_ms"])
    assert (got > case["cap_ms"]) == bool(expected.get("give_up"))


@pytest.mark.parametrize("case", WEBHOOKS["cases"], ids=_names(WEBHOOKS["cases"]))
def test_webhooks(case: dict[str, Any]) -> None:
    headers = {} if case["header"] is None else {WEBHOOKS["header_name"]: case["header"]}

    def verify() -> Any:
        return verify_webhook(
            case["raw_body"],
            headers,
            case["secret"],
            tolerance_seconds=case["tolerance_seconds"],
            now=case["now"],
        )

    if case["valid"]:
        assert verify() == json.loads(case["raw_body"])  # the parsed callback envelope
        return
    with pytest.raises(WebhookVerificationError) as raised:
        verify()
    assert raised.value.reason == case["reason"]


def test_webhook_header_lookup_is_case_insensitive() -> None:
    case = next(c for c in WEBHOOKS["cases"] if c["valid"])
    lower = httpx.Headers({"x-modelwire-signature": case["header"]})
    envelope = verify_webhook(case["raw_body"], dict(lower), case["secret"], now=case["now"])
    assert envelope["status"] == "success"


# ------------------------------------------------------------------------------ failure table
_CORE = ClientCore(ClientOptions.resolve("http://127.0.0.1:1/v1"))
_PREDICT = predict_op(
    "fraud-score",
    None,
    prepare_input("fraud-score", None, ANONYMOUS_SCOPE, {"amount": 1}, max_bytes=1000),
    "req-1",
    None,
)


def _circuit_open() -> ModelwireError:
    breaker = Breaker(consecutive_failures=1, reset_timeout_s=30, clock=FakeClock())
    breaker.record("failure", breaker.acquire())
    try:
        breaker.acquire()
    except ModelwireError as err:
        return err
    raise AssertionError("an open breaker must refuse the attempt")


def _local(what: str) -> ModelwireError:
    """The typed error the SDK raises in that situation, made by the code that raises it."""
    if what == "timeout":
        return transport_error(httpx.ReadTimeout("no answer"), 1.0)
    if what == "connection":
        return transport_error(httpx.ConnectError("refused"), 1.0)
    if what == "aborted":
        return aborted_error()
    if what == "circuit_open":
        return _circuit_open()
    if what == "deadline_exceeded":
        return deadline_error(_CORE.context(_PREDICT, NO_ARGS, None), None)
    if what == "response_too_large":
        reader = BodyReader(200, {}, max_bytes=10)
        try:
            reader.feed(b"x" * 11)  # the reader both twins feed their body's chunks to
        except ModelwireError as err:
            return err
        raise AssertionError("a body above max_response_bytes must fail")
    data = {"amount": float("nan")} if what == "invalid_input" else {"note": "x" * 100}
    try:
        prepare_input("fraud-score", None, ANONYMOUS_SCOPE, data, max_bytes=10)
    except ModelwireError as err:
        return err
    raise AssertionError(f"unknown local case {what}")


_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def _answer(response: dict[str, Any]) -> ModelwireError | None:
    """Run an HTTP answer through the SDK's response parser: None for a success."""
    body = response["raw_body"] if "raw_body" in response else json.dumps(response["body"])
    answer = HttpAnswer(response["status"], response.get("headers") or {}, body.encode())
    try:
        read_answer(
            _PREDICT,
            answer,
            "fraud-score",
            request_id="req-1",
            trace_id=_TRACE_ID,  # a real call always has one (tracing.trace_id_for)
            now=0,
            max_json_depth=FAILURES["max_json_depth"],
        )
    except ModelwireError as err:
        return err
    return None


@pytest.mark.parametrize("case", FAILURES["cases"], ids=_names(FAILURES["cases"]))
def test_failure_table(case: dict[str, Any]) -> None:
    expected = case["expected"]
    err = _answer(case["response"]) if "response" in case else _local(case["local"])
    if expected["kind"] is None:
        assert err is None
        return
    assert err is not None
    assert (err.kind, err.code) == (expected["kind"], expected["code"])
    assert is_retryable(err, frozenset(FAILURES["retry_on_status"])) is expected["retryable"]
    assert breaker_verdict(err) == expected["breaker"]
    assert fallback_reason(err) == expected["fallback"]
    if "retry_after_ms" in expected:
        assert err.retry_after_ms == expected["retry_after_ms"]
    for field_error in expected.get("field_errors", []):
        assert any(
            (e.field, e.message) == (field_error["field"], field_error["message"])
            for e in err.errors
        )
