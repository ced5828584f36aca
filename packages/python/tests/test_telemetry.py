"""OpenTelemetry (docs/semantics.md, "Telemetry") beyond the conformance scenarios: the
one-traceparent rule with httpx's own instrumentation on (every way of turning it on, sync and
async), the explicit ``traceparent`` option, OpenTelemetry absent or turned off, telemetry that
raises, the global providers, ``url.full`` redaction and deadline-ended attempts."""

from __future__ import annotations

import asyncio
import contextlib
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import httpx
import pytest
from opentelemetry import metrics, trace
from opentelemetry.instrumentation.httpx import (
    AsyncOpenTelemetryTransport,
    HTTPXClientInstrumentor,
    SyncOpenTelemetryTransport,
)
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader, NumberDataPoint
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

import modelwire.telemetry.api as otel_api
from modelwire import AsyncClient, Client, DeadlineExceededError, Event, RetryOptions
from modelwire.telemetry.url import redact_url_full, server_of

from .conformance_telemetry import global_tracing
from .conftest import MockServer
from .helpers import BASE, Script, make_client, reply

PREDICT = "/models/fraud-score/predict"
TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$")
NO_RETRY = RetryOptions(max_retries=0, jitter="none", budget=None)


# ------------------------------------------------------------------------------------ helpers
def tracing() -> tuple[TracerProvider, InMemorySpanExporter]:
    """A tracer provider of the test's own (passed to the client explicitly)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def ids_of(span: ReadableSpan) -> tuple[str, str]:
    context = span.get_span_context()
    assert context is not None
    return f"{context.trace_id:032x}", f"{context.span_id:016x}"


def wire_ids(value: Any) -> tuple[str, str]:
    """The (trace id, span id) of exactly one ``traceparent`` header value."""
    assert isinstance(value, str), f"not one traceparent header: {value!r}"
    match = TRACEPARENT.match(value)
    assert match is not None, f"not one traceparent header: {value!r}"
    return match.group(1), match.group(2)


def logged_traceparents(server: MockServer) -> list[Any]:
    return [
        r["headers"].get("traceparent") for r in server.requests() if r["path"] == "/v1" + PREDICT
    ]


@contextlib.contextmanager
def httpx_instrumented(mode: str, provider: TracerProvider) -> Iterator[Callable[[Any], None]]:
    """httpx's own OpenTelemetry instrumentation, turned on one of its ways: ``instrument()``
    (wraps ``HTTPTransport`` / ``AsyncHTTPTransport`` for every client), ``instrument_client``
    (wraps one client's transport), or ``transport`` (an ``OpenTelemetryTransport`` passed to
    the client). Yields what to do with the built client (``instrument_client`` needs it)."""
    if mode == "instrument":
        HTTPXClientInstrumentor().instrument(tracer_provider=provider)
        try:
            yield lambda _client: None
        finally:
            HTTPXClientInstrumentor().uninstrument()
    elif mode == "instrument_client":
        yield lambda client: HTTPXClientInstrumentor.instrument_client(
            client._http, tracer_provider=provider
        )
    else:
        yield lambda _client: None


def transport_for(mode: str, provider: TracerProvider, is_async: bool) -> Any:
    if mode != "transport":
        return None
    if is_async:
        return AsyncOpenTelemetryTransport(httpx.AsyncHTTPTransport(), tracer_provider=provider)
    return SyncOpenTelemetryTransport(httpx.HTTPTransport(), tracer_provider=provider)


def scopes(spans: Sequence[ReadableSpan]) -> list[str]:
    return [s.instrumentation_scope.name if s.instrumentation_scope else "" for s in spans]


MODES = ["instrument", "instrument_client", "transport"]


def predict_once(
    server: MockServer,
    mode: str,
    provider: TracerProvider,
    is_async: bool,
    suppress: bool = True,
) -> None:
    """One predict against the mock with httpx instrumented (``mode``); ``suppress=False``
    removes the SDK's suppression (the control experiment)."""
    options: dict[str, Any] = {"tracer_provider": provider, "cache": False, "retry": NO_RETRY}
    with httpx_instrumented(mode, provider) as instrument:
        transport = transport_for(mode, provider, is_async)
        if is_async:

            async def main() -> None:
                async with AsyncClient(
                    server.api, transport=transport, http="httpx", **options
                ) as client:
                    instrument(client)
                    if not suppress:
                        client._suppress_http = None
                    await client.predict("fraud-score", {"amount": 1})

            asyncio.run(main())
        else:
            with Client(server.api, transport=transport, **options) as client:
                instrument(client)
                if not suppress:
                    client._suppress_http = None
                client.predict("fraud-score", {"amount": 1})


