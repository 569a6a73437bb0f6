"""Testing an agent integration: tool inputs for hypothesis, a typed-outcome check, a scripted model.

    from connector.testing import ScriptedModel, tool_inputs

    @given(tool_inputs("intercom_create_contact"))
    def test_any_contact_input_gets_a_typed_answer(intercom_actions, tool_input):
        assert_typed_outcome(intercom_actions, "intercom_create_contact", tool_input)

- `tool_inputs(name)`: inputs a model may send to a tool, drawn from exactly the schema it is shown
  (`strict=True`: OpenAI's strict form, nulls for what is not given), nested objects included.
- `invalid_tool_inputs(name)`: inputs that schema refuses, which the connector must refuse before
  sending anything.
- `assert_typed_outcome(actions, name, input)`: the call succeeds, or fails with a typed Intercom
  error (a 4xx with a code) or, for the few tools that look something up first, a `ToolInputError`
  saying the lookup found nothing. Never another exception, never a 5xx.
- `ScriptedModel`: plays a model's turns (OpenAI or Anthropic format, written by hand or drawn with
  `model_turns`) through `handle_tool_calls` or your own agent code, against a sandbox workspace, and
  keeps the journal of what the agent did; faults can be injected before any turn.
- `ConnectorDriver`: `fake_intercom.testing.IntercomStateMachine` acting through the connector's tools.
"""

import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import httpx
from hypothesis import strategies as st

from connector.actions import Actions
from connector.catalog import CATALOG, Catalog
from connector.errors import ConnectorError, IntercomAPIError, ToolInputError
from connector.pytest_plugin import actions_for
from connector.schemas import strict_exception, strict_schema
from connector.translations import TRANSLATIONS
from connector.validation import normalise, validator
from contracts.jsonschema_strategies import any_json, from_schema

__all__ = [
    "ConnectorDriver",
    "RecordedCall",
    "ScriptedModel",
    "assert_typed_outcome",
    "invalid_tool_inputs",
    "model_turns",
    "tool_inputs",
]

Provider = Literal["openai", "anthropic"]
ToolCallSpec = tuple[str, Mapping[str, Any]]
"""A call a scripted model makes: (tool name, arguments)."""


def tool_inputs(
    tool_name: str, *, strict: bool = False, catalog: Catalog = CATALOG
) -> st.SearchStrategy[dict[str, Any]]:
    """Inputs valid against the schema a model is shown for `tool_name` (any alias works).

    `strict=True`: what OpenAI's strict mode lets a model send instead (every key, null for those not
    given); strict mode cannot express a few keywords (an id's `minLength`), so some of those inputs
    are ones the connector refuses before sending."""
    tool = catalog.get(tool_name)
    schema = tool.model_schema()
    if strict and strict_exception(tool) is None:
        schema = strict_schema(schema)
    return from_schema(schema)


# Values of a JSON type other than each declared one; never null (an optional null means "not given")
# nor an integer where a string is declared (the connector reads it as an id).
_WRONG_TYPE: dict[str, st.SearchStrategy[Any]] = {
    "string": st.booleans()
    | st.lists(st.integers(), max_size=2)
    | st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
    "integer": st.text(min_size=1, max_size=6) | st.booleans() | st.lists(st.integers(), max_size=2),
    "number": st.text(min_size=1, max_size=6) | st.booleans(),
    "boolean": st.text(min_size=1, max_size=6) | st.integers() | st.lists(st.booleans(), max_size=2),
    "array": st.text(max_size=6)
    | st.integers()
    | st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
    "object": st.text(max_size=6) | st.integers() | st.lists(st.integers(), max_size=2),
}
_NOT_JSON = st.sampled_from([float("nan"), float("inf"), b"bytes", {1, 2}])


