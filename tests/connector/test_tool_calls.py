"""handle_tool_calls with OpenAI (chat, Responses) and Anthropic answers, SDK objects and dicts, against the fake."""

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
from anthropic.types import Message
from openai.types.chat import ChatCompletion
from openai.types.responses import Response

from connector import Actions, AsyncActions, MemoryAccountStore
from connector.tool_calls import parse_tool_calls


@pytest.fixture
def actions(asgi_transport, workspace) -> Iterator[Actions]:
    with Actions(
        base_url="http://fake-intercom.test", token=workspace[1], transport=asgi_transport
    ) as actions:
        # These tests are about formats: the model was offered every tool.
        actions.get_tools("mcp", groups="all")
        yield actions


def chat_completion(*calls: tuple[str, str, str]) -> dict:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-test",
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": call_id,
                            "type": "function",
                            "function": {"name": name, "arguments": arguments},
                        }
                        for call_id, name, arguments in calls
                    ],
                },
            }
        ],
    }


def responses_answer(*calls: tuple[str, str, str]) -> dict:
    return {
        "id": "resp_1",
        "object": "response",
        "created_at": 1,
        "model": "gpt-test",
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "output": [
            {
                "type": "message",
                "id": "msg_1",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": "Let me look.", "annotations": []}],
            },
            *(
                {
                    "type": "function_call",
                    "id": f"fc_{call_id}",
                    "call_id": call_id,
                    "name": name,
                    "arguments": arguments,
                    "status": "completed",
                }
                for call_id, name, arguments in calls
            ),
        ],
    }


def anthropic_message(*calls: tuple[str, str, dict]) -> dict:
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-test",
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {"input_tokens": 1, "output_tokens": 1},
        "content": [
            {"type": "text", "text": "Let me look."},
            *(
                {"type": "tool_use", "id": call_id, "name": name, "input": args}
                for call_id, name, args in calls
            ),
        ],
    }


def envelope(text: str) -> dict:
    body = json.loads(text)
    assert set(body) == {"successful", "data", "error", "execution_id", "tool_name", "truncated"}
    return body


@pytest.mark.parametrize("as_sdk_object", [False, True], ids=["dict", "sdk"])
def test_openai_chat(actions, as_sdk_object):
    answer = chat_completion(
        ("call_1", "intercom_list_admins", "{}"),
        ("call_2", "INTERCOM_GET_A_CONTACT", json.dumps({"contact_id": "000000000000000000000000"})),
    )
    response = ChatCompletion.model_validate(answer) if as_sdk_object else answer
    messages = actions.handle_tool_calls(response)
    assert [(m["role"], m["tool_call_id"]) for m in messages] == [("tool", "call_1"), ("tool", "call_2")]
    admins, contact = (envelope(m["content"]) for m in messages)
    assert admins["successful"] and admins["data"]["type"] == "admin.list"
    assert admins["tool_name"] == "intercom_list_admins"
    assert not contact["successful"] and contact["data"] is None
    assert (contact["error"]["status"], contact["error"]["type"]) == (404, "not_found")
    assert contact["tool_name"] == "intercom_retrieve_contact"


def test_openai_chat_message_and_bare_tool_calls(actions):
    answer = chat_completion(("call_1", "intercom_list_admins", "{}"))
    message = answer["choices"][0]["message"]
    assert envelope(actions.handle_tool_calls(message)[0]["content"])["successful"]
    assert envelope(actions.handle_tool_calls(message["tool_calls"])[0]["content"])["successful"]
    assert actions.handle_tool_calls({"role": "assistant", "content": "done", "tool_calls": None}) == []


@pytest.mark.parametrize("as_sdk_object", [False, True], ids=["dict", "sdk"])
def test_openai_responses(actions, as_sdk_object):
    answer = responses_answer(
        ("call_a", "intercom_create_or_update_tag", json.dumps({"name": "VIP"})),
        ("call_b", "intercom_list_tags", ""),
    )
    response = Response.model_validate(answer) if as_sdk_object else answer
    messages = actions.handle_tool_calls(response)
    assert [(m["type"], m["call_id"]) for m in messages] == [
        ("function_call_output", "call_a"),
        ("function_call_output", "call_b"),
    ]
    created, listed = (envelope(m["output"]) for m in messages)
    assert created["successful"] and created["data"]["name"] == "VIP"
    # Calls run in order: the list sees the tag the first call created.
    assert "VIP" in [tag["name"] for tag in listed["data"]["data"]]
    assert actions.handle_tool_calls(answer["output"])[0]["type"] == "function_call_output"


