"""Loading the optional OpenTelemetry API (the extra ``modelwire[otel]``).

Absent (not installed) means telemetry is off at zero cost: ``load()`` returns None and the
client keeps no telemetry object at all. Loaded once per process.

Example::

    api = load()
    if api is not None:
        tracer_provider = api.trace.get_tracer_provider()
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class OtelApi:
    """The parts of the OpenTelemetry API the SDK uses (modules typed ``Any``: optional).

    ``suppress_http`` is ``opentelemetry.instrumentation.utils.suppress_http_instrumentation``
    when that package is installed (it comes with every HTTP library instrumentation), else None:
    without it no instrumentation of httpx exists to suppress.
    """

    trace: Any
    metrics: Any
    propagator: Any
    noop_tracer_providers: tuple[type, ...]
    noop_meter_providers: tuple[type, ...]
    suppress_http: Callable[[], AbstractContextManager[None]] | None


@functools.cache
def load() -> OtelApi | None:
    """The OpenTelemetry API, or None when ``opentelemetry-api`` is not installed."""
    try:
        from opentelemetry import metrics, trace
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
    except ImportError:
        return None
    suppress: Callable[[], AbstractContextManager[None]] | None
    try:
        from opentelemetry.instrumentation.utils import suppress_http_instrumentation
    except ImportError:
        suppress = None
    else:
        suppress = suppress_http_instrumentation
    # The global providers before an SDK is installed: a proxy (delegating once one is set) and
    # the explicit no-op ones. A call with only these makes no span and records nothing.
    tracer_noops: tuple[type, ...] = (trace.NoOpTracerProvider, trace.ProxyTracerProvider)
    meter_noops: list[type] = [metrics.NoOpMeterProvider]
    proxy = getattr(getattr(metrics, "_internal", None), "_ProxyMeterProvider", None)
    if isinstance(proxy, type):
        meter_noops.append(proxy)
    return OtelApi(
        trace=trace,
        metrics=metrics,
        propagator=TraceContextTextMapPropagator(),
        noop_tracer_providers=tracer_noops,
        noop_meter_providers=tuple(meter_noops),
        suppress_http=suppress,
    )
