"""RFC 8785 (JCS) canonical JSON, matching the TypeScript and Java SDKs byte for byte.

Written here rather than taken from the ``rfc8785`` package because docs/semantics.md requires
integers beyond 2^53 to be converted to the nearest double (that package rejects them), and the
shared vectors in ``test/vectors/`` decide every byte.

Example::

    canonical_json({"b": 1.0, "a": [1e21, None]})  # '{"a":[1e+21,null],"b":1}'
"""

from __future__ import annotations

import datetime
import decimal
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from json.encoder import encode_basestring  # the C escaper
from typing import Any

from .errors import InvalidInputError
from .generated.policy import DEFAULT_POLICY

_MAX_SAFE_INT = 2**53
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def format_number(value: float) -> str:
    """Format a double as ECMAScript ``Number.prototype.toString`` does.

    Example: ``format_number(1e-7) == "1e-7"``, ``format_number(1.0) == "1"``
    """
    if math.isnan(value) or math.isinf(value):
        raise InvalidInputError(
            f"{value!r} cannot be sent as JSON; replace NaN/Infinity in the input",
            code="INVALID_INPUT",
        )
    if value == 0:
        return "0"  # also -0
    if value < 0:
        return "-" + format_number(-value)
    text = repr(value)  # shortest round-trip digits, like ECMAScript
    mantissa, _, exp_text = text.partition("e")
    int_part, _, frac_part = mantissa.partition(".")
    digits = int_part + frac_part
    n = len(int_part) + (int(exp_text) if exp_text else 0)
    stripped = digits.lstrip("0")
    n -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    exponent = n - 1
    sign = "+" if exponent >= 0 else "-"
    head = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{head}e{sign}{abs(exponent)}"


class _Refused(Exception):
    """A value that is not JSON, raised from where it sits; each container on the way out adds
    its segment to ``path`` (innermost first), so the hot path keeps no path at all."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path: list[str] = []


def _key_segment(key: str) -> str:
    return "." + key if key.isidentifier() else "[" + encode_basestring(key) + "]"


def _format_int(value: int) -> str:
    if -_MAX_SAFE_INT <= value <= _MAX_SAFE_INT:
        return str(value)
    try:
        # Every JSON number is an IEEE-754 double (RFC 8785 §3.2.2.3): big integers round.
        return format_number(float(value))
    except OverflowError:
        raise _Refused("an integer too large for a JSON number (above 1.8e308)") from None


def _format_string(value: str) -> str:
    text: str = encode_basestring(value)
    if _SURROGATE.search(text):
        # JSON.stringify escapes lone surrogates instead of emitting invalid UTF-8.
        text = _SURROGATE.sub(_escape_surrogate, text)
    return text


def _utf16_key(item: tuple[str, Any]) -> bytes:
    return item[0].encode("utf-16-be", "surrogatepass")


def _format_float(value: float) -> str:
    if value == 0:
        return "0"  # also -0
    text = repr(value)
    # Fast path: repr already prints ECMAScript's digits in fixed notation for 1e-4 <= |x| < 1e16;
    # only the integral ".0" suffix differs. Exponent forms, NaN and Infinity take the full path.
    if "e" not in text and "n" not in text:
        return text[:-2] if text.endswith(".0") else text
    if not math.isfinite(value):
        raise _Refused(f"{text} is not a JSON value; send null or a finite number")
    return format_number(value)


def _not_json(value: Any) -> str:
    """Why ``value`` (of no JSON type) cannot be sent, and what to send instead."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return f"a {type(value).__name__} is not a JSON value; send an ISO string (.isoformat())"
    if isinstance(value, (set, frozenset)):
        return f"a {type(value).__name__} is not a JSON value; send a list"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"{type(value).__name__} is not a JSON value; send a string (base64, say)"
    if isinstance(value, decimal.Decimal):
        return "a Decimal is not a JSON value; send a float or a string"
    if callable(value) and not isinstance(value, type):
        return f"a function ({type(value).__name__}) is not a JSON value"
    if isinstance(value, (Sequence, Iterable)):
        return f"a {type(value).__name__} is not a JSON value; send a list"
    return (
        f"a {type(value).__name__} is not a JSON value; send dict, list, str, int, float, bool"
        " or None"
    )


def _write_object(value: Mapping[Any, Any], out: list[str], left: int) -> None:
    for key in value:
        if type(key) is not str:
            raise _Refused(
                f"the key {key!r} is a {type(key).__name__}; JSON object keys are strings"
            )
    out.append("{")
    first = True
    items = value.items()
    # UTF-16 code unit order equals code point order unless a key holds a character above U+FFFF.
    ordered = (
        sorted(items, key=_utf16_key)
        if any(not k.isascii() for k in value)
        else sorted(items)
        if len(value) > 1
        else items
    )
    for key, item in ordered:
        if first:
            first = False
        else:
            out.append(",")
        out.append(_format_string(key))
        out.append(":")
        try:
            _write(item, out, left)
        except _Refused as refused:
            refused.path.append(_key_segment(key))
            raise
    out.append("}")


def _write_array(value: list[Any] | tuple[Any, ...], out: list[str], left: int) -> None:
    out.append("[")
    for index, item in enumerate(value):
        if index:
            out.append(",")
        try:
            _write(item, out, left)
        except _Refused as refused:
            refused.path.append(f"[{index}]")
            raise
    out.append("]")


