"""``AsyncClient``: the asyncio twin of ``Client`` (same options, same behaviour).

Only the ``async`` I/O loop lives here: every call is a generator of effects built by
``_core.py`` on the composed stages (``pipeline.py``); this class performs the effects with
``await`` (tasks for coalescing; cancellation counts as the caller's abort).

Example::

    from modelwire import AsyncClient

    async with AsyncClient("https://gateway.example/v1", auth="t-alice") as client:
        p = await client.predict("fraud-score", {"amount": 129.5})
"""

from __future__ import annotations

import asyncio
import contextlib
import warnings
from collections.abc import Mapping
from types import TracebackType
from typing import Any, TypeVar, overload

import httpx

from ._base import BaseClient
from ._core import Call, CallArgs
from ._http import attempt_error, timeout_error, within
from .abort import AbortSignal, aborted_error, until_aborted
from .async_http import AsyncHttp, HttpxAsyncHttp, open_async_http
from .auth import AsyncTokenSource
from .coalesce import AsyncCoalescer
from .effects import Drive, Effect, HttpAnswer, RedisOp, RefreshToken, Send, Share, Sleep
from .envelopes import TolerantHealth, TolerantModelHealth, TolerantModelInfo
from .errors import ModelwireError
from .feedback import FeedbackReceipt
from .fleet import UNAVAILABLE
from .fleet_io import AsyncFleetIO, is_async_redis
from .generated.models import ModelSummary
from .job import Job
from .option_rules import invalid_option
from .result import Prediction

T = TypeVar("T")


