"""Fixtures of the Keycloak auth suite (test/keycloak/SUITE.md).

Not part of the normal run (pyproject ``testpaths = ["tests"]``); run by scripts/test-keycloak.sh:
``packages/python/.venv/bin/pytest -q -p no:cacheprovider packages/python/tests_keycloak``.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from kc_support import GatewayLog, Keycloak, TcpForwarder, load_keycloak


@pytest.fixture(scope="session")
def kc() -> Keycloak:
    """The Keycloak description and gateway; fails every check when the env is not set."""
    return load_keycloak()


@pytest.fixture
def gateway_log(kc: Keycloak) -> GatewayLog:
    """The gateway's request log as seen from the start of this check."""
    return GatewayLog(kc.origin)


@pytest.fixture
def idp_forwarder(kc: Keycloak) -> Iterator[TcpForwarder]:
    """A TCP forwarder to Keycloak that the check can cut (always cut at teardown)."""
    target = urlsplit(kc.token_url)
    forwarder = TcpForwarder(target.hostname or "127.0.0.1", target.port or 80)
    yield forwarder
    forwarder.cut()
