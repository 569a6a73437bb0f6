"""Contacts: the routes of users and leads, their lifecycle (archive, block, merge, delete) and their
search. How a contact is stored, rendered and found is `_contact_store`'s; what other resources must do
when a contact is deleted, blocked or merged they register with `events`.
"""

from collections.abc import Iterable
from typing import Any

from fastapi import Depends, Query

from contracts.models.contacts import (
    Contact,
    ContactArchived,
    ContactAttachedCompanies,
    ContactBlocked,
    ContactDeleted,
    ContactList,
    ContactSegments,
    ContactSubscriptions,
    ContactTags,
    CreateContactRequest,
    MergeContactsRequest,
    MergeHistoryList,
    UpdateContactRequest,
)
from contracts.models.search import SearchRequest
from fake_intercom import events, responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    invalid_merge,
    not_found,
    parameter_invalid,
    user_not_found,
)
from fake_intercom.notifications import notify
from fake_intercom.pagination import Order, check_per_page, cursor_page, numbered_page
from fake_intercom.resources._contact_search import TEXT_COLUMNS, TRIGRAM, slot_of
from fake_intercom.resources._contact_store import (
    VISIBLE,
    apply_fields,
    contact_reference,
    insert_contact,
    raw_row,
    render_contacts,
    require_contact,
    require_row,
    save_contact,
)
from fake_intercom.resources.companies import render_company
from fake_intercom.resources.segments import segments_of
from fake_intercom.routing import IntercomRouter
from fake_intercom.search import (
    BOOLEAN,
    CONTACT_OPERATORS,
    DATE,
    INTEGER,
    STRING,
    Field,
    SearchSpec,
    custom_attribute_type,
    search,
)
from fake_intercom.store import Store, dumps, loads

router = IntercomRouter(tags=["Contacts"])


# -- search registry ------------------------------------------------------------------------


def _data(path: str, kind: str = STRING) -> Field:
    """A field read from the contact's JSON; `path` is a constant of this module."""
    return Field(kind, f"json_extract(c.data, '$.{path}')", joined=True)


def _copied(
    name: str,
    kind: str = STRING,
    *,
    lookup: bool = False,
    indexed: bool = False,
    covering: bool = False,
    required: bool = False,
    counted: bool = False,
) -> Field:
    """A field of the contact's row in contact_search (see _contact_search), served by its indexes as
    the flags say (see `Field`)."""
    trigram = name if TRIGRAM and name in TEXT_COLUMNS else None
    return Field(
        kind,
        f"s.{name}",
        nocase=kind == STRING,
        trigram=trigram,
        lookup=lookup,
        indexed=indexed,
        covering=covering,
        required=required,
        counted=name if counted else None,
    )


def _related(expression: str, exists_in: str, operators: Iterable[str] | None = None) -> Field:
    """A string field with several values per contact (its tags, segments, companies)."""
    return Field(
        STRING, expression, exists_in=exists_in, operators=frozenset(operators) if operators else None
    )


COMPANIES_OF_CONTACT = (
    "company_contacts cc JOIN companies co ON co.workspace_id = cc.workspace_id AND co.id = cc.company_id "
    "WHERE cc.workspace_id = s.workspace_id AND cc.contact_id = s.id"
)
SEARCH_FIELDS: dict[str, Field] = {
    **{name: _copied(name, lookup=True) for name in ("id", "name", "email", "phone", "external_id")},
    "role": _copied("role", indexed=True, covering=True, counted=True),
    "email_domain": _copied("email_domain", indexed=True),
    "owner_id": _copied("owner_id", INTEGER),
    **{name: _copied(name, DATE, indexed=True, required=True) for name in ("created_at", "updated_at")},
    **{name: _copied(name, DATE) for name in ("signed_up_at", "last_seen_at")},
    **{
        name: _data(name, DATE)
        for name in (
            "last_contacted_at",
            "last_replied_at",
            "last_email_opened_at",
            "last_email_clicked_at",
            "ios_last_seen_at",
            "android_last_seen_at",
        )
    },
    "avatar": _data("avatar.image_url"),
    **{
        name: _data(name)
        for name in (
            "language_override",
            "browser",
            "browser_version",
            "browser_language",
            "os",
            "ios_app_name",
            "ios_app_version",
            "ios_device",
            "ios_os_version",
            "ios_sdk_version",
            "android_app_name",
            "android_app_version",
            "android_device",
            "android_os_version",
            "android_sdk_version",
            "utm_campaign",
            "utm_content",
            "utm_medium",
            "utm_source",
            "utm_term",
            "referrer",
        )
    },
    **{
        f"location.{part}": _data(f"location.{part}")
        for part in ("country", "region", "city", "country_code", "continent_code")
    },
    **{
        name: _data(name, BOOLEAN)
        for name in ("unsubscribed_from_emails", "marked_email_as_spam", "has_hard_bounced")
    },
    "tag_id": _related(
        "ct.tag_id",
        "contact_tags ct WHERE ct.workspace_id = s.workspace_id AND ct.contact_id = s.id",
        ("=", "!="),
    ),
    "segment_id": _related(
        "sm.segment_id",
        "segment_members sm WHERE sm.workspace_id = s.workspace_id AND sm.member_id = s.id",
        ("=", "!=", "IN", "NIN"),
    ),
    "companies.id": _related("co.id", COMPANIES_OF_CONTACT),
    "companies.company_id": _related("co.company_id", COMPANIES_OF_CONTACT),
    "companies.name": _related("co.name", COMPANIES_OF_CONTACT),
}


