"""Contacts: users and leads, their lifecycle (archive, block, merge, delete) and their search.

A contact's own fields live in `contacts.data` (and `custom_attributes`), mirrored into real
columns for lookups and search. Its embedded lists (tags, notes, companies, subscriptions) are
not stored with it: they are read from the shared tables other resources write, at render time.

Visibility: archived contacts are hidden from get, list and search (only their id reaches them:
unarchive, delete); a contact merged away answers 404 (2.15) or 410 with a `Link` (2.16).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
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
from contracts.versions import at_least
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    conflict,
    contact_merged,
    invalid_merge,
    not_found,
    parameter_invalid,
    user_not_found,
)
from fake_intercom.notifications import notify
from fake_intercom.pagination import Order, check_per_page, cursor_page, numbered_page
from fake_intercom.resources.admins import find_admin
from fake_intercom.resources.companies import render_company
from fake_intercom.resources.data_attributes import check_custom_attributes
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
    custom_attribute_resolver,
    search,
)
from fake_intercom.store import Store, Workspace, dumps, index, loads
from fake_intercom.store import table as declare_table

router = IntercomRouter(tags=["Contacts"])

# Every merge, kept on the surviving contact (GET /contacts/{id}/merge_history, 2.16).
CONTACT_MERGES = declare_table(
    "contact_merges",
    {"id": str, "target_id": str, "source_id": str, "source_role": str, "merged_at": int, "seq": int},
    indexes=(("workspace_id", "target_id", "merged_at", "seq"),),
)

# Intercom matches emails ignoring ASCII case, in search and in uniqueness: this index serves both.
index("contacts_email_nocase", "contacts", "workspace_id", "email COLLATE NOCASE")
# Covers the visibility test, so counting a workspace's contacts (every list page's total) reads this
# index rather than the rows. `archived` first: its test is not an equality, so no query can take this
# index for more than the workspace (with merged_into first, SQLite took it over the email index).
index("contacts_visible", "contacts", "workspace_id", "archived", "merged_into")

EMBEDDED_LIMIT = 10
VISIBLE = "merged_into IS NULL AND COALESCE(archived, 0) = 0"
ROLES = ("user", "lead")
# Always true or false: a null sent for them is false.
FLAGS = ("has_hard_bounced", "marked_email_as_spam", "unsubscribed_from_emails")

NULLABLE_KEYS = (
    "last_replied_at",
    "last_contacted_at",
    "last_email_opened_at",
    "last_email_clicked_at",
    "language_override",
    "browser",
    "browser_version",
    "browser_language",
    "os",
)
DEVICE_KEYS = (
    "android_app_name",
    "android_app_version",
    "android_device",
    "android_os_version",
    "android_sdk_version",
    "android_last_seen_at",
    "ios_app_name",
    "ios_app_version",
    "ios_device",
    "ios_os_version",
    "ios_sdk_version",
    "ios_last_seen_at",
)
TRAILING_KEYS = (
    "utm_campaign",
    "utm_content",
    "utm_medium",
    "utm_source",
    "utm_term",
    "referrer",
    "enabled_push_messaging",
)
LIST_KEYS = ("tags", "notes", "companies", "opted_out_subscription_types", "opted_in_subscription_types")
# The order of Intercom's own responses.
CONTACT_KEYS = (
    "type",
    "id",
    "workspace_id",
    "external_id",
    "role",
    "email",
    "phone",
    "name",
    "avatar",
    "owner_id",
    "social_profiles",
    "has_hard_bounced",
    "marked_email_as_spam",
    "unsubscribed_from_emails",
    "created_at",
    "updated_at",
    "signed_up_at",
    "last_seen_at",
    *NULLABLE_KEYS,
    "location",
    *DEVICE_KEYS,
    "custom_attributes",
    *LIST_KEYS,
    *TRAILING_KEYS,
)
# Own keys no caller sets; the domain function takes every other own key (seeding sets browser, location...).
PROTECTED = frozenset({"type", "id", "workspace_id", "custom_attributes", *LIST_KEYS})
# Mirrored from `data` into real columns, for lookups and search.
COLUMNS = (
    "role",
    "email",
    "external_id",
    "name",
    "phone",
    "owner_id",
    "created_at",
    "updated_at",
    "signed_up_at",
    "last_seen_at",
)

# -- domain ---------------------------------------------------------------------------------


def create_contact(store: Store, workspace: Workspace, fields: dict[str, Any]) -> dict[str, Any]:
    """Create a contact from API field names (and, for seeding, any other own key) and return it."""
    contact_id = _insert(store, workspace, fields)
    row = _raw_row(store, workspace.id, contact_id)
    return _render(store, workspace.id, [row], workspace.default_version)[0]


def _insert(store: Store, workspace: Workspace, fields: dict[str, Any]) -> str:
    if not any(fields.get(key) for key in ("email", "external_id", "role")):
        raise parameter_invalid("One of email, external_id or role is required to create a contact")
    now = store.now(workspace)
    created_at = int(fields.get("created_at") or now)
    contact = _blank(workspace.id, store.hex_id(workspace.id, "contact", created_at), created_at)
    times = {"created_at": created_at, "updated_at": int(fields.get("updated_at") or now)}
    custom = _apply(
        store, workspace.id, contact, {}, {**fields, "role": fields.get("role") or "user", **times}
    )
    _save(store, workspace.id, contact, custom, insert=True)
    return contact["id"]


def contact_json(ctx: Ctx, contact_id: str) -> dict[str, Any] | None:
    """The contact as GET /contacts/{id} returns it, or None if missing, archived or merged away."""
    row = ctx.store.one(
        f"SELECT * FROM contacts WHERE workspace_id = ? AND id = ? AND {VISIBLE}", (ctx.ws, str(contact_id))
    )
    return _render(ctx.store, ctx.ws, [row], ctx.version)[0] if row else None


def require_contact(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    """The contact, or Intercom's error: 404 User Not Found, or 410 contact_merged from 2.16."""
    row = _require_row(ctx, contact_id)
    return _render(ctx.store, ctx.ws, [row], ctx.version)[0]


