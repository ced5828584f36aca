"""Stage 7, send: one HTTP attempt. Adds the headers (ids, trace, auth, idempotency, version
pin), emits ``request`` then ``response`` or ``request_error``, repeats the attempt once with a
fresh token after a 401 (an attempt, not a retry), and classifies the answer
(``responses.read_answer``).

Example: the request of attempt 1 of ``predict("fraud-score", …)`` is
``POST {base_url}/models/fraud-score/predict`` with ``X-Request-Id`` and ``Idempotency-Key``.
"""

from __future__ import annotations

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
from . import Stage

_log = logging.getLogger("modelwire")


def _headers(ctx: CallContext, target: Target) -> dict[str, str]:
    headers = dict(ctx.runtime.options.headers)
    headers["X-Request-Id"] = ctx.request_id
    headers["traceparent"] = tracing.traceparent(ctx.trace_id)
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
) -> Generator[Effect, Any, HttpAnswer]:
    """One request/answer pair with its events; returns the ``HttpAnswer``."""
    clock = ctx.runtime.clock
    ctx.attempts += 1
    attempt, method = ctx.attempts, send.method
    if ctx.token is not None:
        send.headers["Authorization"] = "Bearer " + ctx.token
    ctx.emit("request", target, attempt=attempt, method=method, path=path)
    if _log.isEnabledFor(logging.DEBUG):
        _log.debug("%s %s headers=%s", method, send.url, redact_headers(send.headers))
    started = clock.monotonic()
    status: int | None = None
    try:
        answer: HttpAnswer = yield send
        status = answer.status
        return answer
    except ModelwireError as err:  # no complete answer: timeout, connection error, abort, too large
        err.request_id, err.trace_id = ctx.request_id, ctx.trace_id
        # A body refused for size still had a status: that is an answer (semantics.md, Events).
        if err.code == "RESPONSE_TOO_LARGE":
            status = err.http_status
        if status is None:
            latency_ms = (clock.monotonic() - started) * 1000.0
            ctx.emit(
                "request_error", target, attempt=attempt, error_code=err.code, latency_ms=latency_ms
            )
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
    answer = yield from _attempt(ctx, target, send, path)
    if answer.status == 401 and ctx.runtime.refreshable_auth and op.authenticated:
        # One fresh token and one repeat of the attempt (an attempt, not a retry); the wait for
        # the token ends by the call's deadline.
        wait_s = ctx.deadline - ctx.runtime.clock.monotonic()
        try:
            ctx.token = yield RefreshToken(ctx.token, wait_s)
        except (DeadlineExceededError, AuthError) as err:
            # No token (deadline, or TOKEN_UNAVAILABLE): the call ends with the attempts made.
            err.request_id, err.trace_id, err.attempts = ctx.request_id, ctx.trace_id, ctx.attempts
            raise
        answer = yield from _attempt(ctx, target, send, path)
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
        # A 404 to a base URL without /v1 says what to fix (docs/semantics.md, Errors).
        with_hint(err, options.not_found_hint)
        raise
    return CallOutcome(value, ctx.attempts, size)


SEND = Stage("send", run)
