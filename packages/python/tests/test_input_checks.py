"""What the SDK refuses before sending (docs/semantics.md, "What the SDKs check before
sending") with Python's own types, the options' rules beyond the shared vectors, the JSON
Content-Type of bodies and the 404 hint about /v1. No network: an in-memory transport."""

from __future__ import annotations

import datetime
import decimal
import json
import math
import types
from collections import OrderedDict, deque
from typing import Any

import httpx
import pytest

from modelwire import (
    BreakerOptions,
    CacheOptions,
    Client,
    InvalidInputError,
    NotFoundError,
    RetryOptions,
    TokenProvider,
    canonical_json,
)
from modelwire.generated.models import FeedbackRequest, PredictRequest
from modelwire.option_rules import REQUEST_ID_PATTERN

from .helpers import BASE, Script, make_client, reply


class Point:
    def __init__(self) -> None:
        self.x = 1


def _refused(data: Any) -> InvalidInputError:
    script = Script().on("/models/fraud-score/predict", reply(200))
    events: list[Any] = []
    with make_client(script, on_event=events.append) as client:
        with pytest.raises(InvalidInputError) as info:
            client.predict("fraud-score", data)
    assert script.requests == [] and events == []
    assert info.value.code == "INVALID_INPUT"
    return info.value


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"at": datetime.datetime(2024, 1, 2)}, "data.at: a datetime is not a JSON value"),
        ({"on": datetime.date(2024, 1, 2)}, "data.on: a date is not a JSON value; send an ISO"),
        ({"items": [1, 2, {"t": datetime.time(1)}]}, "data.items[2].t: a time is not"),
        ({"tags": {"a", "b"}}, "data.tags: a set is not a JSON value; send a list"),
        ({"tags": frozenset()}, "data.tags: a frozenset is not a JSON value"),
        ({"raw": b"\x00"}, "data.raw: bytes is not a JSON value; send a string"),
        ({"raw": bytearray(b"x")}, "data.raw: bytearray is not a JSON value"),
        ({"f": lambda: 1}, "data.f: a function (function) is not a JSON value"),
        ({"f": len}, "data.f: a function (builtin_function_or_method)"),
        ({"price": decimal.Decimal("1.5")}, "data.price: a Decimal is not a JSON value"),
        ({"p": Point()}, "data.p: a Point is not a JSON value; send dict, list"),
        ({"q": deque([1])}, "data.q: a deque is not a JSON value; send a list"),
        ({"r": range(3)}, "data.r: a range is not a JSON value; send a list"),
        ({"x": [1, float("nan")]}, "data.x[1]: nan is not a JSON value"),
        ({"x": {"y": -math.inf}}, "data.x.y: -inf is not a JSON value"),
        ({"big": 10**400}, "data.big: an integer too large"),
        ({"m": {1: "one"}}, "data.m: the key 1 is a int; JSON object keys are strings"),
        ({"a b": {"c": set()}}, 'data["a b"].c: a set is not'),
        ({"t": (1, b"")}, "data.t[1]: bytes is not"),
    ],
)
def test_python_values_that_are_not_json_are_refused_with_their_path(
    data: dict[str, Any], message: str
) -> None:
    assert message in str(_refused(data))


def test_a_circular_structure_is_refused_as_too_deep() -> None:
    loop: dict[str, Any] = {"name": "x"}
    loop["self"] = loop
    assert "too deep" in str(_refused(loop))
    items: list[Any] = [1]
    items.append(items)
    assert "circular" in str(_refused({"items": items}))


def test_very_deep_data_is_refused_without_recursion_error() -> None:
    data: Any = 1
    for _ in range(100_000):
        data = [data]
    assert "more than max_json_depth (100)" in str(_refused({"deep": data}))


def test_a_refused_input_asks_for_no_token() -> None:
    calls: list[int] = []

    def token() -> str:
        calls.append(1)
        return "t-1"

    script = Script().on("/models/fraud-score/predict", reply(200))
    provider = TokenProvider(token)
    with make_client(script, auth=provider) as client:
        with pytest.raises(InvalidInputError):
            client.predict("fraud-score", {"at": datetime.date.today()})
        with pytest.raises(InvalidInputError):
            client.predict("fraud-score", {"a": 1}, request_id="日1")
    assert calls == [] and script.requests == []


def test_max_json_depth_bounds_the_input_as_it_bounds_answers() -> None:
    script = Script().on("/models/fraud-score/predict", reply(200))
    with make_client(script, max_json_depth=2) as client:
        client.predict("fraud-score", {"a": {"b": 1}})
        with pytest.raises(InvalidInputError, match="max_json_depth \\(2\\)"):
            client.predict("fraud-score", {"a": {"b": [1]}})
    assert len(script.requests) == 1


def test_json_shaped_python_values_are_sent() -> None:
    class Label(str):
        pass

    script = Script().on("/models/fraud-score/predict", reply(200))
    data = {
        "t": (1, 2),
        "o": OrderedDict(b=1, a=2),
        "m": types.MappingProxyType({"k": [None, True]}),
        "s": Label("x"),
        "n": 2**60,
    }
    with make_client(script, cache=False) as client:
        client.predict("fraud-score", data)
    sent = script.bodies("/models/fraud-score/predict")[0]["data"]
    assert sent == {
        "t": [1, 2],
        "o": {"b": 1, "a": 2},
        "m": {"k": [None, True]},
        "s": "x",
        "n": 2**60,
    }


