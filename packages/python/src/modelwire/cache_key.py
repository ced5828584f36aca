"""The cache key of a prediction and the credential scope that goes into it (docs/semantics.md).

Example::

    key = cache_key("fraud-score", None, "anonymous", {"amount": 12.5})
    len(key) == 64  # lowercase hex SHA-256
"""

from __future__ import annotations

import hashlib
from typing import Any

from .canonical import canonical_json
from .generated.policy import DEFAULT_POLICY


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def token_scope(token: str) -> str:
    """Scope of a static token or of the token a provider returned: never the token in clear.

    Example: ``token_scope("t-alice").startswith("token:")``
    """
    return "token:" + _sha256_hex("token\n" + token)


def oidc_scope(token_url: str, client_id: str) -> str:
    """Scope of OIDC client credentials (the secret is not part of it).

    Example: ``oidc_scope("https://kc/token", "svc").startswith("oidc:")``
    """
    return "oidc:" + _sha256_hex("oidc\n" + token_url + "\n" + client_id)


ANONYMOUS_SCOPE = "anonymous"


def key_of(canonical_data: str, model: str, version: str | None, scope: str) -> str:
    """The cache key of an input whose canonical JSON text is ``canonical_data``: the data is
    canonicalised once per call, whichever model (primary or backup) the key is for.

    Example: ``key_of('{"amount":1}', "fraud-score", None, "anonymous")``
    """
    # The wrapper's keys in canonical order (data < model < scope < version); model, version
    # and scope are plain strings here, which canonical JSON escapes as JSON.stringify does.
    canonical = "".join(
        (
            '{"data":',
            canonical_data,
            ',"model":',
            canonical_json(model),
            ',"scope":',
            canonical_json(scope),
            ',"version":',
            "null" if version is None else canonical_json(version),
            "}",
        )
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def cache_key(
    model: str,
    version: str | None,
    scope: str,
    data: Any,
    *,
    max_depth: int = DEFAULT_POLICY.max_json_depth,
) -> str:
    """``sha256hex(canonicalJSON({"model", "version", "scope", "data"}))``.

    Example: ``cache_key("fraud-score", "2", "anonymous", {"amount": 1.0})``
    """
    return key_of(canonical_json(data, max_depth=max_depth, name="data"), model, version, scope)
