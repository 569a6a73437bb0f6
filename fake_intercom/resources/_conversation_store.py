"""Conversations' storage and state machine, shared by the conversation and message routes.

Tables (other resources may read them; write through the functions here):

- `conversations`: one row per conversation. `data` holds the conversation's own JSON (source,
  statistics, custom attributes, linked objects...) without what lives in the link tables below;
  `state`, `open`, `read`, `priority`, assignees, `waiting_since`, `snoozed_until` and the times are
  mirrored into columns for lists and search. `source_words` is the source body's words (a JSON
  array), which search matches one by one as Intercom does.
- `conversation_parts`: every part in order (`seq`), its JSON in `data`.
- `conversation_contacts`, `conversation_tags`, `conversation_teammates`: who takes part, which tags
  are applied (when, by whom) and which admins have acted in it.
- `deleted_conversations` (for 2.16's deleted-ids list) and `conversation_handling_events`.

`priority` is stored as 2.16's level (`none|low|medium|high|urgent`); 2.15 shows a level other
than `none` as `priority` and `none` as `not_priority`.

Time is the workspace clock. A snoozed conversation whose `snoozed_until` has passed wakes up
lazily: `wake_snoozed` (called before any read, list, search or write of conversations) reopens it
with a `timer_unsnooze` part dated when the snooze ended.
"""

import html
import re
import statistics as stats
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from fake_intercom import events
from fake_intercom.context import Ctx, app_package_code
from fake_intercom.errors import (
    admin_not_found,
    not_found,
    require,
)
from fake_intercom.notifications import notify
from fake_intercom.resources._parts import admin_author, bot_author, contact_author
from fake_intercom.resources.teams import find_team
from fake_intercom.search import (
    BOOLEAN,
    DATE,
    INTEGER,
    NUMERIC_ID,
    NUMERIC_ID_OPERATORS,
    STRING,
    Field,
    SearchSpec,
)
from fake_intercom.store import Store, Workspace, counted, dumps, loads, table
from fake_intercom.text import is_html, paragraphs

CONVERSATIONS = table(
    "conversations",
    {
        "id": str,
        "created_at": int,
        "updated_at": int,
        "state": str,
        "open": int,
        "read": int,
        "priority": str,
        "admin_assignee_id": int,
        "team_assignee_id": int,
        "waiting_since": int,
        "snoozed_until": int,
        "source_words": str,
        "data": str,
    },
    indexes=(
        ("workspace_id", "updated_at", "id"),
        ("workspace_id", "created_at", "id"),
        ("workspace_id", "state", "snoozed_until"),
    ),
)
counted("conversations")
CONVERSATION_PARTS = table(
    "conversation_parts",
    {"id": str, "conversation_id": str, "seq": int, "created_at": int, "part_type": str, "data": str},
    indexes=(("workspace_id", "conversation_id", "seq"),),
)
CONVERSATION_CONTACTS = table(
    "conversation_contacts",
    {"conversation_id": str, "contact_id": str, "position": int},
    pk=("workspace_id", "conversation_id", "contact_id"),
    indexes=(("workspace_id", "contact_id"),),
)
CONVERSATION_TAGS = table(
    "conversation_tags",
    {"conversation_id": str, "tag_id": str, "applied_at": int, "applied_by": str},
    pk=("workspace_id", "conversation_id", "tag_id"),
    indexes=(("workspace_id", "tag_id"),),
)
CONVERSATION_TEAMMATES = table(
    "conversation_teammates",
    {"conversation_id": str, "admin_id": str, "position": int},
    pk=("workspace_id", "conversation_id", "admin_id"),
    indexes=(("workspace_id", "admin_id"),),
)
DELETED_CONVERSATIONS = table(
    "deleted_conversations",
    {"id": str, "deleted_at": int, "metrics_retained": int},
    indexes=(("workspace_id", "deleted_at"),),
)
HANDLING_EVENTS = table(
    "conversation_handling_events",
    {"id": str, "conversation_id": str, "admin_id": str, "type": str, "timestamp": int, "reason": str},
    indexes=(("workspace_id", "conversation_id", "timestamp"),),
)

CONVERSATION_ID_BASE = 1_000
"""Tickets take their ids from the same "conversation" sequence, so the two never collide."""
MESSAGE_ID_BASE = 403_918_300
PART_ID_BASE = 100
MAX_PARTS = 500
DELETED_BODY = "<p><i>This message was deleted</i></p>"
PRIORITY_LEVELS = ("none", "low", "medium", "high", "urgent")
CONTACT_TYPES = ("user", "lead", "contact")

