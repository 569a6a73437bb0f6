"""Conversations: the inbox's state machine, its parts, participants, tags and search.

What each action does (FIDELITY §7):

- Created by a contact (POST /conversations, or POST /messages from a contact): open, waiting since
  then, answered with the contact's `user_message`. Started by an admin (POST /messages): closed
  until the contact replies, unless `create_conversation_without_contact_reply`.
- A contact's reply to a closed or snoozed conversation reopens it with an `open` part; to an open
  one it is a `comment`. Admin replies (`comment`, `note`, `quick_reply`) leave the state alone.
- `close`, `snoozed` (`open` stays true) and `open` parts; `assignment` (admin or team; `0`
  unassigns, shown as `nobody_admin`), or `assign_and_reopen` when it reopens a closed conversation.
- Updating custom attributes appends one `conversation_attribute_updated_by_admin` part per
  attribute, signed by the bot. A snooze that runs out reopens with `timer_unsnooze`.

Assignment rules (POST /conversations/{id}/run_assignment_rules, kept simple and deterministic):
the workspace's first team (lowest id) receives the conversation, and its admins take turns in id
order, one per run across the workspace (round robin). With no team, or a team without admins, no
rule matches and the conversation is returned unchanged.

Storage, search and the state machine live in `_conversation_store` (the routes here are thin), the
demo workspace's conversations in `_conversation_demo`.
"""

from typing import Any

from fastapi import Depends, Query

from contracts.models.common import DeletedObject
from contracts.models.conversations import (
    AttachContactRequest,
    Conversation,
    ConversationCustomers,
    ConversationList,
    ConversationTagRequest,
    ConvertConversationRequest,
    CreateConversationRequest,
    DeletedConversationIds,
    DetachContactRequest,
    DetachConversationTagRequest,
    HandlingEventList,
    ManageConversationRequest,
    MergeConversationRequest,
    RedactConversationRequest,
    ReplyConversationRequest,
    UpdateConversationRequest,
    UserMessage,
)
from contracts.models.search import SearchRequest
from contracts.models.tags import Tag
from contracts.versions import at_least
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    admin_not_found,
    assignee_not_found,
    company_not_found,
    conversation_part_not_redactable,
    conversation_part_or_message_not_found,
    not_found,
    parameter_invalid,
    parameter_not_found,
    require,
    tag_not_found,
    user_not_found,
)
from fake_intercom.pagination import Order, check_per_page, cursor_page, numbered_page
from fake_intercom.resources import _conversation_store as cs
from fake_intercom.resources._contact_store import create_contact
from fake_intercom.resources._conversation_demo import seed_conversations
from fake_intercom.resources._parts import admin_author, attachments, bot_author
from fake_intercom.resources._ticket_store import create_ticket_from_conversation
from fake_intercom.resources.admins import find_admin, log_api_activity
from fake_intercom.resources.companies import find_company, render_company
from fake_intercom.resources.tags import find_tag
from fake_intercom.resources.teams import find_team
from fake_intercom.routing import IntercomRouter
from fake_intercom.search import search

router = IntercomRouter(tags=["Conversations"])

CONVERSATION_NOT_FOUND = "Conversation not found"
DISPLAY_AS = Query(default=None, description="Set to plaintext to get the messages in plain text.")

# -- request helpers --------------------------------------------------------------------------------


def _contact_from(ctx: Ctx, **identifiers: Any) -> dict[str, Any]:
    for key, value in identifiers.items():
        if value not in (None, ""):
            contact = cs.find_contact_by(ctx.store, ctx.ws, **{key: value})
            if contact is None:
                raise user_not_found()
            return contact
    raise parameter_invalid("One of intercom_user_id, user_id or email is required")


def _integer_id(value: Any, name: str) -> int:
    text = str(value).strip() if value is not None else ""
    if not text.lstrip("-").isdigit():
        raise parameter_invalid(f"{name} must be an integer id", field=name)
    return int(text)


