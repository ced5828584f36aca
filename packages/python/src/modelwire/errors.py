"""Typed errors: one base class, ``ModelwireError``, and one subclass per kind in docs/semantics.md.

Example::

    try:
        client.predict("fraud-score", {"amount": 12.5})
    except modelwire.ValidationError as err:
        for field_error in err.errors:
            print(field_error.field, field_error.message)
    except modelwire.ModelwireError as err:
        print(err.code, err.http_status, err.request_id)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import json_depth
from .generated.policy import DEFAULT_POLICY


@dataclass(frozen=True, slots=True)
class FieldError:
    """One field error of a 422 answer: a JSON Pointer into ``data`` and what is wrong with it.

    Example: ``FieldError(field="/amount", message="must be number")``
    """

    field: str
    """A JSON Pointer into the call's ``data``, e.g. ``/amount``."""
    message: str
    """What is wrong with that field."""


class ModelwireError(Exception):
    """Base of every error raised by the SDK.

    Attributes: ``code`` (stable string, e.g. ``"MODEL_UNAVAILABLE"``), ``http_status`` (or None),
    ``request_id``, ``trace_id``, ``errors`` (field errors), ``retry_after_ms`` and ``attempts``.

    Example::

        except ModelwireError as err:
            log.warning("model call failed: %s (request %s)", err.code, err.request_id)
    """

    default_code = "ERROR"
    """The ``code`` of this kind of error when none more precise is known."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        http_status: int | None = None,
        request_id: str | None = None,
        trace_id: str | None = None,
        errors: tuple[FieldError, ...] = (),
        retry_after_ms: float | None = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(message)
        self.message = message
        """The one-line message (also ``str(err)``); never quotes a response body."""
        self.code = code or self.default_code
        """A stable code, e.g. ``MODEL_UNAVAILABLE``, ``TIMEOUT``, ``TOKEN_UNAVAILABLE``."""
        self.http_status = http_status
        """The gateway's HTTP status, or None when no gateway answered."""
        self.request_id = request_id
        """The call's request id (as sent, or as the gateway echoed it)."""
        self.trace_id = trace_id
        """The W3C trace id of the call."""
        self.errors = errors
        """The field errors of a 422 answer (``ValidationError``), else empty."""
        self.retry_after_ms = retry_after_ms
        """The answer's ``Retry-After`` in milliseconds, when it had one."""
        self.attempts = attempts
        """HTTP attempts the call made, a backup's included (0 when none was sent)."""
        # When a backup model failed too: its error (the primary's error is the one raised).
        self.backup_error: ModelwireError | None = None
        """When a backup model failed too: its error (the primary's error is the one raised)."""

    @property
    def kind(self) -> str:
        """The kind name of docs/semantics.md (the class name without ``Error``).

        Example: ``RateLimitError("x").kind == "RateLimit"``
        """
        return type(self).__name__.removesuffix("Error")

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, http_status={self.http_status!r}, "
            f"request_id={self.request_id!r}, message={self.message!r})"
        )


class BadRequestError(ModelwireError):
    """400: the gateway could not read the request. Check the request envelope you send."""

    default_code = "BAD_REQUEST"


class AuthError(ModelwireError):
    """401/403 from the gateway (the credential is missing, expired, or lacks the scope), or
    ``TOKEN_UNAVAILABLE``: no token could be had from the identity provider or the token
    provider (docs/semantics.md, Auth).

    A token failure has no ``http_status`` (no gateway answered); the identity provider's status
    is ``idp_status`` (None when it did not answer), its OAuth ``error`` and
    ``error_description`` (RFC 6749 §5.2) are ``oauth_error`` and ``oauth_error_description``
    (one line of at most 200 characters).

    Example::

        except AuthError as err:
            if err.oauth_error == "invalid_client":
                rotate_client_secret()
    """

    default_code = "UNAUTHENTICATED"

    def __init__(
        self,
        message: str,
        *,
        idp_status: int | None = None,
        oauth_error: str | None = None,
        oauth_error_description: str | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message, **details)
        self.idp_status = idp_status
        """``TOKEN_UNAVAILABLE``: the identity provider's HTTP status (None: it did not answer)."""
        self.oauth_error = oauth_error
        """``TOKEN_UNAVAILABLE``: the token answer's RFC 6749 ``error``, e.g. ``invalid_client``."""
        self.oauth_error_description = oauth_error_description
        """``TOKEN_UNAVAILABLE``: its ``error_description`` (one line, ≤ 200 characters)."""


class NotFoundError(ModelwireError):
    """404: unknown model, version or job. Check the name against ``client.list_models()``."""

    default_code = "NOT_FOUND"


