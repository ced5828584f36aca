"""Benchmark: modelwire full pipeline (cache misses) vs raw httpx on loopback (both on httpx;
the cross-library, cross-language comparison is compare.py, driven by bench/compare.mjs).

Same shape as the TypeScript benchmark: N concurrent callers, 1 KB inputs, every call a cache
miss (unique input), against a minimal local server (``server.py``, its own process). Prints
req/s of each and the ratio (target >= 0.8x). Not part of the test command.

Run from the repo root::

    packages/python/.venv/bin/python bench/python/bench.py [--requests 6000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from modelwire import AsyncClient, Client

HERE = Path(__file__).resolve().parent


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


async def raw_async(url: str, n: int, concurrency: int) -> float:
    async with httpx.AsyncClient() as http:
        counter = iter(range(n))

        async def worker() -> None:
            for i in counter:
                body = json.dumps({"request_id": f"r-{i}", "data": payload(i)}).encode()
                response = await http.post(
                    url + "/models/fraud-score/predict",
                    content=body,
                    headers={"content-type": "application/json"},
                )
                response.raise_for_status()
                json.loads(response.content)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return n / (time.perf_counter() - start)


async def sdk_async(url: str, n: int, concurrency: int) -> float:
    async with AsyncClient(url, auth="bench-token", http="httpx") as client:
        counter = iter(range(n))

        async def worker() -> None:
            for i in counter:
                await client.predict("fraud-score", payload(i))

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return n / (time.perf_counter() - start)


def run_threads(n: int, threads: int, one_call: Callable[[int], object]) -> float:
    """req/s of ``n`` calls of ``one_call(i)`` spread over ``threads`` worker threads."""
    lock = threading.Lock()
    counter = iter(range(n))

    def worker() -> None:
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            one_call(i)

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        for f in [pool.submit(worker) for _ in range(threads)]:
            f.result()
    return n / (time.perf_counter() - start)


def raw_sync(url: str, n: int, threads: int) -> float:
    with httpx.Client() as http:

        def one_call(i: int) -> None:
            body = json.dumps({"request_id": f"r-{i}", "data": payload(i)}).encode()
            response = http.post(
                url + "/models/fraud-score/predict",
                content=body,
                headers={"content-type": "application/json"},
            )
            response.raise_for_status()
            json.loads(response.content)

        return run_threads(n, threads, one_call)


def sdk_sync(url: str, n: int, threads: int) -> float:
    with Client(url, auth="bench-token") as client:
        return run_threads(n, threads, lambda i: client.predict("fraud-score", payload(i)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--threads", type=int, default=8, help="threads for the sync run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; best kept")
    args = parser.parse_args()
    size = len(json.dumps(payload(0)))
    server = subprocess.Popen(
        [sys.executable, str(HERE / "server.py")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip().removeprefix("listening on ") + "/v1"
        n, c = args.requests, args.concurrency
        print(f"loopback, {size} B input, {n} requests per run, best of {args.rounds} rounds")
        asyncio.run(raw_async(url, 500, c))  # warm-up
        asyncio.run(sdk_async(url, 500, c))
        best: dict[str, float] = {}
        runs: list[tuple[str, Callable[[], float]]] = [
            ("raw httpx.AsyncClient", lambda: asyncio.run(raw_async(url, n, c))),
            ("modelwire AsyncClient", lambda: asyncio.run(sdk_async(url, n, c))),
            ("raw httpx.Client", lambda: raw_sync(url, n // 2, args.threads)),
            ("modelwire Client", lambda: sdk_sync(url, n // 2, args.threads)),
        ]
        for _ in range(args.rounds):  # alternate so drift in machine load hits both sides
            for name, run in runs:
                best[name] = max(best.get(name, 0.0), run())
        for name, rate in best.items():
            print(f"{name:24s} {rate:8.0f} req/s")
        async_ratio = best["modelwire AsyncClient"] / best["raw httpx.AsyncClient"]
        sync_ratio = best["modelwire Client"] / best["raw httpx.Client"]
        print(f"async ({c} tasks): modelwire / raw httpx = {async_ratio:.2f}x (target >= 0.8x)")
        print(f"sync ({args.threads} threads): modelwire / raw httpx = {sync_ratio:.2f}x")
    finally:
        server.terminate()
        server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
