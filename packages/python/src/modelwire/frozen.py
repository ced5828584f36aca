"""Read-only results (docs/semantics.md, "Results are read-only"): a prediction's ``result`` is
frozen once, when its answer is parsed — objects become read-only mappings
(``types.MappingProxyType``), arrays tuples — so the cache and a coalesced call can hand the same
object to every caller at no cost per caller, and no caller can change what the next one gets.
``plain_copy`` gives a caller its own mutable copy (``dict``/``list``), e.g. for ``json.dumps``.

Example::

    frozen = freeze({"label": "legit", "tags": ["a"]})
    frozen["tags"]                      # ('a',)
    frozen["label"] = "x"               # TypeError
    json.dumps(plain_copy(frozen))      # '{"label": "legit", "tags": ["a"]}'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any


def freeze(value: Any) -> Any:
    """``value`` (parsed JSON) with every object read-only and every array a tuple."""
    if isinstance(value, dict):
        return MappingProxyType({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(freeze(item) for item in value)
    return value


def plain_copy(value: Any) -> Any:
    """A mutable deep copy of a frozen value: mappings become ``dict``, tuples ``list``.

    Example: ``plain_copy(prediction.result)["label"] = "override"`` changes only the copy.
    """
    if isinstance(value, Mapping):
        return {key: plain_copy(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_copy(item) for item in value]
    return value
