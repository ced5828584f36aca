"""The effects a call's pipeline asks its driver to perform. The pipeline is a generator: it
yields an effect, the driver (``Client`` blocking, ``AsyncClient`` with ``await``) performs it
and sends the result back, or throws the typed error (``TimeoutError``, ``ConnectionError``,
``AbortedError``…) into the generator. All decisions stay in the stages; only I/O is the
driver's.

Example::

    gen = PREDICT(ctx, target)      # a generator of effects (see pipeline.py)
    effect = next(gen)              # e.g. Send(...): the driver performs it, then gen.send(answer)
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .errors import ModelwireError


@dataclass(slots=True)
class HttpAnswer:
    """What the transport got: status, headers (any case) and the raw body.

    Example: ``HttpAnswer(200, {"Content-Type": "application/json"}, b"{}")``
    """

    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass(slots=True)
class Send:
    """Perform one HTTP request: answer ``HttpAnswer``, or throw ``TimeoutError`` /
    ``ConnectionError`` / ``AbortedError`` (the caller left during the attempt) /
    ``MalformedResponseError`` (a body above ``max_response_bytes``). ``timeout_s`` bounds the
    whole attempt, body included; the driver raises nothing but typed errors. ``instrumented``:
    an attempt span covers this request, so the driver suppresses the HTTP library's own
    OpenTelemetry instrumentation (one client span, one ``traceparent``)."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    timeout_s: float
    instrumented: bool = False


@dataclass(slots=True)
class Sleep:
    """Wait ``seconds``; throw ``AbortedError`` when the caller aborts meanwhile."""

    seconds: float


@dataclass(slots=True)
class GetToken:
    """The bearer token for a new call (None: no auth). ``wait_s`` is what is left of the call's
    deadline: the driver stops waiting for the token then and throws ``DeadlineExceededError``;
    no token (the identity provider refused, failed, did not answer within ``timeout_ms``, or
    the token requests are paused; a provider failed) throws ``AuthError`` /
    ``TOKEN_UNAVAILABLE``."""

    wait_s: float


@dataclass(slots=True)
class RefreshToken:
    """Fetch a fresh bearer token after a 401 (``stale`` is the token that was refused), waiting
    at most ``wait_s`` (what is left of the call's deadline), as ``GetToken``."""

    stale: str | None
    wait_s: float


@dataclass(slots=True)
class Share:
    """Run ``start()``'s effects once for every identical call in flight under ``key``
    (coalescing); ``on_join`` is called when this caller joins a call already in flight.
    The caller stops waiting after ``wait_s`` (``DeadlineExceededError``) or on abort."""

    key: str
    start: Callable[[], Generator[Effect, Any, Any]]
    on_join: Callable[[], None]
    wait_s: float


@dataclass(slots=True)
class RedisOp:
    """Fleet mode: run the Redis commands ``ops`` (name and arguments of redis-py methods, one
    key each) in order, each bounded by the fleet's ``op_timeout_ms``; answer the last one's
    reply, or ``fleet.UNAVAILABLE`` when Redis failed, timed out or is paused (never an error:
    Redis trouble never fails a call)."""

    ops: list[tuple[str, tuple[Any, ...], dict[str, Any]]]


Effect = Send | Sleep | GetToken | RefreshToken | Share | RedisOp


T = TypeVar("T")


class Drive(Generic[T]):
    """One call's generator as its driver sees it: the next effect to perform, then the
    effect's result or error to send back, until the call returns (``result``).

    Example (the whole of a driver)::

        drive = Drive(call)
        while (effect := drive.next()) is not None:
            drive.resume(perform(effect))     # perform returns a value or a ModelwireError
        return drive.result
    """

    __slots__ = ("_call", "_error", "_value", "result")

    def __init__(self, call: Generator[Effect, Any, T]) -> None:
        self._call = call
        self._value: Any = None
        self._error: BaseException | None = None

    def next(self) -> Effect | None:
        """The next effect, or None when the call returned (its value is in ``result``)."""
        try:
            if self._error is None:
                return self._call.send(self._value)
            error, self._error = self._error, None
            return self._call.throw(error)
        except StopIteration as stop:
            self.result: T = stop.value
            return None

    def resume(self, value_or_error: Any) -> None:
        """Answer the effect: a ``ModelwireError`` is thrown into the call, anything else sent."""
        if isinstance(value_or_error, ModelwireError):
            self._error, self._value = value_or_error, None
        else:
            self._value = value_or_error

    def close(self) -> None:
        """Abandon the call (its stages see ``GeneratorExit``: the breaker records ignored)."""
        self._call.close()
