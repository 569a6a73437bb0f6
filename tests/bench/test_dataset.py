"""The benchmark's bulk loader writes what the API would: the same plan, loaded in bulk into one fake and
replayed call by call through the API of another, leaves identical rows and identical answers."""

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench import dataset
from fake_intercom import Settings, create_app
from fake_intercom.resources.admins import create_admin
from fake_intercom.sandbox import provision_workspace
from fake_intercom.store import Store, Workspace
from fake_intercom.testing import SyncASGITransport

SIZE = 200
NOW = int(time.time())


@pytest.fixture(scope="module")
def plan() -> dataset.Plan:
    return dataset.Plan(SIZE, NOW)


def _client(app: Any) -> Iterator[httpx.Client]:
    transport = SyncASGITransport(app)
    headers = {"Authorization": f"Bearer {dataset.TOKEN}", "Accept": "application/json"}
    with httpx.Client(base_url="http://fake.test", headers=headers, transport=transport) as client:
        yield client
    transport.stop()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, httpx.Client]]:
    path = tmp_path_factory.mktemp("bench") / "loaded.db"
    dataset.build(path, SIZE, now=NOW)
    # As the benchmark serves it: the database file, its workspace found by its token.
    app = create_app(Settings(db=str(path), token=dataset.TOKEN))
    for client in _client(app):
        yield app.state.store, client


@pytest.fixture(scope="module")
def replayed(plan: dataset.Plan) -> Iterator[tuple[Store, httpx.Client]]:
    app = create_app(Settings(token="someone-else"))
    store = app.state.store
    workspace = provision_workspace(
        store,
        name=dataset.WORKSPACE_NAME,
        token=dataset.TOKEN,
        seed="none",
        workspace_id=dataset.WORKSPACE_ID,
    )
    for client in _client(app):
        replay(client, store, workspace, plan)
        yield store, client


def replay(client: httpx.Client, store: Store, workspace: Workspace, plan: dataset.Plan) -> None:
    """Every call of the plan through the API, each at its time on the workspace clock."""

    def at(moment: int) -> None:
        current = store.workspace(workspace.id)
        assert current is not None
        store.set_clock(current, frozen_at=moment, offset=0)

    def post(path: str, body: dict[str, Any]) -> Any:
        response = client.post(path, json=body)
        assert response.status_code == 200, response.text
        return response.json()

    # Intercom has no API that creates admins: the loader and this replay both use the domain function.
    admins = [workspace.owner_admin_id]
    admins += [
        create_admin(store, workspace, name=name, email=email, job_title=title)["id"]
        for name, email, title in plan.admins
    ]
    at(plan.start)
    for name, data_type in plan.data_attributes:
        post("/data_attributes", {"name": name, "model": "contact", "data_type": data_type})
    tags = [post("/tags", {"name": name})["id"] for name in plan.tags]
    companies = []
    for company in plan.companies:
        at(company.at)
        companies.append(post("/companies", company.fields)["id"])
    for contact in plan.contacts():
        at(contact.at)
        body = dict(contact.fields)
        if contact.owner is not None:
            body["owner_id"] = admins[contact.owner]
        contact_id = post("/contacts", body)["id"]
        for company_index, attached in contact.companies:
            at(attached)
            post(f"/contacts/{contact_id}/companies", {"id": companies[company_index]})
        for tag_index, applied in contact.tags:
            at(applied)
            post(f"/contacts/{contact_id}/tags", {"id": tags[tag_index]})
        for written, text, admin in contact.notes:
            at(written)
            post(f"/contacts/{contact_id}/notes", {"body": text, "admin_id": admins[admin]})
    at(NOW)


