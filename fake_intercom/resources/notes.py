"""Notes that admins write about contacts (and companies).

A company's notes (GET /companies/{id}/notes) are the notes written on the company itself, as in
the spec's example where such a note carries `company: {type, id}` instead of a contact; from 2.16
POST /companies/{id}/notes writes them (before, only the seed's `create_company_note` did). Each
note keeps its author's id and is served with the admin as the admin is now.
"""

from typing import Any

from fastapi import Depends, Query

from contracts.models.notes import CreateNoteRequest, NoteList
from contracts.models.notes import Note as NoteModel
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import company_not_found, not_found, require
from fake_intercom.pagination import check_per_page, numbered_page
from fake_intercom.resources._contact_store import require_contact
from fake_intercom.resources.admins import find_admin
from fake_intercom.resources.companies import find_company
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads
from fake_intercom.text import html_body

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 150
# The admin fields a note's author shows (Intercom leaves out the avatar and job title).
AUTHOR_FIELDS = (
    "type",
    "id",
    "name",
    "email",
    "away_mode_enabled",
    "away_mode_reassign",
    "away_status_reason_id",
    "has_inbox_seat",
    "team_ids",
)

router = IntercomRouter(tags=["Notes"])


def create_note(
    store: Store, workspace: Workspace, contact_id: str, body: str, admin_id: str
) -> dict[str, Any]:
    return _insert_note(store, workspace, {"type": "contact", "id": contact_id}, body, admin_id)


def create_company_note(
    store: Store, workspace: Workspace, company_id: str, body: str, admin_id: str
) -> dict[str, Any]:
    return _insert_note(store, workspace, {"type": "company", "id": company_id}, body, admin_id)


def _insert_note(
    store: Store, workspace: Workspace, subject: dict[str, str], body: str, admin_id: str
) -> dict[str, Any]:
    created_at = store.now(workspace)
    note = {
        "type": "note",
        "id": store.numeric_id(workspace.id, "note"),
        "created_at": created_at,
        subject["type"]: subject,
        "author": {"type": "admin", "id": str(admin_id)},
        "body": html_body(body),
    }
    store.insert(
        "notes",
        {
            "workspace_id": workspace.id,
            "id": note["id"],
            "contact_id": subject["id"] if subject["type"] == "contact" else None,
            "company_id": subject["id"] if subject["type"] == "company" else None,
            "created_at": created_at,
            "data": dumps(note),
        },
    )
    return render_note(store, workspace.id, note)


def render_note(store: Store, workspace_id: str, note: dict[str, Any]) -> dict[str, Any]:
    admin = find_admin(store, workspace_id, note["author"]["id"])
    if admin is not None:
        note["author"] = {key: admin[key] for key in AUTHOR_FIELDS if key in admin}
    return note


def _list_notes(
    ctx: Ctx, column: str, owner_id: str, page: int | None, per_page: int | None, url: str
) -> Any:
    if column not in ("contact_id", "company_id"):
        raise ValueError(column)
    result = numbered_page(
        ctx.store,
        select="data",
        from_where=f"notes WHERE workspace_id = ? AND {column} = ?",
        params=[ctx.ws, owner_id],
        order_by="created_at DESC, CAST(id AS INTEGER) DESC",
        page=page,
        per_page=check_per_page(per_page, DEFAULT_PER_PAGE, MAX_PER_PAGE),
        url=url,
    )
    return responses.json(
        result.body([render_note(ctx.store, ctx.ws, loads(row["data"])) for row in result.rows])
    )


@router.operation("createNote", response_model=NoteModel)
async def create_note_route(contact_id: str, body: CreateNoteRequest, ctx: Ctx = Depends(context)) -> Any:
    contact = require_contact(ctx, contact_id)
    admin_id = str(body.admin_id) if body.admin_id is not None else ctx.workspace.owner_admin_id or ""
    if find_admin(ctx.store, ctx.ws, admin_id) is None:
        raise not_found()
    return responses.json(create_note(ctx.store, ctx.workspace, contact["id"], body.body, admin_id))


@router.operation("createCompanyNote", response_model=NoteModel)
async def create_company_note_route(
    company_id: str, body: CreateNoteRequest, ctx: Ctx = Depends(context)
) -> Any:
    company = require(find_company(ctx.store, ctx.ws, company_id), company_not_found)
    admin_id = str(body.admin_id) if body.admin_id is not None else ctx.workspace.owner_admin_id or ""
    if find_admin(ctx.store, ctx.ws, admin_id) is None:
        raise not_found()
    return responses.json(create_company_note(ctx.store, ctx.workspace, company["id"], body.body, admin_id))


@router.operation("listNotes", response_model=NoteList)
async def list_notes(
    contact_id: str,
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Notes per page: 50 unless set."),
    ctx: Ctx = Depends(context),
) -> Any:
    contact = require_contact(ctx, contact_id)
    url = f"{ctx.base_url}/contacts/{contact['id']}/notes"
    return _list_notes(ctx, "contact_id", contact["id"], page, per_page, url)


@router.operation("listCompanyNotes", response_model=NoteList)
async def list_company_notes(
    company_id: str,
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Notes per page: 50 unless set."),
    ctx: Ctx = Depends(context),
) -> Any:
    require(find_company(ctx.store, ctx.ws, company_id), company_not_found)
    url = f"{ctx.base_url}/companies/{company_id}/notes"
    return _list_notes(ctx, "company_id", company_id, page, per_page, url)


@router.operation("retrieveNote", response_model=NoteModel)
async def retrieve_note(note_id: int, ctx: Ctx = Depends(context)) -> Any:
    note = ctx.store.data("notes", ctx.ws, str(note_id))
    if note is None:
        raise not_found()
    return responses.json(render_note(ctx.store, ctx.ws, note))
