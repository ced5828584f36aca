"""Verify job callbacks signed with ``X-Modelwire-Signature`` (HMAC-SHA256, 5-minute tolerance).

Example::

    result = verify_webhook(request.body, request.headers, secret="whsec_...")
    if not result.valid:
        return Response(status=400, text=result.reason)
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .generated.policy import DEFAULT_POLICY

SIGNATURE_HEADER = "X-Modelwire-Signature"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
WebhookFailure = Literal["malformed_header", "timestamp_out_of_tolerance", "signature_mismatch"]


@dataclass(frozen=True, slots=True)
class WebhookVerification:
    """Outcome of ``verify_webhook``: ``valid``, and the failure ``reason`` when not valid.

    Example: ``WebhookVerification(valid=False, reason="signature_mismatch")``
    """

    valid: bool
    reason: WebhookFailure | None = None
    timestamp: int | None = None


def sign_webhook(raw_body: bytes | str, secret: str, timestamp: int) -> str:
    """The ``X-Modelwire-Signature`` value for ``raw_body`` (what the gateway sends).

    Example: ``sign_webhook(b"{}", "whsec", 1764000000)`` → ``'t=1764000000,v1=…'``
    """
    body = raw_body.encode("utf-8") if isinstance(raw_body, str) else raw_body
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def _header(headers: Mapping[str, str] | str | None) -> str | None:
    if headers is None or isinstance(headers, str):
        return headers
    for name, value in headers.items():
        if name.lower() == SIGNATURE_HEADER.lower():
            return value
    return None


def verify_webhook(
    raw_body: bytes | str,
    headers: Mapping[str, str] | str | None,
    secret: str,
    *,
    tolerance_seconds: float = DEFAULT_POLICY.webhook.tolerance_seconds,
    now: float | None = None,
) -> WebhookVerification:
    """Check a callback's signature against the *raw* body (before any JSON parsing).

    ``headers`` is the request's headers (any case) or the header value itself. Valid when any
    ``v1`` matches (constant-time compare) and ``|now - t| <= tolerance_seconds``.

    Example::

        verify_webhook(b'{"status":"success"}', {"x-modelwire-signature": sig}, "whsec").valid
    """
    value = _header(headers)
    if not value:
        return WebhookVerification(False, "malformed_header")
    timestamp: int | None = None
    signatures: list[str] = []
    for part in value.split(","):
        name, sep, item = part.strip().partition("=")
        if not sep:
            return WebhookVerification(False, "malformed_header")
        if name == "t":
            if not (item.isascii() and item.isdigit()):
                return WebhookVerification(False, "malformed_header")
            timestamp = int(item)
        elif name == "v1":
            if not _HEX64.match(item):
                return WebhookVerification(False, "malformed_header")  # lowercase hex only
            signatures.append(item)
    if timestamp is None or not signatures:
        return WebhookVerification(False, "malformed_header")
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        return WebhookVerification(False, "timestamp_out_of_tolerance", timestamp)
    expected = sign_webhook(raw_body, secret, timestamp).rpartition("v1=")[2]
    matched = False
    for candidate in signatures:
        # Compare every candidate so the time taken does not reveal which one matched.
        matched |= hmac.compare_digest(candidate, expected)
    if not matched:
        return WebhookVerification(False, "signature_mismatch", timestamp)
    return WebhookVerification(True, None, timestamp)
