"""The 2xx envelopes as the SDK reads them: the generated contract models made tolerant
(docs/semantics.md, "Tolerant reader"). The contract says what the gateway sends; the SDK
accepts more: ``code`` is not checked (``"OK"``, ``"200"``, ``200`` or none), ``message`` may be
missing, and an unknown job state passes through as its string. ``status == "success"`` and an
object ``result`` are checked before these models (``responses.read_answer``).

Private. Example::

    PredictEnvelope.model_validate({"status": "success", "code": 200, ...}).result.confidence
"""

from __future__ import annotations

from typing import Any

from .generated.models import (
    FeedbackResponse,
    HealthResponse,
    Job,
    JobResponse,
    ModelHealthResponse,
    ModelInfoResponse,
    ModelListResponse,
    PredictResponse,
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


class ModelInfoEnvelope(ModelInfoResponse):
    """A model-info answer whatever its ``code``."""

    code: Any = None
    message: str | None = None  # type: ignore[assignment]


class ModelListEnvelope(ModelListResponse):
    """A model-list answer whatever its ``code``."""

    code: Any = None
    message: str | None = None  # type: ignore[assignment]


class HealthEnvelope(HealthResponse):
    """A gateway health answer whatever its ``code``."""

    code: Any = None
    message: str | None = None  # type: ignore[assignment]


class ModelHealthEnvelope(ModelHealthResponse):
    """A model health answer whatever its ``code``."""

    code: Any = None
    message: str | None = None  # type: ignore[assignment]
