"""W3C ``traceparent``: continue the caller's or the active OpenTelemetry context, else start one.

Example::

    trace_id = trace_id_for(None)       # a new 32-hex trace id
    header = traceparent(trace_id)      # '00-<trace id>-<new span id>-01'
"""

from __future__ import annotations

import re

from .ids import hex_id
from .telemetry.api import load as load_api

_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$")


def _active_otel_trace_id() -> str | None:
    api = load_api()  # OpenTelemetry is optional: used only when the application installed it
    if api is None:
        return None
    context = api.trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return f"{context.trace_id:032x}"


def trace_id_for(caller_traceparent: str | None) -> str:
    """The trace id of a logical call: from the caller's header, the active OTel span, or new.

    Example: ``trace_id_for("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")``
    returns ``"4bf92f3577b34da6a3ce929d0e0e4736"``.
    """
    if caller_traceparent:
        match = _TRACEPARENT.match(caller_traceparent.strip())
        if match and match.group(1) != "0" * 32:
            return match.group(1)
    return _active_otel_trace_id() or hex_id(16)


def traceparent(trace_id: str) -> str:
    """A ``traceparent`` for one attempt: the call's trace id and a new span id.

    Example: ``traceparent("4bf92f3577b34da6a3ce929d0e0e4736")``
    """
    return f"00-{trace_id}-{hex_id(8)}-01"
