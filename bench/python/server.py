"""A minimal HTTP/1.1 keep-alive server for the benchmark: answers every request with one fixed
prediction envelope. Raw asyncio protocol so the server is never the bottleneck.

Run: ``python server.py`` prints ``listening on http://127.0.0.1:<port>``.
"""

from __future__ import annotations

import asyncio
import json
import sys

BODY = json.dumps(
    {
        "status": "success",
        "code": "OK",
        "message": "prediction",
        "request_id": "bench",
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        "model": {"name": "fraud-score", "version": "2"},
        "result": {"label": "legit", "score": 0.0871, "confidence": 0.9129},
    }
).encode()
RESPONSE = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
    + str(len(BODY)).encode()
    + b"\r\n\r\n"
    + BODY
)


class Handler(asyncio.Protocol):
    """Reads requests (headers + Content-Length body) and answers each with RESPONSE."""

    def __init__(self) -> None:
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            length = 0
            for line in self.buffer[:end].split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            total = end + 4 + length
            if len(self.buffer) < total:
                return
            self.buffer = self.buffer[total:]
            assert self.transport is not None
            self.transport.write(RESPONSE)


async def main() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(f"listening on http://127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
