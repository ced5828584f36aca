"""How the client authenticates at the token endpoint (docs/semantics.md, "OIDC client credentials:
the token request"): client_secret_post, client_secret_basic (form-urlencoded id and secret in
HTTP Basic) and private_key_jwt (a new RFC 7523 assertion per request, RS256 or ES256, verified
here with the public key), and the options each method needs (``INVALID_OPTIONS``)."""

from __future__ import annotations

import base64
import json
import sys
import uuid
from typing import Any
from urllib.parse import parse_qs

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

import modelwire
from modelwire import OIDCClientCredentials
from modelwire.client_authentication import basic_authorization, form_encode
from modelwire.testing import FakeClock

from .helpers import Script, make_client, reply

PREDICT = "/models/fraud-score/predict"
TOKEN_URL = "http://gw.test/oauth/token"


def pkcs8(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
RSA_PEM = pkcs8(RSA_KEY)
EC_PEM = pkcs8(EC_KEY)


def token_reply() -> httpx.Response:
    return httpx.Response(200, json={"access_token": "tok-1", "expires_in": 2})


def token_requests(auth: OIDCClientCredentials, calls: int = 1) -> list[httpx.Request]:
    """The token requests of ``calls`` predictions, 2 s apart (a 2 s token: one request each)."""
    clock = FakeClock()
    script = Script().on("/oauth/token", token_reply()).on(PREDICT, reply(200))
    with make_client(script, clock, auth=auth, cache=False) as client:
        for _ in range(calls):
            client.predict("fraud-score", {"a": 1})
            clock.advance(2)
    return script.to("/oauth/token")


def form_of(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.content.decode(), keep_blank_values=True)


# ----------------------------------------------------------------------------- secret methods
def test_client_secret_post_puts_id_and_secret_in_the_form() -> None:
    [request] = token_requests(OIDCClientCredentials(TOKEN_URL, "svc", "s3cret", "models:predict"))
    assert form_of(request) == {
        "grant_type": ["client_credentials"],
        "client_id": ["svc"],
        "client_secret": ["s3cret"],
        "scope": ["models:predict"],
    }
    assert "authorization" not in request.headers
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"


def test_form_encoding_of_basic_credentials() -> None:
    assert form_encode("a b:c/d+e%") == "a+b%3Ac%2Fd%2Be%25"
    assert basic_authorization("svc", "s") == "Basic " + base64.b64encode(b"svc:s").decode()


def test_client_secret_basic_sends_encoded_id_and_secret_in_http_basic_only() -> None:
    auth = OIDCClientCredentials(
        TOKEN_URL, "svc:basic one", "s3cret/with:colon+plus", auth_method="client_secret_basic"
    )
    [request] = token_requests(auth)
    scheme, _, encoded = request.headers["authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode() == "svc%3Abasic+one:s3cret%2Fwith%3Acolon%2Bplus"
    assert form_of(request) == {"grant_type": ["client_credentials"]}


# ---------------------------------------------------------------------------- private_key_jwt
@pytest.mark.parametrize(
    ("pem", "public_key", "algorithm"),
    [
        (RSA_PEM, RSA_KEY.public_key(), "RS256"),
        (EC_PEM, EC_KEY.public_key(), "ES256"),
    ],
    ids=["RS256", "ES256"],
)
def test_private_key_jwt_sends_a_new_signed_assertion_per_request(
    pem: str, public_key: Any, algorithm: str
) -> None:
    auth = OIDCClientCredentials(
        TOKEN_URL, "svc-jwt", auth_method="private_key_jwt", private_key_pem=pem, key_id="k-1"
    )
    requests = token_requests(auth, calls=2)
    assert len(requests) == 2
    wall = FakeClock().time()
    jtis = []
    for n, request in enumerate(requests):
        form = form_of(request)
        assert set(form) == {"grant_type", "client_id", "client_assertion_type", "client_assertion"}
        assert form["client_id"] == ["svc-jwt"]
        assert form["client_assertion_type"] == [
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ]
        assertion = form["client_assertion"][0]
        header = jwt.get_unverified_header(assertion)
        assert header == {"alg": algorithm, "kid": "k-1", "typ": "JWT"}
        claims = jwt.decode(
            assertion,
            public_key,
            algorithms=[algorithm],
            audience=TOKEN_URL,
            options={"verify_exp": False, "verify_iat": False},
        )
        iat = int(wall) + 2 * n  # the wall clock, not the monotonic one
        assert {k: claims[k] for k in ("iss", "sub", "aud", "iat", "exp")} == {
            "iss": "svc-jwt",
            "sub": "svc-jwt",
            "aud": TOKEN_URL,
            "iat": iat,
            "exp": iat + 60,
        }
        assert uuid.UUID(claims["jti"]).version == 4
        jtis.append(claims["jti"])
        if algorithm == "ES256":
            signature = assertion.split(".")[2]
            raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
            assert len(raw) == 64  # JOSE's raw r||s, not DER
    assert jtis[0] != jtis[1]
    assert "authorization" not in requests[0].headers


def test_private_key_jwt_audience_option_and_no_kid() -> None:
    audience = "https://idp.test/realms/ml"
    auth = OIDCClientCredentials(
        TOKEN_URL,
        "svc-jwt",
        auth_method="private_key_jwt",
        private_key_pem=EC_PEM,
        audience=audience,
    )
    [request] = token_requests(auth)
    assertion = form_of(request)["client_assertion"][0]
    assert jwt.get_unverified_header(assertion) == {"alg": "ES256", "typ": "JWT"}
    claims = jwt.decode(
        assertion,
        EC_KEY.public_key(),
        algorithms=["ES256"],
        audience=audience,
        options={"verify_exp": False, "verify_iat": False},
    )
    assert claims["aud"] == audience


def test_the_private_key_never_shows_in_repr() -> None:
    auth = OIDCClientCredentials(
        TOKEN_URL, "svc", auth_method="private_key_jwt", private_key_pem=EC_PEM
    )
    assert "PRIVATE KEY" not in repr(auth)
    assert "private_key_pem=[REDACTED]" in repr(auth)


# -------------------------------------------------------------------------- option checking
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "client_secret is required for auth_method 'client_secret_post'"),
        ({"client_secret": ""}, "client_secret is required"),
        ({"auth_method": "client_secret_basic"}, "client_secret is required"),
        ({"auth_method": "tls_client_auth", "client_secret": "s"}, "auth_method must be"),
        ({"auth_method": "private_key_jwt"}, "private_key_pem must be a PKCS#8 PEM private key"),
        (
            {"auth_method": "private_key_jwt", "private_key_pem": "-----BEGIN PRIVATE KEY-----x"},
            "could not be read",
        ),
        (
            {"auth_method": "private_key_jwt", "private_key_pem": EC_PEM, "algorithm": "HS256"},
            "algorithm must be 'RS256' or 'ES256'",
        ),
        (
            {"auth_method": "private_key_jwt", "private_key_pem": EC_PEM, "algorithm": "RS256"},
            "algorithm 'RS256' does not fit the private key (use 'ES256')",
        ),
    ],
)
def test_missing_or_wrong_options_fail_when_the_client_is_built(
    options: dict[str, Any], message: str
) -> None:
    auth = OIDCClientCredentials(TOKEN_URL, "svc", **options)
    with pytest.raises(modelwire.InvalidInputError) as info:
        modelwire.Client("http://gw.test/v1", auth=auth)
    assert info.value.code == "INVALID_OPTIONS"
    assert message in str(info.value)
    assert "PRIVATE KEY-----\n" not in str(info.value)


def test_private_key_jwt_without_pyjwt_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "jwt", None)  # import jwt raises ImportError
    auth = OIDCClientCredentials(
        TOKEN_URL, "svc", auth_method="private_key_jwt", private_key_pem=EC_PEM
    )
    with pytest.raises(modelwire.InvalidInputError) as info:
        modelwire.Client("http://gw.test/v1", auth=auth)
    assert info.value.code == "INVALID_OPTIONS"
    assert 'pip install "modelwire[jwt]"' in str(info.value)


def test_secret_methods_do_not_need_pyjwt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jwt", None)
    [request] = token_requests(
        OIDCClientCredentials(TOKEN_URL, "svc", "s", auth_method="client_secret_basic")
    )
    assert json.dumps(form_of(request)) == '{"grant_type": ["client_credentials"]}'
