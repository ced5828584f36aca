"""``BaseClient``: what ``Client`` and ``AsyncClient`` share as objects — the constructor and its
options, ``repr``, ``breaker_state`` and ``verify_webhook``. Each twin adds its I/O (httpx client,
token source, coalescer) in ``_open`` and its blocking or ``async`` calls.

Private: construct ``Client`` or ``AsyncClient``. Example::

    class Client(BaseClient[httpx.BaseTransport]):
        def _open(self, transport: httpx.BaseTransport | None) -> None: ...
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, Literal, TypeVar

from ._core import ClientCore
from .auth import Auth
from .breaker import BreakerState
from .clock import Clock
from .events import EventHandler
from .fleet import Fleet
from .options import BreakerOptions, CacheOptions, ClientOptions, Fallbacks, RetryOptions
from .webhook import verify_webhook

TransportT = TypeVar("TransportT")


class BaseClient(Generic[TransportT]):
    """The options every client takes (see ``Client``), resolved and checked once
    (``ClientOptions``) for the ``ClientCore`` that runs the calls.

    Example: ``Client("http://127.0.0.1:4010/v1", auth="t-alice", cache=False)``
    """

    _NAME = "BaseClient"  # the twin's public name, for repr

    def __init__(
        self,
        base_url: str,
        *,
        auth: Auth = None,
        fallbacks: Fallbacks = None,
        retry: RetryOptions | None = None,
        breaker: BreakerOptions | Literal[False] | None = None,
        cache: CacheOptions | bool = True,
        timeout_ms: float | None = None,
        deadline_ms: float | None = None,
        min_confidence: float | None = None,
        on_event: EventHandler | None = None,
        cache_scope: str | None = None,
        max_input_bytes: int | None = None,
        max_response_bytes: int | None = None,
        max_json_depth: int | None = None,
        headers: Mapping[str, str] | None = None,
        transport: TransportT | None = None,
        http: str | None = None,
        http_client: Any = None,
        clock: Clock | None = None,
        telemetry: bool = True,
        tracer_provider: Any = None,
        meter_provider: Any = None,
        fleet: Fleet | Mapping[str, Any] | None = None,
    ) -> None:
        options = ClientOptions.resolve(
            base_url,
            auth=auth,
            fallbacks=fallbacks,
            retry=retry,
            breaker=breaker,
            cache=cache,
            timeout_ms=timeout_ms,
            deadline_ms=deadline_ms,
            min_confidence=min_confidence,
            on_event=on_event,
            cache_scope=cache_scope,
            clock=clock,
            max_input_bytes=max_input_bytes,
            max_response_bytes=max_response_bytes,
            max_json_depth=max_json_depth,
            headers=headers,
            telemetry=telemetry,
            tracer_provider=tracer_provider,
            meter_provider=meter_provider,
            fleet=fleet,
        )
        self._core = ClientCore(options)
        self._open(transport, http, http_client)

    def _open(self, transport: TransportT | None, http: str | None, http_client: Any) -> None:
        """Create (or adopt: ``http_client``, never closed by the SDK) the twin's HTTP client,
        its token source and coalescer."""
        raise NotImplementedError

    def __repr__(self) -> str:
        options = self._core.options
        return f"{self._NAME}(base_url={options.base_url!r}, auth={options.auth!r})"

    def breaker_state(self, model: str, version: str | None = None) -> BreakerState:
        """State of the breaker of ``model`` (at a pinned ``version``): closed, open or half-open.

        Example: ``client.breaker_state("fraud-score") == "closed"``
        """
        return self._core.runtime.breaker_state(model, version)

    @staticmethod
    def verify_webhook(
        raw_body: bytes | str, headers: Mapping[str, str] | str | None, secret: str
    ) -> Any:
        """The parsed callback envelope when the signature verifies, else raises
        ``WebhookVerificationError`` (see ``modelwire.verify_webhook``).

        Example: ``envelope = Client.verify_webhook(body, request.headers, secret)``
        """
        return verify_webhook(raw_body, headers, secret)
