"""Companies: upsert by `company_id`, the contact links, and the three ways to list them.

A company's row keeps its own fields; `user_count`, tags and segments are read from the shared
link tables when the company is served, so attaching a contact or tagging never has to rewrite
every company it touches. As in Intercom, companies without contacts are left out of every list
(but can be fetched by id, `company_id` or name).
"""

import uuid
from typing import Any

from fastapi import Depends, Query

from contracts.models.common import DeletedObject
from contracts.models.companies import (
    AttachCompanyRequest,
    Company,
    CompanyAttachedContacts,
    CompanyAttachedSegments,
    CompanyList,
    CompanyRequest,
    CompanyScroll,
    UpdateCompanyRequest,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    bad_request,
    company_not_found,
    contact_company_limit_exceeded,
    not_found,
    parameter_invalid,
    parameter_not_found,
    require,
    scroll_exists,
)
from fake_intercom.pagination import Order, check_per_page, cursor_page, numbered_page
from fake_intercom.resources._company_listing import listed_companies, people
from fake_intercom.resources._contact_store import contact_json, require_contact, touch_contact
from fake_intercom.resources.segments import segments_of
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

COMPANY_PLANS = table("company_plans", {"id": str, "name": str}, unique_indexes=(("workspace_id", "name"),))
# One open scroll per workspace: where it stands and when it expires.
COMPANY_SCROLLS = table(
    "company_scrolls",
    {"scroll_param": str, "after_created_at": int, "after_rowid": int, "expires_at": int},
    pk=("workspace_id",),
)

LIST_DEFAULT_PER_PAGE = 15
LIST_MAX_PER_PAGE = 60
CONTACTS_DEFAULT_PER_PAGE = 50
CONTACTS_MAX_PER_PAGE = 150
SCROLL_PAGE_SIZE = 100
SCROLL_IDLE_SECONDS = 60
MAX_COMPANIES_PER_CONTACT = 1000
# Fields left out of the object until they have a value, as Intercom does (FIDELITY §9.7), rather
# than sent as the null the description does not allow.
OPTIONAL_FIELDS = ("name", "remote_created_at", "last_request_at", "size", "website", "industry")

# A contact counts for its companies while GET /contacts would show it: not merged away, not archived.
_LIVE_LINK = (
    "company_contacts cc JOIN contacts ct ON ct.workspace_id = cc.workspace_id AND ct.id = cc.contact_id "
    "AND COALESCE(ct.merged_into, '') = '' AND COALESCE(ct.archived, 0) = 0"
)
# The companies that lists show (those with such a contact), in company_listing (see _company_listing).
_LISTED = "company_listing l JOIN companies co ON co.rowid = l.rid WHERE l.workspace_id = ? AND l.people > 0"

router = IntercomRouter(tags=["Companies"])


# -- domain -------------------------------------------------------------------------------------


def create_company(store: Store, workspace: Workspace, fields: dict[str, Any]) -> dict[str, Any]:
    """A new company from request-style `fields` (company_id, name, plan, size, ...).

    The seed may also set `last_request_at` and `session_count`, which the API cannot. Without a
    `company_id` the company gets its Intercom id as its company_id.
    """
    created_at = store.now(workspace)
    company_key = store.hex_id(workspace.id, "company", created_at)
    company_id = fields.get("company_id")
    data: dict[str, Any] = {
        "type": "company",
        "company_id": str(company_id) if company_id is not None else company_key,
        "id": company_key,
        "app_id": workspace.id,
        "name": None,
        "created_at": created_at,
        "updated_at": created_at,
        "monthly_spend": 0,
        "session_count": 0,
        "plan": {},
    }
    row = {"workspace_id": workspace.id, **_columns(data, _apply_fields(store, workspace, data, {}, fields))}
    store.insert("companies", row)
    return render_company(store, row)


def update_company(store: Store, workspace: Workspace, row: dict[str, Any], fields: dict[str, Any]) -> None:
    data = loads(row["data"])
    custom_attributes = _apply_fields(store, workspace, data, loads(row["custom_attributes"]) or {}, fields)
    data["updated_at"] = store.now(workspace)
    store.update("companies", workspace.id, row["id"], _columns(data, custom_attributes))