KEYS = (
    "type",
    "id",
    "created_at",
    "updated_at",
    "waiting_since",
    "snoozed_until",
    "source",
    "contacts",
    "first_contact_reply",
    "admin_assignee_id",
    "team_assignee_id",
    "open",
    "state",
    "read",
    "tags",
    "priority",
    "sla_applied",
    "statistics",
    "conversation_rating",
    "teammates",
    "title",
    "custom_attributes",
    "topics",
    "ticket",
    "linked_objects",
    "ai_agent",
    "ai_agent_participated",
)
PART_KEYS = (
    "type",
    "id",
    "part_type",
    "body",
    "created_at",
    "updated_at",
    "notified_at",
    "assigned_to",
    "author",
    "attachments",
    "external_id",
    "redacted",
    "metadata",
    "email_message_metadata",
    "state",
    "tags",
    "event_details",
    "app_package_code",
)
STATISTICS: dict[str, Any] = {
    "type": "conversation_statistics",
    **dict.fromkeys(
        (
            "time_to_assignment",
            "time_to_admin_reply",
            "time_to_first_close",
            "time_to_last_close",
            "median_time_to_reply",
            "first_contact_reply_at",
            "first_assignment_at",
            "first_admin_reply_at",
            "first_close_at",
            "last_assignment_at",
            "last_assignment_admin_reply_at",
            "last_contact_reply_at",
            "last_admin_reply_at",
            "last_close_at",
            "last_closed_by_id",
        )
    ),
    "count_reopens": 0,
    "count_assignments": 0,
    "count_conversation_parts": 0,
    "assigned_team_first_response_time": [],
    "assigned_team_first_response_time_in_office_hours": [],
    "handling_time": 0,
    "adjusted_handling_time": None,
}
BLOCK_TAG = r"</?(?:h[1-6]|p|div|ul|ol|li|table|thead|tbody|tr|td|th|blockquote|pre|hr|br)\b[^>]*>"
WORD = re.compile(r"[\w'@.+-]+", re.UNICODE)


# -- text -------------------------------------------------------------------------------------------


def to_html(text: str) -> str:
    """Plain text becomes one paragraph per line; HTML loses its document wrapper and gets one block
    element per line, as Intercom normalises note bodies."""
    if not is_html(text):
        return paragraphs(text)
    inner = re.sub(r"</?(?:html|body|head)\b[^>]*>", "", text).strip()
    inner = re.sub(rf"({BLOCK_TAG})\s+(?=<)", r"\1\n", inner)
    return re.sub(rf"\s+(?={BLOCK_TAG})", "\n", inner)


def plaintext(body: str | None) -> str | None:
    """`display_as=plaintext`: tags dropped, block boundaries kept as line breaks."""
    if body is None:
        return None
    text = re.sub(rf"\s*{BLOCK_TAG}\s*", "\n", body)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\n{2,}", "\n", text).strip()


def words(body: str | None) -> list[str]:
    text = plaintext(body) or ""
    return sorted({word.strip(".'").lower() for word in WORD.findall(text) if word.strip(".'")})


# -- authors ----------------------------------------------------------------------------------------


def find_contact_by(store: Store, workspace_id: str, **identifier: Any) -> dict[str, Any] | None:
    """A visible contact by Intercom id, external id (`user_id`) or email."""
    column, value = next((key, value) for key, value in identifier.items())
    column = {"intercom_user_id": "id", "id": "id", "user_id": "external_id", "email": "email"}[column]
    row = store.one(
        f"SELECT id, role, name, email, external_id FROM contacts WHERE workspace_id = ? AND {column} = ? "
        "AND merged_into IS NULL AND COALESCE(archived, 0) = 0 ORDER BY role = 'lead' LIMIT 1",
        (workspace_id, str(value)),
    )
    return dict(row) if row else None


# -- reading ----------------------------------------------------------------------------------------


def wake_snoozed(store: Store, workspace: Workspace) -> None:
    """Reopen every conversation whose snooze has run out, as of the workspace clock."""
    now = store.now(workspace)
    rows = store.query(
        "SELECT id, snoozed_until FROM conversations WHERE workspace_id = ? AND state = 'snoozed' "
        "AND snoozed_until <= ?",
        (workspace.id, now),
    )
    if not rows:
        return
    with store.atomic():
        for row in rows:
            conversation = load(store, workspace.id, row["id"])
            if conversation is None:
                continue
            woke_at = row["snoozed_until"]
            transition(conversation, "open", woke_at)
            add_part(
                store,
                workspace,
                conversation,
                "timer_unsnooze",
                bot_author(workspace.id),
                created_at=woke_at,
            )
            save(store, workspace.id, conversation)


def load(store: Store, workspace_id: str, conversation_id: Any) -> dict[str, Any] | None:
    """The stored conversation (own fields only), or None."""
    return store.data("conversations", workspace_id, str(conversation_id))


def current(ctx: Ctx, conversation_id: Any) -> dict[str, Any] | None:
    """The conversation as it stands now: a snoozed conversation whose time has come is open again."""
    wake_snoozed(ctx.store, ctx.workspace)
    return load(ctx.store, ctx.ws, conversation_id)


