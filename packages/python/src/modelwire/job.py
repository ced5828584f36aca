"""The typed job returned by ``submit_job``, ``get_job``, ``cancel_job`` and ``wait_for_job``.

A hand-written frozen dataclass with the attribute names of the contract's ``Job``, so a job is
read-only as a prediction is (docs/semantics.md, "Results are read-only"): its ``result`` is a
read-only mapping (arrays are tuples; ``modelwire.plain_copy(job.result)`` is a mutable copy) and
its ``state`` is a string that may be one this SDK does not know yet (tolerant reader).

Example::

    job = client.wait_for_job("fraud-score", job.job_id, timeout_ms=60_000)
    if job.state == "succeeded":
        print(job.result["label"])
    elif job.error is not None:
        print(job.error.code, job.error.message)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class JobError:
    """Why a job failed, as the gateway reports it.

    Example: ``JobError(code="MODEL_ERROR", message="the model crashed")``
    """

    code: str
    """The error code, e.g. ``MODEL_ERROR``."""
    message: str
    """A one-line description."""


@dataclass(frozen=True, slots=True)
class Job:
    """One asynchronous prediction job.

    ``state`` is ``queued``, ``running``, ``succeeded``, ``failed``, ``canceled``, ``expired`` or a
    state a newer gateway added (passed through as is). ``result`` (read-only) is the model's output
    once the job succeeded, else None; ``error`` says why it failed.

    Example::

        job = client.get_job("fraud-score", "job-1")
        job.job_id, job.state, job.created_at.isoformat()
    """

    job_id: str
    """The job's id, for ``get_job`` / ``cancel_job`` / ``wait_for_job``."""
    model: str
    """The model the job runs."""
    version: str | None
    """The model version, when the gateway reports one."""
    state: str
    """``queued``, ``running``, ``succeeded``, ``failed``, ``canceled``, ``expired`` or newer."""
    request_id: str
    """The request id of the submission."""
    created_at: datetime
    """When the job was accepted."""
    updated_at: datetime
    """When the job last changed."""
    result: Mapping[str, Any] | None = None
    """The model's output (read-only) once the job succeeded, else None."""
    error: JobError | None = None
    """Why the job failed, else None."""
