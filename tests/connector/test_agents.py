"""Agent-facing behaviour end to end against the sandbox: scripted model conversations (SDK response
objects) through `handle_tool_calls` with an allow-list, trimming and modifiers; retry hints; hooks,
logging and spans tied to the execution id."""

import json
import logging
import uuid
from collections.abc import Iterator

import httpx
import pytest
from anthropic.types import Message
from openai.types.chat import ChatCompletion

from connector import Actions, ServerError, TransportError
from tests.connector.test_tool_calls import anthropic_message, chat_completion


@pytest.fixture
def actions(asgi_transport, workspace) -> Iterator[Actions]:
    with Actions(
        base_url="http://fake-intercom.test", token=workspace[1], transport=asgi_transport
    ) as actions:
        yield actions


def content(message: dict) -> dict:
    return json.loads(message["content"])


def test_openai_conversation_runs_only_offered_tools_trimmed_and_modified(actions):
    emails = [f"e2e-{uuid.uuid4().hex[:6]}-{index}@example.com" for index in range(12)]
    for email in emails:
        actions.execute_tool(
            tool_input={"email": email, "name": "Ada " * 20}, tool_name="intercom_create_contact"
        )
    seen_inputs = []

    @actions.pre_modifier(tool_names="intercom_list_contacts")
    def at_most_ten(tool_input):
        seen_inputs.append(dict(tool_input))
        return {**tool_input, "per_page": min(tool_input.get("per_page", 10), 10)}

    @actions.post_modifier(tool_names=["intercom_list_contacts"])
    def without_avatars(data):
        return {**data, "data": [{k: v for k, v in item.items() if k != "avatar"} for item in data["data"]]}

    tools = actions.get_tools("openai", ["intercom_list_contacts", "intercom_retrieve_contact"], strict=True)
    assert [tool["function"]["strict"] for tool in tools] == [True, True]
    victim = actions.execute_tool(
        tool_input={"email": f"v-{uuid.uuid4().hex[:6]}@x.test"}, tool_name="intercom_create_contact"
    )

    # Turn 1: the model lists contacts (strict mode sends every key, nulls for the unused ones) and
    # also tries a tool it was never offered.
    turn = ChatCompletion.model_validate(
        chat_completion(
            (
                "c1",
                "intercom_list_contacts",
                json.dumps({"per_page": 50, "page": None, "starting_after": None}),
            ),
            ("c2", "intercom_delete_contact", json.dumps({"contact_id": victim.data["id"]})),
        )
    )
    listed, refused = actions.handle_tool_calls(turn, max_result_chars=3000)
    result = content(listed)
    assert seen_inputs == [{"per_page": 50, "page": None, "starting_after": None}]
    assert result["successful"] and result["truncated"]["total"] == 10
    assert 0 < result["truncated"]["kept"] < 10 and "per_page=" in result["truncated"]["hint"]
    assert len(listed["content"]) <= 3000
    assert all("avatar" not in item for item in result["data"]["data"])
    assert content(refused)["error"]["type"] == "tool_not_allowed"
    # The contact the model tried to delete is still there.
    assert actions.execute_tool(
        tool_input={"contact_id": victim.data["id"]}, tool_name="intercom_retrieve_contact"
    ).successful

    # Turn 2: the model retrieves one contact, asking only for a few fields.
    first_id = result["data"]["data"][0]["id"]
    turn = ChatCompletion.model_validate(
        chat_completion(("c3", "intercom_retrieve_contact", json.dumps({"contact_id": first_id})))
    )
    (retrieved,) = actions.handle_tool_calls(turn, fields=["email", "name"])
    assert set(content(retrieved)["data"]) == {"type", "id", "email", "name"}


def test_anthropic_conversation_with_an_explicit_allow_list(actions):
    tag = f"e2e-{uuid.uuid4().hex[:6]}"
    turn = Message.model_validate(
        anthropic_message(
            ("t1", "intercom_create_or_update_tag", {"name": tag}),
            ("t2", "intercom_list_tags", {}),
            ("t3", "intercom_delete_tag", {"id": "1"}),
        )
    )
    (message,) = actions.handle_tool_calls(
        turn, allowed_tools=["intercom_create_or_update_tag", "INTERCOM_LIST_TAGS"], fields=["name"]
    )
    created, listed, refused = (json.loads(block["content"]) for block in message["content"])
    assert created["successful"] and created["data"]["name"] == tag
    assert tag in [item["name"] for item in listed["data"]["data"]]
    assert refused["error"]["type"] == "tool_not_allowed" and message["content"][2]["is_error"]


