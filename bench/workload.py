"""The benchmark's workspaces: the demo seed, then contacts copied in SQL up to the wanted count.

Creating 100,000 contacts one by one through the API would take minutes; copying the demo's contacts
with fresh ids, emails and external ids (in the columns and in the stored JSON) takes seconds.
"""

import time
from typing import Any

from fake_intercom import Settings, create_app
from fake_intercom.sandbox import provision_workspace
from fake_intercom.store import Store, Workspace


def copy_contacts(store: Store, workspace: Workspace, total: int) -> None:
    have = store.scalar("SELECT COUNT(*) FROM contacts WHERE workspace_id = ?", (workspace.id,))
    copies = -(-(total - have) // have) if total > have else 0
    if not copies:
        return
    columns = list(store.db.table("contacts").columns_dict)
    new_id = "substr(c.id, 1, 16) || printf('%08x', n.k)"
    new_email = "CASE WHEN c.email IS NULL THEN NULL ELSE 'copy' || n.k || '.' || c.email END"
    new_external = "CASE WHEN c.external_id IS NULL THEN NULL ELSE c.external_id || '-' || n.k END"
    expressions = {
        "id": new_id,
        "email": new_email,
        "external_id": new_external,
        "data": f"json_set(c.data, '$.id', {new_id}, '$.email', {new_email}, '$.external_id', {new_external})",
    }
    select = ", ".join(expressions.get(column, f"c.[{column}]") for column in columns)
    with store.atomic():
        store.execute(
            f"WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ?) "
            f"INSERT INTO contacts ({', '.join(f'[{c}]' for c in columns)}) "
            f"SELECT {select} FROM contacts c, n WHERE c.workspace_id = ?",
            (copies, workspace.id),
        )
    # Trim the overshoot so the count is exact.
    with store.atomic():
        store.execute(
            "DELETE FROM contacts WHERE workspace_id = ? AND id IN (SELECT id FROM contacts WHERE workspace_id = ? "
            "ORDER BY created_at DESC, id DESC LIMIT max((SELECT COUNT(*) FROM contacts WHERE workspace_id = ?) - ?, 0))",
            (workspace.id, workspace.id, workspace.id, total),
        )


def build(contacts: int = 10_000, token: str = "bench-token", big: int | None = None) -> dict[str, Any]:
    """An app with a demo workspace grown to `contacts` (and, if `big`, a second one of `big` contacts)."""
    started = time.perf_counter()
    app = create_app(Settings(seed="none", rate_limit=10_000_000, journal=True))
    store = app.state.store
    workspace = provision_workspace(store, name="Bench", token=token, seed="demo", workspace_id="bench001")
    copy_contacts(store, workspace, contacts)
    result: dict[str, Any] = {"app": app, "token": token, "workspace": workspace}
    if big:
        large = provision_workspace(
            store, name="Big", token=f"{token}-big", seed="demo", workspace_id="bench100"
        )
        copy_contacts(store, large, big)
        result["big_token"] = f"{token}-big"
    sample = store.query(
        "SELECT id, email FROM contacts WHERE workspace_id = ? AND email IS NOT NULL ORDER BY random() LIMIT 500",
        (workspace.id,),
    )
    result["contact_ids"] = [row["id"] for row in sample]
    result["emails"] = [row["email"] for row in sample]
    result["build_seconds"] = time.perf_counter() - started
    return result
