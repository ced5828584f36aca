"""The API's operations as ``Operation`` descriptors: method, path, body and how to parse the
2xx envelope (with the generated pydantic models). Input checks happen here, before anything
is sent: the model name against the contract's pattern, ``data`` as a JSON object of JSON
values within ``max_json_depth`` and ``max_input_bytes``.

Private. Example::

    checked = check_input({"amount": 1}, max_bytes=1000, max_depth=100)
    prepared = prepare("fraud-score", None, "anonymous", checked)
    op = predict_op("fraud-score", None, prepared, "r-1", meta=None)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from .cache_key import key_of
from .call import Operation
from .canonical import c_canonical, canonical_json
from .effects import HttpAnswer
from .envelopes import (
    FeedbackEnvelope,
    HealthEnvelope,
    JobEnvelope,
    ModelHealthEnvelope,
    ModelInfoEnvelope,
    ModelListEnvelope,
    PredictEnvelope,
    TolerantHealth,
    TolerantModelHealth,
    TolerantModelInfo,
)
from .errors import InvalidInputError, PayloadTooLargeError
from .feedback import FeedbackReceipt
from .frozen import freeze
from .generated.models import ModelSummary
from .generated.policy import DEFAULT_POLICY, MODEL_NAME_PATTERN
from .job import Job, JobError
from .option_rules import is_request_id
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


def _plain(value: Any) -> Any:
    # json.dumps writes dicts only: another Mapping (checked already) is written as its dict.
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON")  # pragma: no cover - checked before


def to_json(value: Any) -> str:
    """``value``'s compact JSON text (UTF-8 kept), for a value already checked as JSON.

    Example: ``to_json({"a": [1, "é"]}) == '{"a":[1,"é"]}'``
    """
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_plain)


@dataclass(frozen=True, slots=True)
class CheckedInput:
    """``data`` checked as a JSON object within the limits, with its two texts: canonical (for
    the cache key) and compact (for the body)."""

    canonical: str
    data_json: str
    data: Mapping[str, Any]


def check_input(data: Any, *, max_bytes: int, max_depth: int) -> CheckedInput:
    """Check ``data`` (docs/semantics.md, "What the SDKs check before sending"): a JSON object
    of JSON values, at most ``max_depth`` levels deep and ``max_bytes`` long; raises
    ``InvalidInputError`` naming the path, or ``PayloadTooLargeError``.

    Example: ``check_input({"amount": 1}, max_bytes=1000, max_depth=100).data_json``
    """
    if not isinstance(data, Mapping):
        raise InvalidInputError(
            f"data must be a JSON object (dict), got {type(data).__name__}", code="INVALID_INPUT"
        )
    fast = c_canonical(data, max_depth) if type(data) is dict else None
    if fast is not None:
        # Plain data: its canonical text is also its compact JSON (keys sorted), made once.
        canonical = data_json = fast
    else:
        canonical = canonical_json(data, max_depth=max_depth, name="data")
        data_json = to_json(data)
    size = len(data_json.encode("utf-8")) if not data_json.isascii() else len(data_json)
    if size > max_bytes:
        raise PayloadTooLargeError(
            f"the input is {size} bytes, above max_input_bytes ({max_bytes}); "
            "send a smaller input or raise the option"
        )
    return CheckedInput(canonical, data_json, data)


@dataclass(frozen=True, slots=True)
class PreparedInput:
    """A checked input with its cache key (for the credential ``scope`` of the call)."""

    key: str
    data_json: str
    scope: str
    data: Mapping[str, Any]
    canonical: str


def prepare(model: str, version: str | None, scope: str, checked: CheckedInput) -> PreparedInput:
    """``checked`` with its cache key for ``model`` at ``version`` under ``scope``."""
    key = key_of(checked.canonical, model, version, scope)
    return PreparedInput(key, checked.data_json, scope, checked.data, checked.canonical)


def prepare_input(
    model: str,
    version: str | None,
    scope: str,
    data: Any,
    *,
    max_bytes: int,
    max_depth: int = DEFAULT_POLICY.max_json_depth,
) -> PreparedInput:
    """``check_input`` then ``prepare``: the checked input and its cache key, in one step."""
    checked = check_input(data, max_bytes=max_bytes, max_depth=max_depth)
    return prepare(model, version, scope, checked)


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
            else key_of(prepared.canonical, called or model, version, prepared.scope)
        )
        meta_json = to_json({**(meta or {}), "input_digest": digest, "client": CLIENT_NAME})
        # The data's JSON text was made once in prepare_input: splice it in, do not re-encode.
        parts = ['{"request_id":', json.dumps(request_id, ensure_ascii=False), ',"data":']
        parts += [prepared.data_json, ',"meta":', meta_json]
        for name, value in (extra or {}).items():
            parts += [",", json.dumps(name), ":", json.dumps(value, ensure_ascii=False)]
        parts.append("}")
        return "".join(parts).encode("utf-8")

    return build


def _prediction(envelope: dict[str, Any], _answer: HttpAnswer, _model: str | None) -> Prediction:
    checked = PredictEnvelope.model_validate(envelope)
    return Prediction(
        result=freeze(envelope["result"]),
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
    # Checked by the contract's model (tolerant of states), then frozen from the raw JSON as a
    # prediction's result is: unknown fields of the result pass through, read-only.
    checked = JobEnvelope.model_validate(envelope).result
    raw_result = envelope["result"].get("result")
    error = checked.error
    return Job(
        job_id=checked.job_id,
        model=checked.model,
        version=checked.version,
        state=checked.state,
        request_id=checked.request_id,
        created_at=checked.created_at,
        updated_at=checked.updated_at,
        result=freeze(raw_result) if checked.result is not None else None,
        error=JobError(error.code, error.message) if error is not None else None,
    )


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


def _receipt(envelope: dict[str, Any], _answer: HttpAnswer, _model: str | None) -> FeedbackReceipt:
    # A receipt without feedback_id or accepted fails validation: MalformedResponseError.
    checked = FeedbackEnvelope.model_validate(envelope).result
    return FeedbackReceipt(feedback_id=checked.feedback_id, accepted=checked.accepted)


def feedback_op(
    model: str, prediction_request_id: str, fields: Mapping[str, Any]
) -> Operation[FeedbackReceipt]:
    """Ground truth for a past prediction (fields that are None are left out); raises
    ``InvalidInputError`` for a ``request_id`` no prediction can have or a field that is not JSON.
    """
    if not is_request_id(prediction_request_id):
        raise InvalidInputError(
            "request_id must be a prediction's request id (1 to 128 visible ASCII characters), "
            f"got {prediction_request_id!r}",
            code="INVALID_INPUT",
        )
    body = {
        "request_id": prediction_request_id,
        **{k: v for k, v in fields.items() if v is not None},
    }
    canonical_json(body, name="feedback")  # NaN or a non-JSON field: refused before sending
    encoded = to_json(body).encode("utf-8")
    return Operation(
        name="feedback",
        method="POST",
        path=lambda _m: f"/models/{_segment(model)}/feedback",
        parse=_receipt,
        model=model,
        body=lambda _m, _v: encoded,
    )


def model_info_op(model: str, thresholds: dict[str, float]) -> Operation[TolerantModelInfo]:
    """A model's info; remembers its ``min_confidence`` threshold in ``thresholds``."""

    def parse(env: dict[str, Any], _a: HttpAnswer, _m: str | None) -> TolerantModelInfo:
        info = ModelInfoEnvelope.model_validate(env).result
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
        "list_models", "/models", lambda e: ModelListEnvelope.model_validate(e).result.models
    )


def gateway_health_op(which: str) -> Operation[TolerantHealth]:
    """Gateway readiness (``ready``) or liveness (``live``); sent without a token."""
    parse = lambda e: HealthEnvelope.model_validate(e).result  # noqa: E731
    return _get("health", f"/health/{which}", parse, authenticated=False)


def model_health_op(model: str) -> Operation[TolerantModelHealth]:
    """A model's readiness."""
    path = f"/models/{_segment(model)}/health"
    return _get("model_health", path, lambda e: ModelHealthEnvelope.model_validate(e).result, model)
