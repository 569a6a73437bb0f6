"""What every control-plane route shares: the guard in front of it, and finding the workspace it names."""

import hmac
import secrets

from fastapi import APIRouter, Depends, Request

from fake_intercom.errors import forbidden, not_found, unauthorized
from fake_intercom.routing import JSONRoute
from fake_intercom.store import Store, Workspace

SECRET_HEADER = "X-Sandbox-Secret"
PREFIX = "/_sandbox"
# The cookie of a browser logged in to the control plane (the inspector's login form or one-time link).
SESSION_COOKIE = "fake_intercom_session"
# The snapshot `reset` returns to: the seed, and whatever was seeded after it with `remember`.
SEED_SNAPSHOT = "__seed__"


class BrowserSessions:
    """Browsers let in to the control plane when it has a secret: a browser proves it knows the secret
    once (or brings a one-time code printed at start-up) and then carries a random session id in a
    cookie, so the secret itself never travels in a URL or sits in the page."""

    def __init__(self) -> None:
        self._sessions: set[str] = set()
        self._codes: set[str] = set()

    def one_time_code(self) -> str:
        code = secrets.token_urlsafe(24)
        self._codes.add(code)
        return code

    def redeem(self, code: str) -> str | None:
        """A new session for a code not used before, else None."""
        if code not in self._codes:
            return None
        self._codes.discard(code)
        return self.open()

    def open(self) -> str:
        session = secrets.token_urlsafe(32)
        self._sessions.add(session)
        return session

    def close(self, session: str) -> None:
        self._sessions.discard(session)

    def valid(self, session: str | None) -> bool:
        return bool(session) and session in self._sessions


def browser_sessions(request: Request) -> BrowserSessions:
    return request.app.state.browser_sessions


def has_secret(request: Request, secret: str) -> bool:
    """Whether the request carries the control secret, or the session of a browser that gave it."""
    given = request.headers.get(SECRET_HEADER, "")
    if hmac.compare_digest(given.encode(), secret.encode()):
        return True
    return browser_sessions(request).valid(request.cookies.get(SESSION_COOKIE))


async def control_guard(request: Request) -> None:
    settings = request.app.state.settings
    secret = settings.control_secret
    if secret:
        if not has_secret(request, secret):
            raise unauthorized(f"The control plane needs a valid {SECRET_HEADER}")
    elif not settings.loopback:
        raise forbidden("The control plane is closed on a non-loopback bind without a control secret")
    workspace_id = request.path_params.get("workspace_id")
    if workspace_id is not None:
        # A snapshot, a second reset or a read of a workspace being reset or restored in steps would
        # see half of it: every control-plane call on that workspace waits for the last step.
        await store_of(request).settled(workspace_id)


def control_router() -> APIRouter:
    """A router of control-plane routes: under /_sandbox, behind the guard."""
    return APIRouter(
        prefix=PREFIX, tags=["Sandbox"], dependencies=[Depends(control_guard)], route_class=JSONRoute
    )


def store_of(request: Request) -> Store:
    return request.app.state.store


def workspace_of(request: Request, workspace_id: str) -> Workspace:
    workspace = store_of(request).workspace(workspace_id)
    if workspace is None:
        raise not_found("Workspace Not Found")
    return workspace
