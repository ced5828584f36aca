"""Results are read-only (docs/semantics.md): a prediction's ``result`` is frozen once when it is
parsed, so the cache hands every caller the answer as the server sent it."""

from __future__ import annotations

import json
from typing import Any

import pytest

import modelwire

from .helpers import Script, make_client, reply, success

PREDICT = "/models/fraud-score/predict"


def test_a_result_cannot_be_changed_and_the_cache_serves_the_original() -> None:
    script = Script().on(PREDICT, reply(200, success({"label": "legit", "tags": [{"a": 1}]})))
    with make_client(script) as client:
        first = client.predict("fraud-score", {"amount": 1})
        with pytest.raises(TypeError):
            first.result["label"] = "TAMPERED"  # type: ignore[index]
        with pytest.raises(TypeError):
            first.result["tags"][0]["a"] = 2
        again = client.predict("fraud-score", {"amount": 1})
    assert again.cached
    assert again.result["label"] == "legit"
    assert len(script.to(PREDICT)) == 1


def test_plain_copy_is_the_callers_own_mutable_json() -> None:
    result = _result_of({"label": "legit", "tags": [{"a": 1}]})
    mine = modelwire.plain_copy(result)
    mine["tags"][0]["a"] = 2
    assert json.loads(json.dumps(mine)) == {"label": "legit", "tags": [{"a": 2}]}
    assert result["tags"][0]["a"] == 1


def _result_of(raw: dict[str, Any]) -> Any:
    script = Script().on(PREDICT, reply(200, success(raw)))
    with make_client(script, cache=False) as client:
        return client.predict("fraud-score", {"amount": 1}).result
