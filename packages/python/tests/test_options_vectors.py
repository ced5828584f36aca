"""The shared options vectors (test/vectors/options.json): what every SDK refuses before
sending (docs/semantics.md, "What the SDKs check before sending"). Each case builds a client
from the case's snake_case options (mapped as the conformance runner maps a scenario's) over an
in-memory transport and calls ``predict``: a refused case fails with the expected kind, code
and message, and nothing is sent (no request, no event); a ``sent`` case reaches the transport.
Python runs the ``dynamic_only`` cases too. The tally line is printed by ``conftest.py``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from modelwire import AsyncClient, Client, Event, ModelwireError

from .conformance import client_args, client_options
from .conftest import VECTORS, load_json
from .helpers import reply

CASES: list[dict[str, Any]] = load_json(VECTORS / "options.json")["cases"]
BASE_URL = "http://gw.test/v1"


def nested(depth: int) -> dict[str, Any]:
    """``{"a": {"a": ... {"a": 1}}}`` with ``depth`` objects (built without recursion)."""
    data: dict[str, Any] = {"a": 1}
    for _ in range(depth - 1):
        data = {"a": data}
    return data


def data_of(case: dict[str, Any]) -> Any:
    return nested(case["data_depth"]) if "data_depth" in case else case["data"]


def run_sync(case: dict[str, Any], requests: list[httpx.Request], events: list[Event]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return reply(200)

    base_url, options = client_args(client_options(case.get("client") or {}, []), BASE_URL)
    transport = httpx.MockTransport(handler)
    with Client(base_url, transport=transport, on_event=events.append, **options) as client:
        client.predict(case["model"], data_of(case), **(case.get("call") or {}))


def run_async(case: dict[str, Any], requests: list[httpx.Request], events: list[Event]) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return reply(200)

    async def main() -> None:
        base_url, options = client_args(client_options(case.get("client") or {}, []), BASE_URL)
        transport = httpx.MockTransport(handler)
        async with AsyncClient(
            base_url, transport=transport, on_event=events.append, **options
        ) as client:
            await client.predict(case["model"], data_of(case), **(case.get("call") or {}))

    asyncio.run(main())


def check(case: dict[str, Any], twin: Any) -> None:
    requests: list[httpx.Request] = []
    events: list[Event] = []
    expected = case["expected"]
    if expected.get("sent"):
        twin(case, requests, events)
        assert len(requests) == 1
        call = case.get("call") or {}
        if "request_id" in call:
            assert requests[0].headers["x-request-id"] == call["request_id"]
        return
    with pytest.raises(ModelwireError) as info:
        twin(case, requests, events)
    err = info.value
    assert (err.kind, err.code) == (expected["error_kind"], expected["error_code"]), str(err)
    assert expected["mentions"].lower() in str(err).lower(), str(err)
    assert requests == [] and events == []


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_options_vector(case: dict[str, Any]) -> None:
    """Both twins (``Client`` and ``AsyncClient``) give the case's expected answer."""
    check(case, run_sync)
    check(case, run_async)


def test_there_are_options_vectors() -> None:
    assert len(CASES) >= 31