def touch_contact(ctx: Ctx, contact_id: str) -> None:
    """Bump updated_at, as any change to a contact or what it embeds does."""
    data = ctx.store.data("contacts", ctx.ws, str(contact_id))
    if data is None:
        return
    data["updated_at"] = ctx.now()
    ctx.store.update(
        "contacts", ctx.ws, str(contact_id), {"updated_at": data["updated_at"], "data": dumps(data)}
    )


def _blank(workspace_id: str, contact_id: str, created_at: int) -> dict[str, Any]:
    contact: dict[str, Any] = {
        "type": "contact",
        "id": contact_id,
        "workspace_id": workspace_id,
        "external_id": None,
        "role": "user",
        "email": None,
        "phone": None,
        "name": None,
        "avatar": None,
        "owner_id": None,
        "social_profiles": {"type": "list", "data": []},
        "has_hard_bounced": False,
        "marked_email_as_spam": False,
        "unsubscribed_from_emails": False,
        "created_at": created_at,
        "updated_at": created_at,
        "signed_up_at": None,
        "last_seen_at": None,
        "location": {
            "type": "location",
            "country": None,
            "region": None,
            "city": None,
            "country_code": None,
            "continent_code": None,
        },
    }
    contact.update(dict.fromkeys((*NULLABLE_KEYS, *DEVICE_KEYS, *TRAILING_KEYS)))
    return contact


def _apply(
    store: Store, workspace_id: str, contact: dict[str, Any], custom: dict[str, Any], fields: dict[str, Any]
) -> dict[str, Any]:
    """Validate `fields` and write them onto `contact`; return the new custom attributes."""
    if "role" in fields and fields["role"] not in ROLES:
        raise parameter_invalid("Role must be one of: user, lead", field="role")
    if fields.get("owner_id") is not None:
        fields = {**fields, "owner_id": _owner(store, workspace_id, fields["owner_id"])}
    own = {key: value for key, value in fields.items() if key in contact and key not in PROTECTED}
    own.update({key: own[key] or None for key in ("email", "external_id") if key in own})
    _check_unique(store, workspace_id, {**contact, **own})
    if "custom_attributes" in fields:
        custom = _custom_attributes(store, workspace_id, custom, fields["custom_attributes"] or {})
    for key, value in own.items():
        if key == "avatar":
            contact["avatar"] = {"type": "avatar", "image_url": value} if value else None
        elif key == "location" and isinstance(value, dict):
            contact["location"] = {**contact["location"], **value}
        elif key in FLAGS:
            contact[key] = bool(value)
        else:
            contact[key] = value
    return custom


