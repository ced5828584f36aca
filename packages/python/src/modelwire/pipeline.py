"""THE order of the stages of a call, declared once, and their composition:
cache → coalesce → fallback → retry → breaker → per-attempt timeout → send.

``PIPELINE`` holds the stages themselves; ``OPERATION_STAGES`` says which of them each kind of
operation runs (a subsequence, in that order); ``compose`` chains them into one generator
function (``Step``) that the twins' drivers run.

Example::

    [stage.name for stage in PIPELINE]
    # ['cache', 'coalesce', 'fallback', 'retry', 'breaker', 'timeout', 'send']
    outcome = yield from STEPS["predict"](ctx, target)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .call import CallContext, Flow, Step, Target
from .stages import Stage
from .stages.breaker import BREAKER
from .stages.cache import CACHE
from .stages.coalesce import COALESCE
from .stages.fallback import FALLBACK
from .stages.retry import RETRY
from .stages.send import SEND
from .stages.timeout import TIMEOUT

#: The stages of every call, outermost first. Change the order here and nowhere else.
PIPELINE: tuple[Stage, ...] = (CACHE, COALESCE, FALLBACK, RETRY, BREAKER, TIMEOUT, SEND)

#: The stages each kind of operation runs (docs/semantics.md, Pipeline order): predictions all of
#: them; job submissions retry behind their model's breaker; every other call only retries.
OPERATION_STAGES: Mapping[str, tuple[Stage, ...]] = {
    "predict": PIPELINE,
    "submit_job": (RETRY, BREAKER, TIMEOUT, SEND),
    "read": (RETRY, TIMEOUT, SEND),
}


def _end(ctx: CallContext, target: Target) -> Flow:
    raise AssertionError("the send stage is the end of every pipeline")  # pragma: no cover


def _bind(stage: Stage, rest: Step) -> Step:
    def step(ctx: CallContext, target: Target) -> Flow:
        return stage.run(ctx, target, rest)

    return step


def compose(stages: Sequence[Stage]) -> Step:
    """Chain ``stages`` (a subsequence of ``PIPELINE`` ending with send) into one ``Step``.

    Example: ``compose((RETRY, TIMEOUT, SEND))(ctx, target)`` is a generator of effects.
    """
    names = [stage.name for stage in PIPELINE]
    order = [names.index(stage.name) if stage.name in names else -1 for stage in stages]
    if order != sorted(set(order)) or -1 in order or not stages or stages[-1].name != SEND.name:
        raise ValueError(f"stages out of order; the order is {' → '.join(names)}")
    step: Step = _end
    for stage in reversed(stages):
        step = _bind(stage, step)
    return step


#: The composed pipeline of each kind of operation (built once).
STEPS: Mapping[str, Step] = {kind: compose(stages) for kind, stages in OPERATION_STAGES.items()}
