"""The blocking twin's whole-attempt bound (attempt_deadline.py): each socket read and write of an
attempt ends by the attempt's end, headers included (no network, no sleep: a scripted network
backend and a fake monotonic clock)."""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable
from types import SimpleNamespace

import httpcore
import httpx
import pytest

import modelwire
from modelwire import attempt_deadline as deadline_module
from modelwire import client as client_module
from modelwire.attempt_deadline import (
    DeadlineBackend,
    DeadlineStream,
    attempt_deadline,
    bound_attempts,
    time_left,
)
from modelwire.options import RetryOptions

from .helpers import BASE, Script, reply, success

HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"


class FakeTime:
    """A monotonic clock that only moves when the scripted network says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


class TrickleStream(httpcore.NetworkStream):
    """Answers one byte per read, each ``step_s`` after the previous one; records the timeouts."""

    def __init__(self, answer: bytes, clock: FakeTime, step_s: float) -> None:
        self.answer, self.clock, self.step_s = answer, clock, step_s
        self.read_timeouts: list[float | None] = []

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.read_timeouts.append(timeout)
        if timeout is not None and timeout < self.step_s:
            # A real socket would wait `timeout` for the next byte, then time out.
            self.clock.now += timeout
            raise httpcore.ReadTimeout("timed out")
        self.clock.now += self.step_s
        byte, self.answer = self.answer[:1], self.answer[1:]
        return byte

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        pass

    def close(self) -> None:
        pass

    def get_extra_info(self, info: str) -> object:
        return None


class TrickleBackend(httpcore.NetworkBackend):
    def __init__(self, answer: bytes, clock: FakeTime, step_s: float) -> None:
        self.streams: list[TrickleStream] = []
        self.answer, self.clock, self.step_s = answer, clock, step_s

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[object] | None = None,
    ) -> httpcore.NetworkStream:
        self.streams.append(TrickleStream(self.answer, self.clock, self.step_s))
        return self.streams[-1]


def _trickling_client(
    monkeypatch: pytest.MonkeyPatch, step_s: float
) -> tuple[modelwire.Client, TrickleBackend, FakeTime]:
    clock = FakeTime()
    fake_time = SimpleNamespace(monotonic=clock.monotonic)
    monkeypatch.setattr(deadline_module, "time", fake_time)
    monkeypatch.setattr(client_module, "time", fake_time)
    body = httpx.Response(200, json=success()).content
    backend = TrickleBackend(HEADERS % len(body) + body, clock, step_s)
    transport = httpx.HTTPTransport()
    transport._pool._network_backend = backend
    client = modelwire.Client(
        BASE,
        transport=transport,
        timeout_ms=300,
        cache=False,
        breaker=False,
        retry=RetryOptions(max_retries=0, budget=None),
    )
    return client, backend, clock


def test_headers_that_trickle_end_the_attempt_at_its_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, backend, clock = _trickling_client(monkeypatch, step_s=0.04)
    started = clock.now
    with client, pytest.raises(modelwire.TimeoutError):
        client.predict("fraud-score", {"a": 1})
    # Each read got at most what was left of the attempt, never httpx's whole per-read timeout.
    timeouts = backend.streams[0].read_timeouts
    assert all(t is not None and t <= 0.3 + 1e-9 for t in timeouts)
    assert len(timeouts) <= 9  # 300 ms of 40 ms bytes, and the read that ran out
    assert clock.now - started == pytest.approx(0.3)


def test_a_prompt_answer_through_the_bounded_backend_succeeds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, _, _ = _trickling_client(monkeypatch, step_s=0.0)
    with client:
        assert client.predict("fraud-score", {"a": 1}).result["label"] == "legit"


class RecordingStream(httpcore.NetworkStream):
    def __init__(self) -> None:
        self.calls: list[tuple[str, float | None]] = []

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.calls.append(("read", timeout))
        return b""

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.calls.append(("write", timeout))

    def close(self) -> None:
        self.calls.append(("close", None))

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        self.calls.append(("start_tls", timeout))
        return self

    def get_extra_info(self, info: str) -> object:
        return "info:" + info


def test_outside_an_attempt_streams_keep_httpx_timeouts() -> None:
    inner = RecordingStream()
    stream = DeadlineStream(inner)
    stream.read(10, 5.0)
    stream.write(b"x", None)
    assert inner.calls == [("read", 5.0), ("write", None)]
    assert stream.get_extra_info("socket") == "info:socket"
    assert time_left(5.0, httpcore.ReadTimeout) == 5.0


def test_inside_an_attempt_every_operation_takes_at_most_what_is_left() -> None:
    inner = RecordingStream()
    stream = DeadlineStream(inner)
    with attempt_deadline(time.monotonic() + 1.0):
        stream.read(10, 5.0)
        stream.write(b"x", None)
        tls = stream.start_tls(ssl.create_default_context(), "gw.test", 5.0)
        assert time_left(0.5, httpcore.ReadTimeout) == 0.5  # a shorter timeout stays
    assert isinstance(tls, DeadlineStream)
    assert [name for name, _ in inner.calls] == ["read", "write", "start_tls"]
    assert all(t is not None and 0 < t <= 1.0 for _, t in inner.calls)


def test_past_the_attempt_end_nothing_touches_the_socket() -> None:
    inner = RecordingStream()
    stream = DeadlineStream(inner)
    with attempt_deadline(time.monotonic() - 0.001):
        with pytest.raises(httpcore.ReadTimeout):
            stream.read(10, 5.0)
        with pytest.raises(httpcore.WriteTimeout):
            stream.write(b"x", 5.0)
        with pytest.raises(httpcore.ConnectTimeout):
            DeadlineBackend(httpcore.SyncBackend()).connect_tcp("127.0.0.1", 9, 5.0)
    assert inner.calls == []


def test_every_pool_of_the_client_is_bounded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    http = httpx.Client()
    assert bound_attempts(http) == 2  # the direct pool and the proxy httpx took from the env
    assert bound_attempts(http) == 2
    transports = [http._transport, *http._mounts.values()]
    backends = [t._pool._network_backend for t in transports if isinstance(t, httpx.HTTPTransport)]
    assert len(backends) == 2
    for backend in backends:
        assert isinstance(backend, DeadlineBackend)
        assert not isinstance(backend.backend, DeadlineBackend)
    http.close()


def test_a_callers_http_transport_is_bounded_and_in_memory_ones_are_left_alone() -> None:
    transport = httpx.HTTPTransport()
    with modelwire.Client(BASE, transport=transport):
        assert isinstance(transport._pool._network_backend, DeadlineBackend)
    assert bound_attempts(httpx.Client(transport=httpx.MockTransport(Script().handler))) == 0


def test_in_memory_transports_still_answer() -> None:
    script = Script().on("/models/fraud-score/predict", reply(200))
    transport = httpx.MockTransport(script.handler)
    with modelwire.Client(BASE, transport=transport, cache=False) as client:
        assert client.predict("fraud-score", {"a": 1}).attempts == 1
