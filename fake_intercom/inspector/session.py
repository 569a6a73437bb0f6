"""Logging a browser in when the control plane has a secret, and the inspector's own static files.

The secret is typed into a form and posted as JSON, or skipped with the one-time link `fake-intercom
serve` prints; either way the browser gets an HttpOnly, SameSite=Strict session cookie, so the
secret never sits in a URL, a log or the page."""

import hmac
from importlib import resources
from typing import Literal

from fastapi import Request
from pydantic import BaseModel, Field
from starlette.responses import RedirectResponse, Response

from fake_intercom.errors import not_found, parameter_invalid, unauthorized
from fake_intercom.inspector.access import browser_guard, inspector_router
from fake_intercom.inspector.render import UI_PREFIX, render
from fake_intercom.sandbox.access import PREFIX, SESSION_COOKIE, browser_sessions

STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}

router = inspector_router(browser_guard)


class Login(BaseModel):
    secret: str = Field(..., max_length=1_000)


class Session(BaseModel):
    type: Literal["sandbox.session"] = "sandbox.session"


def login_link(request_base_url: str, code: str) -> str:
    return f"{request_base_url.rstrip('/')}{UI_PREFIX}/login?code={code}"


def _with_session(request: Request, response: Response, session: str) -> Response:
    response.set_cookie(
        SESSION_COOKIE,
        session,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=PREFIX,
    )
    return response


@router.get("/login")
async def login_page(request: Request, code: str = "") -> Response:
    if code:
        session = browser_sessions(request).redeem(code)
        if session is None:
            return render(request, "login.html", status=401, expired=True)
        return _with_session(request, RedirectResponse(f"{UI_PREFIX}/workspaces", status_code=303), session)
    return render(request, "login.html", expired=False)


@router.post("/login")
async def login(body: Login, request: Request) -> Response:
    secret = request.app.state.settings.control_secret
    if not secret:
        raise parameter_invalid("This sandbox has no control secret to log in with")
    if not hmac.compare_digest(body.secret.encode(), secret.encode()):
        raise unauthorized("That is not the control secret")
    response = Response(Session().model_dump_json(), media_type="application/json")
    return _with_session(request, response, browser_sessions(request).open())


@router.post("/logout")
async def logout(request: Request) -> Response:
    browser_sessions(request).close(request.cookies.get(SESSION_COOKIE, ""))
    response = Response(Session().model_dump_json(), media_type="application/json")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


@router.get("/static/{name}")
async def static(name: str) -> Response:
    suffix = name[name.rfind(".") :] if "." in name else ""
    asset = resources.files("fake_intercom.inspector") / "static" / name
    if suffix not in STATIC_TYPES or "/" in name or not asset.is_file():
        raise not_found("Resource Not Found")
    return Response(asset.read_bytes(), media_type=STATIC_TYPES[suffix])
