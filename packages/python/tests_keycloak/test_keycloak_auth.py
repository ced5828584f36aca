"""The Keycloak auth suite (test/keycloak/SUITE.md) for the Python SDK: a real Keycloak, a mock
gateway that checks its tokens, the SDK used as a user would. K1-K9 on ``Client``, K1 and K9 on
``AsyncClient`` too; mirrors packages/client/test-keycloak/keycloak.test.ts check by check.

Request ids are ``kc-py-<check>-<n>`` (``kc-py-async-<check>-<n>`` for ``AsyncClient``). Tokens
and secrets never appear in an assertion: ``Authorization`` headers are compared by fingerprint.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from kc_support import MODEL, TX, GatewayLog, Keycloak, TcpForwarder, token_url_through

from modelwire import AsyncClient, AuthError, Client, OIDCClientCredentials, RetryOptions


def client(kc: Keycloak, auth: OIDCClientCredentials) -> Client:
    return Client(kc.gateway, auth=auth, retry=RetryOptions(max_retries=0), cache=False)


def async_client(kc: Keycloak, auth: OIDCClientCredentials) -> AsyncClient:
    return AsyncClient(kc.gateway, auth=auth, retry=RetryOptions(max_retries=0), cache=False)


def predict_all(c: Client, prefix: str, n: int) -> None:
    for i in range(n):
        c.predict(MODEL, TX, request_id=f"{prefix}-{i}")


def auth_error(c: Client, request_id: str) -> AuthError:
    with pytest.raises(AuthError) as caught:
        c.predict(MODEL, TX, request_id=request_id)
    return caught.value


def fields(error: AuthError) -> dict[str, object]:
    """The fields the checks compare (no message: it is checked on its own)."""
    return {
        "code": error.code,
        "http_status": error.http_status,
        "idp_status": error.idp_status,
        "oauth_error": error.oauth_error,
    }


def test_k1_client_secret_post_one_token_for_many_calls(
    kc: Keycloak, gateway_log: GatewayLog
) -> None:
    with client(kc, kc.oidc("svc-post")) as c:
        predict_all(c, "kc-py-k1", 3)
    seen = gateway_log.authorizations("kc-py-k1-")
    assert len(seen) == 3
    assert len(set(seen)) == 1, f"token fingerprints: {seen}"


def test_k2_client_secret_basic(kc: Keycloak) -> None:
    with client(kc, kc.oidc("svc-basic", auth_method="client_secret_basic")) as c:
        predict_all(c, "kc-py-k2", 1)


def test_k3_private_key_jwt_rs256_and_es256(kc: Keycloak, gateway_log: GatewayLog) -> None:
    for name in ["svc-jwt-rs256", "svc-jwt-es256"]:
        with client(kc, kc.oidc(name)) as c:
            predict_all(c, f"kc-py-k3-{name}", 1)
        assert len(gateway_log.authorizations(f"kc-py-k3-{name}-")) == 1, name


def test_k4_wrong_secret_token_unavailable_without_secret_in_message(
    kc: Keycloak, gateway_log: GatewayLog
) -> None:
    wrong = "wrong-secret-k4"
    with client(kc, kc.oidc("svc-post", client_secret=wrong)) as c:
        error = auth_error(c, "kc-py-k4-0")
    assert fields(error) == {
        "code": "TOKEN_UNAVAILABLE",
        "http_status": None,
        "idp_status": 401,
        "oauth_error": "unauthorized_client",
    }
    # Booleans only: a failing check must not print the secrets it looks for.
    holds_wrong, holds_real = wrong in error.message, kc.secret("svc-post") in error.message
    assert not holds_wrong, "the message holds the wrong secret"
    assert not holds_real, "the message holds the real secret"
    assert gateway_log.authorizations("kc-py-k4-") == [], "the gateway saw a request"


def test_k5_unknown_scope_invalid_scope(kc: Keycloak) -> None:
    with client(kc, kc.oidc("svc-post", scope="models:predict no-such-scope")) as c:
        error = auth_error(c, "kc-py-k5-0")
    assert {k: v for k, v in fields(error).items() if k != "http_status"} == {
        "code": "TOKEN_UNAVAILABLE",
        "idp_status": 400,
        "oauth_error": "invalid_scope",
    }
    assert "scope" in error.message


def test_k6_no_model_role_gateway_403(kc: Keycloak) -> None:
    with client(kc, kc.oidc("svc-norole")) as c:
        error = auth_error(c, "kc-py-k6-0")
    assert (error.code, error.http_status) == ("FORBIDDEN", 403)


def test_k7_ten_second_token_not_fetched_per_call(kc: Keycloak, gateway_log: GatewayLog) -> None:
    with client(kc, kc.oidc("svc-short")) as c:
        started = time.monotonic()
        predict_all(c, "kc-py-k7", 3)
        elapsed = time.monotonic() - started
    # Past 5 s the token would be due and a refresh legitimate: the check would mean nothing.
    assert elapsed < 5, f"3 predictions took {elapsed:.1f} s (SUITE.md: within 2 s)"
    seen = gateway_log.authorizations("kc-py-k7-")
    assert len(seen) == 3
    assert len(set(seen)) == 1, f"token fingerprints: {seen}"


def test_k8_idp_gone_due_but_valid_token_keeps_working(
    kc: Keycloak, gateway_log: GatewayLog, idp_forwarder: TcpForwarder
) -> None:
    token_url = token_url_through(kc.token_url, idp_forwarder.port)
    with client(kc, kc.oidc("svc-short", token_url=token_url)) as c:
        predict_all(c, "kc-py-k8-a", 1)
        idp_forwarder.cut()
        time.sleep(5.5)  # the 10 s token is due (after 5 s) but still valid
        predict_all(c, "kc-py-k8-b", 1)
    first = gateway_log.authorizations("kc-py-k8-a-")
    second = gateway_log.authorizations("kc-py-k8-b-")
    assert (len(first), len(second)) == (1, 1)
    assert first == second, "the second prediction did not use the first token"


def test_k9_twenty_concurrent_cold_calls_share_one_token_request(
    kc: Keycloak, gateway_log: GatewayLog
) -> None:
    n = 20
    start = threading.Barrier(n)
    with client(kc, kc.oidc("svc-post")) as c:

        def call(i: int) -> None:
            start.wait(timeout=10)
            c.predict(MODEL, TX, request_id=f"kc-py-k9-{i}")

        with ThreadPoolExecutor(max_workers=n) as pool:
            for future in [pool.submit(call, i) for i in range(n)]:
                future.result()
    seen = gateway_log.authorizations("kc-py-k9-")
    assert len(seen) == n
    assert len(set(seen)) == 1, f"token fingerprints: {seen}"


async def test_async_k1_client_secret_post_one_token_for_many_calls(
    kc: Keycloak, gateway_log: GatewayLog
) -> None:
    async with async_client(kc, kc.oidc("svc-post")) as c:
        for i in range(3):
            await c.predict(MODEL, TX, request_id=f"kc-py-async-k1-{i}")
    seen = await asyncio.to_thread(gateway_log.authorizations, "kc-py-async-k1-")
    assert len(seen) == 3
    assert len(set(seen)) == 1, f"token fingerprints: {seen}"


async def test_async_k9_twenty_concurrent_cold_calls_share_one_token_request(
    kc: Keycloak, gateway_log: GatewayLog
) -> None:
    n = 20
    async with async_client(kc, kc.oidc("svc-post")) as c:
        await asyncio.gather(
            *(c.predict(MODEL, TX, request_id=f"kc-py-async-k9-{i}") for i in range(n))
        )
    seen = await asyncio.to_thread(gateway_log.authorizations, "kc-py-async-k9-")
    assert len(seen) == n
    assert len(set(seen)) == 1, f"token fingerprints: {seen}"
