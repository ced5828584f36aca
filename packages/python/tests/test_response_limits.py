"""Response limits and attempt boundaries (docs/semantics.md): the depth scan, the bounded body
reader (gzip bombs, Content-Length), ``Accept-Encoding: identity``, and that nothing raw
escapes an attempt, in both twins (no network, no sleep)."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Iterator

import httpx
import pytest

import modelwire
from modelwire import AsyncClient
from modelwire._http import raw_chunks
from modelwire.body import BodyReader
from modelwire.json_depth import JsonTooDeepError, loads, too_deep
from modelwire.options import RetryOptions
from modelwire.testing import FakeClock

from .helpers import BASE, Script, make_client, reply, success

PREDICT = "/models/fraud-score/predict"
NO_RETRY = RetryOptions(max_retries=0, budget=None)


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_depth_scan_counts_containers_and_ignores_strings() -> None:
    assert not too_deep(_nested(100), 100)
    assert too_deep(_nested(101), 100)
    assert not too_deep(b'{"a": "[[[[[[{{{{{{", "b": [1, [2]]}', 3)
    assert too_deep(b'{"a": "[[[[[[{{{{{{", "b": [1, [2]]}', 2)
    assert not too_deep(b'["\\"[[[[", [[]]]', 3)
    assert not too_deep(b'["\\\\", "[[[[\\\\\\"", [[]]]', 3)  # escaped backslashes, quotes
    assert too_deep(b'["\\\\", "[[[[\\\\\\"", [[[]]]]', 3)
    assert too_deep(b"[" * 10_000, 100)  # unbalanced: never handed to the recursive parser
    assert not too_deep(b"[" + b"[1]," * 500 + b"[]]", 2)  # wide, not deep


def test_loads_never_raises_recursion_error() -> None:
    for body in (_nested(100_000), b'{"a":' * 50_000 + b"1" + b"}" * 50_000):
        with pytest.raises(JsonTooDeepError):
            loads(body, 100)
    # A limit above the interpreter's stack is still typed, not a RecursionError.
    with pytest.raises(JsonTooDeepError):
        loads(_nested(100_000), 1_000_000)


def test_gzip_bomb_is_decoded_only_up_to_the_limit() -> None:
    bomb = gzip.compress(b"0" * 50_000_000)  # about 50 KB: one chunk
    reader = BodyReader(200, {"content-encoding": "gzip"}, max_bytes=1_000_000)
    with pytest.raises(modelwire.MalformedResponseError) as info:
        reader.feed(bomb)
    assert info.value.code == "RESPONSE_TOO_LARGE"
    assert sum(map(len, reader._chunks)) <= 1_000_000


def test_content_length_above_the_limit_is_refused_before_reading() -> None:
    with pytest.raises(modelwire.MalformedResponseError) as info:
        BodyReader(200, {"content-length": "11"}, max_bytes=10)
    assert info.value.code == "RESPONSE_TOO_LARGE"


def test_an_undecodable_error_body_keeps_the_status_kind() -> None:
    reader = BodyReader(503, {"content-encoding": "gzip"}, max_bytes=100)
    reader.feed(b"not gzip at all")
    assert reader.finish() == b""
    with pytest.raises(modelwire.MalformedResponseError):
        BodyReader(200, {"content-encoding": "br"}, max_bytes=100)


def test_requests_ask_for_identity_and_compressed_answers_are_decoded() -> None:
    body = gzip.compress(reply(200).content)
    script = Script().on(PREDICT, reply(200, body, {"Content-Encoding": "gzip"}))
    with make_client(script, cache=False) as client:
        assert client.predict("fraud-score", {"a": 1}).result["label"] == "legit"
    assert script.requests[0].headers["Accept-Encoding"] == "identity"


def test_max_response_bytes_is_an_option_and_not_retried() -> None:
    script = Script().on(PREDICT, reply(200))
    with make_client(script, cache=False, max_response_bytes=50) as client:
        with pytest.raises(modelwire.MalformedResponseError) as info:
            client.predict("fraud-score", {"a": 1})
    assert info.value.code == "RESPONSE_TOO_LARGE"
    assert len(script.to(PREDICT)) == 1
    with pytest.raises(modelwire.InvalidInputError):
        make_client(script, max_json_depth=0)


def test_deep_json_on_a_half_open_trial_releases_the_slot() -> None:
    deep = b'{"status":"success","result":' + _nested(10_000) + b"}"
    script = Script().on(PREDICT, reply(503))
    clock = FakeClock()
    breaker = modelwire.BreakerOptions(consecutive_failures=1, reset_timeout_ms=1_000)
    with make_client(script, clock, cache=False, retry=NO_RETRY, breaker=breaker) as client:
        with pytest.raises(modelwire.UnavailableError):
            client.predict("fraud-score", {"a": 1})
        clock.advance(2)
        script.on(PREDICT, reply(200, deep), reply(200, success()))
        with pytest.raises(modelwire.MalformedResponseError):
            client.predict("fraud-score", {"a": 2})
        assert client.breaker_state("fraud-score") == "half-open"  # ignored, slot released
        client.predict("fraud-score", {"a": 3})
        assert client.breaker_state("fraud-score") == "closed"


def test_an_unexpected_transport_exception_is_typed_in_both_twins() -> None:
    script = Script().on(PREDICT, RuntimeError("a bug in a custom transport"))
    with make_client(script, cache=False, retry=NO_RETRY) as client:
        with pytest.raises(modelwire.ConnectionError):
            client.predict("fraud-score", {"a": 1})

    async def run() -> None:
        async with AsyncClient(
            BASE,
            transport=httpx.MockTransport(script.ahandler),
            cache=False,
            retry=NO_RETRY,
        ) as client:
            with pytest.raises(modelwire.ConnectionError):
                await client.predict("fraud-score", {"a": 1})

    asyncio.run(run())


class _Chunks(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        yield from (b'{"a":', b"1}")


def test_reading_a_body_leaves_closing_and_the_connection_to_the_attempt() -> None:
    # The attempt closes the response itself once it has judged the body (every exit path).
    response = httpx.Response(200, stream=_Chunks())
    assert b"".join(raw_chunks(response)) == b'{"a":1}'
    assert not response.is_closed
