"""A Connection error names where the attempt went (no credentials, no query) and the reason
the OS gave, and keeps that error as its cause (docs/semantics.md, "Errors")."""

from __future__ import annotations

import httpx
import pytest

import modelwire
from modelwire.options import RetryOptions
from modelwire.testing import FakeClock


def test_a_refused_connection_names_the_url_and_the_reason_but_not_the_credentials() -> None:
    refused = httpx.ConnectError("[Errno 111] Connection refused")

    def handler(request: httpx.Request) -> httpx.Response:
        raise refused

    events: list[modelwire.Event] = []
    client = modelwire.Client(
        "http://svc-user:s3cret-pw@gw.test:8443/v1",
        transport=httpx.MockTransport(handler),
        clock=FakeClock(),
        retry=RetryOptions(max_retries=0, jitter="none", budget=None),
        on_event=events.append,
    )
    with client, pytest.raises(modelwire.ConnectionError) as raised:
        client.predict("fraud-score", {"amount": 1})
    message = str(raised.value)
    assert "http://gw.test:8443/v1/models/fraud-score/predict" in message
    assert "Connection refused" in message
    assert "s3cret-pw" not in message and "svc-user" not in message
    assert raised.value.__cause__ is refused
    assert not any("s3cret-pw" in repr(e) for e in events)
