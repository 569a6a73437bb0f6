"""Intercom's OAuth 2.0 endpoints for an app (authorize, token exchange), so a connector's whole
OAuth flow runs offline.

The app is the workspace's (`--oauth-client-id` / `--oauth-client-secret`). Authorizing approves at
once, as if the workspace's owner had clicked "Connect". Codes live in `oauth_codes`: single use,
valid for five minutes by the workspace clock (FIDELITY §1.5-1.6).
"""

import base64
import hmac
import secrets
import uuid
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
from fastapi import APIRouter, Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from fake_intercom import responses
from fake_intercom.errors import IntercomError, parameter_invalid, parameter_not_found, unauthorized
from fake_intercom.settings import is_loopback_host
from fake_intercom.store import Store, Workspace, table

router = APIRouter(tags=["OAuth"])

CODE_LIFETIME_SECONDS = 300

CODES = table(
    "oauth_codes",
    {"code": str, "client_id": str, "redirect_uri": str, "created_at": int, "used_at": int, "token": str},
    pk=("code",),
)


def workspace_for_client(store: Store, client_id: str) -> Workspace | None:
    """The workspace whose OAuth app has this client id (the oldest, should two share one)."""
    workspace_id = store.scalar(
        "SELECT id FROM workspaces WHERE oauth_client_id = ? ORDER BY created_at, id LIMIT 1", (client_id,)
    )
    return store.workspace(workspace_id) if workspace_id is not None else None


def redirect_uri_problem(redirect_uri: str, registered: tuple[str, ...] = ()) -> str | None:
    """Why `redirect_uri` may not receive a code, or None when it may.

    Intercom only redirects to pre-registered HTTPS URLs. An app with registered URIs takes exactly
    those; an app without any (the sandbox default) takes any absolute HTTPS URL, plus plain HTTP to the
    loopback interface for local development.
    """
    if not redirect_uri:
        return "redirect_uri is required: the app has no registered redirect URL to fall back on."
    if registered and redirect_uri not in registered:
        return f"redirect_uri {redirect_uri!r} is not one of the app's registered redirect URLs."
    parts = urlsplit(redirect_uri)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"redirect_uri must be an absolute https URL, not {redirect_uri!r}."
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        return "redirect_uri must use https (plain http is accepted for localhost and 127.0.0.1 only)."
    if parts.fragment:
        return "redirect_uri must not contain a fragment (#...)."
    return None


def _with_query(url: str, extra: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *extra.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _refusal(message: str) -> Response:
    # A person's browser shows this page: never redirect to a URL we could not vouch for.
    return PlainTextResponse(f"Intercom could not authorize this app.\n\n{message}\n", status_code=400)


@router.get("/oauth", summary="Authorize an OAuth app (approves at once)")
async def authorize(request: Request, client_id: str = "", state: str | None = None, redirect_uri: str = ""):
    store: Store = request.app.state.store
    workspace = workspace_for_client(store, client_id) if client_id else None
    if workspace is None:
        return _refusal(f"No app has the client_id {client_id!r}." if client_id else "client_id is missing.")
    if not redirect_uri and workspace.oauth_redirect_uris:
        redirect_uri = workspace.oauth_redirect_uris[0]  # Intercom's default: the first registered
    problem = redirect_uri_problem(redirect_uri, workspace.oauth_redirect_uris)
    if problem is not None:
        return _refusal(problem)
    code = secrets.token_urlsafe(24)
    store.insert(
        CODES.name,
        {
            "code": code,
            "workspace_id": workspace.id,
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "created_at": store.now(workspace),
            "used_at": None,
            "token": None,
        },
    )
    returned = {"code": code} if state is None else {"code": code, "state": state}
    return RedirectResponse(_with_query(redirect_uri, returned), status_code=302)


async def _token_request(request: Request) -> dict[str, Any]:
    """The exchange's fields, JSON or form-encoded as clients send either; query parameters count too."""
    fields: dict[str, Any] = dict(request.query_params)
    raw = await request.body()
    if not raw.strip():
        return fields
    if "json" in request.headers.get("content-type", ""):
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise parameter_invalid("There was a problem in the JSON you submitted") from None
        if not isinstance(body, dict):
            raise parameter_invalid("The request body must be a JSON object")
        return {**fields, **body}
    return {**fields, **dict(parse_qsl(raw.decode("latin-1"), keep_blank_values=True))}


def _required(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    if not isinstance(value, str) or not value:
        raise parameter_not_found(f"{name} is a required parameter", field=name)
    return value


def new_access_token() -> str:
    # Intercom's tokens are base64 of "tok:<uuid with underscores>:1:0".
    raw = f"tok:{str(uuid.uuid4()).replace('-', '_')}:1:0"
    return base64.b64encode(raw.encode()).decode()


def _invalid_client() -> IntercomError:
    # One answer for an unknown client and a wrong secret, so neither can be probed separately.
    return unauthorized("Invalid client_id or client_secret")


def _invalid_code(reason: str) -> IntercomError:
    return parameter_invalid(f"The authorization code {reason}", field="code")


@router.post("/auth/eagle/token", summary="Exchange an authorization code for an access token")
async def exchange(request: Request) -> Response:
    fields = await _token_request(request)
    code = _required(fields, "code")
    client_id = _required(fields, "client_id")
    client_secret = _required(fields, "client_secret")
    store: Store = request.app.state.store
    workspace = workspace_for_client(store, client_id)
    if workspace is None or not hmac.compare_digest(
        (workspace.oauth_client_secret or "").encode(), client_secret.encode()
    ):
        raise _invalid_client()
    with store.atomic():
        row = store.one("SELECT * FROM oauth_codes WHERE code = ?", (code,))
        if row is None or row["client_id"] != client_id or row["workspace_id"] != workspace.id:
            raise _invalid_code("is not valid for this app")
        replayed = row["used_at"] is not None
        if replayed and row["token"]:
            # A code presented twice may have been stolen: the token it bought is revoked too
            # (RFC 6749 §4.1.2), committed before the refusal.
            store.revoke_token(row["token"])
            store.execute("UPDATE oauth_codes SET token = NULL WHERE code = ?", (code,))
    if replayed:
        raise _invalid_code("has already been used; the token issued for it is revoked")
    with store.atomic():
        now = store.now(workspace)
        if now - row["created_at"] > CODE_LIFETIME_SECONDS:
            raise _invalid_code("has expired; start the authorization again")
        token = new_access_token()
        store.add_token(workspace.id, token, kind="oauth")
        store.execute("UPDATE oauth_codes SET used_at = ?, token = ? WHERE code = ?", (now, token, code))
    return responses.json({"token_type": "Bearer", "token": token, "access_token": token})
