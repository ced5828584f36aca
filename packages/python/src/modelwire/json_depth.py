"""JSON answers parsed under ``max_json_depth`` (docs/semantics.md, Response limits): the depth
is checked before ``json.loads`` by a scan without recursion, so no nesting can raise
``RecursionError`` (the C parser recurses per level).

The scan costs two ``bytes.count`` calls on ordinary answers: a body with no more than
``max_depth`` opening brackets cannot be deeper than that. Only bodies with more brackets are
measured, with C-speed bytes operations only: escaped backslashes and quotes dropped, every byte
but quotes and brackets dropped, the strings (between quotes) dropped, then the innermost ``[]``
pairs peeled off one level per pass (one ``replace`` each), at most ``max_depth`` passes.

Example::

    loads(b'{"a": [1]}', max_depth=100)    # {'a': [1]}
    loads(b"[" * 101 + b"]" * 101, 100)    # raises JsonTooDeepError (a ValueError)
"""

from __future__ import annotations

import json
from typing import Any

_NOT_SHAPE = bytes(range(256)).translate(None, b'"[]{}')
_OBJECTS_AS_ARRAYS = bytes.maketrans(b"{}", b"[]")


class JsonTooDeepError(ValueError):
    """A JSON text nested deeper than ``max_json_depth`` (or with unbalanced brackets)."""


def too_deep(body: bytes, max_depth: int) -> bool:
    """Whether ``body`` nests arrays/objects deeper than ``max_depth`` (a container at the top
    is depth 1), or has brackets that do not balance.

    Example: ``too_deep(b"[[]]", 1) is True``; ``too_deep(b'["[[["]', 1) is False``
    """
    # The hot path: too few containers to be too deep (brackets inside strings count too).
    if body.count(b"[") + body.count(b"{") <= max_depth:
        return False
    # Escapes pair from the left: drop escaped backslashes first, then escaped quotes.
    marks = body.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_SHAPE)
    shape = b"".join(marks.split(b'"')[::2]).translate(_OBJECTS_AS_ARRAYS)
    for _ in range(max_depth):
        peeled = shape.replace(b"[]", b"")
        if len(peeled) == len(shape):
            break
        shape = peeled
    return bool(shape)


def _not_json(literal: str) -> Any:
    # json.loads accepts NaN and ±Infinity by default; they are not JSON (docs/semantics.md).
    raise ValueError(f"{literal} is not a JSON value")


def loads(body: bytes, max_depth: int) -> Any:
    """``json.loads(body)`` when ``body`` is at most ``max_depth`` deep; raises ``ValueError``
    (``JsonTooDeepError`` for the depth) otherwise, never ``RecursionError``."""
    if too_deep(body, max_depth):
        raise JsonTooDeepError(f"JSON nested deeper than max_json_depth ({max_depth})")
    try:
        return json.loads(body, parse_constant=_not_json)
    except RecursionError:
        # Only reachable with a max_json_depth above what the interpreter's stack allows.
        raise JsonTooDeepError(f"JSON too deep to parse (max_json_depth {max_depth})") from None
