"""How long token requests pause after consecutive failures (docs/semantics.md, "Token failures
back off"): after the n-th failure, ``min(max_ms, initial_ms * 2^(n-1))``, drawn uniformly from
``[pause / 2, pause]`` when the retry jitter is ``"full"``, exactly ``pause`` when ``"none"``.
One per token source, so every caller shares it. Same as TypeScript's ``auth/failure-pause.ts``.

Private. Example::

    pause = FailurePause(1_000, 30_000, "none")
    pause.failed(now=10.0)       # 1000.0 (ms)
    pause.remaining_ms(10.25)    # 750.0
"""

from __future__ import annotations

import random
from collections.abc import Callable


class FailurePause:
    """The pause of one token source; times are monotonic seconds, pauses milliseconds.
    ``rng`` draws the jitter in [0, 1) (injected by tests).

    Example: ``FailurePause(1_000, 30_000, "full", rng=lambda: 0.0).failed(0.0) == 500.0``
    """

    __slots__ = ("_failures", "_initial_ms", "_jitter", "_max_ms", "_random", "_until")

    def __init__(
        self,
        initial_ms: float,
        max_ms: float,
        jitter: str,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._initial_ms = initial_ms
        self._max_ms = max_ms
        self._jitter = jitter
        self._random = rng
        self._failures = 0
        self._until = 0.0

    def failed(self, now: float) -> float:
        """Record a failed token request at ``now``; return the pause it starts (ms)."""
        self._failures += 1
        ceiling = float(min(self._max_ms, self._initial_ms * 2.0 ** (self._failures - 1)))
        pause_ms = ceiling if self._jitter == "none" else ceiling / 2 + self._random() * ceiling / 2
        self._until = now + pause_ms / 1000
        return pause_ms

    def succeeded(self) -> None:
        """A token request succeeded: no pause, and the next failure starts from the first."""
        self._failures = 0
        self._until = 0.0

    def remaining_ms(self, now: float) -> float:
        """Milliseconds until a token request may be sent again (0: now)."""
        return max(0.0, (self._until - now) * 1000)

    @property
    def count(self) -> int:
        """Consecutive failures so far."""
        return self._failures
