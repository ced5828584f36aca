"""``AsyncClient``: the asyncio twin of ``Client`` (same options, same behaviour).

Example::

    from modelwire import AsyncClient

    async with AsyncClient("https://gateway.example/v1", auth="t-alice") as client:
        p = await client.predict("fraud-score", {"amount": 129.5})
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import uuid
from collections.abc import Generator, Mapping
from types import TracebackType
from typing import Any, Literal, TypeVar, overload

import httpx

from ._core import FINAL_JOB_STATES, ClientCore, Fallbacks
from .abort import AbortSignal
from .auth import AsyncTokenSource, Auth, TokenProvider
from .breaker import BreakerState
from .client import transport_error
from .clock import Clock
from .coalesce import AsyncCoalescer
from .errors import AbortedError, DeadlineExceededError, ModelwireError
from .events import Event, EventHandler, emit
from .generated.models import Health, Job, ModelHealth, ModelInfo, ModelSummary
from .generated.policy import DEFAULT_POLICY
from .options import BreakerOptions, CacheOptions, RetryOptions
from .pipeline import (
    CallContext,
    CallOutcome,
    Effect,
    HttpAnswer,
    Operation,
    RefreshToken,
    Send,
    Sleep,
    is_stale_eligible,
    run_call,
)
from .result import Prediction
from .webhook import WebhookVerification, verify_webhook

T = TypeVar("T")
_WAIT_GRACE_S = 0.05


def _aborted(ctx: CallContext | None = None) -> AbortedError:
    return AbortedError(
        "the call was aborted by its signal",
        request_id=ctx.request_id if ctx else None,
        trace_id=ctx.trace_id if ctx else None,
    )


class AsyncClient:
    """Asyncio modelwire client. Safe to share between tasks of one event loop; close it (or
    use ``async with``). Takes exactly the options of ``Client`` (``transport`` is an
    ``httpx.AsyncBaseTransport``); a ``TokenProvider`` may be async.

    Example::

        async with AsyncClient("http://127.0.0.1:4010/v1") as client:
            models = await client.list_models()
    """

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
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._core = ClientCore(
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
            headers=headers,
        )
        # The client owns retries: httpx's transport retries stay at 0 so layers never multiply.
        self._http = httpx.AsyncClient(transport=transport, timeout=self._core.timeout_s)
        self._tokens = AsyncTokenSource(
            self._core.auth,
            self._http,
            self._core.clock,
            DEFAULT_POLICY.token_refresh_skew_ms / 1000,
        )
        self._core.settings.refreshable_auth = self._tokens.refreshable
        self._coalescer = AsyncCoalescer()

    # ------------------------------------------------------------------------------ lifecycle
    async def aclose(self) -> None:
        """Close pooled connections. Idempotent.

        Example: ``await client.aclose()``
        """
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncClient(base_url={self._core.base_url!r}, auth={self._core.auth!r})"

    # -------------------------------------------------------------------------------- driver
    async def _drive(
        self,
        gen: Generator[Effect, Any, CallOutcome[T]],
        ctx: CallContext,
    ) -> CallOutcome[T]:
        """Perform the effects of the pipeline generator with ``await`` (cancellation-safe)."""
        clock = self._core.clock
        value: Any = None
        try:
            while True:
                effect = gen.send(value)
                if isinstance(effect, Send):
                    try:
                        response = await self._http.request(
                            effect.method,
                            effect.url,
                            headers=effect.headers,
                            content=effect.body,
                            timeout=effect.timeout_s,
                        )
                        value = HttpAnswer(response.status_code, response.headers, response.content)
                    except httpx.HTTPError as err:
                        value = transport_error(err, effect.timeout_s)
                    except asyncio.CancelledError:
                        # Every caller left mid-attempt: let the breaker record "ignored".
                        with contextlib.suppress(BaseException):
                            gen.send(_aborted(ctx))
                        raise
                elif isinstance(effect, Sleep):
                    await clock.asleep(effect.seconds)
                    value = None
                else:
                    assert isinstance(effect, RefreshToken)
                    value = await self._tokens.token(force=True, stale=effect.stale)
        except StopIteration as stop:
            outcome: CallOutcome[T] = stop.value
            return outcome
        finally:
            gen.close()

    async def _call(
        self,
        op: Operation[T],
        *,
        request_id: str | None = None,
        traceparent: str | None = None,
        timeout_ms: float | None = None,
        deadline_ms: float | None = None,
        signal: AbortSignal | None = None,
        token: str | None = None,
        fetch_token: bool = True,
    ) -> CallOutcome[T]:
        if fetch_token:
            token = await self._tokens.token()
        ctx = self._core.context(
            request_id=request_id,
            traceparent=traceparent,
            timeout_ms=timeout_ms,
            deadline_ms=deadline_ms,
            token=token,
        )
        if signal is None:
            return await self._drive(run_call(ctx, op), ctx)
        wait_s = ctx.deadline - self._core.clock.monotonic() + _WAIT_GRACE_S
        return await self._coalescer.run(
            None, lambda: self._drive(run_call(ctx, op), ctx), signal=signal, wait_s=wait_s
        )

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
        core = self._core
        if signal is not None and signal.aborted:
            raise _aborted()
        token: str | None = None
        provider = isinstance(core.auth, TokenProvider)
        if provider:
            token = await self._tokens.token()  # a provider's scope depends on its token
        scope = core.scope_for(token)
        prepared = core.prepare_input(model, version, scope, data)
        key = prepared.key
        store = core.cache if cache else None
        if store is not None:
            hit = store.get(key)
            if hit is not None:
                emit(core.on_event, Event("cache_hit", model, version, hit.request_id))
                return core.finish(hit, min_confidence)
            emit(core.on_event, Event("cache_miss", model, version, request_id))
        rid = request_id or str(uuid.uuid4())
        op = core.predict_op(
            model, data, version=version, prepared=prepared, request_id=rid, meta=meta
        )

        async def shared_call() -> Prediction:
            try:
                outcome = await self._call(
                    op,
                    request_id=rid,
                    traceparent=traceparent,
                    timeout_ms=timeout_ms,
                    deadline_ms=deadline_ms,
                    token=token,
                    fetch_token=not provider,
                )
            except ModelwireError as err:
                stale = self._stale(key, err)
                if stale is None:
                    raise
                return stale
            prediction = dataclasses.replace(
                outcome.value, attempts=outcome.attempts, fallback=outcome.fallback
            )
            if store is not None and outcome.fallback is None and not prediction.stale:
                # What later hits return: the stored answer, marked cached, with no attempts.
                store.put(
                    key, dataclasses.replace(prediction, cached=True, attempts=0), outcome.size
                )
            return prediction

        if store is None and signal is None:
            # Nothing to share and nothing to race: run in the caller's task (no extra task).
            return core.finish(await shared_call(), min_confidence)
        wait_s = (
            deadline_ms / 1000 if deadline_ms is not None else core.deadline_s
        ) + _WAIT_GRACE_S
        result = await self._coalescer.run(
            key if store is not None else None, shared_call, signal=signal, wait_s=wait_s
        )
        return core.finish(result, min_confidence)

    def _stale(self, key: str, err: ModelwireError) -> Prediction | None:
        core = self._core
        if (
            core.cache is None
            or core.cache_options is None
            or not core.cache_options.stale_if_error
        ):
            return None
        if not is_stale_eligible(err):
            return None
        stale = core.cache.get_stale(key)
        if stale is None:
            return None
        return dataclasses.replace(stale, cached=True, stale=True, fallback=None)

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
        token = await self._tokens.token()
        rid = request_id or str(uuid.uuid4())
        op = self._core.submit_job_op(
            model,
            data,
            version=version,
            scope=self._core.scope_for(token),
            request_id=rid,
            meta=meta,
            callback_url=callback_url,
        )
        outcome = await self._call(
            op,
            request_id=rid,
            traceparent=traceparent,
            signal=signal,
            token=token,
            fetch_token=False,
        )
        return outcome.value

    async def get_job(self, model: str, job_id: str, *, signal: AbortSignal | None = None) -> Job:
        """Read a job's state.

        Example: ``(await client.get_job("fraud-score", job.job_id)).state``
        """
        return (await self._call(self._core.job_op("GET", model, job_id), signal=signal)).value

    async def cancel_job(
        self, model: str, job_id: str, *, signal: AbortSignal | None = None
    ) -> Job:
        """Cancel a job (``ConflictError`` when it already finished).

        Example: ``(await client.cancel_job("fraud-score", job.job_id)).state``
        """
        return (await self._call(self._core.job_op("DELETE", model, job_id), signal=signal)).value

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
        clock = self._core.clock
        delay, multiplier, max_delay = ClientCore.job_poll_delays()
        if poll_initial_ms is not None:
            delay = poll_initial_ms / 1000
        if poll_max_ms is not None:
            max_delay = poll_max_ms / 1000
        deadline = clock.monotonic() + timeout_ms / 1000 if timeout_ms is not None else None
        while True:
            job = await self.get_job(model, job_id, signal=signal)
            if job.state in FINAL_JOB_STATES:
                return job
            if deadline is not None and clock.monotonic() + delay > deadline:
                raise DeadlineExceededError(
                    f"job {job_id} is still {job.state} after {timeout_ms} ms; raise timeout_ms"
                )
            if signal is not None and signal.aborted:
                raise _aborted()
            await clock.asleep(delay)
            delay = min(max_delay, delay * multiplier)

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
    ) -> Any:
        """Send ground truth for a past prediction (its ``request_id``); returns the receipt.

        Example: ``(await client.feedback("fraud-score", p.request_id, label="fraud")).accepted``
        """
        op = self._core.feedback_op(
            model,
            request_id,
            {"label": label, "outcome": outcome, "score": score, "comment": comment},
        )
        return (await self._call(op)).value

    async def model_info(self, model: str) -> ModelInfo:
        """Versions, traffic split, schemas and thresholds of a model (remembers the threshold).

        Example: ``(await client.model_info("fraud-score")).thresholds.min_confidence``
        """
        return (await self._call(self._core.model_info_op(model))).value

    async def list_models(self) -> list[ModelSummary]:
        """The models visible to the caller.

        Example: ``[m.name for m in await client.list_models()]``
        """
        return (await self._call(self._core.list_models_op())).value

    @overload
    async def health(self, model: None = None) -> Health: ...
    @overload
    async def health(self, model: str) -> ModelHealth: ...
    async def health(self, model: str | None = None) -> Health | ModelHealth:
        """Gateway readiness (no model) or a model's readiness.

        Example: ``(await client.health()).state == "ok"``
        """
        if model is None:
            op = self._core.gateway_health_op("ready")
            return (await self._call(op, fetch_token=False)).value
        return (await self._call(self._core.model_health_op(model))).value

    def breaker_state(self, model: str, version: str | None = None) -> BreakerState:
        """State of the breaker of ``model`` (at a pinned ``version``): closed, open or half-open.

        Example: ``client.breaker_state("fraud-score") == "closed"``
        """
        return self._core.breaker_state(model, version)

    @staticmethod
    def verify_webhook(
        raw_body: bytes | str, headers: Mapping[str, str] | str | None, secret: str
    ) -> WebhookVerification:
        """Verify a job callback's signature (see ``modelwire.verify_webhook``).

        Example: ``AsyncClient.verify_webhook(body, request.headers, secret).valid``
        """
        return verify_webhook(raw_body, headers, secret)
