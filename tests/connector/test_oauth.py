"""OAuth 2.0 and connected accounts, end to end against the fake over HTTP: link, redirect, exchange,
stored account, tool calls with the account's token; forged states, reused codes, wrong secrets refused."""

import asyncio
import os
import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from connector import (
    AccountStatus,
    Actions,
    AsyncActions,
    AuthorizationRequiredError,
    BadRequestError,
    ConnectedAccountExistsError,
    ConnectedAccountNotFoundError,
    MemoryAccountStore,
    OAuthApp,
    OAuthError,
    OAuthStateError,
    SQLiteAccountStore,
    ToolInputError,
    UnauthorizedError,
)
from tests.conftest import new_workspace

CALLBACK = "https://myapp.example/intercom/callback"


@pytest.fixture
def oauth_workspace(app):
    """A workspace whose OAuth app is (client_id, client_secret)."""
    workspace, _ = new_workspace(app)
    client_id, secret = f"cid-{uuid.uuid4().hex[:8]}", f"sec-{uuid.uuid4().hex}"
    workspace = app.state.store.update_workspace(
        workspace, oauth_client_id=client_id, oauth_client_secret=secret
    )
    return workspace, client_id, secret


@pytest.fixture
def actions(server_url, oauth_workspace):
    _, client_id, secret = oauth_workspace
    with Actions(
        base_url=server_url, oauth=OAuthApp(client_id, secret, CALLBACK), store=MemoryAccountStore()
    ) as actions:
        yield actions


def visit(link: str) -> dict[str, str]:
    """What a browser does: open the link, follow Intercom's 302, land on the app's callback."""
    landed: list[httpx.Request] = []

    def callback(request: httpx.Request) -> httpx.Response:
        landed.append(request)
        return httpx.Response(200, text="connected")

    mounts = {"https://myapp.example": httpx.MockTransport(callback)}
    with httpx.Client(mounts=mounts, follow_redirects=True) as browser:
        page = browser.get(link)
    assert page.status_code == 200 and page.text == "connected"
    assert len(page.history) == 1 and page.history[0].status_code == 302
    (request,) = landed
    assert str(request.url).startswith(CALLBACK + "?")
    return {key: values[0] for key, values in parse_qs(request.url.query.decode()).items()}


def connect(actions: Actions, identifier: str) -> str:
    """Run the whole flow for `identifier`; return the stored access token."""
    returned = visit(actions.get_authorization_link(identifier=identifier).link)
    account = actions.complete_authorization(code=returned["code"], state=returned["state"]).connected_account
    assert account.status == AccountStatus.ACTIVE
    return account.access_token


def test_full_flow_then_tool_calls_use_the_accounts_token(actions, server_url, oauth_workspace):
    workspace, client_id, _ = oauth_workspace
    link = actions.get_authorization_link(identifier="user_1")
    assert link.link.startswith(f"{server_url}/oauth?")
    query = parse_qs(urlsplit(link.link).query)
    assert query["client_id"] == [client_id] and query["redirect_uri"] == [CALLBACK]
    assert link.expiry.timestamp() > 0
    pending = actions.get_connected_account(identifier="user_1").connected_account
    assert pending.status == AccountStatus.PENDING_AUTH and pending.access_token is None

    returned = visit(link.link)
    assert returned["state"] == query["state"][0]
    done = actions.complete_authorization(code=returned["code"], state=returned["state"]).connected_account
    assert done.id == pending.id and done.id.startswith("ca_")
    assert (done.status, done.authorization_type, done.connector) == (
        AccountStatus.ACTIVE,
        "OAUTH",
        "intercom",
    )
    assert done.token_expires_at is None

    # Actions has no token of its own: the call can only succeed with the account's.
    assert actions.client.token is None
    me = actions.execute_tool(tool_input={}, tool_name="intercom_identify_admin", identifier="user_1")
    assert me.successful and me.data["app"]["id_code"] == workspace.id
    by_id = actions.execute_tool(
        tool_input={}, tool_name="intercom_list_admins", connected_account_id=done.id
    )
    assert by_id.successful
    raw = actions.request(path="/me", identifier="user_1")
    assert raw.status_code == 200
    assert actions.get_connected_account(identifier="user_1").connected_account.last_used_at is not None


