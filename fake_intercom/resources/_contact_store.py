"""The contact store: creating, finding, rendering and changing contacts, for the contact routes and
for every resource that builds on contacts.

A contact's own fields live in `contacts.data` (and `custom_attributes`), mirrored into real
columns for lookups and search. Its embedded lists (tags, notes, companies, subscriptions) are
not stored with it: they are read from the shared tables other resources write, at render time.

Visibility: archived contacts are hidden from get, list and search (only their id reaches them:
unarchive, delete); a contact merged away answers 404 (2.15) or 410 with a `Link` (2.16).
"""

import functools
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from contracts.versions import at_least
from fake_intercom.context import Ctx
from fake_intercom.errors import (
    conflict,
    contact_merged,
    parameter_invalid,
    require,
    user_not_found,
)
from fake_intercom.resources.admins import find_admin
from fake_intercom.resources.data_attributes import check_custom_attributes
from fake_intercom.store import Store, Workspace, dumps, index, loads
from fake_intercom.store import table as declare_table

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
# What rendering a contact reads of its row, and `require_row` checks: the rest mirror its JSON, and
# reading them too cost a third more on every GET.
RENDERED = "id, merged_into, archived, data, custom_attributes"
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
    contact_id = insert_contact(store, workspace, fields)
    row = require(raw_row(store, workspace.id, contact_id), user_not_found)
    return render_contacts(store, workspace.id, [row], workspace.default_version)[0]


def insert_contact(store: Store, workspace: Workspace, fields: dict[str, Any]) -> str:
    if not any(fields.get(key) for key in ("email", "external_id", "role")):
        raise parameter_invalid("One of email, external_id or role is required to create a contact")
    now = store.now(workspace)
    created_at = int(fields.get("created_at") or now)
    contact = blank_contact(workspace.id, store.hex_id(workspace.id, "contact", created_at), created_at)
    times = {"created_at": created_at, "updated_at": int(fields.get("updated_at") or now)}
    custom = apply_fields(
        store, workspace.id, contact, {}, {**fields, "role": fields.get("role") or "user", **times}
    )
    save_contact(store, workspace.id, contact, custom, insert=True)
    return contact["id"]


def contact_json(ctx: Ctx, contact_id: str) -> dict[str, Any] | None:
    """The contact as GET /contacts/{id} returns it, or None if missing, archived or merged away."""
    row = ctx.store.one(
        f"SELECT * FROM contacts WHERE workspace_id = ? AND id = ? AND {VISIBLE}", (ctx.ws, str(contact_id))
    )
    return render_contacts(ctx.store, ctx.ws, [row], ctx.version)[0] if row else None


