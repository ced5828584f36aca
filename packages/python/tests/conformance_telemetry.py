"""Conformance runner, part 4: telemetry scenarios (``telemetry-*.json``, see
test/conformance/README.md "Telemetry scenarios") with a real OpenTelemetry SDK.

The global tracer provider can be set only once per process: it is installed once (always-on
sampler, simple span processor, in-memory exporter) and its exported spans are cleared per
scenario; the client picks it up as the global one. Each scenario gets a fresh meter provider
with an in-memory (manual, cumulative) reader, passed to the client explicitly (the README
allows either). Each call runs inside its own active step span of the runner's scope
``conformance``.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_ON
from opentelemetry.trace import SpanContext, SpanKind, StatusCode

from .conformance_expect import is_subset

_WIRE = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$")
_LOCK = threading.Lock()
_GLOBAL: tuple[TracerProvider, InMemorySpanExporter] | None = None


def global_tracing() -> tuple[TracerProvider, InMemorySpanExporter]:
    """The process's global tracer provider and its exporter (installed on first use)."""
    global _GLOBAL
    with _LOCK:
        if _GLOBAL is None:
            exporter = InMemorySpanExporter()
            provider = TracerProvider(sampler=ALWAYS_ON)
            provider.add_span_processor(SimpleSpanProcessor(exporter))
            trace.set_tracer_provider(provider)
            if trace.get_tracer_provider() is not provider:
                raise RuntimeError("another global tracer provider was installed first")
            _GLOBAL = (provider, exporter)
        return _GLOBAL


class TelemetryRun:
    """The OpenTelemetry SDK of one telemetry scenario (see the module's docstring)."""

    def __init__(self) -> None:
        provider, self.exporter = global_tracing()
        self.exporter.clear()
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])
        self.tracer = provider.get_tracer("conformance")

    @contextlib.contextmanager
    def step_span(self) -> Iterator[SpanContext]:
        """A call's own active step span (ended when the block ends); yields its context."""
        with self.tracer.start_as_current_span("step", kind=SpanKind.INTERNAL) as span:
            yield span.get_span_context()

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def close(self) -> None:
        self.meter_provider.shutdown()


def _parent_matches(span: ReadableSpan, trace_id: int, span_id: int) -> bool:
    parent = span.parent
    return parent is not None and parent.trace_id == trace_id and parent.span_id == span_id


def _children(spans: list[ReadableSpan], of: ReadableSpan) -> list[ReadableSpan]:
    context = of.get_span_context()
    assert context is not None
    found = [s for s in spans if _parent_matches(s, context.trace_id, context.span_id)]
    return sorted(found, key=lambda s: s.start_time or 0)


def call_spans(
    spans: list[ReadableSpan], step: SpanContext, expect: dict[str, Any], traceparent: str | None
) -> list[ReadableSpan]:
    """The roots of a call's span trees: children of its step span, or (``spans_parent:
    traceparent_option``) of the call's ``traceparent`` option."""
    trace_id, span_id = step.trace_id, step.span_id
    if expect.get("spans_parent") == "traceparent_option":
        match = _WIRE.match(traceparent or "")
        assert match is not None, "spans_parent traceparent_option needs a traceparent option"
        trace_id, span_id = int(match.group(1), 16), int(match.group(2), 16)
    roots = [s for s in spans if _parent_matches(s, trace_id, span_id)]
    return sorted(roots, key=lambda s: s.start_time or 0)


def _status(span: ReadableSpan) -> str:
    code = span.status.status_code
    return {StatusCode.UNSET: "UNSET", StatusCode.ERROR: "ERROR", StatusCode.OK: "OK"}[code]


def check_tree(
    where: str,
    expected: list[dict[str, Any]],
    got: list[ReadableSpan],
    spans: list[ReadableSpan],
) -> list[str]:
    """``got`` are exactly the ``expected`` span nodes (recursively, in start order)."""
    if len(expected) != len(got):
        names = [s.name for s in got]
        return [f"{where}: expected {len(expected)} spans, got {len(got)} {names}"]
    problems = []
    for i, (e, span) in enumerate(zip(expected, got, strict=True), 1):
        at = f"{where} > span {i} {span.name!r}"
        if span.name != e["name"]:
            problems.append(f"{at}: name expected {e['name']!r}")
        if span.kind.name != e["kind"]:
            problems.append(f"{at}: kind expected {e['kind']}, got {span.kind.name}")
        if "status" in e and _status(span) != e["status"]:
            problems.append(f"{at}: status expected {e['status']}, got {_status(span)}")
        if _status(span) == "OK":
            problems.append(f"{at}: status OK is never used")
        attributes = dict(span.attributes or {})
        for key, value in (e.get("attributes") or {}).items():
            if key not in attributes or not is_subset(value, attributes[key]):
                problems.append(
                    f"{at}: attribute {key} expected {value!r}, got {attributes.get(key)!r}"
                )
        for key in e.get("absent", []):
            if key in attributes:
                problems.append(f"{at}: attribute {key} should be absent, is {attributes[key]!r}")
        if "children" in e:
            problems += check_tree(at, e["children"], _children(spans, span), spans)
    return problems


