"""Test certificates made at test time by the ``openssl`` CLI (one helper for every test that
needs TLS): a CA, a server certificate for 127.0.0.1 and a client certificate, both signed by
the CA; and an HTTPS server on 127.0.0.1 that requires a client certificate from that CA (mTLS).

Example::

    certs = make_certificates(tmp_path)
    with MtlsServer(certs) as server:
        httpx.get(server.url + "/v1/health", verify=certs.ca_context())  # refused: no client cert
"""

from __future__ import annotations

import shutil
import socketserver
import ssl
import subprocess
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from typing_extensions import Self

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"

ENVELOPE = (
    b'{"status":"success","code":"OK","message":"prediction","request_id":"mtls",'
    b'"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","model":{"name":"fraud-score",'
    b'"version":"2"},"result":{"label":"legit","score":0.0871,"confidence":0.9129}}'
)


@dataclass(frozen=True)
class Certificates:
    """Paths of the PEM files (the keys are unencrypted)."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path

    def client_context(self, *, with_client_cert: bool = True) -> ssl.SSLContext:
        """A client context trusting the test CA, presenting the client certificate or not."""
        context = ssl.create_default_context(cafile=str(self.ca))
        if with_client_cert:
            context.load_cert_chain(str(self.client_cert), str(self.client_key))
        return context


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True)


def _leaf(directory: Path, name: str, usage: str, san: str | None) -> None:
    ext = directory / f"{name}.ext"
    lines = [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature",
        f"extendedKeyUsage={usage}",
        "subjectKeyIdentifier=hash",
        "authorityKeyIdentifier=keyid",
    ]
    if san is not None:
        lines.append(f"subjectAltName={san}")
    ext.write_text("\n".join(lines) + "\n")
    _openssl(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN=modelwire-test-{name}",
        cwd=directory,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-out", f"{name}.pem", "-extfile", ext.name,
        cwd=directory,
    )  # fmt: skip


def make_certificates(directory: Path) -> Certificates:
    """A fresh CA and its server (127.0.0.1) and client certificates in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=modelwire-test-ca",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=directory,
    )  # fmt: skip
    _leaf(directory, "server", "serverAuth", "IP:127.0.0.1")
    _leaf(directory, "client", "clientAuth", None)
    return Certificates(
        ca=directory / "ca.pem",
        server_cert=directory / "server.pem",
        server_key=directory / "server.key",
        client_cert=directory / "client.pem",
        client_key=directory / "client.key",
    )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.server.seen.append((self.command, self.path))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(ENVELOPE)))
        self.end_headers()
        self.wfile.write(ENVELOPE)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class BackgroundServer:
    """A socketserver served from a daemon thread while the ``with`` block runs; ``seen`` lists
    what its handler recorded (the handler appends to ``server.seen``)."""

    def __init__(self, server: socketserver.BaseServer, url: str) -> None:
        self._server = server
        self.seen: list[tuple[str, str]] = []
        self._server.seen = self.seen  # type: ignore[attr-defined]
        self.url = url
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


class MtlsServer(BackgroundServer):
    """An HTTPS server on a free 127.0.0.1 port that requires a client certificate signed by
    the test CA; every GET or POST gets a contract-valid predict envelope. ``seen`` lists the
    (method, path) of the requests it answered."""

    def __init__(self, certs: Certificates) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(certs.server_cert), str(certs.server_key))
        context.load_verify_locations(cafile=str(certs.ca))
        context.verify_mode = ssl.CERT_REQUIRED
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.socket = context.wrap_socket(server.socket, server_side=True)
        super().__init__(server, f"https://127.0.0.1:{server.server_address[1]}")