def _custom_attribute(store: Store, workspace_id: str, field: str) -> Field | None:
    """`custom_attributes.<name>`: from its slot in contact_search, or its JSON once the slots are taken."""
    kind = custom_attribute_type(store, workspace_id, "contact", field)
    if kind is None:
        return None
    name = field.partition(".")[2]
    slot = slot_of(store, workspace_id, name)
    if slot is None:
        return Field(kind, "json_extract(c.custom_attributes, ?)", (f'$."{name}"',), nocase=True, joined=True)
    return Field(kind, f"s.{slot}", nocase=True, indexed=True, counted=slot)


# Searched in contact_search (visible contacts only), joined to their rows where a field is read from
# their JSON.
CONTACT_SEARCH = SearchSpec(
    name="contacts",
    source="contact_search s",
    alias="s",
    scope="s.workspace_id = ?",
    fields=SEARCH_FIELDS,
    operators=CONTACT_OPERATORS,
    default_sort="created_at",
    default_per_page=50,
    resolve=_custom_attribute,
    table="contacts",
    trigram="contact_search_text s.rid" if TRIGRAM else "",
    join="JOIN contacts c ON c.rowid = s.rid ",
    value_counts="contact_search_values",
)


def _list_body(store: Store, workspace_id: str, version: str, page: Any) -> dict[str, Any]:
    return {
        "type": "list",
        "data": render_contacts(store, workspace_id, page.rows, version),
        "total_count": page.total_count,
        "pages": page.pages(),
    }


# -- routes (literal paths before parameterised ones at the same depth) ----------------------


@router.operation("CreateContact", response_model=Contact)
async def create(body: CreateContactRequest, ctx: Ctx = Depends(context)) -> Any:
    contact_id = insert_contact(ctx.store, ctx.workspace, body.model_dump(exclude_unset=True))
    contact = require_contact(ctx, contact_id)
    notify(ctx.store, ctx.workspace, f"contact.{contact['role']}.created", contact)
    return responses.json(contact)


@router.operation("ListContacts", response_model=ContactList)
async def list_contacts(
    per_page: int | None = Query(
        default=None, description="How many contacts per page (default 10, max 150)."
    ),
    starting_after: str | None = Query(default=None, description="The cursor of the previous page."),
    ctx: Ctx = Depends(context),
) -> Any:
    page = cursor_page(
        ctx.store,
        select="*",
        from_where=f"contacts WHERE workspace_id = ? AND {VISIBLE}",
        params=[ctx.ws],
        order=[Order("created_at"), Order("id")],
        per_page=check_per_page(per_page, 10, 150),
        starting_after=starting_after,
        total=ctx.store.rows_counted("contact_search", ctx.ws),
    )
    return responses.json(_list_body(ctx.store, ctx.ws, ctx.version, page))


@router.operation("SearchContacts", response_model=ContactList)
async def search_contacts(body: SearchRequest, ctx: Ctx = Depends(context)) -> Any:
    page = search(ctx.store, ctx.workspace, ctx.version, CONTACT_SEARCH, body)
    return responses.json(_list_body(ctx.store, ctx.ws, ctx.version, page))


