"""The hint a ``NotFoundError`` carries when the client's base URL lacks the API's ``/v1``
prefix (docs/semantics.md, Errors): such a client reaches the gateway but none of its routes,
and a bare "no route" would not say what to fix.

Example::

    not_found_hint("http://gw:4010")      # 'the API lives under /v1: base_url ... ends ...'
    not_found_hint("http://gw:4010/v1")   # None
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .errors import ModelwireError, NotFoundError


def not_found_hint(base_url: str) -> str | None:
    """What to add to a 404's message for a client of ``base_url`` (None: its path ends in /v1).

    Example: ``not_found_hint("https://gw.example/api/v1") is None``
    """
    path = urlsplit(base_url).path.rstrip("/")
    if path.endswith("/v1"):
        return None
    return (
        f"the API lives under /v1 but base_url {base_url!r} does not end in /v1; "
        f"did you mean {base_url.rstrip('/') + '/v1'!r}?"
    )


def with_hint(err: ModelwireError, hint: str | None) -> ModelwireError:
    """``err`` with ``hint`` appended to its message when it is a ``NotFoundError``.

    Example: ``with_hint(NotFoundError("no route (HTTP 404)"), hint).message.endswith("/v1'?")``
    """
    if hint is not None and isinstance(err, NotFoundError):
        err.message = f"{err.message}; {hint}"
        err.args = (err.message,)
    return err
