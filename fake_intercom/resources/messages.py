"""Messages: POST /messages, and (2.16) the delivery status of outbound WhatsApp messages.

An admin's message starts a conversation with its recipients (the `to` and `cc` contacts) that
stays closed until one of them replies, unless `create_conversation_without_contact_reply` opens
it at once; only then does the answer carry the `conversation_id` (otherwise a client finds the
conversation by searching `source.id` for the message id, as Intercom documents). A message "from"
a contact is the contact writing in, exactly as POST /conversations.

WhatsApp broadcasts are sent by Intercom's Outbound module, which the API cannot drive: the demo
seed sends some (each an admin-initiated `whatsapp` conversation), and `send_whatsapp` records one.
"""

from typing import Any

from fastapi import Depends, Query

from contracts.models.messages import AdminMessage, CreateMessageRequest, WhatsAppStatus, WhatsAppStatusList
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    admin_not_found,
    parameter_invalid,
    parameter_not_found,
    require,
    user_not_found,
    whatsapp_message_not_found,
)
from fake_intercom.pagination import Order, check_per_page, cursor_page
from fake_intercom.resources import _conversation_store as cs
from fake_intercom.resources._parts import admin_author
from fake_intercom.resources.admins import find_admin
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

WHATSAPP_MESSAGES = table(
    "whatsapp_messages",
    {"id": str, "ruleset_id": str, "conversation_id": str, "created_at": int, "seq": int, "data": str},
    indexes=(("workspace_id", "ruleset_id", "created_at", "seq"),),
)

router = IntercomRouter(tags=["Messages"])

IN_APP = ("in_app", "inapp", "conversation")
OWNER_KEYS = ("type", "id", "name", "email", "away_mode_enabled", "away_mode_reassign")


