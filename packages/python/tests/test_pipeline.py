"""The pipeline is the composition of its stages, in the one declared order."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from modelwire import PIPELINE, AsyncClient, Client, InvalidInputError, RetryOptions
from modelwire.call import CallContext, CallOutcome, Flow, Step, Target
from modelwire.events import Event
from modelwire.pipeline import OPERATION_STAGES, STEPS, compose
from modelwire.stages import Stage

from .helpers import BASE, Script, error, make_client, reply


def _recording(name: str, seen: list[str]) -> Stage:
    def run(ctx: CallContext, target: Target, next: Step) -> Flow:  # noqa: A002
        seen.append(name)
        if name == "send":
            return CallOutcome(name, attempts=1, size=0)
        yield from ()
        return (yield from next(ctx, target))

    return Stage(name, run)


def _drive(flow: Flow) -> Any:
    try:
        next(flow)
    except StopIteration as stop:
        return stop.value
    raise AssertionError("the recording stages yield no effect")


def test_compose_runs_the_stages_outermost_first() -> None:
    seen: list[str] = []
    step = compose([_recording(stage.name, seen) for stage in PIPELINE])
    outcome = _drive(step(None, None))  # type: ignore[arg-type]
    assert outcome.value == "send"
    assert seen == [stage.name for stage in PIPELINE]
    assert seen[0] == "cache" and seen[-1] == "send"


def test_compose_refuses_another_order() -> None:
    swapped = [PIPELINE[1], PIPELINE[0], *PIPELINE[2:]]
    with pytest.raises(ValueError, match="out of order"):
        compose(swapped)
    with pytest.raises(ValueError, match="out of order"):
        compose(PIPELINE[:-1])  # no send at the end


def test_every_operation_runs_a_subsequence_of_the_pipeline() -> None:
    assert OPERATION_STAGES["predict"] is PIPELINE
    for kind, stages in OPERATION_STAGES.items():
        positions = [PIPELINE.index(stage) for stage in stages]
        assert positions == sorted(positions), kind
        assert kind in STEPS


def test_a_prediction_goes_through_every_stage_in_order() -> None:
    """cache (miss) → fallback → retry → breaker → send, as the events of one call show."""
    events: list[Event] = []
    script = (
        Script()
        .on("/models/fraud-score/predict", reply(503, error("MODEL_UNAVAILABLE")))
        .on("/models/fraud-score-backup/predict", reply(200))
    )
    retry = RetryOptions(max_retries=1, jitter="none", budget=None)
    client: Client = make_client(
        script, retry=retry, fallbacks={"fraud-score": "fraud-score-backup"}, on_event=events.append
    )
    p = client.predict("fraud-score", {"amount": 1})
    assert p.fallback is not None and p.attempts == 3
    assert [e.type for e in events] == [
        "cache_miss",
        "request",
        "response",
        "retry",
        "request",
        "response",
        "fallback",
        "request",
        "response",
        "call_end",
    ]
    assert events[-1].outcome == "ok" and events[-1].fallback == "fraud-score-backup"
    assert [e.attempt for e in events if e.type == "request"] == [1, 2, 3]
    second = client.predict("fraud-score", {"amount": 1})  # the backup's answer is not cached
    assert second.cached is False


def test_a_model_name_outside_the_contract_pattern_is_refused_before_sending() -> None:
    script = Script().on("/models/fraud-score/predict", reply(200))
    client = make_client(script)
    with pytest.raises(InvalidInputError) as info:
        client.predict("Fraud Score", {"amount": 1})
    assert info.value.code == "INVALID_INPUT"
    with pytest.raises(InvalidInputError):
        client.get_job("../admin", "j-1")
    assert script.requests == []


def test_timeouts_and_resets_are_request_errors_then_retries() -> None:
    events: list[Event] = []
    script = Script().on(
        "/models/fraud-score/predict",
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("reset"),
        reply(200),
    )
    client = make_client(script, cache=False, on_event=events.append)
    assert client.predict("fraud-score", {"amount": 1}).attempts == 3
    seen = [(e.type, e.attempt, e.error_code) for e in events]
    assert seen == [
        ("request", 1, None),
        ("request_error", 1, "TIMEOUT"),
        ("retry", 1, "TIMEOUT"),
        ("request", 2, None),
        ("request_error", 2, "CONNECTION_ERROR"),
        ("retry", 2, "CONNECTION_ERROR"),
        ("request", 3, None),
        ("response", 3, None),
        ("call_end", None, None),
    ]
    assert events[0].method == "POST" and events[0].path == "/models/fraud-score/predict"


def test_a_cancelled_task_reports_aborted_before_the_cancellation_propagates() -> None:
    events: list[Event] = []

    async def main() -> None:
        started = asyncio.Event()

        async def slow(request: httpx.Request) -> httpx.Response:
            started.set()
            await asyncio.sleep(10)
            return reply(200)

        async with AsyncClient(
            BASE, transport=httpx.MockTransport(slow), cache=False, on_event=events.append
        ) as client:
            task = asyncio.create_task(client.predict("fraud-score", {"amount": 1}))
            await started.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert client.breaker_state("fraud-score") == "closed"

    asyncio.run(main())
    assert [(e.type, e.error_code) for e in events] == [
        ("request", None),
        ("request_error", "ABORTED"),
        ("call_end", None),
    ]
    assert events[-1].outcome == "ABORTED" and events[-1].attempts == 1