# ------------------------------------------------------------------- the one-traceparent rule
@pytest.mark.integration
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("is_async", [False, True], ids=["Client", "AsyncClient"])
def test_one_traceparent_with_httpx_instrumentation_on(
    mock_server: MockServer, mode: str, is_async: bool
) -> None:
    """Exactly one traceparent on the wire, equal to our attempt span, and no httpx CLIENT span:
    every way of instrumenting httpx checks ``is_http_instrumentation_enabled()`` first, which
    ``suppress_http_instrumentation()`` (around our ``send``) turns off in that context."""
    provider, exporter = tracing()
    mock_server.reset()
    predict_once(mock_server, mode, provider, is_async)
    spans = exporter.get_finished_spans()
    assert scopes(spans) == ["modelwire", "modelwire"], "httpx made a span of its own"
    attempt = next(s for s in spans if s.kind == SpanKind.CLIENT)
    (header,) = logged_traceparents(mock_server)
    assert wire_ids(header) == ids_of(attempt)


@pytest.mark.integration
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("is_async", [False, True], ids=["Client", "AsyncClient"])
def test_without_the_suppression_httpx_would_add_a_span_and_its_own_traceparent(
    mock_server: MockServer, mode: str, is_async: bool
) -> None:
    """The control: the test above bites. With our suppression removed, httpx's instrumentation
    makes its own CLIENT span and the wire carries its context, not our attempt span's."""
    provider, exporter = tracing()
    mock_server.reset()
    predict_once(mock_server, mode, provider, is_async, suppress=False)
    spans = exporter.get_finished_spans()
    assert sorted(scopes(spans)).count("modelwire") == 2
    assert len(spans) == 3
    ours = next(s for s in spans if s.kind == SpanKind.CLIENT and scopes([s]) == ["modelwire"])
    (header,) = logged_traceparents(mock_server)
    # httpx's own header (the SDK's flags, 03 with the level-2 random bit) names its own span.
    theirs = next(s for s in spans if scopes([s]) != ["modelwire"])
    assert header.split("-")[1:3] == list(ids_of(theirs))
    assert header.split("-")[2] != ids_of(ours)[1]


# -------------------------------------------------------------------- explicit traceparent
@pytest.mark.parametrize("is_async", [False, True], ids=["Client", "AsyncClient"])
def test_the_explicit_traceparent_option_wins_over_the_active_span(is_async: bool) -> None:
    provider, exporter = tracing()
    option = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    script = Script().on(PREDICT, reply(200))
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("caller"):
        if is_async:

            async def main() -> None:
                async with AsyncClient(
                    BASE,
                    transport=httpx.MockTransport(script.ahandler),
                    tracer_provider=provider,
                ) as client:
                    await client.predict("fraud-score", {"a": 1}, traceparent=option)

            asyncio.run(main())
        else:
            with make_client(script, tracer_provider=provider) as client:
                client.predict("fraud-score", {"a": 1}, traceparent=option)
    spans = {s.name: s for s in exporter.get_finished_spans()}
    call, attempt = spans["predict fraud-score"], spans["POST"]
    assert call.parent is not None and call.parent.is_remote
    assert f"{call.parent.span_id:016x}" == "00f067aa0ba902b7"
    assert ids_of(call)[0] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert attempt.parent is not None and attempt.parent.span_id == call.context.span_id
    (request,) = script.requests
    assert wire_ids(request.headers["traceparent"]) == ids_of(attempt)


