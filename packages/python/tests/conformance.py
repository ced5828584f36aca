"""The Python conformance runner: executes test/conformance/scenarios/*.json against the mock
model server, with ``Client`` (threads) or ``AsyncClient`` (asyncio).

Run it alone (prints ``N passed, N failed, N skipped`` and the skips with their reasons)::

    python -m tests.conformance            # from packages/python, sync client
    python -m tests.conformance --async    # AsyncClient

pytest runs every scenario through ``tests/test_conformance.py``. Telemetry scenarios
(``telemetry-*.json``) run with a real OpenTelemetry SDK: ``conformance_telemetry.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import modelwire
from modelwire import (
    AbortSignal,
    AsyncClient,
    BreakerOptions,
    BudgetOptions,
    CacheOptions,
    Client,
    Event,
    OIDCClientCredentials,
    RetryOptions,
    TokenProvider,
)

from .conformance_expect import (
    check_event_counts,
    check_events,
    check_expect,
    error_outcome,
    ok_outcome,
)
from .conformance_observe import check_observation
from .conformance_telemetry import TelemetryRun, check_metrics, check_spans
from .conftest import SCENARIOS, MockServer, start_mock

SKIP_FILE = SCENARIOS.parent / "skip" / "python.json"
_PLACEHOLDER = re.compile(r"\$\{([a-z_][a-z0-9_]*)(?:\.([a-z_]+))?\}")


def load_scenarios() -> list[dict[str, Any]]:
    """Every scenario, sorted by file name."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCENARIOS.glob("*.json"))]


def load_skips() -> dict[str, str]:
    """Scenarios this language skips, with the reason (``{"name": "reason"}``)."""
    if not SKIP_FILE.exists():
        return {}
    skips: dict[str, str] = json.loads(SKIP_FILE.read_text(encoding="utf-8"))
    return skips


def substitute(value: Any, variables: dict[str, Any]) -> Any:
    """Replace ``${origin}``, ``${api}`` and ``${saved.field}`` in every string."""
    if isinstance(value, str):

        def one(match: re.Match[str]) -> str:
            got = variables.get(match.group(1))
            if match.group(2) is not None:
                got = got.get(match.group(2)) if isinstance(got, dict) else None
            if got is None:
                raise KeyError(f"unknown placeholder {match.group(0)}")
            return str(got)

        return _PLACEHOLDER.sub(one, value)
    if isinstance(value, list):
        return [substitute(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, variables) for k, v in value.items()}
    return value


class TokenState:
    """What a scenario's ``token_provider`` returns (changed by ``set_token`` steps)."""

    def __init__(self, provider: str | list[str]) -> None:
        self.queue = list(provider) if isinstance(provider, list) else None
        self.current = provider if isinstance(provider, str) else None
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.queue is not None:
            return self.queue.pop(0) if len(self.queue) > 1 else self.queue[0]
        assert self.current is not None
        return self.current


def client_options(raw: dict[str, Any], tokens: list[TokenState]) -> dict[str, Any]:
    """THE mapping from a scenario's snake_case options to ``Client(...)`` keyword arguments
    (``base_url``, when given, is the constructor's first argument: see ``client_args``)."""
    options: dict[str, Any] = {}
    auth = raw.get("auth")
    if auth is not None:
        if "token" in auth:
            options["auth"] = auth["token"]
        elif "token_provider" in auth:
            state = TokenState(auth["token_provider"])
            tokens.append(state)
            options["auth"] = TokenProvider(state)
        else:
            options["auth"] = oidc_credentials(auth["oidc"])
    if "fallbacks" in raw:
        options["fallbacks"] = dict(raw["fallbacks"])
    if "retry" in raw:
        retry = dict(raw["retry"])
        budget = retry.pop("budget", None)
        if "retry_on_status" in retry:
            retry["retry_on_status"] = tuple(retry["retry_on_status"])
        options["retry"] = RetryOptions(
            **retry,
            budget=None if budget is False else BudgetOptions(**(budget or {})),
        )
    if "breaker" in raw:
        options["breaker"] = False if raw["breaker"] is False else BreakerOptions(**raw["breaker"])
    if "cache" in raw:
        options["cache"] = False if raw["cache"] is False else CacheOptions(**raw["cache"])
    for key in (
        "base_url",
        "cache_scope",
        "timeout_ms",
        "deadline_ms",
        "min_confidence",
        "max_input_bytes",
        "max_response_bytes",
        "max_json_depth",
    ):
        if key in raw:
            options[key] = raw[key]
    return options


