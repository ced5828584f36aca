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
from typing import Any, Literal

from . import option_rules as rules
from ._version import __version__
from .auth import Auth, OIDCClientCredentials, StaticToken, TokenProvider, normalize_auth
from .base_url_hint import not_found_hint
from .clock import SYSTEM_CLOCK, Clock
from .events import EventHandler
from .fleet import Fleet
from .generated.policy import DEFAULT_POLICY

_R = DEFAULT_POLICY.retry
_B = DEFAULT_POLICY.breaker
_C = DEFAULT_POLICY.cache
CLIENT_NAME = f"modelwire-python/{__version__}"

Fallbacks = Mapping[str, str] | Callable[[str], "str | None"] | None


@dataclass(frozen=True)
class BudgetOptions:
    """Per-client retry budget (token bucket). Pass ``budget=None`` in ``RetryOptions`` to disable.

    Example: ``BudgetOptions(max_tokens=20)``
    """

    max_tokens: float = _R.budget.max_tokens
    """The bucket's size and starting level."""
    retry_cost: float = _R.budget.retry_cost
    """Tokens one retry takes; a retry is made only when the bucket holds that many."""
    success_refill: float = _R.budget.success_refill
    """Tokens each successful attempt adds back (up to ``max_tokens``)."""

    def __post_init__(self) -> None:
        rules.non_negative("retry.budget.max_tokens", self.max_tokens)
        rules.non_negative("retry.budget.retry_cost", self.retry_cost)
        rules.non_negative("retry.budget.success_refill", self.success_refill)


@dataclass(frozen=True)
class RetryOptions:
    """Retries: which statuses, how many, how long to wait (``Retry-After`` wins up to its cap).
    Per-attempt timeouts and connection errors are always retried (docs/semantics.md).

    Example: ``RetryOptions(max_retries=0)`` disables retries.
    """

    max_retries: int = _R.max_retries
    """Retries after the first attempt (0 disables retries)."""
    retry_on_status: tuple[int, ...] = _R.retry_on_status
    """The HTTP statuses that are retried."""
    backoff_initial_ms: float = _R.backoff_initial_ms
    """The delay before the first retry."""
    backoff_multiplier: float = _R.backoff_multiplier
    """How much each next delay grows (≥ 1)."""
    backoff_max_ms: float = _R.backoff_max_ms
    """The longest backoff delay."""
    jitter: str = _R.jitter
    """``"full"`` (a uniform random delay up to the backoff) or ``"none"`` (exactly it)."""
    retry_after_cap_ms: float = _R.retry_after_cap_ms
    """Above it, a ``Retry-After`` is not waited for: the call fails at once."""
    budget: BudgetOptions | None = field(default_factory=BudgetOptions)
    """The client's retry budget, or None for no budget."""

    def __post_init__(self) -> None:
        rules.count("retry.max_retries", self.max_retries)
        if self.jitter not in ("full", "none"):
            raise rules.invalid_option("retry.jitter", "'full' or 'none'", self.jitter)
        rules.non_negative("retry.backoff_initial_ms", self.backoff_initial_ms)
        rules.non_negative("retry.backoff_multiplier", self.backoff_multiplier, minimum=1)
        rules.non_negative("retry.backoff_max_ms", self.backoff_max_ms)
        rules.non_negative("retry.retry_after_cap_ms", self.retry_after_cap_ms)
        if not isinstance(self.retry_on_status, (tuple, list, frozenset, set)) or not all(
            isinstance(s, int) and not isinstance(s, bool) for s in self.retry_on_status
        ):
            raise rules.invalid_option(
                "retry.retry_on_status", "a tuple of HTTP statuses", self.retry_on_status
            )
        if self.budget is not None and not isinstance(self.budget, BudgetOptions):
            raise rules.invalid_option("retry.budget", "BudgetOptions or None", self.budget)


@dataclass(frozen=True)
class BreakerOptions:
    """The breaker per (model, pinned version). Half-open lets exactly one trial through.

    Example: ``BreakerOptions(consecutive_failures=3, reset_timeout_ms=10_000)``
    """

    consecutive_failures: int = _B.consecutive_failures
    """Failures in a row (5xx, timeout, connection error) that open it."""
    reset_timeout_ms: float = _B.reset_timeout_ms
    """How long it stays open before one half-open trial."""

    def __post_init__(self) -> None:
        rules.count("breaker.consecutive_failures", self.consecutive_failures, minimum=1)
        rules.positive_ms("breaker.reset_timeout_ms", self.reset_timeout_ms)