class ConflictError(ModelwireError):
    """409: the job is already in a final state and cannot be canceled."""

    default_code = "CONFLICT"


class PayloadTooLargeError(ModelwireError):
    """413, or the input is above ``max_input_bytes`` before sending: send a smaller input."""

    default_code = "PAYLOAD_TOO_LARGE"


class ValidationError(ModelwireError):
    """422: the input does not match the model's input schema; see ``errors`` for the fields."""

    default_code = "VALIDATION_FAILED"


class RateLimitError(ModelwireError):
    """429: throttled. ``retry_after_ms`` says how long the gateway asked to wait."""

    default_code = "RATE_LIMITED"


class UnavailableError(ModelwireError):
    """503: the model is loading, overloaded or down; retry later or configure a fallback."""

    default_code = "MODEL_UNAVAILABLE"


class ServerError(ModelwireError):
    """Another 5xx (or an unexpected status): the model or the gateway failed."""

    default_code = "INTERNAL"


class TimeoutError(ModelwireError):
    """An attempt took longer than ``timeout_ms``: raise it or check the model's latency."""

    default_code = "TIMEOUT"


class ConnectionError(ModelwireError):
    """The connection was refused or reset, or DNS failed: check ``base_url`` and the network."""

    default_code = "CONNECTION_ERROR"


class CircuitOpenError(ModelwireError):
    """The breaker of this model is open: calls fail fast until its reset timeout passes."""

    default_code = "CIRCUIT_OPEN"


class MalformedResponseError(ModelwireError):
    """A 2xx body was not JSON or not the contract's envelope: the server breaks the contract."""

    default_code = "MALFORMED_RESPONSE"


class DeadlineExceededError(ModelwireError):
    """The total ``deadline_ms`` of the call ran out; ``__cause__`` holds the last error."""

    default_code = "DEADLINE_EXCEEDED"


class AbortedError(ModelwireError):
    """The caller's ``signal`` was aborted."""

    default_code = "ABORTED"


class InvalidInputError(ModelwireError):
    """The input cannot be sent (NaN/Infinity) or an option is wrong (code ``INVALID_OPTIONS``)."""

    default_code = "INVALID_INPUT"


#: The typed error of each HTTP status (every other status is a ServerError).
_STATUS_KINDS: dict[int, type[ModelwireError]] = {
    400: BadRequestError,
    401: AuthError,
    403: AuthError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    422: ValidationError,
    429: RateLimitError,
    503: UnavailableError,
}
_STATUS_CODES: dict[int, str] = {
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    422: "VALIDATION_FAILED",
    429: "RATE_LIMITED",
    503: "MODEL_UNAVAILABLE",
}


def error_from_response(
    status: int,
    body: bytes,
    *,
    request_id: str | None,
    trace_id: str | None,
    retry_after_ms: float | None = None,
    max_json_depth: int = DEFAULT_POLICY.max_json_depth,
) -> ModelwireError:
    """Map an error HTTP answer to its typed error (a non-JSON body, or one nested deeper
    than ``max_json_depth``, keeps the status's kind).

    Example: ``error_from_response(503, b"{}", request_id="r1", trace_id=None)`` is an
    ``UnavailableError`` with code ``MODEL_UNAVAILABLE``.
    """
    envelope: Mapping[str, Any] = {}
    try:
        parsed = json_depth.loads(body, max_json_depth) if body else None
        if isinstance(parsed, dict):
            envelope = parsed
    except ValueError:
        pass  # an nginx HTML page: the status decides the kind
    kind = _STATUS_KINDS.get(status, ServerError)
    body_code = envelope.get("code")
    if status in _STATUS_CODES:
        code = _STATUS_CODES[status]
    elif isinstance(body_code, str) and body_code:
        code = body_code
    elif status == 400:
        code = "BAD_REQUEST"
    else:
        code = f"HTTP_{status}"
    message = envelope.get("message")
    if not isinstance(message, str) or not message:
        message = f"HTTP {status} from the model gateway"
    raw_errors = envelope.get("errors")
    field_errors: tuple[FieldError, ...] = ()
    if isinstance(raw_errors, list):
        field_errors = tuple(
            FieldError(str(e.get("field", "")), str(e.get("message", "")))
            for e in raw_errors
            if isinstance(e, dict)
        )
    rid = envelope.get("request_id")
    tid = envelope.get("trace_id")
    return kind(
        f"{message} (HTTP {status})",
        code=code,
        http_status=status,
        request_id=rid if isinstance(rid, str) else request_id,
        trace_id=tid if isinstance(tid, str) else trace_id,
        errors=field_errors,
        retry_after_ms=retry_after_ms,
    )
