"""modelwire with OpenTelemetry: the SDK's spans and metrics, printed by the console exporters.

Start the mock model gateway first (after the TS build), then run this file::

    node packages/mock-server/dist/cli.js --port 4010 &
    packages/python/.venv/bin/python examples/python-otel/main.py http://127.0.0.1:4010/v1
"""

from __future__ import annotations

import sys

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import ConsoleMetricExporter, PeriodicExportingMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

from modelwire import Client


def main(base_url: str) -> None:
    # The application installs the OpenTelemetry SDK once; modelwire needs no glue code: it
    # reports to the global providers (or to tracer_provider= / meter_provider= if given).
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    trace.set_tracer_provider(tracer_provider)
    reader = PeriodicExportingMetricReader(ConsoleMetricExporter(), export_interval_millis=60_000)
    meter_provider = MeterProvider(metric_readers=[reader])
    metrics.set_meter_provider(meter_provider)

    tracer = trace.get_tracer("python-otel-example")
    with Client(base_url) as client, tracer.start_as_current_span("checkout"):
        # Spans: "predict fraud-score" (INTERNAL, child of "checkout") and its attempt "POST"
        # (CLIENT), whose context is the request's traceparent header.
        prediction = client.predict("fraud-score", {"amount": 129.5, "country": "FR"})
        print(f"label={prediction.result['label']} trace_id={prediction.trace_id}")
    meter_provider.shutdown()  # prints modelwire.client.calls, http.client.request.duration, …
    tracer_provider.shutdown()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:4010/v1")
