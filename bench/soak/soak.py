"""Python soak driver: modelwire AsyncClient (--mode async) or Client (--mode sync) against the
proxied mock while run.mjs switches faults. Prints ONE JSON line (the fields of tally.mjs).

Aborts: async mode cancels the call's asyncio task at a random time (the caller then sees
CancelledError, counted as "cancelled", not as an error); sync mode hands the call an AbortSignal
and aborts it from a timer thread (the caller sees AbortedError).

Example::

    packages/python/.venv/bin/python bench/soak/soak.py --mode async --base http://127.0.0.1:P/v1 \
        --proxy-port P --calls 20000 --concurrency 32
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import sys
import threading
import time
import traceback
from typing import Any

from modelwire import AbortSignal, AsyncClient, BreakerOptions, Client, ModelwireError, RetryOptions

HANG_S = 5.0
MAX_RETRIES = 2
TCP_STATES = {"01": "ESTABLISHED", "02": "SYN_SENT", "04": "FIN_WAIT1", "05": "FIN_WAIT2",
              "06": "TIME_WAIT", "07": "CLOSE", "08": "CLOSE_WAIT", "09": "LAST_ACK", "0B": "CLOSING"}


def proxy_sockets(peer_port: int) -> dict[str, Any]:
    """This process's TCP sockets whose peer is ``peer_port``: /proc/self/fd inodes joined with
    /proc/net/tcp{,6}. Example: ``proxy_sockets(41873) == {"count": 0, "states": {}}``"""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            link = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # closed while listing
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    count, states = 0, {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                cols = line.split()
                if len(cols) < 10 or int(cols[2].split(":")[1], 16) != peer_port or cols[9] not in inodes:
                    continue
                count += 1
                state = TCP_STATES.get(cols[3], cols[3])
                states[state] = states.get(state, 0) + 1
    return {"count": count, "states": states}


def memory() -> dict[str, float]:
    """RSS (MB) and the interpreter's allocated blocks (thousands) — Python has no heap size to read cheaply."""
    with open("/proc/self/status") as f:
        rss_kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return {"rss_mb": round(rss_kb / 1024, 1), "heap_blocks_k": round(sys.getallocatedblocks() / 1000, 1)}


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest rank. Example: ``percentile([1, 2, 3], 0.5) == 2``"""
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, math.ceil(q * len(sorted_values)) - 1)]


class Tally:
    """Outcomes and events; the same definitions as bench/soak/tally.mjs (overshoot: settle time -
    deadline_ms over calls that ended DEADLINE_EXCEEDED or settled at/after their deadline)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.budget = MAX_RETRIES + 1
        self.started = self.settled_count = self.hung = self.late_settled = 0
        self.ok = self.typed = self.raw = self.cancelled = 0
        self.raw_samples: list[dict[str, str]] = []
        self.kinds: dict[str, int] = {}
        self.overshoots: list[float] = []
        self.timeout_before_deadline = self.success_after_deadline = 0
        self.max_attempts = self.over_budget = 0
        self.attempts_hist: dict[str, int] = {}
        self.events: dict[str, int] = {}
        self.requests_per_call: dict[str, int] = {}
        self.settled_ids: set[str] = set()
        self.events_after_settle = 0
        self.aborts_scheduled = self.aborts_fired = 0
        self.first_failures: list[dict[str, Any]] = []

    def on_event(self, event: Any) -> None:
        with self.lock:
            self.events[event.type] = self.events.get(event.type, 0) + 1
            if event.type == "request":
                self.requests_per_call[event.request_id] = self.requests_per_call.get(event.request_id, 0) + 1
            if event.request_id in self.settled_ids:
                self.events_after_settle += 1

    def settle(self, request_id: str, deadline_ms: int, elapsed_ms: float, start_s: float,
               value: Any, error: BaseException | None, cancelled: bool, late: bool) -> None:
        with self.lock:
            self.settled_count += 1
            self.settled_ids.add(request_id)
            counted = self.requests_per_call.pop(request_id, 0)
            if late:
                self.late_settled += 1
            if cancelled:
                self.cancelled += 1
                return
            typed = isinstance(error, ModelwireError)
            code = error.code if typed else None
            if error is None:
                self.ok += 1
                reported = value.attempts
            elif typed:
                self.typed += 1
                self.kinds[code] = self.kinds.get(code, 0) + 1
                reported = error.attempts
            else:
                self.raw += 1
                key = f"raw:{type(error).__module__}.{type(error).__qualname__}"
                self.kinds[key] = self.kinds.get(key, 0) + 1
                reported = 0
                if len(self.raw_samples) < 5:
                    self.raw_samples.append({"type": type(error).__qualname__, "message": str(error)[:300],
                                             "stack": "".join(traceback.format_exception(error)[-8:])[-1500:]})
            if error is not None and code not in ("CIRCUIT_OPEN", "ABORTED") and len(self.first_failures) < 10:
                self.first_failures.append({"start_s": round(start_s, 3), "elapsed_ms": round(elapsed_ms),
                                            "deadline_ms": deadline_ms, "code": code or type(error).__qualname__})
            if code == "DEADLINE_EXCEEDED" or elapsed_ms >= deadline_ms:
                self.overshoots.append(elapsed_ms - deadline_ms)
            if code == "TIMEOUT" and elapsed_ms < deadline_ms:
                self.timeout_before_deadline += 1
            if error is None and elapsed_ms >= deadline_ms:
                self.success_after_deadline += 1
            attempts = max(reported or 0, counted)
            self.max_attempts = max(self.max_attempts, attempts)
            if attempts > self.budget:
                self.over_budget += 1
            self.attempts_hist[str(attempts)] = self.attempts_hist.get(str(attempts), 0) + 1

    def summary(self, head: dict[str, Any], tail: dict[str, Any]) -> dict[str, Any]:
        s = sorted(self.overshoots)
        errors = self.typed + self.raw
        r = lambda x: None if x is None else round(x, 1)  # noqa: E731
        return {
            **head,
            "calls": {"started": self.started, "settled": self.settled_count, "hung": self.hung,
                      "late_settled": self.late_settled, "ok": self.ok, "errors": errors, "cancelled": self.cancelled},
            "typed_error_share": self.typed / errors if errors else 1,
            "raw_errors": self.raw,
            "raw_samples": self.raw_samples,
            "error_kinds": self.kinds,
            "overshoot_ms": {"n": len(s), "p50": r(percentile(s, 0.5)), "p99": r(percentile(s, 0.99)),
                             "max": r(s[-1] if s else None), "over_grace_250": sum(1 for x in s if x > 250)},
            "timeout_before_deadline": self.timeout_before_deadline,
            "success_after_deadline": self.success_after_deadline,
            "attempts": {"max": self.max_attempts, "over_budget": self.over_budget, "budget": self.budget,
                         "hist": self.attempts_hist},
            "aborts": {"scheduled": self.aborts_scheduled, "fired": self.aborts_fired},
            "events": self.events,
            "breaker": {k: self.events.get(f"breaker_{k}", 0) for k in ("open", "half_open", "close")},
            "events_after_settle": self.events_after_settle,
            "first_failures": self.first_failures,
            **tail,
        }


