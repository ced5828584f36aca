"""Credentials: a static token, a token provider, or OIDC client credentials (e.g. Keycloak),
and the two token sources (``Client``'s blocking one, ``AsyncClient``'s) that hand calls their
bearer token (docs/semantics.md, Auth). Every OIDC decision lives once in ``oidc_tokens.py``;
the twins only wait and perform the token request.

Tokens, secrets and private keys never appear in ``repr``, logs, events, errors or cache keys.
Every failure to get a token is ``AuthError`` with code ``TOKEN_UNAVAILABLE``
(``token_failure.py``).

Example::

    Client(base_url, auth=StaticToken("t-alice"))       # or simply auth="t-alice"
    Client(base_url, auth=TokenProvider(vault.read_token))
    Client(base_url, auth=OIDCClientCredentials(
        token_url="https://kc/realms/ml/protocol/openid-connect/token",
        client_id="orders", client_secret=os.environ["OIDC_SECRET"], scope="models:predict"))
    Client(base_url, auth=OIDCClientCredentials(
        "https://kc/realms/ml/protocol/openid-connect/token", "orders",
        auth_method="private_key_jwt", private_key_pem=pem, key_id="orders-2026"))
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import random
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, Union
from urllib.parse import urlencode

import httpx

from ._http import failure_of, raw_chunks, within
from .async_http import AsyncHttp
from .attempt_deadline import attempt_deadline
from .cache_key import ANONYMOUS_SCOPE, oidc_scope, token_scope
from .client_authentication import ClientAuthentication
from .clock import Clock
from .effects import Send
from .errors import (
    AuthError,
    ConnectionError,
    DeadlineExceededError,
    InvalidInputError,
    MalformedResponseError,
    ModelwireError,
)
from .failure_pause import FailurePause
from .generated.policy import DEFAULT_POLICY
from .oidc_tokens import OidcTokens, Refresh
from .redact import redact_secret
from .token_answer import TOKEN_RESPONSE_MAX_BYTES, token_reader, why_unreadable
from .token_failure import (
    CODE,
    provider_failed,
    provider_gave_no_token,
    timed_out,
    unreachable,
    unreadable_answer,
)

#: How the client authenticates at the token endpoint (``client_authentication.py``).
AuthMethod = Literal["client_secret_post", "client_secret_basic", "private_key_jwt"]


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

    Called once per logical call, and again once after a 401. A provider that raises, or
    returns anything but a non-empty string, fails the call with ``AuthError`` /
    ``TOKEN_UNAVAILABLE`` (its error as ``__cause__``); nothing is sent.

    Example: ``TokenProvider(lambda: vault.read("modelwire-token"))``
    """

    get_token: Callable[[], str | Awaitable[str]]


@dataclass(frozen=True)
class OIDCClientCredentials:
    """OAuth2 client-credentials grant; the token is used until it is due (``min(30 s,
    lifetime / 2)`` before it expires), then refreshed once for every caller.

    ``auth_method``: ``"client_secret_post"`` (default; id and secret in the form),
    ``"client_secret_basic"`` (HTTP Basic) or ``"private_key_jwt"`` (a signed RFC 7523 assertion:
    ``private_key_pem`` is a PKCS#8 PEM key, ``key_id`` its ``kid``, ``algorithm`` ``"RS256"`` or
    ``"ES256"`` (default from the key), ``audience`` the ``aud`` (default ``token_url``); needs
    ``pip install "modelwire[jwt]"``). ``client_secret`` is required for the secret methods.
    Checked when the client is built (``INVALID_OPTIONS``).

    Example: ``OIDCClientCredentials("https://kc/token", "svc", "s3cret", scope="models:predict")``
    """

    token_url: str
    client_id: str
    client_secret: str | None = field(default=None, repr=False)
    scope: str | None = None
    auth_method: AuthMethod = field(default="client_secret_post", kw_only=True)
    private_key_pem: str | None = field(default=None, repr=False, kw_only=True)
    key_id: str | None = field(default=None, kw_only=True)
    algorithm: Literal["RS256", "ES256"] | None = field(default=None, kw_only=True)
    audience: str | None = field(default=None, kw_only=True)

    def __repr__(self) -> str:
        key = None if self.private_key_pem is None else redact_secret(self.private_key_pem)
        return (
            f"OIDCClientCredentials(token_url={self.token_url!r}, client_id={self.client_id!r}, "
            f"client_secret={redact_secret(self.client_secret)}, scope={self.scope!r}, "
            f"auth_method={self.auth_method!r}, private_key_pem={key}, "
            f"key_id={self.key_id!r}, algorithm={self.algorithm!r}, audience={self.audience!r})"
        )


