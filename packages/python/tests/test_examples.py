"""The examples run: examples/python-otel/main.py against the mock server prints the spans the
SDK made (console exporter), so the example cannot rot."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from .conftest import REPO, MockServer

OTEL_EXAMPLE = REPO / "examples" / "python-otel" / "main.py"


@pytest.mark.integration
def test_the_opentelemetry_example_prints_the_sdk_spans(mock_server: MockServer) -> None:
    mock_server.reset()
    done = subprocess.run(
        [sys.executable, str(OTEL_EXAMPLE), mock_server.api],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # ConsoleSpanExporter prints one JSON object per span, children ending first.
    names = re.findall(r'^    "name": "([^"]+)",$', out, flags=re.MULTILINE)
    assert names == ["POST", "predict fraud-score", "checkout"], out
    assert "label=" in out
    assert '"name": "modelwire.client.calls"' in out
    assert '"name": "http.client.request.duration"' in out
    # The attempt span's context is the traceparent the gateway saw.
    (logged,) = [r for r in mock_server.requests() if r["path"].endswith("/predict")]
    spans = [json.loads(chunk) for chunk in _span_objects(out)]
    post = next(s for s in spans if s["name"] == "POST")
    trace_id, span_id = logged["headers"]["traceparent"].split("-")[1:3]
    assert post["context"]["trace_id"] == "0x" + trace_id
    assert post["context"]["span_id"] == "0x" + span_id


def _span_objects(out: str) -> list[str]:
    """The top-level JSON objects of the span exporter's output (each starts with ``{`` alone
    on a line and ends with ``}`` alone on a line)."""
    objects: list[str] = []
    current: list[str] = []
    for line in out.splitlines():
        if line == "{":
            current = [line]
        elif current:
            current.append(line)
            if line == "}":
                text = "\n".join(current)
                if '"kind": "SpanKind.' in text:
                    objects.append(text)
                current = []
    return objects