def _apply_fields(
    store: Store,
    workspace: Workspace,
    data: dict[str, Any],
    custom_attributes: dict[str, Any],
    fields: dict[str, Any],
) -> dict[str, Any]:
    """Write `fields` into `data`; return the merged custom attributes (kept apart, in their column)."""
    for key in ("name", "website", "industry", "size", "remote_created_at", "last_request_at"):
        if key in fields:
            data[key] = fields[key]
    if fields.get("monthly_spend") is not None:
        data["monthly_spend"] = int(fields["monthly_spend"])
    if "plan" in fields:
        data["plan"] = _plan(store, workspace, fields["plan"])
    if fields.get("session_count") is not None:
        data["session_count"] = int(fields["session_count"])
    # Intercom merges custom attributes: keys not sent keep their values.
    return {**custom_attributes, **(fields.get("custom_attributes") or {})}


def _plan(store: Store, workspace: Workspace, name: str | None) -> dict[str, Any]:
    if not name:
        return {}
    plan_id = store.scalar(
        "SELECT id FROM company_plans WHERE workspace_id = ? AND name = ?", (workspace.id, name)
    )
    if plan_id is None:
        plan_id = store.numeric_id(workspace.id, "plan")
        store.insert("company_plans", {"workspace_id": workspace.id, "id": plan_id, "name": name})
    return {"type": "plan", "id": plan_id, "name": name}


def _columns(data: dict[str, Any], custom_attributes: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": data["id"],
        "company_id": data["company_id"],
        "name": data.get("name"),
        "created_at": data["created_at"],
        "updated_at": data["updated_at"],
        "last_request_at": data.get("last_request_at"),
        "data": dumps(data),
        "custom_attributes": dumps(custom_attributes),
    }


def attach_contact(store: Store, workspace: Workspace, contact_id: str, company_id: str) -> None:
    """Link a contact to a company (idempotent); a contact holds at most 1000 companies."""
    if store.one(
        "SELECT 1 FROM company_contacts WHERE workspace_id = ? AND company_id = ? AND contact_id = ?",
        (workspace.id, company_id, contact_id),
    ):
        return
    held = store.scalar(
        "SELECT COUNT(*) FROM company_contacts WHERE workspace_id = ? AND contact_id = ?",
        (workspace.id, contact_id),
    )
    if held >= MAX_COMPANIES_PER_CONTACT:
        raise contact_company_limit_exceeded(MAX_COMPANIES_PER_CONTACT)
    now = store.now(workspace)
    store.insert(
        "company_contacts",
        {"workspace_id": workspace.id, "company_id": company_id, "contact_id": contact_id, "created_at": now},
    )
    _touch_company(store, workspace, company_id, now)


def detach_contact(store: Store, workspace: Workspace, contact_id: str, company_id: str) -> None:
    store.execute(
        "DELETE FROM company_contacts WHERE workspace_id = ? AND company_id = ? AND contact_id = ?",
        (workspace.id, company_id, contact_id),
    )
    _touch_company(store, workspace, company_id, store.now(workspace))


def tag_company(store: Store, workspace: Workspace, company_id: str, tag_id: str, admin_id: str) -> None:
    """Tag once: tagging again keeps the first application's time and admin."""
    store.execute(
        "INSERT OR IGNORE INTO company_tags (workspace_id, company_id, tag_id, applied_at, applied_by) "
        "VALUES (?, ?, ?, ?, ?)",
        (workspace.id, company_id, tag_id, store.now(workspace), str(admin_id)),
    )


def _touch_company(store: Store, workspace: Workspace, company_id: str, now: int) -> None:
    data = store.data("companies", workspace.id, company_id)
    if data is not None:
        data["updated_at"] = now
        store.update("companies", workspace.id, company_id, {"updated_at": now, "data": dumps(data)})


def delete_company(store: Store, workspace_id: str, company_id: str) -> None:
    """Remove the company and everything that links to it (its contacts stay)."""
    store.delete("companies", workspace_id, company_id)
    for statement in (
        "DELETE FROM company_contacts WHERE workspace_id = ? AND company_id = ?",
        "DELETE FROM company_tags WHERE workspace_id = ? AND company_id = ?",
        "DELETE FROM segment_members WHERE workspace_id = ? AND member_id = ?",
        "DELETE FROM notes WHERE workspace_id = ? AND company_id = ?",
    ):
        store.execute(statement, (workspace_id, company_id))


# -- reading ------------------------------------------------------------------------------------


def find_company(store: Store, workspace_id: str, id: str) -> dict[str, Any] | None:
    return store.row("companies", workspace_id, str(id))


def find_company_by(store: Store, workspace_id: str, column: str, value: str) -> dict[str, Any] | None:
    """The company whose `company_id` or `name` is `value` (the oldest, if names repeat)."""
    if column not in ("company_id", "name"):
        raise ValueError(column)
    return store.one(
        f"SELECT * FROM companies WHERE workspace_id = ? AND {column} = ? ORDER BY created_at, rowid LIMIT 1",
        (workspace_id, value),
    )


