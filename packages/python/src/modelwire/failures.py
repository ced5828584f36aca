"""What counts as a failure, apart from what each policy does about it (retry, breaker, fallback),
so the three can never disagree about a kind of error. Same predicates as TypeScript's
``policies/failure.ts``; pinned by ``test/vectors/failures.json`` (docs/semantics.md, Failure
table).

Example::

    breaker_verdict(UnavailableError("down", http_status=503))  # "failure"
    is_retryable(RateLimitError("slow", http_status=429), {429})  # True
    fallback_reason(CircuitOpenError("open"))  # "circuit_open"
"""

from __future__ import annotations

from collections.abc import Container
from typing import Literal

from .errors import (
    CircuitOpenError,
    ConnectionError,
    MalformedResponseError,
    ModelwireError,
    TimeoutError,
)
from .result import FallbackReason

#: How the breaker treats an attempt's outcome that is not a success.
BreakerVerdict = Literal["failure", "ignored"]


def breaker_verdict(error: BaseException) -> BreakerVerdict:
    """5xx, timeouts and connection errors are failures; every 4xx (incl. 408/429), the caller's
    abort, malformed 2xx bodies and anything raised before a request left are ignored.

    Example: ``breaker_verdict(TimeoutError("slow")) == "failure"``
    """
    # Anything that is not a typed model answer (a bug, a token provider's error) says nothing
    # about the model.
    if not isinstance(error, ModelwireError):
        return "ignored"
    if isinstance(error, (TimeoutError, ConnectionError)):
        return "failure"
    if isinstance(error, MalformedResponseError):
        return "ignored"
    status = error.http_status
    return "failure" if status is not None and status >= 500 else "ignored"


def is_retryable(error: BaseException, retry_on_status: Container[int]) -> bool:
    """Connection errors, per-attempt timeouts and the configured statuses (408, 429, 5xx…).

    Example: ``is_retryable(ConnectionError("reset"), ()) is True``
    """
    if not isinstance(error, ModelwireError):
        return False
    if isinstance(error, (TimeoutError, ConnectionError)):
        return True
    if isinstance(error, MalformedResponseError):
        return False
    return error.http_status is not None and error.http_status in retry_on_status


def is_fallback_eligible(error: BaseException) -> bool:
    """The breaker is open, or the model failed in a way a backup could fix (a breaker failure).
    Also the stale-if-error trigger. Never on 4xx/429, deadline or the caller's abort.

    Example: ``is_fallback_eligible(CircuitOpenError("open")) is True``
    """
    if isinstance(error, CircuitOpenError):
        return True
    return breaker_verdict(error) == "failure"


def fallback_reason(error: BaseException) -> FallbackReason | None:
    """Why a backup may answer instead (``Prediction.fallback.reason``), None when it may not.

    Example: ``fallback_reason(ServerError("boom", http_status=501)) == "retries_exhausted"``
    """
    if not is_fallback_eligible(error):
        return None
    return "circuit_open" if isinstance(error, CircuitOpenError) else "retries_exhausted"
