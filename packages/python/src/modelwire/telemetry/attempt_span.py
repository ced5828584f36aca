"""The attempt span: one per HTTP attempt, kind ``CLIENT``, child of the call span, started in
the send stage right before the request is built; HTTP client semantic conventions
(docs/semantics.md, Telemetry). The wire ``traceparent`` is formatted from its span context.

Example::

    attempt = call_span.attempt("POST", url, 2)   # http.request.resend_count = 1
    headers["traceparent"] = attempt.traceparent
    attempt.end(status=503, error_type="503")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .guard import guarded
from .url import redact_url_full

if TYPE_CHECKING:
    from .call_span import CallSpan


class AttemptSpan:
    """The span of one HTTP attempt and the ``traceparent`` header that carries it."""

    __slots__ = ("_ended", "_trace", "span", "traceparent")

    def __init__(self, trace: Any, span: Any) -> None:
        self._trace = trace
        self.span = span
        context = span.get_span_context()
        # Only the sampled flag goes on the wire (W3C Trace Context level 1: flags 00 or 01); the
        # Python SDK also sets level 2's "random trace id" bit (0x02) in its span contexts.
        flags = int(context.trace_flags) & 0x01
        self.traceparent = f"00-{context.trace_id:032x}-{context.span_id:016x}-{flags:02x}"
        self._ended = False

    @staticmethod
    def start(call: CallSpan, method: str, url: str, attempt: int) -> AttemptSpan | None:
        """The started attempt span (None when starting it failed, or its context is invalid)."""
        with guarded("starting an attempt span"):
            telemetry = call.telemetry
            attributes: dict[str, Any] = {
                "http.request.method": method,
                "server.address": telemetry.server_address,
                "server.port": telemetry.server_port,
                "url.full": redact_url_full(url),
                "modelwire.attempt": attempt,
            }
            if attempt > 1:
                attributes["http.request.resend_count"] = attempt - 1
            trace = telemetry.api.trace
            span = call.tracer.start_span(
                method, context=call.context, kind=trace.SpanKind.CLIENT, attributes=attributes
            )
            if not span.get_span_context().is_valid:
                span.end()
                return None
            return AttemptSpan(trace, span)
        return None

    def end(self, status: int | None, error_type: str | None) -> None:
        """Record the answer's ``status`` (None: none came) and the failure (``error.type``:
        the status as a string, the attempt's error code, or ``MALFORMED_RESPONSE``), then end
        the span (once)."""
        if self._ended:
            return
        self._ended = True
        with guarded("ending an attempt span"):
            span = self.span
            if status is not None:
                span.set_attribute("http.response.status_code", status)
            if error_type is not None:
                span.set_attribute("error.type", error_type)
                span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, error_type))
            span.end()
