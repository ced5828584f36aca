"""What the stages of one logical call pass each other: the operation, the call's context, the
model an attempt targets, and the outcome.

Private. Example::

    ctx = CallContext(runtime, op, request_id="r-1", trace_id="4bf9…", deadline=12.5,
                      timeout_s=10.0, token="t-alice")
    outcome = yield from PREDICT(ctx, Target.of(op, op.model, op.version))
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .effects import Effect, HttpAnswer
from .events import Event, EventType
from .ids import uuid4
from .result import Fallback
from .runtime import Runtime

if TYPE_CHECKING:
    from .telemetry import CallSpan

T = TypeVar("T")


@dataclass(slots=True)
class Operation(Generic[T]):
    """One API operation: how to build its request and parse its 2xx envelope.

    ``path(model)`` and ``body(model, version)`` are built for the model actually called (the
    fallback call gets its own); ``parse(envelope, answer, model)`` turns a 2xx envelope into
    ``T`` and raises when it is not the contract's envelope. ``kind`` picks the stages
    (``pipeline.OPERATION_STAGES``); ``authenticated=False`` sends no token.
    """

    name: str
    method: str
    path: Callable[[str | None], str]
    parse: Callable[[dict[str, Any], HttpAnswer, str | None], T]
    model: str | None = None
    version: str | None = None
    body: Callable[[str | None, str | None], bytes] | None = None
    kind: str = "read"
    authenticated: bool = True


@dataclass(slots=True)
class CallContext:
    """One logical call: identity, deadline, the token in use and the attempts made so far.
    ``cache_key`` is None when the call uses neither the cache nor coalescing."""

    runtime: Runtime
    op: Operation[Any]
    request_id: str
    trace_id: str
    deadline: float  # monotonic seconds
    timeout_s: float
    token: str | None
    cache_key: str | None = None
    attempts: int = 0
    #: The call span (None: no recording tracer); attempt spans are its children.
    span: CallSpan | None = None
    #: What the call's end reports: it joined an identical call in flight (a coalesced
    #: follower), the backup it called, the ``X-Model-Version`` its answer carried.
    coalesced: bool = False
    fallback: Fallback | None = None
    served_version: str | None = None

    def emit(self, type_: EventType, target: Target | None = None, **fields: Any) -> None:
        """Emit a ``type_`` event about ``target``'s model (or the operation's) for this call."""
        if not self.runtime.observed:
            return  # nobody listens: build nothing
        model, version = (target.model, target.version) if target else (None, None)
        self.runtime.emit(Event(type_, model, version, request_id=self.request_id, **fields))


@dataclass(slots=True)
class Target:
    """The model an attempt goes to, with its body and ``Idempotency-Key`` (one per model:
    identical on every retry, new for the backup). ``timeout_s`` and ``clipped`` are set per
    attempt by the timeout stage (``clipped``: the call's deadline, not ``timeout_ms``, set it).
    """

    model: str | None
    version: str | None
    body: bytes | None
    idempotency_key: str | None
    timeout_s: float = 0.0
    clipped: bool = False

    @staticmethod
    def of(op: Operation[Any], model: str | None, version: str | None) -> Target:
        """The target of ``op`` when it calls ``model`` at ``version``."""
        body = op.body(model, version) if op.body is not None else None
        key = uuid4() if op.method == "POST" else None
        return Target(model, version, body, key)


@dataclass(slots=True)
class CallOutcome(Generic[T]):
    """The value of a successful call plus how it was obtained."""

    value: T
    attempts: int
    size: int
    fallback: Fallback | None = None
    cached: bool = False
    stale: bool = False
    #: Fleet mode: the answer's JSON envelope as received and its ``X-Model-Version`` (what
    #: the shared cache entry holds); None otherwise.
    envelope: dict[str, Any] | None = None
    served_version: str | None = None


#: A (part of a) pipeline run: yields effects, returns the outcome.
Flow = Generator[Effect, Any, CallOutcome[Any]]
#: The rest of the pipeline below a stage.
Step = Callable[[CallContext, Target], Flow]
