"""The rules every option is checked against before anything is sent (docs/semantics.md, "What
the SDKs check before sending"), with one message shape: ``<option> must be <rule>, got <value>``
(``InvalidInputError``, code ``INVALID_OPTIONS``). A value of the wrong type (the string
``"500"`` for a number, ``True`` for a count) is refused, never coerced.

Example::

    positive_ms("timeout_ms", 500)        # 500
    positive_ms("timeout_ms", "500")      # raises: ... must be a finite number > 0, got '500'
    count("retry.max_retries", 1.5)       # raises: ... must be an integer >= 0, got 1.5
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import urlsplit

from .errors import InvalidInputError

#: The contract's ``X-Request-Id`` pattern (``PredictRequest.request_id``; a unit test keeps the
#: two equal): 1 to 128 visible ASCII characters, what a header can carry.
REQUEST_ID_PATTERN = "^[!-~]{1,128}$"
_REQUEST_ID = re.compile(REQUEST_ID_PATTERN)


def is_request_id(value: Any) -> bool:
    """Whether ``value`` can travel in the ``X-Request-Id`` header.

    Example: ``is_request_id("req-1") and not is_request_id("日1")``
    """
    return isinstance(value, str) and _REQUEST_ID.fullmatch(value) is not None


def invalid_option(option: str, rule: str, value: Any) -> InvalidInputError:
    """The one error of a refused option: ``<option> must be <rule>, got <value>``.

    Example: ``invalid_option("timeout_ms", "a finite number > 0", -1).code == "INVALID_OPTIONS"``
    """
    return InvalidInputError(f"{option} must be {rule}, got {value!r}", code="INVALID_OPTIONS")


def _is_number(value: Any) -> bool:
    # bool is an int in Python, but True is not a duration.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def positive_ms(option: str, value: Any) -> float:
    """``value`` when it is a finite number > 0 (timeouts and deadlines), else the error.

    Example: ``positive_ms("deadline_ms", 2_000) == 2_000``
    """
    if not _is_number(value) or not math.isfinite(value) or value <= 0:
        raise invalid_option(option, "a finite number > 0", value)
    return float(value)


def non_negative(option: str, value: Any, minimum: float = 0) -> float:
    """``value`` when it is a finite number >= ``minimum`` (backoff durations, TTLs), else the
    error.

    Example: ``non_negative("retry.backoff_max_ms", 0) == 0``
    """
    if not _is_number(value) or not math.isfinite(value) or value < minimum:
        raise invalid_option(option, f"a finite number >= {minimum:g}", value)
    return float(value)


def count(option: str, value: Any, minimum: int = 0) -> int:
    """``value`` when it is an integer >= ``minimum`` (retry counts, sizes), else the error.

    Example: ``count("breaker.consecutive_failures", 3, minimum=1) == 3``
    """
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise invalid_option(option, f"an integer >= {minimum}", value)
    return value


def base_url(value: Any) -> str:
    """``value`` without its trailing ``/`` when it is an absolute ``http``/``https`` URL.

    Example: ``base_url("https://gateway.example/v1/") == "https://gateway.example/v1"``
    """
    rule = "an absolute http(s) URL such as https://gateway.example/v1"
    if not isinstance(value, str):
        raise invalid_option("base_url", rule, value)
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise invalid_option("base_url", rule, value) from None
    if parts.scheme not in ("http", "https") or not host or any(c.isspace() for c in value):
        raise invalid_option("base_url", rule, value)
    return value.rstrip("/")


def request_id(value: Any) -> str:
    """``value`` when it can travel in the ``X-Request-Id`` header (1 to 128 visible ASCII
    characters, the contract's pattern), else the error.

    Example: ``request_id("req-~!ok")``; ``request_id("a b")`` raises.
    """
    if not isinstance(value, str) or not is_request_id(value):
        rule = "1 to 128 visible ASCII characters (U+0021-U+007E)"
        raise invalid_option("request_id", rule, value)
    return value
