"""Helpers of the Keycloak auth suite (test/keycloak/SUITE.md): the Keycloak description, the
gateway's request log, a TCP forwarder that can be cut. Nothing here prints a secret or a token.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from modelwire import OIDCClientCredentials

#: What every check predicts (SUITE.md).
MODEL = "fraud-score"
TX: dict[str, Any] = {"amount": 12.5, "country": "FR", "card_present": True}
SCOPE = "models:predict"


@dataclass(frozen=True)
class Keycloak:
    """The running Keycloak (its description JSON) and the issuer-mode gateway in front of it."""

    token_url: str
    gateway: str
    clients: dict[str, dict[str, Any]] = field(repr=False)  # secrets and keys: never in a repr

    @property
    def origin(self) -> str:
        """The gateway's origin, where its admin API lives."""
        parts = urlsplit(self.gateway)
        return urlunsplit((parts.scheme, parts.netloc, "", "", ""))

    def secret(self, name: str) -> str:
        """Client ``name``'s real secret (for the K4 leak check only)."""
        return str(self.clients[name]["client_secret"])

    def oidc(self, name: str, **overrides: Any) -> OIDCClientCredentials:
        """The OIDC options for Keycloak client ``name``, asking for the scope predict needs."""
        c = self.clients[name]
        if c.get("private_key_pem"):
            alg = cast(Literal["RS256", "ES256"], c["alg"])
            auth = OIDCClientCredentials(
                self.token_url,
                c["client_id"],
                scope=SCOPE,
                auth_method="private_key_jwt",
                private_key_pem=c["private_key_pem"],
                key_id=c.get("kid"),
                algorithm=alg,
            )
        else:
            auth = OIDCClientCredentials(self.token_url, c["client_id"], c["client_secret"], SCOPE)
        return replace(auth, **overrides)


def load_keycloak() -> Keycloak:
    """Read ``MODELWIRE_KEYCLOAK`` and ``MODELWIRE_KEYCLOAK_GATEWAY``; fail (never skip) without."""
    path = os.environ.get("MODELWIRE_KEYCLOAK")
    gateway = os.environ.get("MODELWIRE_KEYCLOAK_GATEWAY")
    if not path or not gateway:
        pytest.fail(
            "MODELWIRE_KEYCLOAK and MODELWIRE_KEYCLOAK_GATEWAY must be set "
            "(run scripts/test-keycloak.sh under scripts/keycloak/keycloak.mjs run)",
            pytrace=False,
        )
    if not Path(path).is_file():
        pytest.fail(f"MODELWIRE_KEYCLOAK={path} is not a file", pytrace=False)
    description = json.loads(Path(path).read_text(encoding="utf-8"))
    return Keycloak(description["token_url"], gateway.rstrip("/"), description["clients"])


def fingerprint(authorization: str) -> str:
    """A short digest of an ``Authorization`` header: comparable, and no token in any output."""
    if not authorization:
        return "<none>"
    return hashlib.sha256(authorization.encode()).hexdigest()[:12]


class GatewayLog:
    """This suite's view of ``GET <origin>/__admin/requests`` (shared gateway: never reset).

    Only requests logged after ``since`` count, so a re-run against the same gateway reads only its
    own requests too.
    """

    def __init__(self, origin: str) -> None:
        self._url = origin + "/__admin/requests"
        self.since = max((r["seq"] for r in self._requests()), default=0)

    def _requests(self) -> list[dict[str, Any]]:
        response = httpx.get(self._url, timeout=10)
        response.raise_for_status()
        return cast(list[dict[str, Any]], response.json()["requests"])

    def authorizations(self, prefix: str) -> list[str]:
        """Fingerprints of the ``Authorization`` headers on the requests whose id starts with
        ``prefix``, in the gateway's order."""
        return [
            fingerprint(r["headers"].get("authorization", ""))
            for r in self._requests()
            if r["seq"] > self.since and r["headers"].get("x-request-id", "").startswith(prefix)
        ]


class TcpForwarder:
    """Forwards 127.0.0.1:``port`` to ``host``:``target_port``; ``cut()`` closes the listener and
    every open connection (the identity provider "goes away")."""

    def __init__(self, host: str, target_port: int) -> None:
        self._target = (host, target_port)
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._cut = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self._acceptor = threading.Thread(target=self._accept, name="kc-forwarder", daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._cut.is_set():
            try:
                inbound, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                outbound = socket.create_connection(self._target, timeout=10)
            except OSError:
                inbound.close()
                continue
            inbound.settimeout(None)
            outbound.settimeout(None)
            with self._lock:
                if self._cut.is_set():
                    inbound.close()
                    outbound.close()
                    return
                self._sockets.update((inbound, outbound))
            for source, sink in ((inbound, outbound), (outbound, inbound)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            self._close(source, sink)

    def _close(self, *sockets: socket.socket) -> None:
        with self._lock:
            for s in sockets:
                self._sockets.discard(s)
                with contextlib.suppress(OSError):  # already closed by the peer
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def cut(self) -> None:
        """Stop listening (new connections are refused) and drop every open connection."""
        self._cut.set()
        self._acceptor.join(timeout=5)
        self._listener.close()
        with self._lock:
            open_sockets = list(self._sockets)
        self._close(*open_sockets)


def token_url_through(token_url: str, port: int) -> str:
    """``token_url`` with its host replaced by ``127.0.0.1:port`` (the forwarder)."""
    parts = urlsplit(token_url)
    return urlunsplit((parts.scheme, f"127.0.0.1:{port}", parts.path, parts.query, ""))
