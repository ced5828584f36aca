"""modelwire: call machine-learning models behind the modelwire gateway, sync or asyncio.

Example::

    from modelwire import Client

    with Client("https://gateway.example/v1", auth="t-alice") as client:
        prediction = client.predict("fraud-score", {"amount": 129.5, "country": "FR"})
        print(prediction.result, prediction.confidence, prediction.low_confidence)

Everything public is importable from ``modelwire`` itself (its ``__all__``; the submodules are
internal):

- the clients: ``Client`` (blocking, thread-safe) and ``AsyncClient`` (asyncio), the same calls;
- what they return: ``Prediction`` (with ``ModelRef`` and ``Fallback``), ``Job`` (with
  ``JobError``), ``FeedbackReceipt``; ``model_info``, ``list_models``, ``health`` and
  ``model_health`` return pydantic models generated from the contract (their fields are the
  contract's, states passed through as strings);
- options: ``RetryOptions``, ``BudgetOptions``, ``BreakerOptions``, ``CacheOptions``, ``Fleet``,
  the credentials ``StaticToken``, ``TokenProvider``, ``OIDCClientCredentials``, and
  ``AbortSignal`` for one call;
- errors: ``ModelwireError`` and one subclass per kind (``ValidationError.errors`` holds
  ``FieldError`` values); ``WebhookVerificationError``;
- events: ``Event`` (``on_event``) of an ``EventType``; ``BreakerState`` is what
  ``breaker_state`` returns (``"closed"``, ``"open"`` or ``"half-open"``);
- helpers: ``verify_webhook`` / ``sign_webhook`` (job callbacks), ``plain_copy`` (a mutable copy
  of a read-only result), ``cache_key`` and ``canonical_json`` (the cache key shared with the
  other SDKs);
- ``DEFAULT_POLICY``: the contract's defaults, where every option's default comes from;
  ``PIPELINE``: the stages of a prediction, in order; ``__version__``: this package's version.
"""

from ._version import __version__
from .abort import AbortSignal
from .async_client import AsyncClient
from .auth import OIDCClientCredentials, StaticToken, TokenProvider
from .breaker import BreakerState
from .cache_key import cache_key
from .canonical import canonical_json
from .client import Client
from .errors import (
    AbortedError,
    AuthError,
    BadRequestError,
    CircuitOpenError,
    ConflictError,
    ConnectionError,
    DeadlineExceededError,
    FieldError,
    InvalidInputError,
    MalformedResponseError,
    ModelwireError,
    NotFoundError,
    PayloadTooLargeError,
    RateLimitError,
    ServerError,
    TimeoutError,
    UnavailableError,
    ValidationError,
)
from .events import Event, EventType
from .feedback import FeedbackReceipt
from .fleet import Fleet
from .frozen import plain_copy
from .generated.policy import DEFAULT_POLICY
from .job import Job, JobError
from .options import BreakerOptions, BudgetOptions, CacheOptions, RetryOptions
from .pipeline import PIPELINE
from .result import Fallback, ModelRef, Prediction
from .webhook import WebhookVerificationError, sign_webhook, verify_webhook

__all__ = [
    "DEFAULT_POLICY",
    "PIPELINE",
    "AbortSignal",
    "AbortedError",
    "AsyncClient",
    "AuthError",
    "BadRequestError",
    "BreakerOptions",
    "BreakerState",
    "BudgetOptions",
    "CacheOptions",
    "CircuitOpenError",
    "Client",
    "ConflictError",
    "ConnectionError",
    "DeadlineExceededError",
    "Event",
    "EventType",
    "Fallback",
    "FeedbackReceipt",
    "FieldError",
    "Fleet",
    "InvalidInputError",
    "Job",
    "JobError",
    "MalformedResponseError",
    "ModelRef",
    "ModelwireError",
    "NotFoundError",
    "OIDCClientCredentials",
    "PayloadTooLargeError",
    "Prediction",
    "RateLimitError",
    "RetryOptions",
    "ServerError",
    "StaticToken",
    "TimeoutError",
    "TokenProvider",
    "UnavailableError",
    "ValidationError",
    "WebhookVerificationError",
    "__version__",
    "cache_key",
    "canonical_json",
    "plain_copy",
    "sign_webhook",
    "verify_webhook",
]
