"""Fleet mode on a 3-master Redis Cluster (``redis-cli --cluster create`` on free ports) through
redis-py's cluster clients: every operation touches one key, so the shared cache, fleet
coalescing and the breaker hints work across slots."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis
from redis.asyncio.cluster import RedisCluster as AsyncRedisCluster
from redis.cluster import RedisCluster

from modelwire import AsyncClient, BreakerOptions, Client, Event, Fleet, ModelwireError

from .helpers import BASE, Script, reply
from .test_fleet import NO_RETRY, PREDICT, ROOMY_MS, start_redis


@pytest.fixture(scope="module")
def cluster() -> Iterator[int]:
    """Three masters, no replicas; yields the first node's port."""
    if shutil.which("redis-cli") is None:
        start_redis()  # skips or fails with the install hint
    folder = tempfile.mkdtemp(prefix="modelwire-cluster-")
    servers = []
    try:
        for i in range(3):
            args = [
                "--cluster-enabled",
                "yes",
                "--dir",
                folder,
                "--cluster-config-file",
                f"nodes-{i}.conf",
            ]
            servers.append(start_redis(args))
        ports = [server.port for server in servers]
        nodes = [f"127.0.0.1:{port}" for port in ports]
        subprocess.run(
            [
                "redis-cli",
                "--cluster",
                "create",
                *nodes,
                "--cluster-replicas",
                "0",
                "--cluster-yes",
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
        deadline = time.monotonic() + 10
        for port in ports:
            probe = redis.Redis(port=port, socket_timeout=1)
            while probe.cluster("info").get("cluster_state") != "ok":
                assert time.monotonic() < deadline, "the cluster did not become ready"
                time.sleep(0.01)
            probe.close()
        yield ports[0]
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_shared_cache_coalescing_and_hints_on_a_cluster(cluster: int) -> None:
    store: Any = RedisCluster(host="127.0.0.1", port=cluster)
    script = Script().on(PREDICT, reply(200))
    events: list[Event] = []

    def make(**options: Any) -> Client:
        fleet = Fleet(redis=store, op_timeout_ms=ROOMY_MS, **options.pop("fleet", {}))
        transport = httpx.MockTransport(script.handler)
        return Client(
            BASE,
            transport=transport,
            retry=NO_RETRY,
            fleet=fleet,
            on_event=events.append,
            **options,
        )

    a, b = make(), make()
    inputs = [{"amount": i} for i in range(6)]  # keys spread over the cluster's slots
    for data in inputs:
        a.predict("fraud-score", data)
    deadline = time.monotonic() + 3
    while len(store.keys("modelwire:cache:*", target_nodes=RedisCluster.ALL_NODES)) < 6:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    events.clear()
    for data in inputs:
        assert b.predict("fraud-score", data).cached is True
    assert [e.tier for e in events if e.type == "cache_hit"] == ["redis"] * 6
    assert len(script.to(PREDICT)) == 6
    # Breaker hints: two pods report, a third opens on the quorum.
    bad = Script().on(PREDICT, reply(503))
    breaker = BreakerOptions(consecutive_failures=1, reset_timeout_ms=60_000)

    def pod(name: str, upstream: Script) -> Client:
        fleet = Fleet(redis=store, op_timeout_ms=ROOMY_MS, quorum=2, instance_id=name)
        transport = httpx.MockTransport(upstream.handler)
        return Client(
            BASE, transport=transport, retry=NO_RETRY, cache=False, breaker=breaker, fleet=fleet
        )

    for name in ("pod-a", "pod-b"):
        with pytest.raises(ModelwireError):
            pod(name, bad).predict("fraud-score", {"x": 1})
    healthy = pod("pod-d", script)
    deadline = time.monotonic() + 3
    while len(store.zrange("modelwire:breaker:fraud-score:-", 0, -1)) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    healthy.predict("fraud-score", {"x": 2})
    while healthy.breaker_state("fraud-score") != "open":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    store.close()


async def test_async_cluster_client_shares_the_entry(cluster: int) -> None:
    store: Any = AsyncRedisCluster(host="127.0.0.1", port=cluster)
    script = Script().on(PREDICT, reply(200))
    events: list[Event] = []
    clients = [
        AsyncClient(
            BASE,
            transport=httpx.MockTransport(script.ahandler),
            retry=NO_RETRY,
            fleet=Fleet(redis=store, op_timeout_ms=ROOMY_MS),
            on_event=events.append,
        )
        for _ in range(2)
    ]
    await clients[0].predict("fraud-score", {"async": 1})
    await clients[0].aclose()  # waits for the background write
    p = await clients[1].predict("fraud-score", {"async": 1})
    assert p.cached is True
    assert [e.tier for e in events if e.type == "cache_hit"] == ["redis"]
    await clients[1].aclose()
    await asyncio.sleep(0)
    await store.aclose()