# ------------------------------------------------------------ OpenTelemetry absent or off
def _calls_without_telemetry(client: Client, script: Script) -> list[str]:
    provider = TracerProvider()
    with provider.get_tracer("test").start_as_current_span("caller") as caller:
        client.predict("fraud-score", {"a": 1})
        context = caller.get_span_context()
    (request,) = script.requests
    trace_id, span_id = wire_ids(request.headers["traceparent"])
    # The rule of "Identity": the active span's trace id, a new span id.
    assert trace_id == f"{context.trace_id:032x}"
    assert span_id != f"{context.span_id:016x}"
    return [trace_id]


def test_without_the_api_nothing_is_made_and_identity_is_unchanged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    provider, exporter = tracing()
    monkeypatch.setattr(otel_api, "load", lambda: None)  # as if opentelemetry-api were absent
    events: list[Event] = []
    script = Script().on(PREDICT, reply(200))
    with make_client(script, tracer_provider=provider, on_event=events.append) as client:
        assert client._core.runtime.telemetry is None
        assert client._core.runtime.metrics is None
        _calls_without_telemetry(client, script)
    assert exporter.get_finished_spans() == ()
    assert [e.type for e in events] == ["cache_miss", "request", "response", "call_end"]


def test_telemetry_false_turns_spans_and_metrics_off() -> None:
    provider, exporter = tracing()
    reader = InMemoryMetricReader()
    meters = MeterProvider(metric_readers=[reader])
    script = Script().on(PREDICT, reply(200))
    with make_client(
        script, tracer_provider=provider, meter_provider=meters, telemetry=False
    ) as client:
        assert client._core.runtime.telemetry is None
        _calls_without_telemetry(client, script)
    assert exporter.get_finished_spans() == ()
    data = reader.get_metrics_data()
    assert data is None or all(not rm.scope_metrics for rm in data.resource_metrics)


def test_only_no_op_providers_build_no_events_and_no_spans() -> None:
    """The API installed with only no-op providers: nothing per call beyond today's work (no
    span, and no event is even built when nobody listens)."""
    script = Script().on(PREDICT, reply(200))
    with make_client(
        script,
        tracer_provider=trace.NoOpTracerProvider(),
        meter_provider=metrics.NoOpMeterProvider(),
    ) as client:
        runtime = client._core.runtime
        assert runtime.telemetry is not None and not runtime.observed
        assert runtime.telemetry.tracer() is None
        client.predict("fraud-score", {"a": 1})
    wire_ids(script.requests[0].headers["traceparent"])


# ------------------------------------------------------------------ telemetry that raises
class RaisingExporter(SpanExporter):
    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        raise RuntimeError("exporter down")


class RaisingProcessor(SpanProcessor):
    def on_start(self, span: Span, parent_context: Any = None) -> None:
        raise RuntimeError("processor broken on start")

    def on_end(self, span: ReadableSpan) -> None:
        raise RuntimeError("processor broken on end")