def client_spans(roots: list[ReadableSpan], spans: list[ReadableSpan]) -> list[ReadableSpan]:
    """The CLIENT spans of the trees under ``roots``, in start order."""
    found: list[ReadableSpan] = []

    def walk(nodes: list[ReadableSpan]) -> None:
        for node in nodes:
            if node.kind == SpanKind.CLIENT:
                found.append(node)
            walk(_children(spans, node))

    walk(roots)
    return sorted(found, key=lambda s: s.start_time or 0)


def check_wire(
    where: str, clients: list[ReadableSpan], requests: list[dict[str, Any]]
) -> list[str]:
    """``wire: attempt_spans``: one logged request per CLIENT span, each with exactly one
    ``traceparent`` carrying that span's trace id and span id."""
    if len(requests) != len(clients):
        return [f"{where}: wire: {len(requests)} requests for {len(clients)} CLIENT spans"]
    problems = []
    for i, (request, span) in enumerate(zip(requests, clients, strict=True), 1):
        value = request["headers"].get("traceparent")
        if isinstance(value, list):
            value = ", ".join(value)
        match = _WIRE.match(value) if isinstance(value, str) else None
        if match is None:
            problems.append(f"{where}: wire: request {i} traceparent {value!r} is not one header")
            continue
        context = span.get_span_context()
        assert context is not None
        want = (f"{context.trace_id:032x}", f"{context.span_id:016x}")
        if (match.group(1), match.group(2)) != want:
            problems.append(f"{where}: wire: request {i} traceparent {value} is not span {want}")
    return problems


def check_spans(
    where: str,
    expect: dict[str, Any],
    step: SpanContext,
    run: TelemetryRun,
    requests: list[dict[str, Any]] | None,
    traceparent: str | None,
) -> list[str]:
    """A call step's ``spans`` (and ``wire``) expectations (``traceparent``: the call's option)."""
    spans = run.spans()
    roots = call_spans(spans, step, expect, traceparent)
    problems = check_tree(f"{where} spans", expect["spans"], roots, spans)
    if expect.get("wire") == "attempt_spans":
        if requests is None:
            problems.append(f"{where}: wire is only checked on calls that are steps of their own")
        else:
            problems += check_wire(where, client_spans(roots, spans), requests)
    return problems


def _points(reader: InMemoryMetricReader, name: str) -> list[Any]:
    data = reader.get_metrics_data()
    points: list[Any] = []
    if data is None:
        return points
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                if metric.name == name:
                    points.extend(metric.data.data_points)
    return points


def check_metrics(expected: list[dict[str, Any]], run: TelemetryRun) -> list[str]:
    """The scenario-level ``metrics``: sums of matching counter points (``value``) or of
    matching histogram points' counts (``count``), after one collection."""
    problems = []
    for e in expected:
        name, want_attrs = e["name"], e.get("attributes") or {}
        matching = []
        for point in _points(run.reader, name):
            attrs = dict(point.attributes or {})
            if any(k not in attrs or not is_subset(v, attrs[k]) for k, v in want_attrs.items()):
                continue
            if any(k in attrs for k in e.get("absent", [])):
                continue
            matching.append(point)
        key = "count" if "count" in e else "value"
        want = e[key]
        if key == "count":
            got = sum(p.count for p in matching if isinstance(p, HistogramDataPoint))
        else:
            got = sum(p.value for p in matching if not isinstance(p, HistogramDataPoint))
        if not matching and want != 0:
            problems.append(f"metrics: {name} {want_attrs}: no matching data point")
        elif got != want:
            problems.append(f"metrics: {name} {want_attrs}: {key} expected {want}, got {got}")
    return problems
