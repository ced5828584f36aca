"""One API shape (docs/semantics.md): the typed feedback receipt, ``model_health`` next to the
gateway's ``health`` (``health(model)`` deprecated), a job whose ``result`` is read-only, and
unknown enum values passing through — with ``Client`` and ``AsyncClient`` alike."""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

import httpx
import pytest

import modelwire
from modelwire import AsyncClient, FeedbackReceipt, Job, JobError, RetryOptions
from modelwire.testing import FakeClock

from .helpers import BASE, Script, make_client, reply

FEEDBACK = "/models/fraud-score/feedback"
MODEL_HEALTH = "/models/fraud-score/health"
GATEWAY_HEALTH = "/health/ready"
INFO = "/models/fraud-score/info"
JOB = "/models/fraud-score/jobs/job-1"
PRIVATE = "PII-4111-1111-1111-1111"  # stands for personal data in an answer


def _ok(result: Any, code: str = "OK") -> dict[str, Any]:
    return {
        "status": "success",
        "code": code,
        "message": "m",
        "request_id": "srv-rid",
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        "result": result,
    }


def _async_client(script: Script) -> AsyncClient:
    return AsyncClient(
        BASE,
        transport=httpx.MockTransport(script.ahandler),
        clock=FakeClock(),
        retry=RetryOptions(jitter="none", budget=None),
    )


MODEL_HEALTH_ANSWER = {
    "model": "fraud-score",
    "state": "draining",
    "versions": [{"version": "1", "state": "ready"}, {"version": "2", "state": "warming_up"}],
}

JOB_ANSWER = {
    "job_id": "job-1",
    "model": "fraud-score",
    "version": "2",
    "state": "succeeded",
    "request_id": "r-1",
    "created_at": "2026-12-01T10:00:00Z",
    "updated_at": "2026-12-01T10:00:05Z",
    "result": {"label": "legit", "confidence": 0.9, "tags": [{"a": 1}], "extra": "kept"},
}


# ------------------------------------------------------------------------------------ feedback
def test_feedback_returns_a_frozen_typed_receipt_and_ignores_unknown_fields() -> None:
    receipt_json = {"feedback_id": "fb-42", "accepted": True, "queued_for": "retraining"}
    script = Script().on(FEEDBACK, reply(202, _ok(receipt_json, "ACCEPTED")))
    with make_client(script) as client:
        receipt = client.feedback("fraud-score", "r-1", outcome="chargeback", score=0.25)
    assert receipt == FeedbackReceipt(feedback_id="fb-42", accepted=True)
    assert type(receipt) is FeedbackReceipt
    assert not hasattr(receipt, "__dict__")  # slots: unknown fields have nowhere to go
    with pytest.raises(dataclasses.FrozenInstanceError):
        receipt.accepted = False  # type: ignore[misc]
    assert script.bodies(FEEDBACK) == [
        {"request_id": "r-1", "outcome": "chargeback", "score": 0.25}
    ]


async def test_async_feedback_returns_the_same_receipt() -> None:
    script = Script().on(FEEDBACK, reply(202, _ok({"feedback_id": "fb-7", "accepted": False})))
    async with _async_client(script) as client:
        receipt = await client.feedback("fraud-score", "r-1", label="fraud", comment="checked")
    assert receipt == FeedbackReceipt("fb-7", False)
    assert script.bodies(FEEDBACK) == [
        {"request_id": "r-1", "label": "fraud", "comment": "checked"}
    ]


@pytest.mark.parametrize(
    ("result", "names"),
    [
        ({"accepted": True, "note": PRIVATE}, "result.feedback_id missing"),
        ({"feedback_id": PRIVATE}, "result.accepted missing"),
        ({}, "result.accepted missing, result.feedback_id missing"),
    ],
)
def test_a_receipt_without_its_fields_is_a_one_line_malformed_response(
    result: dict[str, Any], names: str
) -> None:
    script = Script().on(FEEDBACK, reply(202, _ok(result, "ACCEPTED")))
    with make_client(script) as client, pytest.raises(modelwire.MalformedResponseError) as raised:
        client.feedback("fraud-score", "r-1", label="fraud")
    message = str(raised.value)
    assert names in message
    assert "\n" not in message
    assert PRIVATE not in message


# -------------------------------------------------------------------------------------- health
def test_model_health_and_gateway_health_are_two_calls() -> None:
    script = Script()
    script.on(MODEL_HEALTH, reply(200, _ok(MODEL_HEALTH_ANSWER)))
    script.on(GATEWAY_HEALTH, reply(200, _ok({"state": "ok"})))
    with make_client(script) as client, warnings.catch_warnings():
        warnings.simplefilter("error")  # neither call is deprecated
        model = client.model_health("fraud-score")
        gateway = client.health()
    assert (model.model, model.state) == ("fraud-score", "draining")
    assert [(v.version, v.state) for v in model.versions] == [("1", "ready"), ("2", "warming_up")]
    assert gateway.state == "ok"
    assert (len(script.to(MODEL_HEALTH)), len(script.to(GATEWAY_HEALTH))) == (1, 1)