@router.operation("MergeContact", response_model=Contact)
async def merge(body: MergeContactsRequest, ctx: Ctx = Depends(context)) -> Any:
    source = require_row(ctx, body.from_ or "")
    target = require_row(ctx, body.into or "")
    if source["role"] != "lead":
        raise parameter_invalid("The contact to merge from must be a lead", field="from")
    if target["role"] != "user":
        raise parameter_invalid("The contact to merge into must be a user", field="into")
    if ctx.since("2.16") and not body.skip_duplicate_validation and not _duplicates(source, target):
        raise invalid_merge(
            "Contacts can only be merged when they are duplicates (matching email or phone). "
            "Pass skip_duplicate_validation=true to override this check."
        )
    _merge(ctx, source, target)
    merged = require_contact(ctx, target["id"])
    notify(ctx.store, ctx.workspace, "contact.merged", {**merged, "merged_from": contact_reference(source)})
    return responses.json(merged)


@router.operation("ListContactMergeHistory", response_model=MergeHistoryList)
async def list_merge_history(
    id: str,
    cursor: str | None = Query(default=None, description="The `next_cursor` of the previous page."),
    per_page: int | None = Query(default=None, description="Results per page (default 50, max 150)."),
    order: str | None = Query(default=None, description="asc or desc (the default)."),
    ctx: Ctx = Depends(context),
) -> Any:
    row = raw_row(ctx.store, ctx.ws, id)
    if row is not None and row["merged_into"]:
        require_row(ctx, id)
    # Only users keep a merge history: a lead, like a missing contact, is not found.
    if row is None or row["archived"] or row["role"] != "user":
        raise not_found("Contact not found")
    if order not in (None, "asc", "desc"):
        raise parameter_invalid("order must be one of: asc, desc", field="order")
    descending = order != "asc"
    page = cursor_page(
        ctx.store,
        select="source_id, source_role, merged_at",
        from_where="contact_merges WHERE workspace_id = ? AND target_id = ?",
        params=[ctx.ws, row["id"]],
        order=[Order("merged_at", descending), Order("seq", descending)],
        per_page=check_per_page(per_page, 50, 150),
        starting_after=cursor,
    )
    entries = [
        {
            "type": "merge_history",
            "source_contact_id": entry["source_id"],
            "source_contact_role": entry["source_role"],
            "merged_at": entry["merged_at"],
        }
        for entry in page.rows
    ]
    body: dict[str, Any] = {"type": "list", "data": entries, "has_more": page.next_cursor is not None}
    if page.next_cursor:
        body["next_cursor"] = page.next_cursor
    return responses.json(body)


@router.operation("ShowContactByExternalId", response_model=Contact)
async def show_by_external_id(external_id: str, ctx: Ctx = Depends(context)) -> Any:
    contact_id = ctx.store.scalar(
        f"SELECT id FROM contacts WHERE workspace_id = ? AND external_id = ? AND role = 'user' AND {VISIBLE}",
        (ctx.ws, external_id),
    )
    if contact_id is None:
        raise user_not_found()
    return responses.json(require_contact(ctx, contact_id))


