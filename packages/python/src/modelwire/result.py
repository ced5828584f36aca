"""The typed result of ``predict``.

Example::

    prediction = client.predict("fraud-score", {"amount": 129.5})
    if prediction.low_confidence:
        route_to_human_review(prediction.result)
    print(prediction.model.version, prediction.cached, prediction.attempts)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

FallbackReason = Literal["circuit_open", "retries_exhausted"]


@dataclass(frozen=True, slots=True)
class ModelRef:
    """The model and version that served the answer (the gateway echoes the version).

    Example: ``ModelRef(name="fraud-score", version="2")``
    """

    name: str
    version: str


@dataclass(frozen=True, slots=True)
class Fallback:
    """Set when a backup model answered: ``from_`` (primary), ``to`` (backup) and ``reason``.

    Example: ``Fallback(from_="fraud-score", to="fraud-score-backup", reason="circuit_open")``
    """

    from_: str
    to: str
    reason: FallbackReason


@dataclass(frozen=True, slots=True)
class Prediction:
    """One prediction.

    ``result`` is the model's output object, read-only (objects are read-only mappings, arrays
    tuples; ``modelwire.plain_copy(p.result)`` is a mutable copy); ``confidence`` and
    ``uncertainty_score`` are lifted from it when the model reports them. ``low_confidence`` is
    true below the ``min_confidence`` option (or the model's threshold learned from
    ``model_info``). ``cached``/``stale`` say the
    answer came from the local cache; ``fallback`` is set when a backup model answered;
    ``attempts`` counts HTTP attempts (0 for a cache hit).

    Example::

        p = client.predict("sentiment", {"text": "great"})
        p.result["label"], p.confidence, p.request_id
    """

    result: Mapping[str, Any]
    confidence: float | None
    uncertainty_score: float | None
    low_confidence: bool
    request_id: str
    trace_id: str
    model: ModelRef
    cached: bool = False
    stale: bool = False
    fallback: Fallback | None = None
    attempts: int = 1
