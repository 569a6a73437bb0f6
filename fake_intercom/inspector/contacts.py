"""Contacts: a searchable, keyset-paged table in Intercom's own search language, a contact's page, and
creating one as a customer's app would."""

from typing import Any

import orjson
from fastapi import Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from fake_intercom.errors import IntercomError, parameter_invalid
from fake_intercom.inspector.access import inspector_router
from fake_intercom.inspector.api import workspace_api, workspace_page
from fake_intercom.inspector.render import segment
from fake_intercom.inspector.topics import topics_for

PER_PAGE = 50
CONVERSATIONS_PER_PAGE = 25
EVENTS_PER_PAGE = 20

router = inspector_router()


class NewContact(BaseModel):
    role: str = Field("user", max_length=10)
    email: str | None = Field(None, max_length=500)
    name: str | None = Field(None, max_length=500)
    external_id: str | None = Field(None, max_length=500)
    phone: str | None = Field(None, max_length=100)


def quick_query(text: str) -> dict[str, Any]:
    """What the search box means: an address is an email that starts with it (which the email index
    serves, however many contacts there are); anything else, a name or email that contains it."""
    if "@" in text:
        return {"field": "email", "operator": "^", "value": text}
    return {
        "operator": "OR",
        "value": [
            {"field": "name", "operator": "~", "value": text},
            {"field": "email", "operator": "~", "value": text},
        ],
    }


def search_body(query: Any, starting_after: str | None) -> dict[str, Any]:
    pagination: dict[str, Any] = {"per_page": PER_PAGE}
    if starting_after:
        pagination["starting_after"] = starting_after
    return {"query": query, "pagination": pagination}


def parse_query(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        raise parameter_invalid("There was a problem in the JSON you submitted") from None


@router.get("/workspaces/{workspace_id}/contacts")
async def list_contacts(
    workspace_id: str,
    request: Request,
    q: str = "",
    query: str = "",
    after: str = "",
) -> Response:
    """Without a query, Intercom's list (`GET /contacts`); with one, `POST /contacts/search`."""
    async with workspace_api(request, workspace_id) as api:
        error: IntercomError | None = None
        page: dict[str, Any] = {"data": [], "total_count": 0, "pages": {}}
        sent: dict[str, Any]
        try:
            if query.strip() or q.strip():
                search = parse_query(query) if query.strip() else quick_query(q.strip())
                body = search_body(search, after or None)
                sent = {"method": "POST", "path": "/contacts/search", "body": body}
                page = await api.post("/contacts/search", body)
            else:
                params = {"per_page": PER_PAGE, "starting_after": after or None}
                sent = {"method": "GET", "path": "/contacts", "params": params}
                page = await api.get("/contacts", **params)
        except IntercomError as failure:
            if failure.status != 400:
                raise
            error, sent = failure, {"method": "POST", "path": "/contacts/search", "raw": query}
        return workspace_page(
            request,
            "contacts.html",
            api.info,
            nav="contacts",
            status=error.status if error else 200,
            q=q,
            query=query if query.strip() else (orjson.dumps(quick_query(q)).decode() if q.strip() else ""),
            sent=sent,
            page=page,
            error=error,
        )


@router.get("/workspaces/{workspace_id}/contacts/{contact_id}")
async def show_contact(workspace_id: str, contact_id: str, request: Request) -> Response:
    async with workspace_api(request, workspace_id) as api:
        contact = await api.get(f"/contacts/{segment(contact_id)}")
        tags = await api.get(f"/contacts/{segment(contact['id'])}/tags")
        notes = await api.get(f"/contacts/{segment(contact['id'])}/notes")
        companies = await api.get(f"/contacts/{segment(contact['id'])}/companies")
        events = await api.get(
            "/events", type="user", intercom_user_id=contact["id"], per_page=EVENTS_PER_PAGE
        )
        conversations = await api.post(
            "/conversations/search",
            {
                "query": {"field": "contact_ids", "operator": "=", "value": contact["id"]},
                "pagination": {"per_page": CONVERSATIONS_PER_PAGE},
            },
        )
        return workspace_page(
            request,
            "contact.html",
            api.info,
            nav="contacts",
            contact=contact,
            tags=tags["data"],
            notes=notes["data"],
            companies=companies["data"],
            events=events.get("events", []),
            conversations=conversations,
            topics=topics_for("contact"),
        )


@router.post("/workspaces/{workspace_id}/contacts")
async def create_contact(workspace_id: str, body: NewContact, request: Request) -> Any:
    """`POST /contacts` with what was filled in."""
    async with workspace_api(request, workspace_id) as api:
        return await api.post("/contacts", body.model_dump(exclude_none=True))
