"""Tickets: a board with a column per state category, and a ticket's page."""

from fastapi import Request
from starlette.responses import Response

from fake_intercom.inspector.access import inspector_router
from fake_intercom.inspector.api import workspace_api, workspace_page
from fake_intercom.inspector.conversations import teammates
from fake_intercom.inspector.render import segment
from fake_intercom.inspector.topics import topics_for

# Intercom's ticket state categories, in the order a ticket moves through them.
CATEGORIES = ("submitted", "in_progress", "waiting_on_customer", "resolved")
PER_COLUMN = 25

router = inspector_router()


@router.get("/workspaces/{workspace_id}/tickets")
async def board(workspace_id: str, request: Request) -> Response:
    async with workspace_api(request, workspace_id) as api:
        columns = []
        for category in CATEGORIES:
            body = {
                "query": {"field": "state", "operator": "=", "value": category},
                "sort": {"field": "updated_at", "order": "descending"},
                "pagination": {"per_page": PER_COLUMN},
            }
            columns.append((category, body, await api.post("/tickets/search", body)))
        return workspace_page(request, "tickets.html", api.info, nav="tickets", columns=columns)


@router.get("/workspaces/{workspace_id}/tickets/{ticket_id}")
async def show_ticket(workspace_id: str, ticket_id: str, request: Request) -> Response:
    async with workspace_api(request, workspace_id) as api:
        ticket = await api.get(f"/tickets/{segment(ticket_id)}")
        return workspace_page(
            request,
            "ticket.html",
            api.info,
            nav="tickets",
            ticket=ticket,
            names=await teammates(api),
            topics=topics_for("ticket"),
        )
