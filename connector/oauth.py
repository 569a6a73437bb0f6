"""Intercom's OAuth 2.0 for a public app: where to send the user, and how to trade the code for a token.

Intercom's flow (FIDELITY §1.5-1.6): the browser goes to `https://app.intercom.com/oauth?client_id&state
&redirect_uri`, comes back to the redirect URL with `?code&state`, and the code (valid ~5 minutes, once)
is posted with the client credentials to `https://api.intercom.io/auth/eagle/token`. The answer carries the
token under `token` and `access_token`; it never expires and there is no refresh token.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from connector.errors import OAuthError, error_from_response

# API host -> the host of the authorization page, per region.
INTERCOM_APP_HOSTS = {
    "api.intercom.io": "app.intercom.com",
    "api.eu.intercom.io": "app.eu.intercom.com",
    "api.au.intercom.io": "app.au.intercom.com",
}
AUTHORIZE_PATH = "/oauth"
TOKEN_PATH = "/auth/eagle/token"


@dataclass(frozen=True)
class OAuthApp:
    """A public Intercom app's credentials, from the Developer Hub (or the sandbox's `--oauth-client-*`).

    `authorize_url` and `token_url` default to Intercom's for an Intercom `base_url`, and to the same
    paths on `base_url` otherwise (the sandbox serves both).
    """

    client_id: str
    client_secret: str
    redirect_uri: str
    authorize_url: str | None = None
    token_url: str | None = None

    def __post_init__(self) -> None:
        for name in ("client_id", "client_secret", "redirect_uri"):
            if not getattr(self, name):
                raise ValueError(f"OAuthApp needs a {name}")

    def __repr__(self) -> str:
        # The secret must not end up in logs or tracebacks.
        return f"OAuthApp(client_id={self.client_id!r}, redirect_uri={self.redirect_uri!r})"

    def endpoints(self, base_url: str) -> tuple[str, str]:
        """(authorize URL, token URL) for an API at `base_url`."""
        base = base_url.rstrip("/")
        parts = urlsplit(base)
        app_host = INTERCOM_APP_HOSTS.get(parts.hostname or "")
        authorize = f"https://{app_host}{AUTHORIZE_PATH}" if app_host else base + AUTHORIZE_PATH
        return self.authorize_url or authorize, self.token_url or base + TOKEN_PATH

    def authorization_url(self, base_url: str, state: str) -> str:
        authorize, _ = self.endpoints(base_url)
        query = urlencode({"client_id": self.client_id, "state": state, "redirect_uri": self.redirect_uri})
        return f"{authorize}{'&' if '?' in authorize else '?'}{query}"

    def token_request(self, base_url: str, code: str) -> dict[str, Any]:
        """Keyword arguments for `httpx.Client.request` that exchange `code` (form-encoded, as Intercom's docs show)."""
        _, token_url = self.endpoints(base_url)
        return {
            "method": "POST",
            "url": token_url,
            "data": {"code": code, "client_id": self.client_id, "client_secret": self.client_secret},
            "headers": {"Accept": "application/json"},
        }


def access_token_from(response: httpx.Response) -> str:
    """The token of a successful exchange; the typed `IntercomAPIError` (or `OAuthError`) otherwise."""
    if response.is_error:
        raise error_from_response(response)
    try:
        body = response.json()
    except ValueError:
        raise OAuthError(f"the token endpoint answered {response.status_code} without JSON") from None
    token = (body.get("access_token") or body.get("token")) if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise OAuthError("the token endpoint's answer has no access_token")
    return token