def test_forged_state_is_refused(actions):
    returned = visit(actions.get_authorization_link(identifier="user_1").link)
    with pytest.raises(OAuthStateError):
        actions.complete_authorization(code=returned["code"], state="forged-state")
    with pytest.raises(OAuthStateError):
        actions.complete_authorization(code=returned["code"], state="")
    # The real state still works once, and only once.
    actions.complete_authorization(code=returned["code"], state=returned["state"])
    with pytest.raises(OAuthStateError):
        actions.complete_authorization(code=returned["code"], state=returned["state"])


def test_reused_code_is_refused_by_intercom(actions):
    first = visit(actions.get_authorization_link(identifier="user_1").link)
    actions.complete_authorization(code=first["code"], state=first["state"])
    second = visit(actions.get_authorization_link(identifier="user_2").link)
    with pytest.raises(BadRequestError) as refused:
        actions.complete_authorization(code=first["code"], state=second["state"])
    assert refused.value.code == "parameter_invalid" and "already been used" in refused.value.message
    assert actions.get_connected_account(identifier="user_2").connected_account.status == "PENDING_AUTH"


def test_wrong_secret_is_refused(server_url, oauth_workspace):
    _, client_id, _ = oauth_workspace
    actions = Actions(
        base_url=server_url, oauth=OAuthApp(client_id, "wrong", CALLBACK), store=MemoryAccountStore()
    )
    returned = visit(actions.get_authorization_link(identifier="user_1").link)
    with pytest.raises(UnauthorizedError) as refused:
        actions.complete_authorization(code=returned["code"], state=returned["state"])
    assert refused.value.status_code == 401
    assert actions.get_connected_account(identifier="user_1").connected_account.status == "PENDING_AUTH"


def test_unknown_client_never_redirects(server_url):
    actions = Actions(
        base_url=server_url, oauth=OAuthApp("no-such-app", "s", CALLBACK), store=MemoryAccountStore()
    )
    page = httpx.get(actions.get_authorization_link(identifier="u").link)
    assert page.status_code == 400 and "location" not in page.headers


def test_expired_state_is_refused(actions):
    actions.accounts.state_lifetime = -1
    returned = visit(actions.get_authorization_link(identifier="user_1").link)
    with pytest.raises(OAuthStateError, match="expired"):
        actions.complete_authorization(code=returned["code"], state=returned["state"])


def test_no_active_account_requires_authorization_with_a_fresh_link(actions, server_url):
    with pytest.raises(AuthorizationRequiredError) as required:
        actions.execute_tool(tool_input={}, tool_name="intercom_list_admins", identifier="stranger")
    assert required.value.status == "PENDING_AUTH" or required.value.status is None
    assert required.value.link.startswith(f"{server_url}/oauth?")
    envelope = actions.execute_tool(
        tool_input={}, tool_name="intercom_list_admins", identifier="stranger", raise_on_error=False
    )
    assert not envelope.successful
    assert envelope.error["type"] == "authorization_required"
    assert envelope.error["link"].startswith(f"{server_url}/oauth?")
    # The link really works: following it connects the account.
    returned = visit(envelope.error["link"])
    actions.complete_authorization(code=returned["code"], state=returned["state"])
    assert actions.execute_tool(
        tool_input={}, tool_name="intercom_list_admins", identifier="stranger"
    ).successful


def test_a_401_marks_the_account_expired(app, actions):
    token = connect(actions, "user_1")
    app.state.store.revoke_token(token)  # the workspace uninstalled the app
    with pytest.raises(UnauthorizedError) as revoked:
        actions.execute_tool(tool_input={}, tool_name="intercom_list_admins", identifier="user_1")
    assert revoked.value.code == "token_revoked"
    assert actions.get_connected_account(identifier="user_1").connected_account.status == "EXPIRED"
    with pytest.raises(AuthorizationRequiredError) as required:
        actions.execute_tool(tool_input={}, tool_name="intercom_list_admins", identifier="user_1")
    assert required.value.status == "EXPIRED" and required.value.link
    # Re-authorizing makes the same account ACTIVE again.
    token_again = connect(actions, "user_1")
    assert token_again != token
    assert actions.execute_tool(
        tool_input={}, tool_name="intercom_list_admins", identifier="user_1"
    ).successful


