"""The tolerant reader and its one-line errors (docs/semantics.md, "Answers the SDKs refuse" and
"Errors"): ``code`` and unknown values pass; a refused answer's message names what was wrong
without quoting the body."""

from __future__ import annotations

from typing import Any

import pytest

import modelwire

from .helpers import Script, make_client, reply, success

PREDICT = "/models/fraud-score/predict"
PRIVATE = "PII-4111-1111-1111-1111"  # stands for personal data in an answer


def _predict(body: Any) -> modelwire.Prediction:
    script = Script().on(PREDICT, reply(200, body))
    with make_client(script, cache=False) as client:
        return client.predict("fraud-score", {"amount": 1})


def test_a_success_with_any_code_and_unknown_fields_is_read() -> None:
    body = {**success({"label": "legit", "extra": [1]}), "code": 200, "served_by": "gw-7"}
    del body["message"]
    prediction = _predict(body)
    assert prediction.result["label"] == "legit"
    assert prediction.result["extra"] == (1,)  # unknown fields pass through (read-only)


def test_a_job_in_a_state_this_sdk_does_not_know_passes_through() -> None:
    job = {
        "job_id": "job-1",
        "model": "fraud-score",
        "state": "paused",
        "request_id": "r-1",
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:01Z",
    }
    body = {**success(), "code": "ACCEPTED", "result": job}
    del body["model"]
    script = Script().on("/models/fraud-score/jobs/job-1", reply(200, body))
    with make_client(script) as client:
        state: str = client.get_job("fraud-score", "job-1").state
    assert state == "paused"


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({**success(), "status": "SUCCESS"}, 'status is not "success"'),
        ({**success(), "result": [PRIVATE]}, "result is not an object"),
        ({**success(), "model": {"name": PRIVATE, "version": 7}}, "model.version string_type"),
        (f'{{"status": "success", "result": {{"label": "{PRIVATE}"', "is not JSON"),
    ],
)
def test_a_refused_answer_says_what_is_wrong_in_one_line_without_its_content(
    body: Any, names: str
) -> None:
    with pytest.raises(modelwire.MalformedResponseError) as raised:
        _predict(body)
    message = str(raised.value)
    assert names in message
    assert "\n" not in message
    assert PRIVATE not in message
    assert raised.value.__cause__ is None  # a cause would carry the body's values
