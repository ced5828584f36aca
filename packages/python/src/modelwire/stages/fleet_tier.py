"""Fleet mode's part of the cache and coalesce stages (docs/semantics.md, "Fleet mode (Redis)"):
the shared cache on Redis as the second level (``lookup``), and fleet coalescing (``coalesce``:
the instance that takes the key's lock calls upstream and writes the entry; the others wait for
it and call upstream themselves when the lock goes without an entry or their deadline nears).

An entry's envelope is read by the same reader as a response body (tolerant reader, depth
limit, read-only result), so an entry planted by anyone with write access to Redis can at worst
be ignored, never crash a call.

Example: ``found = yield from lookup(ctx, target, key)`` (None on a miss)
"""

from __future__ import annotations

import json
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from ..call import CallContext, CallOutcome, Flow, Step, Target
from ..effects import Effect, HttpAnswer, RedisOp, Sleep
from ..errors import ModelwireError
from ..fleet import UNAVAILABLE, encode_entry, op, read_entry
from ..responses import read_answer

#: How often a waiter looks for the entry of the instance that holds the lock.
POLL_S = 0.010


@dataclass(slots=True)
class Found:
    """A shared entry turned back into an answer: ``fresh`` or ``expired``, and its age."""

    verdict: str
    outcome: CallOutcome[Any]
    age_s: float


def lookup(ctx: CallContext, target: Target, key: str) -> Generator[Effect, Any, Found | None]:
    """The shared entry of ``key`` judged for this call, or None (miss, Redis trouble, an
    ignored entry: ``fleet_entry_rejected``, or an envelope the reader refuses)."""
    runtime = ctx.runtime
    fleet = runtime.fleet
    model = ctx.op.model
    if fleet is None or model is None:
        return None
    text = yield RedisOp([op("get", fleet.cache_key(key))])
    if text is UNAVAILABLE or text is None:
        return None
    now_ms = runtime.clock.time() * 1000
    verdict = read_entry(
        text, now_ms=now_ms, model=model, version=ctx.op.version, hmac_key=fleet.fleet.hmac_key
    )
    entry = verdict.entry
    if entry is None:
        ctx.emit("fleet_entry_rejected", target, reason=verdict.reason)
        return None
    served = entry["served_version"]
    headers = {"X-Model-Version": served} if served is not None else {}
    body = json.dumps(entry["envelope"], ensure_ascii=False).encode()
    try:
        value, size = read_answer(
            ctx.op,
            HttpAnswer(200, headers, body),
            model,
            request_id=entry["request_id"],
            trace_id=ctx.trace_id,
            now=runtime.clock.time(),
            max_json_depth=runtime.options.max_json_depth,
        )
    except ModelwireError:
        return None
    age_s = max(0.0, now_ms - entry["stored_at_ms"]) / 1000
    outcome: CallOutcome[Any] = CallOutcome(value, attempts=0, size=size, cached=True)
    return Found(verdict.verdict, outcome, age_s)


def coalesce(ctx: CallContext, target: Target, key: str, next: Step) -> Flow:  # noqa: A002
    """Fleet coalescing: take ``SET <prefix>:lock:<key> <instance> NX PX <min(deadline left,
    timeout)>``; the holder calls upstream and writes the entry, then releases the lock; a
    waiter polls every 10 ms for the entry, looks once more when the lock goes, and calls
    upstream itself when the lock goes without an entry or less than its reserve is left (one
    per-attempt timeout, or half the time it had when it started waiting if that is less, but
    never less than one poll and its two Redis operations). Redis trouble: call upstream."""
    runtime = ctx.runtime
    fleet = runtime.fleet
    clock = runtime.clock
    if fleet is None:
        return (yield from next(ctx, target))
    lock_key = fleet.lock_key(key)
    lock_ms = int(min(ctx.deadline - clock.monotonic(), ctx.timeout_s) * 1000)
    locked: Any = UNAVAILABLE
    if lock_ms > 0:
        locked = yield RedisOp([op("set", lock_key, fleet.instance_id, px=lock_ms, nx=True)])
    if locked is not None:  # True: ours; UNAVAILABLE: Redis cannot say, everyone calls
        return (yield from _lead(ctx, target, key, next, holds_lock=locked is True))
    # A deadline shorter than the attempt timeout still waits, for half of what it has.
    reserve_s = max(
        min(ctx.timeout_s, (ctx.deadline - clock.monotonic()) / 2),
        # one more round (a poll, a lookup, a lock check) must not eat the rest of the deadline
        POLL_S + 2 * fleet.op_timeout_s,
    )
    while True:
        # Too little time left to keep waiting: call upstream with what remains.
        if ctx.deadline - clock.monotonic() <= reserve_s:
            return (yield from _lead(ctx, target, key, next, holds_lock=False))
        yield Sleep(POLL_S)
        found = yield from _joined(ctx, target, key)
        if found is not None:
            return found
        holder = yield RedisOp([op("get", lock_key)])
        if holder is UNAVAILABLE or holder is None:
            # The holder writes the entry before releasing the lock: look once more.
            found = yield from _joined(ctx, target, key)
            if found is not None:
                return found
            return (yield from _lead(ctx, target, key, next, holds_lock=False))


def _joined(
    ctx: CallContext, target: Target, key: str
) -> Generator[Effect, Any, CallOutcome[Any] | None]:
    found = yield from lookup(ctx, target, key)
    if found is None or found.verdict != "fresh":
        return None
    ctx.coalesced = True
    ctx.emit("coalesced", target, tier="redis")
    return found.outcome


def _lead(ctx: CallContext, target: Target, key: str, next: Step, *, holds_lock: bool) -> Flow:  # noqa: A002
    fleet = ctx.runtime.fleet
    io = ctx.runtime.fleet_io
    assert fleet is not None
    lock_key = fleet.lock_key(key)
    unlock = [op("delete", lock_key)] if holds_lock else []
    try:
        outcome = yield from next(ctx, target)
    except BaseException:
        # Waiters stop waiting for an entry that will not come.
        if unlock and io is not None:
            io.background(unlock, _ignore)
        raise
    envelope = outcome.envelope
    model = ctx.op.model
    # Fallback (and stale) answers are never shared under the primary's key.
    if outcome.fallback is None and not outcome.stale and envelope is not None and model:
        cache = ctx.runtime.options.cache
        ttl_ms = cache.ttl_ms if cache is not None else 0
        stale_if_error = cache is not None and cache.stale_if_error
        request_id = envelope.get("request_id")
        fields = {
            "v": 1,
            "model": model,
            "version": ctx.op.version,
            "stored_at_ms": int(ctx.runtime.clock.time() * 1000),
            "ttl_ms": _int(ttl_ms),
            "served_version": outcome.served_version,
            "request_id": request_id if isinstance(request_id, str) else ctx.request_id,
            "envelope": envelope,
        }
        try:
            entry = encode_entry(fields, fleet.fleet.hmac_key)
        except ModelwireError:
            entry = None  # an envelope canonical JSON refuses is not shared
        if entry is not None:
            px = max(1, int(ttl_ms + (fleet.fleet.stale_window_ms if stale_if_error else 0)))
            if io is not None:
                io.background([op("set", fleet.cache_key(key), entry, px=px), *unlock], _ignore)
            return outcome
    if unlock and io is not None:
        io.background(unlock, _ignore)
    return outcome


def _int(value: float) -> float:
    return int(value) if float(value).is_integer() else value


def _ignore(_reply: Any) -> None:
    return None
