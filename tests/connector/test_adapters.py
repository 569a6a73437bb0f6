"""LangChain and OpenAI Agents SDK adapters, with the real packages (the `agents` extra)."""

import asyncio
import json

import httpx
import pytest

from connector import Actions, AsyncActions
from connector.adapters import langchain_tools, openai_agents_tools


def test_langchain_tools_run_against_the_sandbox(asgi_transport, workspace):
    pytest.importorskip("langchain_core", reason="langchain-core is in the 'agents' extra")
    actions = Actions(base_url="http://fake-intercom.test", token=workspace[1], transport=asgi_transport)
    tools = langchain_tools(actions, ["intercom_identify_admin", "intercom_retrieve_contact"])
    assert [tool.name for tool in tools] == ["intercom_identify_admin", "intercom_retrieve_contact"]
    me = json.loads(tools[0].invoke({}))
    assert me["successful"] and me["data"]["id"] == workspace[0].owner_admin_id
    missing = json.loads(tools[1].invoke({"contact_id": "nope"}))
    assert missing["error"]["status"] == 404


def test_openai_agents_function_tools_run_against_the_sandbox(app, workspace):
    pytest.importorskip("agents", reason="openai-agents is in the 'agents' extra")
    from agents.tool_context import ToolContext

    async def run():
        async with AsyncActions(
            base_url="http://fake-intercom.test", token=workspace[1], transport=httpx.ASGITransport(app=app)
        ) as actions:
            tools = openai_agents_tools(actions, groups="tags")
            by_name = {tool.name: tool for tool in tools}
            assert by_name["intercom_list_tags"].strict_json_schema is True
            context = ToolContext(
                context=None, tool_name="intercom_create_or_update_tag", tool_call_id="1", tool_arguments="{}"
            )
            created = await by_name["intercom_create_or_update_tag"].on_invoke_tool(
                context, json.dumps({"name": "agents", "id": None})
            )
            return json.loads(created)

    created = asyncio.run(run())
    assert created["successful"] and created["data"]["name"] == "agents"
