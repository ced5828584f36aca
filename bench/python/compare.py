"""The Python driver of the one benchmark (``bench/compare.mjs``): raw HTTP clients and the SDK,
async (``--concurrency`` calls in flight on one event loop) and sync (``--threads`` threads, one
call at a time each), against the shared server (``bench/server.mjs``, its own process).

Every call posts a ~1 KB predict envelope with a unique input to
``<url>/models/fraud-score/predict`` (the SDK runs its full pipeline on a cache miss; raw clients
serialise the body and parse the answer). Contenders are interleaved round by round; each
measurement warms its client up first. rps = the median round; p50/p99 over every call of the
measured windows; CPU = this process's user+sys CPU over the measured windows / calls.

The last stdout line is one JSON object ``{"lang": "python", "results": [...]}``. Run alone (it
starts ``bench/server.mjs`` with the repo's Node when ``--url`` is not given)::

    packages/python/.venv/bin/python bench/python/compare.py --seconds 9 --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import urllib3

from modelwire import AsyncClient, Client

ROOT = Path(__file__).resolve().parents[2]
NODE = Path(os.environ.get("MODELWIRE_NODE", ROOT / "node_modules" / ".bin" / "node"))
PATH = "/models/fraud-score/predict"
HEADERS = {"content-type": "application/json"}
WARMUP_S = 0.5
# Unique inputs across every contender and round: no call ever hits the SDK's cache.
_NUMBERS = itertools.count()
_LOCK = threading.Lock()


def next_number() -> int:
    with _LOCK:
        return next(_NUMBERS)


def payload(i: int) -> dict[str, Any]:
    """About 1 KB of JSON, unique per call (so every call misses the cache)."""
    return {
        "request_no": i,
        "amount": 129.5 + i,
        "country": "FR",
        "card_present": False,
        "features": [round(0.001 * (i + k), 6) for k in range(60)],
        "merchant": {"id": f"m-{i % 97}", "category": "electronics", "city": "Paris"},
        "note": "x" * 440,
    }


def raw_body(i: int) -> bytes:
    return json.dumps({"request_id": f"r-{i}", "data": payload(i)}).encode()


@dataclass
class Tally:
    """The measured windows of one contender."""

    rates: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    calls: int = 0
    cpu_s: float = 0.0

    def add(self, latencies: list[float], elapsed: float, cpu: float) -> None:
        self.rates.append(len(latencies) / elapsed)
        self.latencies.extend(latencies)
        self.calls += len(latencies)
        self.cpu_s += cpu

    def result(self, name: str, kind: str, mode: str) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

        return {
            "name": name,
            "kind": kind,
            "mode": mode,
            "rps": round(statistics.median(self.rates), 1),
            "p50_ms": round(pct(0.50), 3),
            "p99_ms": round(pct(0.99), 3),
            "cpu_us_per_req": round(self.cpu_s / max(1, self.calls) * 1e6, 1),
        }


# ------------------------------------------------------------------------------------- async
AsyncCall = Callable[[int], Awaitable[object]]


async def drive_async(call: AsyncCall, seconds: float, concurrency: int) -> list[float]:
    """``concurrency`` workers calling ``call`` until ``seconds`` have passed; the latencies."""
    latencies: list[float] = []
    ends = time.perf_counter() + seconds

    async def worker() -> None:
        while True:
            started = time.perf_counter()
            await call(next_number())
            done = time.perf_counter()
            latencies.append(done - started)
            if done >= ends:
                return

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


async def measure_async(
    open_call: Callable[[], Any], seconds: float, concurrency: int, tally: Tally
) -> None:
    """Open the contender (an async context manager yielding its call), warm up, measure."""
    async with open_call() as call:
        await drive_async(call, WARMUP_S, concurrency)
        cpu, started = time.process_time(), time.perf_counter()
        latencies = await drive_async(call, seconds, concurrency)
        tally.add(latencies, time.perf_counter() - started, time.process_time() - cpu)


class RawHttpxAsync:
    def __init__(self, url: str) -> None:
        self.url = url + PATH

    async def __aenter__(self) -> AsyncCall:
        self.http = httpx.AsyncClient()

        async def call(i: int) -> object:
            response = await self.http.post(self.url, content=raw_body(i), headers=HEADERS)
            response.raise_for_status()
            return json.loads(response.content)

        return call

    async def __aexit__(self, *exc: object) -> None:
        await self.http.aclose()


class RawAiohttp:
    def __init__(self, url: str) -> None:
        self.url = url + PATH

    async def __aenter__(self) -> AsyncCall:
        self.session = aiohttp.ClientSession()

        async def call(i: int) -> object:
            async with self.session.post(self.url, data=raw_body(i), headers=HEADERS) as response:
                response.raise_for_status()
                return json.loads(await response.read())

        return call

    async def __aexit__(self, *exc: object) -> None:
        await self.session.close()


class SdkAsync:
    def __init__(self, url: str, http: str) -> None:
        self.url, self.http = url, http

    async def __aenter__(self) -> AsyncCall:
        self.client = AsyncClient(self.url, auth="bench-token", http=self.http)

        async def call(i: int) -> object:
            return await self.client.predict("fraud-score", payload(i))

        return call

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()


# -------------------------------------------------------------------------------------- sync
SyncCall = Callable[[int], object]


def drive_threads(call: SyncCall, seconds: float, threads: int) -> list[float]:
    """``threads`` threads calling ``call`` one at a time until ``seconds`` have passed."""
    latencies: list[float] = []
    ends = time.perf_counter() + seconds

    def worker() -> None:
        mine: list[float] = []
        while True:
            started = time.perf_counter()
            call(next_number())
            done = time.perf_counter()
            mine.append(done - started)
            if done >= ends:
                break
        latencies.extend(mine)

    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(worker) for _ in range(threads)]:
            future.result()
    return latencies


def measure_sync(
    open_call: Callable[[], tuple[SyncCall, Callable[[], None]]],
    seconds: float,
    threads: int,
    tally: Tally,
) -> None:
    call, close = open_call()
    try:
        drive_threads(call, WARMUP_S, threads)
        cpu, started = time.process_time(), time.perf_counter()
        latencies = drive_threads(call, seconds, threads)
        tally.add(latencies, time.perf_counter() - started, time.process_time() - cpu)
    finally:
        close()


def raw_httpx_sync(url: str) -> tuple[SyncCall, Callable[[], None]]:
    http = httpx.Client()
    target = url + PATH

    def call(i: int) -> object:
        response = http.post(target, content=raw_body(i), headers=HEADERS)
        response.raise_for_status()
        return json.loads(response.content)

    return call, http.close


def raw_urllib3(url: str, threads: int) -> tuple[SyncCall, Callable[[], None]]:
    pool = urllib3.PoolManager(maxsize=threads, retries=False)
    target = url + PATH

    def call(i: int) -> object:
        response = pool.request("POST", target, body=raw_body(i), headers=HEADERS)
        if response.status >= 400:
            raise RuntimeError(f"HTTP {response.status}")
        return json.loads(response.data)

    return call, pool.clear


def sdk_sync(url: str) -> tuple[SyncCall, Callable[[], None]]:
    client = Client(url, auth="bench-token")
    return (lambda i: client.predict("fraud-score", payload(i))), client.close


# -------------------------------------------------------------------------------------- main
def start_server() -> tuple[str, subprocess.Popen[str]]:
    """``bench/server.mjs`` in its own Node process (it reports its port over IPC: a tiny
    launcher prints it)."""
    launcher = (
        "const {fork} = require('node:child_process');"
        f"const c = fork({json.dumps(str(ROOT / 'bench' / 'server.mjs'))});"
        "c.on('message', (m) => console.log(m.port));"
        "process.on('SIGTERM', () => { c.kill(); process.exit(0); });"
    )
    process = subprocess.Popen([str(NODE), "-e", launcher], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    port = int(process.stdout.readline())
    return f"http://127.0.0.1:{port}/v1", process


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="modelwire Python benchmark driver")
    parser.add_argument("--url", help="the server's API base (default: start bench/server.mjs)")
    parser.add_argument(
        "--seconds", type=float, default=9.0, help="per contender, split over the rounds"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--only", help="comma-separated contender names (substring match)")
    args = parser.parse_args(argv)
    server = None
    url = args.url
    if url is None:
        url, server = start_server()
    s, c, t = args.seconds / args.rounds, args.concurrency, args.threads
    contenders: list[tuple[str, str, str, Callable[[Tally], None]]] = [
        (
            "raw httpx AsyncClient",
            "raw",
            "async",
            lambda tally: asyncio.run(measure_async(lambda: RawHttpxAsync(url), s, c, tally)),
        ),
        (
            "raw aiohttp ClientSession",
            "raw",
            "async",
            lambda tally: asyncio.run(measure_async(lambda: RawAiohttp(url), s, c, tally)),
        ),
        (
            "SDK AsyncClient (httpx)",
            "sdk",
            "async",
            lambda tally: asyncio.run(measure_async(lambda: SdkAsync(url, "httpx"), s, c, tally)),
        ),
        (
            "SDK AsyncClient (aiohttp)",
            "sdk",
            "async",
            lambda tally: asyncio.run(measure_async(lambda: SdkAsync(url, "aiohttp"), s, c, tally)),
        ),
        (
            "raw httpx Client",
            "raw",
            "sync",
            lambda tally: measure_sync(lambda: raw_httpx_sync(url), s, t, tally),
        ),
        (
            "raw urllib3 PoolManager",
            "raw",
            "sync",
            lambda tally: measure_sync(lambda: raw_urllib3(url, t), s, t, tally),
        ),
        (
            "SDK Client (httpx)",
            "sdk",
            "sync",
            lambda tally: measure_sync(lambda: sdk_sync(url), s, t, tally),
        ),
    ]
    if args.only:
        wanted = args.only.split(",")
        contenders = [x for x in contenders if any(w in x[0] for w in wanted)]
    tallies = {name: Tally() for name, *_ in contenders}
    try:
        for round_no in range(1, args.rounds + 1):
            for name, _kind, _mode, measure in contenders:
                measure(tallies[name])
                rate = tallies[name].rates[-1]
                print(f"round {round_no} {name:28s} {rate:9.0f} req/s", file=sys.stderr)
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    results = [tallies[name].result(name, kind, mode) for name, kind, mode, _ in contenders]
    for r in results:
        print(
            f"{r['name']:28s} {r['mode']:5s} {r['rps']:9.0f} req/s  p50 {r['p50_ms']:7.2f} ms  "
            f"p99 {r['p99_ms']:7.2f} ms  {r['cpu_us_per_req']:7.0f} us CPU/req"
        )
    print(json.dumps({"lang": "python", "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