def _body(ctx: Ctx, conversation_id: str, *, plain: bool = False) -> Any:
    return responses.json(cs.render_one(ctx, conversation_id, plain=plain))


def _plain(display_as: str | None) -> bool:
    return (display_as or "").lower() == "plaintext"


def _list_body(ctx: Ctx, page: Any) -> dict[str, Any]:
    return {
        "type": "conversation.list",
        "pages": page.pages(),
        "total_count": page.total_count,
        "conversations": cs.render(ctx.store, ctx.ws, page.rows, ctx.since("2.16"), parts=False),
    }


def _assignee(ctx: Ctx, kind: str | None, assignee_id: Any) -> tuple[str, int]:
    if kind not in ("admin", "team"):
        raise parameter_invalid("type must be admin or team for an assignment", field="type")
    number = _integer_id(assignee_id, "assignee_id")
    if number:
        exists = (
            find_admin(ctx.store, ctx.ws, str(number))
            if kind == "admin"
            else find_team(ctx.store, ctx.ws, str(number))
        )
        if exists is None:
            raise assignee_not_found()
    return kind, number


# -- routes (literal paths before parameterised ones) -----------------------------------------------


@router.operation("listConversations", response_model=ConversationList)
async def list_conversations(
    per_page: int | None = Query(default=None, description="Results per page (default 20, max 150)."),
    starting_after: str | None = Query(default=None, description="The cursor of the previous page."),
    ctx: Ctx = Depends(context),
) -> Any:
    cs.wake_snoozed(ctx.store, ctx.workspace)
    page = cursor_page(
        ctx.store,
        select="data",
        from_where="conversations WHERE workspace_id = ?",
        params=[ctx.ws],
        order=[Order("updated_at"), Order("id")],
        per_page=check_per_page(per_page, 20, 150),
        starting_after=starting_after,
        total=ctx.store.rows_counted("conversations", ctx.ws),
    )
    return responses.json(_list_body(ctx, page))


@router.operation("createConversation", response_model=UserMessage)
async def create_conversation(body: CreateConversationRequest, ctx: Ctx = Depends(context)) -> Any:
    sender = body.from_
    if sender.type not in cs.CONTACT_TYPES:
        raise parameter_invalid("from.type must be one of user, lead or contact", field="from.type")
    contact = _contact_from(ctx, id=sender.id, user_id=sender.user_id, email=sender.email)
    if not body.body.strip():
        raise parameter_invalid("Body is required")
    conversation, message = cs.start_from_contact(
        ctx.store,
        ctx.workspace,
        contact,
        body.body,
        created_at=body.created_at,
        attachments=attachments(body.attachment_urls),
    )
    cs.save(ctx.store, ctx.ws, conversation)
    cs.emit(ctx, "conversation.user.created", conversation["id"])
    return responses.json(message)


@router.operation("listDeletedConversationIds", response_model=DeletedConversationIds)
async def list_deleted_conversation_ids(
    page: int | None = Query(default=None, description="The page of results (from 1)."),
    per_page: int | None = Query(default=None, description="Results per page (default 20, max 60)."),
    order: str | None = Query(default=None, description="`asc` or `desc` (the default)."),
    ctx: Ctx = Depends(context),
) -> Any:
    direction = (order or "desc").lower()
    if direction not in ("asc", "desc"):
        raise parameter_invalid("order must be asc or desc", field="order")
    result = numbered_page(
        ctx.store,
        select="id, deleted_at, metrics_retained",
        from_where="deleted_conversations WHERE workspace_id = ?",
        params=[ctx.ws],
        order_by=f"deleted_at {direction}, CAST(id AS INTEGER) {direction}",
        page=page,
        per_page=check_per_page(per_page, 20, 60),
        url=f"{ctx.base_url}/conversations/deleted",
        query={"order": direction},
    )
    return responses.json(
        {
            "type": "conversations.list",
            "total_count": result.total_count,
            "pages": result.pages(),
            "conversations": [
                {
                    "type": "conversation",
                    "id": row["id"],
                    "metrics_retained": bool(row["metrics_retained"]),
                    "deleted_at": row["deleted_at"],
                }
                for row in result.rows
            ],
        }
    )


