"""How a token failure is reported (docs/semantics.md, Auth): ``AuthError`` / ``TOKEN_UNAVAILABLE``
with no ``http_status``, the IdP's status and OAuth error in their own fields, a one-line
message naming the token URL (no credentials, no query) and the fix, never a secret."""

from __future__ import annotations

import httpx
import pytest

import modelwire
from modelwire import OIDCClientCredentials
from modelwire.testing import FakeClock
from modelwire.token_failure import os_reason, paused, refused_answer, timed_out, unreachable

from .helpers import Script, make_client, reply

URL = "https://idp.test:8443/realms/ml/protocol/openid-connect/token"
SECRET = "s3cret-never-shown"


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (
            401,
            b'{"error":"invalid_client","error_description":"Invalid client credentials"}',
            f"the token endpoint {URL} refused the token request: HTTP 401 invalid_client "
            "(Invalid client credentials): check the client id and its secret or key",
        ),
        (
            400,
            b'{"error":"unauthorized_client"}',
            f"the token endpoint {URL} refused the token request: HTTP 400 unauthorized_client: "
            "check the client id and its secret or key",
        ),
        (
            400,
            b'{"error":"invalid_scope","error_description":"models:admin"}',
            f"the token endpoint {URL} refused the token request: HTTP 400 invalid_scope "
            "(models:admin): check the requested scope",
        ),
        (
            502,
            b"<html>Bad Gateway</html>",
            f"the token endpoint {URL} refused the token request: HTTP 502",
        ),
        (
            200,
            b'{"token_type":"Bearer"}',
            f"the token endpoint {URL} answered HTTP 200 without an access_token",
        ),
    ],
)
def test_an_answer_without_a_token_names_the_url_status_error_and_fix(
    status: int, body: bytes, message: str
) -> None:
    err = refused_answer(URL, status, body, [SECRET])
    assert str(err) == message
    assert (err.kind, err.code, err.http_status, err.idp_status, err.attempts) == (
        "Auth",
        "TOKEN_UNAVAILABLE",
        None,
        status,
        0,
    )


def test_the_description_is_one_line_of_at_most_200_characters_without_secrets() -> None:
    description = f"client secret\n\t{SECRET} is wrong; token tok-9 revoked " + "x" * 300
    body = httpx.Response(401, json={"error": "invalid_client", "error_description": description})
    err = refused_answer(URL, 401, body.content, [SECRET, "tok-9"])
    got = err.oauth_error_description
    assert got is not None
    assert got.startswith("client secret [REDACTED] is wrong; token [REDACTED] revoked xxx")
    assert len(got) == 200 and got.endswith("…") and "\n" not in got
    assert SECRET not in str(err) and "tok-9" not in str(err) and "\n" not in str(err)


def test_an_oauth_error_that_is_not_printable_ascii_is_dropped() -> None:
    err = refused_answer(URL, 400, b'{"error":"bad\\nline"}', [])
    assert err.oauth_error is None
    assert str(err) == f"the token endpoint {URL} refused the token request: HTTP 400"


def test_unreachable_names_the_url_without_credentials_or_query_and_the_os_reason() -> None:
    os_error = ConnectionRefusedError(111, "Connection refused")
    try:
        raise httpx.ConnectError("All connection attempts failed") from os_error
    except httpx.ConnectError as err:
        failure = unreachable("http://svc:pw-x@127.0.0.1:9/oauth/token?client_hint=idp-pw", err, [])
    assert str(failure) == (
        "could not reach the token endpoint http://127.0.0.1:9/oauth/token: Connection refused"
    )
    assert (failure.code, failure.idp_status, failure.oauth_error) == (
        "TOKEN_UNAVAILABLE",
        None,
        None,
    )


def test_os_reason_prefers_the_errno_then_the_os_text() -> None:
    asyncio_refused = OSError(111, "Connect call failed ('127.0.0.1', 9)")
    assert os_reason(httpx.ConnectError("failed")) == "failed"
    wrapped = httpx.ConnectError("All connection attempts failed")
    wrapped.__cause__ = asyncio_refused
    assert os_reason(wrapped) == "Connection refused"
    dns = OSError(-2, "Name or service not known")
    assert os_reason(dns) == "Name or service not known"


def test_os_reason_falls_back_on_the_error_text_then_its_type() -> None:
    assert os_reason(httpx.ConnectError("name  or\nservice not known")) == (
        "name or service not known"
    )
    assert os_reason(httpx.ConnectError("")) == "ConnectError"


def test_a_timeout_names_the_url_and_the_timeout() -> None:
    expected = f"the token endpoint {URL} did not answer within 300 ms"
    assert str(timed_out(URL + "?x=1", 0.3)) == expected


def test_the_paused_error_is_a_new_error_with_the_last_failures_fields() -> None:
    last = refused_answer(URL, 401, b'{"error":"invalid_client","error_description":"no"}', [])
    again = paused(last, 1999.2, 2)
    assert again is not last
    assert str(again) == f"{last} (token requests paused for another 2000 ms after 2 failures)"
    assert (again.idp_status, again.oauth_error, again.oauth_error_description) == (
        401,
        "invalid_client",
        "no",
    )
    assert again.__cause__ is last


def test_an_unreachable_token_endpoint_through_the_client_is_not_a_connection_error() -> None:
    refused_socket = ConnectionRefusedError(111, "Connection refused")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            raise httpx.ConnectError("[Errno 111] Connection refused") from refused_socket
        return reply(200)

    script = Script().on("/oauth/token", handler).on("/models/fraud-score/predict", reply(200))
    auth = OIDCClientCredentials("http://gw.test/oauth/token?k=idp-pw", "svc", SECRET)
    with make_client(script, FakeClock(), auth=auth) as client:
        with pytest.raises(modelwire.AuthError) as info:
            client.predict("fraud-score", {"a": 1})
    err = info.value
    assert str(err) == (
        "could not reach the token endpoint http://gw.test/oauth/token: Connection refused"
    )
    assert (err.code, err.http_status, err.idp_status, err.attempts) == (
        "TOKEN_UNAVAILABLE",
        None,
        None,
        0,
    )
    assert isinstance(err.__cause__, httpx.ConnectError)
    assert script.to("/models/fraud-score/predict") == []