def company_json(store: Store, workspace_id: str, id: str) -> dict[str, Any] | None:
    """The full company object, or None."""
    row = find_company(store, workspace_id, id)
    return render_company(store, row) if row else None


def render_company(store: Store, row: dict[str, Any]) -> dict[str, Any]:
    data = loads(row["data"])
    ws, company_id = row["workspace_id"], row["id"]
    company = {key: value for key, value in data.items() if key not in OPTIONAL_FIELDS or value is not None}
    company["user_count"] = people(store, ws, company_id)
    company["tags"] = {"type": "tag.list", "tags": company_tags(store, ws, company_id)}
    company["segments"] = {"type": "segment.list", "segments": segments_of(store, ws, company_id)}
    company["plan"] = data.get("plan") or {}
    company["custom_attributes"] = loads(row["custom_attributes"]) or {}
    return company


def company_tags(store: Store, workspace_id: str, company_id: str) -> list[dict[str, Any]]:
    return [
        loads(row["data"])
        for row in store.query(
            "SELECT t.data FROM company_tags ct JOIN tags t ON t.workspace_id = ct.workspace_id "
            "AND t.id = ct.tag_id WHERE ct.workspace_id = ? AND ct.company_id = ? "
            "ORDER BY ct.applied_at, CAST(t.id AS INTEGER)",
            (workspace_id, company_id),
        )
    ]


def _page_response(ctx: Ctx, result: Any) -> Any:
    return responses.json(
        {
            "type": "list",
            "data": [render_company(ctx.store, row) for row in result.rows],
            "pages": result.pages(),
            "total_count": result.total_count,
        }
    )


def _list_order(order: str) -> str:
    direction = {"desc": "DESC", "asc": "ASC"}.get(order)
    if direction is None:
        raise parameter_invalid("order must be either asc or desc", field="order")
    return ", ".join(f"{column} {direction}" for column in ("l.last_request_at", "l.created_at", "l.rid"))


# -- routes (literal paths before /companies/{company_id}) ----------------------------------------


@router.operation("scrollOverAllCompanies", response_model=CompanyScroll)
async def scroll_over_all_companies(
    scroll_param: str | None = Query(default=None, description="From the previous page; none to start."),
    ctx: Ctx = Depends(context),
) -> Any:
    with ctx.store.atomic():
        state = _scroll_state(ctx, scroll_param)
        rows = ctx.store.query(
            f"SELECT co.*, co.rowid AS _rowid FROM {_LISTED} "
            "AND (co.created_at > ? OR (co.created_at = ? AND co.rowid > ?)) "
            "ORDER BY co.created_at, co.rowid LIMIT ?",
            (
                ctx.ws,
                state["after_created_at"],
                state["after_created_at"],
                state["after_rowid"],
                SCROLL_PAGE_SIZE,
            ),
        )
        if rows:
            state.update(
                after_created_at=rows[-1]["created_at"],
                after_rowid=rows[-1]["_rowid"],
                expires_at=ctx.now() + SCROLL_IDLE_SECONDS,
            )
            ctx.store.insert("company_scrolls", state, replace_existing=True)
        else:
            # The end of the scroll: its parameter expires and a new scroll may start.
            ctx.store.execute("DELETE FROM company_scrolls WHERE workspace_id = ?", (ctx.ws,))
        companies = [render_company(ctx.store, row) for row in rows]
    body: dict[str, Any] = {"type": "list", "data": companies, "pages": None, "total_count": None}
    if rows:
        # The last, empty page has no parameter to go on with: the official SDKs' pagers stop there,
        # and a client that asks again with the old one gets the 404 that ends a scroll.
        body["scroll_param"] = state["scroll_param"]
    return responses.json(body)


def _scroll_state(ctx: Ctx, scroll_param: str | None) -> dict[str, Any]:
    """The workspace's open scroll that `scroll_param` continues, or a new one when it is None."""
    now = ctx.now()
    state = ctx.store.one("SELECT * FROM company_scrolls WHERE workspace_id = ?", (ctx.ws,))
    is_open = state is not None and state["expires_at"] > now
    if scroll_param is None:
        if is_open:
            raise scroll_exists()
        number = ctx.store.next_number(ctx.ws, "company_scroll")
        return {
            "workspace_id": ctx.ws,
            "scroll_param": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ctx.ws}:company_scroll:{number}")),
            "after_created_at": -1,
            "after_rowid": -1,
            "expires_at": now + SCROLL_IDLE_SECONDS,
        }
    if not is_open or state is None or state["scroll_param"] != scroll_param:
        # Expired, unknown or used up: 404, on which clients end their scroll (FIDELITY §11.2).
        raise not_found()
    return state


