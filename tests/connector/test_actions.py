"""The Scalekit-shaped facade: list_tools, get_tool, execute_tool envelopes, the raw request proxy."""

import asyncio
import json

import httpx
import pytest

from connector import (
    CATALOG,
    Actions,
    AsyncActions,
    NotFoundError,
    ToolInputError,
    ToolNotFoundError,
    TransportError,
)


def recording_actions(*responses: httpx.Response, **options) -> tuple[Actions, list[httpx.Request]]:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return responses[min(len(requests), len(responses)) - 1]

    actions = Actions(
        base_url="http://intercom.test", token="tok", transport=httpx.MockTransport(handler), **options
    )
    return actions, requests


def test_list_tools_returns_scalekit_shaped_tools():
    listing = Actions(token="t").list_tools()
    assert listing.total_count == len(CATALOG) == len(listing.tools) == len(listing.tool_names)
    assert listing.next_page_token is None
    tool = next(tool for tool in listing.tools if tool.id == "intercom_search_contacts")
    assert tool.provider == "INTERCOM"
    definition = tool.definition
    assert set(definition) == {"name", "description", "input_schema", "annotations"}
    assert set(definition["annotations"]) == {
        "title",
        "read_only_hint",
        "destructive_hint",
        "idempotent_hint",
        "open_world_hint",
    }
    assert definition["input_schema"]["properties"]["query"]["type"] == "object"
    assert tool.metadata["operation_id"] == "SearchContacts"
    assert "INTERCOM_SEARCH_CONTACTS" in tool.metadata["aliases"]
    assert tool.to_dict()["definition"]["name"] == "intercom_search_contacts"


def test_list_tools_pages_through_everything_once():
    actions = Actions(token="t")
    seen: list[str] = []
    token = None
    while True:
        page = actions.list_tools(page_size=10, page_token=token)
        assert len(page.tools) <= 10
        seen += page.tool_names
        token = page.next_page_token
        if token is None:
            break
    assert sorted(seen) == sorted(tool.name for tool in CATALOG)


def test_list_tools_filters_by_name_alias_query_and_provider():
    actions = Actions(token="t")
    by_name = actions.list_tools(tool_name=["intercom_list_admins", "INTERCOM_GET_A_CONTACT", "no_such_tool"])
    assert sorted(by_name.tool_names) == ["intercom_list_admins", "intercom_retrieve_contact"]
    assert actions.list_tools(tool_name="intercom_list_teams").tool_names == ["intercom_list_teams"]
    by_query = actions.list_tools(query="subscription")
    assert by_query.total_count >= 3
    assert all("subscription" in name for name in by_query.tool_names)
    assert actions.list_tools(provider="SLACK").total_count == 0


def test_get_tool_by_alias_any_case():
    actions = Actions(token="t")
    assert actions.get_tool("intercom_add_tag_to_contact").id == "intercom_attach_tag_to_contact"
    with pytest.raises(ToolNotFoundError):
        actions.get_tool("intercom_nope")


def test_execute_tool_success_envelope():
    actions, requests = recording_actions(httpx.Response(200, json={"type": "contact", "id": "c1"}))
    result = actions.execute_tool(tool_input={"contact_id": "c1"}, tool_name="INTERCOM_GET_A_CONTACT")
    assert result.successful and result.error is None
    assert result.data == {"type": "contact", "id": "c1"}
    assert result.tool_name == "intercom_retrieve_contact"
    assert result.execution_id.startswith("exec_")
    assert set(result.to_dict()) == {"data", "execution_id", "tool_name", "successful", "error", "truncated"}
    assert requests[0].url.path == "/contacts/c1"
    assert requests[0].headers["authorization"] == "Bearer tok"


def test_execute_tool_raises_api_errors_with_execution_id():
    error = {
        "type": "error.list",
        "request_id": "r9",
        "errors": [{"code": "not_found", "message": "User Not Found"}],
    }
    actions, _ = recording_actions(httpx.Response(404, json=error))
    with pytest.raises(NotFoundError) as caught:
        actions.execute_tool(tool_input={"contact_id": "zz"}, tool_name="intercom_list_contact_tags")
    assert caught.value.execution_id.startswith("exec_")
    assert caught.value.tool_name == "intercom_list_contact_tags"


