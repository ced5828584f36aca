"""The one error for "no token": ``AuthError`` with code ``TOKEN_UNAVAILABLE`` (docs/semantics.md,
"How a token failure is reported"). No ``http_status`` (no gateway answered); the identity
provider's status in ``idp_status``; its OAuth ``error`` / ``error_description`` in
``oauth_error`` / ``oauth_error_description``; a one-line message naming the token URL (without
credentials and query), what happened and the fix. Secrets (the client secret, tokens) are
scrubbed from all of it. Same messages as TypeScript's ``auth/token-failure.ts``.

Private. Example::

    raise refused_answer("https://sso/token", 401, b'{"error":"invalid_client"}', [secret])
    # AuthError: the token endpoint https://sso/token refused the token request: HTTP 401
    #            invalid_client: check the client id and its secret or key
"""

from __future__ import annotations

import errno
import math
import os
import re
from collections.abc import Iterable

from .errors import AuthError
from .json_depth import loads
from .redact import redact_credentials, redact_text, redact_url

CODE = "TOKEN_UNAVAILABLE"

#: The OAuth error answer's description is shown cut to one line of this many characters.
DESCRIPTION_MAX = 200

#: An OAuth ``error`` as RFC 6749 §5.2 allows it (printable ASCII), within reason.
_OAUTH_ERROR = re.compile(r"[\x20-\x7e]{1,100}")

_HINTS = {
    "invalid_client": ": check the client id and its secret or key",
    "unauthorized_client": ": check the client id and its secret or key",
    "invalid_scope": ": check the requested scope",
}


def _where(token_url: str) -> str:
    return f"the token endpoint {redact_url(token_url)}"


def timed_out(token_url: str, timeout_s: float) -> AuthError:
    """The token endpoint did not answer within the client's ``timeout_ms``.

    Example: ``timed_out("http://idp/token", 0.3).message`` ends with "within 300 ms"
    """
    return AuthError(f"{_where(token_url)} did not answer within {_ms(timeout_s)} ms", code=CODE)


def unreachable(token_url: str, err: BaseException, secrets: Iterable[str]) -> AuthError:
    """The token endpoint could not be reached; the reason the OS (or httpx) gave is named. The
    caller raises it ``from err``.

    Example: ``unreachable(url, httpx.ConnectError("[Errno 111] Connection refused"), [])``
    """
    reason = redact_text(redact_credentials(os_reason(err), token_url), secrets)
    return AuthError(f"could not reach {_where(token_url)}: {reason}", code=CODE)


def os_reason(err: BaseException) -> str:
    """The most telling one-line reason in ``err``'s chain: an ``OSError``'s reason (its errno's
    text, e.g. "Connection refused", else its ``strerror``, e.g. "Name or service not known")
    when one is there, else ``err``'s own text, else its type.

    Example: ``os_reason(ConnectionRefusedError(111, "Connection refused")) == "Connection
    refused"``
    """
    seen: set[int] = set()
    cause: BaseException | None = err
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError):
            # asyncio words a refused connection "Connect call failed (...)": the errno says it.
            if isinstance(cause.errno, int) and cause.errno in errno.errorcode:
                return os.strerror(cause.errno)
            if cause.strerror:
                return " ".join(cause.strerror.split())
        cause = cause.__cause__ or cause.__context__
    return " ".join(str(err).split()) or type(err).__name__


