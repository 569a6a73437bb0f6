"""What happened in a workspace, as Intercom's webhook topics: the outbox webhooks deliver from.

Resources call `notify` inside the request's transaction, so a request that fails notifies nobody;
delivery happens after the commit (see webhooks.py), which reads the outbox in `seq` order.
"""

import uuid
from typing import Any

from fake_intercom.store import Store, Workspace, dumps, table

NOTIFICATIONS = table(
    "notifications",
    {"id": str, "seq": int, "topic": str, "created_at": int, "data": str},
    indexes=(("workspace_id", "created_at"), ("seq",)),
    content=False,
)
# `seq` orders the outbox across workspaces and names each notification; its counter belongs to no
# workspace, so no reset or restore rewinds it.
SEQUENCE_SCOPE = ""


def notify(store: Store, workspace: Workspace, topic: str, item: dict[str, Any]) -> str:
    """Record that `topic` happened to `item` (the API object, with its own `type`)."""
    seq = store.next_number(SEQUENCE_SCOPE, "notification_seq")
    notification_id = f"notif_{uuid.uuid5(uuid.NAMESPACE_URL, f'{workspace.id}/{seq}')}"
    store.insert(
        "notifications",
        {
            "workspace_id": workspace.id,
            "id": notification_id,
            "seq": seq,
            "topic": topic,
            "created_at": store.now(workspace),
            "data": dumps(item),
        },
    )
    return notification_id
