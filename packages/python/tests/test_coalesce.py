"""Coalescing: identical in-flight calls share one upstream call; one caller leaving (abort,
cancellation) never cancels the others."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

import modelwire
from modelwire import AbortSignal, AsyncClient, RetryOptions

from .helpers import BASE, Script, make_client, reply

PREDICT = "/models/fraud-score/predict"


def _held_upstream() -> tuple[Script, threading.Event, threading.Event]:
    """A predict route that answers 200 only once ``release`` is set; ``arrived`` tells that
    the (one) upstream call is in flight."""
    release = threading.Event()
    arrived = threading.Event()

    def slow(_request: httpx.Request) -> httpx.Response:
        arrived.set()
        release.wait(5)
        return reply(200)

    return Script().on(PREDICT, slow), arrived, release


def test_threads_share_one_upstream_call() -> None:
    script, arrived, release = _held_upstream()
    with make_client(script) as client, ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(client.predict, "fraud-score", {"a": 1}) for _ in range(8)]
        assert arrived.wait(5)
        # Every caller is waiting on the one in-flight call before it is released.
        while (
            client._coalescer._flights
            and next(iter(client._coalescer._flights.values())).waiters < 8
        ):
            threading.Event().wait(0.001)
        release.set()
        results = [f.result(5) for f in futures]
    assert len(script.to(PREDICT)) == 1
    assert len({r.request_id for r in results}) == 1


def test_a_thread_that_aborts_leaves_alone() -> None:
    script, arrived, release = _held_upstream()
    with make_client(script) as client, ThreadPoolExecutor(2) as pool:
        leader = pool.submit(client.predict, "fraud-score", {"a": 1})
        assert arrived.wait(5)
        signal = AbortSignal()
        follower = pool.submit(client.predict, "fraud-score", {"a": 1}, signal=signal)
        while next(iter(client._coalescer._flights.values())).waiters < 2:
            threading.Event().wait(0.001)
        signal.abort()
        with pytest.raises(modelwire.AbortedError):
            follower.result(5)
        release.set()
        assert leader.result(5).cached is False
    assert len(script.to(PREDICT)) == 1


def test_signal_already_aborted() -> None:
    signal = AbortSignal()
    signal.abort()
    with make_client(Script()) as client, pytest.raises(modelwire.AbortedError):
        client.predict("fraud-score", {"a": 1}, signal=signal)


async def _async_client(script: Script) -> AsyncClient:
    return AsyncClient(BASE, transport=httpx.MockTransport(script.ahandler))


async def test_tasks_share_one_upstream_call_and_cancellation_is_isolated() -> None:
    release = asyncio.Event()
    calls = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        await release.wait()
        return reply(200)

    async with AsyncClient(BASE, transport=httpx.MockTransport(handler)) as client:
        tasks = [asyncio.create_task(client.predict("fraud-score", {"a": 1})) for _ in range(50)]
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        tasks[0].cancel()  # the first caller leaves
        await asyncio.sleep(0)
        release.set()
        results = await asyncio.gather(*tasks[1:])
        with pytest.raises(asyncio.CancelledError):
            await tasks[0]
    assert calls == 1
    assert all(not r.cached for r in results)


async def test_async_abort_signal_rejects_only_that_caller() -> None:
    release = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return reply(200)

    async with AsyncClient(BASE, transport=httpx.MockTransport(handler)) as client:
        signal = AbortSignal()
        other = asyncio.create_task(client.predict("fraud-score", {"a": 1}))
        aborted = asyncio.create_task(client.predict("fraud-score", {"a": 1}, signal=signal))
        await asyncio.sleep(0.01)
        signal.abort()
        with pytest.raises(modelwire.AbortedError):
            await aborted
        release.set()
        assert (await other).model.name == "fraud-score"


async def test_when_every_caller_leaves_the_shared_call_stops() -> None:
    started = asyncio.Event()
    cancelled = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        started.set()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return reply(200)

    async with AsyncClient(BASE, transport=httpx.MockTransport(handler)) as client:
        task = asyncio.create_task(client.predict("fraud-score", {"a": 1}))
        await started.wait()
        task.cancel()
        await asyncio.wait_for(cancelled.wait(), 2)
        assert client._coalescer._flights == {}


class _HeldPool:
    """An executor that starts nothing until ``start()``: a worker thread scheduled late."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Any, tuple[Any, ...]]] = []

    def submit(self, fn: Any, *args: Any) -> None:
        self.jobs.append((fn, args))

    def start(self) -> threading.Thread:
        fn, args = self.jobs.pop()
        thread = threading.Thread(target=fn, args=args)
        thread.start()
        return thread


def test_an_abort_before_the_worker_starts_still_sends_the_attempt() -> None:
    # As a task's cancellation takes effect at its first await, the caller that leaves before
    # the worker thread running its shared call started lets the attempt go out rather than
    # drop it.
    script = Script().on(PREDICT, reply(200))
    pool = _HeldPool()
    retry = RetryOptions(max_retries=0, jitter="none", budget=None)
    with make_client(script, retry=retry) as client:
        client._coalescer._executor = lambda: pool  # type: ignore[assignment,return-value]
        signal = AbortSignal()
        errors: list[BaseException] = []

        def call() -> None:
            try:
                client.predict("fraud-score", {"a": 1}, signal=signal)
            except BaseException as err:
                errors.append(err)

        caller = threading.Thread(target=call)
        caller.start()
        while not pool.jobs:
            threading.Event().wait(0.001)
        flight = pool.jobs[0][1][1]
        signal.abort()  # the worker has not started: the caller must wait for its first I/O
        while flight.waiters:  # the caller gave up on the result and now waits for the worker
            threading.Event().wait(0.001)
        worker = pool.start()
        caller.join(5)
        worker.join(5)
        assert [type(e) for e in errors] == [modelwire.AbortedError]
        for _ in range(5000):  # the aborted attempt finishes on its I/O thread
            if script.to(PREDICT):
                break
            threading.Event().wait(0.001)
    assert len(script.to(PREDICT)) == 1