def oidc_credentials(o: dict[str, Any]) -> OIDCClientCredentials:
    """A scenario's ``auth.oidc`` as ``OIDCClientCredentials`` (same snake_case names)."""
    known = {
        "token_url",
        "client_id",
        "client_secret",
        "scope",
        "auth_method",
        "private_key_pem",
        "key_id",
        "algorithm",
        "audience",
    }
    unknown = set(o) - known
    if unknown:
        raise KeyError(f"auth.oidc options the runner does not map: {sorted(unknown)}")
    return OIDCClientCredentials(
        o["token_url"],
        o["client_id"],
        o.get("client_secret"),
        o.get("scope"),
        auth_method=o.get("auth_method", "client_secret_post"),
        private_key_pem=o.get("private_key_pem"),
        key_id=o.get("key_id"),
        algorithm=o.get("algorithm"),
        audience=o.get("audience"),
    )


# ---------------------------------------------------------------------------------- the calls
def _call_kwargs(step: dict[str, Any]) -> dict[str, Any]:
    options = dict(step.get("options") or {})
    abort_after_ms = options.pop("abort_after_ms", None)
    if abort_after_ms is not None:
        # The caller's abort: an AbortSignal fired by a timer, like an AbortController in TS.
        signal = AbortSignal()
        timer = threading.Timer(abort_after_ms / 1000, signal.abort)
        timer.daemon = True
        timer.start()
        options["signal"] = signal
    return options


def _feedback_fields(fb: dict[str, Any]) -> dict[str, Any]:
    """A scenario's feedback object, checked to hold only what the typed API takes."""
    unknown = set(fb) - {"request_id", "label", "outcome", "score", "comment"}
    if unknown:
        raise KeyError(f"feedback fields the typed API does not have: {sorted(unknown)}")
    return fb


def invoke_sync(client: Client, step: dict[str, Any]) -> Any:
    call, model, opts = step["call"], step.get("model", ""), _call_kwargs(step)
    if call == "predict":
        return client.predict(model, step["data"], **opts)
    if call == "submit_job":
        return client.submit_job(model, step["data"], **opts)
    if call == "get_job":
        return client.get_job(model, step["job_id"])
    if call == "cancel_job":
        return client.cancel_job(model, step["job_id"])
    if call == "wait_for_job":
        return client.wait_for_job(model, step["job_id"], **opts)
    if call == "feedback":
        fb = _feedback_fields(step["feedback"])
        return client.feedback(
            model,
            fb["request_id"],
            label=fb.get("label"),
            outcome=fb.get("outcome"),
            score=fb.get("score"),
            comment=fb.get("comment"),
        )
    if call == "model_info":
        return client.model_info(model)
    if call == "list_models":
        return client.list_models()
    if call == "model_health":
        return client.model_health(model)
    return client.health()


async def invoke_async(client: AsyncClient, step: dict[str, Any]) -> Any:
    call, model, opts = step["call"], step.get("model", ""), _call_kwargs(step)
    if call == "predict":
        return await client.predict(model, step["data"], **opts)
    if call == "submit_job":
        return await client.submit_job(model, step["data"], **opts)
    if call == "get_job":
        return await client.get_job(model, step["job_id"])
    if call == "cancel_job":
        return await client.cancel_job(model, step["job_id"])
    if call == "wait_for_job":
        return await client.wait_for_job(model, step["job_id"], **opts)
    if call == "feedback":
        fb = _feedback_fields(step["feedback"])
        return await client.feedback(
            model,
            fb["request_id"],
            label=fb.get("label"),
            outcome=fb.get("outcome"),
            score=fb.get("score"),
            comment=fb.get("comment"),
        )
    if call == "model_info":
        return await client.model_info(model)
    if call == "list_models":
        return await client.list_models()
    if call == "model_health":
        return await client.model_health(model)
    return await client.health()


