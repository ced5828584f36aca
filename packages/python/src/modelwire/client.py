"""``Client``: the blocking twin of ``AsyncClient`` (same options, same behaviour).

Only the blocking I/O lives here: what does not depend on sync vs async is in ``_core.py`` (options,
operations, the predict plan), ``_base.py`` (constructor), ``_http.py`` (httpx requests and errors)
and ``_jobs.py`` (job polling).

Example::

    from modelwire import Client

    with Client("https://gateway.example/v1", auth="t-alice",
                fallbacks={"fraud-score": "fraud-score-backup"}) as client:
        p = client.predict("fraud-score", {"amount": 129.5, "country": "FR"})
        print(p.result["label"], p.confidence, p.low_confidence)
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from types import TracebackType
from typing import Any, TypeVar, overload

import httpx

from ._base import BaseClient
from ._core import NO_ARGS, CallArgs, aborted_error
from ._http import answer_of, build_request, transport_error
from ._jobs import JobPoll
from .abort import AbortSignal
from .auth import SyncTokenSource
from .clock import SYSTEM_CLOCK
from .coalesce import SyncCoalescer, at_io
from .errors import ModelwireError
from .generated.models import Health, Job, ModelHealth, ModelInfo, ModelSummary
from .generated.policy import DEFAULT_POLICY
from .pipeline import CallContext, CallOutcome, Effect, Operation, RefreshToken, Send, run_call
from .result import Prediction

__all__ = ["Client", "transport_error"]

T = TypeVar("T")


class Client(BaseClient[httpx.BaseTransport]):
    """Blocking modelwire client. Thread-safe: share one per process; close it (or use ``with``).

    Options (defaults from the contract's ``x-modelwire-policy``): ``auth`` (token str,
    ``StaticToken``, ``TokenProvider``, ``OIDCClientCredentials``), ``fallbacks`` (mapping or
    function), ``retry``, ``breaker``, ``cache`` (``CacheOptions`` or False), ``timeout_ms``
    (per attempt), ``deadline_ms`` (whole call), ``min_confidence``, ``on_event``,
    ``cache_scope``, ``max_input_bytes``, ``headers``, ``transport`` (an
    ``httpx.BaseTransport``, e.g. ``httpx.MockTransport`` in tests), ``clock``.

    Example::

        with Client("http://127.0.0.1:4010/v1") as client:
            print([m.name for m in client.list_models()])
    """

    _NAME = "Client"
    _http: httpx.Client
    _tokens: SyncTokenSource
    _coalescer: SyncCoalescer

    def _open(self, transport: httpx.BaseTransport | None) -> None:
        core = self._core
        # The client owns retries: httpx's transport retries stay at 0 so layers never multiply.
        self._http = httpx.Client(transport=transport, timeout=core.timeout_s)
        skew_s = DEFAULT_POLICY.token_refresh_skew_ms / 1000
        self._tokens = SyncTokenSource(core.auth, self._http, core.clock, skew_s)
        core.settings.refreshable_auth = self._tokens.refreshable
        self._coalescer = SyncCoalescer()

    # ------------------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        """Close pooled connections and worker threads. Idempotent.

        Example: ``client.close()``
        """
        self._coalescer.close()
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

    # -------------------------------------------------------------------------------- driver
    def _sleep(self, seconds: float, signal: AbortSignal | None, ctx: CallContext | None) -> None:
        """Sleep, waking up at once (``AbortedError``) when ``signal`` is aborted."""
        clock = self._core.clock
        # An injected clock owns time: only the real clock can be woken up by the signal.
        if signal is not None and clock is SYSTEM_CLOCK:
            if signal.wait(seconds):
                raise aborted_error(ctx)
        else:
            clock.sleep(seconds)

    def _drive(
        self,
        gen: Generator[Effect, Any, CallOutcome[T]],
        ctx: CallContext,
        signal: AbortSignal | None,
    ) -> CallOutcome[T]:
        """Perform the effects of the pipeline generator with blocking I/O."""
        value: Any = None
        try:
            while True:
                effect = gen.send(value)
                if signal is not None and signal.aborted:
                    raise aborted_error(ctx)
                at_io(signal)
                if isinstance(effect, Send):
                    try:
                        value = answer_of(self._http.send(build_request(self._http, effect)))
                    except httpx.HTTPError as err:
                        value = transport_error(err, effect.timeout_s)
                    if signal is not None and signal.aborted:
                        value = aborted_error(ctx)  # every caller left during the attempt
                elif isinstance(effect, RefreshToken):
                    value = self._tokens.token(force=True, stale=effect.stale)
                else:
                    self._sleep(effect.seconds, signal, ctx)
                    value = None
        except StopIteration as stop:
            outcome: CallOutcome[T] = stop.value
            return outcome
        finally:
            gen.close()

    def _call(
        self,
        op: Operation[T],
        args: CallArgs = NO_ARGS,
        *,
        signal: AbortSignal | None = None,
        token: str | None = None,
        fetch_token: bool = True,
    ) -> CallOutcome[T]:
        if fetch_token:
            if self._tokens.needs_request():
                at_io(signal)  # the token request is this call's first I/O
            token = self._tokens.token()
        ctx = self._core.context(args, token)
        return self._drive(run_call(ctx, op), ctx, signal)

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
        core = self._core
        if signal is not None and signal.aborted:
            raise aborted_error()
        # A provider's scope (part of the cache key) depends on the token it returns.
        token = self._tokens.token() if core.provider_auth else None
        args = CallArgs(request_id, traceparent, timeout_ms, deadline_ms)
        plan = core.plan_predict(model, data, version, meta, cache, token, args, min_confidence)
        if isinstance(plan, Prediction):
            return plan  # a cache hit

        def shared_call(shared_signal: AbortSignal | None) -> Prediction:
            try:
                outcome = self._call(
                    plan.op,
                    plan.args,
                    signal=shared_signal,
                    token=token,
                    fetch_token=not core.provider_auth,
                )
            except ModelwireError as err:
                return core.stale_or_raise(plan, err)
            return core.settle(plan, outcome)

        result = self._coalescer.run(
            plan.share_key, shared_call, signal=signal, wait_s=core.wait_s(deadline_ms)
        )
        return core.finish(result, plan.min_confidence)

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
        token = self._tokens.token()
        args = CallArgs(request_id, traceparent)
        op, args = self._core.submit_job_call(model, data, version, token, meta, callback_url, args)
        return self._call(op, args, signal=signal, token=token, fetch_token=False).value

    def get_job(self, model: str, job_id: str, *, signal: AbortSignal | None = None) -> Job:
        """Read a job's state.

        Example: ``client.get_job("fraud-score", job.job_id).state``
        """
        return self._call(self._core.job_op("GET", model, job_id), signal=signal).value

    def cancel_job(self, model: str, job_id: str, *, signal: AbortSignal | None = None) -> Job:
        """Cancel a job (``ConflictError`` when it already finished).

        Example: ``client.cancel_job("fraud-score", job.job_id).state == "canceled"``
        """
        return self._call(self._core.job_op("DELETE", model, job_id), signal=signal).value

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
        poll = JobPoll(self._core.clock, job_id, timeout_ms, poll_initial_ms, poll_max_ms)
        while True:
            job = self.get_job(model, job_id, signal=signal)
            if poll.finished(job):
                return job
            self._sleep(poll.next_delay(), signal, None)

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
    ) -> Any:
        """Send ground truth for a past prediction (its ``request_id``); returns the receipt.

        Example: ``client.feedback("fraud-score", p.request_id, label="fraud").accepted``
        """
        fields = {"label": label, "outcome": outcome, "score": score, "comment": comment}
        return self._call(self._core.feedback_op(model, request_id, fields)).value

    def model_info(self, model: str) -> ModelInfo:
        """Versions, traffic split, schemas and thresholds of a model (remembers the threshold).

        Example: ``client.model_info("fraud-score").thresholds.min_confidence``
        """
        return self._call(self._core.model_info_op(model)).value

    def list_models(self) -> list[ModelSummary]:
        """The models visible to the caller.

        Example: ``[m.name for m in client.list_models()]``
        """
        return self._call(self._core.list_models_op()).value

    @overload
    def health(self, model: None = None) -> Health: ...
    @overload
    def health(self, model: str) -> ModelHealth: ...
    def health(self, model: str | None = None) -> Health | ModelHealth:
        """Gateway readiness (no model) or a model's readiness.

        Example: ``client.health().state == "ok"``; ``client.health("fraud-score").state``
        """
        if model is None:
            return self._call(self._core.gateway_health_op("ready"), fetch_token=False).value
        return self._call(self._core.model_health_op(model)).value
