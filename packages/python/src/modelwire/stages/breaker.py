"""Stage 5, breaker: one breaker per (model, pinned version) sees every attempt. An open
breaker fails the attempt fast (``CircuitOpenError``, nothing sent); otherwise the attempt's
outcome is recorded as the failure table's verdict (success, failure or ignored), also when the
attempt is abandoned (the caller left: ignored).

Example: ``BreakerOptions(consecutive_failures=5, reset_timeout_ms=30_000)``
"""

from __future__ import annotations

from ..breaker import Outcome
from ..call import CallContext, Flow, Step, Target
from ..errors import CircuitOpenError, ModelwireError
from ..failures import breaker_verdict
from . import Stage


def run(ctx: CallContext, target: Target, next: Step) -> Flow:  # noqa: A002 - the stage API
    breaker = ctx.runtime.breaker(target.model, target.version)
    if breaker is None:
        return (yield from next(ctx, target))
    hints = ctx.runtime.hints
    if hints is not None and target.model is not None and breaker.state == "closed":
        # Fleet mode: a quorum of other instances may open this closed breaker (read in the
        # background, at most once a second: this attempt does not wait for it).
        model, version, runtime = target.model, target.version, ctx.runtime
        hints.check(model, version, lambda: runtime.trip(model, version))
    try:
        trial = breaker.acquire()  # emits breaker_half_open when this attempt is the trial
    except CircuitOpenError as err:
        err.request_id, err.trace_id = ctx.request_id, ctx.trace_id
        raise
    outcome: Outcome = "ignored"  # also when the generator is closed mid-attempt
    try:
        result = yield from next(ctx, target)
        outcome = "success"
        return result
    except ModelwireError as err:
        outcome = breaker_verdict(err)
        raise
    finally:
        breaker.record(outcome, trial)


BREAKER = Stage("breaker", run)
