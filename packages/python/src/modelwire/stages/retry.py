"""Stage 4, retry: repeats a failed attempt when the failure table says it is retryable, up to
``max_retries``, waiting the backoff (or a valid ``Retry-After``), within the call's
``deadline_ms`` and the client's retry budget. Emits ``retry`` before each wait.

Example: ``RetryOptions(max_retries=2, jitter="none")`` → delays 100 ms, 200 ms.
"""

from __future__ import annotations

from ..call import CallContext, Flow, Step, Target
from ..effects import Sleep
from ..errors import DeadlineExceededError, ModelwireError
from ..failures import is_retryable
from ..retry import backoff_delay_ms
from . import Stage


def deadline_error(ctx: CallContext, last: ModelwireError | None) -> DeadlineExceededError:
    """The error of a call whose ``deadline_ms`` ran out (the last error as its cause)."""
    err = DeadlineExceededError(
        "the call's deadline_ms ran out before the model answered; raise deadline_ms or check "
        "the model's health",
        request_id=ctx.request_id,
        trace_id=ctx.trace_id,
        attempts=ctx.attempts,
    )
    err.__cause__ = last
    return err


def _delay_ms(ctx: CallContext, err: ModelwireError, retry_number: int) -> float | None:
    """The wait before retry ``retry_number``; None: give up and raise ``err`` now."""
    retry = ctx.runtime.options.retry
    remaining_ms = (ctx.deadline - ctx.runtime.clock.monotonic()) * 1000.0
    if err.retry_after_ms is not None:
        # Waiting longer than the cap or the deadline is pointless: say how long to wait.
        if err.retry_after_ms > retry.retry_after_cap_ms or err.retry_after_ms > remaining_ms:
            return None
        return err.retry_after_ms
    delay_ms = backoff_delay_ms(
        retry_number,
        initial_ms=retry.backoff_initial_ms,
        multiplier=retry.backoff_multiplier,
        max_ms=retry.backoff_max_ms,
        jitter=retry.jitter,
    )
    if delay_ms >= remaining_ms:
        raise deadline_error(ctx, err) from err
    return delay_ms


def run(ctx: CallContext, target: Target, next: Step) -> Flow:  # noqa: A002 - the stage API
    runtime = ctx.runtime
    retry = runtime.options.retry
    budget = runtime.budget
    retry_number = 0
    last: ModelwireError | None = None
    while True:
        if runtime.clock.monotonic() >= ctx.deadline:
            raise deadline_error(ctx, last)
        try:
            outcome = yield from next(ctx, target)
        except DeadlineExceededError:
            raise
        except ModelwireError as err:
            err.attempts = ctx.attempts
            last = err
            if not is_retryable(err, retry.retry_on_status) or retry_number >= retry.max_retries:
                raise
            retry_number += 1
            delay_ms = _delay_ms(ctx, err, retry_number)
            if delay_ms is None:
                raise
            if budget is not None and not budget.try_spend():
                raise  # budget empty: stop the retry storm, surface the last error
            ctx.emit("retry", target, attempt=ctx.attempts, delay_ms=delay_ms, error_code=err.code)
            if delay_ms > 0:
                yield Sleep(delay_ms / 1000.0)
            continue
        if budget is not None:
            budget.refill()  # a successful attempt
        return outcome


RETRY = Stage("retry", run)
