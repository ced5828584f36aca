"""Client options, validated once. Every default comes from the contract's
``x-modelwire-policy`` (generated).

The public option groups (``RetryOptions``, ``BreakerOptions``, ``CacheOptions``,
``BudgetOptions``) check themselves when built; ``ClientOptions.resolve`` turns what a client's
constructor received into the one resolved, checked object the whole client reads.

Example::

    client = Client(
        "https://gateway/v1",
        retry=RetryOptions(max_retries=4, jitter="none"),
        breaker=BreakerOptions(consecutive_failures=3),
        cache=CacheOptions(ttl_ms=10_000, stale_if_error=True),
    )
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from ._version import __version__
from .auth import Auth, OIDCClientCredentials, StaticToken, TokenProvider, normalize_auth
from .clock import SYSTEM_CLOCK, Clock
from .errors import InvalidInputError
from .events import EventHandler
from .generated.policy import DEFAULT_POLICY

_R = DEFAULT_POLICY.retry
_B = DEFAULT_POLICY.breaker
_C = DEFAULT_POLICY.cache
CLIENT_NAME = f"modelwire-python/{__version__}"

Fallbacks = Mapping[str, str] | Callable[[str], "str | None"] | None


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
    """Retries: which statuses, how many, how long to wait (``Retry-After`` wins up to its cap).
    Per-attempt timeouts and connection errors are always retried (docs/semantics.md).

    Example: ``RetryOptions(max_retries=0)`` disables retries.
    """

    max_retries: int = _R.max_retries
    retry_on_status: tuple[int, ...] = _R.retry_on_status
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
    """The breaker per (model, pinned version). Half-open lets exactly one trial through.

    Example: ``BreakerOptions(consecutive_failures=3, reset_timeout_ms=10_000)``
    """

    consecutive_failures: int = _B.consecutive_failures
    reset_timeout_ms: float = _B.reset_timeout_ms

    def __post_init__(self) -> None:
        if self.consecutive_failures < 1:
            raise _invalid("breaker.consecutive_failures must be >= 1")


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


@dataclass(frozen=True)
class ClientOptions:
    """Everything a client was configured with, resolved (defaults applied) and checked once.

    Example: ``ClientOptions.resolve("http://127.0.0.1:4010/v1").timeout_s == 10.0``
    """

    base_url: str
    auth: StaticToken | TokenProvider | OIDCClientCredentials | None
    fallbacks: Callable[[str], str | None] | None
    retry: RetryOptions
    breaker: BreakerOptions | None
    cache: CacheOptions | None
    timeout_s: float
    deadline_s: float
    min_confidence: float | None
    on_event: EventHandler | None
    cache_scope: str | None
    clock: Clock
    max_input_bytes: int
    max_response_bytes: int
    max_json_depth: int
    headers: Mapping[str, str]

    @classmethod
    def resolve(
        cls,
        base_url: str,
        *,
        auth: Auth = None,
        fallbacks: Fallbacks = None,
        retry: RetryOptions | None = None,
        breaker: BreakerOptions | Literal[False] | None = None,
        cache: CacheOptions | bool = True,
        timeout_ms: float | None = None,
        deadline_ms: float | None = None,
        min_confidence: float | None = None,
        on_event: EventHandler | None = None,
        cache_scope: str | None = None,
        clock: Clock | None = None,
        max_input_bytes: int | None = None,
        max_response_bytes: int | None = None,
        max_json_depth: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> ClientOptions:
        """Apply the contract's defaults and reject wrong options (``INVALID_OPTIONS``)."""
        if not base_url or not base_url.startswith(("http://", "https://")):
            raise _invalid(
                f"base_url must be an http(s) URL such as http://host/v1, got {base_url!r}"
            )
        timeout = timeout_ms if timeout_ms is not None else DEFAULT_POLICY.timeout_ms
        deadline = deadline_ms if deadline_ms is not None else DEFAULT_POLICY.deadline_ms
        if timeout <= 0 or deadline <= 0:
            raise _invalid("timeout_ms and deadline_ms must be > 0")
        limits = _response_limits(max_response_bytes, max_json_depth)
        if min_confidence is not None and not 0 <= min_confidence <= 1:
            raise _invalid(f"min_confidence must be within [0, 1], got {min_confidence}")
        return cls(
            base_url=base_url.rstrip("/"),
            auth=normalize_auth(auth),
            fallbacks=_fallback_resolver(fallbacks),
            retry=retry or RetryOptions(),
            breaker=None if breaker is False else breaker or BreakerOptions(),
            cache=CacheOptions() if cache is True else cache or None,
            timeout_s=timeout / 1000,
            deadline_s=deadline / 1000,
            min_confidence=min_confidence,
            on_event=on_event,
            cache_scope=cache_scope,
            clock=clock or SYSTEM_CLOCK,
            max_input_bytes=(
                max_input_bytes if max_input_bytes is not None else DEFAULT_POLICY.max_input_bytes
            ),
            max_response_bytes=limits[0],
            max_json_depth=limits[1],
            # No compression asked for (docs/semantics.md, Response limits).
            headers={
                "Accept": "application/json",
                "Accept-Encoding": "identity",
                "User-Agent": CLIENT_NAME,
                **(headers or {}),
            },
        )


def _response_limits(max_bytes: int | None, max_depth: int | None) -> tuple[int, int]:
    """``max_response_bytes`` and ``max_json_depth``, defaults from the contract, checked."""
    size = max_bytes if max_bytes is not None else DEFAULT_POLICY.max_response_bytes
    depth = max_depth if max_depth is not None else DEFAULT_POLICY.max_json_depth
    if size < 1 or depth < 1:
        raise _invalid("max_response_bytes and max_json_depth must be >= 1")
    return size, depth


def _fallback_resolver(fallbacks: Fallbacks) -> Callable[[str], str | None] | None:
    if fallbacks is None:
        return None
    if isinstance(fallbacks, Mapping):
        return dict(fallbacks).get
    if callable(fallbacks):
        return fallbacks
    raise _invalid("fallbacks must be a mapping {model: backup} or a function")
