"""Redaction: headers are shown by allowlist, tokens never appear in logs, events or errors.

Example::

    redact_headers({"Authorization": "Bearer t", "X-Request-Id": "r1"})
    # {'Authorization': '[REDACTED]', 'X-Request-Id': 'r1'}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

#: Headers shown in logs as they are; every other header is shown as ``[REDACTED]``.
HEADER_ALLOWLIST = frozenset(
    {
        "accept",
        "content-type",
        "content-length",
        "user-agent",
        "x-request-id",
        "idempotency-key",
        "traceparent",
        "x-model-version",
        "retry-after",
        "location",
    }
)
REDACTED = "[REDACTED]"


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` with every non-allowlisted value replaced by ``[REDACTED]``.

    Example: ``redact_headers({"authorization": "Bearer x"}) == {"authorization": "[REDACTED]"}``
    """
    return {
        name: value if name.lower() in HEADER_ALLOWLIST else REDACTED
        for name, value in headers.items()
    }


def redact_secret(secret: str | None) -> str:
    """A printable stand-in for a secret: ``'[REDACTED]'`` (or ``'None'`` when unset).

    Example: ``redact_secret("s3cret") == "[REDACTED]"``
    """
    return "None" if secret is None else REDACTED


def redact_url(url: str) -> str:
    """``url`` as it may appear in a message: without credentials (``user:pass@``), query or
    fragment.

    Example: ``redact_url("http://u:pw@127.0.0.1:9/v1/x?k=1") == "http://127.0.0.1:9/v1/x"``
    """
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def redact_credentials(text: str, url: str) -> str:
    """``text`` (say, an OS or HTTP client's error) with ``url``'s credentials replaced.

    Example: ``redact_credentials("bad http://u:pw@h", "http://u:pw@h") == "bad http://[REDACTED]@h"``
    """
    userinfo = urlsplit(url).netloc.rpartition("@")[0]
    return text.replace(userinfo, REDACTED) if userinfo else text


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each secret (token, client secret) replaced.

    Example: ``redact_text("bad secret s3cret", ["s3cret"]) == "bad secret [REDACTED]"``
    """
    # Longest first: a secret that contains another is replaced whole.
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text
