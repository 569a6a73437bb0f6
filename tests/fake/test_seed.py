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
