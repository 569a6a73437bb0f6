"""Teams: the 2.16 real-time metrics of a team's admins, computed from their conversations."""

import httpx

from fake_intercom.resources.admins import create_admin
from fake_intercom.resources.teams import create_team
from tests.fake.test_office_hours import V216, error_of
from tests.helpers.api import domain_of, new_contact


def conversation_for(api: httpx.Client, admin_id: str) -> str:
    contact_id = new_contact(api)
    started = api.post("/conversations", json={"from": {"type": "user", "id": contact_id}, "body": "Help"})
    assert started.status_code == 200, started.text
    conversation_id = started.json()["conversation_id"]
    assigned = api.post(
        f"/conversations/{conversation_id}/parts",
        json={"message_type": "assignment", "type": "admin", "admin_id": admin_id, "assignee_id": admin_id},
    )
    assert assigned.status_code == 200, assigned.text
    return conversation_id


def test_metrics_count_open_idle_and_snoozed(api: httpx.Client, app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    busy = create_admin(store, ws, name="Busy", email="busy@test.example")
    free = create_admin(store, ws, name="Free", email="free@test.example")
    team = create_team(store, ws, name="Support", admin_ids=[busy["id"], free["id"]])
    first = conversation_for(api, busy["id"])
    conversation_for(api, busy["id"])
    snoozed = conversation_for(api, busy["id"])
    until = store.now(store.workspace(ws.id)) + 86_400
    response = api.post(
        f"/conversations/{snoozed}/parts",
        json={"message_type": "snoozed", "admin_id": busy["id"], "snoozed_until": until},
    )
    assert response.status_code == 200, response.text
    metrics = api.get(f"/teams/{team['id']}/metrics", headers=V216).json()
    assert metrics == {
        "type": "team_metric.list",
        "data": [
            {"type": "team_metric", "admin_id": busy["id"], "open": 2, "idle": 0, "snoozed": 1},
            {"type": "team_metric", "admin_id": free["id"], "open": 0, "idle": 0, "snoozed": 0},
        ],
    }
    store.update_workspace(store.workspace(ws.id), clock_offset=600)
    idle = api.get(f"/teams/{team['id']}/metrics", params={"idle_threshold": 300}, headers=V216).json()
    assert idle["data"][0]["idle"] == 2
    assert api.get(f"/teams/{team['id']}/metrics", headers=V216).json()["data"][0]["idle"] == 0
    api.post(
        f"/conversations/{first}/parts",
        json={"message_type": "close", "type": "admin", "admin_id": busy["id"]},
    )
    assert api.get(f"/teams/{team['id']}/metrics", headers=V216).json()["data"][0]["open"] == 1


def test_metrics_errors(api: httpx.Client) -> None:
    missing = api.get("/teams/1/metrics", headers=V216)
    assert error_of(missing, 404) == {"code": "team_not_found", "message": "Team not found"}
    assert error_of(api.get("/teams/1/metrics"), 400)["code"] == "intercom_version_invalid"
