"""The inbox: conversations by state, a conversation's thread as Intercom shows it, and replying as the
contact, so that an app sees a customer's reply and its webhook."""

from typing import Any

from fastapi import Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from fake_intercom.errors import parameter_invalid
from fake_intercom.inspector.access import inspector_router
from fake_intercom.inspector.api import WorkspaceApi, workspace_api, workspace_page
from fake_intercom.inspector.render import segment
from fake_intercom.inspector.topics import topics_for

PER_PAGE = 25
STATES = ("open", "snoozed", "closed")

router = inspector_router()


class ContactReply(BaseModel):
    contact_id: str = Field(..., min_length=1, max_length=100)
    body: str = Field(..., min_length=1, max_length=65_536)


async def teammates(api: WorkspaceApi) -> dict[str, str]:
    """Admin and team names by id, for assignments."""
    admins = (await api.get("/admins"))["admins"]
    teams = (await api.get("/teams"))["teams"]
    return {str(each["id"]): each["name"] for each in [*admins, *teams]}


def inbox_search(state: str, starting_after: str | None) -> dict[str, Any]:
    pagination: dict[str, Any] = {"per_page": PER_PAGE}
    if starting_after:
        pagination["starting_after"] = starting_after
    return {
        "query": {"field": "state", "operator": "=", "value": state},
        "sort": {"field": "updated_at", "order": "descending"},
        "pagination": pagination,
    }


@router.get("/workspaces/{workspace_id}/inbox")
async def inbox(workspace_id: str, request: Request, state: str = "open", after: str = "") -> Response:
    if state not in STATES:
        raise parameter_invalid(f"state must be one of {', '.join(STATES)}", field="state")
    async with workspace_api(request, workspace_id) as api:
        body = inbox_search(state, after or None)
        found = await api.post("/conversations/search", body)
        return workspace_page(
            request,
            "inbox.html",
            api.info,
            nav="inbox",
            state=state,
            states=STATES,
            sent={"method": "POST", "path": "/conversations/search", "body": body},
            found=found,
            names=await teammates(api),
        )


@router.get("/workspaces/{workspace_id}/conversations/{conversation_id}")
async def show_conversation(workspace_id: str, conversation_id: str, request: Request) -> Response:
    async with workspace_api(request, workspace_id) as api:
        conversation = await api.get(f"/conversations/{segment(conversation_id)}")
        contacts = [
            await api.get(f"/contacts/{segment(reference['id'])}")
            for reference in conversation["contacts"]["contacts"]
        ]
        return workspace_page(
            request,
            "conversation.html",
            api.info,
            nav="inbox",
            conversation=conversation,
            contacts=contacts,
            names=await teammates(api),
            topics=topics_for("conversation"),
        )


@router.post("/workspaces/{workspace_id}/conversations/{conversation_id}/reply")
async def reply_as_contact(
    workspace_id: str, conversation_id: str, body: ContactReply, request: Request
) -> Any:
    """`POST /conversations/{id}/reply` as the contact: a user's comment."""
    async with workspace_api(request, workspace_id) as api:
        return await api.post(
            f"/conversations/{segment(conversation_id)}/reply",
            {
                "message_type": "comment",
                "type": "user",
                "intercom_user_id": body.contact_id,
                "body": body.body,
            },
        )
