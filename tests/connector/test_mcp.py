"""The MCP server with real MCP client sessions (in-process, stdio subprocess, streamable HTTP) against the
fake served over HTTP."""

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from connector import CATALOG, AsyncActions
from connector.mcp_app import build_server, http_app
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
    search = next(tool for tool in listed.tools if tool.name == "intercom_search_contacts")
    assert search.annotations.read_only_hint is True and search.output_schema["type"] == "object"
    close = next(tool for tool in listed.tools if tool.name == "intercom_close_conversation")
    assert close.annotations.destructive_hint is True and close.annotations.read_only_hint is False

    result = await client.call_tool("intercom_identify_admin", {})
    assert not result.is_error
    assert payload(result)["data"]["app"]["id_code"] == workspace_id

    alias = await client.call_tool("INTERCOM_CREATE_OR_UPDATE_TAG", {"name": "from-mcp"})
    assert alias.is_error and payload(alias)["error"]["type"] == "tool_not_found"
    created = await client.call_tool("intercom_create_or_update_tag", {"name": "from-mcp"})
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
            ranked = build_server(actions, query="tag", read_only=True, limit=2)
            async with Client(ranked) as client:
                ranked_names = [tool.name for tool in (await client.list_tools()).tools]
                assert len(ranked_names) == 2 and all("tag" in name for name in ranked_names)
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


def test_streamable_http_needs_the_bearer_token(fake):
    base_url, token, workspace_id = fake
    port = free_port()
    actions = AsyncActions(base_url=base_url, token=token)
    app = http_app(build_server(actions), "mcp-secret")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the MCP server did not start"
        time.sleep(0.01)
    url = f"http://127.0.0.1:{port}/mcp"

    def transport(bearer: str | None):
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else None
        return streamable_http_client(url, http_client=create_mcp_http_client(headers=headers))

    async def run():
        async with Client(transport("mcp-secret"), read_timeout_seconds=60) as client:
            await exercise(client, workspace_id)
        for bearer in (None, "wrong"):
            with pytest.raises(Exception):  # noqa: B017 - the SDK wraps the 401 in its own errors
                async with Client(transport(bearer), read_timeout_seconds=10) as client:
                    await client.list_tools()

    try:
        asyncio.run(run())
        initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}
        refused = httpx.post(url, json=initialize, headers={"Accept": "application/json, text/event-stream"})
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
        rebinding = httpx.post(
            url,
            json=initialize,
            headers={
                "Authorization": "Bearer mcp-secret",
                "Host": "evil.example",
                "Accept": "application/json",
            },
        )
        assert rebinding.status_code in (400, 421)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_without_the_mcp_extra_the_command_says_what_to_install(tmp_path):
    # A module finder that hides the SDK, as in an install without the extra.
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\n"
        "class Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('mcp', 'mcp_types'):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Hide())\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "connector.mcp_server", "--token", "t"],
        cwd=str(ROOT),
        env={**os.environ, "PYTHONPATH": f"{tmp_path}:{ROOT}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "pip install 'fake-intercom[mcp]'" in result.stderr
    assert "Traceback" not in result.stderr