def _owner(store: Store, workspace_id: str, owner_id: Any) -> int:
    admin = find_admin(store, workspace_id, owner_id) if str(owner_id).isdigit() else None
    if admin is None:
        raise parameter_invalid("The owner specified is not a member of the workspace", field="owner_id")
    return int(admin["id"])


def _check_unique(store: Store, workspace_id: str, contact: dict[str, Any]) -> None:
    """409 when another contact has this external_id, or is a user with this email (leads may share)."""
    # One indexed lookup each: as a single OR, SQLite scanned the workspace's contacts.
    checks = []
    if contact.get("external_id") is not None:
        checks.append(("external_id = ?", contact["external_id"]))
    if contact.get("email") and contact.get("role") == "user":
        checks.append(("role = 'user' AND email = ? COLLATE NOCASE", contact["email"]))
    for clause, value in checks:
        existing = store.one(
            "SELECT id, archived FROM contacts WHERE workspace_id = ? AND id != ? AND merged_into IS NULL "
            f"AND {clause} LIMIT 1",
            (workspace_id, contact["id"], value),
        )
        if existing is not None:
            which = "An archived contact" if existing["archived"] else "A contact"
            raise conflict(f"{which} matching those details already exists with id={existing['id']}")


def _custom_attributes(
    store: Store, workspace_id: str, current: dict[str, Any], values: dict[str, Any]
) -> dict[str, Any]:
    """Only the workspace's contact data attributes, each with a value of its type; null unsets."""
    check_custom_attributes(store, workspace_id, "contact", values)
    updated = {**current, **values}
    return {name: value for name, value in updated.items() if value is not None}


def _save(
    store: Store, workspace_id: str, contact: dict[str, Any], custom: dict[str, Any], *, insert: bool = False
) -> None:
    email = contact.get("email")
    row = {
        **{column: contact.get(column) for column in COLUMNS},
        "email_domain": email.rsplit("@", 1)[1].lower() if email and "@" in email else None,
        "data": dumps(contact),
        "custom_attributes": dumps(custom),
    }
    if insert:
        store.insert(
            "contacts",
            {"workspace_id": workspace_id, "id": contact["id"], **row, "archived": 0, "blocked": 0},
        )
    else:
        store.update("contacts", workspace_id, contact["id"], row)


# -- reading --------------------------------------------------------------------------------


def _raw_row(store: Store, workspace_id: str, contact_id: str) -> dict[str, Any] | None:
    return store.row("contacts", workspace_id, str(contact_id))


def _require_row(ctx: Ctx, contact_id: str, *, archived_too: bool = False) -> dict[str, Any]:
    row = _raw_row(ctx.store, ctx.ws, contact_id)
    if row is not None and row["merged_into"]:
        if ctx.since("2.16"):
            raise contact_merged(_canonical(ctx.store, ctx.ws, row))
        row = None
    if row is None or (row["archived"] and not archived_too):
        raise user_not_found()
    return row


def _canonical(store: Store, workspace_id: str, row: dict[str, Any]) -> str:
    """Where a chain of merges ends."""
    seen = {row["id"]}
    while row["merged_into"]:
        target = _raw_row(store, workspace_id, row["merged_into"])
        if target is None or target["id"] in seen:
            return row["merged_into"]
        seen.add(target["id"])
        row = target
    return row["id"]


def _render(
    store: Store, workspace_id: str, rows: Sequence[dict[str, Any]], version: str
) -> list[dict[str, Any]]:
    ids = [row["id"] for row in rows]
    lists = _embedded_lists(store, workspace_id, ids)
    rendered = []
    for row in rows:
        own = loads(row["data"])
        own["custom_attributes"] = loads(row["custom_attributes"]) or {}
        own.update(lists[row["id"]])
        if at_least(version, "2.16") and own.get("owner_id") is not None:
            own["owner_id"] = str(own["owner_id"])
        # Intercom's key order, every key present (null when unset), and nothing else.
        shaped = dict.fromkeys(CONTACT_KEYS)
        shaped.update(own)
        if len(shaped) != len(CONTACT_KEYS):
            shaped = {key: shaped[key] for key in CONTACT_KEYS}
        rendered.append(shaped)
    return rendered


