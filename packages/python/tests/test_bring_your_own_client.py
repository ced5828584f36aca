"""Bring your own HTTP client (docs/semantics.md, "Bring your own HTTP client"): ``Client`` and
``AsyncClient`` use a configured ``httpx.Client`` / ``httpx.AsyncClient`` /
``aiohttp.ClientSession`` passed as ``http_client`` (proxies, mTLS, custom CAs) and never close
it. Against a real mTLS server on 127.0.0.1 (certificates made by the openssl CLI, ``tls.py``)
and a forward proxy written here."""

from __future__ import annotations

import asyncio
import http.client
import socketserver
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import httpx
import pytest

from modelwire import AsyncClient, Client, ConnectionError, InvalidInputError, RetryOptions
from modelwire.async_http import AiohttpAsyncHttp

from .conftest import MockServer
from .tls import BackgroundServer, Certificates, MtlsServer, make_certificates

RETRY_ONCE = RetryOptions(max_retries=1, backoff_initial_ms=1, jitter="none")
DATA = {"amount": 129.5}


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(Path(tmp_path_factory.mktemp("tls")))


@pytest.fixture
def mtls(certs: Certificates) -> Iterator[MtlsServer]:
    with MtlsServer(certs) as server:
        yield server


def attempts_of(events: list[Any]) -> int:
    return sum(1 for e in events if e.type == "request")


# ------------------------------------------------------------------------------------ mTLS
def test_sync_client_uses_the_callers_httpx_client(certs: Certificates, mtls: MtlsServer) -> None:
    api = mtls.url + "/v1"
    with httpx.Client(verify=certs.client_context()) as mine:
        client = Client(api, http_client=mine, retry=RETRY_ONCE, cache=False)
        prediction = client.predict("fraud-score", DATA)
        assert prediction.result["label"] == "legit"
        client.close()
        # The SDK did not close the caller's client.
        assert mine.get(api + "/health").status_code == 200
    assert mtls.seen[0] == ("POST", "/v1/models/fraud-score/predict")


def test_sync_client_without_the_client_certificate_is_a_connection_error(
    certs: Certificates, mtls: MtlsServer
) -> None:
    events: list[Any] = []
    with httpx.Client(verify=certs.client_context(with_client_cert=False)) as mine:
        with Client(
            mtls.url + "/v1", http_client=mine, retry=RETRY_ONCE, cache=False,
            breaker=False, on_event=events.append,
        ) as client:  # fmt: skip
            with pytest.raises(ConnectionError) as caught:
                client.predict("fraud-score", DATA)
    assert caught.value.code == "CONNECTION_ERROR"
    assert caught.value.attempts == 2  # max_retries 1: two attempts, no more
    assert attempts_of(events) == 2
    assert mtls.seen == []


def _async_client(kind: str, certs: Certificates, with_cert: bool = True) -> Any:
    context = certs.client_context(with_client_cert=with_cert)
    if kind == "httpx":
        return httpx.AsyncClient(verify=context)
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context))


async def _get_status(mine: Any, url: str) -> int:
    if isinstance(mine, httpx.AsyncClient):
        return (await mine.get(url)).status_code
    async with mine.get(url) as response:
        return int(response.status)


async def _close(mine: Any) -> None:
    if isinstance(mine, httpx.AsyncClient):
        await mine.aclose()
    else:
        await mine.close()


@pytest.mark.parametrize("kind", ["httpx", "aiohttp"])
def test_async_client_uses_the_callers_client(
    kind: str, certs: Certificates, mtls: MtlsServer
) -> None:
    api = mtls.url + "/v1"

    async def main() -> None:
        mine = _async_client(kind, certs)
        try:
            client = AsyncClient(api, http_client=mine, retry=RETRY_ONCE, cache=False)
            assert client._transport.name == kind
            prediction = await client.predict("fraud-score", DATA)
            assert prediction.result["label"] == "legit"
            await client.aclose()
            # The SDK did not close the caller's client: it still works.
            assert await _get_status(mine, api + "/health") == 200
        finally:
            await _close(mine)

    asyncio.run(main())
    assert mtls.seen[0] == ("POST", "/v1/models/fraud-score/predict")


@pytest.mark.parametrize("kind", ["httpx", "aiohttp"])
def test_async_client_without_the_client_certificate_is_a_connection_error(
    kind: str, certs: Certificates, mtls: MtlsServer
) -> None:
    events: list[Any] = []

    async def main() -> ConnectionError:
        mine = _async_client(kind, certs, with_cert=False)
        try:
            async with AsyncClient(
                mtls.url + "/v1", http_client=mine, retry=RETRY_ONCE, cache=False,
                breaker=False, on_event=events.append,
            ) as client:  # fmt: skip
                with pytest.raises(ConnectionError) as caught:
                    await client.predict("fraud-score", DATA)
                return caught.value
        finally:
            await _close(mine)

    err = asyncio.run(main())
    assert err.code == "CONNECTION_ERROR"
    assert err.attempts == 2  # max_retries 1: two attempts, no more
    assert attempts_of(events) == 2
    assert mtls.seen == []


