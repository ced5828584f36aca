"""Conformance runner, part 3: observations on the mock server's request log."""

from __future__ import annotations

import json
import re
from typing import Any


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


_FIELD_CHECKS = ("same", "distinct", "distinct_between_paths", "present", "absent", "equals")


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
    if any(k in o for k in (*_FIELD_CHECKS, "matches")) and n == 0:
        return [*problems, f"{where}: no request to check field expectations against"]
    problems += _across_requests(o, selected, paths, where)
    for r in selected:
        problems += _per_request(o, r, where)
    return problems


def _across_requests(
    o: dict[str, Any], selected: list[dict[str, Any]], paths: list[str], where: str
) -> list[str]:
    """``same``, ``distinct`` and ``distinct_between_paths``."""
    problems = []
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
    return problems


def _per_request(o: dict[str, Any], r: dict[str, Any], where: str) -> list[str]:
    """``present``, ``absent``, ``equals`` and ``matches`` on one logged request."""
    problems = []
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
