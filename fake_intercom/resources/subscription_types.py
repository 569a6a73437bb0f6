"""Subscription types, and a contact's explicit opt-in or opt-out of one.

Subscription types cannot be created through the API (only in Intercom's UI), so the seed creates
them with `create_subscription_type`. A contact's choices are rows of `contact_subscriptions`, which
the contacts resource reads to serve GET /contacts/{id}/subscriptions and the embedded lists.
"""

from collections.abc import Sequence
from typing import Any

from fastapi import Depends

from contracts.models.subscription_types import (
    AttachSubscriptionRequest,
    SubscriptionType,
    SubscriptionTypeList,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found, parameter_invalid
from fake_intercom.resources._contact_store import require_contact, touch_contact
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads

router = IntercomRouter(tags=["Subscription Types"])

CONSENT_TYPES = ("opt_in", "opt_out")
STATES = ("live", "draft", "archived")


def create_subscription_type(
    store: Store,
    workspace: Workspace,
    name: str,
    consent_type: str,
    *,
    description: str = "",
    content_types: Sequence[str] = ("email",),
    state: str = "live",
    locale: str = "en",
) -> dict[str, Any]:
    if consent_type not in CONSENT_TYPES or state not in STATES:
        raise ValueError(f"bad subscription type: consent_type={consent_type!r} state={state!r}")
    translation = {"name": name, "description": description, "locale": locale}
    subscription_type = {
        "type": "subscription",
        "id": store.numeric_id(workspace.id, "subscription_type"),
        "state": state,
        "consent_type": consent_type,
        "default_translation": translation,
        "translations": [translation],
        "content_types": list(content_types),
    }
    store.insert(
        "subscription_types",
        {
            "workspace_id": workspace.id,
            "id": subscription_type["id"],
            "state": state,
            "consent_type": consent_type,
            "data": dumps(subscription_type),
        },
    )
    return subscription_type


def find_subscription_type(store: Store, workspace_id: str, subscription_type_id: str) -> dict[str, Any]:
    subscription_type = store.data("subscription_types", workspace_id, subscription_type_id)
    if subscription_type is None:
        raise not_found()
    return subscription_type


@router.operation("listSubscriptionTypes", response_model=SubscriptionTypeList)
async def list_subscription_types(ctx: Ctx = Depends(context)) -> Any:
    rows = ctx.store.query(
        "SELECT data FROM subscription_types WHERE workspace_id = ? ORDER BY CAST(id AS INTEGER)", (ctx.ws,)
    )
    return responses.json({"type": "list", "data": [loads(row["data"]) for row in rows]})


@router.operation("attachSubscriptionTypeToContact", response_model=SubscriptionType)
async def attach_subscription(
    contact_id: str, body: AttachSubscriptionRequest, ctx: Ctx = Depends(context)
) -> Any:
    contact_id = require_contact(ctx, contact_id)["id"]
    subscription_type = find_subscription_type(ctx.store, ctx.ws, str(body.id))
    if body.consent_type not in CONSENT_TYPES:
        raise parameter_invalid("consent_type must be opt_in or opt_out", field="consent_type")
    # Attaching applies the type's own consent: an opt-out type opts the contact out, an opt-in
    # type opts them in (op:attachSubscriptionTypeToContact).
    ctx.store.insert(
        "contact_subscriptions",
        {
            "workspace_id": ctx.ws,
            "contact_id": contact_id,
            "subscription_type_id": subscription_type["id"],
            "consent": subscription_type["consent_type"],
        },
        replace_existing=True,
    )
    touch_contact(ctx, contact_id)
    return responses.json(subscription_type)


@router.operation("detachSubscriptionTypeToContact", response_model=SubscriptionType)
async def detach_subscription(contact_id: str, subscription_id: str, ctx: Ctx = Depends(context)) -> Any:
    contact_id = require_contact(ctx, contact_id)["id"]
    subscription_type = find_subscription_type(ctx.store, ctx.ws, subscription_id)
    ctx.store.execute(
        "DELETE FROM contact_subscriptions "
        "WHERE workspace_id = ? AND contact_id = ? AND subscription_type_id = ?",
        (ctx.ws, contact_id, subscription_type["id"]),
    )
    touch_contact(ctx, contact_id)
    return responses.json(subscription_type)
