"""How the client proves who it is at the token endpoint, by ``OIDCClientCredentials.auth_method``
(docs/semantics.md, "OIDC client credentials: the token request"):

- ``client_secret_post`` (default): ``client_id`` and ``client_secret`` in the form;
- ``client_secret_basic``: ``Authorization: Basic base64(enc(id) ":" enc(secret))``, ``enc`` being
  ``application/x-www-form-urlencoded`` (RFC 6749 §2.3.1, space as ``+``); neither in the form;
- ``private_key_jwt`` (RFC 7523): ``client_id``, ``client_assertion_type`` and a new signed
  ``client_assertion`` per request (``iss = sub = client_id``, ``aud`` = ``audience`` or the
  token URL, ``iat`` = wall-clock now, ``exp = iat + 60``, ``jti`` = UUID v4), RS256 or ES256.
  Signing needs PyJWT: ``pip install "modelwire[jwt]"``; it is imported only for this method.

Private. Example::

    authenticate = ClientAuthentication.of(auth)        # INVALID_OPTIONS when misconfigured
    form, headers = authenticate.credentials(clock.time())
"""

from __future__ import annotations

import base64
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

from .errors import InvalidInputError
from .option_rules import invalid_option

if TYPE_CHECKING:
    from .auth import OIDCClientCredentials

AUTH_METHODS = ("client_secret_post", "client_secret_basic", "private_key_jwt")
ALGORITHMS = ("RS256", "ES256")
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#: Assertions live one minute: long enough for clock skew, short enough that a leaked one is soon
#: useless.
ASSERTION_LIFETIME_S = 60
INSTALL_HINT = 'pip install "modelwire[jwt]"'


def form_encode(value: str) -> str:
    """``application/x-www-form-urlencoded`` encoding of one value (space as ``+``).

    Example: ``form_encode("a b:c/d+e") == "a+b%3Ac%2Fd%2Be"``
    """
    return quote_plus(value, safe="")


def basic_authorization(client_id: str, client_secret: str) -> str:
    """The ``Authorization`` header of ``client_secret_basic`` (RFC 6749 §2.3.1).

    Example: ``basic_authorization("svc", "s") == "Basic c3ZjOnM="``
    """
    pair = f"{form_encode(client_id)}:{form_encode(client_secret)}"
    return "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


class ClientAuthentication:
    """The form fields and headers that authenticate the client in each token request.

    Example: ``ClientAuthentication.of(auth).credentials(1_700_000_000.0)``
    """

    __slots__ = ("_algorithm", "_auth", "_key")

    def __init__(self, auth: OIDCClientCredentials, key: Any = None, algorithm: str = "") -> None:
        self._auth = auth
        self._key = key
        self._algorithm = algorithm

    @classmethod
    def of(cls, auth: OIDCClientCredentials) -> ClientAuthentication:
        """Check ``auth``'s method and what it needs (``INVALID_OPTIONS`` when wrong or missing:
        the secret for the secret methods; for ``private_key_jwt`` PyJWT, a PKCS#8 PEM private
        key and an algorithm that fits it); load the private key once."""
        method = auth.auth_method
        if method not in AUTH_METHODS:
            raise invalid_option("auth_method", " or ".join(repr(m) for m in AUTH_METHODS), method)
        if method != "private_key_jwt":
            if not isinstance(auth.client_secret, str) or not auth.client_secret:
                raise InvalidInputError(
                    f"client_secret is required for auth_method {method!r}",
                    code="INVALID_OPTIONS",
                )
            return cls(auth)
        key, algorithm = _load_key(auth)
        return cls(auth, key, algorithm)

    def credentials(self, wall_s: float) -> tuple[dict[str, str], dict[str, str]]:
        """``(form fields, headers)`` for one token request at wall-clock ``wall_s`` (a new
        assertion each time for ``private_key_jwt``).

        Signing errors propagate (the token source reports them as a token failure)."""
        auth = self._auth
        method = auth.auth_method
        if method == "client_secret_basic":
            header = basic_authorization(auth.client_id, auth.client_secret or "")
            return {}, {"Authorization": header}
        if method == "private_key_jwt":
            form = {
                "client_id": auth.client_id,
                "client_assertion_type": JWT_BEARER,
                "client_assertion": self.assertion(wall_s),
            }
            return form, {}
        return {"client_id": auth.client_id, "client_secret": auth.client_secret or ""}, {}

    def assertion(self, wall_s: float) -> str:
        """A signed client assertion (RFC 7523) issued at ``wall_s`` (Unix seconds).

        Example: ``ClientAuthentication.of(auth).assertion(time.time()).count(".") == 2``
        """
        import jwt  # present: checked when this was built

        auth = self._auth
        iat = int(wall_s)
        claims = {
            "iss": auth.client_id,
            "sub": auth.client_id,
            "aud": auth.audience if auth.audience is not None else auth.token_url,
            "iat": iat,
            "exp": iat + ASSERTION_LIFETIME_S,
            "jti": str(uuid.uuid4()),
        }
        # PyJWT adds typ "JWT"; ES256 signatures come out in JOSE's raw r||s form.
        headers = {"typ": "JWT"} if auth.key_id is None else {"typ": "JWT", "kid": auth.key_id}
        return jwt.encode(claims, self._key, algorithm=self._algorithm, headers=headers)

    @property
    def method(self) -> str:
        """The client authentication method in use."""
        return self._auth.auth_method


def _load_key(auth: OIDCClientCredentials) -> tuple[Any, str]:
    """The private key of ``private_key_jwt`` and its algorithm (given, or from the key type).
    Messages never hold the key."""
    try:
        import jwt  # noqa: F401 - only to know it is installed
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
        from cryptography.hazmat.primitives.serialization import load_pem_private_key
    except ImportError:
        raise InvalidInputError(
            f"auth_method 'private_key_jwt' needs PyJWT with cryptography: {INSTALL_HINT}",
            code="INVALID_OPTIONS",
        ) from None
    pem = auth.private_key_pem
    if not isinstance(pem, str) or "-----BEGIN PRIVATE KEY-----" not in pem:
        raise InvalidInputError(
            "private_key_pem must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----) for "
            "auth_method 'private_key_jwt'",
            code="INVALID_OPTIONS",
        )
    if auth.algorithm is not None and auth.algorithm not in ALGORITHMS:
        raise invalid_option("algorithm", "'RS256' or 'ES256'", auth.algorithm)
    try:
        key = load_pem_private_key(pem.encode("ascii"), password=None)
    except (ValueError, TypeError, UnicodeEncodeError):
        raise InvalidInputError(
            "private_key_pem could not be read as an unencrypted PKCS#8 PEM private key",
            code="INVALID_OPTIONS",
        ) from None
    if isinstance(key, rsa.RSAPrivateKey):
        fits = "RS256"
    elif isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1":
        fits = "ES256"
    else:
        raise InvalidInputError(
            "private_key_pem must be an RSA key (RS256) or an EC P-256 key (ES256)",
            code="INVALID_OPTIONS",
        )
    algorithm = auth.algorithm or fits
    if algorithm != fits:
        raise InvalidInputError(
            f"algorithm {algorithm!r} does not fit the private key (use {fits!r})",
            code="INVALID_OPTIONS",
        )
    return key, algorithm
