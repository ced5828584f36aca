"""Scripted ``httpx.MockTransport`` handlers and envelopes for unit tests (no network, no sleep)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from modelwire import Client
from modelwire.options import RetryOptions
from modelwire.testing import FakeClock

BASE = "http://gw.test/v1"


def success(
    result: dict[str, Any] | None = None, model: str = "fraud-score", version: str = "2"
) -> dict[str, Any]:
    return {
        "status": "success",
        "code": "OK",
        "message": "prediction",
        "request_id": "srv-rid",
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        "model": {"name": model, "version": version},
        "result": result
        if result is not None
        else {"label": "legit", "score": 0.08, "confidence": 0.91},
    }


def error(code: str, message: str = "failed", **extra: Any) -> dict[str, Any]:
    return {
        "status": "error",
        "code": code,
        "message": message,
        "request_id": "srv-rid",
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        **extra,
    }


Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def reply(status: int, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    if body is None:
        body = success() if status < 300 else error(f"HTTP_{status}")
    content = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return httpx.Response(status, content=content, headers=headers)


@dataclass
class Script:
    """Answers requests per path from scripted replies (the last one repeats); records requests."""

    routes: dict[str, list[Reply]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def on(self, path: str, *replies: Reply) -> Script:
        self.routes[path] = list(replies)
        return self

    def handler(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
            path = request.url.path.removeprefix("/v1")
            queue = self.routes.get(path)
            if not queue:
                return reply(404, error("NOT_FOUND", f"no script for {path}"))
            item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        if callable(item) and not isinstance(item, httpx.Response):
            return item(request)
        return item

    async def ahandler(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self.handler(request)

    def to(self, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.removeprefix("/v1") == path]

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.to(path)]


NO_JITTER = RetryOptions(jitter="none", budget=None)


def make_client(script: Script, clock: FakeClock | None = None, **options: Any) -> Client:
    options.setdefault("retry", NO_JITTER)
    return Client(
        BASE, transport=httpx.MockTransport(script.handler), clock=clock or FakeClock(), **options
    )
