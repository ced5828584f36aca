"""Redaction: headers are shown by allowlist, tokens never appear in logs, events or errors.

Example::

    redact_headers({"Authorization": "Bearer t", "X-Request-Id": "r1"})
    # {'Authorization': '[REDACTED]', 'X-Request-Id': 'r1'}
"""

from __future__ import annotations

from collections.abc import Mapping

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
