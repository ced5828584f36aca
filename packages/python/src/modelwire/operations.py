"""The API's operations as ``Operation`` descriptors: method, path, body and how to parse the
2xx envelope (with the generated pydantic models). Input checks happen here, before anything
is sent: the model name against the contract's pattern, ``data`` as a JSON object without
NaN/Infinity and within ``max_input_bytes``.

Private. Example::

    prepared = prepare_input("fraud-score", None, "anonymous", {"amount": 1}, max_bytes=1000)
    op = predict_op("fraud-score", None, prepared, "r-1", meta=None)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from .cache_key import cache_key
from .call import Operation
from .effects import HttpAnswer
from .errors import InvalidInputError, PayloadTooLargeError
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
from .generated.policy import MODEL_NAME_PATTERN
from .options import CLIENT_NAME
from .result import ModelRef, Prediction

T = TypeVar("T")
_MODEL_NAME = re.compile(MODEL_NAME_PATTERN)


def check_model(model: str) -> str:
    """``model`` when it matches the contract's model-name pattern, else ``InvalidInputError``.

    Example: ``check_model("fraud-score")``; ``check_model("Fraud Score")`` raises.
    """
    if not isinstance(model, str) or not _MODEL_NAME.match(model):
        raise InvalidInputError(
            f"model must match {MODEL_NAME_PATTERN} (the contract's model name), got {model!r}",
            code="INVALID_INPUT",
        )
    return model


def _segment(value: str) -> str:
    return quote(value, safe="")


@dataclass(frozen=True, slots=True)
class PreparedInput:
    """A checked input: its cache key, its JSON text, and what the key was made from."""

    key: str
    data_json: str
    scope: str
    data: Mapping[str, Any]


def prepare_input(
    model: str, version: str | None, scope: str, data: Any, *, max_bytes: int
) -> PreparedInput:
    """Check ``data`` (a JSON object, no NaN/Infinity, at most ``max_bytes``) and compute its
    cache key and its JSON text once."""
    if not isinstance(data, Mapping):
        raise InvalidInputError(
            f"data must be a JSON object (dict), got {type(data).__name__}", code="INVALID_INPUT"
        )
    key = cache_key(model, version, scope, data)  # also rejects NaN/Infinity
    data_json = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    size = len(data_json.encode("utf-8")) if not data_json.isascii() else len(data_json)
    if size > max_bytes:
        raise PayloadTooLargeError(
            f"the input is {size} bytes, above max_input_bytes ({max_bytes}); "
            "send a smaller input or raise the option"
        )
    return PreparedInput(key, data_json, scope, data)


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
            {**(meta or {}), "input_digest": digest, "client": CLIENT_NAME},
            separators=(",", ":"),
            ensure_ascii=False,
        )
        # The data's JSON text was made once in prepare_input: splice it in, do not re-encode.
        parts = ['{"request_id":', json.dumps(request_id, ensure_ascii=False), ',"data":']
        parts += [prepared.data_json, ',"meta":', meta_json]
        for name, value in (extra or {}).items():
            parts += [",", json.dumps(name), ":", json.dumps(value, ensure_ascii=False)]
        parts.append("}")
        return "".join(parts).encode("utf-8")

    return build


def _prediction(envelope: dict[str, Any], _answer: HttpAnswer, _model: str | None) -> Prediction:
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


def predict_op(
    model: str,
    version: str | None,
    prepared: PreparedInput,
    request_id: str,
    meta: Mapping[str, Any] | None,
) -> Operation[Prediction]:
    """The predict operation (its path and body follow whichever model is finally called)."""
    return Operation(
        name="predict",
        method="POST",
        path=lambda m: f"/models/{_segment(m or model)}/predict",
        parse=_prediction,
        model=model,
        version=version,
        body=_envelope_body(model, prepared, request_id, meta),
        kind="predict",
    )


def _job(envelope: dict[str, Any], _answer: HttpAnswer, _model: str | None) -> Job:
    return JobResponse.model_validate(envelope).result


def submit_job_op(
    model: str,
    version: str | None,
    prepared: PreparedInput,
    request_id: str,
    meta: Mapping[str, Any] | None,
    callback_url: str | None,
) -> Operation[Job]:
    """Submit an asynchronous prediction job."""
    extra = {"callback_url": callback_url} if callback_url else None
    return Operation(
        name="submit_job",
        method="POST",
        path=lambda _m: f"/models/{_segment(model)}/jobs",
        parse=_job,
        model=model,
        version=version,
        body=_envelope_body(model, prepared, request_id, meta, extra),
        kind="submit_job",
    )


def job_op(method: str, model: str, job_id: str) -> Operation[Job]:
    """Read (``GET``) or cancel (``DELETE``) a job."""
    return Operation(
        name="get_job" if method == "GET" else "cancel_job",
        method=method,
        path=lambda _m: f"/models/{_segment(model)}/jobs/{_segment(job_id)}",
        parse=_job,
        model=model,
    )


def feedback_op(
    model: str, prediction_request_id: str, fields: Mapping[str, Any]
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
        path=lambda _m: f"/models/{_segment(model)}/feedback",
        parse=lambda env, _a, _m: _FeedbackResponse.model_validate(env).result,
        model=model,
        body=lambda _m, _v: encoded,
    )


def model_info_op(model: str, thresholds: dict[str, float]) -> Operation[ModelInfo]:
    """A model's info; remembers its ``min_confidence`` threshold in ``thresholds``."""

    def parse(env: dict[str, Any], _a: HttpAnswer, _m: str | None) -> ModelInfo:
        info = ModelInfoResponse.model_validate(env).result
        if info.thresholds.min_confidence is not None:
            thresholds[model] = info.thresholds.min_confidence
        return info

    return Operation(
        name="model_info",
        method="GET",
        path=lambda _m: f"/models/{_segment(model)}/info",
        parse=parse,
        model=model,
    )


def _get(
    name: str,
    path: str,
    parse: Callable[[dict[str, Any]], T],
    model: str | None = None,
    authenticated: bool = True,
) -> Operation[T]:
    """A GET operation whose path does not depend on the model finally called."""
    return Operation(
        name=name,
        method="GET",
        path=lambda _m: path,
        parse=lambda env, _a, _m: parse(env),
        model=model,
        authenticated=authenticated,
    )


def list_models_op() -> Operation[list[ModelSummary]]:
    """The models visible to the caller."""
    return _get(
        "list_models", "/models", lambda e: ModelListResponse.model_validate(e).result.models
    )


def gateway_health_op(which: str) -> Operation[Health]:
    """Gateway readiness (``ready``) or liveness (``live``); sent without a token."""
    parse = lambda e: HealthResponse.model_validate(e).result  # noqa: E731
    return _get("health", f"/health/{which}", parse, authenticated=False)


def model_health_op(model: str) -> Operation[ModelHealth]:
    """A model's readiness."""
    path = f"/models/{_segment(model)}/health"
    return _get("model_health", path, lambda e: ModelHealthResponse.model_validate(e).result, model)
