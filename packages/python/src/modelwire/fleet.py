"""Fleet mode (docs/semantics.md, "Fleet mode (Redis)"): the shared cache on Redis as the second
level, fleet-wide coalescing and breaker hints with a quorum, over the application's own
redis-py client (``redis.Redis``, ``redis.asyncio.Redis`` or a ``RedisCluster``; every
operation touches one key). The SDK never connects, closes or configures that client.

This module holds what the twins share: the ``Fleet`` option, the entry format (pinned by
``test/vectors/fleet-entries.json``), the Redis side's own small breaker (3 failures → 5 s
local-only, then one trial) and the breaker hints. The Redis I/O itself is the driver's
(``fleet_io.py``): the stages ask for it with the ``RedisOp`` effect.

Example::

    import redis
    fleet = Fleet(redis=redis.Redis(), hmac_key="at least 16 characters of secret")
    client = Client("https://gw/v1", fleet=fleet)
"""

from __future__ import annotations

import hmac
import json
import re
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from hashlib import sha256
from typing import Any, Literal

from . import option_rules as rules
from .canonical import canonical_json
from .events import Event

#: After this many consecutive Redis failures the client runs local-only for ``PAUSE_S``.
FAILURES_TO_PAUSE = 3
PAUSE_S = 5.0
#: How often (at most) an instance reads the fleet's open reports of one breaker.
HINTS_REFRESH_S = 1.0


@dataclass(frozen=True)
class Fleet:
    """Fleet mode's options (off unless given). ``redis`` is the application's redis-py client
    (``redis.Redis`` / ``RedisCluster`` for ``Client``, ``redis.asyncio.Redis`` / its
    ``RedisCluster`` for ``AsyncClient``); the SDK never closes it. ``prefix`` starts every key;
    ``op_timeout_ms`` bounds every Redis operation; ``stale_window_ms`` keeps an entry in Redis
    that long past its TTL (stale-if-error); ``hmac_key`` (≥ 16 characters or bytes)
    authenticates entries; ``quorum`` (≥ 2) other instances must report a breaker open before
    this one opens it; ``instance_id`` names this client (default: a random UUID). An asyncio
    ``RedisCluster`` learns its slots on its first command: ``await cluster.initialize()`` before
    the first call, or that call's Redis lookup runs into ``op_timeout_ms`` (a miss).

    Example: ``Fleet(redis=redis.Redis(host="cache"), prefix="scoring", quorum=3)``
    """

    redis: Any
    prefix: str = "modelwire"
    op_timeout_ms: float = 50
    stale_window_ms: float = 300_000
    hmac_key: str | bytes | None = None
    quorum: int = 3
    instance_id: str | None = None

    def __post_init__(self) -> None:
        redis = self.redis
        if not callable(getattr(redis, "get", None)) or not callable(getattr(redis, "set", None)):
            raise rules.invalid_option("fleet.redis", "a redis-py client", type(redis).__name__)
        if not isinstance(self.prefix, str) or not self.prefix:
            raise rules.invalid_option("fleet.prefix", "a non-empty string", self.prefix)
        rules.positive_ms("fleet.op_timeout_ms", self.op_timeout_ms)
        rules.non_negative("fleet.stale_window_ms", self.stale_window_ms)
        key = self.hmac_key
        if key is not None and (not isinstance(key, (str, bytes)) or len(key) < 16):
            raise rules.invalid_option(
                "fleet.hmac_key", "a string or bytes of at least 16 characters", "(hidden)"
            )
        rules.count("fleet.quorum", self.quorum, minimum=2)
        if self.instance_id is not None and (
            not isinstance(self.instance_id, str) or not self.instance_id
        ):
            raise rules.invalid_option("fleet.instance_id", "a non-empty string", self.instance_id)

    def __repr__(self) -> str:  # never shows the HMAC key
        return (
            f"Fleet(redis={type(self.redis).__name__}, prefix={self.prefix!r}, "
            f"quorum={self.quorum}, instance_id={self.instance_id!r})"
        )


# ---------------------------------------------------------------------------------- entries

Verdict = Literal["fresh", "expired", "ignored"]