def test_request_proxy_401_also_expires(app, actions):
    token = connect(actions, "user_1")
    app.state.store.revoke_token(token)
    assert actions.request(path="/me", identifier="user_1").status_code == 401
    assert actions.get_connected_account(identifier="user_1").connected_account.status == "EXPIRED"


def test_identifier_without_oauth_or_store_uses_the_static_token(server_url, app):
    _, token = new_workspace(app)
    with Actions(base_url=server_url, token=token) as actions:
        result = actions.execute_tool(tool_input={}, tool_name="intercom_list_admins", identifier="anyone")
    assert result.successful


def test_get_authorization_link_without_oauth_app():
    with pytest.raises(OAuthError):
        Actions(token="t", store=MemoryAccountStore()).get_authorization_link(identifier="u")


def test_sqlite_store_survives_a_new_actions(tmp_path, server_url, oauth_workspace):
    _, client_id, secret = oauth_workspace
    path = tmp_path / "accounts.db"
    oauth = OAuthApp(client_id, secret, CALLBACK)
    first = Actions(base_url=server_url, oauth=oauth, store=SQLiteAccountStore(path))
    returned = visit(first.get_authorization_link(identifier="user_1").link)
    # A different process (another Actions on the same file) completes it.
    second = Actions(base_url=server_url, oauth=oauth, store=SQLiteAccountStore(path))
    second.complete_authorization(code=returned["code"], state=returned["state"])
    assert first.execute_tool(tool_input={}, tool_name="intercom_list_admins", identifier="user_1").successful
    assert os.stat(path).st_mode & 0o077 == 0
    with pytest.raises(OAuthStateError):
        first.complete_authorization(code=returned["code"], state=returned["state"])


def test_default_store_is_created_lazily_at_the_configured_path(tmp_path, monkeypatch):
    path = tmp_path / "nested" / "accounts.db"
    monkeypatch.setenv("INTERCOM_CONNECTOR_ACCOUNTS_DB", str(path))
    actions = Actions(token="t", oauth=OAuthApp("c", "s", CALLBACK))
    assert not path.exists()
    actions.create_connected_account(
        identifier="u", authorization_details={"static_auth": {"access_token": "x"}}
    )
    assert path.exists()


@pytest.mark.parametrize(
    ("base_url", "authorize", "token"),
    [
        (
            "https://api.intercom.io",
            "https://app.intercom.com/oauth",
            "https://api.intercom.io/auth/eagle/token",
        ),
        (
            "https://api.eu.intercom.io/",
            "https://app.eu.intercom.com/oauth",
            "https://api.eu.intercom.io/auth/eagle/token",
        ),
        (
            "http://127.0.0.1:9/sandbox",
            "http://127.0.0.1:9/sandbox/oauth",
            "http://127.0.0.1:9/sandbox/auth/eagle/token",
        ),
    ],
)
def test_endpoints_follow_the_base_url(base_url, authorize, token):
    assert OAuthApp("c", "s", CALLBACK).endpoints(base_url) == (authorize, token)
    custom = OAuthApp(
        "c", "s", CALLBACK, authorize_url="https://sso.test/auth", token_url="https://sso.test/t"
    )
    assert custom.endpoints(base_url) == ("https://sso.test/auth", "https://sso.test/t")
    assert "top-secret" not in repr(OAuthApp("c", "top-secret", CALLBACK))


def test_region_actions_link_to_intercoms_page():
    actions = Actions(region="eu", oauth=OAuthApp("cid", "s", CALLBACK), store=MemoryAccountStore())
    link = actions.get_authorization_link(identifier="u", state="my-state").link
    assert link.startswith("https://app.eu.intercom.com/oauth?")
    assert parse_qs(urlsplit(link).query)["state"] == ["my-state"]


