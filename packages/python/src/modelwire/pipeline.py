"""The request pipeline, declared once: cache → coalesce → fallback → retry → breaker →
per-attempt timeout → transport.

``PIPELINE`` names the layers in order. The I/O-free middle of the pipeline (fallback → retry →
breaker → per-attempt timeout) is written once here as a generator that *yields effects*
(``Send``, ``Sleep``, ``RefreshToken``) and receives their results; ``Client`` runs it with
blocking I/O and ``AsyncClient`` with ``await``, so the sync and async twins cannot drift apart.
The outer layers (cache, coalesce) live in ``_core.py`` and the twins, because waiting is
different for threads (futures) and tasks (shared tasks).

Example::

    gen = run_call(ctx, operation)   # a generator of effects
    effect = next(gen)               # Send(...): the driver performs it and sends back the result
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from . import tracing
from .breaker import Breaker, BreakerRegistry
from .clock import Clock
from .errors import (
    AbortedError,
    CircuitOpenError,
    ConnectionError,
    DeadlineExceededError,
    MalformedResponseError,
    ModelwireError,
    ServerError,
    TimeoutError,
    UnavailableError,
    error_from_response,
)
from .events import Event, EventHandler, emit
from .options import RetryOptions
from .redact import redact_headers
from .result import Fallback, FallbackReason
from .retry import RetryBudget, backoff_delay_ms, parse_retry_after

#: The layers of every call, outermost first. Change the order here and nowhere else.
PIPELINE: tuple[str, ...] = (
    "cache",
    "coalesce",
    "fallback",
    "retry",
    "breaker",
    "per_attempt_timeout",
    "transport",
)

T = TypeVar("T")
_log = logging.getLogger("modelwire")


# ---------------------------------------------------------------- effects (what drivers perform)
@dataclass(slots=True)
class Send:
    """Perform one HTTP request; the driver answers ``HttpAnswer`` or a Timeout/Connection error."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    timeout_s: float


@dataclass(slots=True)
class Sleep:
    """Wait ``seconds`` (the driver honours the call's abort signal while waiting)."""

    seconds: float


@dataclass(slots=True)
class RefreshToken:
    """Fetch a fresh bearer token after a 401 (``stale`` is the token that was refused)."""

    stale: str | None


Effect = Send | Sleep | RefreshToken


