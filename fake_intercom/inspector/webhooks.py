"""Webhooks: subscriptions, every delivery with its payload, signature, the target's answer and retries,
and sending a topic about an object, as if it had just happened."""

from typing import Any, Literal

import orjson
from fastapi import Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from fake_intercom.errors import parameter_invalid
from fake_intercom.inspector.access import inspector_router
from fake_intercom.inspector.api import workspace_api, workspace_page
from fake_intercom.inspector.render import segment
from fake_intercom.inspector.topics import COLLECTIONS, TOPICS, kind_of, notification_item
from fake_intercom.notifications import notify
from fake_intercom.sandbox.access import store_of, workspace_of
from fake_intercom.sandbox.webhooks import webhooks_of
from fake_intercom.sandbox.workspaces import describe
from fake_intercom.webhooks import signature

SHOWN = 100

router = inspector_router()


class Trigger(BaseModel):
    topic: str = Field(..., max_length=100)
    object_id: str = Field(..., min_length=1, max_length=100)


class Triggered(BaseModel):
    type: Literal["sandbox.notification"] = "sandbox.notification"
    id: str
    topic: str
    subscriptions: int = Field(description="how many subscriptions take the topic")


@router.get("/workspaces/{workspace_id}/webhooks")
async def webhooks(workspace_id: str, request: Request) -> Response:
    workspace = workspace_of(request, workspace_id)
    info = describe(store_of(request), workspace)
    hooks = webhooks_of(request)
    # Notifications written outside a request (the clock, seeding) are handed over on a read, as the
    # control plane's delivery log does.
    hooks.dispatch()
    secret = info.oauth_client_secret or ""
    deliveries = [
        {**entry, "signature": signature(orjson.dumps(entry["notification"]), secret)}
        for entry in reversed(hooks.deliverer.deliveries(workspace.id)[-SHOWN:])
    ]
    return workspace_page(
        request,
        "webhooks.html",
        info,
        nav="webhooks",
        subscriptions=[subscription.as_dict() for subscription in hooks.subscriptions(workspace.id)],
        deliveries=deliveries,
        pending=hooks.deliverer.pending(workspace.id),
        topics=TOPICS,
    )


@router.post("/workspaces/{workspace_id}/webhooks/trigger", status_code=201)
async def trigger(workspace_id: str, body: Trigger, request: Request) -> Triggered:
    """Notify `topic` about the object's current JSON, as the resources do when it happens."""
    kind = kind_of(body.topic)
    if kind is None:
        raise parameter_invalid(f"The inspector cannot send {body.topic!r}", field="topic")
    async with workspace_api(request, workspace_id) as api:
        item: dict[str, Any] = await api.get(f"{COLLECTIONS[kind]}/{segment(body.object_id)}")
        store = store_of(request)
        with store.atomic():
            notification_id = notify(store, api.workspace, body.topic, notification_item(body.topic, item))
    wanted = sum(
        1
        for subscription in webhooks_of(request).subscriptions(api.workspace.id)
        if subscription.wants(body.topic)
    )
    return Triggered(id=notification_id, topic=body.topic, subscriptions=wanted)
