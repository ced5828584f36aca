"""The Python conformance runner: executes test/conformance/scenarios/*.json against the mock
model server, with ``Client`` (threads) or ``AsyncClient`` (asyncio).

Run it alone (prints ``N passed, N failed, N skipped`` and the skips with their reasons)::

    python -m tests.conformance            # from packages/python, sync client
    python -m tests.conformance --async    # AsyncClient

pytest runs every scenario through ``tests/test_conformance.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import modelwire
from modelwire import (
    AbortSignal,
    AsyncClient,
    BreakerOptions,
    BudgetOptions,
    CacheOptions,
    Client,
    ModelwireError,
    OIDCClientCredentials,
    RetryOptions,
    TokenProvider,
)

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
    """THE mapping from a scenario's snake_case options to ``Client(...)`` keyword arguments."""
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
            o = auth["oidc"]
            options["auth"] = OIDCClientCredentials(
                o["token_url"], o["client_id"], o["client_secret"], o.get("scope")
            )
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
    for key in ("cache_scope", "timeout_ms", "deadline_ms", "min_confidence", "max_input_bytes"):
        if key in raw:
            options[key] = raw[key]
    return options


def _job(job: Any) -> dict[str, Any]:
    result = job.result.model_dump(mode="json", exclude_none=True) if job.result else None
    return {
        "outcome": "ok",
        "job_id": job.job_id,
        "job_state": job.state,
        "request_id": job.request_id,
        "result": result,
    }


def ok_outcome(call: str, value: Any) -> dict[str, Any]:
    """A successful call in the scenario's language-neutral terms."""
    if call == "predict":
        fb = value.fallback
        return {
            "outcome": "ok",
            "attempts": value.attempts,
            "cached": value.cached,
            "stale": value.stale,
            "fallback": None
            if fb is None
            else {"from": fb.from_, "to": fb.to, "reason": fb.reason},
            "low_confidence": value.low_confidence,
            "model_name": value.model.name,
            "model_version": value.model.version,
            "request_id": value.request_id,
            "trace_id": value.trace_id,
            "result": value.result,
        }
    if call == "feedback":
        return {"outcome": "ok", "accepted": value.accepted, "feedback_id": value.feedback_id}
    if call in ("submit_job", "get_job", "cancel_job", "wait_for_job"):
        return _job(value)
    return {"outcome": "ok"}


def error_outcome(err: BaseException) -> dict[str, Any]:
    """A failed call in the scenario's language-neutral terms."""
    if not isinstance(err, ModelwireError):
        return {"outcome": "error", "error_kind": type(err).__name__, "message": repr(err)}
    return {
        "outcome": "error",
        "error_kind": err.kind,
        "error_code": err.code,
        "http_status": err.http_status,
        "retry_after_ms": err.retry_after_ms,
        "attempts": err.attempts,
        "field_errors": [{"field": e.field, "message": e.message} for e in err.errors],
        "message": str(err),
    }


