"""Reading an OIDC token endpoint's answer (client credentials), the same for both twins: the
body is read under ``TOKEN_RESPONSE_MAX_BYTES`` and parsed under the client's ``max_json_depth``
with NaN/Infinity refused, like a model's answer (docs/semantics.md, Response limits). Whatever
is wrong with the answer — not a 200, too large, not JSON, too deep, no ``access_token`` — is an
``AuthError``; nothing raw escapes.

Private. Example::

    reader = token_reader(response)              # may raise AuthError (Content-Length too big)
    for chunk in raw_chunks(response):
        feed(reader, chunk)                      # may raise AuthError (too large)
    token, expires_in_s = parse_token_answer(response.status_code, finish(reader), 100)
"""

from __future__ import annotations

import math

import httpx

from ._http import body_reader
from .body import BodyReader
from .errors import AuthError, MalformedResponseError
from .json_depth import loads

#: A token endpoint's answer is a few hundred bytes; anything near this is not a token (the
#: TypeScript SDK's ``TOKEN_RESPONSE_MAX_BYTES``).
TOKEN_RESPONSE_MAX_BYTES = 1_048_576

#: The token's lifetime when the answer gives none (``expires_in`` is optional in RFC 6749).
DEFAULT_EXPIRES_IN_S = 60.0


def bad_token_answer(why: str) -> AuthError:
    """The error of a token answer that carries no usable token (the secret is never in it).

    Example: ``bad_token_answer("not JSON").code == "UNAUTHENTICATED"``
    """
    return AuthError(
        f"the OIDC token endpoint answered without an access_token ({why}); check token_url",
        code="UNAUTHENTICATED",
    )


def refused(err: MalformedResponseError) -> AuthError:
    """The ``AuthError`` of a token answer its reader refused (too large, or undecodable).

    Example: ``refused(too_large(1, "2 bytes")).code == "UNAUTHENTICATED"``
    """
    if err.code == "RESPONSE_TOO_LARGE":
        return bad_token_answer(f"an answer above {TOKEN_RESPONSE_MAX_BYTES} bytes")
    return bad_token_answer("a body that cannot be decoded")


def token_reader(response: httpx.Response) -> BodyReader:
    """The reader of a token answer's body under ``TOKEN_RESPONSE_MAX_BYTES``.

    Example: ``token_reader(httpx.Response(200, content=b"{}"))``
    """
    try:
        return body_reader(response, TOKEN_RESPONSE_MAX_BYTES)
    except MalformedResponseError as err:
        raise refused(err) from None


def feed(reader: BodyReader, chunk: bytes) -> None:
    """Add one raw chunk of a token answer (``AuthError`` once it is above the limit).

    Example: ``feed(token_reader(response), b'{"access_token":')``
    """
    try:
        reader.feed(chunk)
    except MalformedResponseError as err:
        raise refused(err) from None


def finish(reader: BodyReader) -> bytes:
    """The whole (decoded) token answer.

    Example: ``finish(reader) == b'{"access_token":"t","expires_in":3600}'``
    """
    try:
        return reader.finish()
    except MalformedResponseError as err:
        raise refused(err) from None


def parse_token_answer(status: int, body: bytes, max_depth: int) -> tuple[str, float]:
    """The access token and its lifetime in seconds, from a token endpoint's answer.

    Example: ``parse_token_answer(200, b'{"access_token":"t","expires_in":60}', 100)`` is
    ``("t", 60.0)``
    """
    if status != 200:
        raise AuthError(
            f"the OIDC token endpoint answered HTTP {status}; check client_id, client_secret "
            "and scope",
            code="UNAUTHENTICATED",
            http_status=status,
        )
    try:
        payload = loads(body, max_depth)
        token = payload["access_token"]
        expires_in = float(payload.get("expires_in", DEFAULT_EXPIRES_IN_S))
    except (ValueError, KeyError, TypeError, AttributeError):
        # ValueError also covers invalid UTF-8, NaN/Infinity and a body nested too deep.
        raise bad_token_answer("not a JSON object with an access_token") from None
    if not isinstance(token, str) or not token:
        raise bad_token_answer("the access_token is empty or not a string")
    if not math.isfinite(expires_in):
        raise bad_token_answer("expires_in is not a finite number")
    return token, expires_in
