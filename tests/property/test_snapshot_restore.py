"""Snapshots and restore: whatever is written in between, a restore brings back every content row of
the workspace as it was at the snapshot (rowids included, which lists and the search copy follow), the
search answers as it answered then, snapshots taken after the one restored stay restorable, and a
reset returns to the seed. Steps are made tiny here so that restores of a few changes go both ways:
in one transaction and a step at a time; a stop midway is rolled back."""

import asyncio
import gc
import shutil
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_intercom import Sandbox
from fake_intercom import store as store_module
from fake_intercom.sandbox import reset
from fake_intercom.sandbox.snapshots import in_steps
from fake_intercom.sandbox_client import IN_PROCESS_URL
from fake_intercom.store import Store, Workspace
from tests.conftest import examples
from tests.fake.test_search_indexes import kept_value_counts, value_recount

# A write, and which existing record it touches (an index taken modulo what exists).
writes = st.lists(
    st.one_of(
        st.tuples(st.just("create contact"), st.integers(0, 10**6)),
        st.tuples(st.just("rename contact"), st.integers(0, 50)),
        st.tuples(st.just("change plan"), st.integers(0, 50)),
        st.tuples(st.just("delete contact"), st.integers(0, 50)),
        st.tuples(st.just("tag contact"), st.integers(0, 50)),
        st.tuples(st.just("note contact"), st.integers(0, 50)),
        st.tuples(st.just("create company"), st.integers(0, 10**6)),
        st.tuples(st.just("archive contact"), st.integers(0, 50)),
    ),
    max_size=6,
)


@pytest.fixture
def sandbox(asgi_transport) -> Any:
    with Sandbox(IN_PROCESS_URL, transport=asgi_transport) as sandbox:
        yield sandbox


def contact_ids(client: httpx.Client) -> list[str]:
    return [contact["id"] for contact in client.get("/contacts", params={"per_page": 150}).json()["data"]]


def write(client: httpx.Client, kind: str, number: int) -> None:
    ids = contact_ids(client)
    target = ids[number % len(ids)] if ids else None
    if kind == "create contact":
        client.post("/contacts", json={"email": f"person{number}@example.com", "name": f"Person {number}"})
    elif kind == "create company":
        client.post("/companies", json={"company_id": f"co-{number}", "name": f"Company {number}"})
    elif target is None:
        return
    elif kind == "rename contact":
        client.put(f"/contacts/{target}", json={"name": f"Renamed {number}"})
    elif kind == "change plan":
        plan = ("Pro", "pro", "free", None)[number % 4]
        client.put(
            f"/contacts/{target}",
            json={"role": ("user", "lead")[number % 2], "custom_attributes": {"plan": plan}},
        )
    elif kind == "delete contact":
        client.delete(f"/contacts/{target}")
    elif kind == "archive contact":
        client.post(f"/contacts/{target}/archive")
    elif kind == "tag contact":
        tag = client.post("/tags", json={"name": f"tag {number % 3}"}).json()
        client.post(f"/contacts/{target}/tags", json={"id": tag["id"]})
    elif kind == "note contact":
        client.post(f"/contacts/{target}/notes", json={"body": f"note {number}"})