Auth = Union[StaticToken, TokenProvider, OIDCClientCredentials, str, None]  # noqa: UP007


def normalize_auth(auth: Auth) -> StaticToken | TokenProvider | OIDCClientCredentials | None:
    """Accept a plain string as a static token; reject anything else that is not an auth type.

    Example: ``normalize_auth("t") == StaticToken("t")``
    """
    if isinstance(auth, str):
        return StaticToken(auth)
    if isinstance(auth, OIDCClientCredentials):
        ClientAuthentication.of(auth)  # its method and what it needs (INVALID_OPTIONS)
        return auth
    if auth is None or isinstance(auth, (StaticToken, TokenProvider)):
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


def token_deadline_error() -> DeadlineExceededError:
    """The error of a call whose deadline ran out while it waited for its bearer token (no
    attempt was made for it; the call fills in its ids).

    Example: ``token_deadline_error().code == "DEADLINE_EXCEEDED"``
    """
    return DeadlineExceededError(
        "the call's deadline_ms ran out while waiting for the bearer token; raise deadline_ms "
        "or check the token endpoint"
    )


def provided_token(value: object) -> str:
    """A token provider's answer, when it is a non-empty string (else ``TOKEN_UNAVAILABLE``).

    Example: ``provided_token("t-1") == "t-1"``
    """
    if not isinstance(value, str) or not value:
        raise provider_gave_no_token(value)
    return value


HttpT = TypeVar("HttpT")
T = TypeVar("T")

# Accept-Encoding rides on each request: a client the caller passed may ask for compression.
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_TOKEN_REQUEST_HEADERS = {"Accept": "application/json", "Accept-Encoding": "identity"}


