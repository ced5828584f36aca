"""The stages of a call, one module each, outermost first:
cache → coalesce → fallback → retry → breaker → per-attempt timeout → send.

A stage is a generator function ``run(ctx, target, next)`` that yields effects (see
``effects.py``), calls ``next`` (the stages below it) as many times as it decides, and returns
the outcome. ``pipeline.py`` composes them, in that order and nowhere else.

Example::

    def run(ctx: CallContext, target: Target, next: Step) -> Flow:
        outcome = yield from next(ctx, target)
        return outcome

    LOGGING = Stage("logging", run)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..call import CallContext, Flow, Step, Target

#: A stage's body: the call, the target model, and the rest of the pipeline.
StageRun = Callable[[CallContext, Target, Step], Flow]


@dataclass(frozen=True, slots=True)
class Stage:
    """A named stage (the name is what ``PIPELINE`` order checks and tests read)."""

    name: str
    run: StageRun
