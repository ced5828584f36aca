"""What ``Client`` and ``AsyncClient`` do alike with httpx: build the request of a ``Send``
effect, read its answer's body under the response limits (``body.BodyReader``), and turn
whatever an attempt raises into a typed error (``attempt_error``: the one boundary of the
transport, docs/semantics.md "Attempt boundaries"). The twins only differ in their I/O loop
(blocking, each socket operation bounded by the attempt's end, or ``await`` under one timeout).

Private. Example::

    response = http.send(build_request(http, effect), stream=True)
    reader = BodyReader(response.status_code, response.headers, max_bytes)
    for chunk in response.iter_raw():
        reader.feed(chunk)
    answer = answer_of(response, reader.finish())
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Iterator
from typing import TypeVar

import httpx

from .body import BodyReader
from .effects import HttpAnswer, Send
from .errors import (
    ConnectionError,
    MalformedResponseError,
    ModelwireError,
    TimeoutError,
    error_from_response,
)
from .redact import redact_credentials, redact_url
from .token_failure import os_reason

T = TypeVar("T")

if sys.version_info >= (3, 11):

    async def within(seconds: float, awaitable: Awaitable[T]) -> T:
        """``awaitable`` under one timer (``asyncio.TimeoutError`` when it runs out).

        Example: ``await within(2.0, exchange())``
        """
        async with asyncio.timeout(seconds):
            return await awaitable

else:  # pragma: no cover - Python 3.10

    async def within(seconds: float, awaitable: Awaitable[T]) -> T:
        """``awaitable`` under one timer (``asyncio.TimeoutError`` when it runs out)."""
        return await asyncio.wait_for(awaitable, seconds)


def build_request(http: httpx.Client | httpx.AsyncClient, effect: Send) -> httpx.Request:
    """The httpx request of one attempt (its timeout rides in the request's extensions).

    Example: ``http.send(build_request(http, Send("GET", url, {}, None, 5.0)))``
    """
    return http.build_request(
        effect.method,
        effect.url,
        headers=effect.headers,
        content=effect.body,
        timeout=effect.timeout_s,
    )


def body_reader(response: httpx.Response, max_bytes: int) -> BodyReader:
    """The reader of ``response``'s body under ``max_bytes`` (its headers may already refuse it).

    Example: ``body_reader(response, 10_485_760).feed(chunk)``
    """
    # An answer httpx already read (in-memory transports build them so) holds decoded bytes.
    headers = {} if response.is_stream_consumed else response.headers
    return BodyReader(response.status_code, headers, max_bytes)


def raw_chunks(response: httpx.Response) -> Iterator[bytes]:
    """The body's bytes as they arrive (the blocking twin's loop reads these). The connection
    goes back to the pool only when the caller closes ``response`` (after its last check).

    Example: ``for chunk in raw_chunks(response): reader.feed(chunk)``
    """
    if response.is_stream_consumed:
        return iter((response.content,))
    stream = response.stream
    # Not iter_raw(): it closes the response when the body ends; the attempt closes it itself,
    # on every exit path, once it has judged the body.
    if isinstance(stream, httpx.SyncByteStream):
        return iter(stream)
    return response.iter_raw()  # pragma: no cover - a sync response always has a sync stream


async def araw_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body's bytes as they arrive (the asyncio twin's loop reads these).

    Example: ``async for chunk in araw_chunks(response): reader.feed(chunk)``
    """
    if response.is_stream_consumed:
        yield response.content
        return
    async for chunk in response.aiter_raw():
        yield chunk


def answer_of(response: httpx.Response, body: bytes) -> HttpAnswer:
    """What the pipeline needs of a response: status, headers and the (decoded) body.

    Example: ``answer_of(response, reader.finish()).status == 200``
    """
    return HttpAnswer(response.status_code, response.headers, body)


def timeout_error(timeout_s: float) -> TimeoutError:
    """The attempt's time (``timeout_ms``, counted from its start) ran out.

    Example: ``timeout_error(2.0).code == "TIMEOUT"``
    """
    return TimeoutError(
        f"no whole answer within the per-attempt timeout ({timeout_s * 1000:.0f} ms); raise "
        "timeout_ms or check the model's latency"
    )


def attempt_error(
    err: Exception, status: int | None, timeout_s: float, url: str | None = None
) -> ModelwireError:
    """Whatever an attempt raised, as a typed error: a timeout, a transport failure, or an
    unexpected exception: with a 2xx in hand ``MalformedResponse``, with a 4xx/5xx the status's
    kind, without an answer ``Connection``.

    Example: ``attempt_error(RecursionError(), 200, 1.0).kind == "MalformedResponse"``
    """
    if isinstance(err, ModelwireError):
        return err
    if failure_of(err) is not None:
        return transport_error(err, timeout_s, url)
    if status is None:
        return ConnectionError(f"the request failed before an answer ({type(err).__name__})")
    if 200 <= status < 300:
        return MalformedResponseError(
            f"HTTP {status} answer could not be read ({type(err).__name__})", http_status=status
        )
    return error_from_response(status, b"", request_id=None, trace_id=None)


def failure_of(err: BaseException) -> str | None:
    """What an HTTP library's own exception means: ``"timeout"``, ``"connection"`` (no whole
    answer: refused, reset, TLS, broken framing, bytes that are not HTTP), or None (not a
    transport failure). Knows httpx and, when it is loaded, aiohttp (``modelwire[aiohttp]``).

    Example: ``failure_of(httpx.ConnectError("refused")) == "connection"``
    """
    if isinstance(err, httpx.TimeoutException):
        return "timeout"
    if isinstance(err, httpx.HTTPError):
        return "connection"
    aiohttp = sys.modules.get("aiohttp")
    if aiohttp is not None:
        if isinstance(err, (aiohttp.ServerTimeoutError, aiohttp.ConnectionTimeoutError)):
            return "timeout"
        if isinstance(err, aiohttp.ClientError):
            return "connection"
    return None


def transport_error(err: BaseException, timeout_s: float, url: str | None = None) -> ModelwireError:
    """Map an HTTP library's transport failure (``failure_of``) to ``TimeoutError`` or
    ``ConnectionError``; the latter's one-line message names ``url`` (without credentials or
    query) and the reason the OS or the library gave. The caller raises it ``from err``, which
    keeps that reason as the cause.

    Example: ``transport_error(httpx.ConnectError("refused"), 5.0, url).kind == "Connection"``
    """
    if failure_of(err) == "timeout":
        return timeout_error(timeout_s)
    # httpx words its failures itself; aiohttp wraps the OS's (errno) in its own text.
    text = str(err) if isinstance(err, httpx.HTTPError) else os_reason(err)
    reason = " ".join(text.split()) or "no reason given"
    where = ""
    if url is not None:
        reason = redact_credentials(reason, url)
        where = f" to {redact_url(url)}"
    return ConnectionError(
        f"connection{where} failed: {reason} ({type(err).__name__}); check base_url and that "
        "the gateway is up"
    )
