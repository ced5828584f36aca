"""Client options. Every default comes from the contract's ``x-modelwire-policy`` (generated).

Example::

    client = Client(
        "https://gateway/v1",
        retry=RetryOptions(max_retries=4, jitter="none"),
        breaker=BreakerOptions(consecutive_failures=3),
        cache=CacheOptions(ttl_ms=10_000, stale_if_error=True),
    )
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import InvalidInputError
from .generated.policy import DEFAULT_POLICY

_R = DEFAULT_POLICY.retry
_B = DEFAULT_POLICY.breaker
_C = DEFAULT_POLICY.cache


def _invalid(message: str) -> InvalidInputError:
    return InvalidInputError(message, code="INVALID_OPTIONS")


@dataclass(frozen=True)
class BudgetOptions:
    """Per-client retry budget (token bucket). Pass ``budget=None`` in ``RetryOptions`` to disable.

    Example: ``BudgetOptions(max_tokens=20)``
    """

    max_tokens: float = _R.budget.max_tokens
    retry_cost: float = _R.budget.retry_cost
    success_refill: float = _R.budget.success_refill


@dataclass(frozen=True)
class RetryOptions:
    """Retries: which failures, how many, how long to wait (``Retry-After`` wins up to its cap).

    Example: ``RetryOptions(max_retries=0)`` disables retries.
    """

    max_retries: int = _R.max_retries
    retry_on_status: tuple[int, ...] = _R.retry_on_status
    retry_on_timeout: bool = _R.retry_on_timeout
    retry_on_connection_error: bool = _R.retry_on_connection_error
    backoff_initial_ms: float = _R.backoff_initial_ms
    backoff_multiplier: float = _R.backoff_multiplier
    backoff_max_ms: float = _R.backoff_max_ms
    jitter: str = _R.jitter
    retry_after_cap_ms: float = _R.retry_after_cap_ms
    budget: BudgetOptions | None = field(default_factory=BudgetOptions)

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise _invalid(f"retry.max_retries must be >= 0, got {self.max_retries}")
        if self.jitter not in ("full", "none"):
            raise _invalid(f"retry.jitter must be 'full' or 'none', got {self.jitter!r}")
        if self.backoff_initial_ms < 0 or self.backoff_max_ms < 0:
            raise _invalid("retry backoff durations must be >= 0")


@dataclass(frozen=True)
class BreakerOptions:
    """The breaker per (model, pinned version).

    Example: ``BreakerOptions(consecutive_failures=3, reset_timeout_ms=10_000)``
    """

    consecutive_failures: int = _B.consecutive_failures
    reset_timeout_ms: float = _B.reset_timeout_ms
    half_open_max_calls: int = _B.half_open_max_calls

    def __post_init__(self) -> None:
        if self.consecutive_failures < 1:
            raise _invalid("breaker.consecutive_failures must be >= 1")
        if self.half_open_max_calls < 1:
            raise _invalid("breaker.half_open_max_calls must be >= 1")


@dataclass(frozen=True)
class CacheOptions:
    """The prediction cache. Pass ``cache=False`` to the client to turn it (and coalescing) off.

    Example: ``CacheOptions(ttl_ms=5_000, max_entries=100, stale_if_error=True)``
    """

    ttl_ms: float = _C.ttl_ms
    max_entries: int = _C.max_entries
    max_bytes: int = _C.max_bytes
    stale_if_error: bool = _C.stale_if_error

    def __post_init__(self) -> None:
        if self.ttl_ms < 0 or self.max_entries < 0 or self.max_bytes < 0:
            raise _invalid("cache ttl_ms, max_entries and max_bytes must be >= 0")
