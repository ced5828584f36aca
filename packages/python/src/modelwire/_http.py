"""What ``Client`` and ``AsyncClient`` do alike with httpx: build the request of a ``Send``
effect, read its answer, and map a transport failure to a typed error. The twins only differ in
how they send (blocking or ``await``).

Private. Example::

    request = build_request(http, effect)        # http: httpx.Client or httpx.AsyncClient
    answer = answer_of(http.send(request))        # or: await http.send(request)
"""

from __future__ import annotations

import httpx

from .effects import HttpAnswer, Send
from .errors import ConnectionError, ModelwireError, TimeoutError


def build_request(http: httpx.Client | httpx.AsyncClient, effect: Send) -> httpx.Request:
    """The httpx request of one attempt (its timeout rides in the request's extensions).

    Example: ``http.send(build_request(http, Send("GET", url, {}, None, 5.0)))``
    """
    return http.build_request(
        effect.method,
        effect.url,
        headers=effect.headers,
        content=effect.body,
        timeout=effect.timeout_s,
    )


def answer_of(response: httpx.Response) -> HttpAnswer:
    """What the pipeline needs of a response: status, headers and the raw body.

    Example: ``answer_of(http.send(request)).status == 200``
    """
    return HttpAnswer(response.status_code, response.headers, response.content)


def transport_error(err: httpx.HTTPError, timeout_s: float) -> ModelwireError:
    """Map an httpx transport failure to ``TimeoutError`` or ``ConnectionError``.

    Example: ``transport_error(httpx.ConnectError("refused"), 5.0).kind == "Connection"``
    """
    if isinstance(err, httpx.TimeoutException):
        return TimeoutError(
            f"no answer within the per-attempt timeout ({timeout_s * 1000:.0f} ms); raise "
            "timeout_ms or check the model's latency"
        )
    return ConnectionError(
        f"connection failed ({type(err).__name__}); check base_url and that the gateway is up"
    )
