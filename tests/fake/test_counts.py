"""The legacy GET /counts, computed from the live tables."""

import httpx

from fake_intercom.resources._contact_store import create_contact
from fake_intercom.resources.companies import attach_contact, create_company
from fake_intercom.resources.segments import create_segment
from fake_intercom.resources.tags import create_tag, tag_contact
from tests.helpers.api import domain_of, error_of


def test_totals_follow_the_workspace(api: httpx.Client, app, workspace) -> None:
    empty = {"count": 0}
    assert api.get("/counts").json() == {
        "type": "count.hash",
        "company": empty,
        "user": empty,
        "lead": empty,
        "tag": empty,
        "segment": empty,
    }
    store, ws = domain_of(app, workspace)
    user = create_contact(store, ws, {"role": "user", "email": "u@example.com"})
    lead = create_contact(store, ws, {"role": "lead", "email": "l@example.com"})
    company = create_company(store, ws, {"company_id": "c-1", "name": "Acme"})
    attach_contact(store, ws, user["id"], company["id"])
    vip = create_tag(store, ws, "VIP")
    create_tag(store, ws, "Unused")
    tag_contact(store, ws, user["id"], vip["id"], ws.owner_admin_id)
    create_segment(store, ws, "Everyone", "user", [user["id"], lead["id"]])
    totals = api.get("/counts").json()
    assert totals["user"] == {"count": 1} and totals["lead"] == {"count": 1}
    assert (
        totals["company"] == {"count": 1}
        and totals["tag"] == {"count": 2}
        and totals["segment"] == {"count": 1}
    )
    assert api.delete(f"/contacts/{lead['id']}").status_code == 200
    assert api.get("/counts").json()["lead"] == {"count": 0}
    assert api.get("/counts", params={"type": "user", "count": "tag"}).json() == {
        "type": "count",
        "user": {"tag": [{"Unused": 0}, {"VIP": 1}]},
    }
    assert api.get("/counts", params={"type": "user", "count": "segment"}).json()["user"] == {
        "segment": [{"Everyone": 1}]
    }
    assert api.get("/counts", params={"type": "company", "count": "user"}).json()["company"] == {
        "user": [{"Acme": 1, "remote_company_id": "c-1"}]
    }
    assert api.get("/counts", params={"type": "company", "count": "tag"}).json()["company"]["tag"] == [
        {"Unused": 0},
        {"VIP": 0},
    ]


def test_conversation_counts_and_errors(api: httpx.Client, workspace) -> None:
    totals = api.get("/counts", params={"type": "conversation"}).json()
    assert totals == {
        "type": "count",
        "conversation": {"open": 0, "closed": 0, "unassigned": 0, "assigned": 0},
    }
    per_admin = api.get("/counts", params={"type": "conversation", "count": "admin"}).json()["conversation"][
        "admin"
    ]
    assert [(a["id"], a["open"], a["closed"]) for a in per_admin] == [(workspace[0].owner_admin_id, 0, 0)]
    assert error_of(api.get("/counts", params={"type": "visitor"}), 400)["field"] == "type"
    assert error_of(api.get("/counts", params={"type": "user", "count": "admin"}), 400)["field"] == "count"
    assert error_of(api.get("/counts", params={"count": "tag"}), 400)["code"] == "parameter_invalid"