def render(
    store: Store,
    workspace_id: str,
    rows: Sequence[dict[str, Any]],
    version_216: bool,
    *,
    parts: bool,
    plain: bool = False,
) -> list[dict[str, Any]]:
    """Conversations as the API shows them, from their stored JSON and the link tables."""
    datas = [loads(row["data"]) if isinstance(row.get("data"), str) else row for row in rows]
    ids = [data["id"] for data in datas]
    contacts = _contacts_of(store, workspace_id, ids)
    tags = _tags_of(store, workspace_id, ids)
    teammates = _teammates_of(store, workspace_id, ids)
    all_parts = _parts_of(store, workspace_id, ids) if parts else {}
    rendered = []
    for data in datas:
        conversation_id = data["id"]
        own = {key: value for key, value in data.items() if not key.startswith("_")}
        own["contacts"] = {"type": "contact.list", "contacts": contacts.get(conversation_id, [])}
        own["tags"] = {"type": "tag.list", "tags": tags.get(conversation_id, [])}
        admins = teammates.get(conversation_id)
        own["teammates"] = (
            {"type": "admin.list", "teammates": [{"type": "admin", "id": a} for a in admins]}
            if admins
            else None
        )
        if version_216:
            # 2.16 answers 0, not null, for "not assigned".
            for key in ("admin_assignee_id", "team_assignee_id"):
                own[key] = own.get(key) or 0
        else:
            own["priority"] = "not_priority" if own.get("priority", "none") == "none" else "priority"
        # The description types statistics and a rating's remark as plain values: what has not
        # happened yet is left out rather than sent as null.
        if own.get("statistics"):
            own["statistics"] = {k: v for k, v in own["statistics"].items() if v is not None}
        if own.get("conversation_rating"):
            own["conversation_rating"] = {
                k: v for k, v in own["conversation_rating"].items() if v is not None
            }
        source = dict(own["source"])
        if not version_216:
            for key in EMAIL_ENVELOPE:
                source.pop(key, None)
        if plain:
            source["body"] = plaintext(source.get("body"))
        own["source"] = source
        body = {key: own.get(key) for key in KEYS}
        if own.get("company") is not None:
            body["company"] = own["company"]
        if parts:
            part_list = all_parts.get(conversation_id, [])[-MAX_PARTS:]
            if plain:
                part_list = [{**part, "body": plaintext(part.get("body"))} for part in part_list]
            body["conversation_parts"] = {
                "type": "conversation_part.list",
                "conversation_parts": part_list,
                "total_count": len(part_list),
            }
        rendered.append(body)
    return rendered


def render_one(ctx: Ctx, conversation_id: str, *, plain: bool = False) -> dict[str, Any]:
    conversation = load(ctx.store, ctx.ws, conversation_id)
    if conversation is None:
        raise not_found()
    return render(ctx.store, ctx.ws, [conversation], ctx.since("2.16"), parts=True, plain=plain)[0]


def _marks(ids: Sequence[str]) -> str:
    return ", ".join("?" * len(ids))


