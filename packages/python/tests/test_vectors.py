"""The shared vectors of test/vectors/: canonical JSON, cache keys, Retry-After, webhooks."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx
import pytest

from modelwire import InvalidInputError, canonical_json
from modelwire._core import ClientCore
from modelwire.auth import OIDCClientCredentials, StaticToken, fixed_scope
from modelwire.cache_key import ANONYMOUS_SCOPE, cache_key, token_scope
from modelwire.retry import parse_retry_after
from modelwire.webhook import verify_webhook

from .conftest import VECTORS, load_json

CANONICAL = load_json(VECTORS / "canonical-json.json")
CACHE_KEYS = load_json(VECTORS / "cache-keys.json")
RETRY_AFTER = load_json(VECTORS / "retry-after.json")
WEBHOOKS = load_json(VECTORS / "webhooks.json")


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
    core = ClientCore(
        "http://127.0.0.1:1/v1",
        auth="t-alice",
        fallbacks=None,
        retry=None,
        breaker=None,
        cache=True,
        timeout_ms=None,
        deadline_ms=None,
        min_confidence=None,
        on_event=None,
        cache_scope=None,
        clock=None,
        max_input_bytes=None,
        headers=None,
    )
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
    result = verify_webhook(
        case["raw_body"],
        headers,
        case["secret"],
        tolerance_seconds=case["tolerance_seconds"],
        now=case["now"],
    )
    assert result.valid == case["valid"]
    assert result.reason == case.get("reason")


def test_webhook_header_lookup_is_case_insensitive() -> None:
    case = next(c for c in WEBHOOKS["cases"] if c["valid"])
    lower = httpx.Headers({"x-modelwire-signature": case["header"]})
    assert verify_webhook(case["raw_body"], dict(lower), case["secret"], now=case["now"]).valid