@dataclass(frozen=True, slots=True)
class EntryVerdict:
    """How a reader judges an entry: ``fresh``, ``expired`` (stale-if-error may serve it) or
    ``ignored`` with a ``reason`` (never served).

    Example: ``read_entry(text, now_ms=…, model="fraud-score", version=None, hmac_key=None)``
    """

    verdict: Verdict
    entry: Mapping[str, Any] | None = None
    reason: str | None = None


def _key_bytes(key: str | bytes) -> bytes:
    return key.encode() if isinstance(key, str) else key


def _mac(key: str | bytes, text: str) -> str:
    return hmac.new(_key_bytes(key), text.encode(), sha256).hexdigest()


def encode_entry(fields: Mapping[str, Any], hmac_key: str | bytes | None) -> str:
    """The entry as stored in Redis: canonical JSON (RFC 8785), with ``mac`` when entries are
    authenticated (HMAC-SHA256, lowercase hex, over the canonical JSON without ``mac``).

    Example: ``encode_entry({"v": 1, "model": "fraud-score", …}, None)``
    """
    text = canonical_json(dict(fields), max_depth=10_000)
    if hmac_key is None:
        return text
    return canonical_json({**fields, "mac": _mac(hmac_key, text)}, max_depth=10_000)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _optional_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _is_entry(value: Mapping[str, Any]) -> bool:
    return (
        isinstance(value.get("model"), str)
        and "version" in value
        and _optional_text(value["version"])
        and _number(value.get("stored_at_ms"))
        and _number(value.get("ttl_ms"))
        and "served_version" in value
        and _optional_text(value["served_version"])
        and isinstance(value.get("request_id"), str)
        and isinstance(value.get("envelope"), dict)
    )


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def read_entry(
    text: str | bytes,
    *,
    now_ms: float,
    model: str,
    version: str | None,
    hmac_key: str | bytes | None,
) -> EntryVerdict:
    """Judge an entry read from Redis for a call on (``model``, ``version``).

    Example: ``read_entry(text, now_ms=time.time() * 1000, model="m", version=None,
    hmac_key=None).verdict == "fresh"``
    """
    try:
        parsed = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return EntryVerdict("ignored", reason="unparseable")
    if not isinstance(parsed, dict):
        return EntryVerdict("ignored", reason="unparseable")
    v = parsed.get("v")
    if not (_number(v) and v == 1):
        return EntryVerdict("ignored", reason="unknown_version" if _number(v) else "unparseable")
    mac = parsed.pop("mac", None)
    if not _is_entry(parsed):
        return EntryVerdict("ignored", reason="unparseable")
    if hmac_key is not None:
        try:
            want = _mac(hmac_key, canonical_json(parsed, max_depth=10_000))
        except ValueError:  # InvalidInputError: a value canonical JSON refuses
            return EntryVerdict("ignored", reason="unparseable")
        if not isinstance(mac, str) or not hmac.compare_digest(mac, want):
            return EntryVerdict("ignored", reason="bad_mac")
    if parsed["model"] != model:
        return EntryVerdict("ignored", reason="other_model")
    if parsed["version"] != version:
        return EntryVerdict("ignored", reason="other_version")
    fresh = now_ms - parsed["stored_at_ms"] < parsed["ttl_ms"]
    return EntryVerdict("fresh" if fresh else "expired", entry=parsed)


# ------------------------------------------------------------------------- the Redis side


class _Unavailable:
    """What a Redis operation answers when Redis failed, timed out or is paused."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNAVAILABLE"


#: The answer of a Redis operation that did not happen (failure, timeout or pause).
UNAVAILABLE: Any = _Unavailable()

_CREDENTIALS = re.compile(r"//[^/@\s]*@")


def one_line(error: BaseException) -> str:
    """A Redis error's message on one line, without a ``redis://user:pass@`` credential."""
    text = str(error) or type(error).__name__
    return _CREDENTIALS.sub("//", " ".join(text.split()))[:200]


class RedisTimeout(Exception):
    """A Redis operation did not answer within ``op_timeout_ms``."""


