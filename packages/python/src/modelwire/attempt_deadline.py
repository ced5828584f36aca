"""The blocking twin's bound on a whole attempt: every socket operation of the attempt
(connecting, the TLS handshake, sending, the status line and headers, the body) waits at most
until the attempt's end, so headers or a body that trickle or stall end the attempt with a
timeout ``timeout_ms`` after it started (docs/semantics.md, "Attempt boundaries").

Why a network backend: httpx's timeouts bound each socket read, not a whole answer, and the
headers are read inside ``httpx.Client.send`` where no caller code runs. httpcore lets a
connection pool take its own ``NetworkBackend``; this one wraps the streams it opens so that each
read and write takes ``min(its timeout, the attempt's end - now)``, and raises httpcore's timeout
once the end is past. The end rides in a context variable set by the attempt around its send and
body read: a pooled connection reused by another attempt (or thread) reads that attempt's end,
and outside an attempt (token requests) the streams keep httpx's timeouts unchanged.

Example::

    http = httpx.Client()
    bound_attempts(http)                         # once, when the client is built
    with attempt_deadline(time.monotonic() + 2.0):
        response = http.send(request, stream=True)
        body = b"".join(response.iter_raw())     # all within 2 s, or httpx.TimeoutException
"""

from __future__ import annotations

import contextlib
import ssl
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

import httpcore
import httpx

SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)

# The running attempt's end (time.monotonic()); None outside an attempt.
_ENDS: ContextVar[float | None] = ContextVar("modelwire_attempt_ends", default=None)


@contextlib.contextmanager
def attempt_deadline(ends: float) -> Iterator[None]:
    """Bound the socket operations run inside the block (in this thread) by ``ends``.

    Example: ``with attempt_deadline(time.monotonic() + 2.0): http.send(request)``
    """
    token = _ENDS.set(ends)
    try:
        yield
    finally:
        _ENDS.reset(token)


def time_left(timeout: float | None, expired: type[httpcore.TimeoutException]) -> float | None:
    """The timeout one socket operation may take: ``timeout`` within an attempt's end.

    Raises ``expired`` when the running attempt's end is past.

    Example::

        with attempt_deadline(time.monotonic() + 1.0):
            assert time_left(5.0, httpcore.ReadTimeout) <= 1.0
    """
    ends = _ENDS.get()
    if ends is None:
        return timeout
    left = ends - time.monotonic()
    if left <= 0:
        raise expired("the attempt's time (timeout_ms) ran out")
    return left if timeout is None or left < timeout else timeout


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose reads and writes end by the running attempt's end.

    Example: ``DeadlineStream(httpcore.SyncBackend().connect_tcp("127.0.0.1", 80))``
    """

    __slots__ = ("_stream",)

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = time_left(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """Opens connections (``DeadlineStream``) through ``backend``, bounded by the attempt's end.

    Example: ``httpcore.ConnectionPool(network_backend=DeadlineBackend(httpcore.SyncBackend()))``
    """

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self.backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = time_left(timeout, httpcore.ConnectTimeout)
        stream = self.backend.connect_tcp(host, port, bounded, local_address, socket_options)
        return DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = time_left(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self.backend.connect_unix_socket(path, bounded, socket_options))

    def sleep(self, seconds: float) -> None:
        self.backend.sleep(seconds)


def bound_attempts(http: httpx.Client) -> int:
    """Give every connection pool of ``http`` (its transport and the proxies httpx mounted from
    the environment) the ``DeadlineBackend``; returns how many pools it bounds. Idempotent.

    A transport that is not an ``httpx.HTTPTransport`` (``httpx.MockTransport``, a wrapper) is
    left as is: its body is still bounded by the attempt's check after each chunk.

    Example: ``bound_attempts(httpx.Client()) == 1``
    """
    # httpx builds its pools inside Client/HTTPTransport with httpcore's default backend and
    # offers no option for another one: the backend is swapped on the pools it built.
    transports = [http._transport, *http._mounts.values()]
    pools = [
        t._pool
        for t in transports
        if isinstance(t, httpx.HTTPTransport)
        and isinstance(getattr(t, "_pool", None), httpcore.ConnectionPool)
    ]
    for pool in pools:
        backend = pool._network_backend
        if not isinstance(backend, DeadlineBackend):
            pool._network_backend = DeadlineBackend(backend)
    return len(pools)