@router.operation("redactConversation", response_model=Conversation)
async def redact_conversation(body: RedactConversationRequest, ctx: Ctx = Depends(context)) -> Any:
    missing = conversation_part_or_message_not_found()
    if body.type not in ("conversation_part", "source"):
        raise parameter_invalid("type must be conversation_part or source", field="type")
    cs.wake_snoozed(ctx.store, ctx.workspace)
    conversation = (
        cs.load(ctx.store, ctx.ws, body.conversation_id) if body.conversation_id is not None else None
    )
    if conversation is None:
        raise missing
    now = ctx.now()
    if body.type == "conversation_part":
        part = cs.find_part(ctx.store, ctx.ws, conversation["id"], str(body.conversation_part_id))
        if part is None:
            raise missing
        if not part.get("body"):
            raise conversation_part_not_redactable("This conversation part cannot be redacted")
        part.update(body=cs.DELETED_BODY, redacted=True, updated_at=now)
        cs.save_part(ctx.store, ctx.ws, part)
        log_api_activity(
            ctx,
            "conversation_part_deletion",
            "deleted a conversation part",
            {"conversation_id": conversation["id"], "part_type": part["part_type"]},
        )
    else:
        source = conversation["source"]
        if str(body.source_id) != source["id"]:
            raise missing
        if source["author"]["type"] not in cs.CONTACT_TYPES:
            raise conversation_part_not_redactable(
                "Only a source message written by a contact can be redacted"
            )
        source.update(body=cs.DELETED_BODY, redacted=True)
    conversation["updated_at"] = max(conversation["updated_at"], now)
    cs.save(ctx.store, ctx.ws, conversation)
    cs.emit(ctx, "conversation_part.redacted", conversation["id"])
    return _body(ctx, conversation["id"])


@router.operation("searchConversations", response_model=ConversationList)
async def search_conversations(body: SearchRequest, ctx: Ctx = Depends(context)) -> Any:
    cs.wake_snoozed(ctx.store, ctx.workspace)
    spec = cs.SEARCH_216 if ctx.since("2.16") else cs.SEARCH_215
    page = search(ctx.store, ctx.workspace, ctx.version, spec, body)
    return responses.json(_list_body(ctx, page))


@router.operation("deleteConversation", response_model=DeletedObject)
async def delete_conversation(
    conversation_id: str,
    retain_metrics: bool | None = Query(default=None, description="Keep the conversation's metrics (2.16)."),
    ctx: Ctx = Depends(context),
) -> Any:
    conversation = require(cs.current(ctx, conversation_id), not_found)
    cs.delete_conversation(ctx.store, ctx.ws, conversation["id"], ctx.now(), retain=bool(retain_metrics))
    notify_item = {"type": "conversation", "id": conversation["id"]}
    cs.notify(ctx.store, ctx.workspace, "conversation.deleted", notify_item)
    return responses.deleted(conversation["id"], "conversation")


@router.operation("retrieveConversation", response_model=Conversation)
async def retrieve_conversation(
    conversation_id: str,
    display_as: str | None = DISPLAY_AS,
    include_translations: bool | None = Query(default=None, description="Translate parts (not supported)."),
    ctx: Ctx = Depends(context),
) -> Any:
    conversation = require(cs.current(ctx, conversation_id), not_found)
    return _body(ctx, conversation["id"], plain=_plain(display_as))