# The lists a contact embeds, in their order in EMBEDDED_SQL: (key, item type, item url, list url suffix).
EMBEDDED = (
    ("tags", "tag", "/tags/{id}", "tags"),
    ("notes", "note", "/notes/{id}", "notes"),
    ("companies", "company", "/companies/{id}", "companies"),
    ("opted_out_subscription_types", "subscription", "/subscriptions/{id}", "subscriptions"),
    ("opted_in_subscription_types", "subscription", "/subscriptions/{id}", "subscriptions"),
)
# Every embedded list of the `{marks}` contacts in one statement (on a single contact's GET, a statement
# per list cost more than the rest of rendering it): rows of (list, owner, id) ordered by list, then
# by (k0, k1, k2), which spell each list's own order (k0 puts NULLs where SQLite's ORDER BY would).
# Tags by when applied, then id; notes newest first; companies by when attached; subscriptions by id.
EMBEDDED_SQL = (
    "SELECT 0 AS list, ct.contact_id AS owner, ct.tag_id AS id, ct.applied_at IS NOT NULL AS k0, "
    "ct.applied_at AS k1, CAST(ct.tag_id AS INTEGER) AS k2 FROM contact_tags ct JOIN tags t "
    "ON t.workspace_id = ct.workspace_id AND t.id = ct.tag_id WHERE ct.workspace_id = ? AND ct.contact_id IN ({marks}) "
    "UNION ALL SELECT 1, contact_id, id, created_at IS NULL, -created_at, -CAST(id AS INTEGER) FROM notes "
    "WHERE workspace_id = ? AND contact_id IN ({marks}) "
    "UNION ALL SELECT 2, cc.contact_id, cc.company_id, cc.created_at IS NOT NULL, cc.created_at, cc.company_id "
    "FROM company_contacts cc JOIN companies co ON co.workspace_id = cc.workspace_id AND co.id = cc.company_id "
    "WHERE cc.workspace_id = ? AND cc.contact_id IN ({marks}) "
    "UNION ALL SELECT 3 + (cs.consent = 'opt_in'), cs.contact_id, cs.subscription_type_id, 0, "
    "CAST(cs.subscription_type_id AS INTEGER), 0 FROM contact_subscriptions cs JOIN subscription_types st "
    "ON st.workspace_id = cs.workspace_id AND st.id = cs.subscription_type_id "
    "WHERE cs.consent IN ('opt_out', 'opt_in') AND cs.workspace_id = ? AND cs.contact_id IN ({marks}) "
    "ORDER BY list, k0, k1, k2"
)
EMBEDDED_STATEMENTS = EMBEDDED_SQL.count("{marks}")


