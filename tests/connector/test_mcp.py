"""The MCP server with real MCP client sessions (in-process, stdio subprocess, streamable HTTP) against the
fake served over HTTP."""

import asyncio
import json
import sys
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from connector import CATALOG, AsyncActions
from connector.mcp_server import build_server, http_app
from fake_intercom.testing import free_port
from tests.conftest import new_workspace

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake(app, server_url) -> tuple[str, str, str]:
    """(base URL, token, workspace id) of a fresh workspace served over HTTP."""
    workspace, token = new_workspace(app)
    return server_url, token, workspace.id


def payload(result) -> dict:
    (content,) = result.content
    envelope = json.loads(content.text)
    assert envelope == result.structured_content
    return envelope


async def exercise(client: Client, workspace_id: str) -> None:
    """What every transport must support: list the tools, call a read, a write, and a failing call."""
    listed = await client.list_tools()
    names = {tool.name for tool in listed.tools}
    assert names == {tool.name for tool in CATALOG}
    me = next(tool for tool in listed.tools if tool.name == "intercom_identify_admin")
    assert me.annotations.read_only_hint is True and me.input_schema["additionalProperties"] is False

    result = await client.call_tool("intercom_identify_admin", {})
    assert not result.is_error
    assert payload(result)["data"]["app"]["id_code"] == workspace_id

    created = await client.call_tool("INTERCOM_CREATE_OR_UPDATE_TAG", {"name": "from-mcp"})
    assert not created.is_error, payload(created)
    tags = payload(await client.call_tool("intercom_list_tags", {}))["data"]["data"]
    assert "from-mcp" in [tag["name"] for tag in tags]

    missing = await client.call_tool("intercom_retrieve_admin", {"admin_id": "1"})
    assert missing.is_error and payload(missing)["error"]["status"] == 404
    bad = await client.call_tool("intercom_retrieve_admin", {"admin_id": 5, "extra": True})
    assert bad.is_error and payload(bad)["error"]["type"] == "invalid_input"
    unknown = await client.call_tool("intercom_teleport", {})
    assert unknown.is_error and payload(unknown)["error"]["type"] == "tool_not_found"


def test_in_process_session(fake):
    base_url, token, workspace_id = fake

    async def run():
        async with (
            AsyncActions(base_url=base_url, token=token) as actions,
            Client(build_server(actions)) as client,
        ):
            await exercise(client, workspace_id)

    asyncio.run(run())


def test_a_server_can_expose_a_subset(fake):
    base_url, token, _ = fake

    async def run():
        async with AsyncActions(base_url=base_url, token=token) as actions:
            server = build_server(actions, ["intercom_list_admins", "INTERCOM_GET_A_CONTACT"])
            async with Client(server) as client:
                names = sorted(tool.name for tool in (await client.list_tools()).tools)
                hidden = await client.call_tool("intercom_list_tags", {})
                allowed = await client.call_tool("intercom_list_admins", {})
                return names, hidden, allowed

    names, hidden, allowed = asyncio.run(run())
    assert names == ["intercom_list_admins", "intercom_retrieve_contact"]
    assert hidden.is_error and payload(hidden)["error"]["type"] == "tool_not_found"
    assert not allowed.is_error


def test_stdio_subprocess(fake):
    base_url, token, workspace_id = fake
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "connector.mcp_server", "--base-url", base_url, "--token", token],
        cwd=str(ROOT),
    )

    async def run():
        async with Client(params, read_timeout_seconds=60) as client:
            await exercise(client, workspace_id)

    asyncio.run(run())


def test_streamable_http(fake):
    base_url, token, workspace_id = fake
    port = free_port()
    actions = AsyncActions(base_url=base_url, token=token)
    server = uvicorn.Server(
        uvicorn.Config(http_app(build_server(actions)), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the MCP server did not start"
        time.sleep(0.01)

    async def run():
        async with Client(f"http://127.0.0.1:{port}/mcp", read_timeout_seconds=60) as client:
            await exercise(client, workspace_id)

    try:
        asyncio.run(run())
    finally:
        server.should_exit = True
        thread.join(timeout=10)