def refused_answer(
    token_url: str, status: int, body: bytes, secrets: Iterable[str], max_depth: int = 100
) -> AuthError:
    """The token endpoint answered without a token: a refusal (``4xx``), a broken answer
    (``5xx``), or a 200 without ``access_token``; its OAuth error fields are kept.

    Example: ``refused_answer(url, 400, b'{"error":"invalid_scope"}', []).oauth_error``
    is ``"invalid_scope"``
    """
    secrets = list(secrets)
    error, description = oauth_error_of(body, max_depth)
    if description is not None:
        description = one_line(redact_text(description, secrets))
    what = (
        "answered HTTP 200 without an access_token"
        if status == 200
        else f"refused the token request: HTTP {status}"
    )
    detail = " ".join(
        part for part in (error, None if description is None else f"({description})") if part
    )
    message = (
        f"{_where(token_url)} {what}{' ' + detail if detail else ''}{_HINTS.get(error or '', '')}"
    )
    return AuthError(
        redact_text(message, secrets),
        code=CODE,
        idp_status=status,
        oauth_error=error,
        oauth_error_description=description,
    )


def unreadable_answer(token_url: str, status: int, why: str) -> AuthError:
    """The token endpoint's answer could not be read (above the size limit, not decodable).

    Example: ``unreadable_answer(url, 200, "more than 1048576 bytes").idp_status == 200``
    """
    return AuthError(
        f"{_where(token_url)} answered HTTP {status} with {why}", code=CODE, idp_status=status
    )


def unsigned(err: BaseException) -> AuthError:
    """The client assertion (private_key_jwt) could not be signed; the key is never shown.

    Example: ``unsigned(ValueError("bad key")).code == "TOKEN_UNAVAILABLE"``
    """
    return AuthError(
        "could not sign the client assertion: check private_key_pem (PKCS#8 PEM) and algorithm "
        f"({type(err).__name__})",
        code=CODE,
    )


def paused(last: AuthError | None, paused_ms: float, failures: int) -> AuthError:
    """The last failure again, for a caller that arrives while token requests are paused: a new
    error with its fields, saying for how long and after how many failures.

    Example: ``paused(last, 750.2, 1).message`` ends with
    "(token requests paused for another 751 ms after 1 failure)"
    """
    why = last.message if last is not None else "the token endpoint failed"
    plural = "" if failures == 1 else "s"
    error = AuthError(
        f"{why} (token requests paused for another {math.ceil(paused_ms)} ms after "
        f"{failures} failure{plural})",
        code=CODE,
        idp_status=None if last is None else last.idp_status,
        oauth_error=None if last is None else last.oauth_error,
        oauth_error_description=None if last is None else last.oauth_error_description,
    )
    error.__cause__ = last
    return error


def provider_failed() -> AuthError:
    """The token provider raised (its error is the cause); nothing was sent.

    Example: ``raise provider_failed() from err``
    """
    return AuthError("the auth TokenProvider failed; no request was sent", code=CODE)


def provider_gave_no_token(value: object) -> AuthError:
    """The token provider returned something that is not a non-empty string.

    Example: ``provider_gave_no_token(None).code == "TOKEN_UNAVAILABLE"``
    """
    got = "an empty string" if value == "" else type(value).__name__
    return AuthError(
        f"the auth TokenProvider must return a non-empty string (the bearer token), got {got}",
        code=CODE,
    )


def oauth_error_of(body: bytes, max_depth: int = 100) -> tuple[str | None, str | None]:
    """``(error, error_description)`` of an RFC 6749 §5.2 answer, when ``body`` is one.

    Example: ``oauth_error_of(b'{"error":"invalid_client"}') == ("invalid_client", None)``
    """
    try:
        payload = loads(body, max_depth)
    except ValueError:
        return None, None
    if not isinstance(payload, dict):
        return None, None
    error = payload.get("error")
    description = payload.get("error_description")
    return (
        error if isinstance(error, str) and _OAUTH_ERROR.fullmatch(error) else None,
        description if isinstance(description, str) else None,
    )


def one_line(text: str) -> str:
    """``text`` with its whitespace collapsed, cut to ``DESCRIPTION_MAX`` characters.

    Example: ``one_line("a\\n  b") == "a b"``
    """
    line = " ".join(text.split())
    return line if len(line) <= DESCRIPTION_MAX else line[: DESCRIPTION_MAX - 1] + "…"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"
