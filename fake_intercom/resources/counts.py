"""The legacy Counts API, GET /counts, computed from the live tables.

No current description has it, but Definable's INTERCOM_GET_ENTITY_COUNTS calls it, so it is
served as Intercom's 1.x-2.x references describe it:

- no parameters: the workspace totals, `{type: "count.hash", company, user, lead, tag, segment}`
  each `{count: N}` (tags and segments counted whether used or not);
- `type=conversation`: open (snoozed included), closed, assigned and unassigned conversations;
  with `count=admin`, each admin's open and closed conversations;
- `type=user` or `type=company` with `count=tag|segment` (and `count=user` for companies): a
  list of `{<name>: N}` per tag, segment or company.

Conversations are read from the conversations resource's table when it exists.
"""

from typing import Any

from fastapi import Depends, Query

from contracts.models.counts import AppTotalCounts, TypedCounts
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import parameter_invalid
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, loads

router = IntercomRouter(tags=["Counts"])

LIVE_CONTACT = "merged_into IS NULL AND COALESCE(archived, 0) = 0"
COUNTS_BY_TYPE = {
    "conversation": (None, "admin"),
    "user": ("tag", "segment"),
    "company": ("tag", "segment", "user"),
}


def app_totals(store: Store, workspace_id: str) -> dict[str, Any]:
    def count(sql: str) -> dict[str, int]:
        return {"count": int(store.scalar(sql, (workspace_id,)) or 0)}

    contacts = f"SELECT COUNT(*) FROM contacts WHERE workspace_id = ? AND {LIVE_CONTACT} AND role = "
    return {
        "type": "count.hash",
        "company": count("SELECT COUNT(*) FROM companies WHERE workspace_id = ?"),
        "user": count(contacts + "'user'"),
        "lead": count(contacts + "'lead'"),
        "tag": count("SELECT COUNT(*) FROM tags WHERE workspace_id = ?"),
        "segment": count("SELECT COUNT(*) FROM segments WHERE workspace_id = ?"),
    }


def _conversations(store: Store, workspace_id: str) -> list[dict[str, Any]]:
    if not store.db.table("conversations").exists():
        return []
    rows = store.query("SELECT data FROM conversations WHERE workspace_id = ?", (workspace_id,))
    return [conversation for row in rows if isinstance(conversation := loads(row["data"]), dict)]


def conversation_counts(store: Store, workspace_id: str) -> dict[str, int]:
    counts = {"open": 0, "closed": 0, "unassigned": 0, "assigned": 0}
    for conversation in _conversations(store, workspace_id):
        is_open = conversation.get("state") in ("open", "snoozed")
        counts["open" if is_open else "closed"] += 1
        if is_open:
            assigned = conversation.get("admin_assignee_id") or conversation.get("team_assignee_id")
            counts["assigned" if assigned else "unassigned"] += 1
    return counts


def admin_conversation_counts(store: Store, workspace_id: str) -> list[dict[str, Any]]:
    admins = store.query(
        "SELECT id, name FROM admins WHERE workspace_id = ? ORDER BY CAST(id AS INTEGER)", (workspace_id,)
    )
    tally = {
        admin["id"]: {"id": admin["id"], "name": admin["name"], "open": 0, "closed": 0} for admin in admins
    }
    for conversation in _conversations(store, workspace_id):
        entry = tally.get(str(conversation.get("admin_assignee_id")))
        if entry is not None:
            entry["open" if conversation.get("state") in ("open", "snoozed") else "closed"] += 1
    return list(tally.values())


def _named_counts(store: Store, sql: str, workspace_id: str) -> list[dict[str, int]]:
    return [{row["name"]: int(row["n"])} for row in store.query(sql, (workspace_id,))]


