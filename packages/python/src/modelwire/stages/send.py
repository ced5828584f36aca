"""Stage 7, send: one HTTP attempt. Adds the headers (ids, trace, auth, idempotency, version
pin), emits ``request`` then ``response`` or ``request_error``, repeats the attempt once with a
fresh token after a 401 (an attempt, not a retry), and classifies the answer
(``responses.read_answer``).

Example: the request of attempt 1 of ``predict("fraud-score", …)`` is
``POST {base_url}/models/fraud-score/predict`` with ``X-Request-Id`` and ``Idempotency-Key``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Generator
from typing import Any

from .. import tracing
from ..base_url_hint import with_hint
from ..call import CallContext, CallOutcome, Flow, Step, Target
from ..effects import Effect, HttpAnswer, RefreshToken, Send
from ..errors import AuthError, DeadlineExceededError, ModelwireError
from ..redact import redact_headers
from ..responses import read_answer
from ..telemetry import AttemptSpan
from . import Stage

_log = logging.getLogger("modelwire")


def _headers(ctx: CallContext, target: Target) -> dict[str, str]:
    headers = dict(ctx.runtime.options.headers)
    headers["X-Request-Id"] = ctx.request_id
    if target.idempotency_key is not None:
        headers["Idempotency-Key"] = target.idempotency_key
    if target.version is not None:
        headers["X-Model-Version"] = target.version
    if target.body is not None:
        # Every body the SDK sends is JSON; a validating gateway answers 415 to anything else.
        headers["Content-Type"] = "application/json"
    return headers


def _attempt(
    ctx: CallContext, target: Target, send: Send, path: str
) -> Generator[Effect, Any, tuple[HttpAnswer, AttemptSpan | None]]:
    """One request/answer pair with its events; returns the ``HttpAnswer`` and the attempt span
    (still open: the caller ends it once the answer was read). The attempt span's context is the
    wire ``traceparent``; without one, a new span id in the call's trace."""
    clock = ctx.runtime.clock
    ctx.attempts += 1
    attempt, method = ctx.attempts, send.method
    span = ctx.span.attempt(method, send.url, attempt) if ctx.span is not None else None
    if span is not None:
        send.headers["traceparent"] = span.traceparent
        send.instrumented = True
    else:
        send.headers["traceparent"] = tracing.traceparent(ctx.trace_id)
        send.instrumented = False
    if ctx.token is not None:
        send.headers["Authorization"] = "Bearer " + ctx.token
    ctx.emit("request", target, attempt=attempt, method=method, path=path)
    if _log.isEnabledFor(logging.DEBUG):
        _log.debug("%s %s headers=%s", method, send.url, redact_headers(send.headers))
    started = clock.monotonic()
    status: int | None = None
    answered = False
    try:
        answer: HttpAnswer = yield send
        status = answer.status
        answered = True
        return answer, span
    except ModelwireError as err:  # no complete answer: timeout, connection error, abort, too large
        err.request_id, err.trace_id = ctx.request_id, ctx.trace_id
        # A body refused for size still had a status: that is an answer (semantics.md, Events).
        if err.code == "RESPONSE_TOO_LARGE":
            status = err.http_status
        if status is None:
            latency_ms = (clock.monotonic() - started) * 1000.0
            ctx.emit(
                "request_error",
                target,
                attempt=attempt,
                method=method,
                path=path,
                error_code=err.code,
                latency_ms=latency_ms,
            )
        if span is not None:
            span.end(status, _failure(status, err))
        raise
    finally:
        if status is not None:
            latency_ms = (clock.monotonic() - started) * 1000.0
            ctx.emit(
                "response",
                target,
                attempt=attempt,
                method=method,
                path=path,
                status=status,
                latency_ms=latency_ms,
            )
        if span is not None and not answered:
            span.end(status, None)  # abandoned mid-attempt (no-op when already ended)


def _failure(status: int | None, err: ModelwireError | None) -> str | None:
    """The attempt span's ``error.type``: the status (>= 400) as a string, the attempt's error
    code when no answer came, ``MALFORMED_RESPONSE`` for an unreadable 2xx; None: a success."""
    if status is not None and status >= 400:
        return str(status)
    if err is None:
        return None
    return err.code if status is None else "MALFORMED_RESPONSE"


def _served_version(answer: HttpAnswer) -> str | None:
    for name, value in answer.headers.items():
        if name.lower() == "x-model-version":
            return value
    return None


def run(ctx: CallContext, target: Target, next: Step) -> Flow:  # noqa: A002 - terminal stage
    op = ctx.op
    path = op.path(target.model)
    send = Send(
        op.method,
        ctx.runtime.options.base_url + path,
        _headers(ctx, target),
        target.body,
        target.timeout_s,
    )
    answer, span = yield from _attempt(ctx, target, send, path)
    if answer.status == 401 and ctx.runtime.refreshable_auth and op.authenticated:
        if span is not None:
            span.end(401, "401")
        # One fresh token and one repeat of the attempt (an attempt, not a retry); the wait for
        # the token ends by the call's deadline.
        wait_s = ctx.deadline - ctx.runtime.clock.monotonic()
        try:
            ctx.token = yield RefreshToken(ctx.token, wait_s)
        except (DeadlineExceededError, AuthError) as err:
            # No token (deadline, or TOKEN_UNAVAILABLE): the call ends with the attempts made.
            err.request_id, err.trace_id, err.attempts = ctx.request_id, ctx.trace_id, ctx.attempts
            raise
        answer, span = yield from _attempt(ctx, target, send, path)
    options = ctx.runtime.options
    try:
        value, size = read_answer(
            op,
            answer,
            target.model,
            request_id=ctx.request_id,
            trace_id=ctx.trace_id,
            now=ctx.runtime.clock.time(),
            max_json_depth=options.max_json_depth,
        )
    except ModelwireError as err:
        if span is not None:
            span.end(answer.status, _failure(answer.status, err))
        # A 404 to a base URL without /v1 says what to fix (docs/semantics.md, Errors).
        with_hint(err, options.not_found_hint)
        raise
    if span is not None:
        span.end(answer.status, None)
        ctx.served_version = _served_version(answer) or ctx.served_version
    if ctx.runtime.fleet is not None and op.kind == "predict" and ctx.cache_key is not None:
        # Fleet mode: the shared entry holds the envelope as received (read_answer checked it).
        envelope = json.loads(answer.body)
        return CallOutcome(
            value, ctx.attempts, size, envelope=envelope, served_version=_served_version(answer)
        )
    return CallOutcome(value, ctx.attempts, size)


SEND = Stage("send", run)
