"""Which tracer and meter a client reports to: the ones of its explicit ``tracer_provider`` /
``meter_provider`` options, else the OpenTelemetry globals, looked up per call (a global SDK
installed after the client was built is picked up). Only the API's no-op (or not yet set proxy)
providers count as "no telemetry": then no span is made and nothing is recorded.

Example::

    telemetry = telemetry_for(options)     # None: API absent or telemetry=False
    tracer = telemetry.tracer() if telemetry else None
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from .._version import __version__
from . import api as _api
from .url import server_of

if TYPE_CHECKING:
    from ..options import ClientOptions
    from .metrics import Instruments

#: The instrumentation scope of every span and instrument of the SDK.
SCOPE = "modelwire"


def _global(module: str, attr: str, proxy: str, env_set: bool, get: Any) -> Any:
    """The global provider as OpenTelemetry's getter returns it, without the getter's look-up
    of an environment variable on every call while no provider is set (it showed in profiles):
    the module's global when set, its proxy when the variable (``env_set``: read when the client
    was built) is not set either — the getter's answer then —, else the getter itself. Falls
    back to the getter if the API's layout differs."""
    internal = sys.modules.get(module)
    provider = getattr(internal, attr, None)
    if provider is not None:
        return provider
    if internal is not None and not env_set:
        fallback = getattr(internal, proxy, None)
        if fallback is not None:
            return fallback
    return get()


class Telemetry:
    """A client's telemetry: the loaded API, its explicit providers (None: the globals) and the
    base URL's ``server.address`` / ``server.port``.

    Example: ``Telemetry(api, None, None, "http://127.0.0.1:4010/v1").server_port == 4010``
    """

    def __init__(
        self, api: _api.OtelApi, tracer_provider: Any, meter_provider: Any, base_url: str
    ) -> None:
        self.api = api
        self._tracer_provider = tracer_provider
        self._meter_provider = meter_provider
        self._tracer_env = "OTEL_PYTHON_TRACER_PROVIDER" in os.environ
        self._meter_env = "OTEL_PYTHON_METER_PROVIDER" in os.environ
        self.server_address, self.server_port = server_of(base_url)
        self.suppress_http = api.suppress_http
        self._tracer: tuple[Any, Any] | None = None  # (provider, its tracer)
        self._instruments: tuple[Any, Instruments] | None = None  # (provider, instruments)

    def tracer(self) -> Any | None:
        """The tracer of scope ``modelwire`` (None: only a no-op tracer provider exists)."""
        provider = self._tracer_provider
        if provider is None:
            provider = _global(
                "opentelemetry.trace",
                "_TRACER_PROVIDER",
                "_PROXY_TRACER_PROVIDER",
                self._tracer_env,
                self.api.trace.get_tracer_provider,
            )
        if isinstance(provider, self.api.noop_tracer_providers):
            return None
        cached = self._tracer
        if cached is not None and cached[0] is provider:
            return cached[1]
        tracer = provider.get_tracer(SCOPE, __version__)
        self._tracer = (provider, tracer)
        return tracer

    def instruments(self) -> Instruments | None:
        """The SDK's instruments on the meter of scope ``modelwire`` (None: no-op meters)."""
        provider = self._meter_provider
        if provider is None:
            provider = _global(
                "opentelemetry.metrics._internal",
                "_METER_PROVIDER",
                "_PROXY_METER_PROVIDER",
                self._meter_env,
                self.api.metrics.get_meter_provider,
            )
        if isinstance(provider, self.api.noop_meter_providers):
            return None
        cached = self._instruments
        if cached is not None and cached[0] is provider:
            return cached[1]
        from .metrics import Instruments

        instruments = Instruments.create(provider.get_meter(SCOPE, __version__))
        self._instruments = (provider, instruments)
        return instruments


def telemetry_for(options: ClientOptions) -> Telemetry | None:
    """The client's ``Telemetry``, or None when it is off (``telemetry=False``) or the
    OpenTelemetry API is not installed: then the hot path costs one None check."""
    if not options.telemetry:
        return None
    api = _api.load()
    if api is None:
        return None
    return Telemetry(api, options.tracer_provider, options.meter_provider, options.base_url)
