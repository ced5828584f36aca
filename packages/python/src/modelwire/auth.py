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
import copy
import inspect
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar, Union

import httpx

from ._http import araw_chunks, raw_chunks, within
from .attempt_deadline import attempt_deadline
from .cache_key import ANONYMOUS_SCOPE, oidc_scope, token_scope
from .clock import Clock
from .errors import (
    ConnectionError,
    DeadlineExceededError,
    InvalidInputError,
    ModelwireError,
    TimeoutError,
)
from .generated.policy import DEFAULT_POLICY
from .redact import redact_secret
from .token_answer import feed, finish, parse_token_answer, token_reader


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


def _transport_error(err: httpx.HTTPError | None) -> ModelwireError:
    """A token request that got no whole answer (None: its time ran out)."""
    if err is None or isinstance(err, httpx.TimeoutException):
        return TimeoutError("the OIDC token endpoint did not answer in time")
    return ConnectionError(f"cannot reach the OIDC token endpoint: {type(err).__name__}")


def token_deadline_error() -> DeadlineExceededError:
    """The error of a call whose deadline ran out while it waited for its bearer token (no
    attempt was made for it; the call fills in its ids).

    Example: ``token_deadline_error().code == "DEADLINE_EXCEEDED"``
    """
    return DeadlineExceededError(
        "the call's deadline_ms ran out while waiting for the bearer token; raise deadline_ms "
        "or check the token endpoint"
    )


HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
T = TypeVar("T")


class _TokenSource(Generic[HttpT]):
    """What both token sources share: their state, and every decision that needs no I/O."""

    def __init__(
        self,
        auth: StaticToken | TokenProvider | OIDCClientCredentials | None,
        http: HttpT,
        clock: Clock,
        skew_s: float = DEFAULT_POLICY.token_refresh_skew_ms / 1000,
        *,
        timeout_s: float = DEFAULT_POLICY.timeout_ms / 1000,
        max_json_depth: int = DEFAULT_POLICY.max_json_depth,
    ) -> None:
        self.auth = auth
        self._http: HttpT = http
        self._clock = clock
        self._skew_s = skew_s
        # One token request is bounded as a whole (headers and body) by the client's timeout.
        self._timeout_s = timeout_s
        self._max_depth = max_json_depth
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

    def _keep(self, status: int, body: bytes) -> str:
        """Parse and cache the token endpoint's answer; return the new token."""
        token, expires_in = parse_token_answer(status, body, self._max_depth)
        refresh_at = self._clock.monotonic() + max(0.0, expires_in - self._skew_s)
        self._cached = _CachedToken(token, refresh_at)
        return token


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
        *,
        timeout_s: float = DEFAULT_POLICY.timeout_ms / 1000,
        max_json_depth: int = DEFAULT_POLICY.max_json_depth,
    ) -> None:
        super().__init__(
            auth, http, clock, skew_s, timeout_s=timeout_s, max_json_depth=max_json_depth
        )
        self._refresh_lock = threading.Lock()

    def token(
        self, *, force: bool = False, stale: str | None = None, wait_s: float | None = None
    ) -> str | None:
        """The token to send; ``force`` fetches a fresh one unless ``stale`` was replaced.

        ``wait_s`` (what is left of the call's deadline; None: no deadline) bounds the wait for
        the refresh lock and the token request (with the client's timeout): past it,
        ``DeadlineExceededError``. A provider's function is called as is (it cannot be cut)."""
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
        # The call's deadline on this thread's clock (the wait and the request are real time).
        ends = None if wait_s is None else time.monotonic() + wait_s
        # One refresh at a time: this lock is held across the token request on purpose; a caller
        # waits for it until its deadline at most.
        if not self._refresh_lock.acquire(timeout=-1 if wait_s is None else max(0.0, wait_s)):
            raise token_deadline_error()
        try:
            reused = self._reusable(force=force, stale=stale, locked=True)
            if reused is not None:
                return reused
            return self._keep(*self._post(known, ends))
        finally:
            self._refresh_lock.release()

    def _post(self, auth: OIDCClientCredentials, deadline: float | None) -> tuple[int, bytes]:
        """The token endpoint's status and (bounded) body, within ``min(timeout, what is left
        of the call's deadline)``: every socket operation ends by then (``attempt_deadline``),
        and a transport without sockets is checked after each chunk."""
        now = time.monotonic()
        limit = now + self._timeout_s
        ends = limit if deadline is None else min(limit, deadline)
        by_deadline = ends < limit
        try:
            if ends <= now:
                raise httpx.TimeoutException("no time left for the token request")
            with (
                attempt_deadline(ends),
                self._http.stream("POST", auth.token_url, data=_oidc_form(auth)) as response,
            ):
                reader = token_reader(response)
                for chunk in raw_chunks(response):
                    if time.monotonic() > ends:
                        raise httpx.TimeoutException("the token answer took too long")
                    feed(reader, chunk)
                if time.monotonic() > ends:
                    raise httpx.TimeoutException("the token answer took too long")
                return response.status_code, finish(reader)
        except httpx.TimeoutException:
            raise (token_deadline_error() if by_deadline else _transport_error(None)) from None
        except httpx.HTTPError as err:
            raise _transport_error(err) from None


