"""Stage 3, fallback (depth 1): when the primary model ends with an open circuit or a breaker
failure (failure table), its backup model is called once through the stages below (its own
retry and breaker), with the same request id and trace id, a new ``Idempotency-Key`` and no
version pin. When the backup fails too, the primary's error is raised with the backup's
attached as ``backup_error``.

Example: ``Client(url, fallbacks={"fraud-score": "fraud-score-backup"})``
"""

from __future__ import annotations

from dataclasses import replace

from ..call import CallContext, Flow, Step, Target
from ..errors import ModelwireError
from ..failures import fallback_reason
from ..result import Fallback
from . import Stage


def run(ctx: CallContext, target: Target, next: Step) -> Flow:  # noqa: A002 - the stage API
    try:
        return (yield from next(ctx, target))
    except ModelwireError as err:
        reason = fallback_reason(err)
        resolve = ctx.runtime.options.fallbacks
        primary = target.model
        if reason is None or resolve is None or primary is None:
            raise
        backup = resolve(primary)
        if not backup or backup == primary:
            raise
        ctx.fallback = Fallback(primary, backup, reason)  # tried, whatever it answers
        ctx.emit("fallback", target, to=backup, reason=reason)
        try:
            outcome = yield from next(ctx, Target.of(ctx.op, backup, None))
        except ModelwireError as backup_err:
            # The caller asked for the primary model: its failure is the one reported.
            err.attempts = ctx.attempts
            err.backup_error = backup_err
            raise err from backup_err
        return replace(outcome, fallback=Fallback(primary, backup, reason))


FALLBACK = Stage("fallback", run)