class AsyncClient(BaseClient[httpx.AsyncBaseTransport]):
    """Asyncio modelwire client. Safe to share between tasks of one event loop; close it (or
    use ``async with``). Takes exactly the options of ``Client`` (``transport`` is an
    ``httpx.AsyncBaseTransport``); a ``TokenProvider`` may be async. Its HTTP library:
    ``http="aiohttp"`` (the default when ``modelwire[aiohttp]`` is installed) or ``"httpx"``
    (the default otherwise), or your own configured client, ``http_client=`` an
    ``aiohttp.ClientSession`` or ``httpx.AsyncClient`` (proxies, mTLS, custom CAs), which the
    SDK uses and never closes.

    Example::

        async with AsyncClient("http://127.0.0.1:4010/v1") as client:
            models = await client.list_models()
    """

    _NAME = "AsyncClient"

    # ------------------------------------------------------------------------------ lifecycle
    async def aclose(self) -> None:
        """Close pooled connections. Idempotent.

        Example: ``await client.aclose()``
        """
        self._tokens.close()
        if self._fleet_io is not None:
            await self._fleet_io.drain()  # background writes; the Redis client stays open
        await self._transport.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def _open(
        self, transport: httpx.AsyncBaseTransport | None, http: str | None, http_client: Any
    ) -> None:
        # Fleet mode: the application's Redis client, of the twin's kind (never closed here).
        self._fleet_io: AsyncFleetIO | None = None
        runtime = self._core.runtime
        if runtime.fleet is not None:
            redis = runtime.fleet.fleet.redis
            if not is_async_redis(redis):
                raise invalid_option(
                    "fleet.redis", "a redis.asyncio client for AsyncClient", type(redis).__name__
                )
            self._fleet_io = runtime.fleet_io = AsyncFleetIO(runtime.fleet, redis)
        options = self._core.options
        self._transport: AsyncHttp = open_async_http(
            http, http_client, transport, options.timeout_s
        )
        # The httpx client, when httpx is the library (its instrumentation takes the client).
        if isinstance(self._transport, HttpxAsyncHttp):
            self._http = self._transport.http
        self._max_body = options.max_response_bytes
        self._tokens = AsyncTokenSource(
            options.auth,
            self._transport,
            options.clock,
            timeout_s=options.timeout_s,
            max_json_depth=options.max_json_depth,
            jitter=options.retry.jitter,
        )
        self._coalescer = AsyncCoalescer()
        telemetry = self._core.runtime.telemetry
        self._suppress_http = telemetry.suppress_http if telemetry is not None else None

    # -------------------------------------------------------------------------------- driver
    async def _run(self, call: Call[T], signal: AbortSignal | None = None) -> T:
        """Perform the call's effects with ``await`` until it returns. A cancelled task is the
        caller's abort: the call sees ``AbortedError`` (events, breaker) before it propagates."""
        drive = Drive(call)
        try:
            while (effect := drive.next()) is not None:
                try:
                    result = await self._perform(effect, signal)
                except asyncio.CancelledError:
                    drive.resume(aborted_error())
                    with contextlib.suppress(BaseException):
                        drive.next()
                    raise
                drive.resume(result)
            return drive.result
        finally:
            drive.close()

    async def _perform(self, effect: Effect, signal: AbortSignal | None) -> Any:
        """One effect's result, or its typed error (returned, for the call to receive)."""
        try:
            if signal is not None and signal.aborted:
                raise aborted_error()
            if isinstance(effect, Share):
                return await self._coalescer.run(
                    effect.key,
                    lambda: self._run(effect.start()),
                    signal=signal,
                    wait_s=effect.wait_s,
                    on_join=effect.on_join,
                )
            if isinstance(effect, RedisOp):
                fleet_io = self._fleet_io
                return await fleet_io.run(effect.ops) if fleet_io is not None else UNAVAILABLE
            if isinstance(effect, Send):
                return await until_aborted(self._send(effect), signal)
            if isinstance(effect, Sleep):
                return await until_aborted(self._core.runtime.clock.asleep(effect.seconds), signal)
            # GetToken / RefreshToken: this caller waits until its deadline at most, even for a
            # token request another task started (which goes on for the others).
            stale = effect.stale if isinstance(effect, RefreshToken) else None
            force = isinstance(effect, RefreshToken)
            wait = self._tokens.token(force=force, stale=stale, wait_s=effect.wait_s)
            return await until_aborted(wait, signal)
        except ModelwireError as err:
            return err

    async def _send(self, effect: Send) -> HttpAnswer:
        """One attempt, bounded as a whole (connect, headers and the whole body) by one
        ``effect.timeout_s`` timer started with it."""
        box: list[int] = []  # the status, once the headers arrived
        suppress = self._suppress_http if effect.instrumented else None
        exchange = self._transport.exchange(effect, self._max_body, box, suppress)
        try:
            return await within(effect.timeout_s, exchange)
        except asyncio.TimeoutError:
            raise timeout_error(effect.timeout_s) from None
        except Exception as err:  # noqa: BLE001 - the attempt's one boundary
            typed = attempt_error(err, box[0] if box else None, effect.timeout_s, effect.url)
            # Keep what failed underneath (the OS's reason) as the cause of a new typed error.
            raise typed from (None if typed is err else err)

    # ------------------------------------------------------------------------------- predict
    async def predict(
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

        Cancelling the awaiting task (or aborting ``signal``) leaves only this caller: a shared
        in-flight call keeps running for the other callers.

        Example::

            p = await client.predict("fraud-score", {"amount": 129.5}, version="2")
        """
        args = CallArgs(request_id, traceparent, timeout_ms, deadline_ms)
        call = self._core.predict(model, data, version, meta, cache, args, min_confidence)
        return await self._run(call, signal)

    # ---------------------------------------------------------------------------------- jobs
    async def submit_job(
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

        Example: ``job = await client.submit_job("fraud-score", {"amount": 1})``
        """
        args = CallArgs(request_id, traceparent)
        call = self._core.submit_job(model, data, version, meta, callback_url, args)
        return await self._run(call, signal)

    async def get_job(self, model: str, job_id: str, *, signal: AbortSignal | None = None) -> Job:
        """Read a job's state.

        Example: ``(await client.get_job("fraud-score", job.job_id)).state``
        """
        return await self._run(self._core.job("GET", model, job_id), signal)

    async def cancel_job(
        self, model: str, job_id: str, *, signal: AbortSignal | None = None
    ) -> Job:
        """Cancel a job (``ConflictError`` when it already finished).

        Example: ``(await client.cancel_job("fraud-score", job.job_id)).state``
        """
        return await self._run(self._core.job("DELETE", model, job_id), signal)

    async def wait_for_job(
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

        Example: ``job = await client.wait_for_job("fraud-score", job.job_id, timeout_ms=60_000)``
        """
        call = self._core.wait_for_job(model, job_id, timeout_ms, poll_initial_ms, poll_max_ms)
        return await self._run(call, signal)

    # ----------------------------------------------------------------------- other operations
    async def feedback(
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

        Example: ``(await client.feedback("fraud-score", p.request_id, label="fraud")).accepted``
        """
        fields = {"label": label, "outcome": outcome, "score": score, "comment": comment}
        return await self._run(self._core.feedback(model, request_id, fields))

    async def model_info(self, model: str) -> TolerantModelInfo:
        """Versions, traffic split, schemas and thresholds of a model (remembers the threshold).

        Example: ``(await client.model_info("fraud-score")).thresholds.min_confidence``
        """
        return await self._run(self._core.model_info(model))

    async def list_models(self) -> list[ModelSummary]:
        """The models visible to the caller.

        Example: ``[m.name for m in await client.list_models()]``
        """
        return await self._run(self._core.list_models())

    async def model_health(self, model: str) -> TolerantModelHealth:
        """A model's readiness: its ``state`` and its versions' (strings; a state this SDK does
        not know yet passes through).

        Example: ``(await client.model_health("fraud-score")).state  # "ready", "draining", ...``
        """
        return await self._run(self._core.model_health(model))

    @overload
    async def health(self, model: None = None) -> TolerantHealth: ...
    @overload
    async def health(self, model: str) -> TolerantModelHealth: ...
    async def health(self, model: str | None = None) -> TolerantHealth | TolerantModelHealth:
        """The gateway's readiness. ``health(model)`` is a deprecated alias of ``model_health``
        (it emits ``DeprecationWarning``).

        Example: ``(await client.health()).state == "ok"``
        """
        if model is not None:
            warnings.warn(
                "health(model) is deprecated; call model_health(model)",
                DeprecationWarning,
                stacklevel=2,
            )
            return await self.model_health(model)
        return await self._run(self._core.gateway_health())
