"""The asyncio client's transports: the pluggable part of the last stage (send). ``AsyncClient``
performs every request (attempts and OIDC token requests) through one ``AsyncHttp``:

- ``HttpxAsyncHttp`` on an ``httpx.AsyncClient`` (always available);
- ``AiohttpAsyncHttp`` on an ``aiohttp.ClientSession`` (``pip install "modelwire[aiohttp]"``),
  much faster at many concurrent calls (httpx's async pool degrades as concurrency grows).

Both behave alike (the conformance suite runs on each): the request as the SDK built it
(``Accept-Encoding: identity``, no redirects followed, no library retries, no decompression: the
body's raw bytes go to ``BodyReader``, which limits and decodes them), the status put in ``box``
as soon as the headers arrived (so a failure after it is judged with the status), and any
library exception left as it is for the client's one boundary (``_http.attempt_error``). The
whole attempt is bounded by the caller (``within``); the libraries' own timeouts are not used.

A transport made from a client the caller passed (``http_client=``) never closes it.

Example::

    http = open_async_http("aiohttp", None, None, timeout_s=10.0)
    answer = await http.exchange(Send("GET", url, {}, None, 10.0), 10_485_760, [])
    await http.aclose()
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import httpx

from ._http import answer_of, araw_chunks, body_reader, build_request
from .body import ACCEPT_IDENTITY, BodyReader
from .effects import HttpAnswer, Send
from .errors import ConnectionError
from .option_rules import invalid_option
from .redact import redact_url

if TYPE_CHECKING:  # pragma: no cover - types only
    import aiohttp

Suppress = Callable[[], AbstractContextManager[None]]

#: The HTTP libraries ``AsyncClient(http=...)`` can use.
ASYNC_HTTP_NAMES = ("aiohttp", "httpx")


def aiohttp_installed() -> bool:
    """Whether the optional aiohttp transport can be used (``modelwire[aiohttp]``).

    Example: ``default_async_http() == ("aiohttp" if aiohttp_installed() else "httpx")``
    """
    return importlib.util.find_spec("aiohttp") is not None


def default_async_http() -> str:
    """The library ``AsyncClient`` uses when neither ``http`` nor ``http_client`` says: aiohttp
    when it is installed (measured ~20x httpx at 32 concurrent calls, README "Performance"),
    else httpx.

    Example: ``AsyncClient(url)._transport.name == default_async_http()``
    """
    return "aiohttp" if aiohttp_installed() else "httpx"


class AsyncHttp(Protocol):
    """What ``AsyncClient`` needs of an HTTP library."""

    name: str

    async def exchange(
        self, effect: Send, max_body: int, box: list[int], suppress: Suppress | None = None
    ) -> HttpAnswer:
        """Send ``effect``'s request and read its whole body under ``max_body`` bytes; the
        status goes into ``box`` once the headers arrived. Raises the library's exceptions or
        ``MalformedResponseError`` (too large); ``suppress`` (when given) silences the library's
        own OpenTelemetry instrumentation around the request."""
        ...

    async def aclose(self) -> None:
        """Release what the SDK created (a client the caller passed stays open)."""
        ...


class HttpxAsyncHttp:
    """``AsyncHttp`` on an ``httpx.AsyncClient`` (created here unless the caller passed one).

    Example: ``HttpxAsyncHttp(httpx.AsyncClient(), owned=False)``
    """

    name = "httpx"

    def __init__(self, http: httpx.AsyncClient, *, owned: bool) -> None:
        self.http = http
        self.owned = owned

    async def exchange(
        self, effect: Send, max_body: int, box: list[int], suppress: Suppress | None = None
    ) -> HttpAnswer:
        request = build_request(self.http, effect)
        if suppress is None:
            response = await self.http.send(request, stream=True, follow_redirects=False)
        else:
            # Our attempt span is the HTTP client span: httpx's own instrumentation (if any)
            # makes none and injects no second traceparent (the context is this task's).
            with suppress():
                response = await self.http.send(request, stream=True, follow_redirects=False)
        box.append(response.status_code)
        try:
            reader = body_reader(response, max_body)
            async for chunk in araw_chunks(response):
                reader.feed(chunk)
            return answer_of(response, reader.finish())
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        if self.owned:
            await self.http.aclose()


class AiohttpAsyncHttp:
    """``AsyncHttp`` on an ``aiohttp.ClientSession``: the caller's, or one created on first use
    (a session belongs to the running event loop) and closed by ``aclose``.

    Example: ``AiohttpAsyncHttp(None)`` (the SDK's own session)
    """

    name = "aiohttp"

    def __init__(self, session: aiohttp.ClientSession | None) -> None:
        import aiohttp
        import yarl

        self._aiohttp = aiohttp
        self._url = yarl.URL
        self.session = session
        self.owned = session is None
        self._closed = False
        # The attempt is bounded as a whole by the caller: no library timer on top of it.
        self._no_timeout = aiohttp.ClientTimeout(total=None, sock_connect=None, sock_read=None)
        # Like httpx: the SDK's own session goes through HTTP(S)_PROXY unless NO_PROXY says
        # not (a caller's session is used exactly as configured).
        self._env_proxies = getproxies() if self.owned else {}

    def _proxy_for(self, url: str) -> str | None:
        if not self._env_proxies:
            return None
        parts = urlsplit(url)
        proxy = self._env_proxies.get(parts.scheme)
        if proxy is None or proxy_bypass(parts.hostname or ""):
            return None
        return proxy

    def _session(self) -> aiohttp.ClientSession:
        session = self.session
        if session is None:
            if self._closed:
                raise self._aiohttp.ClientConnectionError("the client is closed")
            aiohttp = self._aiohttp
            session = self.session = aiohttp.ClientSession(
                headers=ACCEPT_IDENTITY,
                timeout=self._no_timeout,
                auto_decompress=False,
                # Not trust_env: it reads ~/.netrc and the proxy variables in a thread on every
                # request; the proxy variables are read once instead (``_proxy_for``).
                trust_env=False,
                connector=aiohttp.TCPConnector(limit=100),
            )
        return session

    async def exchange(
        self, effect: Send, max_body: int, box: list[int], suppress: Suppress | None = None
    ) -> HttpAnswer:
        session = self._session()
        headers = effect.headers  # Accept-Encoding: identity included (options.headers)
        if suppress is None:
            return await self._exchange(session, effect, headers, max_body, box)
        with suppress():
            return await self._exchange(session, effect, headers, max_body, box)

    async def _exchange(
        self,
        session: aiohttp.ClientSession,
        effect: Send,
        headers: dict[str, str],
        max_body: int,
        box: list[int],
    ) -> HttpAnswer:
        response = await session.request(
            effect.method,
            # As built: the SDK already percent-encoded each path segment (no re-quoting).
            self._url(effect.url, encoded=True),
            headers=headers,
            data=effect.body,
            allow_redirects=False,
            auto_decompress=False,
            raise_for_status=False,
            timeout=self._no_timeout,
            proxy=self._proxy_for(effect.url),
        )
        try:
            status = response.status
            box.append(status)
            if status == 101:
                # It ends HTTP on the connection; the SDK never asks for an upgrade.
                raise ConnectionError(
                    f"connection to {redact_url(effect.url)} failed: the server switched "
                    "protocols (101), which the SDK never asks for"
                )
            reader = BodyReader(status, response.headers, max_body)
            content = response.content
            while chunk := await content.readany():
                reader.feed(chunk)
            return HttpAnswer(status, response.headers, reader.finish())
        except BaseException:
            response.close()  # a body not read to its end: the connection is not reused
            raise
        finally:
            response.release()

    async def aclose(self) -> None:
        self._closed = True
        if self.owned and self.session is not None:
            session, self.session = self.session, None
            await session.close()


def open_async_http(
    http: Any, http_client: Any, transport: httpx.AsyncBaseTransport | None, timeout_s: float
) -> AsyncHttp:
    """The transport ``AsyncClient`` was configured for: ``http_client`` (an
    ``httpx.AsyncClient`` or ``aiohttp.ClientSession``, never closed by the SDK), else the
    library ``http`` names (``"aiohttp"`` or ``"httpx"``; default ``default_async_http()``);
    ``transport`` (an httpx transport, e.g. ``httpx.MockTransport``) implies httpx. Refuses a
    combination that cannot be honoured (``INVALID_OPTIONS``).

    Example: ``open_async_http("httpx", None, None, 10.0).name == "httpx"``
    """
    if http is not None and http not in ASYNC_HTTP_NAMES:
        raise invalid_option("http", '"aiohttp" or "httpx"', http)
    if http_client is not None:
        if transport is not None:
            raise invalid_option("transport", "None when http_client is given", transport)
        if isinstance(http_client, httpx.AsyncClient) and http in (None, "httpx"):
            return HttpxAsyncHttp(http_client, owned=False)
        if aiohttp_installed() and http in (None, "aiohttp"):
            import aiohttp

            if isinstance(http_client, aiohttp.ClientSession):
                return AiohttpAsyncHttp(http_client)
        raise invalid_option(
            "http_client",
            "an httpx.AsyncClient or an aiohttp.ClientSession (matching http)",
            type(http_client).__name__,
        )
    if transport is not None:
        if http == "aiohttp":
            raise invalid_option("transport", 'None with http="aiohttp"', transport)
        http = "httpx"
    name = http or default_async_http()
    if name == "aiohttp":
        if not aiohttp_installed():
            raise invalid_option(
                "http", 'installed: pip install "modelwire[aiohttp]" for', "aiohttp"
            )
        return AiohttpAsyncHttp(None)
    # The client owns retries: httpx's transport retries stay at 0 so layers never multiply.
    # No compression asked for on any request, token requests included.
    own = httpx.AsyncClient(transport=transport, timeout=timeout_s, headers=ACCEPT_IDENTITY)
    return HttpxAsyncHttp(own, owned=True)