class _Run:
    """State of one scenario run (variables, log mark, problems)."""

    def __init__(self, scenario: dict[str, Any], server: MockServer) -> None:
        self.scenario = scenario
        self.server = server
        self.vars: dict[str, Any] = {"origin": server.origin, "api": server.api}
        self.problems: list[str] = []
        self.log_mark = 0
        self.tokens: list[TokenState] = []
        self.events: list[Event] = []  # every event the client emitted, in order
        self.counts_mark = 0
        # Telemetry scenarios run with a real OpenTelemetry SDK (conformance_telemetry.py).
        telemetry = scenario["name"].startswith("telemetry-")
        self.telemetry: TelemetryRun | None = TelemetryRun() if telemetry else None

    def on_event(self, event: Event) -> None:
        self.events.append(event)  # list.append is atomic: calls on several threads may emit

    def setup(self) -> dict[str, Any]:
        self.server.reset()
        if self.scenario.get("server"):
            self.server.scenario(substitute(self.scenario["server"], self.vars))
        options = client_options(substitute(self.scenario["client"], self.vars), self.tokens)
        options["on_event"] = self.on_event
        if self.telemetry is not None:
            options["meter_provider"] = self.telemetry.meter_provider
        return options

    def step_span(self) -> contextlib.AbstractContextManager[Any]:
        """A call's own active step span (telemetry scenarios), else nothing."""
        if self.telemetry is None:
            return contextlib.nullcontext()
        return self.telemetry.step_span()

    def wire_mark(self, raw: dict[str, Any], alone: bool) -> int | None:
        """The request log's last ``seq`` before a call whose ``wire`` is checked, else None."""
        if self.telemetry is None or not alone or "wire" not in raw.get("expect", {}):
            return None
        return max([r["seq"] for r in self.server.requests()], default=0)

    def check_telemetry(
        self, raw: dict[str, Any], label: str, step: Any, wire_mark: int | None
    ) -> None:
        """A call step's ``spans`` / ``wire`` expectations (telemetry scenarios)."""
        if self.telemetry is None or "spans" not in raw["expect"]:
            return
        step_raw = substitute(raw, self.vars)
        requests = None
        if wire_mark is not None:
            requests = [r for r in self.server.requests() if r["seq"] > wire_mark]
        note = f" ({step_raw['note']})" if step_raw.get("note") else ""
        traceparent = (step_raw.get("options") or {}).get("traceparent")
        self.problems.extend(
            check_spans(
                f"{label} {step_raw['call']}{note}",
                step_raw["expect"],
                step,
                self.telemetry,
                requests,
                traceparent,
            )
        )

    def finish_telemetry(self) -> None:
        """The scenario-level ``metrics`` (after the last step, one collection)."""
        if self.telemetry is None:
            return
        try:
            self.problems.extend(check_metrics(self.scenario.get("metrics", []), self.telemetry))
        finally:
            self.telemetry.close()

    def record(
        self,
        raw: dict[str, Any],
        label: str,
        got: dict[str, Any],
        elapsed: float,
        events: list[Event] | None = None,
    ) -> None:
        """Check a call step's outcome (and, for a step of its own, the events it emitted)."""
        step = substitute(raw, self.vars)
        if step.get("save_as"):
            self.vars[step["save_as"]] = got
        note = f" ({step['note']})" if step.get("note") else ""
        where = f"{label} {step['call']}{note}"
        self.problems.extend(check_expect(where, step["expect"], got, elapsed))
        if events is not None and "events" in step["expect"]:
            self.problems.extend(check_events(where, step["expect"]["events"], events))

    def observe(self, observations: list[dict[str, Any]], label: str) -> None:
        log = [r for r in self.server.requests() if r["seq"] > self.log_mark]
        for o in observations:
            self.problems.extend(
                f"{label}: {m}" for m in check_observation(substitute(o, self.vars), log)
            )

    def other_step(
        self, step: dict[str, Any], label: str, breaker_state: Callable[..., str]
    ) -> None:
        if "sleep_ms" in step:
            time.sleep(step["sleep_ms"] / 1000)
        elif "reset_requests" in step:
            self.log_mark = max([r["seq"] for r in self.server.requests()] + [self.log_mark])
        elif "set_token" in step:
            for provider in self.tokens:
                provider.current, provider.queue = step["set_token"], None
        elif "server" in step:
            self.server.scenario(substitute(step["server"], self.vars))
        elif "breaker_state" in step:
            b = step["breaker_state"]
            state = breaker_state(b["model"], b.get("version"))
            if state != b["expect"]:
                self.problems.append(
                    f"{label}: breaker of {b['model']}@{b.get('version') or 'unpinned'} "
                    f"expected {b['expect']}, got {state}"
                )
        elif "observe" in step:
            self.observe(step["observe"], label)
        elif "event_counts" in step:
            since, self.counts_mark = self.events[self.counts_mark :], len(self.events)
            self.problems.extend(check_event_counts(label, step["event_counts"], since))
        elif "tamper" in step:
            tamper(self.vars[step["tamper"]].get("value"))
        else:
            self.problems.append(f"{label}: the runner does not know the step {sorted(step)}")

    def check_events_hide_credentials(self, base_url: str) -> None:
        """docs/semantics.md, "Errors": a base URL's credentials never appear in an event."""
        userinfo = urlsplit(base_url).netloc.rpartition("@")[0]
        leaked = [e for e in self.events if userinfo and userinfo in repr(e)]
        if leaked:
            self.problems.append(f"events carry the base URL's credentials: {leaked[:2]!r}")


