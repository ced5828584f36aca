"""The one function that turns an HTTP answer into the operation's value or its typed error:
a 2xx contract envelope is parsed, any other 2xx body is ``MalformedResponseError``, every
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

from . import json_depth
from .call import Operation
from .effects import HttpAnswer
from .errors import MalformedResponseError, error_from_response
from .generated.policy import DEFAULT_POLICY
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
        try:
            envelope: Any = json_depth.loads(answer.body, max_json_depth)
            if not isinstance(envelope, dict) or envelope.get("status") != "success":
                raise ValueError("not a success envelope")
            # A success without trace_id (the shared vectors and scenarios send some): the call's
            # own trace id, which the request carried in traceparent, stands for it.
            if trace_id is not None and "trace_id" not in envelope:
                envelope["trace_id"] = trace_id
            return op.parse(envelope, answer, model), len(answer.body)
        # Anything parsing raises (a bad envelope, a parser's own error) is a malformed answer.
        except Exception as err:  # noqa: BLE001 - the one boundary of a 2xx body
            raise MalformedResponseError(
                f"HTTP {status} body is not the contract's {op.name} envelope ({err}); the "
                "server or a proxy in between breaks the contract",
                http_status=status,
                request_id=request_id,
                trace_id=trace_id,
            ) from None
    raise error_from_response(
        status,
        answer.body,
        request_id=request_id,
        trace_id=trace_id,
        retry_after_ms=parse_retry_after(header(answer.headers, "Retry-After"), now=now),
        max_json_depth=max_json_depth,
    )
