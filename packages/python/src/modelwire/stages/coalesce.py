"""Stage 2, coalesce: identical predict calls in flight (same cache key) share one upstream
call. The stage only asks for it (a ``Share`` effect); each twin's coalescer performs it with
its own concurrency (threads or tasks), and every caller keeps its own abort signal and
deadline. A caller that joins a call in flight emits ``coalesced`` (after its ``cache_miss``)
and sees no attempt events of its own.

Example: three identical concurrent ``predict`` calls send one request; all get its answer.
"""

from __future__ import annotations

from typing import Any

from ..call import CallContext, CallOutcome, Flow, Step, Target
from ..effects import Share
from . import Stage, fleet_tier

#: Extra time a caller waits for a shared call past its own deadline (the shared call's own
#: deadline error, with its details, then wins over the waiter's generic one).
WAIT_GRACE_S = 0.05


def _joined(ctx: CallContext, target: Target) -> None:
    ctx.coalesced = True  # a follower: no attempts of its own
    ctx.emit("coalesced", target, tier="memory")


def _start(ctx: CallContext, target: Target, key: str, next: Step) -> Flow:  # noqa: A002
    if ctx.runtime.fleet is not None:
        # Fleet mode: across instances too, one of them calls upstream.
        return fleet_tier.coalesce(ctx, target, key, next)
    return next(ctx, target)


def run(ctx: CallContext, target: Target, next: Step) -> Flow:  # noqa: A002 - the stage API
    key = ctx.cache_key
    if key is None:
        return (yield from next(ctx, target))
    wait_s = ctx.deadline - ctx.runtime.clock.monotonic() + WAIT_GRACE_S
    outcome: CallOutcome[Any] = yield Share(
        key,
        start=lambda: _start(ctx, target, key, next),
        on_join=lambda: _joined(ctx, target),
        wait_s=wait_s,
    )
    return outcome


COALESCE = Stage("coalesce", run)
