"""The typed receipt of ``feedback`` (docs/semantics.md, "One API shape").

Example::

    receipt = client.feedback("fraud-score", p.request_id, label="fraud", score=1.0)
    receipt.feedback_id, receipt.accepted          # ("fb-42", True)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FeedbackReceipt:
    """What the gateway says about one piece of feedback: its id and whether it was accepted.
    Fields of the answer this SDK does not know are ignored (tolerant reader).

    Example: ``FeedbackReceipt(feedback_id="fb-42", accepted=True)``
    """

    feedback_id: str
    """The gateway's id of the recorded feedback."""
    accepted: bool
    """Whether the gateway accepted the feedback."""
