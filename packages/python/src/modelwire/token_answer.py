"""Reading an OIDC token endpoint's answer (client credentials), the same for both twins: the
body is read under ``TOKEN_RESPONSE_MAX_BYTES`` and parsed under the client's ``max_json_depth``
with NaN/Infinity refused, like a model's answer (docs/semantics.md, Response limits). Whatever
is wrong with the answer — not a 200, too large, not JSON, too deep, no ``access_token`` — is a
token failure (``token_failure.py``); nothing raw escapes.

Private. Example::

    reader = token_reader(response)               # MalformedResponseError: Content-Length too big
    for chunk in raw_chunks(response):
        reader.feed(chunk)                        # MalformedResponseError: too large
    parse_token_answer(reader.finish(), 100)      # ("t", 3600.0), or None: no usable token
"""

from __future__ import annotations

import math

import httpx

from ._http import body_reader
from .body import BodyReader
from .errors import MalformedResponseError
from .json_depth import loads

#: A token endpoint's answer is a few hundred bytes; anything near this is not a token (the
#: TypeScript SDK's ``TOKEN_RESPONSE_MAX_BYTES``).
TOKEN_RESPONSE_MAX_BYTES = 1_048_576

#: The token's lifetime when the answer gives none (``expires_in`` is optional in RFC 6749).
DEFAULT_EXPIRES_IN_S = 300.0


def token_reader(response: httpx.Response) -> BodyReader:
    """The reader of a token answer's body under ``TOKEN_RESPONSE_MAX_BYTES``.

    Example: ``token_reader(httpx.Response(200, content=b"{}"))``
    """
    return body_reader(response, TOKEN_RESPONSE_MAX_BYTES)


def why_unreadable(err: MalformedResponseError) -> str:
    """What was wrong with a token answer its reader refused, for the failure's message.

    Example: ``why_unreadable(too_large(...)) == "more than 1048576 bytes"``
    """
    if err.code == "RESPONSE_TOO_LARGE":
        return f"more than {TOKEN_RESPONSE_MAX_BYTES} bytes"
    return "a body that cannot be decoded"


def parse_token_answer(body: bytes, max_depth: int) -> tuple[str, float] | None:
    """The access token and its lifetime in seconds from a 200 answer; None when it holds no
    usable token (not a JSON object, or no non-empty string ``access_token``). An
    ``expires_in`` that is not a positive finite number counts as missing (300 s).

    Example: ``parse_token_answer(b'{"access_token":"t","expires_in":60}', 100)`` is
    ``("t", 60.0)``
    """
    try:
        payload = loads(body, max_depth)
    except ValueError:
        # Also invalid UTF-8, NaN/Infinity and a body nested too deep.
        return None
    if not isinstance(payload, dict):
        return None
    token = payload.get("access_token")
    if not isinstance(token, str) or not token:
        return None
    expires_in = payload.get("expires_in")
    usable = (
        isinstance(expires_in, (int, float))
        and not isinstance(expires_in, bool)
        and math.isfinite(expires_in)
        and expires_in > 0
    )
    return token, float(expires_in) if usable else DEFAULT_EXPIRES_IN_S  # type: ignore[arg-type]
