"""Reading one answer's body under ``max_response_bytes``, the same for both twins: the twin's
I/O loop feeds the raw chunks (``iter_raw`` / ``aiter_raw``) to a ``BodyReader``, which decodes
them (the SDK asks for ``identity``; a server that compresses anyway is decoded here, bounded)
and counts the decoded bytes, stopping as soon as the count exceeds the limit
(docs/semantics.md, Response limits).

Example::

    reader = BodyReader(200, response.headers, 10_485_760)  # may raise RESPONSE_TOO_LARGE
    for chunk in response.iter_raw():
        reader.feed(chunk)                                         # may raise RESPONSE_TOO_LARGE
    body = reader.finish()
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping

from .errors import MalformedResponseError

#: The request header that asks the server for no compression.
ACCEPT_IDENTITY = {"Accept-Encoding": "identity"}

# zlib window bits: 16+15 reads gzip; 15 a zlib stream (``deflate``).
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


def too_large(max_bytes: int, what: str, status: int | None = None) -> MalformedResponseError:
    """The typed error of a body above ``max_bytes`` (with the answer's status when known).

    Example: ``too_large(10, "read 11 bytes", 200).code == "RESPONSE_TOO_LARGE"``
    """
    return MalformedResponseError(
        f"the answer's body is above max_response_bytes ({max_bytes}): {what}; raise "
        "max_response_bytes if such answers are expected",
        code="RESPONSE_TOO_LARGE",
        http_status=status,
    )


class BodyReader:
    """Decodes and counts one body's chunks; raises ``MalformedResponseError`` when the body is
    above ``max_bytes`` (announced by ``Content-Length`` or counted), or when a 2xx body cannot
    be decoded (an error body that cannot be decoded is read as empty: the status decides)."""

    __slots__ = ("_chunks", "_count", "_decoder", "_max", "_status", "_unreadable")

    def __init__(self, status: int, headers: Mapping[str, str], max_bytes: int) -> None:
        self._status = status
        self._max = max_bytes
        self._count = 0
        self._chunks: list[bytes] = []
        self._decoder: zlib._Decompress | None = None
        self._unreadable = False
        encoding = (headers.get("content-encoding") or "identity").strip().lower()
        if encoding in _WBITS:
            self._decoder = zlib.decompressobj(_WBITS[encoding])
        elif encoding not in ("identity", ""):
            self._undecodable(f"encoded with {encoding!r} although the SDK asked for identity")
        length = headers.get("content-length") or ""
        # Content-Length counts the encoded bytes: only an identity body is judged by it upfront.
        announced = int(length) if length.isascii() and length.isdigit() else None
        if self._decoder is None and announced is not None and announced > max_bytes:
            raise too_large(max_bytes, f"Content-Length announces {length} bytes", status)

    def _undecodable(self, why: str) -> None:
        if 200 <= self._status < 300:
            raise MalformedResponseError(f"the answer's body cannot be read: {why}")
        self._unreadable, self._decoder = True, None
        self._chunks.clear()

    def feed(self, chunk: bytes) -> None:
        """Add one raw chunk (decoded here when the body is compressed)."""
        decoder = self._decoder
        if decoder is None:
            self._add(chunk)
            return
        try:
            data = chunk
            while data:
                # Never decode more than one byte past the limit, whatever the ratio (zip bombs).
                self._add(decoder.decompress(data, self._max - self._count + 1))
                data = decoder.unconsumed_tail
        except zlib.error as err:
            self._undecodable(f"it cannot be decoded ({err})")

    def _add(self, data: bytes) -> None:
        self._count += len(data)
        if self._count > self._max:
            raise too_large(self._max, f"read {self._count} bytes so far", self._status)
        if not self._unreadable:  # an unreadable error body is still counted (and limited)
            self._chunks.append(data)

    def finish(self) -> bytes:
        """The whole decoded body."""
        if self._decoder is not None:
            try:
                self._add(self._decoder.flush())
            except zlib.error as err:
                self._undecodable(f"it cannot be decoded ({err})")
        return b"".join(self._chunks)