def test_health_of_a_model_still_works_but_is_deprecated() -> None:
    script = Script().on(MODEL_HEALTH, reply(200, _ok(MODEL_HEALTH_ANSWER)))
    with make_client(script) as client, pytest.warns(DeprecationWarning, match="model_health"):
        answer = client.health("fraud-score")
    assert answer.model == "fraud-score"
    assert len(script.to(MODEL_HEALTH)) == 1


async def test_async_model_health_and_the_deprecated_alias() -> None:
    script = Script()
    script.on(MODEL_HEALTH, reply(200, _ok(MODEL_HEALTH_ANSWER)))
    script.on(GATEWAY_HEALTH, reply(200, _ok({"state": "degraded"})))
    async with _async_client(script) as client:
        assert (await client.model_health("fraud-score")).state == "draining"
        assert (await client.health()).state == "degraded"  # an unknown state passes through
        with pytest.warns(DeprecationWarning, match="model_health"):
            assert (await client.health("fraud-score")).versions[1].state == "warming_up"
    assert len(script.to(MODEL_HEALTH)) == 2


# ----------------------------------------------------------------------------------------- jobs
def test_a_jobs_result_is_read_only_and_plain_copy_gives_a_mutable_one() -> None:
    script = Script().on(JOB, reply(200, _ok(JOB_ANSWER)))
    with make_client(script) as client:
        job = client.get_job("fraud-score", "job-1")
    assert isinstance(job, Job)
    assert (job.job_id, job.model, job.version, job.state) == (
        "job-1",
        "fraud-score",
        "2",
        "succeeded",
    )
    assert job.request_id == "r-1"
    assert job.updated_at.isoformat() == "2026-12-01T10:00:05+00:00"
    assert job.error is None
    assert job.result is not None
    assert job.result["label"] == "legit"
    assert job.result["extra"] == "kept"  # unknown fields of the result pass through
    with pytest.raises(TypeError):
        job.result["label"] = "TAMPERED"  # type: ignore[index]
    with pytest.raises(TypeError):
        job.result["tags"][0]["a"] = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        job.state = "canceled"  # type: ignore[misc]
    mine = modelwire.plain_copy(job.result)
    mine["tags"][0]["a"] = 2
    assert job.result["tags"][0]["a"] == 1


async def test_async_jobs_are_read_only_too_and_carry_their_error() -> None:
    failed = {**JOB_ANSWER, "state": "failed", "result": None}
    failed["error"] = {"code": "MODEL_ERROR", "message": "the model crashed"}
    script = Script().on(JOB, reply(200, _ok(failed)))
    async with _async_client(script) as client:
        job = await client.cancel_job("fraud-score", "job-1")
    assert job.result is None
    assert job.error == JobError(code="MODEL_ERROR", message="the model crashed")


def test_a_job_result_breaking_the_contract_is_still_refused() -> None:
    bad = {**JOB_ANSWER, "result": {"label": "x", "confidence": 7}}
    script = Script().on(JOB, reply(200, _ok(bad)))
    with make_client(script) as client, pytest.raises(modelwire.MalformedResponseError) as raised:
        client.get_job("fraud-score", "job-1")
    assert "result.result.confidence" in str(raised.value)


# ------------------------------------------------------------------------- unknown enum values
def test_model_info_keeps_version_states_it_does_not_know() -> None:
    info = {
        "name": "fraud-score",
        "default_version": "2",
        "versions": [
            {"version": "1", "state": "ready", "sha256": "0" * 64},
            {"version": "2", "state": "shadow", "sha256": "1" * 64},
        ],
        "traffic": [{"version": "2", "weight": 100}],
        "input_schema": {"type": "object"},
        "output_schema": {"type": "object"},
        "thresholds": {"min_confidence": 0.6},
    }
    script = Script().on(INFO, reply(200, _ok(info)))
    with make_client(script) as client:
        answer = client.model_info("fraud-score")
    assert [v.state for v in answer.versions] == ["ready", "shadow"]
    assert answer.thresholds.min_confidence == 0.6


@pytest.mark.parametrize("state", ["paused", "archived"])
def test_wait_for_job_returns_a_final_job_and_passes_unknown_states_of_polls(state: str) -> None:
    script = Script().on(
        JOB,
        reply(200, _ok({**JOB_ANSWER, "state": state, "result": None})),
        reply(200, _ok(JOB_ANSWER)),
    )
    clock = FakeClock()
    with make_client(script, clock) as client:
        job = client.wait_for_job("fraud-score", "job-1")
    assert job.state == "succeeded"
    assert len(script.to(JOB)) == 2  # an unknown state is not final: polled again
    assert clock.sleeps == [0.25]
