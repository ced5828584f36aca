"""modelwire: call machine-learning models behind the modelwire gateway, sync or asyncio.

Example::

    from modelwire import Client

    with Client("https://gateway.example/v1", auth="t-alice") as client:
        prediction = client.predict("fraud-score", {"amount": 129.5, "country": "FR"})
        print(prediction.result, prediction.confidence, prediction.low_confidence)
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