class AsyncTokenSource(_TokenSource[httpx.AsyncClient]):
    """Gives ``AsyncClient`` its bearer token; one OIDC refresh at a time across tasks.

    Example: ``await AsyncTokenSource(auth, http, clock, skew_s=30).token()``
    """

    # The token request in flight (one at a time), shared by every caller that needs a token
    # meanwhile. Each caller waits for it until its own deadline; a caller that leaves (deadline,
    # cancellation) never cancels it: the others still get its token, and it is cached.
    _fetch: asyncio.Task[str] | None = None

    async def token(
        self, *, force: bool = False, stale: str | None = None, wait_s: float | None = None
    ) -> str | None:
        """The token to send; ``force`` fetches a fresh one unless ``stale`` was replaced.

        ``wait_s`` (what is left of the call's deadline; None: no deadline) bounds this
        caller's wait, for the shared token request or an async provider: past it,
        ``DeadlineExceededError``. The token request itself ends by the client's timeout."""
        auth = self.auth
        if isinstance(auth, TokenProvider):
            value = auth.get_token()
            if inspect.isawaitable(value):
                # This caller's own awaitable: cancelled when its deadline cuts the wait.
                return await _wait_for(asyncio.ensure_future(value), wait_s, own=True)
            return value
        known = self._known(force)
        if not isinstance(known, OIDCClientCredentials):
            return known
        # No await from here to the shared request's start: one refresh at a time.
        reused = self._reusable(force=force, stale=stale, locked=True)
        if reused is not None:
            return reused
        if wait_s is not None and wait_s <= 0:
            raise token_deadline_error()
        fetch = self._fetch
        if fetch is None:
            fetch = self._fetch = asyncio.ensure_future(self._refresh(known))
            fetch.add_done_callback(self._fetched)
        return await _wait_for(fetch, wait_s, own=False)

    def close(self) -> None:
        """Stop the token request in flight (the client is closing)."""
        fetch, self._fetch = self._fetch, None
        if fetch is not None:
            fetch.cancel()

    def _fetched(self, fetch: asyncio.Task[str]) -> None:
        if self._fetch is fetch:
            self._fetch = None
        if not fetch.cancelled():
            fetch.exception()  # retrieved: every waiter may have left already

    async def _refresh(self, auth: OIDCClientCredentials) -> str:
        """Fetch and cache a token, within the client's timeout."""
        try:
            answer = await within(self._timeout_s, self._post(auth))
        except asyncio.TimeoutError:
            raise _transport_error(None) from None
        except httpx.HTTPError as err:
            raise _transport_error(err) from None
        return self._keep(*answer)

    async def _post(self, auth: OIDCClientCredentials) -> tuple[int, bytes]:
        """The token endpoint's status and (bounded) body."""
        async with self._http.stream("POST", auth.token_url, data=_oidc_form(auth)) as response:
            reader = token_reader(response)
            async for chunk in araw_chunks(response):
                feed(reader, chunk)
            return response.status_code, finish(reader)


async def _wait_for(task: asyncio.Future[T], wait_s: float | None, *, own: bool) -> T:
    """``task``'s result, waited for at most ``wait_s`` (``DeadlineExceededError`` after it).

    ``own``: the task is this caller's alone, cancelled when the caller stops waiting; else it is
    shared, left running, and its error is copied for this caller (errors are per call).
    """
    try:
        done, _ = await asyncio.wait({task}, timeout=None if wait_s is None else max(0.0, wait_s))
    except asyncio.CancelledError:
        if own:
            task.cancel()
        raise
    if not done:
        if own:
            task.cancel()
        raise token_deadline_error()
    if own:
        return task.result()
    if task.cancelled():
        raise ConnectionError("the client was closed while the token was being fetched")
    err = task.exception()
    if isinstance(err, ModelwireError):
        raise copy.copy(err) from None
    return task.result()