@router.operation("listAllCompanies", response_model=CompanyList)
async def list_all_companies(
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Results per page: 15 unless set, at most 60."),
    order: str = Query(default="desc", description="`asc` or `desc` by last_request_at."),
    ctx: Ctx = Depends(context),
) -> Any:
    per_page = check_per_page(per_page, LIST_DEFAULT_PER_PAGE, LIST_MAX_PER_PAGE)
    result = numbered_page(
        ctx.store,
        select="co.*",
        from_where=_LISTED,
        params=[ctx.ws],
        order_by=_list_order(order),
        page=page,
        per_page=per_page,
        url=f"{ctx.base_url}/companies/list",
        query={"order": order if order != "desc" else None},
        total=listed_companies(ctx.store, ctx.ws),
    )
    return _page_response(ctx, result)


@router.operation("createOrUpdateCompany", response_model=Company)
async def create_or_update_company(body: CompanyRequest, ctx: Ctx = Depends(context)) -> Any:
    _refuse_unknown_keys(body.unknown_keys())
    fields = body.fields()
    if fields.get("company_id") is None and not fields.get("name"):
        raise parameter_not_found("company_id or name is required")
    existing = (
        find_company_by(ctx.store, ctx.ws, "company_id", str(fields["company_id"]))
        if fields.get("company_id") is not None
        else None
    )
    if existing is None:
        return responses.json(create_company(ctx.store, ctx.workspace, fields))
    fields.pop("company_id")
    update_company(ctx.store, ctx.workspace, existing, fields)
    return responses.json(company_json(ctx.store, ctx.ws, existing["id"]))


def _refuse_unknown_keys(keys: list[str]) -> None:
    if keys:
        raise bad_request(f"bad '{keys[0]}' parameter")


@router.operation("retrieveCompany", response_model=Company | CompanyList)
async def retrieve_company(
    name: str | None = Query(default=None, description="The `name` of the company to fetch."),
    company_id: str | None = Query(default=None, description="The `company_id` of the company to fetch."),
    tag_id: str | None = Query(default=None, description="List the companies with this tag."),
    segment_id: str | None = Query(default=None, description="List the companies in this segment."),
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Results per page: 15 unless set, at most 60."),
    ctx: Ctx = Depends(context),
) -> Any:
    for column, value in (("company_id", company_id), ("name", name)):
        if value is not None:
            row = find_company_by(ctx.store, ctx.ws, column, value)
            if row is None:
                raise company_not_found()
            return responses.json(render_company(ctx.store, row))
    per_page = check_per_page(per_page, LIST_DEFAULT_PER_PAGE, LIST_MAX_PER_PAGE)
    where = _LISTED
    params: list[Any] = [ctx.ws]
    if tag_id is not None:
        where += (
            " AND EXISTS (SELECT 1 FROM company_tags t WHERE t.workspace_id = co.workspace_id "
            "AND t.company_id = co.id AND t.tag_id = ?)"
        )
        params.append(tag_id)
    if segment_id is not None:
        where += (
            " AND EXISTS (SELECT 1 FROM segment_members m WHERE m.workspace_id = co.workspace_id "
            "AND m.member_id = co.id AND m.segment_id = ?)"
        )
        params.append(segment_id)
    result = numbered_page(
        ctx.store,
        select="co.*",
        from_where=where,
        params=params,
        order_by=_list_order("desc"),
        page=page,
        per_page=per_page,
        url=f"{ctx.base_url}/companies",
        query={"tag_id": tag_id, "segment_id": segment_id},
        total=listed_companies(ctx.store, ctx.ws) if tag_id is None and segment_id is None else None,
    )
    return _page_response(ctx, result)


