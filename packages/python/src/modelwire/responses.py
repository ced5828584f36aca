"""The one function that turns an HTTP answer into the operation's value or its typed error:
a 2xx success envelope is parsed (a tolerant reader: docs/semantics.md, "Answers the SDKs
refuse"), any other 2xx body is ``MalformedResponseError`` with a one-line message that names what
was wrong and never quotes the body, every
other status is the error of its kind (``errors.error_from_response``) with ``Retry-After``.
The send stage uses it on every real answer; the failure-table vectors use it too.

Example::

    value, size = read_answer(op, HttpAnswer(503, {"Retry-After": "1"}, b""), "fraud-score",
                              request_id="r-1", trace_id=None, now=time.time())
    # raises UnavailableError(code="MODEL_UNAVAILABLE", retry_after_ms=1000.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from . import json_depth
from .call import Operation
from .effects import HttpAnswer
from .errors import MalformedResponseError, error_from_response
from .generated.policy import DEFAULT_POLICY
from .json_depth import JsonTooDeepError
from .retry import parse_retry_after

T = TypeVar("T")


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name in a plain dict (any case) or an ``httpx.Headers``."""
    value = headers.get(name)
    return value if value is not None else headers.get(name.lower())


def read_answer(
    op: Operation[T],
    answer: HttpAnswer,
    model: str | None,
    *,
    request_id: str,
    trace_id: str | None,
    now: float,
    max_json_depth: int = DEFAULT_POLICY.max_json_depth,
) -> tuple[T, int]:
    """``op``'s value and the body's size for a 2xx envelope; raises the typed error otherwise.

    ``now`` (unix seconds) resolves a ``Retry-After`` HTTP date. This is the attempt's boundary
    for what the body holds: whatever parsing raises becomes a typed error here.
    """
    status = answer.status
    if 200 <= status < 300:
        envelope = _success_envelope(answer.body, max_json_depth, op.name)
        if isinstance(envelope, str):
            raise _malformed(status, envelope, request_id, trace_id)
        # A success without trace_id (the shared vectors and scenarios send some): the call's
        # own trace id, which the request carried in traceparent, stands for it.
        if trace_id is not None and "trace_id" not in envelope:
            envelope["trace_id"] = trace_id
        try:
            return op.parse(envelope, answer, model), len(answer.body)
        except ValidationError as err:
            raise _malformed(status, _invalid_fields(err), request_id, trace_id) from None
        # Anything else parsing raises (a parser's own error) is a malformed answer too.
        except Exception as err:  # noqa: BLE001 - the one boundary of a 2xx body
            what = f"could not be read ({type(err).__name__})"
            raise _malformed(status, what, request_id, trace_id) from None
    raise error_from_response(
        status,
        answer.body,
        request_id=request_id,
        trace_id=trace_id,
        retry_after_ms=parse_retry_after(header(answer.headers, "Retry-After"), now=now),
        max_json_depth=max_json_depth,
    )


def _success_envelope(body: bytes, max_json_depth: int, name: str) -> dict[str, Any] | str:
    """The parsed success envelope (tolerant reader: ``status`` exactly ``"success"`` and an
    object ``result``; ``code`` and unknown fields are not looked at), or what is wrong with
    the body, in words that never quote it."""
    try:
        envelope: Any = json_depth.loads(body, max_json_depth)
    except JsonTooDeepError:
        return f"is nested deeper than max_json_depth ({max_json_depth})"
    except ValueError as err:  # also UnicodeDecodeError: invalid UTF-8 is not JSON
        return "is empty" if not body else f"is not JSON ({type(err).__name__})"
    if not isinstance(envelope, dict):
        return f"is not the contract's {name} envelope (not a JSON object)"
    if envelope.get("status") != "success":
        return 'is not a success envelope (its status is not "success")'
    if not isinstance(envelope.get("result"), dict):
        return "is not a success envelope (the answer's result is not an object)"
    return envelope


def _invalid_fields(err: ValidationError) -> str:
    """The fields a validation error names, with the kind of problem (never their values)."""
    problems = sorted(
        {
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'} {e['type']}"
            for e in err.errors(include_url=False, include_input=False)
        }
    )
    shown = ", ".join(problems[:3]) + (
        f" and {len(problems) - 3} more" if len(problems) > 3 else ""
    )
    return f"is not the contract's envelope: {shown}"


def _malformed(
    status: int, what: str, request_id: str, trace_id: str | None
) -> MalformedResponseError:
    """A one-line ``MalformedResponseError``: what is wrong with the body, never its content."""
    return MalformedResponseError(
        f"HTTP {status} body {what}; the server or a proxy in between breaks the contract",
        http_status=status,
        request_id=request_id,
        trace_id=trace_id,
    )
