"""``AsyncClient``: the asyncio twin of ``Client`` (same options, same behaviour).

Only the ``async`` I/O lives here: what does not depend on sync vs async is in ``_core.py``
(options, operations, the predict plan), ``_base.py`` (constructor), ``_http.py`` (httpx requests
and errors) and ``_jobs.py`` (job polling).

Example::

    from modelwire import AsyncClient

    async with AsyncClient("https://gateway.example/v1", auth="t-alice") as client:
        p = await client.predict("fraud-score", {"amount": 129.5})
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Generator, Mapping
from types import TracebackType
from typing import Any, TypeVar, overload

import httpx

from ._base import BaseClient
from ._core import NO_ARGS, CallArgs, aborted_error
from ._http import answer_of, build_request, transport_error
from ._jobs import JobPoll
from .abort import AbortSignal
from .auth import AsyncTokenSource
from .coalesce import AsyncCoalescer
from .errors import ModelwireError
from .generated.models import Health, Job, ModelHealth, ModelInfo, ModelSummary
from .generated.policy import DEFAULT_POLICY
from .pipeline import CallContext, CallOutcome, Effect, Operation, RefreshToken, Send, run_call
from .result import Prediction

T = TypeVar("T")


class AsyncClient(BaseClient[httpx.AsyncBaseTransport]):
    """Asyncio modelwire client. Safe to share between tasks of one event loop; close it (or
    use ``async with``). Takes exactly the options of ``Client`` (``transport`` is an
    ``httpx.AsyncBaseTransport``); a ``TokenProvider`` may be async.

    Example::

        async with AsyncClient("http://127.0.0.1:4010/v1") as client:
            models = await client.list_models()
    """

    _NAME = "AsyncClient"
    _http: httpx.AsyncClient
    _tokens: AsyncTokenSource
    _coalescer: AsyncCoalescer

    def _open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        core = self._core
        # The client owns retries: httpx's transport retries stay at 0 so layers never multiply.
        self._http = httpx.AsyncClient(transport=transport, timeout=core.timeout_s)
        skew_s = DEFAULT_POLICY.token_refresh_skew_ms / 1000
        self._tokens = AsyncTokenSource(core.auth, self._http, core.clock, skew_s)
        core.settings.refreshable_auth = self._tokens.refreshable
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

    # -------------------------------------------------------------------------------- driver
    async def _drive(
        self,
        gen: Generator[Effect, Any, CallOutcome[T]],
        ctx: CallContext,
    ) -> CallOutcome[T]:
        """Perform the effects of the pipeline generator with ``await`` (cancellation-safe)."""
        value: Any = None
        try:
            while True:
                effect = gen.send(value)
                if isinstance(effect, Send):
                    try:
                        value = answer_of(await self._http.send(build_request(self._http, effect)))
                    except httpx.HTTPError as err:
                        value = transport_error(err, effect.timeout_s)
                    except asyncio.CancelledError:
                        # Every caller left mid-attempt: let the breaker record "ignored".
                        with contextlib.suppress(BaseException):
                            gen.send(aborted_error(ctx))
                        raise
                elif isinstance(effect, RefreshToken):
                    value = await self._tokens.token(force=True, stale=effect.stale)
                else:
                    await self._core.clock.asleep(effect.seconds)
                    value = None
        except StopIteration as stop:
            outcome: CallOutcome[T] = stop.value
            return outcome
        finally:
            gen.close()

    async def _call(
        self,
        op: Operation[T],
        args: CallArgs = NO_ARGS,
        *,
        signal: AbortSignal | None = None,
        token: str | None = None,
        fetch_token: bool = True,
    ) -> CallOutcome[T]:
        if fetch_token:
            token = await self._tokens.token()
        ctx = self._core.context(args, token)
        if signal is None:
            return await self._drive(run_call(ctx, op), ctx)
        return await self._coalescer.run(
            None,
            lambda: self._drive(run_call(ctx, op), ctx),
            signal=signal,
            wait_s=self._core.wait_left_s(ctx),
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
            raise aborted_error()
        # A provider's scope (part of the cache key) depends on the token it returns.
        token = await self._tokens.token() if core.provider_auth else None
        args = CallArgs(request_id, traceparent, timeout_ms, deadline_ms)
        plan = core.plan_predict(model, data, version, meta, cache, token, args, min_confidence)
        if isinstance(plan, Prediction):
            return plan  # a cache hit

        async def shared_call() -> Prediction:
            try:
                outcome = await self._call(
                    plan.op, plan.args, token=token, fetch_token=not core.provider_auth
                )
            except ModelwireError as err:
                return core.stale_or_raise(plan, err)
            return core.settle(plan, outcome)

        if plan.share_key is None and signal is None:
            # Nothing to share and nothing to race: run in the caller's task (no extra task).
            return core.finish(await shared_call(), plan.min_confidence)
        result = await self._coalescer.run(
            plan.share_key, shared_call, signal=signal, wait_s=core.wait_s(deadline_ms)
        )
        return core.finish(result, plan.min_confidence)

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
        args = CallArgs(request_id, traceparent)
        op, args = self._core.submit_job_call(model, data, version, token, meta, callback_url, args)
        outcome = await self._call(op, args, signal=signal, token=token, fetch_token=False)
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
        poll = JobPoll(self._core.clock, job_id, timeout_ms, poll_initial_ms, poll_max_ms)
        while True:
            job = await self.get_job(model, job_id, signal=signal)
            if poll.finished(job):
                return job
            if signal is not None and signal.aborted:
                raise aborted_error()
            await self._core.clock.asleep(poll.next_delay())

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
        fields = {"label": label, "outcome": outcome, "score": score, "comment": comment}
        return (await self._call(self._core.feedback_op(model, request_id, fields))).value

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