def content(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the workspace's content, in a stable order. (The notifications outbox is history for
    webhook deliveries, not content: the loader leaves it empty, as a reset or a restore does.)"""
    workspace = store.workspace_for_token(dataset.TOKEN)
    assert workspace is not None
    return {
        spec.name: sorted(
            (
                tuple(row.values())
                for row in store.query(f"SELECT * FROM [{spec.name}] WHERE workspace_id = ?", (workspace.id,))
            ),
            key=repr,
        )
        for spec in store.content_tables()
    }


def test_the_plan_is_realistic(plan: dataset.Plan) -> None:
    contacts = list(plan.contacts())
    assert len(contacts) == SIZE
    assert [contact.at for contact in contacts] == sorted(contact.at for contact in contacts)
    roles = {contact.fields["role"] for contact in contacts}
    assert roles == {"user", "lead"}
    assert sum(bool(contact.tags) for contact in contacts) > SIZE // 5
    assert sum(bool(contact.companies) for contact in contacts) > SIZE // 2
    assert sum(bool(contact.notes) for contact in contacts) > SIZE // 20
    emails = [contact.fields["email"] for contact in contacts if "email" in contact.fields]
    assert len(set(emails)) == len(emails)
    assert len({contact.fields.get("name") for contact in contacts}) > SIZE // 2
    assert {contact.fields["custom_attributes"].get("plan") for contact in contacts} >= {"free", "pro"}


def test_loaded_rows_are_the_rows_the_api_writes(loaded: Any, replayed: Any) -> None:
    loaded_rows, replayed_rows = content(loaded[0]), content(replayed[0])
    assert len(loaded_rows["contacts"]) == SIZE
    assert loaded_rows["contact_tags"] and loaded_rows["company_contacts"] and loaded_rows["notes"]
    for table, rows in replayed_rows.items():
        assert loaded_rows[table] == rows, table


def test_tables_built_after_loading_are_those_the_api_keeps(loaded: Any, replayed: Any) -> None:
    """The loader builds the trigger-kept tables once at the end: they hold what each write kept."""
    queries = (
        "SELECT id, last_request_at, created_at, people FROM company_listing ORDER BY id",
        "SELECT workspace_id, listed FROM company_listing_counts WHERE listed > 0 ORDER BY workspace_id",
        "SELECT workspace_id, counted FROM contact_search_counts WHERE counted > 0 ORDER BY workspace_id",
        "SELECT id, role, email, name, created_at, updated_at FROM contact_search ORDER BY id",
    )
    for query in queries:
        assert loaded[0].query(query) == replayed[0].query(query), query


def test_loaded_contacts_answer_as_api_created_ones(loaded: Any, replayed: Any) -> None:
    (_, bulk), (_, api) = loaded, replayed

    def same(method: str, path: str, **kwargs: Any) -> Any:
        answers = [client.request(method, path, **kwargs) for client in (bulk, api)]
        assert answers[0].status_code == answers[1].status_code == 200, answers[0].text
        assert answers[0].json() == answers[1].json(), path
        return answers[0].json()

    ids, cursor = [], None
    while True:
        page = same(
            "GET", "/contacts", params={"per_page": 50, **({"starting_after": cursor} if cursor else {})}
        )
        ids += [contact["id"] for contact in page["data"]]
        cursor = (page["pages"].get("next") or {}).get("starting_after")
        if not cursor:
            break
    assert len(set(ids)) == SIZE
    for contact_id in ids:
        contact = same("GET", f"/contacts/{contact_id}")
        for embedded in ("tags", "companies", "notes"):
            if contact[embedded]["total_count"]:
                same("GET", f"/contacts/{contact_id}/{embedded}")
    query = {
        "operator": "AND",
        "value": [
            {"field": "role", "operator": "=", "value": "user"},
            {"field": "custom_attributes.plan", "operator": "=", "value": "pro"},
        ],
    }
    found = same("POST", "/contacts/search", json={"query": query, "sort": {"field": "updated_at"}})
    assert found["total_count"] > 0
    assert same("GET", "/companies", params={"per_page": 60})["data"]


def test_what_is_created_after_loading_takes_fresh_ids(loaded: Any, replayed: Any) -> None:
    (store, bulk), (api_store, api) = loaded, replayed
    loaded_ids = {row["id"] for row in store.query("SELECT id FROM contacts")}
    note_ids = {row["id"] for row in store.query("SELECT id FROM notes")}
    created = []
    for client, its_store in ((bulk, store), (api, api_store)):
        workspace = its_store.workspace_for_token(dataset.TOKEN)
        assert workspace is not None
        its_store.set_clock(workspace, frozen_at=NOW + 60, offset=0)
        contact = client.post("/contacts", json={"email": "after.loading@example.com"})
        assert contact.status_code == 200, contact.text
        note = client.post(f"/contacts/{contact.json()['id']}/notes", json={"body": "Created after loading."})
        assert note.status_code == 200, note.text
        created.append((contact.json()["id"], note.json()["id"]))
    assert created[0] == created[1]
    assert created[0][0] not in loaded_ids
    assert created[0][1] not in note_ids


def test_the_cache_builds_once_per_size_and_schema(tmp_path: Path) -> None:
    first = dataset.cached(30, cache=tmp_path)
    again = dataset.cached(30, cache=tmp_path)
    assert first.seconds is not None and again.seconds is None
    assert again.path == first.path and first.megabytes > 0
    assert dataset.fingerprint() in first.path.name
    assert not list(tmp_path.glob("*.partial*"))
