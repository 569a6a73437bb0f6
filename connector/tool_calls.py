"""`handle_tool_calls`: run the tool calls of a model's answer, return the messages that carry the results.

Understands OpenAI Chat Completions (a completion, a choice's message, or its `tool_calls`), the OpenAI
Responses API (a response or its `output`) and Anthropic Messages (a message or its `content`), as SDK
objects or plain dicts. Results go back in the same provider's format, one envelope per call
(CONNECTOR.md §5: `successful`, `data`, `error`, `execution_id`, `tool_name`). Intercom errors, unknown
tools and bad arguments become failed envelopes the model can read; nothing is raised for them.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from connector.errors import ConnectorError, ToolInputError

Provider = Literal["openai", "openai_responses", "anthropic"]


@dataclass(frozen=True)
class ToolCall:
    """One call requested by the model; `problem` is set when its arguments could not be read."""

    id: str
    name: str
    arguments: dict[str, Any]
    problem: ToolInputError | None = None


def as_data(value: Any) -> Any:
    """SDK objects (pydantic models of the openai/anthropic packages) as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {key: as_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_data(item) for item in value]
    for method in ("model_dump", "to_dict"):
        dump = getattr(value, method, None)
        if callable(dump):
            return as_data(dump())
    return value


def _arguments(name: str, raw: Any) -> tuple[dict[str, Any], ToolInputError | None]:
    if raw is None or raw == "":
        return {}, None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as error:
            return {}, ToolInputError(f"arguments are not valid JSON ({error})", tool_name=name)
    if not isinstance(raw, dict):
        return {}, ToolInputError("arguments must be a JSON object", tool_name=name)
    return raw, None


def _openai_chat_calls(tool_calls: list[Any]) -> list[ToolCall]:
    calls = []
    for item in tool_calls:
        function = item.get("function") or {}
        name = str(function.get("name", ""))
        arguments, problem = _arguments(name, function.get("arguments"))
        calls.append(ToolCall(str(item.get("id", "")), name, arguments, problem))
    return calls


def _responses_calls(output: list[Any]) -> list[ToolCall]:
    calls = []
    for item in output:
        if isinstance(item, dict) and item.get("type") == "function_call":
            name = str(item.get("name", ""))
            arguments, problem = _arguments(name, item.get("arguments"))
            calls.append(ToolCall(str(item.get("call_id") or item.get("id", "")), name, arguments, problem))
    return calls


def _anthropic_calls(content: list[Any]) -> list[ToolCall]:
    calls = []
    for block in content:
        if isinstance(block, dict) and block.get("type") == "tool_use":
            name = str(block.get("name", ""))
            arguments, problem = _arguments(name, block.get("input"))
            calls.append(ToolCall(str(block.get("id", "")), name, arguments, problem))
    return calls


def offered_in(response: Any) -> list[str] | None:
    """The function tools a response says it was offered (the Responses API echoes `tools`), if it says."""
    data = as_data(response)
    if not isinstance(data, dict) or not isinstance(data.get("output"), list):
        return None
    tools = data.get("tools")
    if not isinstance(tools, list) or not tools:
        return None
    return [str(tool["name"]) for tool in tools if isinstance(tool, dict) and tool.get("type") == "function"]


def _choice(choices: list[Any], choice: int | None) -> dict[str, Any]:
    """The chosen choice of a chat completion: the only one, or the one the caller names."""
    if choice is None:
        if len(choices) > 1:
            raise ValueError(
                f"the completion has {len(choices)} choices: pass choice=<index> for the one the "
                "conversation continues with (the others' tool calls are not run)"
            )
        choice = 0
    if not 0 <= choice < len(choices):
        raise ValueError(f"choice {choice} is out of range: the completion has {len(choices)} choices")
    picked = choices[choice]
    return picked if isinstance(picked, dict) else {}


def parse_tool_calls(response: Any, choice: int | None = None) -> tuple[Provider, list[ToolCall]]:
    """The provider format of `response` and the tool calls in it (possibly none); `choice` picks one
    choice of a chat completion that has several."""
    data = as_data(response)
    if isinstance(data, dict) and isinstance(data.get("choices"), list):
        if not data["choices"]:
            return "openai", []
        message = _choice(data["choices"], choice).get("message") or {}
        return "openai", _openai_chat_calls(message.get("tool_calls") or [])
    if isinstance(data, dict) and "tool_calls" in data:
        return "openai", _openai_chat_calls(data.get("tool_calls") or [])
    if isinstance(data, dict) and isinstance(data.get("output"), list):
        return "openai_responses", _responses_calls(data["output"])
    if isinstance(data, dict) and isinstance(data.get("content"), list):
        return "anthropic", _anthropic_calls(data["content"])
    if isinstance(data, list):
        kinds = {item.get("type") for item in data if isinstance(item, dict)}
        if "function_call" in kinds:
            return "openai_responses", _responses_calls(data)
        if "tool_use" in kinds:
            return "anthropic", _anthropic_calls(data)
        if all(isinstance(item, dict) and "function" in item for item in data) and data:
            return "openai", _openai_chat_calls(data)
        if not data:
            return "openai", []
    raise ValueError(
        "not an OpenAI (chat or Responses) or Anthropic response: expected choices, tool_calls, output or content"
    )


def result_messages(
    provider: Provider, results: list[tuple[ToolCall, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """The messages to append to the conversation, carrying each call's envelope as JSON text."""
    if provider == "openai":
        return [
            {"role": "tool", "tool_call_id": call.id, "content": json.dumps(envelope)}
            for call, envelope in results
        ]
    if provider == "openai_responses":
        return [
            {"type": "function_call_output", "call_id": call.id, "output": json.dumps(envelope)}
            for call, envelope in results
        ]
    if not results:
        return []
    # Anthropic wants every result of one turn in a single user message.
    blocks = [
        {
            "type": "tool_result",
            "tool_use_id": call.id,
            "content": json.dumps(envelope),
            "is_error": not envelope.get("successful", False),
        }
        for call, envelope in results
    ]
    return [{"role": "user", "content": blocks}]


def failed_envelope(call: ToolCall, error: ConnectorError, execution_id: str) -> dict[str, Any]:
    return {
        "data": None,
        "execution_id": execution_id,
        "tool_name": call.name,
        "successful": False,
        "error": error.to_dict(),
        "truncated": None,
    }