def _embedded_lists(store: Store, workspace_id: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    lists: dict[str, dict[str, Any]] = {contact_id: {} for contact_id in ids}
    if not ids:
        return lists
    marks = ", ".join("?" * len(ids))
    found: list[dict[str, list[str]]] = [defaultdict(list) for _ in EMBEDDED]
    cursor = store.execute(EMBEDDED_SQL.format(marks=marks), [workspace_id, *ids] * EMBEDDED_STATEMENTS)
    for position, owner, item_id, *_ in cursor:
        found[position][owner].append(item_id)
    for (key, item_type, item_url, suffix), items in zip(EMBEDDED, found, strict=True):
        for contact_id in ids:
            owned = items.get(contact_id, [])
            lists[contact_id][key] = {
                "type": "list",
                "data": [
                    {"type": item_type, "id": item_id, "url": item_url.format(id=item_id)}
                    for item_id in owned[:EMBEDDED_LIMIT]
                ],
                "url": f"/contacts/{contact_id}/{suffix}",
                "total_count": len(owned),
                "has_more": len(owned) > EMBEDDED_LIMIT,
            }
    return lists


def _reference(row: dict[str, Any], **flag: bool) -> dict[str, Any]:
    return {"type": "contact", "id": row["id"], "external_id": row["external_id"], **flag}


# -- search registry ------------------------------------------------------------------------


def _data(path: str, kind: str = STRING) -> Field:
    """A field read from the contact's JSON; `path` is a constant of this module."""
    return Field(kind, f"json_extract(c.data, '$.{path}')")


def _related(expression: str, exists_in: str, operators: Iterable[str] | None = None) -> Field:
    """A string field with several values per contact (its tags, segments, companies)."""
    return Field(
        STRING, expression, exists_in=exists_in, operators=frozenset(operators) if operators else None
    )


COMPANIES_OF_CONTACT = (
    "company_contacts cc JOIN companies co ON co.workspace_id = cc.workspace_id AND co.id = cc.company_id "
    "WHERE cc.workspace_id = c.workspace_id AND cc.contact_id = c.id"
)
SEARCH_FIELDS: dict[str, Field] = {
    **{
        name: Field(STRING, f"c.{name}")
        for name in ("id", "role", "name", "email", "email_domain", "phone", "external_id")
    },
    "owner_id": Field(INTEGER, "c.owner_id"),
    **{
        name: Field(DATE, f"c.{name}")
        for name in ("created_at", "updated_at", "signed_up_at", "last_seen_at")
    },
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
        "contact_tags ct WHERE ct.workspace_id = c.workspace_id AND ct.contact_id = c.id",
        ("=", "!="),
    ),
    "segment_id": _related(
        "sm.segment_id",
        "segment_members sm WHERE sm.workspace_id = c.workspace_id AND sm.member_id = c.id",
        ("=", "!=", "IN", "NIN"),
    ),
    "companies.id": _related("co.id", COMPANIES_OF_CONTACT),
    "companies.company_id": _related("co.company_id", COMPANIES_OF_CONTACT),
    "companies.name": _related("co.name", COMPANIES_OF_CONTACT),
}

CONTACT_SEARCH = SearchSpec(
    name="contacts",
    source="contacts c",
    alias="c",
    scope="c.workspace_id = ? AND c.merged_into IS NULL AND COALESCE(c.archived, 0) = 0",
    fields=SEARCH_FIELDS,
    operators=CONTACT_OPERATORS,
    default_sort="created_at",
    default_per_page=50,
    resolve=custom_attribute_resolver("contact", "c.custom_attributes"),
)


def _list_body(store: Store, workspace_id: str, version: str, page: Any) -> dict[str, Any]:
    return {
        "type": "list",
        "data": _render(store, workspace_id, page.rows, version),
        "total_count": page.total_count,
        "pages": page.pages(),
    }


# -- routes (literal paths before parameterised ones at the same depth) ----------------------


@router.operation("CreateContact", response_model=Contact)
async def create(body: CreateContactRequest, ctx: Ctx = Depends(context)) -> Any:
    contact_id = _insert(ctx.store, ctx.workspace, body.model_dump(exclude_unset=True))
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
    )
    return responses.json(_list_body(ctx.store, ctx.ws, ctx.version, page))


@router.operation("SearchContacts", response_model=ContactList)
async def search_contacts(body: SearchRequest, ctx: Ctx = Depends(context)) -> Any:
    page = search(ctx.store, ctx.workspace, ctx.version, CONTACT_SEARCH, body)
    return responses.json(_list_body(ctx.store, ctx.ws, ctx.version, page))


@router.operation("MergeContact", response_model=Contact)
async def merge(body: MergeContactsRequest, ctx: Ctx = Depends(context)) -> Any:
    source = _require_row(ctx, body.from_ or "")
    target = _require_row(ctx, body.into or "")
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
    notify(ctx.store, ctx.workspace, "contact.merged", {**merged, "merged_from": _reference(source)})
    return responses.json(merged)


@router.operation("ListContactMergeHistory", response_model=MergeHistoryList)
async def list_merge_history(
    id: str,
    cursor: str | None = Query(default=None, description="The `next_cursor` of the previous page."),
    per_page: int | None = Query(default=None, description="Results per page (default 50, max 150)."),
    order: str | None = Query(default=None, description="asc or desc (the default)."),
    ctx: Ctx = Depends(context),
) -> Any:
    row = _raw_row(ctx.store, ctx.ws, id)
    if row is not None and row["merged_into"]:
        _require_row(ctx, id)
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
    row = _require_row(ctx, contact_id)
    contact = loads(row["data"])
    custom = _apply(
        ctx.store, ctx.ws, contact, loads(row["custom_attributes"]) or {}, body.model_dump(exclude_unset=True)
    )
    contact["updated_at"] = ctx.now()
    _save(ctx.store, ctx.ws, contact, custom)
    updated = require_contact(ctx, contact_id)
    notify(ctx.store, ctx.workspace, f"contact.{updated['role']}.updated", updated)
    return responses.json(updated)


