"""What ``Client`` and ``AsyncClient`` share: options normalised once, operations, results.

Private: the public surface is ``Client`` / ``AsyncClient``.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

from . import tracing
from ._version import __version__
from .auth import Auth, fixed_scope, normalize_auth
from .breaker import Breaker, BreakerRegistry, BreakerState
from .cache import PredictionCache
from .cache_key import cache_key, token_scope
from .clock import SYSTEM_CLOCK, Clock
from .errors import InvalidInputError, PayloadTooLargeError
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
from .pipeline import CallContext, HttpAnswer, Operation, Settings
from .result import ModelRef, Prediction
from .retry import RetryBudget

Fallbacks = Mapping[str, str] | Callable[[str], "str | None"] | None
FINAL_JOB_STATES = frozenset({"succeeded", "failed", "canceled", "expired"})
_CLIENT_NAME = f"modelwire-python/{__version__}"


def _invalid(message: str) -> InvalidInputError:
    return InvalidInputError(message, code="INVALID_OPTIONS")


def _segment(value: str) -> str:
    return quote(value, safe="")


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

    def context(
        self,
        *,
        request_id: str | None,
        traceparent: str | None,
        timeout_ms: float | None,
        deadline_ms: float | None,
        token: str | None,
    ) -> CallContext:
        """A new logical call: request id, trace id, deadline."""
        now = self.clock.monotonic()
        deadline_s = deadline_ms / 1000 if deadline_ms is not None else self.deadline_s
        return CallContext(
            settings=self.settings,
            request_id=request_id or str(uuid.uuid4()),
            trace_id=tracing.trace_id_for(traceparent),
            deadline=now + deadline_s,
            timeout_s=timeout_ms / 1000 if timeout_ms is not None else self.timeout_s,
            token=token,
        )

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

    def predict_op(
        self,
        model: str,
        data: Mapping[str, Any],
        *,
        version: str | None,
        prepared: PreparedInput,
        request_id: str,
        meta: Mapping[str, Any] | None,
    ) -> Operation[Prediction]:
        def parse(envelope: dict[str, Any], answer: HttpAnswer, served: str | None) -> Prediction:
            checked = PredictResponse.model_validate(envelope)
            result = envelope["result"]
            confidence = checked.result.confidence
            return Prediction(
                result=result,
                confidence=confidence,
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

    def submit_job_op(
        self,
        model: str,
        data: Mapping[str, Any],
        *,
        version: str | None,
        scope: str,
        request_id: str,
        meta: Mapping[str, Any] | None,
        callback_url: str | None,
    ) -> Operation[Job]:
        prepared = self.prepare_input(model, version, scope, data)
        extra = {"callback_url": callback_url} if callback_url else None
        return Operation(
            name="submit_job",
            method="POST",
            path=lambda m: f"/models/{_segment(model)}/jobs",
            parse=lambda env, _a, _m: JobResponse.model_validate(env).result,
            model=model,
            version=version,
            body=self._envelope_body(model, prepared, request_id, meta, extra),
        )

    def job_op(self, method: str, model: str, job_id: str) -> Operation[Job]:
        return Operation(
            name="get_job" if method == "GET" else "cancel_job",
            method=method,
            path=lambda m: f"/models/{_segment(model)}/jobs/{_segment(job_id)}",
            parse=lambda env, _a, _m: JobResponse.model_validate(env).result,
            model=model,
        )

    def feedback_op(
        self,
        model: str,
        prediction_request_id: str,
        fields: Mapping[str, Any],
    ) -> Operation[Any]:
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
        return Operation(
            name="list_models",
            method="GET",
            path=lambda m: "/models",
            parse=lambda env, _a, _m: ModelListResponse.model_validate(env).result.models,
        )

    def gateway_health_op(self, which: str) -> Operation[Health]:
        return Operation(
            name="health",
            method="GET",
            path=lambda m: f"/health/{which}",
            parse=lambda env, _a, _m: HealthResponse.model_validate(env).result,
        )

    def model_health_op(self, model: str) -> Operation[ModelHealth]:
        return Operation(
            name="model_health",
            method="GET",
            path=lambda m: f"/models/{_segment(model)}/health",
            parse=lambda env, _a, _m: ModelHealthResponse.model_validate(env).result,
            model=model,
        )

    @staticmethod
    def job_poll_delays() -> tuple[float, float, float]:
        """(initial, multiplier, max) of job polling in seconds, from the contract."""
        jobs = DEFAULT_POLICY.jobs
        return jobs.poll_initial_ms / 1000, jobs.poll_multiplier, jobs.poll_max_ms / 1000