def require_contact(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    """The contact, or Intercom's error: 404 User Not Found, or 410 contact_merged from 2.16.

    Its row and its embedded lists come in one statement (`CONTACT_WITH_LISTS_SQL`): on a GET by id a
    statement of its own for the row cost a fifth of rendering the contact."""
    contact_id = str(contact_id)
    found = ctx.store.execute(
        CONTACT_WITH_LISTS_SQL, [ctx.ws, contact_id] * (EMBEDDED_STATEMENTS + 1)
    ).fetchall()
    own = next((each for each in found if each[0] == CONTACT_PART), None)
    row = visible(ctx, dict(zip(CONTACT_PART_COLUMNS, own[1:], strict=True)) if own is not None else None)
    lists = _lists_from_rows([each for each in found if each[0] != CONTACT_PART], [contact_id])
    return render_contacts(ctx.store, ctx.ws, [row], ctx.version, lists)[0]


def touch_contact(ctx: Ctx, contact_id: str) -> None:
    """Bump updated_at, as any change to a contact or what it embeds does."""
    data = ctx.store.data("contacts", ctx.ws, str(contact_id))
    if data is None:
        return
    data["updated_at"] = ctx.now()
    ctx.store.update(
        "contacts", ctx.ws, str(contact_id), {"updated_at": data["updated_at"], "data": dumps(data)}
    )


def blank_contact(workspace_id: str, contact_id: str, created_at: int) -> dict[str, Any]:
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


def apply_fields(
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


def save_contact(
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


def raw_row(store: Store, workspace_id: str, contact_id: str, columns: str = "*") -> dict[str, Any] | None:
    return store.row("contacts", workspace_id, str(contact_id), columns)


def require_row(
    ctx: Ctx, contact_id: str, *, archived_too: bool = False, columns: str = "*"
) -> dict[str, Any]:
    return visible(ctx, raw_row(ctx.store, ctx.ws, contact_id, columns), archived_too=archived_too)


def visible(ctx: Ctx, row: dict[str, Any] | None, *, archived_too: bool = False) -> dict[str, Any]:
    """The row of a contact that can be answered with, or Intercom's error for one that is missing,
    archived, or merged into another."""
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
        target = raw_row(store, workspace_id, row["merged_into"])
        if target is None or target["id"] in seen:
            return row["merged_into"]
        seen.add(target["id"])
        row = target
    return row["id"]


def render_contacts(
    store: Store,
    workspace_id: str,
    rows: Sequence[dict[str, Any]],
    version: str,
    lists: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The contacts of these rows (columns RENDERED), with their embedded lists: read here unless given."""
    if lists is None:
        lists = _embedded_lists(store, workspace_id, [row["id"] for row in rows])
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


# The lists a contact embeds, in their order in EMBEDDED_SQL: (key, item type, item url prefix, list url
# suffix).
EMBEDDED = (
    ("tags", "tag", "/tags/", "tags"),
    ("notes", "note", "/notes/", "notes"),
    ("companies", "company", "/companies/", "companies"),
    ("opted_out_subscription_types", "subscription", "/subscriptions/", "subscriptions"),
    ("opted_in_subscription_types", "subscription", "/subscriptions/", "subscriptions"),
)
# Every embedded list of the `{marks}` contacts in one statement (on a single contact's GET, a statement
# per list cost more than the rest of rendering it): rows of (list, owner, id, k0, k1, k2), where
# (list, k0, k1, k2) spell each list's own order (k0 puts NULLs first or last; where it ties, k1 is NULL
# on both sides or on neither). Tags by when applied, then id; notes newest first; companies by when
# attached; subscriptions by id. The few rows are sorted here: SQLite sorting each part cost a third of
# the statement.
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
    "WHERE cs.consent IN ('opt_out', 'opt_in') AND cs.workspace_id = ? AND cs.contact_id IN ({marks})"
)
EMBEDDED_STATEMENTS = EMBEDDED_SQL.count("{marks}")
_EMBEDDED_ORDER = itemgetter(0, 3, 4, 5)


@functools.lru_cache(maxsize=64)
def _embedded_sql(count: int) -> str:
    # Formatting the statement anew cost a tenth of rendering a contact.
    return EMBEDDED_SQL.format(marks=", ".join("?" * count))


# One contact's row (columns RENDERED) as a part of its own before the lists: (CONTACT_PART, *columns).
CONTACT_PART = -1
CONTACT_PART_COLUMNS = tuple(column.strip() for column in RENDERED.split(","))
CONTACT_WITH_LISTS_SQL = (
    f"SELECT {CONTACT_PART}, {RENDERED} FROM contacts WHERE workspace_id = ? AND id = ? UNION ALL "
    + _embedded_sql(1)
)


def _embedded_lists(store: Store, workspace_id: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    rows = store.execute(_embedded_sql(len(ids)), [workspace_id, *ids] * EMBEDDED_STATEMENTS).fetchall()
    return _lists_from_rows(rows, ids)


def _lists_from_rows(rows: list[Any], ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The embedded lists of these contacts from the rows of EMBEDDED_SQL."""
    rows.sort(key=_EMBEDDED_ORDER)
    found: dict[tuple[int, str], list[str]] = {}
    for position, owner, item_id, *_ in rows:
        found.setdefault((position, owner), []).append(item_id)
    lists: dict[str, dict[str, Any]] = {}
    for contact_id in ids:
        embedded = lists[contact_id] = {}
        for position, (key, item_type, item_url, suffix) in enumerate(EMBEDDED):
            owned = found.get((position, contact_id), [])
            embedded[key] = {
                "type": "list",
                "data": [
                    {"type": item_type, "id": item_id, "url": item_url + item_id}
                    for item_id in owned[:EMBEDDED_LIMIT]
                ],
                "url": f"/contacts/{contact_id}/{suffix}",
                "total_count": len(owned),
                "has_more": len(owned) > EMBEDDED_LIMIT,
            }
    return lists


def contact_reference(row: dict[str, Any], **flag: bool) -> dict[str, Any]:
    return {"type": "contact", "id": row["id"], "external_id": row["external_id"], **flag}