def test_connected_accounts_crud_and_listing():
    actions = Actions(token="t", store=MemoryAccountStore())
    static = {"static_auth": {"access_token": "tok-a"}}
    created = actions.create_connected_account(identifier="a", authorization_details=static).connected_account
    assert (created.status, created.authorization_type, created.access_token) == (
        "ACTIVE",
        "BEARER_TOKEN",
        "tok-a",
    )
    with pytest.raises(ConnectedAccountExistsError):
        actions.create_connected_account(identifier="a")
    pending = actions.create_connected_account(
        connection_name="intercom-eu", identifier="a"
    ).connected_account
    assert pending.status == "PENDING_AUTH" and pending.id != created.id
    actions.get_or_create_connected_account(identifier="b")
    assert actions.upsert_connected_account(identifier="b").connected_account.status == "PENDING_AUTH"

    everything = actions.list_connected_accounts()
    assert everything.total_count == 3
    assert set(everything.connected_accounts[0].to_dict()) == {
        "identifier",
        "provider",
        "status",
        "authorization_type",
        "token_expires_at",
        "updated_at",
        "connector",
        "last_used_at",
    }
    assert actions.list_connected_accounts(connection_name="intercom-eu").total_count == 1
    assert (
        actions.list_connected_accounts(
            connection_names=["intercom", "intercom-eu"], identifier="a"
        ).total_count
        == 2
    )
    assert actions.list_connected_accounts(provider="SLACK").total_count == 0
    page = actions.list_connected_accounts(page_size=2)
    assert len(page.connected_accounts) == 2 and page.next_page_token == "2"
    rest = actions.list_connected_accounts(page_size=2, page_token=page.next_page_token)
    assert len(rest.connected_accounts) == 1 and rest.next_page_token is None

    details = actions.get_connected_account_details(identifier="a").connected_account
    assert details.access_token is None and details.authorization_details == {"static_auth": {}}
    assert (
        actions.get_connected_account(connected_account_id=created.id).connected_account.access_token
        == "tok-a"
    )

    updated = actions.update_connected_account(
        identifier="b", authorization_details={"oauth_token": {"access_token": "tok-b"}}, api_config={"x": 1}
    ).connected_account
    assert (updated.status, updated.authorization_type, updated.api_config) == ("ACTIVE", "OAUTH", {"x": 1})

    assert actions.delete_connected_account(identifier="a").to_dict() == {}
    with pytest.raises(ConnectedAccountNotFoundError):
        actions.get_connected_account(identifier="a")
    with pytest.raises(ConnectedAccountNotFoundError):
        actions.delete_connected_account(connected_account_id="ca_missing")
    with pytest.raises(ValueError):
        actions.list_connected_accounts(page_token="abc")


def test_official_sdk_client_runs_as_the_account(actions, oauth_workspace):
    pytest.importorskip("intercom")
    connect(actions, "user_1")
    sdk = actions.intercom_client(identifier="user_1")
    me = sdk.admins.identify()
    assert me.app.id_code == oauth_workspace[0].id
    with pytest.raises(AuthorizationRequiredError):
        actions.intercom_client(identifier="nobody")


def test_official_sdk_client_with_the_static_token(asgi_transport, workspace):
    pytest.importorskip("intercom")
    actions = Actions(base_url="http://fake-intercom.test", token=workspace[1], transport=asgi_transport)
    assert actions.intercom_client().admins.identify().app.id_code == workspace[0].id
    with pytest.raises(ValueError):
        Actions(base_url="http://x").intercom_client()


def test_async_flow(server_url, oauth_workspace):
    _, client_id, secret = oauth_workspace

    async def run():
        async with AsyncActions(
            base_url=server_url, oauth=OAuthApp(client_id, secret, CALLBACK), store=MemoryAccountStore()
        ) as actions:
            link = actions.get_authorization_link(identifier="user_1")
            returned = await asyncio.to_thread(visit, link.link)
            account = await actions.complete_authorization(code=returned["code"], state=returned["state"])
            result = await actions.execute_tool(
                tool_input={}, tool_name="intercom_list_admins", identifier="user_1"
            )
            with pytest.raises(AuthorizationRequiredError):
                await actions.execute_tool(
                    tool_input={}, tool_name="intercom_list_admins", identifier="other"
                )
            return account.connected_account, result

    account, result = asyncio.run(run())
    assert account.status == "ACTIVE" and result.successful


def test_bad_input_is_reported_before_the_account_is_looked_up():
    actions = Actions(base_url="http://x", token="t", store=MemoryAccountStore())
    with pytest.raises(ToolInputError):
        actions.execute_tool(tool_input={"nope": 1}, tool_name="intercom_list_admins", identifier="nobody")
    with pytest.raises(AuthorizationRequiredError) as required:
        actions.execute_tool(tool_input={}, tool_name="intercom_list_admins", identifier="nobody")
    assert required.value.link is None  # no OAuth app: nothing to link to
    assert actions.list_connected_accounts().total_count == 0
