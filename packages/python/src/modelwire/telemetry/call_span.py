"""The call span: one per logical call (public operation), kind ``INTERNAL``, started where the
call starts (after the checks before sending) and ended when it settles
(docs/semantics.md, Telemetry). Its parent is the explicit ``traceparent`` option (a remote
parent) when given, else the active context. Attempt spans are its children
(``attempt_span.py``).

Example::

    span = CallSpan.start(telemetry, "predict", "fraud-score", None, "r-1", None)
    ...
    span.end(CallEnd(attempts=1, cached=False, ...))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .attempt_span import AttemptSpan
from .guard import guarded
from .providers import Telemetry


@dataclass(frozen=True, slots=True)
class CallEnd:
    """How a call settled, as the call span reports it.

    Example: ``CallEnd(error_code=None, attempts=1, cached=False, stale=False, ...)``
    """

    error_code: str | None
    attempts: int
    cached: bool | None  # None: not a predict call (the attributes stay unset)
    stale: bool | None
    coalesced: bool | None
    fallback: tuple[str, str, str] | None  # (from, to, reason)
    served_version: str | None
    breaker_state: str | None


class CallSpan:
    """The call span of one logical call and what its attempt spans need."""

    __slots__ = ("_ended", "context", "span", "telemetry", "tracer")

    def __init__(self, telemetry: Telemetry, tracer: Any, span: Any) -> None:
        self.telemetry = telemetry
        self.tracer = tracer
        self.span = span
        self.context = telemetry.api.trace.set_span_in_context(span)
        self._ended = False

    @staticmethod
    def start(
        telemetry: Telemetry,
        operation: str,
        model: str | None,
        version: str | None,
        request_id: str,
        traceparent: str | None,
    ) -> CallSpan | None:
        """The started call span, or None when no tracer records (or starting it failed)."""
        tracer = telemetry.tracer()
        if tracer is None:
            return None
        with guarded("starting the call span"):
            api = telemetry.api
            parent = None  # the active context
            if traceparent:
                remote = api.propagator.extract({"traceparent": traceparent.strip()})
                if api.trace.get_current_span(remote).get_span_context().is_valid:
                    parent = remote
            attributes: dict[str, Any] = {
                "modelwire.operation": operation,
                "modelwire.request_id": request_id,
            }
            if model is not None:
                attributes["modelwire.model"] = model
            if version is not None:
                attributes["modelwire.model.version"] = version
            span = tracer.start_span(
                f"{operation} {model}" if model is not None else operation,
                context=parent,
                kind=api.trace.SpanKind.INTERNAL,
                attributes=attributes,
            )
            return CallSpan(telemetry, tracer, span)
        return None

    @property
    def trace_id(self) -> str | None:
        """The span's trace id (32 hex), None when its context is not valid."""
        context = self.span.get_span_context()
        return f"{context.trace_id:032x}" if context.is_valid else None

    def attempt(self, method: str, url: str, attempt: int) -> AttemptSpan | None:
        """A new attempt span below this call span (None when starting it failed)."""
        return AttemptSpan.start(self, method, url, attempt)

    def end(self, how: CallEnd) -> None:
        """Set the outcome's attributes and status, then end the span (once)."""
        if self._ended:
            return
        self._ended = True
        with guarded("ending the call span"):
            span = self.span
            span.set_attribute("modelwire.attempts", how.attempts)
            for name, value in (
                ("modelwire.cached", how.cached),
                ("modelwire.stale", how.stale),
                ("modelwire.coalesced", how.coalesced),
                ("modelwire.model.served_version", how.served_version),
                ("modelwire.breaker.state", how.breaker_state),
            ):
                if value is not None:
                    span.set_attribute(name, value)
            if how.fallback is not None:
                span.set_attribute("modelwire.fallback.from", how.fallback[0])
                span.set_attribute("modelwire.fallback.to", how.fallback[1])
                span.set_attribute("modelwire.fallback.reason", how.fallback[2])
            if how.error_code is not None:
                span.set_attribute("error.type", how.error_code)
                trace = self.telemetry.api.trace
                span.set_status(trace.Status(trace.StatusCode.ERROR, how.error_code))
            span.end()

    def abandon(self) -> None:
        """End the span of a call its driver abandoned (no outcome to report)."""
        if self._ended:
            return
        self._ended = True
        with guarded("ending the call span"):
            self.span.end()
