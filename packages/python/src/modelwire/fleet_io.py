"""The Redis I/O of fleet mode, one per twin: ``SyncFleetIO`` (``Client``, a blocking redis-py
client) and ``AsyncFleetIO`` (``AsyncClient``, ``redis.asyncio``). Every operation is bounded by
``op_timeout_ms``; a failure or timeout is ``UNAVAILABLE`` (a miss or a skipped write) and is
counted by the fleet's own small breaker (``FleetState``). Writes and breaker-hint reads run in
the background: no call waits for them.

The blocking client cannot interrupt a redis-py call, so ``SyncFleetIO`` runs each one on a
small pool of daemon threads and waits for it at most ``op_timeout_ms``: a hung Redis costs the
caller that bound, never more (the stuck thread ends with the socket timeout of the
application's client). Background work uses the same threads.

Private. Example::

    io = SyncFleetIO(state, redis.Redis())
    io.run([op("get", "modelwire:cache:ab12…")])   # the reply, or UNAVAILABLE
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from .fleet import UNAVAILABLE, FleetState, Op, RedisTimeout

#: Threads of the blocking client's Redis pool (each op is short; more only when Redis hangs).
POOL_THREADS = 4


def is_async_redis(redis: Any) -> bool:
    """Whether ``redis`` is a ``redis.asyncio`` client (``Redis`` or ``RedisCluster``)."""
    return ".asyncio" in type(redis).__module__ or asyncio.iscoroutinefunction(
        getattr(redis, "get", None)
    )


def _timeout(state: FleetState) -> RedisTimeout:
    return RedisTimeout(f"no Redis answer within {state.fleet.op_timeout_ms:g} ms")


class SyncFleetIO:
    """Redis operations for ``Client``: bounded waits on a small daemon thread pool.

    Example: ``SyncFleetIO(state, redis_client).background([op("del", key)], lambda _r: None)``
    """

    def __init__(self, state: FleetState, redis: Any) -> None:
        self._state = state
        self._redis = redis
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    def _submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            if self._closed:
                return
            if len(self._threads) < POOL_THREADS:
                thread = threading.Thread(target=self._work, name="modelwire-fleet", daemon=True)
                self._threads.append(thread)
                thread.start()
        self._jobs.put(job)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            with contextlib.suppress(BaseException):
                job()

    def close(self) -> None:
        """Stop the pool's threads (the application's Redis client stays open)."""
        with self._lock:
            self._closed, threads = True, list(self._threads)
        for _ in threads:
            self._jobs.put(None)

    def _call(self, item: Op) -> Any:
        name, args, kwargs = item
        return getattr(self._redis, name)(*args, **kwargs)

    def run(self, ops: list[Op]) -> Any:
        """Run ``ops`` in order, each within the op timeout: the last reply, or UNAVAILABLE."""
        state = self._state
        reply: Any = UNAVAILABLE
        for item in ops:
            if state.paused():
                return UNAVAILABLE
            future: Future[Any] = Future()

            def job(item: Op = item, future: Future[Any] = future) -> None:
                if not future.set_running_or_notify_cancel():
                    return  # the caller stopped waiting before it started
                try:
                    future.set_result(self._call(item))
                except BaseException as err:  # noqa: BLE001 - handed to the waiting caller
                    future.set_exception(err)

            self._submit(job)
            try:
                reply = future.result(timeout=state.op_timeout_s)
            except FutureTimeout:
                future.cancel()
                state.failed(_timeout(state))
                return UNAVAILABLE
            except Exception as err:  # noqa: BLE001 - Redis trouble never fails a call
                state.failed(err)
                return UNAVAILABLE
            state.succeeded()
        return reply

    def background(self, ops: list[Op], then: Callable[[Any], None]) -> None:
        """Run ``ops`` in order on a pool thread (nobody waits), then ``then(last reply)``."""

        def job() -> None:
            state = self._state
            reply: Any = UNAVAILABLE
            for item in ops:
                if state.paused():
                    return
                try:
                    reply = self._call(item)
                except Exception as err:  # noqa: BLE001 - Redis trouble never fails a call
                    state.failed(err)
                    return
                state.succeeded()
            then(reply)

        self._submit(job)


class AsyncFleetIO:
    """Redis operations for ``AsyncClient``: ``asyncio.wait_for`` per op; background work as
    tasks of the running loop (kept referenced until they end).

    Example: ``await AsyncFleetIO(state, redis.asyncio.Redis()).run([op("get", key)])``
    """

    def __init__(self, state: FleetState, redis: Any) -> None:
        self._state = state
        self._redis = redis
        self._tasks: set[asyncio.Task[None]] = set()

    async def run(self, ops: list[Op]) -> Any:
        """Run ``ops`` in order, each within the op timeout: the last reply, or UNAVAILABLE."""
        state = self._state
        reply: Any = UNAVAILABLE
        for name, args, kwargs in ops:
            if state.paused():
                return UNAVAILABLE
            try:
                reply = await asyncio.wait_for(
                    getattr(self._redis, name)(*args, **kwargs), state.op_timeout_s
                )
            except asyncio.TimeoutError:
                state.failed(_timeout(state))
                return UNAVAILABLE
            except Exception as err:  # noqa: BLE001 - Redis trouble never fails a call
                state.failed(err)
                return UNAVAILABLE
            state.succeeded()
        return reply

    def background(self, ops: list[Op], then: Callable[[Any], None]) -> None:
        """Run ``ops`` as a task of the running loop (nobody waits), then ``then(last reply)``."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop (a transition reported outside one): skipped, as a failed write

        async def job() -> None:
            reply = await self.run(ops)
            if reply is not UNAVAILABLE:
                then(reply)

        task = loop.create_task(job())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the background work in flight (tests; ``AsyncClient.aclose``)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def close(self) -> None:
        """Nothing to stop (tasks end on their own); the application's Redis client stays open."""
