"""Fleet mode (docs/semantics.md, "Fleet mode (Redis)") against a real redis-server started on a
free port for this module: two or three clients stand for instances of a service, sharing one
scripted upstream; the entry format is the one of test/vectors/fleet-entries.json."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import redis
import redis.asyncio as aredis

from modelwire import (
    AsyncClient,
    BreakerOptions,
    CacheOptions,
    Client,
    Event,
    Fleet,
    ModelwireError,
    RetryOptions,
    plain_copy,
)
from modelwire.fleet import encode_entry, read_entry

from .conftest import NODE, REPO, MockServer, load_json
from .helpers import BASE, Script, reply
from .redis_process import launch

VECTORS = load_json(REPO / "test" / "vectors" / "fleet-entries.json")
PREDICT = "/models/fraud-score/predict"
BACKUP = "/models/fraud-score-backup/predict"


# ------------------------------------------------------------------------------- vectors


@pytest.mark.parametrize("case", VECTORS["encode"], ids=lambda c: c["name"])
def test_encode_vector(case: dict[str, Any]) -> None:
    assert encode_entry(case["fields"], case["hmac_key"]) == case["entry"]


@pytest.mark.parametrize("case", VECTORS["read"], ids=lambda c: c["name"])
def test_read_vector(case: dict[str, Any]) -> None:
    got = read_entry(
        case["entry"],
        now_ms=case["now_ms"],
        model=case["model"],
        version=case["version"],
        hmac_key=case["hmac_key"],
    )
    assert got.verdict == case["verdict"]
    if got.verdict == "ignored":
        assert got.reason == case["reason"]


def test_options_are_checked() -> None:
    with pytest.raises(ModelwireError, match="quorum"):
        Fleet(redis=redis.Redis(), quorum=1)
    with pytest.raises(ModelwireError, match="hmac_key"):
        Fleet(redis=redis.Redis(), hmac_key="short")
    with pytest.raises(ModelwireError, match="redis"):
        Fleet(redis=object())
    # A client of the other twin's kind is refused.
    with pytest.raises(ModelwireError, match=r"fleet\.redis"):
        Client(BASE, fleet=Fleet(redis=aredis.Redis()))
    with pytest.raises(ModelwireError, match=r"fleet\.redis"):
        AsyncClient(BASE, fleet={"redis": redis.Redis()})
    assert "secret-secret-secret" not in repr(
        Fleet(redis=None or redis.Redis(), hmac_key="secret-secret-secret")
    )


# ------------------------------------------------------------------------- redis-server


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def start_redis(extra: list[str] | None = None) -> RedisServer:
    """redis-server (Debian package) on 127.0.0.1, a free port, no persistence."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("MODELWIRE_REQUIRE_REDIS"):
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    args = ["--save", "", "--appendonly", "no", "--enable-debug-command", "local", *(extra or [])]
    port, process = launch(binary, args)
    return RedisServer(port, process)


@pytest.fixture(scope="module")
def server() -> Iterator[RedisServer]:
    started = start_redis()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def store(server: RedisServer) -> Iterator[redis.Redis]:
    """The application's Redis client (shared by the instances), flushed before each test."""
    client = redis.Redis(port=server.port)
    client.flushall()
    yield client
    # Writes are not awaited by calls: let the last ones land before the next test's flush.
    time.sleep(0.05)
    client.flushall()
    client.close()


def delayed(status: int, delay_s: float) -> Callable[[httpx.Request], httpx.Response]:
    def answer(_request: httpx.Request) -> httpx.Response:
        time.sleep(delay_s)
        return reply(status)

    return answer


NO_RETRY = RetryOptions(max_retries=0, jitter="none", budget=None)
#: A roomier op timeout than the default 50 ms: a loaded test machine must not turn a lock or a
#: hint read into a "Redis failed" (the tests of the bound set their own).
ROOMY_MS = 500


@dataclass
class Instance:
    client: Client
    events: list[Event]


def instance(
    script: Script, store: Any, fleet: dict[str, Any] | None = None, **options: Any
) -> Instance:
    events: list[Event] = []
    options.setdefault("retry", NO_RETRY)
    client = Client(
        BASE,
        transport=httpx.MockTransport(script.handler),
        fleet=Fleet(**{"redis": store, "op_timeout_ms": ROOMY_MS, **(fleet or {})}),
        on_event=events.append,
        **options,
    )
    return Instance(client, events)