def content(store: Store, workspace_id: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the workspace in the content tables and the search copy, rowids included."""
    rows = {
        spec.name: store.execute(
            f"SELECT rowid, * FROM [{spec.name}] WHERE workspace_id = ? ORDER BY rowid", (workspace_id,)
        ).fetchall()
        for spec in store.content_tables()
    }
    rows["contact_search"] = store.execute(
        "SELECT * FROM contact_search WHERE workspace_id = ? ORDER BY rid", (workspace_id,)
    ).fetchall()
    rows["contact_search_values"] = kept_value_counts(store, workspace_id)
    assert rows["contact_search_values"] == value_recount(store, workspace_id)
    return rows


def searched(client: httpx.Client) -> tuple[int, list[str]]:
    body = client.post(
        "/contacts/search",
        json={"query": {"field": "name", "operator": "~", "value": "e"}, "pagination": {"per_page": 150}},
    ).json()
    return body["total_count"], [contact["id"] for contact in body["data"]]


@settings(max_examples=examples(10), deadline=None)
@given(before=writes, between=writes, after=writes, later=writes)
def test_restore_brings_back_the_content_at_the_snapshot(
    sandbox: Sandbox, app, before, between, after, later
) -> None:
    store: Store = app.state.store
    workspace = sandbox.create_workspace(seed="demo")
    try:
        seeded = content(store, workspace.id)
        with (
            mock.patch.object(store_module, "STEP_ROWS", 3),
            mock.patch.object(store_module, "STEPS_ABOVE", 3),
            workspace.client() as client,
        ):
            for kind, number in before:
                write(client, kind, number)
            workspace.snapshot("first")
            at_first, found_first = content(store, workspace.id), searched(client)
            for kind, number in between:
                write(client, kind, number)
            workspace.snapshot("second")
            at_second, found_second = content(store, workspace.id), searched(client)
            for kind, number in after:
                write(client, kind, number)
            workspace.restore("first")
            assert content(store, workspace.id) == at_first
            assert searched(client) == found_first
            for kind, number in later:
                write(client, kind, number)
            workspace.restore("second")  # taken after the one restored: still what it was
            assert content(store, workspace.id) == at_second
            assert searched(client) == found_second
            workspace.restore("first")
            assert content(store, workspace.id) == at_first
            workspace.reset()
            assert content(store, workspace.id) == seeded
    finally:
        workspace.delete()


def test_undo_entries_no_snapshot_needs_are_purged(sandbox: Sandbox, app) -> None:
    store: Store = app.state.store
    workspace = sandbox.create_workspace(seed="demo")
    with workspace.client() as client:
        for number in range(5):
            write(client, "create contact", number)
        logged = store.scalar("SELECT COUNT(*) FROM _undo WHERE workspace_id = ?", (workspace.id,))
        assert logged >= 5
        workspace.snapshot("__seed__")  # what the seed route's `remember` does
        while store.purge_undo():
            pass
        assert store.scalar("SELECT COUNT(*) FROM _undo WHERE workspace_id = ?", (workspace.id,)) == 0
        remembered = content(store, workspace.id)
        write(client, "create contact", 99)
        workspace.reset()
        assert content(store, workspace.id) == remembered
        # A reset to the latest snapshot drops what it undid: the log does not grow test after test.
        assert store.scalar("SELECT COUNT(*) FROM _undo WHERE workspace_id = ?", (workspace.id,)) == 0
    workspace.delete()


def test_a_snapshot_copied_by_an_earlier_release_is_restored_and_becomes_a_mark() -> None:
    store = Store()
    workspace = store.create_workspace(name="w", token="t")
    store.insert("tags", {"workspace_id": workspace.id, "id": "1", "name": "kept", "data": "{}"})
    # How earlier releases kept a snapshot: a copy of every content table, no mark.
    for spec in store.content_tables():
        columns = store._columns(spec.name)
        store.execute(
            f"INSERT INTO [{store._shadow(spec.name)}] (_snapshot, {columns}) "
            f"SELECT 'old', {columns} FROM [{spec.name}] WHERE workspace_id = ?",
            (workspace.id,),
        )
    store.insert(
        "sandbox_snapshots",
        {"workspace_id": workspace.id, "name": "old", "created_at": 0, "workspace": '{"name": "w"}'},
    )
    store.insert("tags", {"workspace_id": workspace.id, "id": "2", "name": "added", "data": "{}"})
    for _ in range(2):
        assert store.restore_workspace(workspace, "old") is not None
        assert store.query("SELECT id FROM tags WHERE workspace_id = ?", (workspace.id,)) == [{"id": "1"}]
        store.insert("tags", {"workspace_id": workspace.id, "id": "3", "name": "again", "data": "{}"})
    assert store.scalar("SELECT mark FROM sandbox_snapshots WHERE name = 'old'") is not None
    assert store.scalar("SELECT COUNT(*) FROM _snapshot_tags") == 0


def tagged(store: Store, workspace: Workspace) -> list[str]:
    return [
        row["name"]
        for row in store.query("SELECT name FROM tags WHERE workspace_id = ? ORDER BY rowid", (workspace.id,))
    ]


def workspace_of_tags(store: Store, names: list[str]) -> Workspace:
    workspace = store.create_workspace(name="w", token=f"t-{len(names)}")
    for number, name in enumerate(names):
        store.insert("tags", {"workspace_id": workspace.id, "id": str(number), "name": name, "data": "{}"})
    return workspace


def test_a_restore_that_fails_midway_is_rolled_back() -> None:
    store = Store()
    workspace = workspace_of_tags(store, ["a", "b"])
    store.snapshot_workspace(workspace, "two")
    store.execute("DELETE FROM tags")
    before = tagged(store, workspace)
    steps = store.restore_steps(workspace, "two")
    with mock.patch.object(store_module, "STEP_ROWS", 1), mock.patch.object(store_module, "STEPS_ABOVE", 1):
        next(steps)  # one tag is back, in a committed step
    assert tagged(store, workspace) == ["a"]
    steps.close()
    assert tagged(store, workspace) == before == []
    assert workspace.id not in store.in_steps
    assert store.restore_workspace(workspace, "two") is not None
    assert tagged(store, workspace) == ["a", "b"]


def test_a_restore_whose_request_is_cancelled_between_steps_is_rolled_back_at_once() -> None:
    store = Store()
    workspace = workspace_of_tags(store, ["a", "b", "c"])
    store.snapshot_workspace(workspace, "three")
    store.execute("DELETE FROM tags")

    # Held, as the cancelled request's traceback holds it in a server: only closing it ends the steps.
    steps = store.restore_steps(workspace, "three")

    async def cancelled_midway() -> None:
        task = asyncio.ensure_future(in_steps(steps))
        await asyncio.sleep(0)  # the first step is committed and the request yields
        assert workspace.id in store.in_steps
        task.cancel()  # what a client that goes away does to its request
        with pytest.raises(asyncio.CancelledError):
            await task

    gc.disable()  # the abandoned steps must be rolled back now, not when the collector finds them
    try:
        with (
            mock.patch.object(store_module, "STEP_ROWS", 1),
            mock.patch.object(store_module, "STEPS_ABOVE", 1),
        ):
            asyncio.run(cancelled_midway())
        assert workspace.id not in store.in_steps
        assert tagged(store, workspace) == []
    finally:
        gc.enable()


def test_a_server_stopped_midway_rolls_the_reset_back_when_it_opens_the_file_again(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "live.db"))
    workspace = workspace_of_tags(store, ["a", "b", "c"])
    store.snapshot_workspace(workspace, "__seed__")
    with mock.patch.object(store_module, "STEP_ROWS", 1):
        steps = store.clear_steps(workspace.id)
        with store.replacing(workspace.id):
            next(steps)
            # What a kill -9 now would leave on disk: the file as it is, one tag deleted.
            for name in ("live.db", "live.db-wal"):
                shutil.copyfile(tmp_path / name, tmp_path / name.replace("live", "stopped"))
            for _ in steps:
                pass
    store.close()
    reopened = Store(str(tmp_path / "stopped.db"))
    assert tagged(reopened, workspace) == ["a", "b", "c"]
    assert reopened.scalar("SELECT COUNT(*) FROM _undo_pending") == 0
    reset(reopened, reopened.workspace(workspace.id) or workspace, "empty")
    assert tagged(reopened, workspace) == []


@pytest.mark.parametrize("query", [store_module.UNDO_TABLES_CHANGED, store_module.UNDO_FIRSTS])
def test_a_restore_is_planned_from_index_entries_without_reading_the_logged_images(app, query) -> None:
    """The log's rows carry whole row images; a restore of many changes planned by reading them spent
    tens of milliseconds on its first step at 100k contacts, other workspaces waiting."""
    store: Store = app.state.store
    params = ("ws", 0, 1) if query == store_module.UNDO_TABLES_CHANGED else ("ws", "contacts", 0, 1)
    plan = [row["detail"] for row in store.query(f"EXPLAIN QUERY PLAN {query}", params)]
    assert any("USING COVERING INDEX _undo_rows" in step for step in plan), plan
