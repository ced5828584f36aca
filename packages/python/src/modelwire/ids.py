"""Random identifiers (request ids, idempotency keys, trace and span ids) from the OS's
cryptographic generator, read in blocks: one ``os.urandom`` per 256 ids of 16 bytes instead of
one system call per id (a call's ids cost four system calls otherwise, which dominated a call's
CPU where system calls are slow). Thread-safe; a forked child starts with a fresh block, so it
never repeats its parent's ids.

Example::

    uuid4()      # 'f47ac10b-58cc-4372-a567-0e02b2c3d479'
    hex_id(8)    # '00f067aa0ba902b7' (a span id)
"""

from __future__ import annotations

import os
import threading

_BLOCK = 4096
_lock = threading.Lock()
_block = b""
_used = 0


def _fresh() -> None:
    global _block, _used
    _block, _used = b"", 0


os.register_at_fork(after_in_child=_fresh)


def random_bytes(n: int) -> bytes:
    """``n`` (at most 4096) bytes from the OS's cryptographic generator, never handed out twice.

    Example: ``len(random_bytes(16)) == 16``
    """
    global _block, _used
    with _lock:
        if _used + n > len(_block):
            _block, _used = os.urandom(_BLOCK), 0
        start = _used
        _used = start + n
        return _block[start : start + n]


def uuid4() -> str:
    """A UUID version 4 (random), as its usual string.

    Example: ``uuid.UUID(uuid4()).version == 4`` (the same text as ``str(uuid.UUID(...))``)
    """
    raw = bytearray(random_bytes(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def hex_id(n: int) -> str:
    """``n`` random bytes as lowercase hex (``hex_id(16)``: a trace id, ``hex_id(8)``: a span id).

    Example: ``len(hex_id(8)) == 16``
    """
    return random_bytes(n).hex()