def eventually(check: Callable[[], bool], timeout_s: float = 2.0) -> None:
    ends = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < ends, "condition not met in time"
        time.sleep(0.005)


def written(store: Any, pattern: str = "modelwire:cache:*") -> list[bytes]:
    """Writes are not awaited by calls: wait until a key matching ``pattern`` is there."""
    keys: list[bytes] = []

    def found() -> bool:
        keys[:] = store.keys(pattern)
        return bool(keys)

    eventually(found)
    return keys


# ------------------------------------------------------------------------- shared cache


def test_b_is_answered_from_the_entry_a_stored(store: redis.Redis) -> None:
    script = Script().on(PREDICT, reply(200))
    a, b = instance(script, store), instance(script, store)
    first = a.client.predict("fraud-score", {"amount": 42}, request_id="req-from-a")
    [key] = written(store)
    assert store.pttl(key) > 29_000
    second = b.client.predict("fraud-score", {"amount": 42}, request_id="req-from-b")
    assert len(script.to(PREDICT)) == 1
    assert (second.cached, second.attempts) == (True, 0)
    assert second.request_id == first.request_id
    assert dict(second.result) == dict(first.result)
    hit = next(e for e in b.events if e.type == "cache_hit")
    assert (hit.tier, hit.request_id) == ("redis", "req-from-b")
    # Copied into B's first level: the next identical call does not ask Redis.
    b.client.predict("fraud-score", {"amount": 42})
    assert [e.tier for e in b.events if e.type == "cache_hit"] == ["redis", "memory"]
    a.client.close()
    b.client.close()
    assert store.ping()  # the SDK never closes the application's Redis client


def test_another_credential_scope_is_another_key(store: redis.Redis) -> None:
    script = Script().on(PREDICT, reply(200))
    instance(script, store, auth="t-alice").client.predict("fraud-score", {"amount": 7})
    written(store)
    instance(script, store, auth="t-bob").client.predict("fraud-score", {"amount": 7})
    assert len(script.to(PREDICT)) == 2


def test_a_planted_entry_is_never_served_with_entry_authentication(store: redis.Redis) -> None:
    script = Script().on(PREDICT, reply(200))
    key = "k" * 32
    instance(script, store, {"hmac_key": key}).client.predict("fraud-score", {"amount": 9})
    [entry_key] = written(store)
    planted = json.loads(store.get(entry_key) or b"")
    planted["envelope"]["result"]["label"] = "PLANTED"
    store.set(entry_key, json.dumps(planted))
    b = instance(script, store, {"hmac_key": key})
    p = b.client.predict("fraud-score", {"amount": 9})
    assert p.result["label"] != "PLANTED"
    assert p.cached is False
    rejected = next(e for e in b.events if e.type == "fleet_entry_rejected")
    assert rejected.reason == "bad_mac"


def test_fallback_answers_are_never_stored(store: redis.Redis) -> None:
    script = Script().on(PREDICT, reply(503)).on(BACKUP, reply(200))
    a = instance(script, store, fallbacks={"fraud-score": "fraud-score-backup"})
    p = a.client.predict("fraud-score", {"amount": 5})
    assert p.fallback is not None and p.fallback.to == "fraud-score-backup"
    time.sleep(0.05)
    assert store.keys("modelwire:cache:*") == []
    eventually(lambda: store.keys("modelwire:lock:*") == [])  # the lock was released


def test_stale_if_error_serves_an_expired_shared_entry(store: redis.Redis) -> None:
    script = Script().on(PREDICT, reply(200), reply(503))
    cache = CacheOptions(ttl_ms=50, stale_if_error=True)
    a = instance(script, store, cache=cache)
    first = a.client.predict("fraud-score", {"amount": 12})
    [key] = written(store)
    assert store.pttl(key) > 299_000  # the TTL plus the stale window
    time.sleep(0.08)  # the entry is expired (Redis keeps it for stale-if-error)
    b = instance(script, store, cache=cache)
    p = b.client.predict("fraud-score", {"amount": 12})
    assert (p.cached, p.stale, p.request_id) == (True, True, first.request_id)
    assert [e.type for e in b.events if e.type.startswith("cache")] == ["cache_miss", "cache_stale"]


# ----------------------------------------------------------------------- fleet coalescing


