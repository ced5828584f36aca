"""The C-encoder fast path of ``canonical_json`` never writes a different text than the exact
RFC 8785 writer: it answers None (exact writer) whenever the texts could differ."""

from __future__ import annotations

import random
from typing import Any

import pytest

from modelwire.canonical import _write, c_canonical

TRICKY: list[Any] = [
    1.0, -0.0, 0.0, 1e21, 1e-7, 1e16, 123456789012345678, 2**53, 2**53 + 1, -(2**60), 0.1,
    1.5, 1e-5, 0.0001, 123.456, "\ud800", "😀", "é", "\u2028", "\x00\x1f", "a\"b\\c", True,
    False, None, [], {}, (1, 2), {"😀": 1, "\uffff": 2}, {1: "int key"}, {"b": 1, "a": 2},
]  # fmt: skip


def exact(value: Any) -> str:
    out: list[str] = []
    _write(value, out, 100)
    return "".join(out)


def random_value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.random()
    if depth < 3 and pick < 0.25:
        return {rng.choice(["a", "b", "é", "😀", "z1", "\uffff"]): random_value(rng, depth + 1)
                for _ in range(rng.randint(0, 4))}  # fmt: skip
    if depth < 3 and pick < 0.4:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if pick < 0.55:
        return rng.choice(TRICKY)
    if pick < 0.7:
        return rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-12, 22)
    if pick < 0.85:
        return rng.randint(-(2**62), 2**62) // 10 ** rng.randint(0, 18)
    return "".join(rng.choice(["x", "1.0,", "e+", "\n", "é"]) for _ in range(rng.randint(0, 5)))


@pytest.mark.parametrize("value", TRICKY, ids=[repr(v) for v in TRICKY])
def test_tricky_values_take_the_exact_writer_or_agree(value: Any) -> None:
    fast = c_canonical({"v": value}, 100)
    assert fast is None or fast == exact({"v": value})


def test_random_values_agree_with_the_exact_writer() -> None:
    rng = random.Random(14)
    taken = 0
    for _ in range(3000):
        value = {"k": random_value(rng), "n": random_value(rng)}
        fast = c_canonical(value, 100)
        if fast is not None:
            taken += 1
            assert fast == exact(value), value
    assert taken > 300  # the fast path is really exercised


def test_the_fast_path_takes_an_ordinary_input() -> None:
    value = {"amount": 129.5, "features": [0.001, 0.25], "merchant": {"id": "m-1"}, "n": 3}
    assert c_canonical(value, 100) == exact(value)
    assert c_canonical({"a": {"b": {}}}, 2) is None  # too deep for the count: exact writer
