"""Per-tool request translations: Scalekit inputs that follow an older request shape, made 2.15 requests.

Some Scalekit tools take inputs Intercom's 2.15 API no longer accepts as such (`intercom_update_ticket`
sends a state name and an `assignment` object, 2.15 wants `ticket_state_id`, `admin_id` and
`assignee_id`). A translation turns the call `Catalog.prepare` built into the one 2.15 expects.

A translation is a function `(call, values) -> PreparedCall`, where `values` are the validated tool
inputs by parameter name. One that needs to look something up (a ticket's states, the acting admin)
is a generator instead: it yields `Lookup`s and receives each answer's JSON, so the same code runs
under the sync and the async executor, through the caller's own client (same token, same retries).
A failed lookup raises the client's typed error and nothing is written.
"""

import dataclasses
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from connector.errors import ToolInputError

if TYPE_CHECKING:  # catalog imports this module
    from connector.catalog import PreparedCall


@dataclass(frozen=True)
class Lookup:
    """A read a translation needs before it can build the request."""

    method: str
    path: str
    params: dict[str, Any] | None = None
    json: dict[str, Any] | None = None

    def kwargs(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "params": self.params, "json": self.json}


Steps = Generator[Lookup, Any, "PreparedCall"]
Translation = Callable[["PreparedCall", dict[str, Any]], "PreparedCall | Steps"]

TRANSLATIONS: dict[str, Translation] = {}


def translation(*tool_names: str) -> Callable[[Translation], Translation]:
    def register(function: Translation) -> Translation:
        for name in tool_names:
            TRANSLATIONS[name] = function
        return function

    return register


def start(tool_name: str, call: "PreparedCall", values: dict[str, Any]) -> "PreparedCall | Steps":
    """The translated call, or the generator of lookups that ends with it."""
    translate = TRANSLATIONS.get(tool_name)
    if translate is None:
        return call
    return translate(call, values)


def _body(call: "PreparedCall") -> dict[str, Any]:
    return dict(call.json or {})


def path_segment(value: Any) -> str:
    """One path segment, percent-encoded: an id a model or a user typed may hold any character."""
    segment = quote(str(value), safe="")
    # "." and ".." survive percent-encoding and would be collapsed by URL normalisation.
    return segment.replace(".", "%2E") if set(segment) == {"."} else segment


def _segment(call: "PreparedCall", index: int) -> str:
    # Path values are already percent-encoded by prepare; lookups reuse them as they are.
    return call.path.split("/")[index]


def _numeric(value: Any) -> Any:
    # 2.15 types these admin ids as integers while the tools take strings.
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _acting_admin(tool_name: str) -> Generator[Lookup, Any, Any]:
    me = yield Lookup("GET", "/me")
    admin_id = _dict(me).get("id")
    if admin_id is None:
        raise ToolInputError("could not tell which admin acts: GET /me has no id", tool_name=tool_name)
    return admin_id


def _dict(value: Any) -> dict[str, Any]:
    # Lookups read answers defensively: a missing field is a clear input error, never a KeyError.
    return value if isinstance(value, dict) else {}


def _first_contact(owner: Any, tool_name: str) -> str:
    owner = _dict(owner)
    contacts = _dict(owner.get("contacts")).get("contacts") or []
    if not contacts or not _dict(contacts[0]).get("id"):
        raise ToolInputError(
            f"{owner.get('type') or 'the object'} {owner.get('id') or ''} has no contact to reply as",
            field="type",
            tool_name=tool_name,
        )
    return contacts[0]["id"]


# --- tickets -------------------------------------------------------------------------------------


def _label(value: str) -> str:
    return " ".join(value.lower().replace("_", " ").split())


def _pick_state(states: list[dict[str, Any]], wanted: str) -> dict[str, Any] | None:
    live = [state for state in states if not state.get("archived")]
    for match in (
        lambda state: state.get("id") == wanted,
        lambda state: _label(state.get("category") or "") == _label(wanted),
        lambda state: _label(state.get("internal_label") or "") == _label(wanted),
        lambda state: _label(state.get("external_label") or "") == _label(wanted),
    ):
        found = [state for state in live if match(state)]
        if found:
            return found[0]
    return None


def _ticket_states(ticket: Any) -> Generator[Lookup, Any, list[dict[str, Any]]]:
    ticket_type = _dict(_dict(ticket).get("ticket_type"))
    states = _dict(ticket_type.get("ticket_states")).get("data")
    if states is None and ticket_type.get("id"):
        full_type = yield Lookup("GET", f"/ticket_types/{path_segment(ticket_type['id'])}")
        states = _dict(_dict(full_type).get("ticket_states")).get("data")
    if states is None:
        listed = yield Lookup("GET", "/ticket_states")
        states = [
            state
            for state in _dict(listed).get("data") or []
            if any(
                _dict(item).get("id") == ticket_type.get("id")
                for item in _dict(_dict(state).get("ticket_types")).get("data") or []
            )
        ]
    return [_dict(state) for state in states or []]


def _assignment(assignment: dict[str, Any]) -> tuple[Any, Any]:
    """(acting admin or None, assignee) from the old `assignment` object."""
    if "assignee_id" in assignment:
        return assignment.get("admin_id"), assignment["assignee_id"]
    if "team_id" in assignment:
        return None, assignment["team_id"]
    if "admin_id" in assignment:
        return None, assignment["admin_id"]
    raise ToolInputError(
        'assignment must name admin_id, team_id or assignee_id, e.g. {"admin_id": "123"}',
        field="assignment",
        tool_name="intercom_update_ticket",
    )


