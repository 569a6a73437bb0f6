"""Ticket parts: what each change to a ticket appends, and who it is attributed to.

A part keeps its author as they were when it was written. Changes made without an admin (API
calls that name none, the enqueue job) are the workspace's operator bot's, as Intercom attributes
them to "Fin".
"""

import html
import mimetypes
from typing import Any
from urllib.parse import urlparse

from fake_intercom.resources.admins import find_admin
from fake_intercom.store import ID_BASES, Store, Workspace, dumps, loads, table

TICKET_PARTS = table(
    "ticket_parts",
    {"id": str, "ticket_id": str, "created_at": int, "data": str},
    indexes=(("workspace_id", "ticket_id", "created_at"),),
)
# Admins who took part in a ticket (search's `teammate_ids`).
TICKET_TEAMMATES = table(
    "ticket_teammates",
    {"ticket_id": str, "admin_id": str},
    pk=("workspace_id", "ticket_id", "admin_id"),
    indexes=(("workspace_id", "admin_id"),),
)

PART_ID_BASE = 170
# Admin ids start above the admin base, so the base itself is free for the bot.
OPERATOR_ID = str(ID_BASES["admin"])


def operator(workspace_id: str) -> dict[str, Any]:
    return {
        "id": OPERATOR_ID,
        "type": "bot",
        "name": "Fin",
        "email": f"operator+{workspace_id}@intercom.io",
    }


def admin_author(store: Store, workspace_id: str, admin_id: str | int | None) -> dict[str, Any] | None:
    admin = find_admin(store, workspace_id, admin_id)
    if admin is None:
        return None
    return {"id": admin["id"], "type": "admin", "name": admin["name"], "email": admin["email"]}


def user_author(contact: dict[str, Any]) -> dict[str, Any]:
    return {"id": contact["id"], "type": "user", "name": contact.get("name"), "email": contact.get("email")}


def body_html(text: str) -> str:
    """Plain text becomes paragraphs; HTML is kept as sent."""
    if text.lstrip().startswith("<"):
        return text
    lines = [line for line in text.splitlines() if line.strip()] or [text]
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def attachments(urls: list[str] | None) -> list[dict[str, Any]]:
    found = []
    for url in urls or []:
        name = urlparse(url).path.rsplit("/", 1)[-1] or url
        found.append(
            {
                "type": "upload",
                "name": name,
                "url": url,
                "content_type": mimetypes.guess_type(name)[0] or "application/octet-stream",
                "filesize": 0,
            }
        )
    return found


def append_part(
    store: Store,
    workspace: Workspace,
    ticket_id: str,
    part_type: str,
    author: dict[str, Any],
    *,
    created_at: int | None = None,
    body: str | None = None,
    ticket_state: str | None = None,
    previous_ticket_state: str | None = None,
    assigned_to: dict[str, Any] | None = None,
    attachment_list: list[dict[str, Any]] | None = None,
    updated_attribute_data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Record a part. Keys a part type lacks are left out, in the order of Intercom's examples."""
    now = created_at if created_at is not None else store.now(workspace)
    part: dict[str, Any] = {
        "type": "ticket_part",
        "id": store.numeric_id(workspace.id, "ticket_part", base=PART_ID_BASE),
        "part_type": part_type,
    }
    if body is not None:
        part["body"] = body
    if ticket_state is not None:
        part["ticket_state"] = ticket_state
        part["previous_ticket_state"] = previous_ticket_state
    part.update(created_at=now, updated_at=now)
    if assigned_to is not None:
        part["assigned_to"] = assigned_to
    part.update(author=author, attachments=attachment_list or [], redacted=False)
    if updated_attribute_data is not None:
        part["updated_attribute_data"] = updated_attribute_data
    store.insert(
        "ticket_parts",
        {
            "workspace_id": workspace.id,
            "id": part["id"],
            "ticket_id": ticket_id,
            "created_at": now,
            "data": dumps(part),
        },
    )
    if author["type"] == "admin":
        store.execute(
            "INSERT OR IGNORE INTO ticket_teammates (workspace_id, ticket_id, admin_id) VALUES (?, ?, ?)",
            (workspace.id, ticket_id, author["id"]),
        )
    return part


def parts_of(store: Store, workspace_id: str, ticket_id: str) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT data FROM ticket_parts WHERE workspace_id = ? AND ticket_id = ? "
        "ORDER BY created_at, CAST(id AS INTEGER)",
        (workspace_id, ticket_id),
    )
    return [loads(row["data"]) for row in rows]