def test_execute_tool_failure_envelope():
    error = {
        "type": "error.list",
        "request_id": "r9",
        "errors": [{"code": "not_found", "message": "User Not Found"}],
    }
    actions, _ = recording_actions(httpx.Response(404, json=error))
    result = actions.execute_tool(
        tool_input={"contact_id": "zz"}, tool_name="intercom_delete_contact", raise_on_error=False
    )
    assert result.to_dict() == {
        "data": None,
        "execution_id": result.execution_id,
        "tool_name": "intercom_delete_contact",
        "successful": False,
        "error": {
            "type": "not_found",
            "status": 404,
            "code": "not_found",
            "message": "User Not Found",
            "request_id": "r9",
            "retryable": False,
        },
        "truncated": None,
    }


def test_execute_unknown_tool_envelope_and_raise():
    actions, requests = recording_actions(httpx.Response(200, json={}))
    result = actions.execute_tool(tool_input={}, tool_name="intercom_fly", raise_on_error=False)
    assert (result.successful, result.error["type"], result.tool_name) == (
        False,
        "tool_not_found",
        "intercom_fly",
    )
    with pytest.raises(ToolNotFoundError):
        actions.execute_tool(tool_input={}, tool_name="intercom_fly")
    assert requests == []


def test_transport_failure_envelope_is_retryable():
    def refuse(request):
        raise httpx.ConnectError("refused")

    actions = Actions(base_url="http://x", token="t", transport=httpx.MockTransport(refuse), max_retries=0)
    result = actions.execute_tool(tool_input={}, tool_name="intercom_list_tags", raise_on_error=False)
    assert (result.error["type"], result.error["retryable"]) == ("transport_error", True)
    with pytest.raises(TransportError):
        actions.execute_tool(tool_input={}, tool_name="intercom_list_tags")


def test_request_proxy_adds_auth_and_version():
    actions, requests = recording_actions(httpx.Response(200, json={"ok": True}), intercom_version="2.16")
    response = actions.request(
        path="contacts/search",
        method="POST",
        query_params={"a": 1},
        body={"query": {}},
        headers={"X-Extra": "1"},
    )
    assert isinstance(response, httpx.Response) and response.json() == {"ok": True}
    sent = requests[0]
    assert (sent.method, sent.url.path, sent.url.params["a"]) == ("POST", "/contacts/search", "1")
    assert json.loads(sent.content) == {"query": {}}
    assert (sent.headers["intercom-version"], sent.headers["x-extra"]) == ("2.16", "1")
    assert sent.headers["authorization"] == "Bearer tok"


@pytest.mark.parametrize("path", ["https://evil.test/contacts", "//evil.test/contacts"])
def test_request_proxy_refuses_other_hosts(path):
    actions, requests = recording_actions(httpx.Response(200))
    with pytest.raises(ValueError, match="Intercom API path"):
        actions.request(path=path)
    assert requests == []


def test_environment_fallbacks(monkeypatch):
    monkeypatch.setenv("INTERCOM_BASE_URL", "http://env.test/api")
    monkeypatch.setenv("INTERCOM_ACCESS_TOKEN", "env-token")
    monkeypatch.setenv("INTERCOM_VERSION", "2.14")
    requests: list[httpx.Request] = []
    actions = Actions(
        transport=httpx.MockTransport(lambda r: requests.append(r) or httpx.Response(200, json={}))
    )
    actions.request(path="/me")
    sent = requests[0]
    assert str(sent.url) == "http://env.test/api/me"
    assert (sent.headers["authorization"], sent.headers["intercom-version"]) == ("Bearer env-token", "2.14")


def test_explicit_arguments_win_over_environment(monkeypatch):
    monkeypatch.setenv("INTERCOM_ACCESS_TOKEN", "env-token")
    actions = Actions(base_url="http://arg.test", token="arg-token")
    assert actions.client.base_url == "http://arg.test"
    assert actions.client.token == "arg-token"
    assert actions.client.intercom_version == "2.15"


def test_async_actions_execute_and_fail_without_sending():
    requests: list[httpx.Request] = []

    def handler(request):
        requests.append(request)
        return httpx.Response(200, json={"type": "team.list", "teams": []})

    async def run():
        async with AsyncActions(
            base_url="http://x", token="t", transport=httpx.MockTransport(handler)
        ) as actions:
            ok = await actions.execute_tool(tool_input={}, tool_name="INTERCOM_LIST_ALL_TEAMS")
            with pytest.raises(ToolInputError):
                await actions.execute_tool(tool_input={"team_id": 1.5j}, tool_name="intercom_retrieve_team")
            raw = await actions.request(path="/teams")
            return ok, raw

    ok, raw = asyncio.run(run())
    assert ok.data == {"type": "team.list", "teams": []} and ok.tool_name == "intercom_list_teams"
    assert raw.status_code == 200
    assert len(requests) == 2