def tamper(value: Any) -> None:
    """What a careless caller does to a result it got: overwrite ``label``, add ``injected``.
    A read-only result refuses (the error is ignored); either way the cache must not change."""
    target = getattr(value, "result", value)
    for name, item in (("label", "TAMPERED"), ("injected", True)):
        with contextlib.suppress(Exception):  # refusing is the point
            target[name] = item


def client_args(options: dict[str, Any], default_base_url: str) -> tuple[Any, dict[str, Any]]:
    """The base URL (the scenario's ``base_url``, else ``default_base_url``) and the other
    keyword arguments of ``Client(...)``."""
    rest = dict(options)
    return rest.pop("base_url", default_base_url), rest


CONCURRENT_HEAD_START_S = 0.02


def started_then(started: threading.Event, fn: Callable[..., None], *args: Any) -> None:
    started.set()
    fn(*args)


def run_scenario_sync(scenario: dict[str, Any], server: MockServer) -> list[str]:
    """Run one scenario with ``Client``; returns the problems (empty = passed)."""
    run = _Run(scenario, server)
    base_url, options = client_args(run.setup(), server.api)
    client = Client(base_url, **options)

    def one(raw: dict[str, Any], label: str, alone: bool = False) -> None:
        step = substitute(raw, run.vars)
        wire_mark = run.wire_mark(raw, alone)
        mark = len(run.events)
        with run.step_span() as step_span:
            started = time.perf_counter()
            try:
                got = ok_outcome(step["call"], invoke_sync(client, step))
            except Exception as err:
                got = error_outcome(err)
            elapsed = (time.perf_counter() - started) * 1000
        run.record(raw, label, got, elapsed, run.events[mark:] if alone else None)
        run.check_telemetry(raw, label, step_span, wire_mark)

    with client, ThreadPoolExecutor(max_workers=16) as pool:
        for i, step in enumerate(scenario["steps"], 1):
            label = f"step {i}"
            if "call" in step:
                one(step, label, alone=True)
            elif "concurrent" in step:
                futures = []
                for j, c in enumerate(step["concurrent"], 1):
                    started = threading.Event()
                    futures.append(pool.submit(started_then, started, one, c, f"{label}.{j}"))
                    # "In the listed order": a thread may start late on a busy machine, so each
                    # call gets a head start before the next is submitted (TS/Java start in order).
                    started.wait()
                    time.sleep(CONCURRENT_HEAD_START_S)
                for f in futures:
                    f.result()
            else:
                run.other_step(step, label, client.breaker_state)
        if scenario.get("observe"):
            run.observe(scenario["observe"], "observe")
    run.finish_telemetry()
    run.check_events_hide_credentials(base_url)
    return run.problems


