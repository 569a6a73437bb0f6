"""Webhook subscriptions of a workspace, pings, and the delivery log."""

from typing import Any, Literal

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from fake_intercom.errors import not_found, parameter_invalid
from fake_intercom.sandbox.access import control_router, workspace_of
from fake_intercom.webhooks import Webhooks, target_problem


class SubscriptionIn(BaseModel):
    url: str = Field(..., min_length=1, max_length=2_000, description="http(s) URL the notifications go to")
    topics: list[str] = Field(
        default_factory=list, description="topics or globs (`contact.*`); ping is implied"
    )


class SubscriptionOut(BaseModel):
    type: Literal["sandbox.webhook_subscription"] = "sandbox.webhook_subscription"
    id: str
    url: str
    topics: list[str]
    created_at: int
    active: bool
    state: Literal["active", "throttled", "paused", "suspended", "disabled"]
    resume_at: int | None = Field(None, description="workspace time a throttle or a pause ends")
    failing_since: int | None = Field(None, description="workspace time of the first failure since a success")
    disabled_reason: str | None


class SubscriptionList(BaseModel):
    type: Literal["list"] = "list"
    data: list[SubscriptionOut]


class PingOut(BaseModel):
    type: Literal["sandbox.ping"] = "sandbox.ping"
    notification_id: str


class DeliveryOut(BaseModel):
    type: Literal["sandbox.webhook_delivery"] = "sandbox.webhook_delivery"
    id: int
    subscription_id: str
    notification_id: str
    topic: str
    url: str
    attempt: int
    status: int | None
    error: str | None
    delivered: bool
    outcome: Literal[
        "delivered", "retrying", "failed", "throttled", "paused", "suspended", "disabled", "dropped"
    ]
    workspace_time: int = Field(description="the workspace clock when the attempt was made")
    next_attempt_at: int | None = Field(None, description="workspace time of the next attempt, if any")
    sent_at: float
    duration_ms: float
    notification: dict[str, Any]


class DeliveryList(BaseModel):
    type: Literal["list"] = "list"
    data: list[DeliveryOut]
    pending: int


router = control_router()


def webhooks_of(request: Request) -> Webhooks:
    return request.app.state.webhooks


@router.get(
    "/workspaces/{workspace_id}/webhooks", response_model=SubscriptionList, summary="List subscriptions"
)
async def list_subscriptions(workspace_id: str, request: Request) -> SubscriptionList:
    workspace = workspace_of(request, workspace_id)
    return SubscriptionList(
        data=[SubscriptionOut(**s.as_dict()) for s in webhooks_of(request).subscriptions(workspace.id)]
    )


@router.post(
    "/workspaces/{workspace_id}/webhooks",
    response_model=SubscriptionOut,
    status_code=201,
    summary="Subscribe a URL to topics",
)
async def subscribe(workspace_id: str, body: SubscriptionIn, request: Request) -> SubscriptionOut:
    workspace = workspace_of(request, workspace_id)
    webhooks = webhooks_of(request)
    problem = target_problem(body.url, webhooks.targets)
    if problem is not None:
        raise parameter_invalid(problem, field="url")
    subscription = webhooks.subscribe(workspace, body.url, body.topics)
    return SubscriptionOut(**subscription.as_dict())


@router.delete(
    "/workspaces/{workspace_id}/webhooks/{subscription_id}", status_code=204, summary="Remove a subscription"
)
async def unsubscribe(workspace_id: str, subscription_id: str, request: Request) -> Response:
    if not webhooks_of(request).unsubscribe(workspace_of(request, workspace_id).id, subscription_id):
        raise not_found("Subscription Not Found")
    return Response(status_code=204)


@router.post(
    "/workspaces/{workspace_id}/webhooks/{subscription_id}/ping",
    response_model=PingOut,
    summary="Send a ping",
)
async def ping(workspace_id: str, subscription_id: str, request: Request) -> PingOut:
    workspace = workspace_of(request, workspace_id)
    webhooks = webhooks_of(request)
    subscription = webhooks.subscription(workspace.id, subscription_id)
    if subscription is None:
        raise not_found("Subscription Not Found")
    return PingOut(notification_id=webhooks.ping(workspace, subscription))


@router.get(
    "/workspaces/{workspace_id}/webhook_deliveries",
    response_model=DeliveryList,
    summary="Read the delivery log",
)
async def deliveries(
    workspace_id: str,
    request: Request,
    topic: str | None = Query(None, max_length=200),
    subscription_id: str | None = Query(None, max_length=100),
) -> DeliveryList:
    workspace = workspace_of(request, workspace_id)
    webhooks = webhooks_of(request)
    # Notifications written outside a request (seeding, the clock) are handed over on the next read too.
    webhooks.dispatch()
    log = [
        entry
        for entry in webhooks.deliverer.deliveries(workspace.id)
        if (topic is None or entry["topic"] == topic)
        and (subscription_id is None or entry["subscription_id"] == subscription_id)
    ]
    return DeliveryList(
        data=[DeliveryOut(**entry) for entry in log], pending=webhooks.deliverer.pending(workspace.id)
    )