@dataclass(slots=True)
class HttpAnswer:
    """What the transport got: status, headers (any case) and the raw body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


# ------------------------------------------------------------------------ what a call describes
@dataclass(slots=True)
class Operation(Generic[T]):
    """One API operation: how to build its request and parse its 2xx answer.

    ``body(model, version)`` builds the JSON body for the model actually called (the fallback
    call gets its own); ``parse(envelope, answer, served_model)`` turns a 2xx envelope into ``T``
    and raises ``MalformedResponseError`` when it is not the contract's envelope.
    """

    name: str
    method: str
    path: Callable[[str | None], str]
    parse: Callable[[dict[str, Any], HttpAnswer, str | None], T]
    model: str | None = None
    version: str | None = None
    body: Callable[[str | None, str | None], bytes] | None = None
    allow_fallback: bool = False


@dataclass(slots=True)
class Settings:
    """Client-wide pieces the pipeline needs (built once per client)."""

    base_url: str
    retry: RetryOptions
    budget: RetryBudget | None
    breakers: BreakerRegistry | None
    clock: Clock
    on_event: EventHandler | None
    fallbacks: Callable[[str], str | None] | None
    default_headers: dict[str, str]
    refreshable_auth: bool


@dataclass(slots=True)
class CallContext:
    """One logical call: identity, deadline and the token in use."""

    settings: Settings
    request_id: str
    trace_id: str
    deadline: float  # monotonic seconds
    timeout_s: float
    token: str | None
    attempts: int = 0
    extra_headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class CallOutcome(Generic[T]):
    """The value of a successful call plus how it was obtained."""

    value: T
    attempts: int
    size: int
    fallback: Fallback | None = None


# --------------------------------------------------------------------------- failure predicates
def is_retryable(err: ModelwireError, retry: RetryOptions) -> bool:
    """Whether a retry may fix ``err`` (never other 4xx, malformed bodies, circuit open, aborts)."""
    if isinstance(err, TimeoutError):
        return retry.retry_on_timeout
    if isinstance(err, ConnectionError):
        return retry.retry_on_connection_error
    return err.http_status is not None and err.http_status in retry.retry_on_status


def fallback_reason(err: ModelwireError) -> FallbackReason | None:
    """Why a backup model may answer instead: open circuit or a retryable failure other than 429."""
    if isinstance(err, CircuitOpenError):
        return "circuit_open"
    if isinstance(err, (TimeoutError, ConnectionError)):
        return "retries_exhausted"
    if isinstance(err, (ServerError, UnavailableError)) and (err.http_status or 500) >= 500:
        return "retries_exhausted"
    return None


def _breaker_outcome(err: ModelwireError) -> str:
    if isinstance(err, (TimeoutError, ConnectionError)):
        return "failure"
    if err.http_status is not None and err.http_status >= 500:
        return "failure"
    return "ignored"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        value = headers.get(name.lower())
    return value


# ----------------------------------------------------------------------- breaker → timeout → I/O
def _attempt(
    ctx: CallContext,
    op: Operation[T],
    model: str | None,
    version: str | None,
    body: bytes | None,
    idempotency_key: str | None,
    attempt: int,
) -> Generator[Effect, Any, tuple[T, int]]:
    settings = ctx.settings
    clock = settings.clock
    breaker: Breaker | None = None
    trial = False
    if model is not None and settings.breakers is not None:
        breaker = settings.breakers.get(model, version)
        try:
            trial = breaker.acquire()  # fail fast while open: no network
        except CircuitOpenError as err:
            err.request_id, err.trace_id = ctx.request_id, ctx.trace_id
            raise
    remaining = ctx.deadline - clock.monotonic()
    timeout_s = min(ctx.timeout_s, remaining)
    clipped_by_deadline = remaining < ctx.timeout_s
    headers = dict(settings.default_headers)
    headers["X-Request-Id"] = ctx.request_id
    headers["traceparent"] = tracing.traceparent(ctx.trace_id)
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    if version is not None:
        headers["X-Model-Version"] = version
    headers.update(ctx.extra_headers)
    url = settings.base_url + op.path(model)
    refreshed = False
    while True:
        if ctx.token is not None:
            headers["Authorization"] = "Bearer " + ctx.token
        ctx.attempts += 1
        started = clock.monotonic()
        emit(settings.on_event, Event("request", model, version, ctx.request_id, attempt))
        if _log.isEnabledFor(logging.DEBUG):
            _log.debug("%s %s headers=%s", op.method, url, redact_headers(headers))
        answer = yield Send(op.method, url, headers, body, timeout_s)
        latency_ms = (clock.monotonic() - started) * 1000.0
        if isinstance(answer, AbortedError):
            # The caller left while the attempt was in flight: not the model's fault.
            if breaker is not None:
                breaker.record("ignored", trial)
            raise answer
        if isinstance(answer, ModelwireError):
            answer.request_id = ctx.request_id
            answer.trace_id = ctx.trace_id
            emit(
                settings.on_event,
                Event(
                    "response",
                    model,
                    version,
                    ctx.request_id,
                    attempt,
                    latency_ms=latency_ms,
                    error_code=answer.code,
                ),
            )
            if isinstance(answer, TimeoutError) and clipped_by_deadline:
                # The caller's deadline, not the model, cut this attempt short: not a model failure.
                if breaker is not None:
                    breaker.record("ignored", trial)
                raise _deadline_error(ctx, answer)
            if breaker is not None:
                breaker.record("failure", trial)
            raise answer
        assert isinstance(answer, HttpAnswer)
        emit(
            settings.on_event,
            Event("response", model, version, ctx.request_id, attempt, answer.status, latency_ms),
        )
        status = answer.status
        if status == 401 and settings.refreshable_auth and not refreshed:
            # One fresh token and one repeat of the attempt (not counted as a retry).
            refreshed = True
            ctx.token = yield RefreshToken(ctx.token)
            continue
        break
    if 200 <= status < 300:
        try:
            envelope = json.loads(answer.body)
            if not isinstance(envelope, dict) or envelope.get("status") != "success":
                raise ValueError("not a success envelope")
            value = op.parse(envelope, answer, model)
        except (ValueError, TypeError, KeyError, MalformedResponseError) as err:
            if breaker is not None:
                breaker.record("ignored", trial)
            raise MalformedResponseError(
                f"HTTP {status} body is not the contract's {op.name} envelope ({err}); the "
                "server or a proxy in between breaks the contract",
                http_status=status,
                request_id=ctx.request_id,
                trace_id=ctx.trace_id,
            ) from None
        if breaker is not None:
            breaker.record("success", trial)
        if settings.budget is not None:
            settings.budget.refill()
        return value, len(answer.body)
    retry_after_ms = parse_retry_after(_header(answer.headers, "Retry-After"), now=clock.time())
    failure = error_from_response(
        status,
        answer.body,
        request_id=ctx.request_id,
        trace_id=ctx.trace_id,
        retry_after_ms=retry_after_ms,
    )
    if breaker is not None:
        breaker.record("failure" if status >= 500 else "ignored", trial)
    raise failure


def _deadline_error(ctx: CallContext, last: ModelwireError | None) -> DeadlineExceededError:
    err = DeadlineExceededError(
        "the call's deadline_ms ran out before the model answered; raise deadline_ms or check "
        "the model's health",
        request_id=ctx.request_id,
        trace_id=ctx.trace_id,
        attempts=ctx.attempts,
    )
    err.__cause__ = last
    return err


# ---------------------------------------------------------------------------------------- retry
def _with_retry(
    ctx: CallContext,
    op: Operation[T],
    model: str | None,
    version: str | None,
) -> Generator[Effect, Any, tuple[T, int]]:
    settings = ctx.settings
    retry = settings.retry
    clock = settings.clock
    body = op.body(model, version) if op.body is not None else None
    # One Idempotency-Key per model: identical on every retry, new for the fallback model.
    idempotency_key = str(uuid.uuid4()) if op.method == "POST" else None
    retry_number = 0
    last: ModelwireError | None = None
    while True:
        if clock.monotonic() >= ctx.deadline:
            raise _deadline_error(ctx, last)
        try:
            return (
                yield from _attempt(
                    ctx, op, model, version, body, idempotency_key, retry_number + 1
                )
            )
        except DeadlineExceededError:
            raise
        except ModelwireError as err:
            err.attempts = ctx.attempts
            last = err
            if not is_retryable(err, retry) or retry_number >= retry.max_retries:
                raise
            retry_number += 1
            remaining_ms = (ctx.deadline - clock.monotonic()) * 1000.0
            if err.retry_after_ms is not None:
                if (
                    err.retry_after_ms > retry.retry_after_cap_ms
                    or err.retry_after_ms > remaining_ms
                ):
                    # Waiting that long is pointless: give up now and say how long to wait.
                    raise
                delay_ms = err.retry_after_ms
            else:
                delay_ms = backoff_delay_ms(
                    retry_number,
                    initial_ms=retry.backoff_initial_ms,
                    multiplier=retry.backoff_multiplier,
                    max_ms=retry.backoff_max_ms,
                    jitter=retry.jitter,
                )
                if delay_ms >= remaining_ms:
                    raise _deadline_error(ctx, err) from err
            if settings.budget is not None and not settings.budget.try_spend():
                raise  # budget empty: stop the retry storm, surface the last error
            emit(
                settings.on_event,
                Event(
                    "retry",
                    model,
                    version,
                    ctx.request_id,
                    retry_number + 1,
                    err.http_status,
                    error_code=err.code,
                    delay_ms=delay_ms,
                ),
            )
            if delay_ms > 0:
                yield Sleep(delay_ms / 1000.0)


# ------------------------------------------------------------------------------------- fallback
def run_call(ctx: CallContext, op: Operation[T]) -> Generator[Effect, Any, CallOutcome[T]]:
    """fallback → retry → breaker → per-attempt timeout → transport, as a generator of effects.

    Example: see ``Client._drive`` and ``AsyncClient._drive``, which perform the effects.
    """
    try:
        value, size = yield from _with_retry(ctx, op, op.model, op.version)
        return CallOutcome(value, ctx.attempts, size)
    except ModelwireError as err:
        reason = fallback_reason(err) if op.allow_fallback else None
        if reason is None or op.model is None:
            raise
        setattr(err, "stale_eligible", True)  # noqa: B010 - read by the cache layer
        backup = ctx.settings.fallbacks(op.model) if ctx.settings.fallbacks else None
        if not backup or backup == op.model:
            raise
        emit(
            ctx.settings.on_event,
            Event("fallback", op.model, op.version, ctx.request_id, to=backup, reason=reason),
        )
        try:
            value, size = yield from _with_retry(ctx, op, backup, None)
        except ModelwireError as backup_err:
            # The caller asked for the primary model: its failure is reported (as in TS and Java).
            err.attempts = ctx.attempts
            err.backup_error = backup_err
            raise err from backup_err
        return CallOutcome(value, ctx.attempts, size, Fallback(op.model, backup, reason))


def is_stale_eligible(err: BaseException) -> bool:
    """Whether the primary failed so that stale-if-error may answer (set by ``run_call``)."""
    return bool(getattr(err, "stale_eligible", False))
