"""Visitors: anonymous people of the Messenger, found by `user_id`, updated, and converted to contacts.

The REST API cannot create visitors (the Messenger does), so the seed and tests use
`create_visitor`. Converting one makes it a lead or user, or merges it into an existing contact;
either way the visitor is gone afterwards.
"""

import uuid
from typing import Any

from fastapi import Depends, Query

from contracts.models.visitors import (
    ConvertedContact,
    ConvertVisitorRequest,
    Identifiers,
    UpdateVisitorRequest,
    Visitor,
    VisitorDeleted,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found, parameter_invalid, parameter_not_found, user_not_found
from fake_intercom.resources._contact_store import contact_json, create_contact, touch_contact
from fake_intercom.resources.data_attributes import check_custom_attributes, custom_attributes
from fake_intercom.resources.data_events import find_contact
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

VISITORS = table(
    "visitors",
    {"id": str, "user_id": str, "email": str, "created_at": int, "data": str},
    indexes=(("workspace_id", "email"),),
    unique_indexes=(("workspace_id", "user_id"),),
)

router = IntercomRouter(tags=["Visitors"])

VISITOR_NOT_FOUND = "Visitor Not Found"
ROLES = ("user", "lead")


def create_visitor(store: Store, workspace: Workspace, fields: dict[str, Any]) -> dict[str, Any]:
    """A visitor as the Messenger would create it; `fields` override the defaults (name, email...)."""
    now = store.now(workspace)
    visitor_id = store.hex_id(workspace.id, "visitor", now)
    visitor: dict[str, Any] = {
        "type": "visitor",
        "id": visitor_id,
        "user_id": str(uuid.uuid5(uuid.NAMESPACE_OID, f"{workspace.id}:visitor:{visitor_id}")),
        "anonymous": True,
        "email": "",
        "phone": None,
        "name": None,
        "pseudonym": None,
        "avatar": {"type": "avatar", "image_url": None},
        "app_id": workspace.id,
        "companies": {"type": "company.list", "companies": []},
        "location_data": {},
        "last_request_at": None,
        "created_at": now,
        "remote_created_at": now,
        "signed_up_at": now,
        "updated_at": now,
        "session_count": 0,
        "social_profiles": {"type": "social_profile.list", "social_profiles": []},
        "owner_id": None,
        "unsubscribed_from_emails": False,
        "marked_email_as_spam": False,
        "has_hard_bounced": False,
        "tags": {"type": "tag.list", "tags": []},
        "segments": {"type": "segment.list", "segments": []},
        "custom_attributes": {},
        "referrer": None,
        "utm_campaign": None,
        "utm_content": None,
        "utm_medium": None,
        "utm_source": None,
        "utm_term": None,
        "do_not_track": None,
    }
    visitor.update(fields)
    store.insert(
        "visitors",
        {
            "workspace_id": workspace.id,
            "id": visitor["id"],
            "user_id": visitor["user_id"],
            "email": visitor["email"] or None,
            "created_at": visitor["created_at"],
            "data": dumps(visitor),
        },
    )
    return visitor


def find_visitor(store: Store, workspace_id: str, identifiers: Identifiers) -> dict[str, Any]:
    """The visitor by id, else user_id, else email; 404 Visitor Not Found."""
    for column, value in (
        ("id", identifiers.id),
        ("user_id", identifiers.user_id),
        ("email", identifiers.email),
    ):
        if value is not None:
            text = store.scalar(
                f"SELECT data FROM visitors WHERE workspace_id = ? AND {column} = ?", (workspace_id, value)
            )
            if text is None:
                break
            return loads(text)
    raise not_found(VISITOR_NOT_FOUND)


@router.operation("convertVisitor", response_model=ConvertedContact)
async def convert_visitor(body: ConvertVisitorRequest, ctx: Ctx = Depends(context)) -> Any:
    if body.type not in ROLES:
        raise parameter_invalid("type must be user or lead", field="type")
    visitor = find_visitor(ctx.store, ctx.ws, body.visitor)
    user = body.user or Identifiers()
    existing = _existing_contact(ctx, user)
    if existing is None:
        contact_id = _convert(ctx, visitor, body.type, user)
    else:
        contact_id = existing["id"]
        touch_contact(ctx, contact_id)
    ctx.store.delete("visitors", ctx.ws, visitor["id"])
    return responses.json(contact_json(ctx, contact_id))


def _existing_contact(ctx: Ctx, user: Identifiers) -> dict[str, Any] | None:
    """The contact any of the user's identifiers names (id, then user_id, then email)."""
    if user.id is not None:
        contact = find_contact(ctx.store, ctx.ws, intercom_id=user.id)
        if contact is None:
            raise user_not_found()
        return contact
    if user.user_id is not None and (contact := find_contact(ctx.store, ctx.ws, user_id=user.user_id)):
        return contact
    return find_contact(ctx.store, ctx.ws, email=user.email) if user.email is not None else None


def _convert(ctx: Ctx, visitor: dict[str, Any], role: str, user: Identifiers) -> str:
    """A new lead or user from the visitor, with the user's identifiers replacing the visitor's."""
    fields: dict[str, Any] = {"role": role}
    email = user.email or visitor.get("email") or None
    if email and (user.email or find_contact(ctx.store, ctx.ws, email=email) is None):
        fields["email"] = email
    if user.user_id:
        fields["external_id"] = user.user_id
    for key in ("name", "phone"):
        if visitor.get(key):
            fields[key] = visitor[key]
    # Only attributes the workspace defines for contacts survive the conversion.
    defined = {attribute["name"] for attribute in custom_attributes(ctx.store, ctx.ws, "contact")}
    kept = {key: value for key, value in visitor["custom_attributes"].items() if key in defined}
    if kept:
        fields["custom_attributes"] = kept
    return create_contact(ctx.store, ctx.workspace, fields)["id"]


@router.operation("retrieveVisitorWithUserId", response_model=Visitor)
async def retrieve_visitor(
    user_id: str | None = Query(default=None, description="The user_id of the visitor."),
    ctx: Ctx = Depends(context),
) -> Any:
    if user_id is None:
        raise parameter_not_found("user_id is a required parameter", field="user_id")
    return responses.json(find_visitor(ctx.store, ctx.ws, Identifiers(user_id=user_id)))


@router.operation("updateVisitor", response_model=Visitor)
async def update_visitor(body: UpdateVisitorRequest, ctx: Ctx = Depends(context)) -> Any:
    if body.id is None and body.user_id is None:
        raise parameter_not_found("id or user_id is a required parameter")
    visitor = find_visitor(ctx.store, ctx.ws, Identifiers(id=body.id, user_id=body.user_id))
    if "name" in body.model_fields_set:
        visitor["name"] = body.name
    if body.custom_attributes:
        check_custom_attributes(ctx.store, ctx.ws, "contact", body.custom_attributes)
        visitor["custom_attributes"] = {**visitor["custom_attributes"], **body.custom_attributes}
    visitor["updated_at"] = ctx.now()
    ctx.store.update("visitors", ctx.ws, visitor["id"], {"data": dumps(visitor)})
    return responses.json(visitor)


@router.operation("deleteVisitor", response_model=VisitorDeleted)
async def delete_visitor(visitor_id: str, ctx: Ctx = Depends(context)) -> Any:
    """Legacy (1.x-2.4 references): answers the deleted visitor's `{type, id, user_id}`."""
    visitor = find_visitor(ctx.store, ctx.ws, Identifiers(id=visitor_id))
    ctx.store.delete("visitors", ctx.ws, visitor["id"])
    return responses.json({"type": "visitor", "id": visitor["id"], "user_id": visitor["user_id"]})
