"""Every decision of OIDC client credentials that needs no I/O, written once for both twins
(docs/semantics.md, Auth; TypeScript's ``auth/oidc-token-source.ts``):

- one token for every call until it is **due** (``min(skew, lifetime / 2)`` before it expires);
- a due token that is still valid is kept when its refresh fails (a token failure);
- a token the gateway refused (``force`` with that token as ``stale``) is never sent again;
- after a failed token request the next one waits for the ``FailurePause``; meanwhile a caller
  with a still-valid token uses it and any other fails at once with the last failure.

The twins (``auth.py``) only wait (lock or shared task) and perform the token request.

Private. Example::

    plan = tokens.plan(force=False, stale=None, refreshing=False)
    if isinstance(plan, Refresh):
        url, form, headers = tokens.request()       # ... POST it, then:
        token = tokens.answered(started, status, body)  # or tokens.failed(error)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .client_authentication import ClientAuthentication
from .clock import Clock
from .errors import AuthError
from .failure_pause import FailurePause
from .token_answer import parse_token_answer
from .token_failure import CODE, paused, refused_answer, unsigned

if TYPE_CHECKING:
    from .auth import OIDCClientCredentials

#: How many recent tokens are scrubbed from messages (tokens rotate; an IdP may echo one).
_RECENT_SECRETS = 32


@dataclass(frozen=True, slots=True)
class HeldToken:
    """A token and the two moments that matter (monotonic seconds): when to refresh it, and
    when it stops being valid.

    Example: ``HeldToken("t", due_at=5.0, expires_at=10.0)``
    """

    token: str
    due_at: float
    expires_at: float


@dataclass(frozen=True, slots=True)
class Refresh:
    """A token request is needed; ``still_valid`` is the due token to use if it fails (None:
    there is none, the failure is the caller's).

    Example: ``Refresh(still_valid="tok-1")``
    """

    still_valid: str | None


class OidcTokens:
    """The token state of one OIDC client: the held token, the failure pause, the last failure.

    Not thread-safe by itself: the sync twin calls ``answered`` / ``failed`` under its refresh
    lock, the async twin on its event loop.

    Example: ``OidcTokens(auth, clock, skew_s=30, pause=FailurePause(1_000, 30_000, "full"))``
    """

    def __init__(
        self,
        auth: OIDCClientCredentials,
        clock: Clock,
        *,
        skew_s: float,
        pause: FailurePause,
        max_json_depth: int,
    ) -> None:
        self.auth = auth
        self._authentication = ClientAuthentication.of(auth)
        self._clock = clock
        self._skew_s = skew_s
        self._pause = pause
        self._max_depth = max_json_depth
        self._held: HeldToken | None = None
        self._last_failure: AuthError | None = None
        self._recent: list[str] = []

    @property
    def token_url(self) -> str:
        """Where the token requests go."""
        return self.auth.token_url

    def secrets(self) -> list[str]:
        """What must never appear in a message: the client secret and the recent tokens."""
        secret = self.auth.client_secret
        return [*self._recent, secret] if secret else list(self._recent)

    def plan(self, *, force: bool, stale: str | None, refreshing: bool) -> str | Refresh:
        """The token to send, or ``Refresh``: a token request is needed (start or join one).

        ``force`` (after a gateway 401) discards the held token when it is ``stale`` (another
        caller may have replaced it already: that one is used). ``refreshing``: a token request
        is in flight (a caller joins it even while paused). Raises the paused error when token
        requests are paused and there is no valid token to fall back on."""
        held = self._held
        if force and held is not None and held.token == stale:
            # The gateway refused it: it is never sent again.
            self._held = held = None
        now = self._clock.monotonic()
        if held is not None and now < held.due_at:
            return held.token
        still_valid = held.token if held is not None and now < held.expires_at else None
        paused_ms = self._pause.remaining_ms(now)
        if paused_ms > 0 and not refreshing:
            if still_valid is not None:
                return still_valid
            raise paused(self._last_failure, paused_ms, self._pause.count)
        return Refresh(still_valid)

    def request(self) -> tuple[dict[str, str], dict[str, str]]:
        """The form and extra headers of one token request (a new client assertion each time,
        issued at wall-clock now); a signing failure is a token failure."""
        try:
            credentials, headers = self._authentication.credentials(self._clock.time())
        except Exception as err:  # the signer's errors are a token failure
            raise unsigned(err) from err
        form = {"grant_type": "client_credentials", **credentials}
        if self.auth.scope:
            form["scope"] = self.auth.scope
        return form, headers

    def answered(self, started_at: float, status: int, body: bytes) -> str:
        """Keep the token of a 200 answer (its lifetime counted from ``started_at``, when the
        request was sent) and return it; anything else is a token failure, raised."""
        parsed = parse_token_answer(body, self._max_depth) if status == 200 else None
        if parsed is None:
            raise refused_answer(self.token_url, status, body, self.secrets(), self._max_depth)
        token, lifetime_s = parsed
        expires_at = started_at + lifetime_s
        due_at = expires_at - min(self._skew_s, lifetime_s / 2)
        self._held = HeldToken(token, due_at, expires_at)
        self._remember(token)
        self._pause.succeeded()
        self._last_failure = None
        return token

    def failed(self, error: AuthError) -> AuthError:
        """Record a failed token request (a token failure): it starts the next pause."""
        if error.code == CODE:
            self._pause.failed(self._clock.monotonic())
            self._last_failure = error
        return error

    def _remember(self, token: str) -> None:
        if token not in self._recent:
            self._recent.append(token)
            del self._recent[:-_RECENT_SECRETS]