@router.operation("updateConversation", response_model=Conversation)
async def update_conversation(
    conversation_id: str,
    body: UpdateConversationRequest,
    display_as: str | None = DISPLAY_AS,
    ctx: Ctx = Depends(context),
) -> Any:
    conversation = require(cs.current(ctx, conversation_id), not_found)
    fields = body.model_dump(exclude_unset=True)
    topics = []
    if fields.get("read") is not None:
        if body.read and not conversation["read"]:
            topics.append("conversation.read")
        conversation["read"] = bool(body.read)
    if "title" in fields:
        conversation["title"] = body.title
    if fields.get("company_id") is not None:
        conversation["company"] = _company(ctx, str(body.company_id))
        topics.append("conversation.company.updated")
    if body.priority is not None:
        priority = _priority(ctx.version, body.priority, conversation.get("priority") or "none")
        if priority != (conversation.get("priority") or "none"):
            conversation["priority"] = priority
            topics.append("conversation.priority.updated")
    bot = bot_author(ctx.ws)
    for name, value in (body.custom_attributes or {}).items():
        if not isinstance(value, (str, int, float, bool, list, dict)) and value is not None:
            raise parameter_invalid(
                f"Custom attribute '{name}' has an invalid value", field=f"custom_attributes.{name}"
            )
        if conversation["custom_attributes"].get(name) == value:
            continue
        if value is None:
            conversation["custom_attributes"].pop(name, None)
        else:
            conversation["custom_attributes"][name] = value
        cs.add_part(
            ctx.store,
            ctx.workspace,
            conversation,
            "conversation_attribute_updated_by_admin",
            bot,
            event_details={"attribute": {"name": name}, "value": {"name": value}},
        )
    conversation["updated_at"] = max(conversation["updated_at"], ctx.now())
    cs.save(ctx.store, ctx.ws, conversation)
    for topic in topics:
        cs.emit(ctx, topic, conversation["id"])
    return _body(ctx, conversation["id"], plain=_plain(display_as))


def _priority(version: str, asked: str, current: str) -> str:
    """The stored level for a priority a client sets: 2.16's levels as they are; before 2.16,
    `priority` keeps a level already set (else `high`) and `not_priority` is `none` (FIDELITY §2.4)."""
    if at_least(version, "2.16"):
        if asked not in cs.PRIORITY_LEVELS:
            raise parameter_invalid(
                f"priority must be one of {', '.join(cs.PRIORITY_LEVELS)}", field="priority"
            )
        return asked
    if asked not in ("priority", "not_priority"):
        raise parameter_invalid("priority must be priority or not_priority", field="priority")
    if asked == "not_priority":
        return "none"
    return current if current != "none" else "high"


def _company(ctx: Ctx, company_id: str) -> dict[str, Any]:
    row = find_company(ctx.store, ctx.ws, company_id)
    if row is None:
        raise company_not_found()
    return render_company(ctx.store, row)


@router.operation("convertConversationToTicket")
async def convert_conversation_to_ticket(
    conversation_id: str, body: ConvertConversationRequest, ctx: Ctx = Depends(context)
) -> Any:
    conversation = cs.conversation_json(ctx, conversation_id)
    ticket = create_ticket_from_conversation(
        ctx, conversation, str(body.ticket_type_id), body.attributes or {}
    )
    stored = require(cs.current(ctx, conversation["id"]), not_found)
    reference = {"type": "ticket", "id": str(ticket["id"]), "category": ticket.get("category")}
    stored["ticket"] = reference
    cs.add_link(stored, reference)
    stored["updated_at"] = max(stored["updated_at"], ctx.now())
    cs.save(ctx.store, ctx.ws, stored)
    return responses.json(ticket)


@router.operation("attachContactToConversation", response_model=ConversationCustomers)
async def attach_contact(
    conversation_id: str, body: AttachContactRequest, ctx: Ctx = Depends(context)
) -> Any:
    conversation = require(cs.current(ctx, conversation_id), not_found)
    author = require(admin_author(ctx.store, ctx.ws, body.admin_id), admin_not_found)
    customer = body.customer
    if customer is None:
        raise parameter_not_found("customer is a required parameter", field="customer")
    contact = _attach_target(ctx, customer.intercom_user_id, customer.user_id, customer.email)
    present = cs.contact_ids(ctx.store, ctx.ws, conversation["id"])
    if contact["id"] not in present:
        cs.add_contact(ctx.store, ctx.ws, conversation["id"], contact["id"])
        cs.add_part(
            ctx.store,
            ctx.workspace,
            conversation,
            "participant_added",
            author,
            metadata={"contact": {"type": "contact", "id": contact["id"]}},
        )
        cs.save(ctx.store, ctx.ws, conversation)
        cs.emit(ctx, "conversation.contact.attached", conversation["id"])
    return responses.json(_customers(ctx, conversation["id"]))


