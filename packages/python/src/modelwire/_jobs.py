"""Polling a job until it reaches a final state: the delays and the deadline, used by
``ClientCore.wait_for_job`` (a generator of effects, as every call).

Private. Example::

    poll = JobPoll(clock, job_id, timeout_ms=60_000, poll_initial_ms=None, poll_max_ms=None)
    while not poll.finished(job := (yield from core.job("GET", model, job_id))):
        yield Sleep(poll.next_delay())
"""

from __future__ import annotations

from .clock import Clock
from .errors import DeadlineExceededError
from .generated.policy import DEFAULT_POLICY, FINAL_JOB_STATES
from .job import Job


class JobPoll:
    """Backoff between polls (from the contract's ``jobs`` policy unless overridden) and the
    overall ``timeout_ms`` of the wait (None waits as long as it takes).

    Example: ``JobPoll(SYSTEM_CLOCK, "j-1", None, 100, 1000).next_delay() == 0.1``
    """

    def __init__(
        self,
        clock: Clock,
        job_id: str,
        timeout_ms: float | None,
        poll_initial_ms: float | None,
        poll_max_ms: float | None,
    ) -> None:
        jobs = DEFAULT_POLICY.jobs
        self._clock = clock
        self._job_id = job_id
        self._timeout_ms = timeout_ms
        self._delay = (
            poll_initial_ms if poll_initial_ms is not None else jobs.poll_initial_ms
        ) / 1000
        self._max_delay = (poll_max_ms if poll_max_ms is not None else jobs.poll_max_ms) / 1000
        self._multiplier = jobs.poll_multiplier
        self._deadline = clock.monotonic() + timeout_ms / 1000 if timeout_ms is not None else None

    def finished(self, job: Job) -> bool:
        """True when ``job`` is final; raises ``DeadlineExceededError`` when the next poll would
        come after the wait's deadline."""
        if job.state in FINAL_JOB_STATES:
            return True
        if self._deadline is not None and self._clock.monotonic() + self._delay > self._deadline:
            raise DeadlineExceededError(
                f"job {self._job_id} is still {job.state} after {self._timeout_ms} ms; "
                "raise timeout_ms"
            )
        return False

    def next_delay(self) -> float:
        """Seconds to wait before the next poll (then the delay grows, up to its maximum)."""
        delay = self._delay
        self._delay = min(self._max_delay, delay * self._multiplier)
        return delay
