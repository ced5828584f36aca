"""What ``Client`` and ``AsyncClient`` share: options normalised once, operations, the
predict plan (cache lookup, what to store, stale answers), results. The twins keep only I/O.

Private: the public surface is ``Client`` / ``AsyncClient``.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar
from urllib.parse import quote

from . import tracing
from ._version import __version__
from .auth import Auth, TokenProvider, fixed_scope, normalize_auth
from .breaker import Breaker, BreakerRegistry, BreakerState
from .cache import PredictionCache
from .cache_key import cache_key, token_scope
from .clock import SYSTEM_CLOCK, Clock
from .errors import AbortedError, InvalidInputError, ModelwireError, PayloadTooLargeError
from .events import Event, EventHandler, emit
from .generated.models import FeedbackResponse as _FeedbackResponse
from .generated.models import (
    Health,
    HealthResponse,
    Job,
    JobResponse,
    ModelHealth,
    ModelHealthResponse,
    ModelInfo,
    ModelInfoResponse,
    ModelListResponse,
    ModelSummary,
    PredictResponse,
)
from .generated.policy import DEFAULT_POLICY
from .options import BreakerOptions, CacheOptions, RetryOptions
from .pipeline import CallContext, CallOutcome, HttpAnswer, Operation, Settings, is_stale_eligible
from .result import ModelRef, Prediction
from .retry import RetryBudget

Fallbacks = Mapping[str, str] | Callable[[str], "str | None"] | None
_CLIENT_NAME = f"modelwire-python/{__version__}"
T = TypeVar("T")
#: Extra time a caller waits for a shared call past its own deadline (the call's own deadline
#: error, with its details, then wins over the waiter's generic one).
_WAIT_GRACE_S = 0.05


def _invalid(message: str) -> InvalidInputError:
    return InvalidInputError(message, code="INVALID_OPTIONS")


def _segment(value: str) -> str:
    return quote(value, safe="")


def aborted_error(ctx: CallContext | None = None) -> AbortedError:
    """The error of a call its caller aborted (with the call's ids once it has them)."""
    return AbortedError(
        "the call was aborted by its signal",
        request_id=ctx.request_id if ctx else None,
        trace_id=ctx.trace_id if ctx else None,
    )


@dataclass(frozen=True, slots=True)
class CallArgs:
    """Per-call options that shape the call's context (ids, trace, timeouts)."""

    request_id: str | None = None
    traceparent: str | None = None
    timeout_ms: float | None = None
    deadline_ms: float | None = None


#: A call with none of the per-call options.
NO_ARGS = CallArgs()


@dataclass(frozen=True, slots=True)
class PredictPlan:
    """A predict call that missed the cache: the operation to run and what to do with it."""

    key: str
    store: PredictionCache[Prediction] | None
    op: Operation[Prediction]
    args: CallArgs
    min_confidence: float | None

    @property
    def share_key(self) -> str | None:
        """The coalescing key (None: the call uses no cache, so it is never shared)."""
        return self.key if self.store is not None else None


@dataclass(frozen=True, slots=True)
class PreparedInput:
    """A checked input: its cache key, its JSON text, and what the key was made from."""

    key: str
    data_json: str
    scope: str
    data: Mapping[str, Any]


class ClientCore:
    """Options normalised once, plus the state every call shares (cache, breakers, budget)."""

    def __init__(
        self,
        base_url: str,
        *,
        auth: Auth,
        fallbacks: Fallbacks,
        retry: RetryOptions | None,
        breaker: BreakerOptions | Literal[False] | None,
        cache: CacheOptions | bool,
        timeout_ms: float | None,
        deadline_ms: float | None,
        min_confidence: float | None,
        on_event: EventHandler | None,
        cache_scope: str | None,
        clock: Clock | None,
        max_input_bytes: int | None,
        headers: Mapping[str, str] | None,
    ) -> None:
        if not base_url or not base_url.startswith(("http://", "https://")):
            raise _invalid(
                f"base_url must be an http(s) URL such as http://host/v1, got {base_url!r}"
            )
        self.base_url = base_url.rstrip("/")
        self.auth = normalize_auth(auth)
        self.clock: Clock = clock or SYSTEM_CLOCK
        self.retry = retry or RetryOptions()
        self.breaker_options = breaker or BreakerOptions()
        self.breaker_enabled = breaker is not False
        self.timeout_s = (
            timeout_ms if timeout_ms is not None else DEFAULT_POLICY.timeout_ms
        ) / 1000
        self.deadline_s = (
            deadline_ms if deadline_ms is not None else DEFAULT_POLICY.deadline_ms
        ) / 1000
        if self.timeout_s <= 0 or self.deadline_s <= 0:
            raise _invalid("timeout_ms and deadline_ms must be > 0")
        if min_confidence is not None and not 0 <= min_confidence <= 1:
            raise _invalid(f"min_confidence must be within [0, 1], got {min_confidence}")
        self.min_confidence = min_confidence
        self.on_event = on_event
        self.max_input_bytes = (
            max_input_bytes if max_input_bytes is not None else DEFAULT_POLICY.max_input_bytes
        )
        self.thresholds: dict[str, float] = {}
        self.scope = cache_scope if cache_scope is not None else fixed_scope(self.auth)
        cache_options = CacheOptions() if cache is True else cache
        self.cache_options: CacheOptions | None = cache_options or None
        self.cache: PredictionCache[Prediction] | None = None
        if self.cache_options is not None:
            self.cache = PredictionCache(
                ttl_s=self.cache_options.ttl_ms / 1000,
                max_entries=self.cache_options.max_entries,
                max_bytes=self.cache_options.max_bytes,
                clock=self.clock,
            )
        budget = self.retry.budget
        self.budget = (
            RetryBudget(
                max_tokens=budget.max_tokens,
                retry_cost=budget.retry_cost,
                success_refill=budget.success_refill,
            )
            if budget is not None
            else None
        )
        self.breakers = BreakerRegistry(self._new_breaker)
        if fallbacks is None:
            resolve: Callable[[str], str | None] | None = None
        elif isinstance(fallbacks, Mapping):
            table = dict(fallbacks)
            resolve = table.get
        elif callable(fallbacks):
            resolve = fallbacks
        else:
            raise _invalid("fallbacks must be a mapping {model: backup} or a function")
        default_headers = {"Accept": "application/json", "User-Agent": _CLIENT_NAME}
        default_headers.update(headers or {})
        self.settings = Settings(
            base_url=self.base_url,
            retry=self.retry,
            budget=self.budget,
            breakers=self.breakers if self.breaker_enabled else None,
            clock=self.clock,
            on_event=on_event,
            fallbacks=resolve,
            default_headers=default_headers,
            refreshable_auth=False,  # set by the twin from its token source
        )

    def _new_breaker(self, model: str, version: str | None) -> Breaker:
        def on_transition(state: BreakerState) -> None:
            kind = {"open": "breaker_open", "half-open": "breaker_half_open"}.get(
                state, "breaker_close"
            )
            emit(self.on_event, Event(kind, model, version))  # type: ignore[arg-type]

        return Breaker(
            consecutive_failures=self.breaker_options.consecutive_failures,
            reset_timeout_s=self.breaker_options.reset_timeout_ms / 1000,
            half_open_max_calls=self.breaker_options.half_open_max_calls,
            clock=self.clock,
            on_transition=on_transition,
        )

    # ------------------------------------------------------------------------------ identity
    def scope_for(self, token: str | None) -> str:
        """The cache scope of a call (a provider's scope depends on the token it returned)."""
        if self.scope is not None:
            return self.scope
        return token_scope(token or "")

    def context(self, args: CallArgs, token: str | None) -> CallContext:
        """A new logical call: request id, trace id, deadline."""
        now = self.clock.monotonic()
        return CallContext(
            settings=self.settings,
            request_id=args.request_id or str(uuid.uuid4()),
            trace_id=tracing.trace_id_for(args.traceparent),
            deadline=now + self.deadline_for(args.deadline_ms),
            timeout_s=args.timeout_ms / 1000 if args.timeout_ms is not None else self.timeout_s,
            token=token,
        )

    def deadline_for(self, deadline_ms: float | None) -> float:
        """A call's deadline in seconds: its own ``deadline_ms`` or the client's."""
        return deadline_ms / 1000 if deadline_ms is not None else self.deadline_s

    def wait_s(self, deadline_ms: float | None) -> float:
        """How long a caller waits for a (possibly shared) call before giving up."""
        return self.deadline_for(deadline_ms) + _WAIT_GRACE_S

    def wait_left_s(self, ctx: CallContext) -> float:
        """How long a caller still waits for a started call (its deadline, plus grace)."""
        return ctx.deadline - self.clock.monotonic() + _WAIT_GRACE_S

    def breaker_state(self, model: str, version: str | None = None) -> BreakerState:
        """State of the breaker of ``model`` at ``version``."""
        return self.breakers.get(model, version).state

    # ---------------------------------------------------------------------------- operations
    def prepare_input(
        self, model: str, version: str | None, scope: str, data: Any
    ) -> PreparedInput:
        """Check ``data`` (a JSON object, no NaN/Infinity, at most ``max_input_bytes``) and
        compute its cache key and its JSON text once."""
        if not isinstance(data, Mapping):
            raise InvalidInputError(
                f"data must be a JSON object (dict), got {type(data).__name__}",
                code="INVALID_INPUT",
            )
        key = cache_key(model, version, scope, data)  # also rejects NaN/Infinity
        data_json = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        size = len(data_json.encode("utf-8")) if not data_json.isascii() else len(data_json)
        if size > self.max_input_bytes:
            raise PayloadTooLargeError(
                f"the input is {size} bytes, above max_input_bytes ({self.max_input_bytes}); "
                "send a smaller input or raise the option"
            )
        return PreparedInput(key, data_json, scope, data)

    @staticmethod
    @staticmethod
    def _envelope_body(
        model: str,
        prepared: PreparedInput,
        request_id: str,
        meta: Mapping[str, Any] | None,
        extra: Mapping[str, Any] | None = None,
    ) -> Callable[[str | None, str | None], bytes]:
        def build(called: str | None, version: str | None) -> bytes:
            # The backup model gets the digest of its own key (its name is part of the key).
            digest = (
                prepared.key
                if called == model
                else cache_key(called or model, version, prepared.scope, prepared.data)
            )
            meta_json = json.dumps(
                {**(meta or {}), "input_digest": digest, "client": _CLIENT_NAME},
                separators=(",", ":"),
                ensure_ascii=False,
            )
            # The data's JSON text was made once in prepare_input: splice it in, do not re-encode.
            parts = [
                '{"request_id":',
                json.dumps(request_id, ensure_ascii=False),
                ',"data":',
                prepared.data_json,
                ',"meta":',
                meta_json,
            ]
            for name, value in (extra or {}).items():
                parts += [",", json.dumps(name), ":", json.dumps(value, ensure_ascii=False)]
            parts.append("}")
            return "".join(parts).encode("utf-8")

        return build

    # ------------------------------------------------------------------------------- predict
    @property
    def provider_auth(self) -> bool:
        """Whether the token (and so the cache scope) must be fetched before the cache lookup."""
        return isinstance(self.auth, TokenProvider)

    def plan_predict(
        self,
        model: str,
        data: Mapping[str, Any],
        version: str | None,
        meta: Mapping[str, Any] | None,
        use_cache: bool,
        token: str | None,
        args: CallArgs,
        min_confidence: float | None,
    ) -> Prediction | PredictPlan:
        """Check the input and look it up in the cache (emitting ``cache_hit`` / ``cache_miss``):
        a hit is returned finished; a miss gives the plan of the call, with its request id."""
        prepared = self.prepare_input(model, version, self.scope_for(token), data)
        store = self.cache if use_cache else None
        if store is not None:
            hit = store.get(prepared.key)
            if hit is not None:
                emit(self.on_event, Event("cache_hit", model, version, hit.request_id))
                return self.finish(hit, min_confidence)
            emit(self.on_event, Event("cache_miss", model, version, args.request_id))
        request_id = args.request_id or str(uuid.uuid4())
        op = self.predict_op(model, version, prepared, request_id, meta)
        args = dataclasses.replace(args, request_id=request_id)
        return PredictPlan(prepared.key, store, op, args, min_confidence)

    def predict_op(
        self,
        model: str,
        version: str | None,
        prepared: PreparedInput,
        request_id: str,
        meta: Mapping[str, Any] | None,
    ) -> Operation[Prediction]:
        """The predict operation (its body is built for whichever model is finally called)."""

        def parse(envelope: dict[str, Any], answer: HttpAnswer, served: str | None) -> Prediction:
            checked = PredictResponse.model_validate(envelope)
            return Prediction(
                result=envelope["result"],
                confidence=checked.result.confidence,
                uncertainty_score=checked.result.uncertainty_score,
                low_confidence=False,
                request_id=checked.request_id,
                trace_id=checked.trace_id,
                model=ModelRef(checked.model.name, checked.model.version),
            )

        return Operation(
            name="predict",
            method="POST",
            path=lambda m: f"/models/{_segment(m or model)}/predict",
            parse=parse,
            model=model,
            version=version,
            body=self._envelope_body(model, prepared, request_id, meta),
            allow_fallback=True,
        )

    def settle(self, plan: PredictPlan, outcome: CallOutcome[Prediction]) -> Prediction:
        """The prediction of a finished call, stored in the cache when it may be reused."""
        prediction = dataclasses.replace(
            outcome.value, attempts=outcome.attempts, fallback=outcome.fallback
        )
        if plan.store is not None and outcome.fallback is None and not prediction.stale:
            # What later hits return: the stored answer, marked cached, with no attempts.
            stored = dataclasses.replace(prediction, cached=True, attempts=0)
            plan.store.put(plan.key, stored, outcome.size)
        return prediction

    def stale_or_raise(self, plan: PredictPlan, err: ModelwireError) -> Prediction:
        """The expired cached answer to serve instead of ``err`` (``stale_if_error``); raises
        ``err`` when there is none."""
        options = self.cache_options
        if self.cache is None or options is None or not options.stale_if_error:
            raise err
        stale = self.cache.get_stale(plan.key) if is_stale_eligible(err) else None
        if stale is None:
            raise err
        return dataclasses.replace(stale, cached=True, stale=True, fallback=None)

    def finish(self, prediction: Prediction, min_confidence: float | None) -> Prediction:
        """Set ``low_confidence`` from the option or the model's known threshold."""
        threshold = min_confidence if min_confidence is not None else self.min_confidence
        if threshold is None:
            threshold = self.thresholds.get(prediction.model.name)
        low = (
            prediction.confidence is not None
            and threshold is not None
            and prediction.confidence < threshold
        )
        if low == prediction.low_confidence:
            return prediction
        return dataclasses.replace(prediction, low_confidence=low)

    # ---------------------------------------------------------------------------------- jobs
    def submit_job_call(
        self,
        model: str,
        data: Mapping[str, Any],
        version: str | None,
        token: str | None,
        meta: Mapping[str, Any] | None,
        callback_url: str | None,
        args: CallArgs,
    ) -> tuple[Operation[Job], CallArgs]:
        """The submit-job operation and its call options (with the request id it sends)."""
        request_id = args.request_id or str(uuid.uuid4())
        prepared = self.prepare_input(model, version, self.scope_for(token), data)
        extra = {"callback_url": callback_url} if callback_url else None
        op = Operation(
            name="submit_job",
            method="POST",
            path=lambda m: f"/models/{_segment(model)}/jobs",
            parse=lambda env, _a, _m: JobResponse.model_validate(env).result,
            model=model,
            version=version,
            body=self._envelope_body(model, prepared, request_id, meta, extra),
        )
        return op, dataclasses.replace(args, request_id=request_id)

    def job_op(self, method: str, model: str, job_id: str) -> Operation[Job]:
        """Read (``GET``) or cancel (``DELETE``) a job."""
        return Operation(
            name="get_job" if method == "GET" else "cancel_job",
            method=method,
            path=lambda m: f"/models/{_segment(model)}/jobs/{_segment(job_id)}",
            parse=lambda env, _a, _m: JobResponse.model_validate(env).result,
            model=model,
        )

    # ----------------------------------------------------------------------- other operations
    def feedback_op(
        self,
        model: str,
        prediction_request_id: str,
        fields: Mapping[str, Any],
    ) -> Operation[Any]:
        """Ground truth for a past prediction (fields that are None are left out)."""
        body = {
            "request_id": prediction_request_id,
            **{k: v for k, v in fields.items() if v is not None},
        }
        encoded = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        return Operation(
            name="feedback",
            method="POST",
            path=lambda m: f"/models/{_segment(model)}/feedback",
            parse=lambda env, _a, _m: _FeedbackResponse.model_validate(env).result,
            model=model,
            body=lambda _m, _v: encoded,
        )

    def model_info_op(self, model: str) -> Operation[ModelInfo]:
        """A model's info; remembers its ``min_confidence`` threshold for ``finish``."""

        def parse(env: dict[str, Any], _a: HttpAnswer, _m: str | None) -> ModelInfo:
            info = ModelInfoResponse.model_validate(env).result
            if info.thresholds.min_confidence is not None:
                self.thresholds[model] = info.thresholds.min_confidence
            return info

        return Operation(
            name="model_info",
            method="GET",
            path=lambda m: f"/models/{_segment(model)}/info",
            parse=parse,
            model=model,
        )

    def list_models_op(self) -> Operation[list[ModelSummary]]:
        """The models visible to the caller."""
        return _get(
            "list_models",
            "/models",
            lambda env: ModelListResponse.model_validate(env).result.models,
        )

    def gateway_health_op(self, which: str) -> Operation[Health]:
        """Gateway readiness (``ready``) or liveness (``live``); sent without a token."""
        return _get(
            "health", f"/health/{which}", lambda env: HealthResponse.model_validate(env).result
        )

    def model_health_op(self, model: str) -> Operation[ModelHealth]:
        """A model's readiness."""
        path = f"/models/{_segment(model)}/health"
        return _get(
            "model_health", path, lambda e: ModelHealthResponse.model_validate(e).result, model
        )


def _get(
    name: str, path: str, parse: Callable[[dict[str, Any]], T], model: str | None = None
) -> Operation[T]:
    """A GET operation whose path does not depend on the model finally called."""
    return Operation(
        name=name,
        method="GET",
        path=lambda _m: path,
        parse=lambda env, _a, _m: parse(env),
        model=model,
    )
