"""The store's schema: a new database is a copy of one built table by table, made once per process."""

from pathlib import Path

import pytest

from fake_intercom import store as store_module
from fake_intercom.store import Store, TableSpec


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
