"""Conformance runner, part 2: a call's outcome in the scenarios' language-neutral terms, and
the checks of a call step's ``expect`` (including ``events``) and of ``event_counts`` steps."""

from __future__ import annotations

import dataclasses
from typing import Any

from modelwire import Event, ModelwireError, plain_copy


def _job(job: Any) -> dict[str, Any]:
    result = plain_copy(job.result) if job.result is not None else None
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
            "result": plain_copy(value.result),
            "value": value,  # what the call returned, for a later ``tamper`` step
        }
    if call == "feedback":
        return {"outcome": "ok", "accepted": value.accepted, "feedback_id": value.feedback_id}
    if call in ("submit_job", "get_job", "cancel_job", "wait_for_job"):
        return _job(value)
    if call in ("model_info", "health", "model_health"):
        # These answers are the contract's objects, as plain JSON in its (snake_case) names.
        return {"outcome": "ok", "result": value.model_dump(mode="json")}
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
        # Token failures (AuthError): the identity provider's status and OAuth error.
        "idp_status": getattr(err, "idp_status", None),
        "oauth_error": getattr(err, "oauth_error", None),
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
    "idp_status",
    "oauth_error",
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
    "feedback_id",
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
    contains = e.get("error_message_contains")
    if contains is not None and contains.lower() not in str(got.get("message", "")).lower():
        problems.append(f"{label}: message {got.get('message')!r} lacks {contains!r}")
    excludes = e.get("error_message_excludes")
    if excludes is not None and excludes.lower() in str(got.get("message", "")).lower():
        problems.append(f"{label}: message {got.get('message')!r} holds {excludes!r}")
    # docs/semantics.md, "Errors": every message is one line.
    if "\n" in str(got.get("message", "")):
        problems.append(f"{label}: message is not one line: {got.get('message')!r}")
    if "job_state_in" in e and got.get("job_state") not in e["job_state_in"]:
        problems.append(f"{label}: job_state {got.get('job_state')!r} not in {e['job_state_in']}")
    if "elapsed_ms_min" in e and elapsed_ms < e["elapsed_ms_min"]:
        problems.append(f"{label}: took {elapsed_ms:.0f} ms, expected >= {e['elapsed_ms_min']}")
    if "elapsed_ms_max" in e and elapsed_ms > e["elapsed_ms_max"]:
        problems.append(f"{label}: took {elapsed_ms:.0f} ms, expected <= {e['elapsed_ms_max']}")
    return problems


def check_events(label: str, expected: list[dict[str, Any]], got: list[Event]) -> list[str]:
    """``got`` are exactly the ``expected`` events, in order (listed keys compared)."""
    seen = [dataclasses.asdict(event) for event in got]
    short = [event["type"] for event in seen]
    if len(seen) != len(expected):
        want = [event["type"] for event in expected]
        return [f"{label}: expected {len(expected)} events {want}, got {len(seen)} {short}"]
    problems = []
    for i, (e, actual) in enumerate(zip(expected, seen, strict=True), 1):
        for key, value in e.items():
            if value is None and actual.get(key) is None:
                continue
            if not is_subset(value, actual.get(key)):
                problems.append(
                    f"{label}: event {i} ({actual['type']}) {key} expected {value!r}, "
                    f"got {actual.get(key)!r} (events: {short})"
                )
    return problems


def check_event_counts(label: str, expected: dict[str, int], got: list[Event]) -> list[str]:
    """Each listed type was emitted that many times in ``got``."""
    counts: dict[str, int] = {}
    for event in got:
        counts[event.type] = counts.get(event.type, 0) + 1
    return [
        f"{label}: expected {n} {kind} events, got {counts.get(kind, 0)}"
        for kind, n in expected.items()
        if counts.get(kind, 0) != n
    ]
