"""AsyncClient twin behaviour, jobs, feedback, discovery, webhooks, and generated-code drift."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

import modelwire
from modelwire import AsyncClient, RetryOptions
from modelwire.testing import FakeClock

from .conftest import REPO
from .helpers import BASE, Script, error, make_client, reply

PREDICT = "/models/fraud-score/predict"


def _job(state: str, result: dict[str, Any] | None = None) -> dict[str, Any]:
    job: dict[str, Any] = {
        "job_id": "job_1",
        "model": "fraud-score",
        "state": state,
        "request_id": "r",
        "created_at": "2026-11-24T10:00:00Z",
        "updated_at": "2026-11-24T10:00:00Z",
    }
    if result:
        job["result"] = result
    return {
        "status": "success",
        "code": "OK",
        "message": state,
        "request_id": "r",
        "trace_id": "t",
        "result": job,
    }


def async_client(script: Script, clock: FakeClock | None = None, **options: Any) -> AsyncClient:
    options.setdefault("retry", RetryOptions(jitter="none", budget=None))
    return AsyncClient(
        BASE, transport=httpx.MockTransport(script.ahandler), clock=clock or FakeClock(), **options
    )


async def test_async_retry_fallback_and_cache() -> None:
    script = Script().on(PREDICT, reply(503)).on("/models/fraud-score-backup/predict", reply(200))
    clock = FakeClock()
    async with async_client(
        script, clock, fallbacks={"fraud-score": "fraud-score-backup"}
    ) as client:
        p = await client.predict("fraud-score", {"a": 1})
        assert p.fallback is not None and p.fallback.reason == "retries_exhausted"
        assert clock.sleeps == [0.1, 0.2]
        script.on(PREDICT, reply(200))
        first = await client.predict("fraud-score", {"a": 2})
        hit = await client.predict("fraud-score", {"a": 2})
        assert (first.cached, hit.cached) == (False, True)


async def test_async_errors_are_typed() -> None:
    script = Script().on(
        PREDICT, reply(422, error("VALIDATION_FAILED", errors=[{"field": "/a", "message": "m"}]))
    )
    async with async_client(script) as client:
        with pytest.raises(modelwire.ValidationError) as info:
            await client.predict("fraud-score", {"a": 1})
    assert info.value.errors[0].field == "/a"


async def test_async_jobs_lifecycle() -> None:
    script = Script()
    script.routes["/models/fraud-score/jobs"] = [httpx.Response(202, json=_job("queued"))]
    script.routes["/models/fraud-score/jobs/job_1"] = [
        reply(200, _job("running")),
        reply(200, _job("succeeded", {"label": "legit"})),
    ]
    clock = FakeClock()
    async with async_client(script, clock) as client:
        job = await client.submit_job("fraud-score", {"a": 1}, callback_url="https://hooks.test/x")
        done = await client.wait_for_job("fraud-score", job.job_id)
    assert done.state == "succeeded"
    assert done.result is not None and done.result["label"] == "legit"
    assert clock.sleeps == [0.25]  # poll_initial_ms from the contract
    body = script.bodies("/models/fraud-score/jobs")[0]
    assert body["callback_url"] == "https://hooks.test/x"
    assert "idempotency-key" in script.to("/models/fraud-score/jobs")[0].headers


def test_sync_jobs_cancel_conflict_and_wait_timeout() -> None:
    script = Script()
    script.routes["/models/fraud-score/jobs/job_1"] = [reply(409, error("CONFLICT"))]
    with make_client(script) as client, pytest.raises(modelwire.ConflictError):
        client.cancel_job("fraud-score", "job_1")
    script.routes["/models/fraud-score/jobs/job_1"] = [reply(200, _job("running"))]
    with make_client(script) as client, pytest.raises(modelwire.DeadlineExceededError):
        client.wait_for_job("fraud-score", "job_1", timeout_ms=1000)


def test_feedback_models_and_health() -> None:
    ok = {
        "status": "success",
        "code": "ACCEPTED",
        "message": "m",
        "request_id": "r",
        "trace_id": "t",
    }
    script = Script()
    script.routes["/models/fraud-score/feedback"] = [
        httpx.Response(202, json={**ok, "result": {"feedback_id": "fb", "accepted": True}})
    ]
    script.routes["/models"] = [
        reply(
            200,
            {
                **ok,
                "code": "OK",
                "result": {
                    "models": [
                        {"name": "fraud-score", "default_version": "2", "versions": ["1", "2"]}
                    ]
                },
            },
        )
    ]
    script.routes["/health/ready"] = [reply(200, {**ok, "code": "OK", "result": {"state": "ok"}})]
    with make_client(script) as client:
        assert client.feedback("fraud-score", "r-1", label="fraud", score=1).accepted is True
        assert [m.name for m in client.list_models()] == ["fraud-score"]
        assert client.health().state == "ok"
    fb = script.bodies("/models/fraud-score/feedback")[0]
    assert fb == {"request_id": "r-1", "label": "fraud", "score": 1}


def test_webhook_sign_and_verify_roundtrip() -> None:
    body = b'{"status":"success"}'
    header = modelwire.sign_webhook(body, "whsec", 1_764_000_000)
    with pytest.raises(modelwire.WebhookVerificationError) as far:  # now is far away
        modelwire.Client.verify_webhook(body, {"X-Modelwire-Signature": header}, "whsec")
    assert far.value.reason == "timestamp_out_of_tolerance"
    assert modelwire.verify_webhook(body, header, "whsec", now=1_764_000_100) == {
        "status": "success"
    }
    with pytest.raises(modelwire.WebhookVerificationError) as tampered:
        modelwire.verify_webhook(body + b" ", header, "whsec", now=1_764_000_100)
    assert tampered.value.reason == "signature_mismatch"


def test_defaults_come_from_the_contract() -> None:
    import yaml

    policy = yaml.safe_load((REPO / "openapi" / "modelwire.yaml").read_text())["x-modelwire-policy"]
    assert RetryOptions().max_retries == policy["retry"]["max_retries"]
    assert modelwire.CacheOptions().ttl_ms == policy["cache"]["ttl_ms"]
    assert (
        modelwire.BreakerOptions().consecutive_failures == policy["breaker"]["consecutive_failures"]
    )


def test_generated_code_does_not_drift(tmp_path: Path) -> None:
    script = REPO / "scripts" / "generate-python.py"
    subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True
    )
    committed = REPO / "packages" / "python" / "src" / "modelwire" / "generated"
    for generated in sorted(tmp_path.iterdir()):
        assert generated.read_text() == (committed / generated.name).read_text(), (
            f"{generated.name} drifted from openapi/modelwire.yaml: run scripts/generate-python.py"
        )
    assert {p.name for p in tmp_path.iterdir()} == {"__init__.py", "models.py", "policy.py"}


def test_model_names_and_final_job_states_come_from_the_contract() -> None:
    import yaml

    from modelwire.generated.policy import FINAL_JOB_STATES, MODEL_NAME_PATTERN

    spec = yaml.safe_load((REPO / "openapi" / "modelwire.yaml").read_text())
    components = spec["components"]
    assert components["parameters"]["Model"]["schema"]["pattern"] == MODEL_NAME_PATTERN
    assert set(components["schemas"]["JobState"]["x-final-states"]) == FINAL_JOB_STATES
