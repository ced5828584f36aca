"""Credentials: a static token, a token provider, or OIDC client credentials (e.g. Keycloak).

Tokens and secrets never appear in ``repr``, logs, events, errors or cache keys.

Example::

    Client(base_url, auth=StaticToken("t-alice"))       # or simply auth="t-alice"
    Client(base_url, auth=TokenProvider(vault.read_token))
    Client(base_url, auth=OIDCClientCredentials(
        token_url="https://kc/realms/ml/protocol/openid-connect/token",
        client_id="orders", client_secret=os.environ["OIDC_SECRET"], scope="models:predict"))
"""

from __future__ import annotations

import asyncio
import inspect
import json
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar, Union

import httpx

from .cache_key import ANONYMOUS_SCOPE, oidc_scope, token_scope
from .clock import Clock
from .errors import AuthError, ConnectionError, InvalidInputError, ModelwireError, TimeoutError
from .generated.policy import DEFAULT_POLICY
from .redact import redact_secret


@dataclass(frozen=True)
class StaticToken:
    """A bearer token that never changes.

    Example: ``StaticToken("t-alice")``
    """

    token: str = field(repr=False)

    def __repr__(self) -> str:
        return f"StaticToken(token={redact_secret(self.token)})"


@dataclass(frozen=True)
class TokenProvider:
    """A function returning the current bearer token (sync, or async for ``AsyncClient``).

    Called once per logical call, and again once after a 401.

    Example: ``TokenProvider(lambda: vault.read("modelwire-token"))``
    """

    get_token: Callable[[], str | Awaitable[str]]


@dataclass(frozen=True)
class OIDCClientCredentials:
    """OAuth2 client-credentials grant; the token is cached until shortly before it expires.

    Example: ``OIDCClientCredentials("https://kc/token", "svc", "s3cret", scope="models:predict")``
    """

    token_url: str
    client_id: str
    client_secret: str = field(repr=False)
    scope: str | None = None

    def __repr__(self) -> str:
        return (
            f"OIDCClientCredentials(token_url={self.token_url!r}, client_id={self.client_id!r}, "
            f"client_secret={redact_secret(self.client_secret)}, scope={self.scope!r})"
        )


Auth = Union[StaticToken, TokenProvider, OIDCClientCredentials, str, None]  # noqa: UP007


def normalize_auth(auth: Auth) -> StaticToken | TokenProvider | OIDCClientCredentials | None:
    """Accept a plain string as a static token; reject anything else that is not an auth type.

    Example: ``normalize_auth("t") == StaticToken("t")``
    """
    if isinstance(auth, str):
        return StaticToken(auth)
    if auth is None or isinstance(auth, (StaticToken, TokenProvider, OIDCClientCredentials)):
        return auth
    raise InvalidInputError(
        "auth must be a str, StaticToken, TokenProvider or OIDCClientCredentials",
        code="INVALID_OPTIONS",
    )


def fixed_scope(auth: StaticToken | TokenProvider | OIDCClientCredentials | None) -> str | None:
    """The cache scope known without a call (None for a provider: it depends on its token).

    Example: ``fixed_scope(None) == "anonymous"``
    """
    if auth is None:
        return ANONYMOUS_SCOPE
    if isinstance(auth, StaticToken):
        return token_scope(auth.token)
    if isinstance(auth, OIDCClientCredentials):
        return oidc_scope(auth.token_url, auth.client_id)
    return None


@dataclass(slots=True)
class _CachedToken:
    token: str
    refresh_at: float  # monotonic seconds


def _oidc_form(auth: OIDCClientCredentials) -> dict[str, str]:
    form = {
        "grant_type": "client_credentials",
        "client_id": auth.client_id,
        "client_secret": auth.client_secret,
    }
    if auth.scope:
        form["scope"] = auth.scope
    return form


def _parse_token_response(response: httpx.Response, now: float, skew_s: float) -> _CachedToken:
    if response.status_code != 200:
        raise AuthError(
            f"the OIDC token endpoint answered HTTP {response.status_code}; check client_id, "
            "client_secret and scope",
            code="UNAUTHENTICATED",
            http_status=response.status_code,
        )
    try:
        payload = json.loads(response.content)
        token = payload["access_token"]
        expires_in = float(payload.get("expires_in", 60))
    except (ValueError, KeyError, TypeError):
        raise AuthError(
            "the OIDC token endpoint answered without an access_token; check token_url",
            code="UNAUTHENTICATED",
        ) from None
    if not isinstance(token, str) or not token:
        raise AuthError("the OIDC token endpoint returned an empty access_token")
    return _CachedToken(token, now + max(0.0, expires_in - skew_s))