def _recipients(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _resolve(ctx: Ctx, party: Any) -> str:
    for key in ("id", "user_id", "email"):
        value = getattr(party, key)
        if value not in (None, ""):
            contact = cs.find_contact_by(ctx.store, ctx.ws, **{key: value})
            if contact is None:
                break
            return str(contact["id"])
    raise user_not_found()


@router.operation("createMessage", response_model=AdminMessage)
async def create_message(body: CreateMessageRequest, ctx: Ctx = Depends(context)) -> Any:
    sender = body.from_
    if sender is None or sender.type is None:
        raise parameter_not_found("from is a required parameter", field="from")
    if not body.body or not body.body.strip():
        raise parameter_invalid("Body is required")
    if sender.type in cs.CONTACT_TYPES:
        contact = {"id": _resolve(ctx, sender)}
        contact = cs.find_contact_by(ctx.store, ctx.ws, id=contact["id"]) or contact
        conversation, message = cs.start_from_contact(
            ctx.store, ctx.workspace, contact, body.body, created_at=body.created_at
        )
        cs.save(ctx.store, ctx.ws, conversation)
        cs.emit(ctx, "conversation.user.created", conversation["id"])
        return responses.json(message)
    if sender.type != "admin":
        raise parameter_invalid("from.type must be admin, user, lead or contact", field="from.type")
    kind = body.message_type or "in_app"
    if kind not in (*IN_APP, "email"):
        raise parameter_invalid("message_type must be in_app or email", field="message_type")
    if kind == "email" and not body.subject:
        raise parameter_not_found("No subject supplied for email message", status=422)
    owner = require(admin_author(ctx.store, ctx.ws, sender.id), admin_not_found)
    recipients = _recipients(body.to)
    if not recipients:
        raise parameter_not_found("to is a required parameter", field="to")
    contact_ids = [_resolve(ctx, party) for party in (*recipients, *_recipients(body.cc))]
    for party in _recipients(body.bcc):
        _resolve(ctx, party)
    message_type = "email" if kind == "email" else "inapp"
    conversation = cs.start_from_admin(
        ctx.store,
        ctx.workspace,
        owner["id"],
        contact_ids,
        body.body,
        message_type=message_type,
        subject=body.subject or "",
        open_now=body.create_conversation_without_contact_reply,
        created_at=body.created_at,
    )
    cs.save(ctx.store, ctx.ws, conversation)
    cs.emit(ctx, "conversation.admin.single.created", conversation["id"])
    admin = find_admin(ctx.store, ctx.ws, owner["id"]) or {}
    message: dict[str, Any] = {
        "type": "admin_message",
        "id": conversation["source"]["id"],
        "created_at": conversation["created_at"],
        "subject": body.subject or "",
        "body": body.body,
        "message_type": message_type,
        "owner": {key: admin.get(key) for key in OWNER_KEYS},
    }
    if body.create_conversation_without_contact_reply:
        message["conversation_id"] = conversation["id"]
    return responses.json(message)


# -- WhatsApp (2.16) --------------------------------------------------------------------------------


def send_whatsapp(
    store: Store,
    workspace: Workspace,
    *,
    ruleset_id: str,
    admin_id: str,
    contact_id: str,
    template_name: str,
    body: str,
    status: str = "sent",
    error: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An Outbound WhatsApp broadcast to one contact: its conversation and its delivery record."""
    source = cs.new_source(
        store,
        workspace,
        author=require(admin_author(store, workspace.id, admin_id), admin_not_found),
        body=body,
        delivered_as="automated",
        source_type="whatsapp",
    )
    now = store.now(workspace)
    conversation = cs.new_conversation(
        store, workspace, source=source, contact_ids_=[contact_id], created_at=now, state="closed"
    )
    cs.save(store, workspace.id, conversation)
    seq = store.next_number(workspace.id, "whatsapp_message")
    record: dict[str, Any] = {
        "id": f"event_{seq}",
        "conversation_id": conversation["id"],
        "user_id": contact_id,
        "status": status,
        "type": "broadcast_outbound",
        "created_at": now,
        "updated_at": now,
        "whatsapp_message_id": f"wamid_{workspace.id}_{seq}",
        "template_name": template_name,
    }
    if error is not None:
        record["error"] = error
    store.insert(
        "whatsapp_messages",
        {
            "workspace_id": workspace.id,
            "id": record["whatsapp_message_id"],
            "ruleset_id": str(ruleset_id),
            "conversation_id": conversation["id"],
            "created_at": now,
            "seq": seq,
            "data": dumps(record),
        },
    )
    return record


def _plain_error(ctx: Ctx, message: str) -> Any:
    # These two endpoints answer a missing parameter with Intercom's bare `error` object.
    return responses.json({"type": "error", "request_id": ctx.request_id, "message": message}, status=400)


@router.operation("getWhatsAppMessageStatus", response_model=WhatsAppStatusList)
async def get_whatsapp_message_status(
    ruleset_id: str | None = Query(default=None, description="The ruleset whose messages to list."),
    per_page: int | None = Query(default=None, description="Results per page (default 50, max 100)."),
    starting_after: str | None = Query(default=None, description="The cursor of the previous page."),
    ctx: Ctx = Depends(context),
) -> Any:
    if not ruleset_id:
        return _plain_error(ctx, "ruleset_id is required")
    page = cursor_page(
        ctx.store,
        select="data",
        from_where="whatsapp_messages WHERE workspace_id = ? AND ruleset_id = ?",
        params=[ctx.ws, ruleset_id],
        order=[Order("created_at"), Order("seq")],
        per_page=check_per_page(per_page, 50, 100),
        starting_after=starting_after,
    )
    return responses.json(
        {
            "type": "list",
            "ruleset_id": int(ruleset_id) if ruleset_id.isdigit() else ruleset_id,
            "pages": page.pages(),
            "total_count": page.total_count,
            "events": [loads(row["data"]) for row in page.rows],
        }
    )


@router.operation("RetrieveWhatsAppMessageStatus", response_model=WhatsAppStatus)
async def retrieve_whatsapp_message_status(
    message_id: str | None = Query(default=None, description="The WhatsApp message id."),
    ctx: Ctx = Depends(context),
) -> Any:
    if not message_id:
        return _plain_error(ctx, "message_id is required")
    record = ctx.store.data("whatsapp_messages", ctx.ws, message_id)
    if record is None:
        raise whatsapp_message_not_found()
    answer = {
        "conversation_id": record["conversation_id"],
        "status": record["status"],
        "type": record["type"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "template_name": record["template_name"],
        "message_id": record["whatsapp_message_id"],
    }
    if "error" in record:
        answer["error"] = record["error"]
    return responses.json(answer)


SEED_ORDER = 11


def seed_demo(seeder: Any) -> None:
    """One WhatsApp appointment-reminder broadcast to a handful of users, one of them undeliverable."""
    recipients = seeder.users[:6]
    for index, contact in enumerate(recipients):
        failed = index == len(recipients) - 1
        send_whatsapp(
            seeder.store,
            seeder.workspace,
            ruleset_id="12345",
            admin_id=seeder.admin_ids[0],
            contact_id=contact["id"],
            template_name="appointment_reminder",
            body="Reminder: your onboarding call is tomorrow at 10:00.",
            status="failed" if failed else ("delivered" if index % 2 else "sent"),
            error={"message": "Message delivery failed", "details": "Recipient phone number not on WhatsApp"}
            if failed
            else None,
        )
