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
    """The model that answered."""
    version: str
    """The version that served the answer, as the gateway reports it."""


@dataclass(frozen=True, slots=True)
class Fallback:
    """Set when a backup model answered: ``from_`` (primary), ``to`` (backup) and ``reason``.

    Example: ``Fallback(from_="fraud-score", to="fraud-score-backup", reason="circuit_open")``
    """

    from_: str
    """The model that was called (the primary)."""
    to: str
    """The backup model that answered."""
    reason: FallbackReason
    """Why the call fell back: ``circuit_open`` or ``retries_exhausted``."""


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
    """The model's output object, read-only (``modelwire.plain_copy`` makes a mutable copy)."""
    confidence: float | None
    """The model's confidence (0..1) when it reports one, else None."""
    uncertainty_score: float | None
    """The model's uncertainty (0..1) when it reports one, else None."""
    low_confidence: bool
    """True when ``confidence`` is below ``min_confidence`` (or the model's threshold)."""
    request_id: str
    """The request id the gateway echoed (the one to quote in ``feedback``)."""
    trace_id: str
    """The W3C trace id of the call."""
    model: ModelRef
    """The model and version that served the answer."""
    cached: bool = False
    """True when the answer came from the cache (memory, or Redis in fleet mode)."""
    stale: bool = False
    """True when an expired cache entry was served because the call failed (stale-if-error)."""
    fallback: Fallback | None = None
    """Set when a backup model answered, else None."""
    attempts: int = 1
    """HTTP attempts the call made (0 for a cache hit)."""