def _transport_error(err: httpx.HTTPError) -> ModelwireError:
    if isinstance(err, httpx.TimeoutException):
        return TimeoutError("the OIDC token endpoint did not answer in time")
    return ConnectionError(f"cannot reach the OIDC token endpoint: {type(err).__name__}")


HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)


class _TokenSource(Generic[HttpT]):
    """What both token sources share: their state, and every decision that needs no I/O."""

    def __init__(
        self,
        auth: StaticToken | TokenProvider | OIDCClientCredentials | None,
        http: HttpT,
        clock: Clock,
        skew_s: float = DEFAULT_POLICY.token_refresh_skew_ms / 1000,
    ) -> None:
        self.auth = auth
        self._http: HttpT = http
        self._clock = clock
        self._skew_s = skew_s
        self._cached: _CachedToken | None = None

    def _known(self, force: bool) -> str | OIDCClientCredentials | None:
        """The token when no request is needed (None: anonymous), else the OIDC credentials to
        fetch one with. Not for a ``TokenProvider`` (the twins call it their own way)."""
        auth = self.auth
        if auth is None or isinstance(auth, StaticToken):
            return auth.token if auth is not None else None
        assert isinstance(auth, OIDCClientCredentials)
        reused = self._reusable(force=force, locked=False)
        return reused if reused is not None else auth

    def _reusable(self, *, force: bool, stale: str | None = None, locked: bool) -> str | None:
        """The cached OIDC token if it may be sent, else None (a request is needed).

        Before the refresh lock a forced refresh never reuses; under the lock it reuses a token
        that another caller fetched meanwhile (it differs from the ``stale`` one)."""
        cached = self._cached
        if cached is None or self._clock.monotonic() >= cached.refresh_at:
            return None
        if force and (not locked or cached.token == stale):
            return None
        return cached.token

    def _keep(self, response: httpx.Response) -> str:
        """Parse and cache the token endpoint's answer; return the new token."""
        self._cached = _parse_token_response(response, self._clock.monotonic(), self._skew_s)
        return self._cached.token


class SyncTokenSource(_TokenSource[httpx.Client]):
    """Gives ``Client`` its bearer token; one OIDC refresh at a time across threads.

    Example: ``SyncTokenSource(auth, http, clock, skew_s=30).token()``
    """

    def __init__(
        self,
        auth: StaticToken | TokenProvider | OIDCClientCredentials | None,
        http: httpx.Client,
        clock: Clock,
        skew_s: float = DEFAULT_POLICY.token_refresh_skew_ms / 1000,
    ) -> None:
        super().__init__(auth, http, clock, skew_s)
        self._refresh_lock = threading.Lock()

    def token(self, *, force: bool = False, stale: str | None = None) -> str | None:
        """The token to send; ``force`` fetches a fresh one unless ``stale`` was replaced."""
        auth = self.auth
        if isinstance(auth, TokenProvider):
            value = auth.get_token()
            if inspect.isawaitable(value):
                raise InvalidInputError(
                    "TokenProvider returned an awaitable; use AsyncClient for async providers",
                    code="INVALID_OPTIONS",
                )
            return value
        known = self._known(force)
        if not isinstance(known, OIDCClientCredentials):
            return known
        # One refresh at a time: this lock is held across the token request on purpose.
        with self._refresh_lock:
            reused = self._reusable(force=force, stale=stale, locked=True)
            if reused is not None:
                return reused
            try:
                response = self._http.post(known.token_url, data=_oidc_form(known))
            except httpx.HTTPError as err:
                raise _transport_error(err) from None
            return self._keep(response)


class AsyncTokenSource(_TokenSource[httpx.AsyncClient]):
    """Gives ``AsyncClient`` its bearer token; one OIDC refresh at a time across tasks.

    Example: ``await AsyncTokenSource(auth, http, clock, skew_s=30).token()``
    """

    _refresh_lock: asyncio.Lock | None = None  # made in the event loop, on first use

    async def token(self, *, force: bool = False, stale: str | None = None) -> str | None:
        """The token to send; ``force`` fetches a fresh one unless ``stale`` was replaced."""
        auth = self.auth
        if isinstance(auth, TokenProvider):
            value = auth.get_token()
            if inspect.isawaitable(value):
                return await value
            return value
        known = self._known(force)
        if not isinstance(known, OIDCClientCredentials):
            return known
        if self._refresh_lock is None:
            self._refresh_lock = asyncio.Lock()
        async with self._refresh_lock:
            reused = self._reusable(force=force, stale=stale, locked=True)
            if reused is not None:
                return reused
            try:
                response = await self._http.post(known.token_url, data=_oidc_form(known))
            except httpx.HTTPError as err:
                raise _transport_error(err) from None
            return self._keep(response)
