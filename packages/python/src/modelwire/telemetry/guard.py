"""Nothing raw escapes from telemetry: a span processor, exporter or metric reader that raises
is logged and ignored; the call's outcome never changes.

Example::

    with guarded("ending the call span"):
        span.end()
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

_log = logging.getLogger("modelwire")


@contextlib.contextmanager
def guarded(what: str) -> Iterator[None]:
    """Run the block; an exception in it is logged (``modelwire`` logger) and swallowed."""
    try:
        yield
    except Exception:  # noqa: BLE001 - telemetry must never break a call
        _log.warning("modelwire telemetry failed while %s; ignoring", what, exc_info=True)
