"""Stage 6, per-attempt timeout: each attempt gets ``timeout_ms``, clipped to what is left of
the call's ``deadline_ms``. The driver bounds the whole attempt by it, counted from the
attempt's start: connecting, the headers and the whole body (``Send.timeout_s``). A timeout
caused by that clipping is the deadline's, not the model's: it ends the call with
``DeadlineExceededError`` (which the breaker ignores).

Example: ``Client(url, timeout_ms=2_000, deadline_ms=5_000)``
"""

from __future__ import annotations

from dataclasses import replace

from ..call import CallContext, Flow, Step, Target
from ..errors import TimeoutError
from . import Stage
from .retry import deadline_error


def run(ctx: CallContext, target: Target, next: Step) -> Flow:  # noqa: A002 - the stage API
    remaining = ctx.deadline - ctx.runtime.clock.monotonic()
    clipped = remaining < ctx.timeout_s
    attempt = replace(target, timeout_s=remaining if clipped else ctx.timeout_s, clipped=clipped)
    try:
        return (yield from next(ctx, attempt))
    except TimeoutError as err:
        if clipped:
            raise deadline_error(ctx, err) from err
        raise


TIMEOUT = Stage("timeout", run)