def test_meta_and_feedback_fields_must_be_json_too() -> None:
    script = Script().on("/models/fraud-score/predict", reply(200))
    with make_client(script) as client:
        with pytest.raises(InvalidInputError, match=r"meta\.when: a date"):
            client.predict("fraud-score", {"a": 1}, meta={"when": datetime.date.today()})
        with pytest.raises(InvalidInputError, match=r"feedback\.score: nan"):
            client.feedback("fraud-score", "r-1", score=float("nan"))
        with pytest.raises(InvalidInputError, match="request_id must be a prediction's"):
            client.feedback("fraud-score", "not an id")
    assert script.requests == []


def test_canonical_json_names_the_path_it_refuses() -> None:
    with pytest.raises(InvalidInputError, match=r"^value\[0\]\.a: a set"):
        canonical_json([{"a": {1}}])


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Client(BASE, timeout_ms="500"), "timeout_ms must be a finite number > 0"),  # type: ignore[arg-type]
        (lambda: Client(BASE, deadline_ms=math.inf), "deadline_ms must be a finite number > 0"),
        (lambda: Client(BASE, timeout_ms=True), "timeout_ms must be a finite number > 0, got True"),
        (lambda: Client(BASE, max_input_bytes=1.5), "max_input_bytes must be an integer >= 1"),  # type: ignore[arg-type]
        (lambda: Client(BASE, max_json_depth=0), "max_json_depth must be an integer >= 1"),
        (lambda: Client(BASE, min_confidence=2), "min_confidence must be within [0, 1]"),
        (lambda: Client("http://", cache=False), "base_url must be an absolute http(s) URL"),
        (lambda: Client("http://h:port/v1"), "base_url must be an absolute http(s) URL"),
        (lambda: Client(BASE, retry={"max_retries": 1}), "retry must be RetryOptions"),  # type: ignore[arg-type]
        (lambda: RetryOptions(max_retries=True), "retry.max_retries must be an integer >= 0"),
        (lambda: RetryOptions(backoff_initial_ms=-1), "retry.backoff_initial_ms must be"),
        (lambda: RetryOptions(backoff_multiplier=0.5), "retry.backoff_multiplier must be"),
        (lambda: BreakerOptions(reset_timeout_ms=0), "breaker.reset_timeout_ms must be"),
        (lambda: BreakerOptions(consecutive_failures="3"), "breaker.consecutive_failures"),  # type: ignore[arg-type]
        (lambda: CacheOptions(max_entries=-1), "cache.max_entries must be an integer >= 0"),
        (lambda: CacheOptions(ttl_ms=math.nan), "cache.ttl_ms must be a finite number >= 0"),
    ],
)
def test_wrong_options_are_refused_not_coerced(build: Any, message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        build()
    assert info.value.code == "INVALID_OPTIONS"
    assert message in str(info.value)


def test_the_request_id_rule_is_the_contracts() -> None:
    for model in (PredictRequest, FeedbackRequest):
        patterns = [
            m.pattern for m in model.model_fields["request_id"].metadata if hasattr(m, "pattern")
        ]
        assert REQUEST_ID_PATTERN in patterns


def test_bodies_are_sent_as_json_and_reads_carry_no_content_type() -> None:
    at = "2024-01-02T00:00:00Z"
    job = {"job_id": "j-1", "state": "queued", "model": "fraud-score", "request_id": "r"}
    job |= {"created_at": at, "updated_at": at}
    script = (
        Script()
        .on("/models/fraud-score/predict", reply(200))
        .on(
            "/models/fraud-score/jobs",
            reply(
                202,
                {
                    "status": "success",
                    "code": "OK",
                    "message": "queued",
                    "request_id": "r",
                    "trace_id": "t",
                    "result": job,
                },
            ),
        )
        .on(
            "/models/fraud-score/feedback",
            reply(
                200,
                {
                    "status": "success",
                    "code": "OK",
                    "message": "ok",
                    "request_id": "r",
                    "trace_id": "t",
                    "result": {"accepted": True, "feedback_id": "f-1"},
                },
            ),
        )
        .on(
            "/models",
            reply(
                200,
                {
                    "status": "success",
                    "code": "OK",
                    "message": "ok",
                    "request_id": "r",
                    "trace_id": "t",
                    "result": {"models": []},
                },
            ),
        )
    )
    with make_client(script, cache=False) as client:
        client.predict("fraud-score", {"a": 1})
        client.submit_job("fraud-score", {"a": 1})
        client.feedback("fraud-score", "r-1", label="fraud")
        client.list_models()
    by_path = {r.url.path: r for r in script.requests}
    for path in (
        "/v1/models/fraud-score/predict",
        "/v1/models/fraud-score/jobs",
        "/v1/models/fraud-score/feedback",
    ):
        assert by_path[path].headers["content-type"] == "application/json"
        json.loads(by_path[path].content)
    assert "content-type" not in by_path["/v1/models"].headers


def test_a_404_to_a_base_url_without_v1_mentions_v1() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return reply(
            404,
            {
                "status": "error",
                "code": "NOT_FOUND",
                "message": "no route",
                "request_id": "r",
                "trace_id": "t",
            },
        )

    transport = httpx.MockTransport(handler)
    with Client("http://gw.test", transport=transport, cache=False) as client:
        with pytest.raises(NotFoundError) as info:
            client.predict("fraud-score", {"a": 1})
    message = str(info.value)
    assert "/v1" in message and "'http://gw.test/v1'" in message
    with Client("http://gw.test/v1/", transport=transport, cache=False) as client:
        with pytest.raises(NotFoundError) as info:
            client.predict("fraud-score", {"a": 1})
    assert "/v1" not in str(info.value)