@translation("intercom_update_ticket")
def update_ticket(call: "PreparedCall", values: dict[str, Any]) -> Steps:
    """`state` (a name) -> `ticket_state_id` of the ticket's type; `assignment` -> admin_id/assignee_id."""
    body = _body(call)
    state = body.pop("state", None)
    assignment = body.pop("assignment", None)
    # Checked before any lookup, so a malformed assignment costs no request.
    actor, assignee = _assignment(assignment) if assignment is not None else (None, None)
    if state is not None:
        ticket = yield Lookup("GET", f"/tickets/{_segment(call, 2)}")
        states = yield from _ticket_states(ticket)
        chosen = _pick_state(states, state)
        if chosen is None:
            labels = {s.get("category") or "" for s in states} | {
                s.get("internal_label") or "" for s in states
            }
            known = ", ".join(sorted(labels - {""}))
            raise ToolInputError(
                f"the ticket's type has no state {state!r}; known states: {known or 'none'}",
                field="state",
                tool_name="intercom_update_ticket",
            )
        body["ticket_state_id"] = chosen["id"]
    if assignment is not None:
        if actor is None:
            actor = yield from _acting_admin("intercom_update_ticket")
        body["admin_id"] = _numeric(actor)
        body["assignee_id"] = str(assignee)
    return dataclasses.replace(call, json=body)


# --- conversations -------------------------------------------------------------------------------

# The fields of each 2.15 manage-conversation variant, by message_type.
_MANAGE_FIELDS = {
    "close": {"message_type", "type", "admin_id", "body"},
    "snoozed": {"message_type", "admin_id", "snoozed_until"},
    "open": {"message_type", "admin_id"},
    "assignment": {"message_type", "type", "admin_id", "assignee_id", "body"},
}


@translation("intercom_manage_conversation")
def manage_conversation(call: "PreparedCall", values: dict[str, Any]) -> "PreparedCall":
    """Send only the fields of the variant `message_type` selects (`type` is not part of open/snoozed)."""
    body = _body(call)
    fields = _MANAGE_FIELDS.get(str(body.get("message_type")))
    if fields is None:
        return call
    return dataclasses.replace(call, json={key: value for key, value in body.items() if key in fields})


@translation("intercom_detach_contact_from_conversation")
def detach_contact_from_conversation(call: "PreparedCall", values: dict[str, Any]) -> Steps:
    """2.15 requires the acting admin in the DELETE body; the tool has no admin_id, so it is the token's."""
    admin_id = yield from _acting_admin("intercom_detach_contact_from_conversation")
    return dataclasses.replace(call, json={"admin_id": admin_id})


def _contact_reply(call: "PreparedCall", owner_path: str, tool_name: str) -> Steps:
    body = _body(call)
    if body.get("type") != "user":
        return call
    owner = yield Lookup("GET", owner_path)
    reply = {
        "message_type": "comment",
        "type": "user",
        "intercom_user_id": _first_contact(owner, tool_name),
    }
    reply.update({key: body[key] for key in ("body", "created_at") if key in body})
    return dataclasses.replace(call, json=reply)


@translation("intercom_reply_to_conversation")
def reply_to_conversation(call: "PreparedCall", values: dict[str, Any]) -> Steps:
    """type='user' replies as the conversation's contact (2.15 wants intercom_user_id, not admin_id)."""
    return (
        yield from _contact_reply(
            call, f"/conversations/{_segment(call, 2)}", "intercom_reply_to_conversation"
        )
    )


@translation("intercom_reply_to_ticket")
def reply_to_ticket(call: "PreparedCall", values: dict[str, Any]) -> Steps:
    """type='user' replies as the ticket's contact."""
    return (yield from _contact_reply(call, f"/tickets/{_segment(call, 2)}", "intercom_reply_to_ticket"))


@translation("intercom_redact_conversation")
def redact_conversation(call: "PreparedCall", values: dict[str, Any]) -> Steps:
    """type='source' needs the source's id, which the tool does not take: read it from the conversation."""
    body = _body(call)
    if body.get("type") != "source":
        return call
    conversation = yield Lookup("GET", f"/conversations/{path_segment(body['conversation_id'])}")
    source_id = _dict(_dict(conversation).get("source")).get("id")
    return dataclasses.replace(
        call, json={"type": "source", "conversation_id": body["conversation_id"], "source_id": source_id}
    )


# --- messages ------------------------------------------------------------------------------------


@translation("intercom_create_message")
def create_message(call: "PreparedCall", values: dict[str, Any]) -> Steps:
    """message_type defaults to in_app; a recipient given by email is looked up (2.15 wants its id)."""
    body = _body(call)
    body.setdefault("message_type", "in_app")
    sender = body.get("from")
    if isinstance(sender, dict) and "id" in sender:
        body["from"] = {**sender, "id": _numeric(sender["id"])}
    recipient = body.get("to")
    if isinstance(recipient, dict) and "id" not in recipient and recipient.get("email"):
        query = {"field": "email", "operator": "=", "value": recipient["email"]}
        found = yield Lookup("POST", "/contacts/search", json={"query": query})
        hits = [_dict(hit) for hit in _dict(found).get("data") or []]
        if not hits or not hits[0].get("id"):
            raise ToolInputError(
                f"no contact has the email {recipient['email']!r}",
                field="to",
                tool_name="intercom_create_message",
            )
        body["to"] = {"type": recipient.get("type") or hits[0].get("role", "user"), "id": hits[0]["id"]}
    return dataclasses.replace(call, json=body)