@router.operation("ListAttachedContacts", response_model=CompanyAttachedContacts)
async def list_attached_contacts(
    company_id: str,
    per_page: int | None = Query(default=None, description="Contacts per page: 50 unless set."),
    starting_after: str | None = Query(default=None, description="The cursor of the previous page."),
    ctx: Ctx = Depends(context),
) -> Any:
    require(find_company(ctx.store, ctx.ws, company_id), company_not_found)
    result = cursor_page(
        ctx.store,
        select="cc.contact_id AS contact_id",
        from_where=f"{_LIVE_LINK} WHERE cc.workspace_id = ? AND cc.company_id = ?",
        params=[ctx.ws, company_id],
        order=[Order("cc.created_at", descending=False), Order("cc.rowid", descending=False)],
        per_page=check_per_page(per_page, CONTACTS_DEFAULT_PER_PAGE, CONTACTS_MAX_PER_PAGE),
        starting_after=starting_after,
    )
    contacts = [contact for row in result.rows if (contact := contact_json(ctx, row["contact_id"]))]
    return responses.json(
        {"type": "list", "data": contacts, "total_count": result.total_count, "pages": result.pages()}
    )


@router.operation("ListAttachedSegmentsForCompanies", response_model=CompanyAttachedSegments)
async def list_attached_segments(company_id: str, ctx: Ctx = Depends(context)) -> Any:
    require(find_company(ctx.store, ctx.ws, company_id), company_not_found)
    return responses.json({"type": "list", "data": segments_of(ctx.store, ctx.ws, company_id)})


@router.operation("RetrieveACompanyById", response_model=Company)
async def retrieve_a_company_by_id(company_id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(
        render_company(ctx.store, require(find_company(ctx.store, ctx.ws, company_id), company_not_found))
    )


@router.operation("UpdateCompany", response_model=Company)
async def update_company_route(
    company_id: str, body: UpdateCompanyRequest | None = None, ctx: Ctx = Depends(context)
) -> Any:
    row = require(find_company(ctx.store, ctx.ws, company_id), company_not_found)
    if body is not None:
        _refuse_unknown_keys(body.unknown_keys())
        fields = body.fields()
        fields.pop("company_id", None)  # cannot be changed once set
        update_company(ctx.store, ctx.workspace, row, fields)
    return responses.json(company_json(ctx.store, ctx.ws, company_id))


@router.operation("deleteCompany", response_model=DeletedObject)
async def delete_company_route(company_id: str, ctx: Ctx = Depends(context)) -> Any:
    require(find_company(ctx.store, ctx.ws, company_id), company_not_found)
    delete_company(ctx.store, ctx.ws, company_id)
    return responses.deleted(company_id, "company")


@router.operation("attachContactToACompany", response_model=Company)
async def attach_contact_to_a_company(
    contact_id: str, body: AttachCompanyRequest | None = None, ctx: Ctx = Depends(context)
) -> Any:
    require_contact(ctx, contact_id)
    if body is None or body.id is None or body.id == "":
        raise parameter_not_found("company not specified")
    row = require(find_company(ctx.store, ctx.ws, str(body.id)), company_not_found)
    attach_contact(ctx.store, ctx.workspace, contact_id, row["id"])
    touch_contact(ctx, contact_id)
    return responses.json(company_json(ctx.store, ctx.ws, row["id"]))


@router.operation("detachContactFromACompany", response_model=Company)
async def detach_contact_from_a_company(contact_id: str, company_id: str, ctx: Ctx = Depends(context)) -> Any:
    require_contact(ctx, contact_id)
    require(find_company(ctx.store, ctx.ws, company_id), company_not_found)
    detach_contact(ctx.store, ctx.workspace, contact_id, company_id)
    touch_contact(ctx, contact_id)
    return responses.json(company_json(ctx.store, ctx.ws, company_id))


# -- demo seed --------------------------------------------------------------------------------------

# Last of the demo seed: after everything that touches companies has run.
SEED_ORDER = 1_000
DAY = 86_400


def seed_demo(seeder: Any) -> None:
    """Demo companies joined over the last two years and were last updated at some moment since, not
    all at the seeding second; two company segments group them."""
    from fake_intercom.resources.segments import create_segment

    store, workspace, rng = seeder.store, seeder.workspace, seeder.rng
    rows = store.query(
        "SELECT id, data FROM companies WHERE workspace_id = ? ORDER BY rowid", (workspace.id,)
    )
    for row in rows:
        data = loads(row["data"])
        data["created_at"] = seeder.now - rng.randint(30 * DAY, 720 * DAY)
        data["updated_at"] = rng.randint(data["created_at"], seeder.now)
        store.update(
            "companies",
            workspace.id,
            row["id"],
            {"created_at": data["created_at"], "updated_at": data["updated_at"], "data": dumps(data)},
        )
    ids = [row["id"] for row in rows]
    create_segment(store, workspace, "Enterprise companies", "user", rng.sample(ids, min(6, len(ids))))
    create_segment(store, workspace, "Companies on trial", "user", rng.sample(ids, min(4, len(ids))))
