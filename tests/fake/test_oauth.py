"""The fake's OAuth endpoints: authorize redirects with a code, the code buys one token of the workspace."""

import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from fake_intercom.oauth import CODE_LIFETIME_SECONDS

REDIRECT = "https://app.example.com/callback?src=intercom"


@pytest.fixture
def oauth_app(app, workspace):
    """The test workspace with an OAuth app: (workspace, client_id, client_secret)."""
    client_id = f"client-{uuid.uuid4().hex[:10]}"
    secret = f"secret-{uuid.uuid4().hex}"
    ws = app.state.store.update_workspace(workspace[0], oauth_client_id=client_id, oauth_client_secret=secret)
    return ws, client_id, secret


@pytest.fixture
def anon(asgi_transport):
    with httpx.Client(base_url="http://fake-intercom.test", transport=asgi_transport) as client:
        yield client


def authorize(anon: httpx.Client, client_id: str, state: str | None = "st-1", redirect_uri: str = REDIRECT):
    params = {"client_id": client_id, "redirect_uri": redirect_uri}
    if state is not None:
        params["state"] = state
    return anon.get("/oauth", params=params)


def code_of(response: httpx.Response) -> str:
    assert response.status_code == 302, response.text
    return parse_qs(urlsplit(response.headers["location"]).query)["code"][0]


def test_authorize_redirects_with_code_and_state(anon, oauth_app):
    _, client_id, _ = oauth_app
    response = authorize(anon, client_id, state="abc xyz")
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert (location.scheme, location.netloc, location.path) == ("https", "app.example.com", "/callback")
    query = parse_qs(location.query)
    assert query["state"] == ["abc xyz"]
    assert query["src"] == ["intercom"]  # the redirect URL's own query survives
    assert len(query["code"][0]) >= 20
    no_state = authorize(anon, client_id, state=None)
    assert "state" not in parse_qs(urlsplit(no_state.headers["location"]).query)


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "",
        "ftp://example.com/cb",
        "http://evil.example.com/cb",
        "/relative/cb",
        "https://x.example.com/cb#frag",
    ],
)
def test_bad_redirect_uri_gets_a_page_not_a_redirect(anon, oauth_app, redirect_uri):
    response = authorize(anon, oauth_app[1], redirect_uri=redirect_uri)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/plain")
    assert "redirect_uri" in response.text


def test_loopback_http_redirect_is_allowed(anon, oauth_app):
    for uri in ("http://127.0.0.1:8765/cb", "http://localhost/cb", "http://[::1]:9/cb"):
        assert authorize(anon, oauth_app[1], redirect_uri=uri).status_code == 302, uri


def test_unknown_client_gets_a_page(anon, oauth_app):
    for client_id in ("nobody", ""):
        response = authorize(anon, client_id)
        assert response.status_code == 400
        assert "location" not in response.headers
        assert "client_id" in response.text