@pytest.mark.parametrize("as_sdk_object", [False, True], ids=["dict", "sdk"])
def test_anthropic(actions, as_sdk_object):
    answer = anthropic_message(
        ("toolu_1", "intercom_list_admins", {}),
        ("toolu_2", "intercom_retrieve_admin", {"admin_id": "1"}),
    )
    response = Message.model_validate(answer) if as_sdk_object else answer
    messages = actions.handle_tool_calls(response)
    assert len(messages) == 1 and messages[0]["role"] == "user"
    blocks = messages[0]["content"]
    assert [(b["type"], b["tool_use_id"], b["is_error"]) for b in blocks] == [
        ("tool_result", "toolu_1", False),
        ("tool_result", "toolu_2", True),
    ]
    assert envelope(blocks[1]["content"])["error"]["code"] == "admin_not_found"
    assert actions.handle_tool_calls(answer["content"])[0]["role"] == "user"
    assert actions.handle_tool_calls({**answer, "content": [{"type": "text", "text": "bye"}]}) == []


def test_bad_arguments_and_unknown_tools_never_raise_and_send_nothing(workspace):
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(200, json={}))
    actions = Actions(base_url="http://x", token="t", transport=transport)
    answer = chat_completion(
        ("c1", "intercom_list_admins", "{not json"),
        ("c2", "intercom_list_admins", "[1, 2]"),
        ("c3", "intercom_fly_to_the_moon", "{}"),
        ("c4", "intercom_retrieve_contact", "{}"),
        ("c5", "intercom_retrieve_contact", json.dumps({"contact_id": "a", "bogus": 1})),
    )
    allowed = ["intercom_list_admins", "intercom_retrieve_contact"]
    results = [envelope(m["content"]) for m in actions.handle_tool_calls(answer, allowed_tools=allowed)]
    assert [r["successful"] for r in results] == [False] * 5
    assert [r["error"]["type"] for r in results] == [
        "invalid_input",
        "invalid_input",
        "tool_not_found",
        "invalid_input",
        "invalid_input",
    ]
    assert all(r["execution_id"].startswith("exec_") for r in results)
    assert sent == []


def test_authorization_required_comes_back_as_a_result(asgi_transport):
    actions = Actions(
        base_url="http://fake-intercom.test", transport=asgi_transport, store=MemoryAccountStore()
    )
    messages = actions.handle_tool_calls(
        anthropic_message(("toolu_1", "intercom_list_admins", {})),
        identifier="nobody",
        allowed_tools=["intercom_list_admins"],
    )
    result = envelope(messages[0]["content"][0]["content"])
    assert result["error"]["type"] == "authorization_required"


def test_unrecognised_answers_are_refused():
    with pytest.raises(ValueError, match="not an OpenAI"):
        parse_tool_calls({"text": "hello"})
    with pytest.raises(ValueError):
        parse_tool_calls("hello")
    assert parse_tool_calls([]) == ("openai", [])


def test_agent_loop_drives_the_sandbox(actions):
    """A scripted model: it asks for tools, reads the results, and stops; the conversation stays valid."""
    conversation: list[dict] = [{"role": "user", "content": "Tag our VIPs"}]
    turns = [
        anthropic_message(("t1", "intercom_create_or_update_tag", {"name": "vip"})),
        anthropic_message(("t2", "intercom_list_tags", {})),
        {**anthropic_message(), "stop_reason": "end_turn", "content": [{"type": "text", "text": "Done."}]},
    ]
    for turn in turns:
        conversation.append({"role": "assistant", "content": turn["content"]})
        results = actions.handle_tool_calls(turn)
        if not results:
            break
        conversation.extend(results)
    assert [message["role"] for message in conversation] == [
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
        "assistant",
    ]
    listed = envelope(conversation[4]["content"][0]["content"])
    assert [tag["name"] for tag in listed["data"]["data"]] == ["vip"]


def test_async_handle_tool_calls(app, workspace):
    async def run():
        async with AsyncActions(
            base_url="http://fake-intercom.test", token=workspace[1], transport=httpx.ASGITransport(app=app)
        ) as actions:
            return await actions.handle_tool_calls(
                responses_answer(
                    ("c1", "intercom_list_admins", "{}"), ("c2", "intercom_list_admins", "{oops")
                ),
                allowed_tools=["intercom_list_admins"],
            )

    first, second = asyncio.run(run())
    assert envelope(first["output"])["successful"]
    assert envelope(second["output"])["error"]["type"] == "invalid_input"