def test_two_instances_in_flight_make_one_upstream_call(store: redis.Redis) -> None:
    script = Script().on(PREDICT, delayed(200, 0.2))
    a, b = instance(script, store), instance(script, store)
    box: list[Any] = []
    thread = threading.Thread(target=lambda: box.append(a.client.predict("fraud-score", {"x": 77})))
    thread.start()
    written(store, "modelwire:lock:*")  # A holds the lock
    pb = b.client.predict("fraud-score", {"x": 77})
    thread.join(5)
    assert len(script.to(PREDICT)) == 1
    assert (pb.cached, pb.attempts) == (True, 0)
    assert dict(pb.result) == dict(box[0].result)
    assert next(e for e in b.events if e.type == "coalesced").tier == "redis"


def test_a_holder_that_fails_releases_the_lock(store: redis.Redis) -> None:
    script = Script().on(PREDICT, delayed(422, 0.1), reply(200))
    a, b = instance(script, store), instance(script, store)
    box: list[Any] = []

    def first() -> None:
        try:
            a.client.predict("fraud-score", {"x": 78})
        except ModelwireError as err:
            box.append(err)

    thread = threading.Thread(target=first)
    thread.start()
    written(store, "modelwire:lock:*")
    started = time.monotonic()
    pb = b.client.predict("fraud-score", {"x": 78})
    thread.join(5)
    assert (box and box[0].code == "VALIDATION_ERROR") or box[0].http_status == 422
    assert pb.cached is False
    assert len(script.to(PREDICT)) == 2
    # Not the lock's expiry (the attempt timeout): the release ended the wait.
    assert time.monotonic() - started < 1.0


def test_a_waiter_whose_deadline_nears_calls_upstream(store: redis.Redis) -> None:
    script = Script().on(PREDICT, delayed(200, 1.5), reply(200))
    a = instance(script, store, timeout_ms=2000)
    b = instance(script, store, timeout_ms=200)
    thread = threading.Thread(target=lambda: a.client.predict("fraud-score", {"x": 79}))
    thread.start()
    written(store, "modelwire:lock:*")
    started = time.monotonic()
    pb = b.client.predict("fraud-score", {"x": 79}, deadline_ms=500)
    assert pb.cached is False
    assert time.monotonic() - started < 0.5
    thread.join(5)
    assert len(script.to(PREDICT)) == 2


# ------------------------------------------------------------------------- breaker hints

BREAKER = BreakerOptions(consecutive_failures=1, reset_timeout_ms=60_000)
HINTS_KEY = "modelwire:breaker:fraud-score:-"


def pod(script: Script, store: Any, name: str) -> Instance:
    return instance(script, store, {"quorum": 2, "instance_id": name}, cache=False, breaker=BREAKER)


def members(store: Any) -> list[str]:
    return sorted(m.decode() for m in store.zrange(HINTS_KEY, 0, -1))


def test_two_bad_pods_open_a_healthy_third(store: redis.Redis) -> None:
    script = Script().on(PREDICT, reply(503), reply(503), reply(200))
    a, b, d = pod(script, store, "pod-a"), pod(script, store, "pod-b"), pod(script, store, "pod-d")
    for p in (a, b):
        with pytest.raises(ModelwireError) as failed:
            p.client.predict("fraud-score", {"amount": 1})
        assert failed.value.code != "CIRCUIT_OPEN"
    eventually(lambda: members(store) == ["pod-a", "pod-b"])
    # D's first call still goes through (hints are read in the background), then D opens.
    assert d.client.predict("fraud-score", {"amount": 3}).cached is False
    eventually(lambda: d.client.breaker_state("fraud-score") == "open")
    opened = next(e for e in d.events if e.type == "breaker_open")
    assert opened.fleet is True
    with pytest.raises(ModelwireError) as fast:
        d.client.predict("fraud-score", {"amount": 4})
    assert fast.value.code == "CIRCUIT_OPEN"
    # A fleet-opened breaker is not reported: reports cannot cascade.
    assert members(store) == ["pod-a", "pod-b"]


def test_one_bad_pod_never_opens_the_fleet(store: redis.Redis) -> None:
    script = Script().on(PREDICT, reply(503), reply(200))
    a, d = pod(script, store, "pod-a"), pod(script, store, "pod-d")
    with pytest.raises(ModelwireError):
        a.client.predict("fraud-score", {"amount": 1})
    eventually(lambda: members(store) == ["pod-a"])
    d.client.predict("fraud-score", {"amount": 2})
    time.sleep(0.2)  # the background read (one round trip) has landed
    assert d.client.breaker_state("fraud-score") == "closed"
    assert d.client.predict("fraud-score", {"amount": 3}).cached is False


