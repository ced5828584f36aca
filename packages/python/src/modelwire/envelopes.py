"""The 2xx envelopes as the SDK reads them: the generated contract models made tolerant
(docs/semantics.md, "Tolerant reader"). The contract says what the gateway sends; the SDK
accepts more: ``code`` is not checked (``"OK"``, ``"200"``, ``200`` or none), ``message`` may be
missing, and an unknown enum value (a job state, a model or version state, a health state)
passes through as its string: ``TolerantHealth``, ``TolerantModelHealth`` and ``TolerantModelInfo``
are what ``health``, ``model_health`` and ``model_info`` return. ``status == "success"`` and an
object ``result`` are checked before these models (``responses.read_answer``).

Private. Example::

    PredictEnvelope.model_validate({"status": "success", "code": 200, ...}).result.confidence
"""

from __future__ import annotations

from typing import Any

from .generated.models import (
    FeedbackResponse,
    Health,
    HealthResponse,
    Job,
    JobResponse,
    ModelHealth,
    ModelHealthResponse,
    ModelInfo,
    ModelInfoResponse,
    ModelListResponse,
    ModelVersion,
    PredictResponse,
    Version,
)

# Each envelope re-declares the two fields the reader does not hold the gateway to. The
# generated types are narrower (a Literal), hence the ignores: widening is the point here.


class PredictEnvelope(PredictResponse):
    """A predict answer whatever its ``code``."""

    code: Any = None
    message: str | None = None  # type: ignore[assignment]


class TolerantJob(Job):
    """A job whose ``state`` may be one this SDK does not know yet (passed through as is)."""

    state: str  # type: ignore[assignment]


class JobEnvelope(JobResponse):
    """A job answer whatever its ``code``, with a job of any state."""

    code: Any = None
    message: str | None = None  # type: ignore[assignment]
    result: TolerantJob


class FeedbackEnvelope(FeedbackResponse):
    """A feedback answer whatever its ``code``."""

    code: Any = None
    message: str | None = None  # type: ignore[assignment]


class TolerantModelVersion(ModelVersion):
    """A version of ``model_info`` whose ``state`` may be one this SDK does not know yet."""

    state: str  # type: ignore[assignment]


class TolerantModelInfo(ModelInfo):
    """A model's info (``model_info``) with its version states passed through as strings.

    Example: ``client.model_info("fraud-score").versions[0].state  # "ready", "shadow", ...``
    """

    versions: list[TolerantModelVersion]  # type: ignore[assignment]


class ModelInfoEnvelope(ModelInfoResponse):
    """A model-info answer whatever its ``code``, with states of any value."""

    code: Any = None
    message: str | None = None  # type: ignore[assignment]
    result: TolerantModelInfo


class ModelListEnvelope(ModelListResponse):
    """A model-list answer whatever its ``code``."""

    code: Any = None
    message: str | None = None  # type: ignore[assignment]


class TolerantHealth(Health):
    """The gateway's health (``health``); its ``state`` is ``"ok"`` or a state passed through.

    Example: ``client.health().state == "ok"``
    """

    state: str  # type: ignore[assignment]


class HealthEnvelope(HealthResponse):
    """A gateway health answer whatever its ``code`` and ``state``."""

    code: Any = None
    message: str | None = None  # type: ignore[assignment]
    result: TolerantHealth


class TolerantVersion(Version):
    """A version's health whose ``state`` may be one this SDK does not know yet."""

    state: str  # type: ignore[assignment]


class TolerantModelHealth(ModelHealth):
    """A model's health (``model_health``): the model's and its versions' states as strings
    (``ready``, ``loading``, ``unavailable`` or one a newer gateway added, e.g. ``draining``).

    Example: ``client.model_health("fraud-score").versions[0].state``
    """

    state: str  # type: ignore[assignment]
    versions: list[TolerantVersion]  # type: ignore[assignment]


class ModelHealthEnvelope(ModelHealthResponse):
    """A model health answer whatever its ``code`` and states."""

    code: Any = None
    message: str | None = None  # type: ignore[assignment]
    result: TolerantModelHealth