@router.operation("ShowContact", response_model=Contact)
async def show(contact_id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(require_contact(ctx, contact_id))


@router.operation("UpdateContact", response_model=Contact)
async def update(contact_id: str, body: UpdateContactRequest, ctx: Ctx = Depends(context)) -> Any:
    row = require_row(ctx, contact_id)
    contact = loads(row["data"])
    custom = apply_fields(
        ctx.store, ctx.ws, contact, loads(row["custom_attributes"]) or {}, body.model_dump(exclude_unset=True)
    )
    contact["updated_at"] = ctx.now()
    save_contact(ctx.store, ctx.ws, contact, custom)
    updated = require_contact(ctx, contact_id)
    notify(ctx.store, ctx.workspace, f"contact.{updated['role']}.updated", updated)
    return responses.json(updated)


@router.operation("DeleteContact", response_model=ContactDeleted)
async def delete(contact_id: str, ctx: Ctx = Depends(context)) -> Any:
    row = require_row(ctx, contact_id, archived_too=True)
    for table, column in (
        ("contact_tags", "contact_id"),
        ("company_contacts", "contact_id"),
        ("contact_subscriptions", "contact_id"),
        ("segment_members", "member_id"),
        ("notes", "contact_id"),
        ("contact_merges", "target_id"),
    ):
        ctx.store.execute(f"DELETE FROM {table} WHERE workspace_id = ? AND {column} = ?", (ctx.ws, row["id"]))
    events.contact_deleted.fire(ctx, row["id"])
    ctx.store.delete("contacts", ctx.ws, row["id"])
    notify(ctx.store, ctx.workspace, "contact.deleted", contact_reference(row, deleted=True))
    return responses.json(contact_reference(row, deleted=True))


@router.operation("ArchiveContact", response_model=ContactArchived)
async def archive(contact_id: str, ctx: Ctx = Depends(context)) -> Any:
    row = require_row(ctx, contact_id, archived_too=True)
    ctx.store.update("contacts", ctx.ws, row["id"], {"archived": 1})
    notify(ctx.store, ctx.workspace, "contact.archived", contact_reference(row, archived=True))
    return responses.json(contact_reference(row, archived=True))


@router.operation("UnarchiveContact", response_model=ContactArchived)
async def unarchive(contact_id: str, ctx: Ctx = Depends(context)) -> Any:
    row = require_row(ctx, contact_id, archived_too=True)
    ctx.store.update("contacts", ctx.ws, row["id"], {"archived": 0})
    notify(ctx.store, ctx.workspace, "contact.unarchive", contact_reference(row, archived=False))
    return responses.json(contact_reference(row, archived=False))


@router.operation("BlockContact", response_model=ContactBlocked)
async def block(contact_id: str, ctx: Ctx = Depends(context)) -> Any:
    row = require_row(ctx, contact_id)
    ctx.store.update("contacts", ctx.ws, row["id"], {"blocked": 1})
    events.contact_blocked.fire(ctx, row["id"])
    return responses.json(contact_reference(row, blocked=True))


@router.operation("listCompaniesForAContact", response_model=ContactAttachedCompanies)
async def list_companies(
    contact_id: str,
    page: int | None = Query(default=None, description="The page of results (from 1)."),
    per_page: int | None = Query(default=None, description="How many companies per page (default 50)."),
    ctx: Ctx = Depends(context),
) -> Any:
    row = require_row(ctx, contact_id)
    result = numbered_page(
        ctx.store,
        # A company's last request is its people's latest, as Intercom reports it here (S15 example).
        select="co.*, (SELECT MAX(p.last_seen_at) FROM company_contacts m JOIN contacts p "
        "ON p.workspace_id = m.workspace_id AND p.id = m.contact_id "
        "WHERE m.workspace_id = co.workspace_id AND m.company_id = co.id) AS _people_seen_at",
        from_where="company_contacts cc JOIN companies co ON co.workspace_id = cc.workspace_id "
        "AND co.id = cc.company_id WHERE cc.workspace_id = ? AND cc.contact_id = ?",
        params=[ctx.ws, row["id"]],
        order_by="cc.created_at, cc.company_id",
        page=page,
        per_page=check_per_page(per_page, 50, 150),
        url=f"{ctx.base_url}/contacts/{row['id']}/companies",
    )
    companies = [
        {
            **render_company(ctx.store, company),
            "last_request_at": company["last_request_at"] or company["_people_seen_at"],
        }
        for company in result.rows
    ]
    return responses.json(
        {
            "type": "list",
            "data": companies,
            "companies": companies,
            "pages": result.pages(),
            "total_count": result.total_count,
        }
    )


@router.operation("listSegmentsForAContact", response_model=ContactSegments)
async def list_segments(contact_id: str, ctx: Ctx = Depends(context)) -> Any:
    row = require_row(ctx, contact_id)
    return responses.json({"type": "list", "data": segments_of(ctx.store, ctx.ws, row["id"])})


@router.operation("listSubscriptionsForAContact", response_model=ContactSubscriptions)
async def list_subscriptions(contact_id: str, ctx: Ctx = Depends(context)) -> Any:
    row = require_row(ctx, contact_id)
    # Intercom lists the opt-outs first, then the opt-ins; only explicit choices appear.
    subscriptions = ctx.store.query(
        "SELECT st.data FROM contact_subscriptions cs JOIN subscription_types st "
        "ON st.workspace_id = cs.workspace_id AND st.id = cs.subscription_type_id "
        "WHERE cs.workspace_id = ? AND cs.contact_id = ? "
        "ORDER BY cs.consent = 'opt_in', CAST(st.id AS INTEGER)",
        (ctx.ws, row["id"]),
    )
    return responses.json({"type": "list", "data": [loads(item["data"]) for item in subscriptions]})


@router.operation("listTagsForAContact", response_model=ContactTags)
async def list_tags(contact_id: str, ctx: Ctx = Depends(context)) -> Any:
    row = require_row(ctx, contact_id)
    tags = ctx.store.query(
        "SELECT t.id, t.name, ct.applied_at, ct.applied_by FROM contact_tags ct JOIN tags t "
        "ON t.workspace_id = ct.workspace_id AND t.id = ct.tag_id WHERE ct.workspace_id = ? AND ct.contact_id = ? "
        "ORDER BY ct.applied_at, CAST(t.id AS INTEGER)",
        (ctx.ws, row["id"]),
    )
    return responses.json(
        {
            "type": "list",
            "data": [
                {
                    "type": "tag",
                    "id": tag["id"],
                    "name": tag["name"],
                    "applied_at": tag["applied_at"],
                    "applied_by": {"type": "admin", "id": tag["applied_by"]} if tag["applied_by"] else None,
                }
                for tag in tags
            ],
        }
    )


# -- helpers of the routes --------------------------------------------------------------------


def _duplicates(source: dict[str, Any], target: dict[str, Any]) -> bool:
    same_email = bool(source["email"]) and (source["email"] or "").lower() == (target["email"] or "").lower()
    return same_email or (bool(source["phone"]) and source["phone"] == target["phone"])


def _merge(ctx: Ctx, source: dict[str, Any], target: dict[str, Any]) -> None:
    """The lead's tags, companies, notes and subscriptions move to the user, whose gaps it fills."""
    store, ws = ctx.store, ctx.ws
    for table in ("contact_tags", "company_contacts", "contact_subscriptions"):
        # Where the user already has the same link, the user's wins and the lead's goes.
        store.execute(
            f"UPDATE OR IGNORE {table} SET contact_id = ? WHERE workspace_id = ? AND contact_id = ?",
            (target["id"], ws, source["id"]),
        )
        store.execute(f"DELETE FROM {table} WHERE workspace_id = ? AND contact_id = ?", (ws, source["id"]))
    events.contact_merged.fire(store, ws, source["id"], target["id"])
    store.execute(
        "UPDATE notes SET contact_id = ?, data = CASE WHEN json_type(data, '$.contact') = 'object' "
        "THEN json_set(data, '$.contact.id', ?) ELSE data END WHERE workspace_id = ? AND contact_id = ?",
        (target["id"], target["id"], ws, source["id"]),
    )
    contact = loads(target["data"])
    lead = loads(source["data"])
    for key in ("email", "phone", "name", "avatar", "last_seen_at", "owner_id"):
        if contact.get(key) is None and lead.get(key) is not None:
            contact[key] = lead[key]
    custom = {**(loads(source["custom_attributes"]) or {}), **(loads(target["custom_attributes"]) or {})}
    contact["updated_at"] = ctx.now()
    save_contact(store, ws, contact, custom)
    store.update(
        "contacts", ws, source["id"], {"merged_into": target["id"], "updated_at": contact["updated_at"]}
    )
    seq = store.next_number(ws, "contact_merge")
    store.insert(
        "contact_merges",
        {
            "workspace_id": ws,
            "id": str(seq),
            "target_id": target["id"],
            "source_id": source["id"],
            "source_role": source["role"],
            "merged_at": contact["updated_at"],
            "seq": seq,
        },
    )


# -- demo seed --------------------------------------------------------------------------------------

# Last of the demo seed: after everything that touches contacts has run.
SEED_ORDER = 1_000


def seed_demo(seeder: Any) -> None:
    """Each demo contact was last updated at some moment of its life, not all at the seeding second,
    so an incremental sync of the demo workspace picks up only what changes after it."""
    store, workspace, rng = seeder.store, seeder.workspace, seeder.rng
    rows = store.query(
        "SELECT id, created_at, data FROM contacts WHERE workspace_id = ? ORDER BY rowid", (workspace.id,)
    )
    for row in rows:
        data = loads(row["data"])
        data["updated_at"] = rng.randint(row["created_at"], seeder.now)
        store.update(
            "contacts", workspace.id, row["id"], {"updated_at": data["updated_at"], "data": dumps(data)}
        )
