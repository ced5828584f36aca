"""OpenTelemetry traces and metrics through the optional API (``modelwire[otel]``), one concept
per module (docs/semantics.md, "Telemetry"):

- ``api``: loading the optional API (absent → no telemetry object at all, zero cost);
- ``providers``: the tracer and meter of a client (explicit providers, else the globals);
- ``call_span``: the call span, from where the logical call starts to where it settles;
- ``attempt_span``: the attempt span of each HTTP attempt, whose context is the wire
  ``traceparent``;
- ``url``: ``url.full`` redaction and ``server.address`` / ``server.port``;
- ``metrics``: the metrics, derived from the event stream by an internal listener;
- ``guard``: a telemetry failure never changes a call's outcome.

Example::

    client = Client("https://gw/v1", tracer_provider=provider, meter_provider=meters)
    client = Client("https://gw/v1", telemetry=False)   # no spans, no metrics
"""

from __future__ import annotations

from .attempt_span import AttemptSpan
from .call_span import CallEnd, CallSpan
from .metrics import EventMetrics
from .providers import Telemetry, telemetry_for

__all__ = ["AttemptSpan", "CallEnd", "CallSpan", "EventMetrics", "Telemetry", "telemetry_for"]