def invalid_tool_inputs(tool_name: str, *, catalog: Catalog = CATALOG) -> st.SearchStrategy[dict[str, Any]]:
    """Inputs the schema a model is shown refuses: an unknown parameter, a required one missing, a
    value of the wrong type or outside an enum, an empty path id, a value JSON cannot carry."""
    tool = catalog.get(tool_name)
    schema = tool.model_schema()
    properties: dict[str, Any] = schema["properties"]
    check = validator(schema)
    valid = from_schema(schema)

    def refused(candidate: dict[str, Any]) -> bool:
        try:
            json.dumps(candidate, allow_nan=False)
        except (TypeError, ValueError):
            return True
        return not check.is_valid(normalise(schema, candidate))

    def replaced(name: str, values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
        return st.builds(lambda base, value: {**base, name: value}, valid, values)

    mutations = [
        st.builds(
            lambda base, name, value: {**base, name: value},
            valid,
            st.text(min_size=1, max_size=12).filter(lambda name: name not in properties),
            any_json,
        )
    ]

    def without(name: str) -> st.SearchStrategy[dict[str, Any]]:
        return valid.map(lambda base: {key: value for key, value in base.items() if key != name})

    def outside(choices: list[Any]) -> st.SearchStrategy[str]:
        return st.text(max_size=8).filter(lambda value: value not in choices)

    mutations += [without(name) for name in schema["required"]]
    for name, sub in properties.items():
        kinds = sub.get("type")
        for kind in kinds if isinstance(kinds, list) else [kinds]:
            if kind in _WRONG_TYPE:
                mutations.append(replaced(name, _WRONG_TYPE[kind]))
        if "enum" in sub:
            mutations.append(replaced(name, outside(sub["enum"])))
        if sub.get("minLength"):
            mutations.append(replaced(name, st.just("")))
        mutations.append(replaced(name, _NOT_JSON))
    return st.one_of(mutations).filter(refused)


def assert_typed_outcome(actions: Actions, tool_name: str, tool_input: Mapping[str, Any]) -> Any:
    """Run one tool call; return its data, or the typed error Intercom (or a lookup) answered.

    Fails the test when anything else happens: an exception other than `IntercomAPIError` or
    `ToolInputError`, a 5xx, an Intercom error without a code, or a `ToolInputError` from a tool whose
    input is only checked against its schema (such an input was valid: it must have been sent).
    """
    tool = actions.catalog.get(tool_name)
    try:
        return actions.execute_tool(tool_input=dict(tool_input), tool_name=tool.name).data
    except IntercomAPIError as error:
        assert error.status_code is not None and 400 <= error.status_code < 500, (
            f"{tool.name} got {error.status_code} for {tool_input!r}: {error.body!r}"
        )
        assert error.code, f"{tool.name}: Intercom's error has no code: {error.body!r}"
        return error
    except ToolInputError as error:
        assert tool.name in TRANSLATIONS, f"{tool.name} refused valid input {tool_input!r}: {error}"
        return error


# -- a scripted model --------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedCall:
    """One tool call the agent ran, and its result envelope."""

    turn: int
    call_id: str
    tool_name: str
    arguments: dict[str, Any]
    envelope: dict[str, Any]

    @property
    def successful(self) -> bool:
        return bool(self.envelope.get("successful"))

    @property
    def data(self) -> Any:
        return self.envelope.get("data")

    @property
    def error(self) -> dict[str, Any] | None:
        return self.envelope.get("error")


Turn = Sequence[ToolCallSpec] | Mapping[str, Any] | Callable[["ScriptedModel"], Any]
"""A list of (tool, arguments) calls; or a provider response as it is (a chat completion, an Anthropic
message); or a function of the model so far that returns either (to use ids earlier calls returned)."""
AgentStep = Callable[[Actions, Any, list[str]], list[dict[str, Any]]]
"""Your agent's code for one model response: (actions, response, allowed tools) -> result messages."""


def handle_tool_calls(actions: Actions, response: Any, allowed_tools: list[str]) -> list[dict[str, Any]]:
    """The default agent step: the connector's own `handle_tool_calls`."""
    return actions.handle_tool_calls(response, allowed_tools=allowed_tools)


class ScriptedModel:
    """A model that answers with the turns it was given, one per `step()`.

    Every turn becomes a response in `provider`'s format (OpenAI chat completion or Anthropic
    message), goes through `agent` (by default `Actions.handle_tool_calls`; pass your own loop's step
    to test it), and every call it ran is kept in `journal` with its envelope. `messages` is the
    conversation a real model would have seen. `before_turn(n, fn)` runs `fn()` just before turn `n`
    (inject faults there: `workspace.faults.add(...)`), `inject(n, **rule)` is the shorthand.
    """

    def __init__(
        self,
        actions: Actions,
        turns: Iterable[Turn] = (),
        *,
        provider: Provider = "openai",
        allowed_tools: Iterable[str] | None = None,
        workspace: Any = None,
        agent: AgentStep = handle_tool_calls,
    ) -> None:
        self.actions = actions
        self.turns: list[Turn] = list(turns)
        self.provider = provider
        self.workspace = workspace
        self.agent = agent
        self.allowed_tools = list(allowed_tools) if allowed_tools is not None else None
        self.journal: list[RecordedCall] = []
        self.messages: list[dict[str, Any]] = []
        self.turn = 0
        self._hooks: dict[int, list[Callable[[], Any]]] = {}
        self._ids = itertools.count(1)

    # -- faults and hooks ------------------------------------------------------------------------

    def before_turn(self, turn: int, hook: Callable[[], Any]) -> "ScriptedModel":
        self._hooks.setdefault(turn, []).append(hook)
        return self

    def inject(self, turn: int, **rule: Any) -> "ScriptedModel":
        """Add a fault rule to the workspace just before `turn` (see `SandboxWorkspace.faults.add`):
        `inject(2, action="error", status=500, operation_id="replyConversation", times=1)`, or
        `action="rate_limit"`, `action="drop"` (a lost connection), `action="delay", latency_ms=...`."""
        if self.workspace is None:
            raise ValueError("inject needs the sandbox workspace: ScriptedModel(..., workspace=...)")
        return self.before_turn(turn, lambda: self.workspace.faults.add(**rule))

    # -- running ---------------------------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.turn >= len(self.turns)

    def step(self) -> list[dict[str, Any]]:
        """Play the next turn; the result messages the agent produced."""
        if self.done:
            raise IndexError(f"the script has {len(self.turns)} turns, all played")
        for hook in self._hooks.pop(self.turn, []):
            hook()
        response = self.response(self.turns[self.turn])
        calls = _calls_of(self.provider, response)
        allowed = (
            self.allowed_tools if self.allowed_tools is not None else sorted({name for _, name, _ in calls})
        )
        results = self.agent(self.actions, response, allowed)
        self.messages += [_assistant_message(self.provider, response), *results]
        envelopes = _envelopes(self.provider, results)
        for call_id, name, arguments in calls:
            self.journal.append(RecordedCall(self.turn, call_id, name, arguments, envelopes.get(call_id, {})))
        self.turn += 1
        return results

    def run(self) -> list[RecordedCall]:
        """Play every turn left; the journal."""
        while not self.done:
            self.step()
        return self.journal

    def response(self, turn: Turn) -> dict[str, Any]:
        """A turn as the provider's response."""
        played = turn(self) if callable(turn) else turn
        if isinstance(played, Mapping):
            return dict(played)
        calls = [(f"call_{self.turn}_{next(self._ids)}", name, dict(arguments)) for name, arguments in played]
        if self.provider == "anthropic":
            return {
                "type": "message",
                "role": "assistant",
                "stop_reason": "tool_use",
                "content": [{"type": "tool_use", "id": i, "name": n, "input": a} for i, n, a in calls],
            }
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": i, "type": "function", "function": {"name": n, "arguments": json.dumps(a)}}
                for i, n, a in calls
            ],
        }
        return {
            "object": "chat.completion",
            "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}],
        }

    # -- what the agent did ----------------------------------------------------------------------

    def calls(self, tool_name: str | None = None, *, successful: bool | None = None) -> list[RecordedCall]:
        """Journal entries, of one tool (canonical name or alias) and/or by outcome."""
        name = self.actions.catalog.get(tool_name).name if tool_name else None
        return [
            call
            for call in self.journal
            if (name is None or self.actions.catalog.get(call.tool_name).name == name)
            and (successful is None or call.successful is successful)
        ]

    def repeated_writes(self) -> list[dict[str, Any]]:
        """POSTs that reached Intercom more often than the model asked for them (from the workspace's
        request journal, failed and injected attempts included): a POST sent again after a 5xx or a
        lost connection may have been applied twice. A 429 was not applied, so sending it again is
        right; PUTs and DELETEs change nothing more when repeated."""
        if self.workspace is None:
            raise ValueError("repeated_writes reads the sandbox journal: ScriptedModel(..., workspace=...)")
        asked: Counter[str] = Counter()
        for call in self.journal:
            try:
                prepared = self.actions.catalog.prepare(
                    self.actions.catalog.get(call.tool_name), call.arguments
                )
            except ConnectorError:
                continue  # refused before sending, or needs a lookup first (never a POST of its own)
            asked[_request_key(prepared.method, httpx.URL(prepared.path).path, prepared.json)] += 1
        sent: Counter[str] = Counter()
        repeated = []
        for entry in self.workspace.journal(method="POST"):
            if entry["status"] == 429:
                continue
            key = _request_key("POST", entry["path"], entry.get("request_body"))
            sent[key] += 1
            if sent[key] > asked[key]:
                repeated.append(entry)
        return repeated