def _attach_target(
    ctx: Ctx, intercom_user_id: str | None, user_id: str | None, email: str | None
) -> dict[str, Any]:
    """The contact to add; an unknown email becomes a new lead, as Intercom does."""
    if email and not intercom_user_id and not user_id:
        contact = cs.find_contact_by(ctx.store, ctx.ws, email=email)
        if contact is None:
            created = create_contact(ctx.store, ctx.workspace, {"role": "lead", "email": email})
            contact = {key: created.get(key) for key in ("id", "role", "name", "email", "external_id")}
        return contact
    return _contact_from(ctx, intercom_user_id=intercom_user_id, user_id=user_id)


def _customers(ctx: Ctx, conversation_id: str) -> dict[str, Any]:
    rows = ctx.store.query(
        "SELECT cc.contact_id, c.role FROM conversation_contacts cc LEFT JOIN contacts c "
        "ON c.workspace_id = cc.workspace_id AND c.id = cc.contact_id "
        "WHERE cc.workspace_id = ? AND cc.conversation_id = ? ORDER BY cc.position",
        (ctx.ws, conversation_id),
    )
    return {"customers": [{"type": row["role"] or "user", "id": row["contact_id"]} for row in rows]}


@router.operation("detachContactFromConversation", response_model=ConversationCustomers)
async def detach_contact(
    conversation_id: str, contact_id: str, body: DetachContactRequest, ctx: Ctx = Depends(context)
) -> Any:
    conversation = require(cs.current(ctx, conversation_id), not_found)
    author = require(admin_author(ctx.store, ctx.ws, body.admin_id), admin_not_found)
    present = cs.contact_ids(ctx.store, ctx.ws, conversation["id"])
    if contact_id not in present:
        raise user_not_found()
    if len(present) == 1:
        raise parameter_invalid("Removing the last customer is not allowed", status=422)
    ctx.store.execute(
        "DELETE FROM conversation_contacts WHERE workspace_id = ? AND conversation_id = ? AND contact_id = ?",
        (ctx.ws, conversation["id"], contact_id),
    )
    cs.add_part(
        ctx.store,
        ctx.workspace,
        conversation,
        "participant_removed",
        author,
        metadata={"contact": {"type": "contact", "id": contact_id}},
    )
    cs.save(ctx.store, ctx.ws, conversation)
    cs.emit(ctx, "conversation.contact.detached", conversation["id"])
    return responses.json(_customers(ctx, conversation["id"]))


@router.operation("manageConversation", response_model=Conversation)
async def manage_conversation(
    conversation_id: str, body: ManageConversationRequest, ctx: Ctx = Depends(context)
) -> Any:
    conversation = require(cs.current(ctx, conversation_id), not_found)
    action = body.message_type
    if action not in ("close", "snoozed", "open", "assignment"):
        raise parameter_invalid(
            "message_type must be one of close, snoozed, open or assignment", field="message_type"
        )
    if body.admin_id is None:
        raise parameter_not_found("admin_id is a required parameter", field="admin_id")
    author = require(admin_author(ctx.store, ctx.ws, body.admin_id), admin_not_found)
    store, workspace = ctx.store, ctx.workspace
    was = conversation["state"]
    if action == "close":
        cs.close(store, workspace, conversation, author, body.body)
        topic = "conversation.admin.closed"
    elif action == "snoozed":
        if body.snoozed_until is None:
            raise parameter_not_found("snoozed_until is a required parameter", field="snoozed_until")
        if body.snoozed_until <= ctx.now():
            raise parameter_invalid("snoozed_until must be in the future", field="snoozed_until")
        cs.snooze(store, workspace, conversation, author, body.snoozed_until)
        topic = "conversation.admin.snoozed"
    elif action == "open":
        cs.reopen(store, workspace, conversation, author)
        topic = "conversation.admin.unsnoozed" if was == "snoozed" else "conversation.admin.opened"
    else:
        kind, number = _assignee(ctx, body.type, body.assignee_id)
        part_type = cs.assign(store, workspace, conversation, author, kind, number, body.body)
        topic = (
            "conversation.admin.open.assigned"
            if part_type == "assign_and_reopen"
            else "conversation.admin.assigned"
        )
    cs.save(store, ctx.ws, conversation)
    cs.emit(ctx, topic, conversation["id"])
    return _body(ctx, conversation["id"])


