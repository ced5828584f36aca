"""Shared fixtures: repo paths and a mock model server started once per test session."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
VECTORS = REPO / "test" / "vectors"
SCENARIOS = REPO / "test" / "conformance" / "scenarios"
SKIPS = REPO / "test" / "conformance" / "skip"
NODE = Path(os.environ.get("MODELWIRE_NODE", REPO / "node_modules" / ".bin" / "node"))
MOCK_CLI = REPO / "packages" / "mock-server" / "dist" / "cli.js"
PREFIX = "modelwire-mock listening on "


@dataclass
class MockServer:
    """A running mock model server and a tiny client for its admin API."""

    origin: str
    process: subprocess.Popen[str]

    @property
    def api(self) -> str:
        return self.origin + "/v1"

    def _admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if method == "GET" else b"" if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.origin + path,
            data=data,
            method=method,
            headers={"content-type": "application/json"} if body is not None else {},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
            text = response.read()
            return json.loads(text) if text else None

    def reset(self) -> None:
        self._admin("POST", "/__admin/reset")

    def scenario(self, script: dict[str, Any]) -> None:
        self._admin("POST", "/__admin/scenario", script)

    def requests(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._admin("GET", "/__admin/requests")["requests"]
        return result


def start_mock() -> MockServer:
    """Start the mock server on a free port and read its URL from the first stdout line."""
    process = subprocess.Popen(
        [str(NODE), str(MOCK_CLI), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith(PREFIX):
        process.kill()
        raise RuntimeError(f"mock server did not start: {line!r}")
    # Keep draining stdout so the server never blocks on a full pipe.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    server = MockServer(line[len(PREFIX) :].rstrip("/"), process)
    # Warm the server up: its first request is slow (JIT), which would skew timing scenarios.
    for _ in range(3):
        server.reset()
        server.requests()
        server._admin("GET", "/v1/health/live")
    server.reset()
    return server


@pytest.fixture(scope="session")
def mock_server() -> Iterator[MockServer]:
    if not MOCK_CLI.exists():
        if os.environ.get("MODELWIRE_REQUIRE_MOCK"):
            pytest.fail(f"mock server not built: {MOCK_CLI} is missing (build the TS packages)")
        pytest.skip(f"mock server not built: {MOCK_CLI} is missing (run the TS build first)")
    server = start_mock()
    try:
        yield server
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the conformance tally (``N passed, N failed, N skipped``) and every skip's reason."""
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    reasons: list[str] = []
    for outcome in counts:
        for report in terminalreporter.stats.get(outcome, []):
            if "test_conformance.py::test_scenario_" not in getattr(report, "nodeid", ""):
                continue
            counts[outcome] += 1
            if outcome == "skipped" and isinstance(report.longrepr, tuple):
                reasons.append(f"  skip {report.nodeid.split('::')[-1]}: {report.longrepr[2]}")
    if sum(counts.values()):
        terminalreporter.write_line(
            f"conformance (Client + AsyncClient on httpx and aiohttp): {counts['passed']} passed, "
            f"{counts['failed']} failed, {counts['skipped']} skipped"
        )
        for line in reasons:
            terminalreporter.write_line(line)
    vectors = {"passed": 0, "failed": 0}
    for outcome in vectors:
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            if "test_options_vectors.py::test_options_vector[" in nodeid and report.when == "call":
                vectors[outcome] += 1
    if sum(vectors.values()):
        # Python can express every case (dynamic_only ones included): none is "not expressible".
        terminalreporter.write_line(
            f"options vectors: {vectors['passed']} passed, {vectors['failed']} failed, "
            "0 not expressible"
        )