def _request_key(method: str, path: str, body: Any) -> str:
    return json.dumps([method, path, body], sort_keys=True)


def _calls_of(provider: Provider, response: Mapping[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    if provider == "anthropic":
        return [
            (block["id"], block["name"], dict(block.get("input") or {}))
            for block in response.get("content") or []
            if block.get("type") == "tool_use"
        ]
    message = (response.get("choices") or [{}])[0].get("message") or {}
    calls = []
    for call in message.get("tool_calls") or []:
        arguments = call["function"].get("arguments") or "{}"
        try:
            parsed = json.loads(arguments) if isinstance(arguments, str) else dict(arguments)
        except ValueError:
            parsed = {"(unreadable)": arguments}
        calls.append((call["id"], call["function"]["name"], parsed))
    return calls


def _assistant_message(provider: Provider, response: Mapping[str, Any]) -> dict[str, Any]:
    if provider == "anthropic":
        return {"role": "assistant", "content": response.get("content") or []}
    return dict((response.get("choices") or [{}])[0].get("message") or {})


def _envelopes(provider: Provider, results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Call id -> the envelope the agent sent back for it."""
    found = {}
    for message in results:
        if provider == "anthropic":
            for block in message.get("content") or []:
                if isinstance(block, dict) and block.get("type") == "tool_result":
                    found[block["tool_use_id"]] = json.loads(block["content"])
        elif message.get("role") == "tool":
            found[message["tool_call_id"]] = json.loads(message["content"])
    return found


def model_turns(
    tool_names: Sequence[str],
    *,
    max_turns: int = 4,
    max_calls: int = 2,
    inputs: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[list[list[ToolCallSpec]]]:
    """Scripts of tool calls among `tool_names`, with inputs from `tool_inputs` (or `inputs[name]`)."""
    chosen = dict(inputs or {})
    call = st.sampled_from(list(tool_names)).flatmap(
        lambda name: st.tuples(st.just(name), chosen.get(name) or tool_inputs(name))
    )
    return st.lists(st.lists(call, min_size=1, max_size=max_calls), min_size=1, max_size=max_turns)


# -- the state machine through the connector ---------------------------------------------------------


class ConnectorDriver:
    """`IntercomStateMachine`'s actions as the connector's tools (Scalekit's names and inputs); Intercom's
    refusals are the connector's `IntercomAPIError`s, which carry the `status_code` and `code` the
    machine reads."""

    def __init__(self, workspace: Any) -> None:
        self.actions: Actions = actions_for(workspace)

    def _tool(self, tool_name: str, /, **tool_input: Any) -> Any:
        return self.actions.execute_tool(tool_input=tool_input, tool_name=tool_name).data

    def owner_id(self) -> str:
        return str(self._tool("intercom_identify_admin")["id"])

    def create_contact(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._tool("intercom_create_contact", **body)

    def get_contact(self, contact_id: str) -> dict[str, Any] | None:
        try:
            return self._tool("intercom_retrieve_contact", contact_id=contact_id)
        except IntercomAPIError as error:
            if error.status_code in (404, 410):
                return None
            raise

    def contact_tag_ids(self, contact_id: str) -> set[str]:
        return {tag["id"] for tag in self._tool("intercom_list_contact_tags", contact_id=contact_id)["data"]}

    def _every(self, tool_name: str, items_key: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        page: dict[str, Any] = {"per_page": 150}
        while True:
            body = self._tool(tool_name, **page)
            items += body[items_key]
            cursor = ((body.get("pages") or {}).get("next") or {}).get("starting_after")
            if not cursor:
                return items
            page["starting_after"] = cursor

    def list_contacts(self) -> list[dict[str, Any]]:
        return self._every("intercom_list_contacts", "data")

    def list_conversations(self) -> list[dict[str, Any]]:
        return self._every("intercom_list_conversations", "conversations")

    def merge_contacts(self, lead_id: str, user_id: str) -> dict[str, Any]:
        return self._tool("intercom_merge_contacts", **{"from": lead_id, "into": user_id})

    def create_tag(self, name: str) -> dict[str, Any]:
        return self._tool("intercom_create_or_update_tag", name=name)

    def tag_contact(self, contact_id: str, tag_id: str) -> dict[str, Any]:
        return self._tool("intercom_attach_tag_to_contact", contact_id=contact_id, id=tag_id)

    def create_conversation(self, contact_id: str, body: str) -> str:
        message = self._tool(
            "intercom_create_conversation", body=body, **{"from": {"type": "contact", "id": contact_id}}
        )
        return str(message["conversation_id"])

    def reply(self, conversation_id: str, admin_id: str, body: str, note: bool) -> dict[str, Any]:
        return self._tool(
            "intercom_reply_to_conversation",
            conversation_id=conversation_id,
            message_type="note" if note else "comment",
            type="admin",
            admin_id=admin_id,
            body=body,
        )

    def assign(self, conversation_id: str, admin_id: str, assignee_id: str) -> dict[str, Any]:
        return self._tool(
            "intercom_assign_conversation",
            conversation_id=conversation_id,
            type="admin",
            admin_id=admin_id,
            assignee_id=assignee_id,
        )

    def snooze(self, conversation_id: str, admin_id: str, until: int) -> dict[str, Any]:
        return self._tool(
            "intercom_manage_conversation",
            conversation_id=conversation_id,
            message_type="snoozed",
            type="admin",
            admin_id=admin_id,
            snoozed_until=until,
        )

    def close(self, conversation_id: str, admin_id: str) -> dict[str, Any]:
        return self._tool("intercom_close_conversation", conversation_id=conversation_id, admin_id=admin_id)

    def reopen(self, conversation_id: str, admin_id: str) -> dict[str, Any]:
        return self._tool("intercom_reopen_conversation", conversation_id=conversation_id, admin_id=admin_id)

    def tag_conversation(self, conversation_id: str, admin_id: str, tag_id: str) -> dict[str, Any]:
        return self._tool(
            "intercom_attach_tag_to_conversation",
            conversation_id=conversation_id,
            admin_id=admin_id,
            id=tag_id,
        )

    def ticket_types(self) -> list[dict[str, Any]]:
        return self._tool("intercom_list_ticket_types")["data"]

    def convert_to_ticket(self, conversation_id: str, ticket_type_id: str) -> dict[str, Any]:
        return self._tool(
            "intercom_convert_conversation_to_ticket",
            conversation_id=conversation_id,
            ticket_type_id=ticket_type_id,
        )

    def move_ticket(
        self, ticket_id: str, ticket_type: dict[str, Any], admin_id: str, category: str
    ) -> dict[str, Any]:
        # The tool takes the state's name and finds the state of the ticket's type itself.
        return self._tool("intercom_update_ticket", ticket_id=ticket_id, state=category)

    def get_ticket(self, ticket_id: str) -> dict[str, Any]:
        return self._tool("intercom_retrieve_ticket", ticket_id=ticket_id)

    def close_driver(self) -> None:
        self.actions.close()
