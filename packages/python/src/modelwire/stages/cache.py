"""Stage 1, cache: answers a predict call from the credential-scoped cache (``cache_hit``),
stores successes (never a backup's answer under the primary's key), and, with
``stale_if_error``, serves an expired answer when the model failed as the failure table says
a backup may answer (``cache_stale``).

Example: a second identical ``predict`` within ``ttl_ms`` returns ``cached=True, attempts=0``.
"""

from __future__ import annotations

from ..call import CallContext, CallOutcome, Flow, Step, Target
from ..errors import ModelwireError
from ..failures import is_fallback_eligible
from . import Stage, fleet_tier


def run(ctx: CallContext, target: Target, next: Step) -> Flow:  # noqa: A002 - the stage API
    cache = ctx.runtime.cache
    key = ctx.cache_key
    if cache is None or key is None:
        return (yield from next(ctx, target))
    hit = cache.get(key)
    if hit is not None:
        ctx.emit("cache_hit", target, tier="memory")
        return CallOutcome(hit, attempts=0, size=0, cached=True)
    # Fleet mode: the shared cache on Redis is the second level.
    shared = (yield from fleet_tier.lookup(ctx, target, key)) if ctx.runtime.fleet else None
    if shared is not None and shared.verdict == "fresh":
        found = shared.outcome
        cache.put(key, found.value, found.size, shared.age_s)
        ctx.emit("cache_hit", target, tier="redis")
        return found
    ctx.emit("cache_miss", target)
    try:
        outcome = yield from next(ctx, target)
    except ModelwireError as err:
        options = ctx.runtime.options.cache
        stale_if_error = options is not None and options.stale_if_error
        stale = cache.get_stale(key) if stale_if_error and is_fallback_eligible(err) else None
        if stale is None and shared is not None and stale_if_error and is_fallback_eligible(err):
            stale = shared.outcome.value  # an expired shared entry Redis still keeps
        if stale is None:
            raise
        ctx.emit("cache_stale", target)
        return CallOutcome(stale, attempts=err.attempts, size=0, cached=True, stale=True)
    if outcome.fallback is None and not outcome.stale:
        cache.put(key, outcome.value, outcome.size)
    return outcome


CACHE = Stage("cache", run)