class RaisingReader(InMemoryMetricReader):
    def _receive_metrics(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("reader broken")


@pytest.mark.parametrize("broken", ["exporter", "processor"])
def test_telemetry_that_raises_never_changes_a_call(broken: str) -> None:
    provider = TracerProvider()
    if broken == "exporter":
        provider.add_span_processor(SimpleSpanProcessor(RaisingExporter()))
    else:
        provider.add_span_processor(RaisingProcessor())
    meters = MeterProvider(metric_readers=[RaisingReader()])
    script = Script().on(PREDICT, reply(503), reply(200))
    events: list[Event] = []
    with make_client(
        script, tracer_provider=provider, meter_provider=meters, on_event=events.append
    ) as client:
        p = client.predict("fraud-score", {"a": 1})
    assert p.attempts == 2 and p.result["label"] == "legit"
    assert events[-1].type == "call_end" and events[-1].outcome == "ok"
    for request in script.requests:
        wire_ids(request.headers["traceparent"])


# ---------------------------------------------------------------------- global providers
_GLOBAL_READER: list[InMemoryMetricReader] = []


def global_metrics() -> InMemoryMetricReader:
    """The process's global meter provider (set once) and its reader."""
    if not _GLOBAL_READER:
        reader = InMemoryMetricReader()
        metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
        _GLOBAL_READER.append(reader)
    return _GLOBAL_READER[0]


def test_the_global_providers_are_picked_up_with_no_client_options() -> None:
    _provider, exporter = global_tracing()
    reader = global_metrics()
    exporter.clear()
    script = Script().on("/models/global-pickup/predict", reply(200, None))
    with make_client(script) as client:
        client.predict("global-pickup", {"a": 1})
    names = [s.name for s in exporter.get_finished_spans() if s.name != "step"]
    assert names == ["POST", "predict global-pickup"]
    data = reader.get_metrics_data()
    assert data is not None
    calls = [
        point
        for rm in data.resource_metrics
        for sm in rm.scope_metrics
        if sm.scope.name == "modelwire"
        for m in sm.metrics
        if m.name == "modelwire.client.calls"
        for point in m.data.data_points
        if isinstance(point, NumberDataPoint)
        and (point.attributes or {}).get("modelwire.model") == "global-pickup"
    ]
    assert [(p.value, dict(p.attributes or {})["modelwire.outcome"]) for p in calls] == [(1, "ok")]


# ------------------------------------------------------------------------------- url.full
def test_url_full_is_redacted() -> None:
    assert (
        redact_url_full("http://svc-user:s3cret@127.0.0.1:9/v1/models/x/predict?key=k&flag")
        == "http://REDACTED:REDACTED@127.0.0.1:9/v1/models/x/predict?key=REDACTED&flag=REDACTED"
    )
    assert redact_url_full("https://gw.example/v1/health/ready") == (
        "https://gw.example/v1/health/ready"
    )
    assert server_of("https://gw.example/v1") == ("gw.example", 443)
    assert server_of("http://[::1]:8080/v1") == ("::1", 8080)


def test_attempt_spans_carry_the_redacted_url_and_the_default_port() -> None:
    provider, exporter = tracing()
    script = Script().on("/models/fraud-score/predict", reply(200))
    client = Client(
        "http://user:pw@gw.test/v1?tenant=acme",
        transport=httpx.MockTransport(script.handler),
        tracer_provider=provider,
        cache=False,
    )
    with client:
        with contextlib.suppress(Exception):
            client.predict("fraud-score", {"a": 1})
    attempt = next(s for s in exporter.get_finished_spans() if s.kind == SpanKind.CLIENT)
    attributes = dict(attempt.attributes or {})
    assert "user" not in str(attributes) and "pw@" not in str(attributes)
    assert attributes["server.port"] == 80
    assert str(attributes["url.full"]).startswith("http://REDACTED:REDACTED@gw.test/")


# ---------------------------------------------------------------- deadline-ended attempts
@pytest.mark.integration
@pytest.mark.parametrize("is_async", [False, True], ids=["Client", "AsyncClient"])
def test_an_attempt_the_deadline_ended_is_a_timeout_request_error(
    mock_server: MockServer, is_async: bool
) -> None:
    """``request_error.error_code`` is TIMEOUT when the call's deadline (not timeout_ms) ended
    the attempt; the call ends DEADLINE_EXCEEDED (docs/semantics.md, Events)."""
    mock_server.reset()
    mock_server.scenario(
        {
            "routes": [
                {
                    "method": "POST",
                    "path": "/v1" + PREDICT,
                    "responses": [{"status": 200, "delay_ms": 2000}],
                    "then": "repeat_last",
                }
            ]
        }
    )
    provider, exporter = tracing()
    events: list[Event] = []
    options: dict[str, Any] = {
        "cache": False,
        "retry": NO_RETRY,
        "timeout_ms": 10_000,
        "deadline_ms": 150,
        "on_event": events.append,
        "tracer_provider": provider,
    }
    if is_async:

        async def main() -> None:
            async with AsyncClient(mock_server.api, **options) as client:
                with pytest.raises(DeadlineExceededError):
                    await client.predict("fraud-score", {"amount": 1})

        asyncio.run(main())
    else:
        with Client(mock_server.api, **options) as client:
            with pytest.raises(DeadlineExceededError):
                client.predict("fraud-score", {"amount": 1})
    kinds = [(e.type, e.error_code or e.outcome) for e in events]
    assert kinds == [
        ("request", None),
        ("request_error", "TIMEOUT"),
        ("call_end", "DEADLINE_EXCEEDED"),
    ]
    spans = {s.name: s for s in exporter.get_finished_spans()}
    assert dict(spans["POST"].attributes or {})["error.type"] == "TIMEOUT"
    assert dict(spans["predict fraud-score"].attributes or {})["error.type"] == "DEADLINE_EXCEEDED"


_WITHOUT_OTEL = r"""
import sys
sys.modules["opentelemetry"] = None  # as if opentelemetry-api were not installed
import httpx, modelwire
events = []
def answer(request):
    assert request.headers["traceparent"].startswith("00-")
    return httpx.Response(200, json={"status": "success", "code": "OK", "message": "ok",
        "request_id": "r", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        "model": {"name": "fraud-score", "version": "1"}, "result": {"label": "legit"}})
with modelwire.Client("http://gw.test/v1", transport=httpx.MockTransport(answer),
                      on_event=events.append) as client:
    assert client._core.runtime.telemetry is None
    assert client.predict("fraud-score", {"a": 1}).result["label"] == "legit"
print(" ".join(e.type for e in events))
"""


def test_without_opentelemetry_installed_the_client_works_unchanged() -> None:
    """A real absence (the import fails), in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_OTEL],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["cache_miss", "request", "response", "call_end"]


# ------------------------------------------------- the one-traceparent rule, aiohttp transport
def predict_once_aiohttp(server: MockServer, provider: TracerProvider, suppress: bool) -> None:
    """One predict through ``AsyncClient`` on aiohttp with aiohttp's own client instrumentation
    on (``AioHttpClientInstrumentor``); ``suppress=False`` is the control experiment."""
    from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor

    options: dict[str, Any] = {"tracer_provider": provider, "cache": False, "retry": NO_RETRY}
    AioHttpClientInstrumentor().instrument(tracer_provider=provider)
    try:

        async def main() -> None:
            async with AsyncClient(server.api, http="aiohttp", **options) as client:
                if not suppress:
                    client._suppress_http = None
                await client.predict("fraud-score", {"amount": 1})

        asyncio.run(main())
    finally:
        AioHttpClientInstrumentor().uninstrument()


@pytest.mark.integration
def test_one_traceparent_with_aiohttp_instrumentation_on(mock_server: MockServer) -> None:
    provider, exporter = tracing()
    mock_server.reset()
    predict_once_aiohttp(mock_server, provider, suppress=True)
    spans = exporter.get_finished_spans()
    assert scopes(spans) == ["modelwire", "modelwire"], "aiohttp made a span of its own"
    attempt = next(s for s in spans if s.kind == SpanKind.CLIENT)
    (header,) = logged_traceparents(mock_server)
    assert wire_ids(header) == ids_of(attempt)


@pytest.mark.integration
def test_without_the_suppression_aiohttp_would_add_a_span_and_its_own_traceparent(
    mock_server: MockServer,
) -> None:
    provider, exporter = tracing()
    mock_server.reset()
    predict_once_aiohttp(mock_server, provider, suppress=False)
    spans = exporter.get_finished_spans()
    assert len(spans) == 3
    theirs = next(s for s in spans if scopes([s]) != ["modelwire"])
    (header,) = logged_traceparents(mock_server)
    assert header.split("-")[1:3] == list(ids_of(theirs))
