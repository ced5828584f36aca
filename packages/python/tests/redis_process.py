"""A real redis-server for the fleet tests: on a free port of 127.0.0.1, never hanging the run.

A free port can be taken by another process between choosing it and redis-server binding it; the
server then exits at once. So each start gets a few tries with fresh ports, readiness is a raw
``PING`` with a short socket timeout (no client retries), and everything has a wall-clock deadline.
"""

from __future__ import annotations

import socket
import subprocess
import time

TRIES = 5
READY_WITHIN_S = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def launch(binary: str, extra: list[str]) -> tuple[int, subprocess.Popen[bytes]]:
    """Starts ``binary --port <free> --bind 127.0.0.1 <extra>``; port and process, once ready."""
    for _ in range(TRIES):
        port = free_port()
        args = [binary, "--port", str(port), "--bind", "127.0.0.1", *extra]
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + READY_WITHIN_S
        while process.poll() is None and time.monotonic() < deadline:
            if _answers_ping(port):
                return port, process
            time.sleep(0.01)
        # Exited (port taken) or never ready: clean up and try another port.
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
    raise RuntimeError(f"redis-server did not start after {TRIES} tries")
