"""Verify job callbacks signed with ``X-Modelwire-Signature`` (HMAC-SHA256, 5-minute tolerance).

One contract in every SDK (docs/semantics.md, "Webhook verification"): the parsed callback
envelope when the signature is valid, ``WebhookVerificationError`` (with ``.reason``) otherwise,
so nothing returned for a forged callback can read as true.

Example::

    try:
        envelope = verify_webhook(request.body, request.headers, secret="whsec_...")
    except WebhookVerificationError as err:
        return Response(status=400, text=err.reason)
    job_state = envelope["result"]["state"]
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from typing import Any, Literal

from .generated.policy import DEFAULT_POLICY

SIGNATURE_HEADER = "X-Modelwire-Signature"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
WebhookFailure = Literal["malformed_header", "timestamp_out_of_tolerance", "signature_mismatch"]


class WebhookVerificationError(Exception):
    """A job callback that did not verify: answer it with 400 and do not trust its body.

    ``reason`` is ``malformed_header``, ``timestamp_out_of_tolerance`` or ``signature_mismatch``.

    Example::

        except WebhookVerificationError as err:
            log.warning("rejected callback: %s", err.reason)
    """

    def __init__(self, reason: WebhookFailure, message: str) -> None:
        super().__init__(message)
        self.reason: WebhookFailure = reason
        """``malformed_header``, ``timestamp_out_of_tolerance`` or ``signature_mismatch``."""


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


def _malformed(why: str) -> WebhookVerificationError:
    return WebhookVerificationError("malformed_header", f"{SIGNATURE_HEADER} {why}")


def _signed_timestamp(value: str | None) -> tuple[int, list[str]]:
    """The header's ``t`` and its ``v1`` signatures; raises ``malformed_header`` otherwise."""
    if not value:
        raise _malformed("header is missing")
    timestamp: int | None = None
    signatures: list[str] = []
    for part in value.split(","):
        name, sep, item = part.strip().partition("=")
        if not sep:
            raise _malformed('has a part without "=": expected t=<unix>,v1=<hex>')
        if name == "t":
            if not (item.isascii() and item.isdigit()):
                raise _malformed("t= must be unix seconds")
            timestamp = int(item)
        elif name == "v1":
            if not _HEX64.match(item):
                raise _malformed("v1= must be 64 lowercase hex characters")
            signatures.append(item)
    if timestamp is None or not signatures:
        raise _malformed("needs both t= and at least one v1=")
    return timestamp, signatures


def verify_webhook(
    raw_body: bytes | str,
    headers: Mapping[str, str] | str | None,
    secret: str,
    *,
    tolerance_seconds: float = DEFAULT_POLICY.webhook.tolerance_seconds,
    now: float | None = None,
) -> Any:
    """Check a callback's signature against the *raw* body (before any JSON parsing) and return
    the parsed callback envelope; raises ``WebhookVerificationError`` when it does not verify.

    ``headers`` is the request's headers (any case) or the header value itself. Valid when any
    ``v1`` matches (constant-time compare) and ``|now - t| <= tolerance_seconds``. A verified
    body that is not JSON raises ``ValueError`` (the signer sent something that is not a callback).

    Example::

        envelope = verify_webhook(body, {"x-modelwire-signature": sig}, "whsec")
        envelope["result"]["job_id"]
    """
    timestamp, signatures = _signed_timestamp(_header(headers))
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        raise WebhookVerificationError(
            "timestamp_out_of_tolerance",
            f"the signature's timestamp is {current - timestamp:.0f}s away from now (tolerance "
            f"{tolerance_seconds:g}s): replayed, or the clocks are skewed",
        )
    expected = sign_webhook(raw_body, secret, timestamp).rpartition("v1=")[2]
    matched = False
    for candidate in signatures:
        # Compare every candidate so the time taken does not reveal which one matched.
        matched |= hmac.compare_digest(candidate, expected)
    if not matched:
        raise WebhookVerificationError(
            "signature_mismatch", "no v1 signature matches the body and the secret"
        )
    return json.loads(raw_body)
