"""Company lists read kept counts and an index of the listed companies: after every kind of write the
lists, their totals and every `user_count` are what counting the links from scratch gives, and a page is
read along the index, sorting nothing."""

import httpx
import pytest

from fake_intercom.resources.companies import _LISTED, _list_order, delete_company
from fake_intercom.store import Store, Workspace
from tests.helpers.api import attach, domain_of, new_company, new_contact

# What the lists showed before they were kept: every company with a visible contact, counted afresh.
FROM_SCRATCH = (
    "SELECT co.id, (SELECT COUNT(*) FROM company_contacts cc JOIN contacts ct ON ct.workspace_id = "
    "cc.workspace_id AND ct.id = cc.contact_id AND ct.merged_into IS NULL AND COALESCE(ct.archived, 0) = 0 "
    "WHERE cc.workspace_id = co.workspace_id AND cc.company_id = co.id) AS people FROM companies co "
    "WHERE co.workspace_id = ? ORDER BY COALESCE(co.last_request_at, 0) {order}, co.created_at {order}, "
    "co.rowid {order}"
)


@pytest.fixture
def domain(app, workspace) -> tuple[Store, Workspace]:
    return domain_of(app, workspace)


def listed(api: httpx.Client, order: str) -> tuple[list[str], int]:
    response = api.post("/companies/list", params={"order": order, "per_page": 60})
    assert response.status_code == 200, response.text
    body = response.json()
    return [company["id"] for company in body["data"]], body["total_count"]


def assert_kept(api: httpx.Client, store: Store, ws: Workspace) -> None:
    for order in ("asc", "desc"):
        expected = store.query(FROM_SCRATCH.format(order=order.upper()), (ws.id,))
        shown = [row["id"] for row in expected if row["people"]]
        assert listed(api, order) == (shown, len(shown))
    default = api.get("/companies", params={"per_page": 60}).json()
    assert [company["id"] for company in default["data"]] == listed(api, "desc")[0]
    for row in store.query(FROM_SCRATCH.format(order="ASC"), (ws.id,)):
        assert api.get(f"/companies/{row['id']}").json()["user_count"] == row["people"]


def test_lists_and_user_counts_follow_every_write(api: httpx.Client, domain) -> None:
    store, ws = domain
    companies = [new_company(api, name=f"Company {n}")["id"] for n in range(4)]
    contacts = [new_contact(api) for _ in range(5)]
    assert_kept(api, store, ws)
    for n, contact in enumerate(contacts):
        attach(api, contact, companies[n % 3])
        attach(api, contact, companies[(n + 1) % 3])
    assert_kept(api, store, ws)
    # Contacts going out of view and back: archived, unarchived, merged away, deleted.
    assert api.post(f"/contacts/{contacts[0]}/archive").status_code == 200
    assert_kept(api, store, ws)
    assert api.post(f"/contacts/{contacts[0]}/unarchive").status_code == 200
    assert_kept(api, store, ws)
    lead = api.post("/contacts", json={"role": "lead", "email": "lead@example.com"}).json()["id"]
    attach(api, lead, companies[3])
    assert_kept(api, store, ws)
    merged = api.post("/contacts/merge", json={"from": lead, "into": contacts[1]})
    assert merged.status_code == 200, merged.text
    assert_kept(api, store, ws)
    assert api.delete(f"/contacts/{contacts[2]}").status_code == 200
    assert_kept(api, store, ws)
    # Contacts updated (their search row written again), links removed, companies updated and deleted.
    assert api.put(f"/contacts/{contacts[3]}", json={"name": "Renamed"}).status_code == 200
    assert_kept(api, store, ws)
    detached = api.delete(f"/contacts/{contacts[4]}/companies/{companies[1]}")
    assert detached.status_code == 200, detached.text
    assert_kept(api, store, ws)
    store.execute(
        "UPDATE companies SET last_request_at = 1700000000 WHERE workspace_id = ? AND id = ?",
        (ws.id, companies[2]),
    )
    assert_kept(api, store, ws)
    delete_company(store, ws.id, companies[0])
    assert_kept(api, store, ws)


def test_a_snapshot_restored_brings_its_lists_back(api: httpx.Client, domain) -> None:
    store, ws = domain
    company = new_company(api, name="Kept")["id"]
    attach(api, new_contact(api), company)
    store.snapshot_workspace(ws, "one company")
    attach(api, new_contact(api), new_company(api, name="Later")["id"])
    store.restore_workspace(ws, "one company")
    assert listed(api, "desc") == ([company], 1)
    assert_kept(api, store, ws)


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_a_page_walks_the_index_of_listed_companies(app, workspace, order) -> None:
    store = app.state.store
    plan = [
        row["detail"]
        for row in store.query(
            f"EXPLAIN QUERY PLAN SELECT co.* FROM {_LISTED} ORDER BY {_list_order(order)} LIMIT 15 OFFSET 30",
            (workspace[0].id,),
        )
    ]
    assert any("company_listing_order" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step or step.startswith("SCAN") for step in plan), plan


def test_a_contact_coming_into_view_reads_its_own_links_alone(app, workspace) -> None:
    """What the triggers look up when a contact is written: its companies, through the index that holds
    them, never every link of the workspace."""
    plan = [
        row["detail"]
        for row in app.state.store.query(
            "EXPLAIN QUERY PLAN SELECT company_id FROM company_contacts WHERE workspace_id = ? AND contact_id = ?",
            (workspace[0].id, "1"),
        )
    ]
    assert plan == [
        "SEARCH company_contacts USING COVERING INDEX "
        "idx_company_contacts_workspace_id_contact_id_company_id (workspace_id=? AND contact_id=?)"
    ]
