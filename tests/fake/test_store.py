"""The store's schema: a new database is a copy of one built table by table, made once per process."""

import uuid
from pathlib import Path

import pytest

from fake_intercom import store as store_module
from fake_intercom.resources.admins import create_admin
from fake_intercom.sandbox.snapshots import reset
from fake_intercom.sandbox.workspaces import provision_workspace
from fake_intercom.seed import OWNER, DemoSeeder, seed_workspace
from fake_intercom.store import Store, TableSpec, Workspace, loads
from tests.conftest import new_workspace


def _schema(store: Store) -> tuple[list, ...]:
    def rows(sql: str) -> list:
        return store.db.conn.execute(sql).fetchall()

    return (
        rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid"),
        rows("SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx"),
        rows("SELECT version, objects FROM _derived"),
    )


def test_a_new_database_is_the_schema_built_table_by_table(
    app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_schema_template", None)
    built = Store(str(tmp_path / "built.db"))  # table by table; the copies' template is made from it
    copied_file, copied_memory = Store(str(tmp_path / "copied.db")), Store()
    try:
        assert _schema(copied_file) == _schema(built)
        assert _schema(copied_memory) == _schema(built)
        assert copied_file.scalar("PRAGMA journal_mode") == "wal"
    finally:
        for store in (built, copied_file, copied_memory):
            store.close()


def test_a_table_declared_after_the_template_was_made_is_in_the_next_database(
    app, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store().close()  # the template exists
    spec = TableSpec("probe_things", {"workspace_id": str, "id": str, "data": str})
    monkeypatch.setitem(store_module.TABLES, spec.name, spec)
    store = Store()
    try:
        assert store.db.table("probe_things").exists()
        store.insert("probe_things", {"workspace_id": "w", "id": "1", "data": "{}"})
    finally:
        store.close()


# -- a new workspace's first content, written at once (`Store.populating`) ------------------------

SEEDED_AT = 1_700_000_000


def _seed(store: Store, workspace_id: str, *, at_once: bool) -> Workspace:
    workspace = store.create_workspace(
        name="Seeded", token=f"token-{workspace_id}", workspace_id=workspace_id
    )
    workspace = store.set_clock(workspace, frozen_at=SEEDED_AT, offset=0)
    if at_once:
        return seed_workspace(store, workspace, "demo")
    with store.atomic():  # every row followed by the triggers as it is written
        owner = create_admin(store, workspace, **OWNER)
        workspace = store.update_workspace(workspace, owner_admin_id=owner["id"], seed="demo")
        DemoSeeder(store, workspace).run()
    return workspace


def _derived_rows(store: Store) -> dict[str, list]:
    """Every derived table's rows, and each text index's entries (term, row, column, offset) rather than
    its shadow tables, whose layout depends on the order it was written in."""
    objects = loads(store.scalar("SELECT objects FROM _derived"))
    text_indexes = [name for kind, name in objects if kind == "virtual"]
    rows: dict[str, list] = {}
    for name in text_indexes:
        entries = f"temp.[{name}_entries]"
        store.execute(f"CREATE VIRTUAL TABLE {entries} USING fts5vocab(main, [{name}], instance)")
        rows[name] = store.db.conn.execute(f"SELECT * FROM {entries} ORDER BY 1, 2, 3, 4").fetchall()
    for kind, name in objects:
        if kind == "table" and not name.startswith(tuple(f"{index}_" for index in text_indexes)):
            rows[name] = sorted(store.db.conn.execute(f"SELECT * FROM [{name}]").fetchall(), key=repr)
    return rows


def test_a_workspace_written_at_once_has_the_derived_rows_and_content_its_rows_would_have_had(app) -> None:
    followed, at_once = Store(), Store()
    try:
        for store in (followed, at_once):  # another workspace first: what is filled is one workspace's
            _seed(store, "others00", at_once=True)
        _seed(followed, "seeded00", at_once=False)
        _seed(at_once, "seeded00", at_once=True)
        assert _derived_rows(at_once) == _derived_rows(followed)
        for spec in followed.content_tables():
            select = f"SELECT rowid, * FROM [{spec.name}] ORDER BY rowid"
            assert at_once.query(select) == followed.query(select), spec.name
        triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        assert at_once.query(triggers) == followed.query(triggers)
    finally:
        followed.close()
        at_once.close()


def test_a_new_workspace_seeded_with_the_demo_logs_nothing_and_resets_to_it(app) -> None:
    store = app.state.store
    workspace = provision_workspace(store, name="Seeded", token=f"token-{uuid.uuid4().hex}", seed="demo")
    # The undo log serves snapshots, and a workspace has none before its seed.
    assert store.scalar("SELECT COUNT(*) FROM _undo WHERE workspace_id = ?", (workspace.id,)) == 0
    contact = store.one("SELECT id, name FROM contacts WHERE workspace_id = ? LIMIT 1", (workspace.id,))
    store.update("contacts", workspace.id, contact["id"], {"name": "Renamed"})
    reset(store, workspace)
    searched = "SELECT name FROM contact_search WHERE workspace_id = ? AND id = ?"
    assert store.scalar(searched, (workspace.id, contact["id"])) == contact["name"]


def test_only_a_workspace_without_content_is_written_at_once(app) -> None:
    workspace, _ = new_workspace(app, seed="none")  # its owner admin
    with pytest.raises(ValueError, match="has content"), app.state.store.populating(workspace.id):
        pass