# ---------------------------------------------------------------- Redis trouble never fails


def test_a_slow_redis_is_a_miss_within_the_bound(server: RedisServer, store: redis.Redis) -> None:
    script = Script().on(PREDICT, reply(200))
    slow = redis.Redis(port=server.port)
    a = instance(script, slow, {"op_timeout_ms": 20})
    blocker: Any = redis.Redis(port=server.port)
    # DEBUG SLEEP blocks the whole server: every command waits behind it.
    sleeping = threading.Thread(target=lambda: blocker.execute_command("DEBUG", "SLEEP", "0.3"))
    sleeping.start()
    time.sleep(0.02)
    started = time.monotonic()
    p = a.client.predict("fraud-score", {"amount": 11})
    assert p.cached is False
    assert time.monotonic() - started < 0.25
    sleeping.join(5)
    a.client.close()
    slow.close()
    blocker.close()


def test_redis_gone_calls_still_answer_and_one_fleet_unavailable() -> None:
    other = start_redis()
    lost = redis.Redis(port=other.port, socket_connect_timeout=0.2)
    lost.ping()
    script = Script().on(PREDICT, reply(200))
    a = instance(script, lost)
    other.stop()
    for i in range(5):
        assert a.client.predict("fraud-score", {"amount": 100 + i}).cached is False
    assert len(script.to(PREDICT)) == 5
    unavailable = [e for e in a.events if e.type == "fleet_unavailable"]
    assert len(unavailable) == 1
    assert unavailable[0].reason and "\n" not in unavailable[0].reason
    a.client.close()


# ------------------------------------------------------------------------- AsyncClient


async def test_async_instances_share_the_entry_and_coalesce(server: RedisServer) -> None:
    shared = aredis.Redis(port=server.port)
    await shared.flushall()
    script = Script()
    calls: list[int] = []

    async def slow(_request: httpx.Request) -> httpx.Response:
        calls.append(1)
        await asyncio.sleep(0.2)
        return reply(200)

    def make() -> tuple[AsyncClient, list[Event]]:
        events: list[Event] = []
        client = AsyncClient(
            BASE,
            transport=httpx.MockTransport(slow),
            retry=NO_RETRY,
            fleet=Fleet(redis=shared, op_timeout_ms=ROOMY_MS),
            on_event=events.append,
        )
        return client, events

    (a, _), (b, b_events) = make(), make()
    first = asyncio.ensure_future(a.predict("fraud-score", {"x": 1}, request_id="req-a"))
    for _ in range(200):
        if await shared.keys("modelwire:lock:*"):
            break
        await asyncio.sleep(0.005)
    pb = await b.predict("fraud-score", {"x": 1})
    pa = await first
    assert len(calls) == 1
    assert (pb.cached, pb.attempts, pb.request_id) == (True, 0, pa.request_id)
    assert next(e for e in b_events if e.type == "coalesced").tier == "redis"
    # A third instance is answered from the entry (the redis tier).
    c, c_events = make()
    pc = await c.predict("fraud-score", {"x": 1})
    assert pc.cached is True
    assert next(e for e in c_events if e.type == "cache_hit").tier == "redis"
    assert len(calls) == 1
    for client in (a, b, c):
        await client.aclose()
    assert await shared.ping()  # never closed by the SDK
    await shared.aclose()
    del script


# -------------------------------------------------------------------- across languages

TS_WRITER = """
import { createClient as createRedis } from 'redis';
import { createClient } from './dist/index.js';
const redis = createRedis({ url: process.env.REDIS_URL });
await redis.connect();
const auth = { token: 't-cross' };
const client = createClient({ baseUrl: process.env.BASE, auth, fleet: { redis } });
const p = await client.predict('fraud-score', { amount: 4242.5, country: 'FR', tags: ['a', 'é'] },
  { requestId: 'req-from-ts' });
for (let i = 0; i < 400 && (await redis.keys('modelwire:cache:*')).length === 0; i++) {
  await new Promise((r) => setTimeout(r, 5));
}
console.log(JSON.stringify({ requestId: p.requestId, result: p.result }));
process.exit(0);
"""