class _TokenSource(Generic[HttpT]):
    """What both token sources share: the credentials, the OIDC state (``OidcTokens``: every
    decision that needs no I/O) and the bounds of a token request."""

    def __init__(
        self,
        auth: StaticToken | TokenProvider | OIDCClientCredentials | None,
        http: HttpT,
        clock: Clock,
        skew_s: float = DEFAULT_POLICY.token_refresh_skew_ms / 1000,
        *,
        timeout_s: float = DEFAULT_POLICY.timeout_ms / 1000,
        max_json_depth: int = DEFAULT_POLICY.max_json_depth,
        jitter: str = DEFAULT_POLICY.retry.jitter,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.auth = auth
        self._http: HttpT = http
        self._clock = clock
        # One token request is bounded as a whole (headers and body) by the client's timeout.
        self._timeout_s = timeout_s
        self._oidc: OidcTokens | None = None
        if isinstance(auth, OIDCClientCredentials):
            pause = FailurePause(
                DEFAULT_POLICY.token_failure_backoff_initial_ms,
                DEFAULT_POLICY.token_failure_backoff_max_ms,
                jitter,
                rng,
            )
            self._oidc = OidcTokens(
                auth, clock, skew_s=skew_s, pause=pause, max_json_depth=max_json_depth
            )

    def _unreachable(self, oidc: OidcTokens, err: BaseException) -> AuthError:
        if failure_of(err) == "timeout":
            return timed_out(oidc.token_url, self._timeout_s)
        return unreachable(oidc.token_url, err, oidc.secrets())


class SyncTokenSource(_TokenSource[httpx.Client]):
    """Gives ``Client`` its bearer token; one OIDC refresh at a time across threads (a caller
    that needs a token while another thread refreshes waits for that refresh).

    Example: ``SyncTokenSource(auth, http, clock, skew_s=30).token()``
    """

    def __init__(
        self,
        auth: StaticToken | TokenProvider | OIDCClientCredentials | None,
        http: httpx.Client,
        clock: Clock,
        skew_s: float = DEFAULT_POLICY.token_refresh_skew_ms / 1000,
        **bounds: Any,
    ) -> None:
        super().__init__(auth, http, clock, skew_s, **bounds)
        self._refresh_lock = threading.Lock()
        # Whether a thread holds the lock for a token request (callers then wait for it, even
        # while token requests are paused).
        self._refreshing = False

    def token(
        self, *, force: bool = False, stale: str | None = None, wait_s: float | None = None
    ) -> str | None:
        """The token to send; ``force`` (after a 401) drops ``stale`` and fetches a fresh one.

        ``wait_s`` (what is left of the call's deadline; None: no deadline) bounds the wait for
        the refresh lock and the token request (with the client's timeout): past it,
        ``DeadlineExceededError``. A provider's function is called as is (it cannot be cut)."""
        auth = self.auth
        if isinstance(auth, TokenProvider):
            return _provider_token_now(auth)
        oidc = self._oidc
        if oidc is None:
            return auth.token if isinstance(auth, StaticToken) else None
        plan = oidc.plan(force=force, stale=stale, refreshing=self._refreshing)
        if isinstance(plan, str):
            return plan
        # The call's deadline on this thread's clock (the wait and the request are real time).
        ends = None if wait_s is None else time.monotonic() + wait_s
        # One refresh at a time: this lock is held across the token request on purpose; a caller
        # waits for it until its deadline at most.
        if not self._refresh_lock.acquire(timeout=-1 if wait_s is None else max(0.0, wait_s)):
            raise token_deadline_error()
        try:
            # A refresh may have ended while this caller waited: its token, or its pause.
            plan = oidc.plan(force=force, stale=stale, refreshing=False)
            if isinstance(plan, str):
                return plan
            self._refreshing = True
            return self._refresh(oidc, plan, ends)
        finally:
            self._refreshing = False
            self._refresh_lock.release()

    def _refresh(self, oidc: OidcTokens, plan: Refresh, ends: float | None) -> str:
        """One token request, recorded; a token failure falls back on the still-valid token."""
        started = self._clock.monotonic()
        try:
            form, headers = oidc.request()
            return oidc.answered(started, *self._post(oidc, form, headers, ends))
        except AuthError as err:
            oidc.failed(err)
            if err.code == CODE and plan.still_valid is not None:
                return plan.still_valid
            raise

    def _post(
        self,
        oidc: OidcTokens,
        form: dict[str, str],
        headers: dict[str, str],
        deadline: float | None,
    ) -> tuple[int, bytes]:
        """The token endpoint's status and (bounded) body, within ``min(timeout, what is left
        of the call's deadline)``: every socket operation ends by then (``attempt_deadline``),
        and a transport without sockets is checked after each chunk."""
        now = time.monotonic()
        limit = now + self._timeout_s
        ends = limit if deadline is None else min(limit, deadline)
        by_deadline = ends < limit
        status: int | None = None
        try:
            if ends <= now:
                raise httpx.TimeoutException("no time left for the token request")
            with (
                attempt_deadline(ends),
                self._http.stream(
                    "POST",
                    oidc.token_url,
                    data=form,
                    headers={**_TOKEN_REQUEST_HEADERS, **headers},
                    follow_redirects=False,
                ) as response,
            ):
                status = response.status_code
                reader = token_reader(response)
                for chunk in raw_chunks(response):
                    if time.monotonic() > ends:
                        raise httpx.TimeoutException("the token answer took too long")
                    reader.feed(chunk)
                if time.monotonic() > ends:
                    raise httpx.TimeoutException("the token answer took too long")
                return status, reader.finish()
        except httpx.TimeoutException as err:
            if by_deadline:
                raise token_deadline_error() from None
            raise self._unreachable(oidc, err) from None
        except httpx.HTTPError as err:
            raise self._unreachable(oidc, err) from err
        except MalformedResponseError as err:
            raise unreadable_answer(oidc.token_url, status or 0, why_unreadable(err)) from None


class AsyncTokenSource(_TokenSource[AsyncHttp]):
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
        """The token to send; ``force`` (after a 401) drops ``stale`` and fetches a fresh one.

        ``wait_s`` (what is left of the call's deadline; None: no deadline) bounds this
        caller's wait, for the shared token request or an async provider: past it,
        ``DeadlineExceededError``. The token request itself ends by the client's timeout."""
        auth = self.auth
        if isinstance(auth, TokenProvider):
            value = _call_provider(auth)
            if inspect.isawaitable(value):
                # This caller's own awaitable: cancelled when its deadline cuts the wait.
                return await _wait_for(asyncio.ensure_future(_awaited(value)), wait_s, own=True)
            return provided_token(value)
        oidc = self._oidc
        if oidc is None:
            return auth.token if isinstance(auth, StaticToken) else None
        # No await from here to the shared request's start: one refresh at a time.
        plan = oidc.plan(force=force, stale=stale, refreshing=self._fetch is not None)
        if isinstance(plan, str):
            return plan
        if wait_s is not None and wait_s <= 0:
            raise token_deadline_error()
        fetch = self._fetch
        if fetch is None:
            fetch = self._fetch = asyncio.ensure_future(self._refresh(oidc))
            fetch.add_done_callback(self._fetched)
        try:
            return await _wait_for(fetch, wait_s, own=False)
        except AuthError as err:
            # The refresh failed: a due token that is still valid goes on being used.
            if err.code == CODE and plan.still_valid is not None:
                return plan.still_valid
            raise

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

    async def _refresh(self, oidc: OidcTokens) -> str:
        """Fetch and keep a token within the client's timeout; its outcome is recorded for
        every caller (the pause), whoever started it."""
        started = self._clock.monotonic()
        try:
            form, headers = oidc.request()
            try:
                answer = await within(self._timeout_s, self._post(oidc, form, headers))
            except asyncio.TimeoutError:
                raise timed_out(oidc.token_url, self._timeout_s) from None
            except Exception as err:
                if failure_of(err) is None:
                    raise
                raise self._unreachable(oidc, err) from err
            return oidc.answered(started, *answer)
        except AuthError as err:
            oidc.failed(err)
            raise

    async def _post(
        self, oidc: OidcTokens, form: dict[str, str], headers: dict[str, str]
    ) -> tuple[int, bytes]:
        """The token endpoint's status and (bounded) body, through the client's transport."""
        send = Send(
            "POST",
            oidc.token_url,
            {**_TOKEN_REQUEST_HEADERS, **_FORM, **headers},
            urlencode(form).encode(),
            self._timeout_s,
        )
        box: list[int] = []
        try:
            answer = await self._http.exchange(send, TOKEN_RESPONSE_MAX_BYTES, box)
        except MalformedResponseError as err:
            why = why_unreadable(err)
            raise unreadable_answer(oidc.token_url, box[0] if box else 0, why) from None
        return answer.status, answer.body


def _call_provider(auth: TokenProvider) -> object:
    """The provider's answer (a value or an awaitable); its failure is ``TOKEN_UNAVAILABLE``."""
    try:
        return auth.get_token()
    except Exception as err:  # whatever the provider raised is its failure
        raise provider_failed() from err


def _provider_token_now(auth: TokenProvider) -> str:
    """The blocking client's provider token (an async provider is a wrong option)."""
    value = _call_provider(auth)
    if inspect.isawaitable(value):
        if inspect.iscoroutine(value):
            value.close()  # never awaited: no "coroutine was never awaited" warning
        raise InvalidInputError(
            "TokenProvider returned an awaitable; use AsyncClient for async providers",
            code="INVALID_OPTIONS",
        )
    return provided_token(value)


async def _awaited(value: Awaitable[object]) -> str:
    """An async provider's token; its failure is ``TOKEN_UNAVAILABLE``."""
    try:
        got = await value
    except Exception as err:  # whatever the provider raised is its failure
        raise provider_failed() from err
    return provided_token(got)


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
        raise copy.copy(err) from err.__cause__
    return task.result()
