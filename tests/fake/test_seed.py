"""The demo workspace: realistic and valid by Intercom's own description."""

import re

from tests.conftest import new_workspace

# The official description types contact emails as `format: email`; accented local parts fail it.
ASCII_EMAIL = re.compile(r"^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]+$")


def test_demo_contacts_have_ascii_emails_whatever_their_names(app) -> None:
    workspace, _ = new_workspace(app, seed="demo")
    emails = [
        row["email"]
        for row in app.state.store.query(
            "SELECT email FROM contacts WHERE workspace_id = ? AND email IS NOT NULL", [workspace.id]
        )
    ]
    names = [
        row["name"]
        for row in app.state.store.query("SELECT name FROM contacts WHERE workspace_id = ?", [workspace.id])
    ]
    assert len(emails) == 200
    assert any(not name.isascii() for name in names)  # the names keep their accents
    assert all(ASCII_EMAIL.match(email) for email in emails), [e for e in emails if not ASCII_EMAIL.match(e)]


def test_demo_updates_are_spread_and_every_synced_list_has_data(app) -> None:
    """An incremental sync of the demo workspace must be testable: contacts and companies were last
    updated across their lifetimes, and company segments, activity logs, conversation parts and tags
    on companies all exist."""
    workspace, _ = new_workspace(app, seed="demo")
    store = app.state.store

    def scalar(sql: str) -> int:
        return store.scalar(sql, [workspace.id])

    for table in ("contacts", "companies"):
        assert scalar(f"SELECT COUNT(DISTINCT updated_at) FROM {table} WHERE workspace_id = ?") > 10, table
        assert scalar(f"SELECT COUNT(*) FROM {table} WHERE workspace_id = ? AND updated_at < created_at") == 0
    assert scalar("SELECT COUNT(*) FROM activity_logs WHERE workspace_id = ?") >= 40
    assert scalar("SELECT COUNT(*) FROM company_tags WHERE workspace_id = ?") > 0
    company_segments = scalar(
        "SELECT COUNT(DISTINCT m.segment_id) FROM segment_members m JOIN companies c "
        "ON c.workspace_id = m.workspace_id AND c.id = m.member_id WHERE m.workspace_id = ?"
    )
    assert company_segments == 2
