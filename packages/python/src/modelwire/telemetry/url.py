"""``url.full`` of an attempt span, redacted (docs/semantics.md, Telemetry): ``user:pass@``
becomes ``REDACTED:REDACTED@`` and every query parameter's value becomes ``REDACTED``; the
fragment is dropped. Also ``server.address`` / ``server.port`` of a base URL.

Example::

    redact_url_full("http://u:p@h:9/v1/x?key=s3cret&a")
    # 'http://REDACTED:REDACTED@h:9/v1/x?key=REDACTED&a=REDACTED'
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

REDACTED = "REDACTED"
_DEFAULT_PORTS = {"http": 80, "https": 443}


def redact_url_full(url: str) -> str:
    """``url`` without credentials or query values (see the module's docstring)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        netloc = (f"{REDACTED}:{REDACTED}" if ":" in userinfo else REDACTED) + "@" + host
    query = parts.query
    if query:
        names = (pair.partition("=")[0] for pair in query.split("&") if pair)
        query = "&".join(f"{name}={REDACTED}" for name in names)
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def server_of(base_url: str) -> tuple[str, int]:
    """``server.address`` and ``server.port`` (the scheme's default when none is written).

    Example: ``server_of("https://gw.example/v1") == ("gw.example", 443)``
    """
    parts = urlsplit(base_url)
    port = parts.port if parts.port is not None else _DEFAULT_PORTS.get(parts.scheme, 80)
    return parts.hostname or "", port