async def run_scenario_async(
    scenario: dict[str, Any], server: MockServer, http: str = "httpx"
) -> list[str]:
    """Run one scenario with ``AsyncClient`` on the HTTP library ``http`` (``"httpx"`` or
    ``"aiohttp"``); returns the problems (empty = passed)."""
    run = _Run(scenario, server)
    base_url, options = client_args(await asyncio.to_thread(run.setup), server.api)

    async def one(
        client: AsyncClient, raw: dict[str, Any], label: str, alone: bool = False
    ) -> None:
        step = substitute(raw, run.vars)
        wire_mark = await asyncio.to_thread(run.wire_mark, raw, alone)
        mark = len(run.events)
        with run.step_span() as step_span:
            started = time.perf_counter()
            try:
                got = ok_outcome(step["call"], await invoke_async(client, step))
            except Exception as err:
                got = error_outcome(err)
            elapsed = (time.perf_counter() - started) * 1000
        run.record(raw, label, got, elapsed, run.events[mark:] if alone else None)
        await asyncio.to_thread(run.check_telemetry, raw, label, step_span, wire_mark)

    async with AsyncClient(base_url, http=http, **options) as client:
        for i, step in enumerate(scenario["steps"], 1):
            label = f"step {i}"
            if "call" in step:
                await one(client, step, label, alone=True)
            elif "concurrent" in step:
                await asyncio.gather(
                    *(one(client, c, f"{label}.{j}") for j, c in enumerate(step["concurrent"], 1))
                )
            elif "sleep_ms" in step:
                await asyncio.sleep(step["sleep_ms"] / 1000)
            else:
                await asyncio.to_thread(run.other_step, step, label, client.breaker_state)
        if scenario.get("observe"):
            await asyncio.to_thread(run.observe, scenario["observe"], "observe")
    run.finish_telemetry()
    run.check_events_hide_credentials(base_url)
    return run.problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="modelwire Python conformance runner")
    parser.add_argument("--async", dest="use_async", action="store_true", help="use AsyncClient")
    parser.add_argument(
        "--http", choices=["httpx", "aiohttp"], default="httpx", help="AsyncClient's library"
    )
    parser.add_argument("names", nargs="*", help="only these scenarios")
    args = parser.parse_args(argv)
    skips = load_skips()
    server = start_mock()
    passed = failed = skipped = 0
    try:
        for scenario in load_scenarios():
            name = scenario["name"]
            if args.names and name not in args.names:
                continue
            if name in skips:
                skipped += 1
                continue
            if args.use_async:
                problems = asyncio.run(run_scenario_async(scenario, server, args.http))
            else:
                problems = run_scenario_sync(scenario, server)
            if problems:
                failed += 1
                print(f"FAIL {name}")
                for p in problems:
                    print(f"     {p}")
            else:
                passed += 1
                print(f"ok   {name}")
    finally:
        server.process.terminate()
    for name, reason in skips.items():
        print(f"skip {name}: {reason}")
    mode = f"AsyncClient on {args.http}" if args.use_async else "Client"
    print(f"conformance ({mode}): {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


_ = modelwire  # the package under test

if __name__ == "__main__":
    sys.exit(main())
