"""modelwire quickstart: the same prediction with the blocking and the asyncio client.

Start the mock model gateway first (after the TS build), then run this file::

    node packages/mock-server/dist/cli.js --port 4010 &
    packages/python/.venv/bin/python examples/python/quickstart.py http://127.0.0.1:4010/v1
"""

from __future__ import annotations

import asyncio
import sys

import modelwire
from modelwire import AsyncClient, Client, Event

DATA = {"amount": 129.5, "country": "FR", "card_present": False}


def log_event(event: Event) -> None:
    """Events carry latency and outcome, never tokens or inputs: plug in your metrics here."""
    if event.type in ("retry", "fallback", "breaker_open"):
        print(f"  event: {event.type} model={event.model} attempt={event.attempt}")


def sync_demo(base_url: str) -> None:
    with Client(
        base_url,
        fallbacks={"fraud-score": "fraud-score-backup"},
        on_event=log_event,
    ) as client:
        print("models:", [m.name for m in client.list_models()])
        p = client.predict("fraud-score", DATA)
        result = modelwire.plain_copy(p.result)  # results are read-only; this copy is yours
        print(f"sync:  {result} confidence={p.confidence} model={p.model.version}")
        again = client.predict("fraud-score", DATA)
        print(f"sync:  second call cached={again.cached} attempts={again.attempts}")
        try:
            client.predict("no-such-model", DATA)
        except modelwire.NotFoundError as err:
            print(f"sync:  {err.kind} error {err.code} (request {err.request_id})")


async def async_demo(base_url: str) -> None:
    async with AsyncClient(base_url, on_event=log_event) as client:
        # 10 identical concurrent calls share one upstream request (coalescing).
        results = await asyncio.gather(*(client.predict("fraud-score", DATA) for _ in range(10)))
        print(f"async: {len(results)} answers, request ids {len({r.request_id for r in results})}")
        job = await client.submit_job("fraud-score", DATA)
        done = await client.wait_for_job("fraud-score", job.job_id, timeout_ms=10_000)
        print(f"async: job {done.job_id} {done.state}")


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:4010/v1"
    sync_demo(url)
    asyncio.run(async_demo(url))