@router.operation("replyConversation", response_model=Conversation)
async def reply_conversation(
    conversation_id: str, body: ReplyConversationRequest, ctx: Ctx = Depends(context)
) -> Any:
    cs.wake_snoozed(ctx.store, ctx.workspace)
    if body.type == "user":
        contact = _contact_from(
            ctx, intercom_user_id=body.intercom_user_id, user_id=body.user_id, email=body.email
        )
        conversation = _reply_target(ctx, conversation_id, contact_id=contact["id"])
        if contact["id"] not in cs.contact_ids(ctx.store, ctx.ws, conversation["id"]):
            raise user_not_found()
        if body.message_type not in ("comment", "quick_reply"):
            raise parameter_invalid(
                "message_type must be comment or quick_reply for a contact", field="message_type"
            )
        metadata: dict[str, Any] | None = None
        if body.message_type == "quick_reply":
            if not body.reply_options:
                raise parameter_invalid("reply_options is required for quick_reply", field="reply_options")
            metadata = {"quick_reply_uuid": body.reply_options[0].uuid}
        elif not body.body:
            raise parameter_invalid("Body is required")
        text = body.body or (body.reply_options[0].text if body.reply_options else None)
        cs.contact_reply(
            ctx.store,
            ctx.workspace,
            conversation,
            contact,
            text,
            created_at=body.created_at,
            attachments=attachments(body.attachment_urls, body.attachment_files),
            metadata=metadata,
        )
        topic = "conversation.user.replied"
    elif body.type == "admin":
        if body.admin_id is None:
            raise parameter_not_found("admin_id is a required parameter", field="admin_id")
        author = require(admin_author(ctx.store, ctx.ws, body.admin_id), admin_not_found)
        conversation = _reply_target(ctx, conversation_id, admin_id=author["id"])
        if body.message_type not in ("comment", "note", "quick_reply"):
            raise parameter_invalid("message_type must be comment, note or quick_reply", field="message_type")
        metadata = None
        if body.message_type == "quick_reply":
            if not body.reply_options:
                raise parameter_invalid("reply_options is required for quick_reply", field="reply_options")
            metadata = {"quick_reply_options": [option.model_dump() for option in body.reply_options]}
        elif not body.body:
            raise parameter_invalid("Body is required")
        cs.admin_reply(
            ctx.store,
            ctx.workspace,
            conversation,
            author,
            body.message_type,
            body.body,
            created_at=body.created_at,
            attachments=attachments(body.attachment_urls, body.attachment_files),
            metadata=metadata,
        )
        topic = "conversation.admin.noted" if body.message_type == "note" else "conversation.admin.replied"
    else:
        raise parameter_invalid("type must be admin or user", field="type")
    cs.save(ctx.store, ctx.ws, conversation)
    cs.emit(ctx, topic, conversation["id"])
    return _body(ctx, conversation["id"])