def is_subset(expected: Any, actual: Any) -> bool:
    """``expected`` is a deep subset of ``actual`` (objects: listed keys; others: equal)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            is_subset(v, actual.get(k)) for k, v in expected.items()
        )
    return (type(expected) is type(actual) and expected == actual) or (
        isinstance(expected, (int, float))
        and not isinstance(expected, bool)
        and isinstance(actual, (int, float))
        and not isinstance(actual, bool)
        and expected == actual
    )


_SCALARS = (
    "error_kind",
    "error_code",
    "http_status",
    "retry_after_ms",
    "attempts",
    "cached",
    "stale",
    "low_confidence",
    "model_name",
    "model_version",
    "request_id",
    "job_state",
    "accepted",
)


def check_expect(
    label: str, e: dict[str, Any], got: dict[str, Any], elapsed_ms: float
) -> list[str]:
    """Every expectation of a call step that did not hold."""
    if got["outcome"] != e["outcome"]:
        detail = ""
        if got["outcome"] == "error":
            detail = f" ({got.get('error_kind')} {got.get('error_code')}: {got.get('message')})"
        return [f"{label}: expected outcome {e['outcome']}, got {got['outcome']}{detail}"]
    problems = []
    for key in _SCALARS:
        if key in e and not is_subset(e[key], got.get(key)):
            problems.append(f"{label}: {key} expected {e[key]!r}, got {got.get(key)!r}")
    if "fallback" in e and got.get("fallback") != e["fallback"]:
        problems.append(
            f"{label}: fallback expected {e['fallback']!r}, got {got.get('fallback')!r}"
        )
    for fe in e.get("field_errors", []):
        if not any(is_subset(fe, a) for a in got.get("field_errors") or []):
            problems.append(f"{label}: field error {fe!r} not in {got.get('field_errors')!r}")
    if "result" in e and not is_subset(e["result"], got.get("result")):
        problems.append(f"{label}: result {got.get('result')!r} lacks {e['result']!r}")
    for key in e.get("result_has", []):
        result = got.get("result")
        if not isinstance(result, dict) or result.get(key) is None:
            problems.append(f"{label}: result lacks {key!r}: {result!r}")
    if "job_state_in" in e and got.get("job_state") not in e["job_state_in"]:
        problems.append(f"{label}: job_state {got.get('job_state')!r} not in {e['job_state_in']}")
    if "elapsed_ms_min" in e and elapsed_ms < e["elapsed_ms_min"]:
        problems.append(f"{label}: took {elapsed_ms:.0f} ms, expected >= {e['elapsed_ms_min']}")
    if "elapsed_ms_max" in e and elapsed_ms > e["elapsed_ms_max"]:
        problems.append(f"{label}: took {elapsed_ms:.0f} ms, expected <= {e['elapsed_ms_max']}")
    return problems


# ------------------------------------------------------------------------------- observations
def field_of(request: dict[str, Any], name: str) -> Any:
    """``header:<name>``, ``body:<dot.path>``, ``trace_id`` / ``span_id`` of a logged request."""
    headers = request["headers"]

    def header(h: str) -> Any:
        value = headers.get(h.lower())
        return ", ".join(value) if isinstance(value, list) else value

    if name.startswith("header:"):
        return header(name[7:])
    if name.startswith("body:"):
        value: Any = request.get("body")
        for key in name[5:].split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(key)
        return value
    parts = (header("traceparent") or "").split("-")
    if name == "trace_id":
        return parts[1] if len(parts) > 2 else None
    if name == "span_id":
        return parts[2] if len(parts) > 2 else None
    raise KeyError(f"unknown observation field {name}")


def _key(v: Any) -> str:
    return json.dumps(v, sort_keys=True)


def check_observation(o: dict[str, Any], log: list[dict[str, Any]]) -> list[str]:
    """Every expectation on the request log that did not hold (never passes vacuously)."""
    paths = o.get("paths") or [o["path"]]
    method = o.get("method")
    selected = [r for r in log if r["path"] in paths and (method is None or r["method"] == method)]
    where = f"{method or '*'} {' + '.join(paths)}"
    problems = []
    n = len(selected)
    if "count" in o and n != o["count"]:
        problems.append(f"{where}: expected {o['count']} requests, saw {n}")
    if "count_min" in o and n < o["count_min"]:
        problems.append(f"{where}: expected >= {o['count_min']} requests, saw {n}")
    if "count_max" in o and n > o["count_max"]:
        problems.append(f"{where}: expected <= {o['count_max']} requests, saw {n}")
    field_checks = (
        "same",
        "distinct",
        "distinct_between_paths",
        "present",
        "absent",
        "equals",
        "matches",
    )
    if any(k in o for k in field_checks) and n == 0:
        return [*problems, f"{where}: no request to check field expectations against"]
    for name in o.get("same", []):
        values = [field_of(r, name) for r in selected]
        if any(v is None for v in values):
            problems.append(f"{where}: {name} missing on some requests: {values}")
        elif len({_key(v) for v in values}) != 1:
            problems.append(f"{where}: {name} differs between requests: {values}")
    for name in o.get("distinct", []):
        values = [field_of(r, name) for r in selected]
        if any(v is None for v in values):
            problems.append(f"{where}: {name} missing on some requests: {values}")
        elif len({_key(v) for v in values}) != len(values):
            problems.append(f"{where}: {name} repeats between requests: {values}")
    for name in o.get("distinct_between_paths", []):
        group_values = []
        for p in paths:
            values = [_key(field_of(r, name)) for r in selected if r["path"] == p]
            if not values or len(set(values)) != 1 or _key(None) in values:
                problems.append(f"{where}: {name} should be one value per path; {p} has {values}")
            else:
                group_values.append(values[0])
        if len(group_values) == len(paths) and len(set(group_values)) != len(group_values):
            problems.append(f"{where}: {name} should differ between paths, saw {group_values}")
    for r in selected:
        for name in o.get("present", []):
            if field_of(r, name) is None:
                problems.append(f"{where} #{r['seq']}: {name} should be present")
        for name in o.get("absent", []):
            if field_of(r, name) is not None:
                problems.append(
                    f"{where} #{r['seq']}: {name} should be absent, saw {field_of(r, name)!r}"
                )
        for name, expected in o.get("equals", {}).items():
            if field_of(r, name) != expected:
                problems.append(
                    f"{where} #{r['seq']}: {name} expected {expected!r}, saw {field_of(r, name)!r}"
                )
        for name, pattern in o.get("matches", {}).items():
            v = field_of(r, name)
            if not isinstance(v, str) or not re.search(pattern, v):
                problems.append(f"{where} #{r['seq']}: {name} should match /{pattern}/, saw {v!r}")
    return problems


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
        fb = dict(step["feedback"])
        return client.feedback(model, fb.pop("request_id"), **fb)
    if call == "model_info":
        return client.model_info(model)
    if call == "list_models":
        return client.list_models()
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
        fb = dict(step["feedback"])
        return await client.feedback(model, fb.pop("request_id"), **fb)
    if call == "model_info":
        return await client.model_info(model)
    if call == "list_models":
        return await client.list_models()
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

    def setup(self) -> dict[str, Any]:
        self.server.reset()
        if self.scenario.get("server"):
            self.server.scenario(substitute(self.scenario["server"], self.vars))
        options = client_options(substitute(self.scenario["client"], self.vars), self.tokens)
        return options

    def record(self, raw: dict[str, Any], label: str, got: dict[str, Any], elapsed: float) -> None:
        step = substitute(raw, self.vars)
        if step.get("save_as"):
            self.vars[step["save_as"]] = got
        note = f" ({step['note']})" if step.get("note") else ""
        self.problems.extend(
            check_expect(f"{label} {step['call']}{note}", step["expect"], got, elapsed)
        )

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


def run_scenario_sync(scenario: dict[str, Any], server: MockServer) -> list[str]:
    """Run one scenario with ``Client``; returns the problems (empty = passed)."""
    run = _Run(scenario, server)
    client = Client(server.api, **run.setup())

    def one(raw: dict[str, Any], label: str) -> None:
        step = substitute(raw, run.vars)
        started = time.perf_counter()
        try:
            got = ok_outcome(step["call"], invoke_sync(client, step))
        except Exception as err:
            got = error_outcome(err)
        run.record(raw, label, got, (time.perf_counter() - started) * 1000)

    with client, ThreadPoolExecutor(max_workers=16) as pool:
        for i, step in enumerate(scenario["steps"], 1):
            label = f"step {i}"
            if "call" in step:
                one(step, label)
            elif "concurrent" in step:
                futures = [
                    pool.submit(one, c, f"{label}.{j}") for j, c in enumerate(step["concurrent"], 1)
                ]
                for f in futures:
                    f.result()
            else:
                run.other_step(step, label, client.breaker_state)
        if scenario.get("observe"):
            run.observe(scenario["observe"], "observe")
    return run.problems


async def run_scenario_async(scenario: dict[str, Any], server: MockServer) -> list[str]:
    """Run one scenario with ``AsyncClient``; returns the problems (empty = passed)."""
    run = _Run(scenario, server)
    options = await asyncio.to_thread(run.setup)

    async def one(client: AsyncClient, raw: dict[str, Any], label: str) -> None:
        step = substitute(raw, run.vars)
        started = time.perf_counter()
        try:
            got = ok_outcome(step["call"], await invoke_async(client, step))
        except Exception as err:
            got = error_outcome(err)
        run.record(raw, label, got, (time.perf_counter() - started) * 1000)

    async with AsyncClient(server.api, **options) as client:
        for i, step in enumerate(scenario["steps"], 1):
            label = f"step {i}"
            if "call" in step:
                await one(client, step, label)
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
    return run.problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="modelwire Python conformance runner")
    parser.add_argument("--async", dest="use_async", action="store_true", help="use AsyncClient")
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
                problems = asyncio.run(run_scenario_async(scenario, server))
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
    mode = "AsyncClient" if args.use_async else "Client"
    print(f"conformance ({mode}): {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


_ = modelwire  # the package under test

if __name__ == "__main__":
    sys.exit(main())
