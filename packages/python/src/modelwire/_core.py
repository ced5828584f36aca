"""What ``Client`` and ``AsyncClient`` share: every logical call as a generator of effects
(``effects.py``) running the composed stages (``pipeline.py``). The twins only perform the
effects, blocking or with ``await``.

Private: the public surface is ``Client`` / ``AsyncClient``. Example::

    core = ClientCore(ClientOptions.resolve("http://127.0.0.1:4010/v1"))
    gen = core.call(list_models_op())   # yields GetToken(wait_s), then Send(...)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from . import operations, tracing
from . import option_rules as rules
from ._jobs import JobPoll
from .auth import TokenProvider, fixed_scope
from .cache_key import token_scope
from .call import CallContext, CallOutcome, Operation, Target
from .canonical import canonical_json
from .effects import Effect, GetToken, Sleep
from .envelopes import TolerantHealth, TolerantModelHealth, TolerantModelInfo
from .errors import AuthError, DeadlineExceededError, ModelwireError
from .events import Event
from .feedback import FeedbackReceipt
from .generated.models import ModelSummary
from .ids import uuid4
from .job import Job
from .options import ClientOptions
from .pipeline import STEPS
from .result import Prediction
from .runtime import Runtime
from .telemetry import CallEnd, CallSpan

T = TypeVar("T")
Call = Generator[Effect, Any, T]


@dataclass(frozen=True, slots=True)
class CallArgs:
    """Per-call options that shape the call's context (ids, trace, timeouts).

    Example: ``CallArgs(request_id="r-1", deadline_ms=2_000)``
    """

    request_id: str | None = None
    traceparent: str | None = None
    timeout_ms: float | None = None
    deadline_ms: float | None = None


#: A call with none of the per-call options.
NO_ARGS = CallArgs()


def check_call_args(args: CallArgs) -> None:
    """Refuse per-call options that cannot be honoured (docs/semantics.md, "What the SDKs check
    before sending"): a request id the header cannot carry, a timeout or deadline not > 0.

    Example: ``check_call_args(CallArgs(request_id="a b"))`` raises ``InvalidInputError``.
    """
    if args.request_id is not None:
        rules.request_id(args.request_id)
    if args.timeout_ms is not None:
        rules.positive_ms("timeout_ms", args.timeout_ms)
    if args.deadline_ms is not None:
        rules.positive_ms("deadline_ms", args.deadline_ms)


@dataclass(slots=True)
class CallStart:
    """What a logical call fixes as it starts, before it asks for its token: its ids and its
    deadline (monotonic seconds), which bounds the wait for the token too (docs/semantics.md,
    Attempt boundaries: ``deadline_ms`` bounds everything the call does).

    Once its checks passed, the call is observed (``ClientCore.begin``): ``operation``,
    ``model`` and ``version`` name it for its ``call_end`` event and its call span (``span``,
    None without a recording tracer); ``ctx`` is its context once it has one; ``attempts_before``
    counts the attempts of earlier contexts (``wait_for_job``'s polls).

    Example: ``core.start(CallArgs(deadline_ms=600)).deadline``
    """

    request_id: str
    trace_id: str
    deadline: float
    started: float = 0.0
    operation: str = ""
    model: str | None = None
    version: str | None = None
    span: CallSpan | None = None
    ctx: CallContext | None = None
    attempts_before: int = 0


class ClientCore:
    """The resolved options, the shared state (``runtime``) and the calls built on them.

    Example: ``ClientCore(options).breaker_state("fraud-score") == "closed"``
    """

    def __init__(self, options: ClientOptions) -> None:
        self.options = options
        self.runtime = Runtime(options)
        self._scope = (
            options.cache_scope if options.cache_scope is not None else fixed_scope(options.auth)
        )

    @property
    def provider_auth(self) -> bool:
        """Whether the token (and so the cache scope) comes from a ``TokenProvider``."""
        return isinstance(self.options.auth, TokenProvider)

    def scope_for(self, token: str | None) -> str:
        """The cache scope of a call (a provider's scope depends on the token it returned)."""
        return self._scope if self._scope is not None else token_scope(token or "")

    def start(self, args: CallArgs) -> CallStart:
        """A logical call starting now: its request id, trace id and deadline. Its per-call
        options are checked here, before anything is sent (``INVALID_OPTIONS``)."""
        options = self.options
        if args is not NO_ARGS:
            check_call_args(args)
        deadline_s = args.deadline_ms / 1000 if args.deadline_ms is not None else options.deadline_s
        now = self.runtime.clock.monotonic()
        return CallStart(
            request_id=args.request_id or uuid4(),
            trace_id=tracing.trace_id_for(args.traceparent),
            deadline=now + deadline_s,
            started=now,
        )

    def begin(
        self,
        start: CallStart,
        operation: str,
        model: str | None,
        version: str | None,
        traceparent: str | None,
    ) -> CallStart:
        """The call passed its checks: it is observed from now on (a ``call_end`` event and a
        call span, whose trace is then the call's trace)."""
        start.operation, start.model, start.version = operation, model, version
        telemetry = self.runtime.telemetry
        if telemetry is not None:
            span = CallSpan.start(
                telemetry, operation, model, version, start.request_id, traceparent
            )
            if span is not None:
                start.span = span
                start.trace_id = span.trace_id or start.trace_id
        return start

    def observed(self, start: CallStart, flow: Call[T]) -> Call[T]:
        """``flow`` (the whole call, token included), then its end: the call span ends and
        ``call_end`` is emitted, whatever the outcome. Nobody looking (no span, no listener):
        ``flow`` itself, nothing added."""
        if start.span is None and not self.runtime.observed:
            return flow
        return self._observed(start, flow)

    def _observed(self, start: CallStart, flow: Call[T]) -> Call[T]:
        try:
            value = yield from flow
        except ModelwireError as err:
            self.settle(start, None, err)
            raise
        except BaseException:
            if start.span is not None:
                start.span.abandon()  # the driver abandoned the call: no outcome to report
            raise
        self.settle(start, value, None)
        return value

    def settle(self, start: CallStart, value: Any, err: ModelwireError | None) -> None:
        """Report how the call ended: the call span's attributes and the ``call_end`` event."""
        runtime = self.runtime
        span = start.span
        if span is None and not runtime.observed:
            return  # nobody looks: nothing to build
        ctx = start.ctx
        attempts = start.attempts_before + (ctx.attempts if ctx is not None else 0)
        coalesced = ctx is not None and ctx.coalesced
        fallback = ctx.fallback if ctx is not None else None
        predict = start.operation == "predict"
        cached = stale = False
        if isinstance(value, CallOutcome):
            cached, stale = value.cached, value.stale
            fallback = value.fallback or fallback
        outcome = "ok" if err is None else err.code
        if span is not None:
            breaker = None
            model = start.model
            if start.operation in ("predict", "submit_job") and model is not None:
                breaker = self._breaker_state(model, start.version)
            span.end(
                CallEnd(
                    error_code=None if err is None else err.code,
                    attempts=attempts,
                    cached=cached if predict else None,
                    stale=stale if predict else None,
                    coalesced=coalesced if predict else None,
                    fallback=None
                    if fallback is None
                    else (fallback.from_, fallback.to, fallback.reason),
                    served_version=ctx.served_version if ctx is not None else None,
                    breaker_state=breaker,
                )
            )
        if runtime.observed:
            latency_ms = (runtime.clock.monotonic() - start.started) * 1000.0
            runtime.emit(
                Event(
                    "call_end",
                    start.model,
                    start.version,
                    request_id=start.request_id,
                    operation=start.operation,
                    outcome=outcome,
                    latency_ms=latency_ms,
                    attempts=attempts,
                    cached=cached,
                    coalesced=coalesced,
                    fallback=fallback.to if fallback is not None else None,
                )
            )

    def _breaker_state(self, model: str, version: str | None) -> str | None:
        """The breaker state of (model, version), None when the client has no breakers."""
        runtime = self.runtime
        if runtime.breaker(model, version) is None:
            return None
        return runtime.breaker_state(model, version)

    def token(self, start: CallStart) -> Call[str | None]:
        """The call's bearer token (``GetToken``), waited for until the call's deadline at most:
        a wait the deadline cut ends the call with ``DeadlineExceededError``, no token with
        ``AuthError`` / ``TOKEN_UNAVAILABLE`` (no attempt made either way)."""
        try:
            token: str | None = yield GetToken(start.deadline - self.runtime.clock.monotonic())
        except (DeadlineExceededError, AuthError) as err:
            err.request_id, err.trace_id, err.attempts = start.request_id, start.trace_id, 0
            raise
        return token

    def context(
        self,
        op: Operation[Any],
        args: CallArgs,
        token: str | None,
        cache_key: str | None = None,
        start: CallStart | None = None,
    ) -> CallContext:
        """The context of a logical call (``start``: when it started; None: now)."""
        options = self.options
        start = start if start is not None else self.start(args)
        ctx = CallContext(
            runtime=self.runtime,
            op=op,
            request_id=start.request_id,
            trace_id=start.trace_id,
            deadline=start.deadline,
            timeout_s=args.timeout_ms / 1000 if args.timeout_ms is not None else options.timeout_s,
            token=token,
            cache_key=cache_key,
            span=start.span,
        )
        start.ctx = ctx
        return ctx

    def _run(self, ctx: CallContext) -> Call[CallOutcome[Any]]:
        op = ctx.op
        return STEPS[op.kind](ctx, Target.of(op, op.model, op.version))

    def call(self, op: Operation[T], args: CallArgs = NO_ARGS) -> Call[T]:
        """Run ``op`` through its stages (one observed call); returns its value."""
        start = self.begin(self.start(args), op.name, op.model, op.version, args.traceparent)
        outcome = yield from self.observed(start, self._flow(op, args, start))
        value: T = outcome.value
        return value

    def _flow(self, op: Operation[Any], args: CallArgs, start: CallStart) -> Call[CallOutcome[Any]]:
        token = (yield from self.token(start)) if op.authenticated else None
        return (yield from self._run(self.context(op, args, token, start=start)))

    def predict(
        self,
        model: str,
        data: Mapping[str, Any],
        version: str | None,
        meta: Mapping[str, Any] | None,
        use_cache: bool,
        args: CallArgs,
        min_confidence: float | None,
    ) -> Call[Prediction]:
        """A prediction through every stage, from the cache lookup on."""
        operations.check_model(model)
        start = self.start(args)
        checked = self.check_input(data, meta)
        self.begin(start, "predict", model, version, args.traceparent)
        flow = self._predict(model, version, meta, use_cache, args, start, checked)
        outcome = yield from self.observed(start, flow)
        return self.finish(outcome, min_confidence)

    def _predict(
        self,
        model: str,
        version: str | None,
        meta: Mapping[str, Any] | None,
        use_cache: bool,
        args: CallArgs,
        start: CallStart,
        checked: operations.CheckedInput,
    ) -> Call[CallOutcome[Prediction]]:
        token = yield from self.token(start)
        prepared = operations.prepare(model, version, self.scope_for(token), checked)
        op = operations.predict_op(model, version, prepared, start.request_id, meta)
        key = prepared.key if use_cache and self.runtime.cache is not None else None
        return (yield from self._run(self.context(op, args, token, key, start)))

    def check_input(
        self, data: Mapping[str, Any], meta: Mapping[str, Any] | None
    ) -> operations.CheckedInput:
        """``data`` (and ``meta``) checked before the call asks for its token: a refused input
        sends nothing at all, not even a token request."""
        options = self.options
        if meta is not None:
            canonical_json(meta, max_depth=options.max_json_depth, name="meta")
        return operations.check_input(
            data, max_bytes=options.max_input_bytes, max_depth=options.max_json_depth
        )

    def finish(self, outcome: CallOutcome[Prediction], min_confidence: float | None) -> Prediction:
        """The caller's prediction: how it was obtained, and ``low_confidence`` from the option
        or the model's known threshold."""
        prediction = outcome.value
        threshold = min_confidence if min_confidence is not None else self.options.min_confidence
        if threshold is None:
            threshold = self.runtime.thresholds.get(prediction.model.name)
        low = (
            prediction.confidence is not None
            and threshold is not None
            and prediction.confidence < threshold
        )
        return dataclasses.replace(
            prediction,
            low_confidence=low,
            attempts=outcome.attempts,
            fallback=outcome.fallback,
            cached=outcome.cached,
            stale=outcome.stale,
        )

    def submit_job(
        self,
        model: str,
        data: Mapping[str, Any],
        version: str | None,
        meta: Mapping[str, Any] | None,
        callback_url: str | None,
        args: CallArgs,
    ) -> Call[Job]:
        """Submit a job (its body carries the input's digest, as predict's does)."""
        operations.check_model(model)
        start = self.start(args)
        checked = self.check_input(data, meta)
        self.begin(start, "submit_job", model, version, args.traceparent)

        def flow() -> Call[CallOutcome[Job]]:
            token = yield from self.token(start)
            prepared = operations.prepare(model, version, self.scope_for(token), checked)
            request_id = start.request_id
            op = operations.submit_job_op(model, version, prepared, request_id, meta, callback_url)
            return (yield from self._run(self.context(op, args, token, start=start)))

        outcome = yield from self.observed(start, flow())
        job: Job = outcome.value
        return job

    def job(self, method: str, model: str, job_id: str) -> Call[Job]:
        """Read (``GET``) or cancel (``DELETE``) a job."""
        return self.call(operations.job_op(method, operations.check_model(model), job_id))

    def wait_for_job(
        self,
        model: str,
        job_id: str,
        timeout_ms: float | None,
        poll_initial_ms: float | None,
        poll_max_ms: float | None,
    ) -> Call[Job]:
        """Poll the job (backoff from the contract's ``jobs`` policy) until a final state."""
        poll = JobPoll(self.runtime.clock, job_id, timeout_ms, poll_initial_ms, poll_max_ms)
        op = operations.job_op("GET", operations.check_model(model), job_id)
        start = self.begin(self.start(NO_ARGS), "wait_for_job", model, None, None)

        def polls() -> Call[Job]:
            # One observed call around its get_job calls: each poll has its own ids, in the
            # call span's trace, and adds its attempts to the call's.
            while True:
                each = self.start(NO_ARGS)
                each.trace_id, each.span = start.trace_id, start.span
                try:
                    outcome = yield from self._flow(op, NO_ARGS, each)
                finally:
                    start.attempts_before += each.ctx.attempts if each.ctx is not None else 0
                job: Job = outcome.value
                if poll.finished(job):
                    return job
                yield Sleep(poll.next_delay())

        return (yield from self.observed(start, polls()))

    def feedback(
        self, model: str, request_id: str, fields: Mapping[str, Any]
    ) -> Call[FeedbackReceipt]:
        """Ground truth for a past prediction."""
        return self.call(operations.feedback_op(operations.check_model(model), request_id, fields))

    def model_info(self, model: str) -> Call[TolerantModelInfo]:
        """A model's info (remembers its ``min_confidence`` threshold)."""
        op = operations.model_info_op(operations.check_model(model), self.runtime.thresholds)
        return self.call(op)

    def gateway_health(self) -> Call[TolerantHealth]:
        """The gateway's readiness."""
        return self.call(operations.gateway_health_op("ready"))

    def model_health(self, model: str) -> Call[TolerantModelHealth]:
        """A model's readiness."""
        return self.call(operations.model_health_op(operations.check_model(model)))

    def list_models(self) -> Call[list[ModelSummary]]:
        """The models visible to the caller."""
        return self.call(operations.list_models_op())