def test_several_choices_need_an_explicit_choice(actions):
    completion = chat_completion(("c1", "intercom_list_admins", "{}"))
    completion["choices"].append({**completion["choices"][0], "index": 1})
    with pytest.raises(ValueError, match="choice="):
        actions.handle_tool_calls(completion, allowed_tools=["intercom_list_admins"])
    (message,) = actions.handle_tool_calls(completion, allowed_tools=["intercom_list_admins"], choice=1)
    assert content(message)["successful"]
    with pytest.raises(ValueError, match="get_tools"):
        Actions(token="t").handle_tool_calls(completion, choice=0)


def test_execute_tool_keyword_typos_raise(actions):
    with pytest.raises(TypeError):
        actions.execute_tool(tool_inptu={}, tool_name="intercom_list_admins")  # type: ignore[call-arg]


def failing(status: int) -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda request: httpx.Response(status, json={"type": "error.list", "errors": []})
    )


def test_retryable_follows_the_clients_idempotency_rules():
    def outcome(status: int, name: str, tool_input: dict) -> dict:
        actions = Actions(base_url="http://x", token="t", transport=failing(status), max_retries=0)
        return actions.execute_tool(tool_input=tool_input, tool_name=name, raise_on_error=False).error

    assert outcome(500, "intercom_create_contact", {"email": "a@b.c"})["retryable"] is False
    assert outcome(500, "intercom_retrieve_contact", {"contact_id": "1"})["retryable"] is True
    query = {"field": "email", "operator": "=", "value": "a"}
    assert outcome(503, "intercom_search_contacts", {"query": query})["retryable"] is True
    assert outcome(429, "intercom_create_contact", {"email": "a@b.c"})["retryable"] is True
    assert outcome(404, "intercom_retrieve_contact", {"contact_id": "1"})["retryable"] is False

    def lost(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    actions = Actions(base_url="http://x", token="t", transport=httpx.MockTransport(lost), max_retries=0)
    with pytest.raises(TransportError) as caught:
        actions.execute_tool(tool_input={"email": "a@b.c"}, tool_name="intercom_create_contact")
    assert caught.value.retryable is False
    with pytest.raises(ServerError) as server_error:
        Actions(base_url="http://x", token="t", transport=failing(502), max_retries=0).execute_tool(
            tool_input={}, tool_name="intercom_list_admins"
        )
    assert server_error.value.retryable is True


def test_hooks_and_logs_carry_the_execution_id(actions, caplog):
    seen: list[tuple[str, object]] = []
    hooked = Actions(
        base_url=str(actions.client.base_url),
        token=actions.client.token,
        transport=actions._transport,
        on_request=lambda request: seen.append(("request", request.extensions["execution_id"])),
        on_response=lambda response: seen.append(("response", response.status_code)),
    )
    with caplog.at_level(logging.INFO, logger="connector"):
        result = hooked.execute_tool(tool_input={}, tool_name="intercom_list_admins")
    assert seen == [("request", result.execution_id), ("response", 200)]
    records = [r for r in caplog.records if getattr(r, "execution_id", None) == result.execution_id]
    assert [record.getMessage() for record in records] == [
        "intercom_list_admins started",
        "intercom_list_admins succeeded",
    ]


def test_each_call_is_an_opentelemetry_span(actions):
    pytest.importorskip("opentelemetry.sdk.trace", reason="the OpenTelemetry SDK is in the 'agents' extra")
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    if trace.get_tracer_provider() is not provider:
        pytest.skip("another tracer provider was set earlier in this process (the API allows one)")
    result = actions.execute_tool(tool_input={}, tool_name="intercom_list_admins")
    (span,) = [span for span in exporter.get_finished_spans() if span.name == "intercom intercom_list_admins"]
    assert span.attributes["intercom.execution_id"] == result.execution_id
    assert span.attributes["intercom.successful"] is True