def _reply_target(
    ctx: Ctx, conversation_id: str, *, contact_id: str | None = None, admin_id: str | None = None
) -> dict[str, Any]:
    """The conversation, or for `last` the replier's most recently updated one."""
    if conversation_id != "last":
        return require(cs.current(ctx, conversation_id), not_found)
    if contact_id is not None:
        sql = (
            "SELECT v.id FROM conversations v JOIN conversation_contacts cc ON cc.workspace_id = v.workspace_id "
            "AND cc.conversation_id = v.id WHERE v.workspace_id = ? AND cc.contact_id = ? "
        )
        params: tuple[Any, ...] = (ctx.ws, contact_id)
    else:
        sql = (
            "SELECT v.id FROM conversations v JOIN conversation_teammates tm ON tm.workspace_id = v.workspace_id "
            "AND tm.conversation_id = v.id WHERE v.workspace_id = ? AND tm.admin_id = ? "
        )
        params = (ctx.ws, admin_id)
    found = ctx.store.scalar(sql + "ORDER BY v.updated_at DESC, CAST(v.id AS INTEGER) DESC LIMIT 1", params)
    if found is None:
        raise not_found()
    return require(cs.current(ctx, found), not_found)


@router.operation("autoAssignConversation", response_model=Conversation)
async def auto_assign_conversation(conversation_id: str, ctx: Ctx = Depends(context)) -> Any:
    conversation = require(cs.current(ctx, conversation_id), not_found)
    before = (conversation["admin_assignee_id"], conversation["team_assignee_id"])
    cs.run_assignment_rules(ctx, conversation)
    cs.save(ctx.store, ctx.ws, conversation)
    if (conversation["admin_assignee_id"], conversation["team_assignee_id"]) != before:
        cs.emit(ctx, "conversation.admin.assigned", conversation["id"])
    return _body(ctx, conversation["id"])


@router.operation("attachTagToConversation", response_model=Tag)
async def attach_tag(conversation_id: str, body: ConversationTagRequest, ctx: Ctx = Depends(context)) -> Any:
    conversation = require(cs.current(ctx, conversation_id), not_found, CONVERSATION_NOT_FOUND)
    require(admin_author(ctx.store, ctx.ws, body.admin_id), admin_not_found)
    tag = find_tag(ctx.store, ctx.ws, str(body.id))
    if tag is None:
        raise tag_not_found()
    cs.tag_conversation(ctx.store, ctx.workspace, conversation["id"], tag["id"], str(body.admin_id))
    conversation["updated_at"] = max(conversation["updated_at"], ctx.now())
    cs.save(ctx.store, ctx.ws, conversation)
    cs.emit(ctx, "conversation_part.tag.created", conversation["id"])
    return responses.json(_applied_tag(ctx, conversation["id"], tag["id"]))


def _applied_tag(ctx: Ctx, conversation_id: str, tag_id: str) -> dict[str, Any]:
    row = ctx.store.one(
        "SELECT t.id, t.name, ct.applied_at, ct.applied_by FROM conversation_tags ct JOIN tags t "
        "ON t.workspace_id = ct.workspace_id AND t.id = ct.tag_id "
        "WHERE ct.workspace_id = ? AND ct.conversation_id = ? AND ct.tag_id = ?",
        (ctx.ws, conversation_id, tag_id),
    )
    if row is None:
        raise tag_not_found()
    return cs.applied(row)


@router.operation("detachTagFromConversation", response_model=Tag)
async def detach_tag(
    conversation_id: str, tag_id: str, body: DetachConversationTagRequest, ctx: Ctx = Depends(context)
) -> Any:
    conversation = require(cs.current(ctx, conversation_id), not_found, CONVERSATION_NOT_FOUND)
    require(admin_author(ctx.store, ctx.ws, body.admin_id), admin_not_found)
    removed = _applied_tag(ctx, conversation["id"], tag_id)
    ctx.store.execute(
        "DELETE FROM conversation_tags WHERE workspace_id = ? AND conversation_id = ? AND tag_id = ?",
        (ctx.ws, conversation["id"], tag_id),
    )
    conversation["updated_at"] = max(conversation["updated_at"], ctx.now())
    cs.save(ctx.store, ctx.ws, conversation)
    return responses.json(removed)