TS_READER = """
import { createClient as createRedis } from 'redis';
import { createClient } from './dist/index.js';
const redis = createRedis({ url: process.env.REDIS_URL });
await redis.connect();
const auth = { token: 't-cross' };
const client = createClient({ baseUrl: process.env.BASE, auth, fleet: { redis } });
const p = await client.predict('fraud-score', { amount: 17, note: 'written by Python' });
console.log(JSON.stringify({ cached: p.cached, attempts: p.attempts, requestId: p.requestId }));
process.exit(0);
"""


def run_ts(script: str, server: RedisServer, mock_server: MockServer) -> Any:
    """Runs ``script`` with node next to the built TS client; its last stdout line, parsed."""
    client_dir = REPO / "packages" / "client"
    if not (client_dir / "dist" / "index.js").exists() or not NODE.exists():
        pytest.skip("the TS client is not built (packages/client/dist)")
    env = {**os.environ, "REDIS_URL": f"redis://127.0.0.1:{server.port}", "BASE": mock_server.api}
    done = subprocess.run(
        [str(NODE), "--input-type=module", "-e", script],
        cwd=client_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_entry_written_by_python_is_served_to_the_ts_client(
    server: RedisServer, store: redis.Redis, mock_server: MockServer
) -> None:
    mock_server.reset()
    with Client(
        mock_server.api, auth="t-cross", fleet=Fleet(redis=store, op_timeout_ms=ROOMY_MS)
    ) as client:
        first = client.predict("fraud-score", {"amount": 17, "note": "written by Python"})
        written(store)
    read_by_ts = run_ts(TS_READER, server, mock_server)
    assert read_by_ts == {"cached": True, "attempts": 0, "requestId": first.request_id}
    predicts = [r for r in mock_server.requests() if r.get("path", "").endswith("/predict")]
    assert len(predicts) == 1


def test_an_entry_written_by_the_ts_client_is_served_to_python(
    server: RedisServer, store: redis.Redis, mock_server: MockServer
) -> None:
    mock_server.reset()
    written_by_ts = run_ts(TS_WRITER, server, mock_server)
    events: list[Event] = []
    with Client(
        mock_server.api,
        auth="t-cross",
        fleet=Fleet(redis=store, op_timeout_ms=ROOMY_MS),
        on_event=events.append,
    ) as client:
        p = client.predict("fraud-score", {"amount": 4242.5, "country": "FR", "tags": ["a", "é"]})
    assert (p.cached, p.attempts) == (True, 0)
    assert p.request_id == written_by_ts["requestId"] == "req-from-ts"
    assert plain_copy(p.result) == written_by_ts["result"]
    assert next(e for e in events if e.type == "cache_hit").tier == "redis"
    predicts = [r for r in mock_server.requests() if r.get("path", "").endswith("/predict")]
    assert len(predicts) == 1


async def test_async_two_bad_pods_open_a_healthy_third(server: RedisServer) -> None:
    shared = aredis.Redis(port=server.port)
    await shared.flushall()
    script = Script().on(PREDICT, reply(503), reply(503), reply(200))

    def make(name: str) -> tuple[AsyncClient, list[Event]]:
        events: list[Event] = []
        client = AsyncClient(
            BASE,
            transport=httpx.MockTransport(script.ahandler),
            retry=NO_RETRY,
            cache=False,
            breaker=BREAKER,
            fleet={"redis": shared, "quorum": 2, "instance_id": name, "op_timeout_ms": ROOMY_MS},
            on_event=events.append,
        )
        return client, events

    (a, _), (b, _), (d, d_events) = make("pod-a"), make("pod-b"), make("pod-d")
    for pod_client in (a, b):
        with pytest.raises(ModelwireError):
            await pod_client.predict("fraud-score", {"amount": 1})
    for _ in range(400):
        if len(await shared.zrange(HINTS_KEY, 0, -1)) == 2:
            break
        await asyncio.sleep(0.005)
    assert (await d.predict("fraud-score", {"amount": 3})).cached is False
    for _ in range(400):
        if d.breaker_state("fraud-score") == "open":
            break
        await asyncio.sleep(0.005)
    assert next(e for e in d_events if e.type == "breaker_open").fleet is True
    with pytest.raises(ModelwireError) as fast:
        await d.predict("fraud-score", {"amount": 4})
    assert fast.value.code == "CIRCUIT_OPEN"
    for client in (a, b, d):
        await client.aclose()
    await shared.aclose()