# Per tag or segment: how many live contacts (or companies) carry it.
USER_COUNTS = {
    "tag": (
        "SELECT t.name AS name, (SELECT COUNT(*) FROM contact_tags x JOIN contacts c "
        "ON c.workspace_id = x.workspace_id AND c.id = x.contact_id "
        "WHERE x.workspace_id = t.workspace_id AND x.tag_id = t.id "
        "AND c.merged_into IS NULL AND COALESCE(c.archived, 0) = 0) AS n "
        "FROM tags t WHERE t.workspace_id = ? ORDER BY t.name"
    ),
    "segment": (
        "SELECT s.name AS name, (SELECT COUNT(*) FROM segment_members x JOIN contacts c "
        "ON c.workspace_id = x.workspace_id AND c.id = x.member_id "
        "WHERE x.workspace_id = s.workspace_id AND x.segment_id = s.id "
        "AND c.merged_into IS NULL AND COALESCE(c.archived, 0) = 0) AS n "
        "FROM segments s WHERE s.workspace_id = ? ORDER BY s.name"
    ),
}
COMPANY_COUNTS = {
    "tag": (
        "SELECT t.name AS name, (SELECT COUNT(*) FROM company_tags x "
        "WHERE x.workspace_id = t.workspace_id AND x.tag_id = t.id) AS n "
        "FROM tags t WHERE t.workspace_id = ? ORDER BY t.name"
    ),
    "segment": (
        "SELECT s.name AS name, (SELECT COUNT(*) FROM segment_members x JOIN companies c "
        "ON c.workspace_id = x.workspace_id AND c.id = x.member_id "
        "WHERE x.workspace_id = s.workspace_id AND x.segment_id = s.id) AS n "
        "FROM segments s WHERE s.workspace_id = ? ORDER BY s.name"
    ),
}


def company_user_counts(store: Store, workspace_id: str) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT c.name AS name, c.company_id AS company_id, (SELECT COUNT(*) FROM company_contacts x "
        "JOIN contacts p ON p.workspace_id = x.workspace_id AND p.id = x.contact_id "
        "WHERE x.workspace_id = c.workspace_id AND x.company_id = c.id "
        "AND p.merged_into IS NULL AND COALESCE(p.archived, 0) = 0) AS n "
        "FROM companies c WHERE c.workspace_id = ? ORDER BY c.name, c.id",
        (workspace_id,),
    )
    return [{row["name"]: int(row["n"]), "remote_company_id": row["company_id"]} for row in rows]


@router.operation("listEntityCounts", response_model=AppTotalCounts | TypedCounts)
async def list_entity_counts(
    type: str | None = Query(default=None, description="conversation, user or company; none for the totals."),
    count: str | None = Query(
        default=None,
        description="What to count per item: admin (conversation), tag, segment, or user (company).",
    ),
    ctx: Ctx = Depends(context),
) -> Any:
    if type is None:
        if count is not None:
            raise parameter_invalid("count requires a type", field="type")
        return responses.json(app_totals(ctx.store, ctx.ws))
    if type not in COUNTS_BY_TYPE:
        raise parameter_invalid(
            f"{type} is not a valid type: use conversation, user or company", field="type"
        )
    if count not in COUNTS_BY_TYPE[type]:
        allowed = ", ".join(c for c in COUNTS_BY_TYPE[type] if c)
        raise parameter_invalid(f"{count} is not a valid count for {type}: use {allowed}", field="count")
    body: dict[str, Any]
    if type == "conversation":
        if count == "admin":
            body = {"admin": admin_conversation_counts(ctx.store, ctx.ws)}
        else:
            body = conversation_counts(ctx.store, ctx.ws)
    elif type == "user":
        body = {count: _named_counts(ctx.store, USER_COUNTS[str(count)], ctx.ws)}
    elif count == "user":
        body = {"user": company_user_counts(ctx.store, ctx.ws)}
    else:
        body = {count: _named_counts(ctx.store, COMPANY_COUNTS[str(count)], ctx.ws)}
    return responses.json({"type": "count", type: body})
