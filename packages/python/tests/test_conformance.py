"""Every conformance scenario (test/conformance/scenarios) against the real mock server, with the
sync ``Client`` and with ``AsyncClient`` on each of its HTTP libraries (httpx, aiohttp)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from .conformance import load_scenarios, load_skips, run_scenario_async, run_scenario_sync
from .conftest import MockServer

SCENARIOS = load_scenarios()
SKIPS = load_skips()

pytestmark = pytest.mark.integration


def test_there_are_scenarios() -> None:
    assert len(SCENARIOS) >= 40


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario_sync(scenario: dict[str, Any], mock_server: MockServer) -> None:
    if scenario["name"] in SKIPS:
        pytest.skip(SKIPS[scenario["name"]])
    assert run_scenario_sync(scenario, mock_server) == []


@pytest.mark.parametrize("http", ["httpx", "aiohttp"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario_async(scenario: dict[str, Any], http: str, mock_server: MockServer) -> None:
    if scenario["name"] in SKIPS:
        pytest.skip(SKIPS[scenario["name"]])
    assert asyncio.run(run_scenario_async(scenario, mock_server, http)) == []