class LagProbe:
    """How late a 10 ms sleep wakes up in this process (asyncio loop or a thread): starvation, not SDK."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.stopped = False

    def record(self, overslept_s: float) -> None:
        self.samples.append(overslept_s * 1000)

    def thread(self) -> None:
        while not self.stopped:
            t = time.perf_counter()
            time.sleep(0.01)
            self.record(time.perf_counter() - t - 0.01)

    async def task(self) -> None:
        while not self.stopped:
            t = time.perf_counter()
            await asyncio.sleep(0.01)
            self.record(time.perf_counter() - t - 0.01)

    def summary(self) -> dict[str, float | None]:
        s = sorted(self.samples)
        return {"p99": round(percentile(s, 0.99) or 0, 1), "max": round(s[-1], 1) if s else None}


def client_options(args: argparse.Namespace, tally: Tally) -> dict[str, Any]:
    return {"timeout_ms": 1000, "deadline_ms": 2500, "retry": RetryOptions(max_retries=MAX_RETRIES),
            "breaker": BreakerOptions(reset_timeout_ms=args.breaker_reset_ms), "cache": False,
            "on_event": tally.on_event}


def call_input() -> dict[str, Any]:
    return {"amount": random.randint(0, 5000), "country": "FR"}


async def run_async(args: argparse.Namespace, tally: Tally, lag: LagProbe) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    client = AsyncClient(args.base, **client_options(args, tally))
    lag_task = asyncio.create_task(lag.task())
    t0 = time.perf_counter()
    stop_at = t0 + args.max_seconds
    counter = iter(range(args.calls))

    async def one_call(i: int) -> None:
        rid = f"soak-pya-{i}"
        deadline_ms = 500 + random.randint(0, 2500)
        tally.started += 1
        start = time.perf_counter()
        task = asyncio.create_task(client.predict("fraud-score", call_input(), request_id=rid, deadline_ms=deadline_ms))
        timer = None
        if random.random() < args.abort_share:
            tally.aborts_scheduled += 1

            def cancel() -> None:
                tally.aborts_fired += 1
                task.cancel()

            timer = loop.call_later(random.random() * deadline_ms / 1000, cancel)
        hung = [False]

        def done(t: asyncio.Task[Any]) -> None:
            if timer is not None:
                timer.cancel()
            elapsed = (time.perf_counter() - start) * 1000
            cancelled = t.cancelled()
            error = None if cancelled else t.exception()
            tally.settle(rid, deadline_ms, elapsed, start - t0, None if cancelled or error else t.result(),
                         error, cancelled, hung[0])

        task.add_done_callback(done)
        finished, _ = await asyncio.wait({task}, timeout=deadline_ms / 1000 + HANG_S)
        if not finished:
            hung[0] = True
            tally.hung += 1

    async def worker() -> None:
        for i in counter:
            if time.perf_counter() > stop_at:
                return
            wait = t0 + i / args.rate - time.perf_counter()
            await asyncio.sleep(max(0.0, wait))
            await one_call(i)

    mem_before = memory()
    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    elapsed_s = time.perf_counter() - t0
    in_flight = tally.started - tally.settled_count
    await client.aclose()
    after_close = proxy_sockets(args.proxy_port)
    mem_after = memory()
    await asyncio.sleep(3)
    lag.stopped = True
    await lag_task
    return {"elapsed_s": elapsed_s, "in_flight_at_close": in_flight,
            "memory": {"before": mem_before, "after": mem_after},
            "sockets": {"after_close": after_close, "after_3s": proxy_sockets(args.proxy_port)}}


def run_sync(args: argparse.Namespace, tally: Tally, lag: LagProbe) -> dict[str, Any]:
    client = Client(args.base, **client_options(args, tally))
    threading.Thread(target=lag.thread, daemon=True).start()
    t0 = time.perf_counter()
    stop_at = t0 + args.max_seconds
    counter_lock = threading.Lock()
    counter = iter(range(args.calls))
    in_flight: dict[str, float] = {}  # request id -> start, for calls that never come back

    def one_call(i: int) -> None:
        rid = f"soak-pys-{i}"
        deadline_ms = 500 + random.randint(0, 2500)
        signal = timer = None
        if random.random() < args.abort_share:
            signal = AbortSignal()

            def fire() -> None:
                with tally.lock:
                    tally.aborts_fired += 1
                signal.abort()

            timer = threading.Timer(random.random() * deadline_ms / 1000, fire)
            timer.daemon = True
        with tally.lock:
            tally.started += 1
            tally.aborts_scheduled += signal is not None
        start = time.perf_counter()
        in_flight[rid] = start + deadline_ms / 1000 + HANG_S
        if timer is not None:
            timer.start()
        value = error = None
        try:
            value = client.predict(
                "fraud-score", call_input(), request_id=rid, deadline_ms=deadline_ms, signal=signal
            )
        except BaseException as e:  # anything that escapes is what we measure
            error = e
        elapsed = (time.perf_counter() - start) * 1000
        if timer is not None:
            timer.cancel()
        in_flight.pop(rid, None)
        late = elapsed > deadline_ms + HANG_S * 1000
        if late:
            with tally.lock:
                tally.hung += 1
        tally.settle(rid, deadline_ms, elapsed, start - t0, value, error, False, late)

    def worker() -> None:
        while True:
            with counter_lock:
                i = next(counter, None)
            if i is None or time.perf_counter() > stop_at:
                return
            wait = t0 + i / args.rate - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            one_call(i)

    mem_before = memory()
    workers = [threading.Thread(target=worker, daemon=True) for _ in range(args.concurrency)]
    for w in workers:
        w.start()
    for w in workers:
        # A worker stuck in a call that never returns is given up on 8 s (max deadline + 5 s) after the others.
        w.join(timeout=max(0.0, stop_at - time.perf_counter()) + 8)
    elapsed_s = time.perf_counter() - t0
    never = [rid for rid, hang_at in list(in_flight.items()) if time.perf_counter() > hang_at]
    with tally.lock:
        tally.hung += len(never)
    in_flight_n = len(in_flight)
    closer = threading.Thread(target=client.close, daemon=True)
    closer.start()
    closer.join(timeout=10)
    after_close = proxy_sockets(args.proxy_port)
    mem_after = memory()
    time.sleep(3)
    lag.stopped = True
    return {"elapsed_s": elapsed_s, "in_flight_at_close": in_flight_n, "close_returned": not closer.is_alive(),
            "memory": {"before": mem_before, "after": mem_after},
            "sockets": {"after_close": after_close, "after_3s": proxy_sockets(args.proxy_port)}}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["async", "sync"], default="async")
    p.add_argument("--base", required=True)
    p.add_argument("--proxy-port", type=int, required=True)
    p.add_argument("--calls", type=int, default=20000)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--rate", type=float, default=300)
    p.add_argument("--max-seconds", type=float, default=150)
    p.add_argument("--abort-share", type=float, default=0.15)
    p.add_argument("--breaker-reset-ms", type=float, default=30000)
    args = p.parse_args()
    tally, lag = Tally(), LagProbe()
    tail = asyncio.run(run_async(args, tally, lag)) if args.mode == "async" else run_sync(args, tally, lag)
    tail["elapsed_s"] = round(tail["elapsed_s"], 1)
    tail["calls_per_s"] = round(tally.started / tail["elapsed_s"]) if tail["elapsed_s"] else 0
    tail["loop_lag_ms"] = lag.summary()
    abort = ("asyncio task.cancel() at a random time in [0, deadline)" if args.mode == "async"
             else "AbortSignal.abort() from a timer thread at a random time in [0, deadline)")
    head = {"lang": "py", "mode": f"{args.mode}, {args.concurrency} {'tasks' if args.mode == 'async' else 'threads'}",
            "abort": abort}
    sys.stdout.write(json.dumps(tally.summary(head, tail)) + "\n")
    sys.stdout.flush()
    os._exit(0)  # a hung call's thread must not keep the process alive


if __name__ == "__main__":
    main()