def _contacts_of(store: Store, workspace_id: str, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if not ids:
        return found
    for row in store.query(
        "SELECT cc.conversation_id, cc.contact_id, c.external_id FROM conversation_contacts cc "
        "LEFT JOIN contacts c ON c.workspace_id = cc.workspace_id AND c.id = cc.contact_id "
        f"WHERE cc.workspace_id = ? AND cc.conversation_id IN ({_marks(ids)}) ORDER BY cc.position",
        [workspace_id, *ids],
    ):
        found[row["conversation_id"]].append(
            {"type": "contact", "id": row["contact_id"], "external_id": row["external_id"]}
        )
    return found


def _tags_of(store: Store, workspace_id: str, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if not ids:
        return found
    for row in store.query(
        "SELECT ct.conversation_id, t.id, t.name, ct.applied_at, ct.applied_by FROM conversation_tags ct "
        "JOIN tags t ON t.workspace_id = ct.workspace_id AND t.id = ct.tag_id "
        f"WHERE ct.workspace_id = ? AND ct.conversation_id IN ({_marks(ids)}) "
        "ORDER BY ct.applied_at, CAST(t.id AS INTEGER)",
        [workspace_id, *ids],
    ):
        found[row["conversation_id"]].append(applied(row))
    return found


def applied(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "tag",
        "id": row["id"],
        "name": row["name"],
        "applied_at": row["applied_at"],
        "applied_by": {"type": "admin", "id": row["applied_by"]},
    }


def _teammates_of(store: Store, workspace_id: str, ids: Sequence[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    if not ids:
        return found
    for row in store.query(
        "SELECT conversation_id, admin_id FROM conversation_teammates "
        f"WHERE workspace_id = ? AND conversation_id IN ({_marks(ids)}) ORDER BY position",
        [workspace_id, *ids],
    ):
        found[row["conversation_id"]].append(row["admin_id"])
    return found


def _parts_of(store: Store, workspace_id: str, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if not ids:
        return found
    for row in store.query(
        "SELECT conversation_id, data FROM conversation_parts "
        f"WHERE workspace_id = ? AND conversation_id IN ({_marks(ids)}) ORDER BY seq",
        [workspace_id, *ids],
    ):
        found[row["conversation_id"]].append(loads(row["data"]))
    return found


def contact_ids(store: Store, workspace_id: str, conversation_id: str) -> list[str]:
    return [
        row["contact_id"]
        for row in store.query(
            "SELECT contact_id FROM conversation_contacts WHERE workspace_id = ? AND conversation_id = ? "
            "ORDER BY position",
            (workspace_id, conversation_id),
        )
    ]


def parts(store: Store, workspace_id: str, conversation_id: str) -> list[dict[str, Any]]:
    return _parts_of(store, workspace_id, [conversation_id]).get(conversation_id, [])


# -- writing ----------------------------------------------------------------------------------------


def new_conversation(
    store: Store,
    workspace: Workspace,
    *,
    source: dict[str, Any],
    contact_ids_: Sequence[str],
    created_at: int,
    state: str,
    admin_assignee_id: int | None = None,
    priority: str = "none",
    title: str | None = None,
) -> dict[str, Any]:
    """Insert a conversation started by `source` (a message, not a part) and return its stored JSON."""
    conversation_id = store.numeric_id(workspace.id, "conversation", base=CONVERSATION_ID_BASE)
    by_contact = source["author"]["type"] in CONTACT_TYPES
    statistics = dict(STATISTICS)
    if by_contact:
        statistics["first_contact_reply_at"] = created_at
        statistics["last_contact_reply_at"] = created_at
    conversation: dict[str, Any] = {
        "type": "conversation",
        "id": conversation_id,
        "created_at": created_at,
        "updated_at": created_at,
        "waiting_since": created_at if by_contact and state != "closed" else None,
        "snoozed_until": None,
        "source": source,
        "first_contact_reply": (
            {"created_at": created_at, "type": "conversation", "url": None} if by_contact else None
        ),
        "admin_assignee_id": admin_assignee_id,
        "team_assignee_id": None,
        "open": state != "closed",
        "state": state,
        "read": False,
        "priority": priority,
        "sla_applied": None,
        "statistics": statistics,
        "conversation_rating": None,
        "title": title,
        "custom_attributes": {},
        "topics": {},
        "ticket": None,
        "linked_objects": {"type": "list", "data": [], "total_count": 0, "has_more": False},
        "ai_agent": None,
        "ai_agent_participated": False,
        "_reply_times": [],
    }
    store.insert(
        "conversations",
        {"workspace_id": workspace.id, "id": conversation_id, **_columns(conversation)},
    )
    for contact_id in dict.fromkeys(contact_ids_):
        add_contact(store, workspace.id, conversation_id, contact_id)
    if source["author"]["type"] == "admin":
        add_teammate(store, workspace.id, conversation_id, source["author"]["id"])
    return conversation


def new_source(
    store: Store,
    workspace: Workspace,
    *,
    author: dict[str, Any],
    body: str,
    delivered_as: str,
    source_type: str = "conversation",
    subject: str = "",
    attachments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "type": source_type,
        "id": store.numeric_id(workspace.id, "message", base=MESSAGE_ID_BASE),
        "delivered_as": delivered_as,
        "subject": subject,
        "body": to_html(body),
        "author": author,
        "attachments": attachments or [],
        "url": None,
        "redacted": False,
    }


def _email_envelope(
    store: Store, workspace_id: str, source: dict[str, Any], author: dict[str, Any], contact_ids: list[str]
) -> dict[str, Any]:
    """An email's addressing, which 2.16 shows on the source: who it went to, where replies go, and
    its headers (S16 #conversation_source; earlier versions leave these keys out)."""
    emails = [
        row["email"]
        for contact_id in contact_ids
        if (
            row := store.one(
                "SELECT email FROM contacts WHERE workspace_id = ? AND id = ?", (workspace_id, contact_id)
            )
        )
        and row["email"]
    ]
    sender = {"type": "from", "email_address": author["email"], "name": author.get("name")}
    return {
        "recipients": [{"type": "to", "email": email, "drop_reason": None} for email in emails],
        "reply_to": [{"email": author["email"], "name": author.get("name")}],
        "email_message_metadata": {
            "message_id": f"<{source['id']}@{workspace_id}.sandbox.intercom-mail.test>",
            "subject": source["subject"],
            "email_address_headers": [
                sender,
                *({"type": "to", "email_address": email, "name": None} for email in emails),
            ],
        },
    }


EMAIL_ENVELOPE = ("recipients", "reply_to", "email_message_metadata")


def _columns(conversation: dict[str, Any]) -> dict[str, Any]:
    return {
        "created_at": conversation["created_at"],
        "updated_at": conversation["updated_at"],
        "state": conversation["state"],
        "open": int(conversation["open"]),
        "read": int(conversation["read"]),
        "priority": conversation["priority"],
        "admin_assignee_id": conversation["admin_assignee_id"],
        "team_assignee_id": conversation["team_assignee_id"],
        "waiting_since": conversation["waiting_since"],
        "snoozed_until": conversation["snoozed_until"],
        "source_words": dumps(words(conversation["source"].get("body"))),
        "data": dumps(conversation),
    }


def save(store: Store, workspace_id: str, conversation: dict[str, Any]) -> None:
    store.update("conversations", workspace_id, conversation["id"], _columns(conversation))


def add_contact(store: Store, workspace_id: str, conversation_id: str, contact_id: str) -> None:
    """Add a participant after every one present: participants are listed in the order they joined,
    so a contact detached and attached again comes last."""
    store.execute(
        "INSERT OR IGNORE INTO conversation_contacts (workspace_id, conversation_id, contact_id, position) "
        "SELECT ?, ?, ?, COALESCE(MAX(position), -1) + 1 FROM conversation_contacts "
        "WHERE workspace_id = ? AND conversation_id = ?",
        (workspace_id, conversation_id, contact_id, workspace_id, conversation_id),
    )


def add_teammate(store: Store, workspace_id: str, conversation_id: str, admin_id: str) -> None:
    store.execute(
        "INSERT OR IGNORE INTO conversation_teammates (workspace_id, conversation_id, admin_id, position) "
        "VALUES (?, ?, ?, (SELECT COUNT(*) FROM conversation_teammates WHERE workspace_id = ? "
        "AND conversation_id = ?))",
        (workspace_id, conversation_id, str(admin_id), workspace_id, conversation_id),
    )


def add_part(
    store: Store,
    workspace: Workspace,
    conversation: dict[str, Any],
    part_type: str,
    author: dict[str, Any],
    *,
    body: str | None = None,
    created_at: int | None = None,
    assigned_to: dict[str, Any] | None = None,
    attachments: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    event_details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Append a part to `conversation` (whose state is already the one after the action)."""
    when = created_at if created_at is not None else store.now(workspace)
    part = {
        "type": "conversation_part",
        "id": store.numeric_id(workspace.id, "conversation_part", base=PART_ID_BASE),
        "part_type": part_type,
        "body": body,
        "created_at": when,
        "updated_at": when,
        "notified_at": when,
        "assigned_to": assigned_to,
        "author": author,
        "attachments": attachments or [],
        "external_id": None,
        "redacted": False,
        "metadata": metadata or {},
        "email_message_metadata": None,
        "state": conversation["state"],
        "tags": [],
        "event_details": event_details,
        "app_package_code": app_package_code(),
    }
    seq = store.next_number(workspace.id, "conversation_part_seq")
    store.insert(
        "conversation_parts",
        {
            "workspace_id": workspace.id,
            "id": part["id"],
            "conversation_id": conversation["id"],
            "seq": seq,
            "created_at": when,
            "part_type": part_type,
            "data": dumps(part),
        },
    )
    if author["type"] == "admin":
        add_teammate(store, workspace.id, conversation["id"], author["id"])
    conversation["statistics"]["count_conversation_parts"] += 1
    conversation["updated_at"] = max(conversation["updated_at"], when)
    return part


def save_part(store: Store, workspace_id: str, part: dict[str, Any]) -> None:
    store.execute(
        "UPDATE conversation_parts SET data = ? WHERE workspace_id = ? AND id = ?",
        (dumps(part), workspace_id, part["id"]),
    )


def find_part(store: Store, workspace_id: str, conversation_id: str, part_id: str) -> dict[str, Any] | None:
    text = store.scalar(
        "SELECT data FROM conversation_parts WHERE workspace_id = ? AND conversation_id = ? AND id = ?",
        (workspace_id, conversation_id, str(part_id)),
    )
    return loads(text)


# -- the state machine ------------------------------------------------------------------------------


def transition(conversation: dict[str, Any], state: str, when: int, snoozed_until: int | None = None) -> bool:
    """Move to `state`; True when that reopened a closed conversation."""
    reopened = conversation["state"] == "closed" and state != "closed"
    conversation["state"] = state
    conversation["open"] = state != "closed"
    conversation["snoozed_until"] = snoozed_until if state == "snoozed" else None
    if reopened:
        conversation["statistics"]["count_reopens"] += 1
    if state == "closed":
        conversation["waiting_since"] = None
    conversation["updated_at"] = max(conversation["updated_at"], when)
    return reopened


def record_contact_reply(conversation: dict[str, Any], when: int) -> None:
    statistics = conversation["statistics"]
    if statistics["first_contact_reply_at"] is None:
        statistics["first_contact_reply_at"] = when
    if conversation["first_contact_reply"] is None:
        conversation["first_contact_reply"] = {"created_at": when, "type": "conversation", "url": None}
    statistics["last_contact_reply_at"] = when
    if conversation["waiting_since"] is None:
        conversation["waiting_since"] = when
    conversation["read"] = False


def record_admin_reply(conversation: dict[str, Any], when: int) -> None:
    statistics = conversation["statistics"]
    waiting_since = conversation["waiting_since"]
    if waiting_since is not None:
        conversation.setdefault("_reply_times", []).append(max(0, when - waiting_since))
        statistics["median_time_to_reply"] = int(stats.median(conversation["_reply_times"]))
    if statistics["first_admin_reply_at"] is None:
        statistics["first_admin_reply_at"] = when
        started = statistics["first_contact_reply_at"] or conversation["created_at"]
        statistics["time_to_admin_reply"] = max(0, when - started)
    statistics["last_admin_reply_at"] = when
    last_assignment = statistics["last_assignment_at"]
    if last_assignment is not None and (statistics["last_assignment_admin_reply_at"] or 0) < last_assignment:
        statistics["last_assignment_admin_reply_at"] = when
    conversation["waiting_since"] = None


def record_assignment(conversation: dict[str, Any], when: int) -> None:
    statistics = conversation["statistics"]
    statistics["count_assignments"] += 1
    if statistics["first_assignment_at"] is None:
        statistics["first_assignment_at"] = when
        statistics["time_to_assignment"] = max(0, when - conversation["created_at"])
    statistics["last_assignment_at"] = when


def record_close(conversation: dict[str, Any], when: int, admin_id: str) -> None:
    statistics = conversation["statistics"]
    if statistics["first_close_at"] is None:
        statistics["first_close_at"] = when
        statistics["time_to_first_close"] = max(0, when - conversation["created_at"])
    statistics["last_close_at"] = when
    statistics["time_to_last_close"] = max(0, when - conversation["created_at"])
    statistics["last_closed_by_id"] = int(admin_id)


def emit(ctx: Ctx, topic: str, conversation_id: str) -> None:
    notify(ctx.store, ctx.workspace, topic, render_one(ctx, conversation_id))


# -- search -----------------------------------------------------------------------------------------

CONVERSATION_OPERATORS = {
    STRING: frozenset({"=", "!=", "IN", "NIN", "~", "!~", "^", "$"}),
    BOOLEAN: frozenset({"=", "!=", "IN", "NIN"}),
    INTEGER: frozenset({"=", "!=", "IN", "NIN", "<", ">"}),
    DATE: frozenset({"=", "!=", "IN", "NIN", "<", ">"}),
}


def _json(path: str, kind: str = STRING) -> Field:
    """A field read from the stored JSON; `path` is a constant of this module."""
    return Field(kind, f"json_extract(v.data, '$.{path}')")


def _many(expression: str, exists_in: str) -> Field:
    return Field(STRING, expression, exists_in=exists_in)


STATISTIC_FIELDS = {
    "time_to_assignment": INTEGER,
    "time_to_admin_reply": INTEGER,
    "time_to_first_close": INTEGER,
    "time_to_last_close": INTEGER,
    "median_time_to_reply": INTEGER,
    "first_contact_reply_at": DATE,
    "first_assignment_at": DATE,
    "first_admin_reply_at": DATE,
    "first_close_at": DATE,
    "last_assignment_at": DATE,
    "last_assignment_admin_reply_at": DATE,
    "last_contact_reply_at": DATE,
    "last_admin_reply_at": DATE,
    "last_close_at": DATE,
    "count_reopens": INTEGER,
    "count_assignments": INTEGER,
    "count_conversation_parts": INTEGER,
}

SEARCH_FIELDS: dict[str, Field] = {
    # Incremental extractors page with `id > <last id>` sorted by id (FIDELITY §11.4).
    "id": Field(NUMERIC_ID, "v.id", operators=NUMERIC_ID_OPERATORS),
    **{
        name: Field(DATE, f"v.{name}")
        for name in ("created_at", "updated_at", "waiting_since", "snoozed_until")
    },
    "state": Field(STRING, "v.state"),
    "open": Field(BOOLEAN, "v.open"),
    "read": Field(BOOLEAN, "v.read"),
    "admin_assignee_id": Field(INTEGER, "v.admin_assignee_id"),
    "team_assignee_id": Field(INTEGER, "v.team_assignee_id"),
    "title": _json("title"),
    **{
        f"source.{name}": _json(f"source.{name}")
        for name in (
            "type",
            "id",
            "delivered_as",
            "subject",
            "url",
            "author.id",
            "author.type",
            "author.name",
        )
    },
    "source.author.email": _json("source.author.email"),
    "source.body": _many("w.value", "json_each(v.source_words) w WHERE 1"),
    "contact_ids": _many(
        "cc.contact_id",
        "conversation_contacts cc WHERE cc.workspace_id = v.workspace_id AND cc.conversation_id = v.id",
    ),
    "teammate_ids": _many(
        "tm.admin_id",
        "conversation_teammates tm WHERE tm.workspace_id = v.workspace_id AND tm.conversation_id = v.id",
    ),
    "tag_ids": _many(
        "ct.tag_id",
        "conversation_tags ct WHERE ct.workspace_id = v.workspace_id AND ct.conversation_id = v.id",
    ),
    **{f"statistics.{name}": _json(f"statistics.{name}", kind) for name, kind in STATISTIC_FIELDS.items()},
    "statistics.last_closed_by_id": Field(
        STRING, "CAST(json_extract(v.data, '$.statistics.last_closed_by_id') AS TEXT)"
    ),
    "conversation_rating.requested_at": _json("conversation_rating.created_at", DATE),
    "conversation_rating.replied_at": _json("conversation_rating.updated_at", DATE),
    "conversation_rating.score": _json("conversation_rating.rating", INTEGER),
    "conversation_rating.remark": _json("conversation_rating.remark"),
    "conversation_rating.contact_id": _json("conversation_rating.contact.id"),
    # Intercom's table spells it admin_d; admin_id is what clients mean.
    "conversation_rating.admin_d": _json("conversation_rating.teammate.id"),
    "conversation_rating.admin_id": _json("conversation_rating.teammate.id"),
    "ai_agent_participated": _json("ai_agent_participated", BOOLEAN),
    **{
        f"ai_agent.{name}": _json(f"ai_agent.{name}")
        for name in ("resolution_state", "last_answer_type", "rating_remark", "source_type", "source_title")
    },
    "ai_agent.rating": _json("ai_agent.rating", INTEGER),
}


def _spec(priority: Field) -> SearchSpec:
    return SearchSpec(
        name="conversations",
        source="conversations v",
        alias="v",
        scope="v.workspace_id = ?",
        fields={**SEARCH_FIELDS, "priority": priority},
        operators=CONVERSATION_OPERATORS,
        default_sort="created_at",
        default_per_page=20,
        day_granular_dates=False,
    )


SEARCH_215 = _spec(
    Field(STRING, "CASE WHEN COALESCE(v.priority, 'none') = 'none' THEN 'not_priority' ELSE 'priority' END")
)
SEARCH_216 = _spec(Field(STRING, "COALESCE(v.priority, 'none')"))


# -- for other resources (tickets) ----------------------------------------------------------------------------


def conversation_json(ctx: Ctx, conversation_id: str) -> dict[str, Any]:
    """The conversation exactly as GET /conversations/{id} answers it; 404 not_found when missing."""
    conversation = require(current(ctx, conversation_id), not_found)
    return render_one(ctx, conversation["id"])


def link_object(ctx: Ctx, conversation_id: str, reference: dict[str, Any]) -> None:
    """Add `{type, id, category}` (a ticket, a conversation) to the conversation's linked_objects."""
    conversation = require(current(ctx, conversation_id), not_found)
    add_link(conversation, reference)
    conversation["updated_at"] = max(conversation["updated_at"], ctx.now())
    save(ctx.store, ctx.ws, conversation)


def unlink_object(ctx: Ctx, conversation_id: str, object_type: str, object_id: str) -> None:
    conversation = require(current(ctx, conversation_id), not_found)
    linked = conversation["linked_objects"]
    linked["data"] = [
        item for item in linked["data"] if (item["type"], str(item["id"])) != (object_type, str(object_id))
    ]
    linked["total_count"] = len(linked["data"])
    conversation["updated_at"] = max(conversation["updated_at"], ctx.now())
    save(ctx.store, ctx.ws, conversation)


def add_link(conversation: dict[str, Any], reference: dict[str, Any]) -> None:
    linked = conversation["linked_objects"]
    key = (reference["type"], str(reference["id"]))
    if all((item["type"], str(item["id"])) != key for item in linked["data"]):
        linked["data"].append(reference)
    linked["total_count"] = len(linked["data"])


# -- domain: starting conversations -----------------------------------------------------------------


def start_from_contact(
    store: Store,
    workspace: Workspace,
    contact: dict[str, Any],
    body: str,
    *,
    created_at: int | None = None,
    attachments: list[dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A contact writes in: returns (the conversation's stored JSON, the `user_message`)."""
    when = created_at if created_at is not None else store.now(workspace)
    source = new_source(
        store,
        workspace,
        author=contact_author(contact),
        body=body,
        delivered_as="customer_initiated",
        attachments=attachments,
    )
    conversation = new_conversation(
        store, workspace, source=source, contact_ids_=[contact["id"]], created_at=when, state="open"
    )
    message = {
        "type": "user_message",
        "id": source["id"],
        "created_at": when,
        "body": body,
        "message_type": "inapp",
        "conversation_id": conversation["id"],
    }
    return conversation, message


def start_from_admin(
    store: Store,
    workspace: Workspace,
    admin_id: str,
    contact_ids: list[str],
    body: str,
    *,
    message_type: str = "inapp",
    subject: str = "",
    open_now: bool = False,
    created_at: int | None = None,
) -> dict[str, Any]:
    """An admin messages contacts: the conversation stays closed until a contact replies."""
    when = created_at if created_at is not None else store.now(workspace)
    author = require(admin_author(store, workspace.id, admin_id), admin_not_found)
    source = new_source(
        store,
        workspace,
        author=author,
        body=body,
        delivered_as="admin_initiated",
        source_type="email" if message_type == "email" else "conversation",
        subject=subject if message_type == "email" else "",
    )
    if message_type == "email":
        source.update(_email_envelope(store, workspace.id, source, author, contact_ids))
    return new_conversation(
        store,
        workspace,
        source=source,
        contact_ids_=contact_ids,
        created_at=when,
        state="open" if open_now else "closed",
        admin_assignee_id=int(admin_id),
    )


# -- domain: actions --------------------------------------------------------------------------------


def contact_reply(
    store: Store,
    workspace: Workspace,
    conversation: dict[str, Any],
    contact: dict[str, Any],
    body: str | None,
    *,
    created_at: int | None = None,
    attachments: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
) -> str:
    """The contact replies; a closed or snoozed conversation reopens. Returns the part type."""
    when = created_at if created_at is not None else store.now(workspace)
    part_type = "comment" if conversation["state"] == "open" else "open"
    transition(conversation, "open", when)
    record_contact_reply(conversation, when)
    add_part(
        store,
        workspace,
        conversation,
        part_type,
        contact_author(contact),
        body=to_html(body) if body else None,
        created_at=when,
        attachments=attachments,
        metadata=metadata,
    )
    return part_type


def admin_reply(
    store: Store,
    workspace: Workspace,
    conversation: dict[str, Any],
    author: dict[str, Any],
    message_type: str,
    body: str | None,
    *,
    created_at: int | None = None,
    attachments: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
) -> None:
    when = created_at if created_at is not None else store.now(workspace)
    if message_type != "note":
        record_admin_reply(conversation, when)
    add_part(
        store,
        workspace,
        conversation,
        message_type,
        author,
        body=to_html(body) if body and message_type != "quick_reply" else None,
        created_at=when,
        attachments=attachments,
        metadata=metadata,
    )


def close(
    store: Store, workspace: Workspace, conversation: dict[str, Any], author: dict[str, Any], body: str | None
) -> None:
    when = store.now(workspace)
    transition(conversation, "closed", when)
    record_close(conversation, when, author["id"])
    add_part(store, workspace, conversation, "close", author, body=to_html(body) if body else None)


def snooze(
    store: Store, workspace: Workspace, conversation: dict[str, Any], author: dict[str, Any], until: int
) -> None:
    transition(conversation, "snoozed", store.now(workspace), snoozed_until=until)
    add_part(store, workspace, conversation, "snoozed", author)


def reopen(store: Store, workspace: Workspace, conversation: dict[str, Any], author: dict[str, Any]) -> None:
    transition(conversation, "open", store.now(workspace))
    add_part(store, workspace, conversation, "open", author)


def assign(
    store: Store,
    workspace: Workspace,
    conversation: dict[str, Any],
    author: dict[str, Any],
    kind: str,
    assignee_id: int,
    body: str | None = None,
) -> str:
    """Assign to an admin or a team (`assignee_id` 0 unassigns); returns the part type appended."""
    when = store.now(workspace)
    conversation[f"{kind}_assignee_id"] = assignee_id or None
    reopened = assignee_id != 0 and conversation["state"] == "closed"
    if reopened:
        transition(conversation, "open", when)
    assigned_to: dict[str, str | None]
    if assignee_id:
        record_assignment(conversation, when)
        assigned_to = {"type": kind, "id": str(assignee_id)}
    else:
        assigned_to = {"type": "nobody_admin", "id": None}
    part_type = "assign_and_reopen" if reopened else "assignment"
    add_part(
        store,
        workspace,
        conversation,
        part_type,
        author,
        body=to_html(body) if body else None,
        assigned_to=assigned_to,
    )
    return part_type


def tag_conversation(
    store: Store, workspace: Workspace, conversation_id: str, tag_id: str, admin_id: str
) -> None:
    store.execute(
        "INSERT OR IGNORE INTO conversation_tags (workspace_id, conversation_id, tag_id, applied_at, applied_by) "
        "VALUES (?, ?, ?, ?, ?)",
        (workspace.id, conversation_id, tag_id, store.now(workspace), str(admin_id)),
    )


@events.on_tag_deleted
def untag_everywhere(store: Store, workspace_id: str, tag_id: str) -> None:
    """A deleted tag leaves every conversation."""
    store.execute(
        "DELETE FROM conversation_tags WHERE workspace_id = ? AND tag_id = ?", (workspace_id, tag_id)
    )


@events.on_contact_blocked
def close_for_blocked_contact(ctx: Ctx, contact_id: str) -> None:
    """Blocking a contact closes every conversation of theirs that is not closed yet."""
    rows = ctx.store.query(
        "SELECT v.id FROM conversations v JOIN conversation_contacts cc ON cc.workspace_id = v.workspace_id "
        "AND cc.conversation_id = v.id WHERE v.workspace_id = ? AND cc.contact_id = ? AND v.state != 'closed'",
        (ctx.ws, contact_id),
    )
    author = bot_author(ctx.ws)
    for row in rows:
        conversation = load(ctx.store, ctx.ws, row["id"])
        if conversation is not None:
            close(ctx.store, ctx.workspace, conversation, author, None)
            save(ctx.store, ctx.ws, conversation)


@events.on_contact_merged
def move_contact(store: Store, workspace_id: str, from_id: str, into_id: str) -> None:
    """A merged lead's conversations become the user's."""
    store.execute(
        "UPDATE OR IGNORE conversation_contacts SET contact_id = ? WHERE workspace_id = ? AND contact_id = ?",
        (into_id, workspace_id, from_id),
    )
    store.execute(
        "DELETE FROM conversation_contacts WHERE workspace_id = ? AND contact_id = ?", (workspace_id, from_id)
    )


@events.on_contact_deleted
def forget_contact(ctx: Ctx, contact_id: str) -> None:
    """A deleted contact's conversations go with them when they were its only participant."""
    store, workspace_id = ctx.store, ctx.ws
    only = [
        row["conversation_id"]
        for row in store.query(
            "SELECT conversation_id FROM conversation_contacts WHERE workspace_id = ? AND conversation_id IN "
            "(SELECT conversation_id FROM conversation_contacts WHERE workspace_id = ? AND contact_id = ?) "
            "GROUP BY conversation_id HAVING COUNT(*) = 1",
            (workspace_id, workspace_id, contact_id),
        )
    ]
    for conversation_id in only:
        delete_conversation(store, workspace_id, conversation_id, ctx.now(), retain=False)
    store.execute(
        "DELETE FROM conversation_contacts WHERE workspace_id = ? AND contact_id = ?",
        (workspace_id, contact_id),
    )


def delete_conversation(
    store: Store, workspace_id: str, conversation_id: str, deleted_at: int, *, retain: bool
) -> None:
    for name in (
        "conversation_parts",
        "conversation_contacts",
        "conversation_tags",
        "conversation_teammates",
    ):
        store.execute(
            f"DELETE FROM {name} WHERE workspace_id = ? AND conversation_id = ?",
            (workspace_id, conversation_id),
        )
    store.execute(
        "DELETE FROM conversation_handling_events WHERE workspace_id = ? AND conversation_id = ?",
        (workspace_id, conversation_id),
    )
    store.delete("conversations", workspace_id, conversation_id)
    store.insert(
        "deleted_conversations",
        {
            "workspace_id": workspace_id,
            "id": conversation_id,
            "deleted_at": deleted_at,
            "metrics_retained": int(retain),
        },
        replace_existing=True,
    )


def run_assignment_rules(ctx: Ctx, conversation: dict[str, Any]) -> None:
    team_id = ctx.store.scalar(
        "SELECT id FROM teams WHERE workspace_id = ? ORDER BY CAST(id AS INTEGER) LIMIT 1", (ctx.ws,)
    )
    team = find_team(ctx.store, ctx.ws, team_id) if team_id is not None else None
    if team is None or not team["admin_ids"]:
        return
    turn = ctx.store.next_number(ctx.ws, "assignment_rule_turn")
    admin_id = sorted(team["admin_ids"])[(turn - 1) % len(team["admin_ids"])]
    bot = bot_author(ctx.ws)
    assign(ctx.store, ctx.workspace, conversation, bot, "team", int(team["id"]))
    assign(ctx.store, ctx.workspace, conversation, bot, "admin", admin_id)


def record_handling_event(
    store: Store,
    workspace: Workspace,
    conversation_id: str,
    admin_id: str,
    kind: str,
    reason: str | None = None,
) -> None:
    """A teammate paused or resumed handling the conversation (the inbox does this; the seed uses it)."""
    store.insert(
        "conversation_handling_events",
        {
            "workspace_id": workspace.id,
            "id": store.numeric_id(workspace.id, "handling_event"),
            "conversation_id": conversation_id,
            "admin_id": str(admin_id),
            "type": kind,
            "timestamp": store.now(workspace),
            "reason": reason,
        },
    )
