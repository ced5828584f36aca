"""Retry building blocks: backoff delay, ``Retry-After`` parsing and the per-client retry budget.

The retry *loop* is the retry stage (``stages/retry.py``), composed in ``pipeline.py``. ``tenacity``
is not used: its loop cannot see the breaker, the budget, ``Retry-After`` caps and the total
deadline together without wrapping each in callbacks, and it would add a second retry owner.

Example::

    backoff_delay_ms(2, initial_ms=100, multiplier=2, max_ms=2000, jitter="none")  # 200.0
    parse_retry_after("3", now=time.time())  # 3000.0
"""

from __future__ import annotations

import random
import threading
from email.utils import parsedate_to_datetime


def backoff_delay_ms(
    retry_number: int,
    *,
    initial_ms: float,
    multiplier: float,
    max_ms: float,
    jitter: str,
    rng: random.Random | None = None,
) -> float:
    """Delay before retry ``retry_number`` (1-based): capped exponential, full jitter or none.

    Example: ``backoff_delay_ms(1, initial_ms=100, multiplier=2, max_ms=2000, jitter="none")``
    """
    ceiling = min(max_ms, initial_ms * multiplier ** (retry_number - 1))
    if jitter == "full":
        return (rng or random).uniform(0, ceiling)
    return float(ceiling)


#: The largest delay-seconds taken as is; any larger value means this many (RFC 9111 §1.2.2).
MAX_DELAY_SECONDS = 2**31

_ASCII_DIGITS = frozenset("0123456789")


def delay_seconds(text: str) -> int | None:
    """``text`` as delay-seconds (``1*DIGIT``, ASCII digits only), capped at 2^31; None when it
    is not one (``str.isdigit`` would accept fullwidth and Arabic-Indic digits: not DIGIT).

    Example: ``delay_seconds("99999999999999999999") == 2**31``;
    ``delay_seconds("\\uff15") is None`` (fullwidth five)
    """
    if not text or not _ASCII_DIGITS.issuperset(text):
        return None
    # Only the length matters past 2^31 (11+ digits): never build a huge int from a header.
    if len(text.lstrip("0")) > 10:
        return MAX_DELAY_SECONDS
    return min(int(text), MAX_DELAY_SECONDS)


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """``Retry-After`` in milliseconds: delay-seconds (ASCII digits only, capped at 2^31 s) or
    an HTTP date relative to ``now`` (a past date gives 0). Negative, decimal, empty or
    unparsable values give None (the backoff applies).

    Example: ``parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10000.0``
    """
    if value is None:
        return None
    # HTTP whitespace only (SP, HTAB): str.strip() would also drop Unicode spaces.
    text = value.strip(" \t")
    if not text:
        return None
    seconds = delay_seconds(text)
    if seconds is not None:
        return seconds * 1000.0  # no sign, no decimals, no unit
    # A value starting like a number (non-ASCII digits too) is not an HTTP date either.
    if text[0].isdigit() or text[0] in "+-.":
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, (when.timestamp() - now) * 1000.0)


class RetryBudget:
    """Token bucket that stops retry storms: retries cost tokens, successes refill them.

    Example::

        budget = RetryBudget(max_tokens=10, retry_cost=1, success_refill=0.1)
        if budget.try_spend():
            ...  # retry
        budget.refill()  # after a successful attempt
    """

    def __init__(self, *, max_tokens: float, retry_cost: float, success_refill: float) -> None:
        self._max = max_tokens
        self._cost = retry_cost
        self._refill = success_refill
        self._tokens = float(max_tokens)
        self._lock = threading.Lock()

    @property
    def tokens(self) -> float:
        """Tokens left."""
        with self._lock:
            return self._tokens

    def try_spend(self) -> bool:
        """Take ``retry_cost`` tokens if the bucket holds that many; return whether it did."""
        with self._lock:
            if self._tokens + 1e-9 < self._cost:
                return False
            self._tokens -= self._cost
            return True

    def refill(self) -> None:
        """Add ``success_refill`` tokens (capped at ``max_tokens``)."""
        with self._lock:
            self._tokens = min(self._max, self._tokens + self._refill)