def _write(value: Any, out: list[str], left: int) -> None:
    """Append ``value``'s canonical text; ``left`` is how many more levels of containers fit."""
    kind = type(value)
    if kind is str:
        out.append(_format_string(value))
    elif kind is float:
        out.append(_format_float(value))
    elif kind is int:
        out.append(_format_int(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is dict or isinstance(value, Mapping):
        if left <= 0:
            raise _Refused(_TOO_DEEP)
        _write_object(value, out, left - 1)
    elif kind is list or kind is tuple or isinstance(value, (list, tuple)):
        if left <= 0:
            raise _Refused(_TOO_DEEP)
        _write_array(value, out, left - 1)
    elif isinstance(value, str):
        out.append(_format_string(str(value)))
    elif isinstance(value, int):  # bool is handled above; IntEnum and other int subclasses
        out.append(_format_int(int(value)))
    elif isinstance(value, float):
        out.append(_format_float(float(value)))
    else:
        raise _Refused(_not_json(value))


_TOO_DEEP = "too deep"


def _refusal(refused: _Refused, name: str, max_depth: int) -> InvalidInputError:
    path = name + "".join(reversed(refused.path))
    if refused.reason is _TOO_DEEP:
        shown = path if len(path) <= 60 else path[:60] + "…"
        return InvalidInputError(
            f"{name} is nested too deep: more than max_json_depth ({max_depth}) levels of objects"
            f" and arrays at {shown} (a circular structure is too deep too)",
            code="INVALID_INPUT",
        )
    return InvalidInputError(f"{path}: {refused.reason}", code="INVALID_INPUT")


# The C encoder writes what RFC 8785 writes (sorted keys, no whitespace, the same string escaper)
# for plain values: exactly dicts with string keys, lists, str, int within 2^53, bool, None and
# floats it prints without an exponent or an integral ".0" (1e-4 <= |x| < 1e16), in text whose
# characters are all in the BMP and none a lone surrogate (UTF-16 key order = code point order;
# JSON.stringify escapes lone surrogates). Anything else goes to the exact writer; a string that
# merely looks like a float mark ("1.0,", "e-") costs only the slower path.
_C_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)
_FLOAT_MARKS = (".0,", ".0]", ".0}", "e+", "e-")
_NOT_BMP = re.compile("[\ud800-\udfff\U00010000-\U0010ffff]")
_SCALARS = frozenset({str, float, bool, type(None)})


def _plain(value: dict[Any, Any], max_depth: int) -> bool:
    """Whether ``value`` holds only plain values (see above) within ``max_depth`` levels."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    scalars, big = _SCALARS, _MAX_SAFE_INT
    while stack:
        container, depth = stack.pop()
        if depth > max_depth:
            return False
        if type(container) is dict:
            for key in container:
                if type(key) is not str:
                    return False
            items = container.values()
        else:
            items = container
        for item in items:
            kind = type(item)
            if kind in scalars:
                continue
            if kind is int:
                if not -big <= item <= big:
                    return False
            elif kind is dict or kind is list:
                stack.append((item, depth + 1))
            else:
                return False  # a tuple, a subclass, a Mapping, a non-JSON value: exact writer
    return True


def c_canonical(value: dict[Any, Any], max_depth: int) -> str | None:
    """``value``'s canonical text by the C encoder when that is certainly the RFC 8785 text,
    else None (the exact writer decides, and names what is wrong).

    Example: ``c_canonical({"b": 1, "a": 0.5}, 100) == '{"a":0.5,"b":1}'``
    """
    if not _plain(value, max_depth):
        return None
    try:
        text: str = _C_ENCODER.encode(value)
    except (ValueError, RecursionError):
        return None  # NaN, a circle: the exact writer says where
    if any(mark in text for mark in _FLOAT_MARKS):
        return None
    if not text.isascii() and _NOT_BMP.search(text):
        return None
    return text


def canonical_json(
    value: Any, *, max_depth: int = DEFAULT_POLICY.max_json_depth, name: str = "value"
) -> str:
    """Serialise ``value`` as RFC 8785 canonical JSON (sorted keys, no whitespace, JS numbers).

    Raises ``InvalidInputError`` (``INVALID_INPUT``, naming the path from ``name``) for NaN,
    Infinity, values that are not JSON, and nesting deeper than ``max_depth`` levels of
    objects/arrays (the outer one is level 1; a circular structure is too deep), never
    ``RecursionError``.

    Example: ``canonical_json({"z": 1, "a": "é"}) == '{"a":"é","z":1}'``;
    ``canonical_json({"at": [1, date.today()]}, name="data")`` raises "data.at[1]: a date is…"
    """
    if type(value) is dict:
        text = c_canonical(value, max_depth)
        if text is not None:
            return text
    out: list[str] = []
    try:
        _write(value, out, max_depth)
    except _Refused as refused:
        raise _refusal(refused, name, max_depth) from None
    except RecursionError:
        # Only reachable with a max_depth above what the interpreter's stack allows.
        raise InvalidInputError(
            f"{name} is nested too deep to encode (max_json_depth {max_depth})",
            code="INVALID_INPUT",
        ) from None
    return "".join(out)