@dataclass(frozen=True)
class CacheOptions:
    """The prediction cache. Pass ``cache=False`` to the client to turn it (and coalescing) off.

    Example: ``CacheOptions(ttl_ms=5_000, max_entries=100, stale_if_error=True)``
    """

    ttl_ms: float = _C.ttl_ms
    """How long an answer is served from the cache."""
    max_entries: int = _C.max_entries
    """The most answers kept."""
    max_bytes: int = _C.max_bytes
    """The most bytes of answers kept (the stored JSON's length)."""
    stale_if_error: bool = _C.stale_if_error
    """Serve an expired answer (``stale=True``) when the call fails and no backup answers."""

    def __post_init__(self) -> None:
        rules.non_negative("cache.ttl_ms", self.ttl_ms)
        rules.count("cache.max_entries", self.max_entries)
        rules.count("cache.max_bytes", self.max_bytes)


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
    #: OpenTelemetry (docs/semantics.md, Telemetry): False turns spans and metrics off; the
    #: explicit providers (None: the globals) win over the globals.
    telemetry: bool = True
    tracer_provider: Any = None
    meter_provider: Any = None
    #: Fleet mode (docs/semantics.md, "Fleet mode (Redis)"); None: off.
    fleet: Fleet | None = None
    #: What a 404 message adds when ``base_url`` does not end in ``/v1`` (None when it does).
    not_found_hint: str | None = None

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
        telemetry: bool = True,
        tracer_provider: Any = None,
        meter_provider: Any = None,
        fleet: Fleet | Mapping[str, Any] | None = None,
    ) -> ClientOptions:
        """Apply the contract's defaults and reject wrong options (``INVALID_OPTIONS``)."""
        url = rules.base_url(base_url)
        timeout = rules.positive_ms(
            "timeout_ms", timeout_ms if timeout_ms is not None else DEFAULT_POLICY.timeout_ms
        )
        deadline = rules.positive_ms(
            "deadline_ms", deadline_ms if deadline_ms is not None else DEFAULT_POLICY.deadline_ms
        )
        input_bytes = rules.count(
            "max_input_bytes",
            max_input_bytes if max_input_bytes is not None else DEFAULT_POLICY.max_input_bytes,
            minimum=1,
        )
        limits = _response_limits(max_response_bytes, max_json_depth)
        if min_confidence is not None:
            rules.non_negative("min_confidence", min_confidence)
            if min_confidence > 1:
                raise rules.invalid_option("min_confidence", "within [0, 1]", min_confidence)
        _check_kinds(retry, breaker, cache, cache_scope, on_event)
        if not isinstance(telemetry, bool):
            raise rules.invalid_option("telemetry", "True or False", telemetry)
        return cls(
            base_url=url,
            not_found_hint=not_found_hint(url),
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
            max_input_bytes=input_bytes,
            max_response_bytes=limits[0],
            max_json_depth=limits[1],
            # No compression asked for (docs/semantics.md, Response limits).
            headers={
                "Accept": "application/json",
                "Accept-Encoding": "identity",
                "User-Agent": CLIENT_NAME,
                **(headers or {}),
            },
            telemetry=telemetry,
            tracer_provider=tracer_provider,
            meter_provider=meter_provider,
            fleet=_fleet(fleet),
        )


def _fleet(fleet: Fleet | Mapping[str, Any] | None) -> Fleet | None:
    """The ``fleet`` option: a ``Fleet`` or a mapping of its fields (checked), None = off."""
    if fleet is None or isinstance(fleet, Fleet):
        return fleet
    if isinstance(fleet, Mapping):
        try:
            return Fleet(**fleet)
        except TypeError as err:
            raise rules.invalid_option("fleet", "Fleet(redis=…, …) fields", str(err)) from None
    raise rules.invalid_option("fleet", "a Fleet (or a mapping of its fields)", fleet)


def _response_limits(max_bytes: int | None, max_depth: int | None) -> tuple[int, int]:
    """``max_response_bytes`` and ``max_json_depth``, defaults from the contract, checked."""
    size = max_bytes if max_bytes is not None else DEFAULT_POLICY.max_response_bytes
    depth = max_depth if max_depth is not None else DEFAULT_POLICY.max_json_depth
    return (
        rules.count("max_response_bytes", size, minimum=1),
        rules.count("max_json_depth", depth, minimum=1),
    )


def _check_kinds(
    retry: object, breaker: object, cache: object, cache_scope: object, on_event: object
) -> None:
    """The option groups are their option classes (a dict where ``RetryOptions`` belongs would
    fail later, mid-call)."""
    if retry is not None and not isinstance(retry, RetryOptions):
        raise rules.invalid_option("retry", "RetryOptions or None", retry)
    if breaker not in (None, False) and not isinstance(breaker, BreakerOptions):
        raise rules.invalid_option("breaker", "BreakerOptions, False or None", breaker)
    if not isinstance(cache, (bool, CacheOptions)):
        raise rules.invalid_option("cache", "CacheOptions, True or False", cache)
    if cache_scope is not None and not isinstance(cache_scope, str):
        raise rules.invalid_option("cache_scope", "a string or None", cache_scope)
    if on_event is not None and not callable(on_event):
        raise rules.invalid_option("on_event", "a function or None", on_event)


def _fallback_resolver(fallbacks: Fallbacks) -> Callable[[str], str | None] | None:
    if fallbacks is None:
        return None
    if isinstance(fallbacks, Mapping):
        return dict(fallbacks).get
    if callable(fallbacks):
        return fallbacks
    raise rules.invalid_option("fallbacks", "a mapping {model: backup} or a function", fallbacks)