@router.operation("listHandlingEvents", response_model=HandlingEventList)
async def list_handling_events(id: str, ctx: Ctx = Depends(context)) -> Any:
    conversation = require(cs.current(ctx, id), not_found)
    rows = ctx.store.query(
        "SELECT admin_id, type, timestamp, reason FROM conversation_handling_events "
        "WHERE workspace_id = ? AND conversation_id = ? ORDER BY timestamp, CAST(id AS INTEGER)",
        (ctx.ws, conversation["id"]),
    )
    events = []
    for row in rows:
        admin = find_admin(ctx.store, ctx.ws, row["admin_id"]) or {"name": None, "email": None}
        event: dict[str, Any] = {
            "teammate": {
                "type": "admin",
                "id": int(row["admin_id"]),
                "name": admin["name"],
                "email": admin["email"],
            },
            "type": row["type"],
            "timestamp": responses.iso(row["timestamp"]),
        }
        if row["reason"] is not None:
            event["reason"] = row["reason"]
        events.append(event)
    return responses.json({"handling_events": events})


@router.operation("mergeConversation", response_model=Conversation)
async def merge_conversation(id: str, body: MergeConversationRequest, ctx: Ctx = Depends(context)) -> Any:
    secondary = require(cs.current(ctx, id), not_found)
    target = body.merge_into_conversation_id
    if target is None or not str(target).isdigit():
        raise parameter_invalid("merge_into_conversation_id must be a valid integer conversation ID")
    primary = require(cs.current(ctx, str(target)), not_found)
    if primary["id"] == secondary["id"]:
        raise parameter_invalid("A conversation cannot be merged into itself")
    admin_id = body.admin_id if body.admin_id is not None else ctx.workspace.owner_admin_id
    author = require(admin_author(ctx.store, ctx.ws, admin_id), admin_not_found)
    present = cs.contact_ids(ctx.store, ctx.ws, primary["id"])
    for contact_id in cs.contact_ids(ctx.store, ctx.ws, secondary["id"]):
        if contact_id not in present:
            present.append(contact_id)
            cs.add_contact(ctx.store, ctx.ws, primary["id"], contact_id)
    bot = {**bot_author(ctx.ws), "id": author["id"]}
    cs.add_part(ctx.store, ctx.workspace, primary, "merged_primary_conversation", bot)
    cs.add_link(primary, {"type": "conversation", "id": secondary["id"], "category": None})
    if secondary["state"] != "closed":
        cs.close(ctx.store, ctx.workspace, secondary, author, None)
    cs.add_link(secondary, {"type": "conversation", "id": primary["id"], "category": None})
    cs.save(ctx.store, ctx.ws, secondary)
    cs.save(ctx.store, ctx.ws, primary)
    return _body(ctx, primary["id"])


@router.operation("listSideConversations")
async def list_side_conversations(
    id: str,
    page: int | None = Query(default=None, description="The page (from 1)."),
    per_page: int | None = Query(
        default=None, description="Side conversations per page (default 25, max 50)."
    ),
    ctx: Ctx = Depends(context),
) -> Any:
    conversation = require(cs.current(ctx, id), not_found)
    size = check_per_page(per_page, 25, 50)
    number = page or 1
    if number < 1:
        raise parameter_invalid("page must be 1 or more", field="page")
    # Side conversations are internal threads teammates start from the inbox: the notes' threads here.
    threads = [
        {"side_conversation_id": part["id"], "conversation_parts": [part], "total_count": 1}
        for part in cs.parts(ctx.store, ctx.ws, conversation["id"])
        if part["part_type"] == "side_conversation_reply"
    ]
    chosen = threads[(number - 1) * size : number * size]
    total_pages = -(-len(threads) // size) if threads else 0
    return responses.json(
        {
            "type": "side_conversation.list",
            "side_conversations": chosen,
            "total_count": len(threads),
            "pages": {"type": "pages", "page": number, "per_page": size, "total_pages": total_pages},
        }
    )


# -- demo data --------------------------------------------------------------------------------------

SEED_ORDER = 10


def seed_demo(seeder: Any) -> None:
    """The demo workspace's conversations (see _conversation_demo.py)."""
    seed_conversations(seeder)