# ----------------------------------------------------------------------------- forward proxy
class _ProxyHandler(socketserver.StreamRequestHandler):
    """An HTTP forward proxy for http:// targets (absolute-form request lines)."""

    def handle(self) -> None:
        while line := self.rfile.readline():
            method, target, _version = line.decode("latin-1").split()
            headers: dict[str, str] = {}
            while (raw := self.rfile.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = raw.decode("latin-1").partition(":")
                headers[name.strip()] = value.strip()
            self.server.seen.append((method, target))  # type: ignore[attr-defined]
            length = int(headers.get("Content-Length") or headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else None
            url = urlsplit(target)
            upstream = http.client.HTTPConnection(url.hostname or "", url.port or 80, timeout=10)
            forwarded = {
                k: v
                for k, v in headers.items()
                if k.lower() not in ("connection", "proxy-connection", "keep-alive")
            }
            path = url.path + ("?" + url.query if url.query else "")
            upstream.request(method, path, body=body, headers=forwarded)
            response = upstream.getresponse()
            data = response.read()
            upstream.close()
            head = [f"HTTP/1.1 {response.status} {response.reason}"]
            for name, value in response.getheaders():
                if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                    head.append(f"{name}: {value}")
            head.append(f"Content-Length: {len(data)}")
            self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data)
            self.wfile.flush()


class ForwardProxy(BackgroundServer):
    """A forward proxy on a free 127.0.0.1 port; ``seen`` lists (method, absolute target)."""

    def __init__(self) -> None:
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _ProxyHandler)
        server.daemon_threads = True
        super().__init__(server, f"http://127.0.0.1:{server.server_address[1]}")


PREDICT_PATH = "/v1/models/fraud-score/predict"


@pytest.mark.integration
def test_sync_client_goes_through_the_callers_proxy(mock_server: MockServer) -> None:
    with ForwardProxy() as proxy, httpx.Client(proxy=proxy.url) as mine:
        with Client(mock_server.api, http_client=mine, cache=False) as client:
            assert client.predict("fraud-score", DATA).model.name == "fraud-score"
    assert ("POST", mock_server.origin + PREDICT_PATH) in proxy.seen


@pytest.mark.integration
@pytest.mark.parametrize("kind", ["httpx", "aiohttp"])
def test_async_client_goes_through_the_callers_proxy(kind: str, mock_server: MockServer) -> None:
    async def main(proxy: ForwardProxy) -> None:
        if kind == "httpx":
            mine: Any = httpx.AsyncClient(proxy=proxy.url)
        else:
            mine = aiohttp.ClientSession(proxy=proxy.url)
        try:
            async with AsyncClient(mock_server.api, http_client=mine, cache=False) as client:
                assert (await client.predict("fraud-score", DATA)).model.name == "fraud-score"
        finally:
            await _close(mine)

    with ForwardProxy() as proxy:
        asyncio.run(main(proxy))
    assert ("POST", mock_server.origin + PREDICT_PATH) in proxy.seen


# -------------------------------------------------------------------- options and ownership
def test_a_wrong_http_client_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(InvalidInputError) as caught:
        Client("http://127.0.0.1:9/v1", http_client=object())
    assert caught.value.code == "INVALID_OPTIONS"
    with pytest.raises(InvalidInputError):
        Client("http://127.0.0.1:9/v1", http="aiohttp")
    with pytest.raises(InvalidInputError):
        AsyncClient("http://127.0.0.1:9/v1", http="curl")
    with pytest.raises(InvalidInputError):
        AsyncClient("http://127.0.0.1:9/v1", http_client=httpx.Client())
    with pytest.raises(InvalidInputError):
        AsyncClient(
            "http://127.0.0.1:9/v1",
            http="aiohttp",
            transport=httpx.MockTransport(lambda r: httpx.Response(200)),
        )


def test_the_default_async_library_is_aiohttp_when_installed() -> None:
    assert AsyncClient("http://127.0.0.1:9/v1")._transport.name == "aiohttp"
    assert AsyncClient("http://127.0.0.1:9/v1", http="httpx")._transport.name == "httpx"
    mock = httpx.MockTransport(lambda r: httpx.Response(200))
    assert AsyncClient("http://127.0.0.1:9/v1", transport=mock)._transport.name == "httpx"


@pytest.mark.integration
def test_aclose_closes_the_session_the_sdk_created(mock_server: MockServer) -> None:
    async def main() -> tuple[Any, Any]:
        on_aiohttp = AsyncClient(mock_server.api, http="aiohttp", cache=False)
        on_httpx = AsyncClient(mock_server.api, http="httpx", cache=False)
        for client in (on_aiohttp, on_httpx):
            await client.predict("fraud-score", DATA)
        transport = on_aiohttp._transport
        assert isinstance(transport, AiohttpAsyncHttp)
        session = transport.session
        assert session is not None and not session.closed
        assert not on_httpx._http.is_closed
        await on_aiohttp.aclose()
        await on_httpx.aclose()
        return session, on_httpx._http

    session, http = asyncio.run(main())
    assert session.closed  # no pooled connection left open
    assert http.is_closed
