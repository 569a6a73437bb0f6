"""Who may use the inspector, how a browser logs in, and what every inspector response carries.

The inspector sits behind the control plane's own rules: open on a loopback bind, closed elsewhere
unless a control secret is configured, and then only for requests that carry the secret or the
session cookie of a browser that gave it. On top, because a browser is driving it:

- on a loopback bind the Host header must name the loopback, so a page of another site that has
  its own name resolve to 127.0.0.1 (DNS rebinding) reads nothing;
- every write is a JSON body from the same origin, as the gateway requires of the whole control plane:
  a cross-site page can neither send JSON without a preflight nor pass the Origin check, and the
  session cookie is SameSite=Strict besides;
- pages may not be framed, and scripts and styles come only from the inspector's own files.
"""

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from fake_intercom.errors import IntercomError, forbidden, unauthorized
from fake_intercom.inspector.render import UI_PREFIX, error_page
from fake_intercom.routing import LazyRoute
from fake_intercom.sandbox.access import has_secret
from fake_intercom.settings import is_loopback_host as loopback_name

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def is_loopback_host(host_header: str) -> bool:
    return loopback_name(urlsplit(f"//{host_header}").hostname or "")


def browser_guard(request: Request) -> None:
    """What every inspector request passes, the login form's included."""
    if request.app.state.settings.loopback and not is_loopback_host(request.headers.get("host", "")):
        raise forbidden("The inspector answers only to a loopback host name")


def inspector_guard(request: Request) -> None:
    browser_guard(request)
    settings = request.app.state.settings
    if settings.control_secret:
        if not has_secret(request, settings.control_secret):
            raise unauthorized("Log in to the inspector with the control secret")
    elif not settings.loopback:
        raise forbidden("The control plane is closed on a non-loopback bind without a control secret")


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class InspectorRoute(LazyRoute):
    """Adds the security headers to every answer. What a GET answers is read by a browser, so its
    error is an HTML page (or, for want of a session, the login form); a write answers as the control
    plane does, with an `error.list`."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        html = "GET" in (self.methods or ())

        async def secured(request: Request) -> Response:
            try:
                response = await handler(request)
            except IntercomError as error:
                if not html:
                    raise
                if error.status == 401 and request.app.state.settings.control_secret:
                    response = RedirectResponse(f"{UI_PREFIX}/login", status_code=303)
                else:
                    response = error_page(request, error)
            response.headers.update(SECURITY_HEADERS)
            return response

        return secured


def inspector_router(guard: Callable[[Request], None] = inspector_guard) -> APIRouter:
    """A router of inspector routes: under /_sandbox/ui, behind `guard`, out of the OpenAPI document."""
    return APIRouter(
        prefix=UI_PREFIX, route_class=InspectorRoute, dependencies=[Depends(guard)], include_in_schema=False
    )
