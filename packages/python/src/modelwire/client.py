"""``Client``: the blocking twin of ``AsyncClient`` (same options, same behaviour).

Only the blocking I/O loop lives here: every call is a generator of effects built by
``_core.py`` on the composed stages (``pipeline.py``); this class performs the effects with
blocking httpx, threads for coalescing and abortable waits.

Example::

    from modelwire import Client

    with Client("https://gateway.example/v1", auth="t-alice",
                fallbacks={"fraud-score": "fraud-score-backup"}) as client:
        p = client.predict("fraud-score", {"amount": 129.5, "country": "FR"})
        print(p.result["label"], p.confidence, p.low_confidence)
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping
from types import TracebackType
from typing import Any, TypeVar, overload

import httpx

from ._base import BaseClient
from ._core import Call, CallArgs
from ._http import (
    answer_of,
    attempt_error,
    body_reader,
    build_request,
    raw_chunks,
    timeout_error,
    transport_error,
)
from .abort import AbortableRunner, AbortSignal, aborted_error
from .attempt_deadline import attempt_deadline, bound_attempts
from .auth import SyncTokenSource
from .body import ACCEPT_IDENTITY
from .clock import SYSTEM_CLOCK
from .coalesce import SyncCoalescer, at_io
from .effects import Drive, Effect, HttpAnswer, RedisOp, RefreshToken, Send, Share, Sleep
from .envelopes import TolerantHealth, TolerantModelHealth, TolerantModelInfo
from .errors import ModelwireError
from .feedback import FeedbackReceipt
from .fleet import UNAVAILABLE
from .fleet_io import SyncFleetIO, is_async_redis
from .generated.models import ModelSummary
from .job import Job
from .option_rules import invalid_option
from .result import Prediction

__all__ = ["Client", "transport_error"]

T = TypeVar("T")


class Client(BaseClient[httpx.BaseTransport]):
    """Blocking modelwire client. Thread-safe: share one per process; close it (or use ``with``).

    Options (defaults from the contract's ``x-modelwire-policy``): ``auth`` (token str,
    ``StaticToken``, ``TokenProvider``, ``OIDCClientCredentials``), ``fallbacks`` (mapping or
    function), ``retry``, ``breaker``, ``cache`` (``CacheOptions`` or False), ``timeout_ms``
    (per attempt), ``deadline_ms`` (whole call), ``min_confidence``, ``on_event``,
    ``cache_scope``, ``max_input_bytes``, ``max_response_bytes`` (one answer's body, decoded),
    ``max_json_depth`` (nesting of a JSON answer), ``headers``, ``transport`` (an
    ``httpx.BaseTransport``, e.g. ``httpx.MockTransport`` in tests), ``clock``, and
    OpenTelemetry (with ``modelwire[otel]`` installed): ``tracer_provider`` and
    ``meter_provider`` (default: the global providers), ``telemetry=False`` to turn it off.

    Example::

        with Client("http://127.0.0.1:4010/v1") as client:
            print([m.name for m in client.list_models()])
    """

    _NAME = "Client"

    # ------------------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        """Close pooled connections and worker threads. Idempotent.

        Example: ``client.close()``
        """
        self._coalescer.close()
        self._abortable.close()
        if self._fleet_io is not None:
            self._fleet_io.close()  # the application's Redis client stays open
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _open(
        self, transport: httpx.BaseTransport | None, http: str | None, http_client: Any
    ) -> None:
        # Fleet mode: the application's Redis client, of the twin's kind (never closed here).
        self._fleet_io: SyncFleetIO | None = None
        runtime = self._core.runtime
        if runtime.fleet is not None:
            redis = runtime.fleet.fleet.redis
            if is_async_redis(redis):
                raise invalid_option(
                    "fleet.redis", "a blocking redis-py client for Client", type(redis).__name__
                )
            self._fleet_io = runtime.fleet_io = SyncFleetIO(runtime.fleet, redis)
        if http not in (None, "httpx"):
            raise invalid_option("http", '"httpx" (the blocking client\'s library)', http)
        if http_client is not None:
            if not isinstance(http_client, httpx.Client):
                raise invalid_option("http_client", "an httpx.Client", type(http_client).__name__)
            if transport is not None:
                raise invalid_option("transport", "None when http_client is given", transport)
            # The caller's client: used as configured (proxies, mTLS, CAs), never closed here.
            self._http, self._owns_http = http_client, False
        else:
            # The client owns retries: httpx's transport retries stay at 0 so layers never
            # multiply. No compression asked for on any request, token requests included.
            self._http = httpx.Client(
                transport=transport, timeout=self._core.options.timeout_s, headers=ACCEPT_IDENTITY
            )
            self._owns_http = True
        # Every socket operation of an attempt ends by the attempt's end (attempt_deadline.py).
        bound_attempts(self._http)
        options = self._core.options
        self._max_body = options.max_response_bytes
        self._tokens = SyncTokenSource(
            options.auth,
            self._http,
            options.clock,
            timeout_s=options.timeout_s,
            max_json_depth=options.max_json_depth,
            jitter=options.retry.jitter,
        )
        self._coalescer = SyncCoalescer()
        self._abortable = AbortableRunner()
        telemetry = self._core.runtime.telemetry
        self._suppress_http = telemetry.suppress_http if telemetry is not None else None

    # -------------------------------------------------------------------------------- driver
    def _run(self, call: Call[T], signal: AbortSignal | None = None) -> T:
        """Perform the call's effects with blocking I/O until it returns."""
        drive = Drive(call)
        try:
            while (effect := drive.next()) is not None:
                drive.resume(self._perform(effect, signal))
            return drive.result
        finally:
            drive.close()

    def _perform(self, effect: Effect, signal: AbortSignal | None) -> Any:
        """One effect's result, or its typed error (returned, for the call to receive)."""
        try:
            if signal is not None and signal.aborted:
                raise aborted_error()
            if isinstance(effect, Share):
                return self._coalescer.run(
                    effect.key,
                    lambda shared_signal: self._run(effect.start(), shared_signal),
                    signal=signal,
                    wait_s=effect.wait_s,
                    on_join=effect.on_join,
                )
            at_io(signal)  # a shared call's worker reached blocking I/O
            if isinstance(effect, RedisOp):
                return self._fleet_io.run(effect.ops) if self._fleet_io else UNAVAILABLE
            if isinstance(effect, Send):
                if signal is None:
                    return self._send(effect)
                return self._abortable.run(lambda: self._send(effect), signal)
            if isinstance(effect, Sleep):
                return self._sleep(effect.seconds, signal)
            # GetToken / RefreshToken: waited for until the call's deadline at most.
            stale = effect.stale if isinstance(effect, RefreshToken) else None
            force = isinstance(effect, RefreshToken)
            return self._tokens.token(force=force, stale=stale, wait_s=effect.wait_s)
        except ModelwireError as err:
            return err

    def _send(self, effect: Send) -> HttpAnswer:
        """One attempt, bounded as a whole by ``effect.timeout_s`` from its start: each socket
        read and write (connect, headers, body) ends by then (``attempt_deadline``); a transport
        without sockets (in-memory) is checked after each body chunk."""
        ends = time.monotonic() + effect.timeout_s
        with attempt_deadline(ends):
            return self._exchange(effect, ends)

    def _exchange(self, effect: Send, ends: float) -> HttpAnswer:
        response: httpx.Response | None = None
        try:
            request = build_request(self._http, effect)
            suppress = self._suppress_http if effect.instrumented else None
            if suppress is None:
                response = self._http.send(request, stream=True, follow_redirects=False)
            else:
                # Our attempt span is the HTTP client span: httpx's own instrumentation (if any)
                # makes none and injects no second traceparent.
                with suppress():
                    response = self._http.send(request, stream=True, follow_redirects=False)
            reader = body_reader(response, self._max_body)
            for chunk in raw_chunks(response):
                if time.monotonic() > ends:
                    raise timeout_error(effect.timeout_s)
                reader.feed(chunk)
            if time.monotonic() > ends:
                raise timeout_error(effect.timeout_s)
            return answer_of(response, reader.finish())
        except Exception as err:  # noqa: BLE001 - the attempt's one boundary
            status = response.status_code if response is not None else None
            typed = attempt_error(err, status, effect.timeout_s, effect.url)
            # Keep what failed underneath (the OS's reason) as the cause of a new typed error.
            raise typed from (None if typed is err else err)
        finally:
            if response is not None:
                response.close()

    def _sleep(self, seconds: float, signal: AbortSignal | None) -> None:
        clock = self._core.runtime.clock
        # An injected clock owns time: only the real clock can be woken up by the signal.
        if signal is not None and clock is SYSTEM_CLOCK:
            if signal.wait(seconds):
                raise aborted_error()
        else:
            clock.sleep(seconds)

    # ------------------------------------------------------------------------------- predict
    def predict(
        self,
        model: str,
        data: Mapping[str, Any],
        *,
        version: str | None = None,
        request_id: str | None = None,
        meta: Mapping[str, Any] | None = None,
        cache: bool = True,
        signal: AbortSignal | None = None,
        timeout_ms: float | None = None,
        deadline_ms: float | None = None,
        traceparent: str | None = None,
        min_confidence: float | None = None,
    ) -> Prediction:
        """Run a prediction through cache → coalesce → fallback → retry → breaker → timeout.

        ``version`` pins a model version (``X-Model-Version``); ``cache=False`` skips the cache and
        coalescing; ``signal`` (an ``AbortSignal``) aborts this caller only.

        Example::

            p = client.predict("fraud-score", {"amount": 129.5}, version="2")
            p.result["score"], p.model.version, p.fallback
        """
        args = CallArgs(request_id, traceparent, timeout_ms, deadline_ms)
        call = self._core.predict(model, data, version, meta, cache, args, min_confidence)
        return self._run(call, signal)

    # ---------------------------------------------------------------------------------- jobs
    def submit_job(
        self,
        model: str,
        data: Mapping[str, Any],
        *,
        version: str | None = None,
        request_id: str | None = None,
        meta: Mapping[str, Any] | None = None,
        callback_url: str | None = None,
        traceparent: str | None = None,
        signal: AbortSignal | None = None,
    ) -> Job:
        """Submit an asynchronous prediction job (202); poll it with ``wait_for_job``.

        Example: ``job = client.submit_job("fraud-score", {"amount": 1}, callback_url=url)``
        """
        args = CallArgs(request_id, traceparent)
        return self._run(
            self._core.submit_job(model, data, version, meta, callback_url, args), signal
        )

    def get_job(self, model: str, job_id: str, *, signal: AbortSignal | None = None) -> Job:
        """Read a job's state.

        Example: ``client.get_job("fraud-score", job.job_id).state``
        """
        return self._run(self._core.job("GET", model, job_id), signal)

    def cancel_job(self, model: str, job_id: str, *, signal: AbortSignal | None = None) -> Job:
        """Cancel a job (``ConflictError`` when it already finished).

        Example: ``client.cancel_job("fraud-score", job.job_id).state == "canceled"``
        """
        return self._run(self._core.job("DELETE", model, job_id), signal)

    def wait_for_job(
        self,
        model: str,
        job_id: str,
        *,
        timeout_ms: float | None = None,
        poll_initial_ms: float | None = None,
        poll_max_ms: float | None = None,
        signal: AbortSignal | None = None,
    ) -> Job:
        """Poll ``get_job`` (backoff from the contract's ``jobs`` policy) until a final state.

        ``timeout_ms`` bounds the wait (``DeadlineExceededError``); None waits as long as it takes.

        Example: ``client.wait_for_job("fraud-score", job.job_id, timeout_ms=60_000).result``
        """
        call = self._core.wait_for_job(model, job_id, timeout_ms, poll_initial_ms, poll_max_ms)
        return self._run(call, signal)

    # ----------------------------------------------------------------------- other operations
    def feedback(
        self,
        model: str,
        request_id: str,
        *,
        label: str | None = None,
        outcome: str | None = None,
        score: float | None = None,
        comment: str | None = None,
    ) -> FeedbackReceipt:
        """Send ground truth for a past prediction (its ``request_id``); returns the receipt.

        Example: ``client.feedback("fraud-score", p.request_id, label="fraud").accepted``
        """
        fields = {"label": label, "outcome": outcome, "score": score, "comment": comment}
        return self._run(self._core.feedback(model, request_id, fields))

    def model_info(self, model: str) -> TolerantModelInfo:
        """Versions, traffic split, schemas and thresholds of a model (remembers the threshold).

        Example: ``client.model_info("fraud-score").thresholds.min_confidence``
        """
        return self._run(self._core.model_info(model))

    def list_models(self) -> list[ModelSummary]:
        """The models visible to the caller.

        Example: ``[m.name for m in client.list_models()]``
        """
        return self._run(self._core.list_models())

    def model_health(self, model: str) -> TolerantModelHealth:
        """A model's readiness: its ``state`` and its versions' (strings; a state this SDK does
        not know yet passes through).

        Example: ``client.model_health("fraud-score").state  # "ready", "draining", ...``
        """
        return self._run(self._core.model_health(model))

    @overload
    def health(self, model: None = None) -> TolerantHealth: ...
    @overload
    def health(self, model: str) -> TolerantModelHealth: ...
    def health(self, model: str | None = None) -> TolerantHealth | TolerantModelHealth:
        """The gateway's readiness. ``health(model)`` is a deprecated alias of ``model_health``
        (it emits ``DeprecationWarning``).

        Example: ``client.health().state == "ok"``
        """
        if model is not None:
            warnings.warn(
                "health(model) is deprecated; call model_health(model)",
                DeprecationWarning,
                stacklevel=2,
            )
            return self.model_health(model)
        return self._run(self._core.gateway_health())