@router.operation("DeleteContact", response_model=ContactDeleted)
async def delete(contact_id: str, ctx: Ctx = Depends(context)) -> Any:
    row = _require_row(ctx, contact_id, archived_too=True)
    for table, column in (
        ("contact_tags", "contact_id"),
        ("company_contacts", "contact_id"),
        ("contact_subscriptions", "contact_id"),
        ("segment_members", "member_id"),
        ("notes", "contact_id"),
        ("contact_merges", "target_id"),
    ):
        ctx.store.execute(f"DELETE FROM {table} WHERE workspace_id = ? AND {column} = ?", (ctx.ws, row["id"]))
    from fake_intercom.resources.conversations import forget_contact

    forget_contact(ctx, row["id"])
    ctx.store.delete("contacts", ctx.ws, row["id"])
    notify(ctx.store, ctx.workspace, "contact.deleted", _reference(row, deleted=True))
    return responses.json(_reference(row, deleted=True))


@router.operation("ArchiveContact", response_model=ContactArchived)
async def archive(contact_id: str, ctx: Ctx = Depends(context)) -> Any:
    row = _require_row(ctx, contact_id, archived_too=True)
    ctx.store.update("contacts", ctx.ws, row["id"], {"archived": 1})
    notify(ctx.store, ctx.workspace, "contact.archived", _reference(row, archived=True))
    return responses.json(_reference(row, archived=True))


@router.operation("UnarchiveContact", response_model=ContactArchived)
async def unarchive(contact_id: str, ctx: Ctx = Depends(context)) -> Any:
    row = _require_row(ctx, contact_id, archived_too=True)
    ctx.store.update("contacts", ctx.ws, row["id"], {"archived": 0})
    notify(ctx.store, ctx.workspace, "contact.unarchive", _reference(row, archived=False))
    return responses.json(_reference(row, archived=False))


@router.operation("BlockContact", response_model=ContactBlocked)
async def block(contact_id: str, ctx: Ctx = Depends(context)) -> Any:
    row = _require_row(ctx, contact_id)
    ctx.store.update("contacts", ctx.ws, row["id"], {"blocked": 1})
    from fake_intercom.resources.conversations import close_for_blocked_contact

    close_for_blocked_contact(ctx, row["id"])
    return responses.json(_reference(row, blocked=True))


@router.operation("listCompaniesForAContact", response_model=ContactAttachedCompanies)
async def list_companies(
    contact_id: str,
    page: int | None = Query(default=None, description="The page of results (from 1)."),
    per_page: int | None = Query(default=None, description="How many companies per page (default 50)."),
    ctx: Ctx = Depends(context),
) -> Any:
    row = _require_row(ctx, contact_id)
    result = numbered_page(
        ctx.store,
        select="co.*",
        from_where="company_contacts cc JOIN companies co ON co.workspace_id = cc.workspace_id "
        "AND co.id = cc.company_id WHERE cc.workspace_id = ? AND cc.contact_id = ?",
        params=[ctx.ws, row["id"]],
        order_by="cc.created_at, cc.company_id",
        page=page,
        per_page=check_per_page(per_page, 50, 150),
        url=f"{ctx.base_url}/contacts/{row['id']}/companies",
    )
    companies = [render_company(ctx.store, company) for company in result.rows]
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
    row = _require_row(ctx, contact_id)
    return responses.json({"type": "list", "data": segments_of(ctx.store, ctx.ws, row["id"])})


@router.operation("listSubscriptionsForAContact", response_model=ContactSubscriptions)
async def list_subscriptions(contact_id: str, ctx: Ctx = Depends(context)) -> Any:
    row = _require_row(ctx, contact_id)
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
    row = _require_row(ctx, contact_id)
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
    from fake_intercom.resources.conversations import move_contact

    move_contact(store, ws, source["id"], target["id"])
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
    _save(store, ws, contact, custom)
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