class FleetState:
    """The Redis side of one client: its keys, its own small breaker (3 consecutive failures →
    local-only for 5 s, then one trial) and its events. Thread-safe.

    Example: ``state.cache_key("ab12…") == "modelwire:cache:ab12…"``
    """

    def __init__(
        self, fleet: Fleet, monotonic: Callable[[], float], emit: Callable[[Event], None]
    ) -> None:
        self.fleet = fleet
        self.instance_id = fleet.instance_id or str(uuid.uuid4())
        self.op_timeout_s = fleet.op_timeout_ms / 1000
        self._monotonic = monotonic
        self._emit = emit
        self._lock = threading.Lock()
        self._failures = 0
        self._paused_until = float("-inf")
        self._unavailable = False

    def cache_key(self, key: str) -> str:
        return f"{self.fleet.prefix}:cache:{key}"

    def lock_key(self, key: str) -> str:
        return f"{self.fleet.prefix}:lock:{key}"

    def breaker_key(self, model: str, version: str | None) -> str:
        return f"{self.fleet.prefix}:breaker:{model}:{version if version is not None else '-'}"

    def paused(self) -> bool:
        """Whether Redis is not to be used now (its own breaker is open)."""
        return self._monotonic() < self._paused_until

    def succeeded(self) -> None:
        with self._lock:
            self._failures = 0
            back, self._unavailable = self._unavailable, False
        if back:
            self._emit(Event("fleet_available"))

    def failed(self, error: BaseException) -> None:
        with self._lock:
            self._failures += 1
            if self._failures < FAILURES_TO_PAUSE and not self._unavailable:
                return
            self._paused_until = self._monotonic() + PAUSE_S
            first, self._unavailable = not self._unavailable, True
        if first:
            self._emit(Event("fleet_unavailable", reason=one_line(error)))


#: One Redis command: a redis-py method's name, its arguments and keyword arguments.
Op = tuple[str, tuple[Any, ...], dict[str, Any]]


def op(name: str, *args: Any, **kwargs: Any) -> Op:
    """One Redis command. Example: ``op("set", key, entry, px=30_000)``"""
    return (name, args, kwargs)


# -------------------------------------------------------------------------- breaker hints


class BreakerHints:
    """Breaker hints with a quorum: each instance reports the breakers IT opened (never one a
    hint opened, so reports cannot cascade) in ``<prefix>:breaker:<model>:<version or ->``
    scored by the wall time of opening; a closed breaker opens when at least ``quorum`` OTHER
    instances opened theirs within the reset window and since its own last close. Reads run
    in the background (``background``), at most once a second per breaker.

    Example: ``hints.reported("fraud-score", None, "open")``
    """

    def __init__(
        self,
        state: FleetState,
        *,
        reset_timeout_s: float,
        wall_ms: Callable[[], float],
        monotonic: Callable[[], float],
        background: Callable[[list[Op], Callable[[Any], None]], None],
    ) -> None:
        self._state = state
        self._reset_ms = reset_timeout_s * 1000
        self._wall_ms = wall_ms
        self._monotonic = monotonic
        self._background = background
        self._lock = threading.Lock()
        self._last_read: dict[str, float] = {}
        self._last_closed: dict[str, float] = {}

    def reported(self, model: str, version: str | None, state: str) -> None:
        """A transition this instance made on its own: an open is reported, a close withdrawn."""
        key = self._state.breaker_key(model, version)
        member = self._state.instance_id
        if state == "open":
            ttl = max(1, int(self._reset_ms * 2))
            score = int(self._wall_ms())
            self._background([op("zadd", key, {member: score}), op("pexpire", key, ttl)], _ignore)
        elif state == "closed":
            with self._lock:
                self._last_closed[key] = self._wall_ms()
            self._background([op("zrem", key, member)], _ignore)

    def check(self, model: str, version: str | None, trip: Callable[[], None]) -> None:
        """A closed breaker admits a call: refresh the fleet's view in the background (at most
        once a second) and ``trip`` on a quorum. The call itself never waits."""
        key = self._state.breaker_key(model, version)
        now = self._monotonic()
        with self._lock:
            if now - self._last_read.get(key, float("-inf")) < HINTS_REFRESH_S:
                return
            self._last_read[key] = now
            since = max(self._wall_ms() - self._reset_ms, self._last_closed.get(key, 0.0))
        me = self._state.instance_id
        quorum = self._state.fleet.quorum

        def counted(members: Any) -> None:
            if members is UNAVAILABLE or not isinstance(members, list):
                return
            others = {_text(m) for m in members} - {me}
            if len(others) >= quorum:
                trip()

        self._background([op("zrangebyscore", key, f"({since}", "+inf")], counted)


def _ignore(_reply: Any) -> None:
    return None


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
