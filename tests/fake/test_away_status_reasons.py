"""Away status reasons, and choosing one when an admin sets themselves away."""

import httpx

from fake_intercom.resources.away_status_reasons import create_away_status_reason, delete_away_status_reason
from tests.helpers.api import domain_of, error_of


def test_list_includes_deleted_reasons(api: httpx.Client, app, workspace) -> None:
    assert api.get("/away_status_reasons").json() == {"type": "list", "data": []}
    store, ws = domain_of(app, workspace)
    first = create_away_status_reason(store, ws, "On a break", "☕")
    second = create_away_status_reason(store, ws, "In a meeting")
    delete_away_status_reason(store, ws, second["id"])
    listed = api.get("/away_status_reasons").json()["data"]
    assert [(r["id"], r["order"], r["deleted"]) for r in listed] == [
        (first["id"], 1, False),
        (second["id"], 2, True),
    ]
    assert listed[0]["type"] == "away_status_reason" and listed[0]["emoji"] == "☕"


def test_setting_away_checks_the_reason(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    live = create_away_status_reason(store, ws, "On a break")
    gone = create_away_status_reason(store, ws, "Old reason")
    delete_away_status_reason(store, ws, gone["id"])
    admin_id = ws.owner_admin_id
    body = {"away_mode_enabled": True, "away_mode_reassign": False}
    deleted = api.put(f"/admins/{admin_id}/away", json={**body, "away_status_reason_id": int(gone["id"])})
    assert error_of(deleted, 400) == {
        "code": "parameter_invalid",
        "message": "Away status reason is deleted",
        "field": "away_status_reason_id",
    }
    unknown = api.put(f"/admins/{admin_id}/away", json={**body, "away_status_reason_id": 424242})
    assert error_of(unknown, 400)["code"] == "parameter_invalid"
    assert api.get(f"/admins/{admin_id}").json()["away_mode_enabled"] is False
    ok = api.put(f"/admins/{admin_id}/away", json={**body, "away_status_reason_id": int(live["id"])})
    assert ok.status_code == 200 and ok.json()["away_status_reason_id"] == live["id"]
    assert api.put(f"/admins/{admin_id}/away", json=body).status_code == 200