def test_exchange_json_gives_a_working_token(anon, oauth_app):
    ws, client_id, secret = oauth_app
    code = code_of(authorize(anon, client_id))
    response = anon.post(
        "/auth/eagle/token", json={"code": code, "client_id": client_id, "client_secret": secret}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["token"] == body["access_token"]
    assert "refresh_token" not in body and "expires_in" not in body
    me = anon.get("/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["app"]["id_code"] == ws.id


def test_exchange_form_encoded(anon, oauth_app):
    _, client_id, secret = oauth_app
    code = code_of(authorize(anon, client_id))
    response = anon.post(
        "/auth/eagle/token", data={"code": code, "client_id": client_id, "client_secret": secret}
    )
    assert response.status_code == 200, response.text
    assert response.json()["access_token"]


def error_of(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert body["type"] == "error.list"
    assert body["request_id"]
    return response.status_code, body["errors"][0]["code"]


def test_code_is_single_use(anon, oauth_app):
    _, client_id, secret = oauth_app
    code = code_of(authorize(anon, client_id))
    form = {"code": code, "client_id": client_id, "client_secret": secret}
    first = anon.post("/auth/eagle/token", data=form)
    assert first.status_code == 200
    again = anon.post("/auth/eagle/token", data=form)
    assert error_of(again) == (400, "parameter_invalid")
    assert "already been used" in again.json()["errors"][0]["message"]
    # A replayed code may be a stolen one: the token it bought is revoked (RFC 6749 §4.1.2).
    refused = anon.get("/me", headers={"Authorization": f"Bearer {first.json()['token']}"})
    assert error_of(refused) == (401, "token_revoked")
    assert error_of(anon.post("/auth/eagle/token", data=form)) == (400, "parameter_invalid")


@pytest.fixture
def registered_app(app, oauth_app):
    """`oauth_app` with two registered redirect URIs."""
    ws, client_id, _ = oauth_app
    registered = ("https://app.example.com/registered", "http://127.0.0.1:3000/cb")
    app.state.store.update_workspace(ws, oauth_redirect_uris=registered)
    return client_id, registered


def test_a_registered_app_redirects_only_to_its_registered_uris(anon, registered_app):
    client_id, registered = registered_app
    refused = authorize(anon, client_id, redirect_uri="https://app.example.com/callback")
    assert refused.status_code == 400
    assert "location" not in refused.headers
    assert "registered" in refused.text
    second = authorize(anon, client_id, redirect_uri=registered[1])
    assert second.headers["location"].startswith(registered[1] + "?")
    default = anon.get("/oauth", params={"client_id": client_id})
    assert default.headers["location"].startswith(registered[0] + "?")


def test_wrong_secret_and_unknown_client_are_refused_without_burning_the_code(anon, oauth_app):
    _, client_id, secret = oauth_app
    code = code_of(authorize(anon, client_id))
    wrong = anon.post("/auth/eagle/token", json={"code": code, "client_id": client_id, "client_secret": "x"})
    assert error_of(wrong) == (401, "unauthorized")
    unknown = anon.post("/auth/eagle/token", json={"code": code, "client_id": "zz", "client_secret": secret})
    assert error_of(unknown) == (401, "unauthorized")
    ok = anon.post("/auth/eagle/token", json={"code": code, "client_id": client_id, "client_secret": secret})
    assert ok.status_code == 200


def test_code_of_another_app_is_refused(app, anon, oauth_app):
    _, client_id, secret = oauth_app
    from tests.conftest import new_workspace

    other, _ = new_workspace(app)
    app.state.store.update_workspace(other, oauth_client_id="other-app", oauth_client_secret="other-secret")
    foreign = code_of(authorize(anon, "other-app"))
    response = anon.post(
        "/auth/eagle/token", json={"code": foreign, "client_id": client_id, "client_secret": secret}
    )
    assert error_of(response) == (400, "parameter_invalid")


def test_code_expires_by_the_workspace_clock(app, anon, oauth_app):
    ws, client_id, secret = oauth_app
    code = code_of(authorize(anon, client_id))
    app.state.store.update_workspace(ws, clock_offset=CODE_LIFETIME_SECONDS + 1)
    response = anon.post(
        "/auth/eagle/token", json={"code": code, "client_id": client_id, "client_secret": secret}
    )
    assert error_of(response) == (400, "parameter_invalid")
    assert "expired" in response.json()["errors"][0]["message"]


def test_missing_fields_and_bad_json(anon, oauth_app):
    _, client_id, secret = oauth_app
    missing = anon.post("/auth/eagle/token", json={"client_id": client_id, "client_secret": secret})
    assert error_of(missing) == (400, "parameter_not_found")
    assert missing.json()["errors"][0]["field"] == "code"
    bad = anon.post("/auth/eagle/token", content=b"{nope", headers={"Content-Type": "application/json"})
    assert error_of(bad) == (400, "parameter_invalid")
    not_object = anon.post("/auth/eagle/token", json=["code"])
    assert error_of(not_object) == (400, "parameter_invalid")
    unknown_code = anon.post(
        "/auth/eagle/token", json={"code": "forged", "client_id": client_id, "client_secret": secret}
    )
    assert error_of(unknown_code) == (400, "parameter_invalid")


def test_redirect_uris_registered_through_the_control_plane(asgi_transport, anon):
    from fake_intercom import Sandbox, SandboxError
    from fake_intercom.sandbox_client import IN_PROCESS_URL

    with Sandbox(IN_PROCESS_URL, transport=asgi_transport) as sandbox:
        workspace = sandbox.create_workspace(oauth_redirect_uris=["https://app.example.com/registered"])
        assert workspace.info["oauth_redirect_uris"] == ["https://app.example.com/registered"]
        client_id = workspace.info["oauth_client_id"]
        assert authorize(anon, client_id).status_code == 400
        assert (
            authorize(anon, client_id, redirect_uri="https://app.example.com/registered").status_code == 302
        )
        with pytest.raises(SandboxError) as bad:
            sandbox.create_workspace(oauth_redirect_uris=["http://evil.example.com/cb"])
        assert bad.value.status_code == 400
        workspace.delete()
