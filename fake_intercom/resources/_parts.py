"""What conversation parts and ticket parts share: who wrote them and what is attached to them.

A part keeps its author as they were when it was written. Changes nobody made by hand (a snooze that
runs out, attribute updates, API calls that name no admin) are signed by the workspace's operator bot,
"Fin", with an id of its own, as in Intercom's examples (an admin's id is never the bot's).

Attachments have the description's `part_attachment` shape. The fake never downloads a URL, so a URL's
`filesize` is 0; an inline file's is its decoded size. Width and height are left out: the description
types them as integers, and the fake never knows an image's size.
"""

import mimetypes
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

from fake_intercom.resources.admins import find_admin
from fake_intercom.store import ID_BASES, Store

# Admin ids start above the admin base, so the base itself is free for the bot.
BOT_ID = str(ID_BASES["admin"])


def bot_author(workspace_id: str) -> dict[str, Any]:
    """Intercom's operator (Fin), which signs what no admin did."""
    return {"id": BOT_ID, "type": "bot", "name": "Fin", "email": f"operator+{workspace_id}@intercom.io"}


def admin_author(store: Store, workspace_id: str, admin_id: Any) -> dict[str, Any] | None:
    """The admin as a part's author, or None when the workspace has no such admin."""
    admin = find_admin(store, workspace_id, str(admin_id)) if admin_id not in (None, "") else None
    if admin is None:
        return None
    return {"id": admin["id"], "type": "admin", "name": admin["name"], "email": admin["email"]}


def contact_author(contact: dict[str, Any]) -> dict[str, Any]:
    """A contact as a part's author: its role is the author type (user or lead)."""
    return {
        "id": contact["id"],
        "type": contact.get("role") or "user",
        "name": contact.get("name"),
        "email": contact.get("email") or "",
    }


def attachments(urls: Sequence[str] | None, files: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    """Attachments from `attachment_urls` and inline `attachment_files` ({name, content_type, data})."""
    found = []
    for url in urls or ():
        name = urlparse(url).path.rsplit("/", 1)[-1] or "attachment"
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        found.append(_attachment(name, url, content_type, 0))
    for file in files or ():
        content_type = file.content_type or "application/octet-stream"
        data = file.data or ""
        size = len(data) * 3 // 4 - data.count("=", -2)
        found.append(
            _attachment(file.name or "attachment", f"data:{content_type};base64,{data}", content_type, size)
        )
    return found


def _attachment(name: str, url: str, content_type: str, filesize: int) -> dict[str, Any]:
    return {"type": "upload", "name": name, "url": url, "content_type": content_type, "filesize": filesize}
