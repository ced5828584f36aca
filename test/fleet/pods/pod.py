"""The Python pod of the cross-language fleet suite (test/fleet/README.md): one modelwire.Client
(or, with ``"async": true``, one AsyncClient on redis.asyncio, on an event loop of its own thread)
in fleet mode, driven by JSON lines on stdin, answering JSON lines on stdout. The TypeScript and
Java pods speak the same protocol."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

import redis
import redis.asyncio
from redis.cluster import ClusterNode, RedisCluster

from modelwire import AsyncClient, Client, Event, Fleet, ModelwireError, RetryOptions, plain_copy

T = TypeVar("T")
config = json.loads(sys.argv[1])
asynchronous = bool(config.get("async"))
loop = asyncio.new_event_loop()
if asynchronous:
    # The client's background work (entry writes, breaker-hint reads) runs between commands too.
    threading.Thread(target=loop.run_forever, daemon=True).start()


def on_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run_coroutine_threadsafe(coroutine, loop).result()


async def async_store() -> Any:
    if config.get("cluster"):
        hosts = [url.removeprefix("redis://").split(":") for url in config["cluster"]]
        nodes = [redis.asyncio.cluster.ClusterNode(host, int(port)) for host, port in hosts]
        cluster = redis.asyncio.RedisCluster(startup_nodes=nodes)
        # The asyncio cluster client learns the slots on its first command unless told to now: a
        # first fleet operation would then spend its op timeout on that (a miss, by the rules).
        await cluster.initialize()
        return cluster
    return redis.asyncio.Redis.from_url(config["redis"])


store: Any
if asynchronous:
    store = on_loop(async_store())
elif config.get("cluster"):
    hosts = [url.removeprefix("redis://").split(":") for url in config["cluster"]]
    nodes = [ClusterNode(host, int(port)) for host, port in hosts]  # type: ignore[no-untyped-call]
    store = RedisCluster(startup_nodes=nodes)
else:
    store = redis.Redis.from_url(config["redis"])

events: list[dict[str, Any]] = []
events_lock = threading.Lock()


def record(event: Event) -> None:
    seen: dict[str, Any] = {"type": event.type}
    if getattr(event, "tier", None):
        seen["tier"] = event.tier
    if getattr(event, "fleet", None):
        seen["fleet"] = True
    if event.reason:
        seen["reason"] = event.reason
    with events_lock:
        events.append(seen)


def drain() -> list[dict[str, Any]]:
    with events_lock:
        out = list(events)
        events.clear()
    return out


fleet_options: dict[str, Any] = {
    "redis": store,
    "prefix": config["prefix"],
    "instance_id": config["instance_id"],
    "quorum": config.get("quorum", 3),
    "op_timeout_ms": config.get("op_timeout_ms", 50),
}
if config.get("hmac_key"):
    fleet_options["hmac_key"] = config["hmac_key"]
options: dict[str, Any] = {
    "retry": RetryOptions(max_retries=0),
    "fleet": Fleet(**fleet_options),
    "on_event": record,
}


async def async_client() -> AsyncClient:
    return AsyncClient(config["base_url"], **options)


client: Any = on_loop(async_client()) if asynchronous else Client(config["base_url"], **options)


def run(command: dict[str, Any]) -> dict[str, Any]:
    if command["op"] == "predict":
        started = time.perf_counter()
        try:
            call = client.predict(
                command.get("model", "fraud-score"),
                command["input"],
                deadline_ms=command.get("deadline_ms", 5000),
            )
            p = on_loop(call) if asynchronous else call
            return {
                "ok": True,
                "cached": p.cached,
                "attempts": p.attempts,
                "result": plain_copy(p.result),
                "ms": (time.perf_counter() - started) * 1000,
            }
        except ModelwireError as error:
            return {"ok": False, "code": error.code, "ms": (time.perf_counter() - started) * 1000}
    if command["op"] == "events":
        return {}
    if command["op"] == "close":
        if asynchronous:
            on_loop(client.aclose())
            on_loop(store.aclose())
        else:
            client.close()
            store.close()
        return {"closed": True}
    return {"ok": False, "code": f"unknown op {command['op']}"}


print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    command = json.loads(line)
    reply = run(command)
    print(json.dumps({"id": command.get("id"), **reply, "events": drain()}), flush=True)
    if reply.get("closed"):
        break
