"""Admins: away mode and the activity log it writes."""

import httpx

from fake_intercom.resources.admins import create_admin
from tests.conftest import new_workspace


def test_away_changes_are_logged_newest_first(api: httpx.Client) -> None:
    admin_id = api.get("/me").json()["id"]
    for away in (True, False):
        response = api.put(
            f"/admins/{admin_id}/away", json={"away_mode_enabled": away, "away_mode_reassign": False}
        )
        assert response.json()["away_mode_enabled"] is away
    logs = api.get("/admins/activity_logs", params={"created_at_after": 0}).json()["activity_logs"]
    assert [log["metadata"]["away_mode"] for log in logs] == [False, True]
    assert len({log["id"] for log in logs}) == 2
    assert all(log["performed_by"]["id"] == admin_id for log in logs)


def test_activity_logs_respect_the_time_window(api: httpx.Client) -> None:
    admin_id = api.get("/me").json()["id"]
    api.put(f"/admins/{admin_id}/away", json={"away_mode_enabled": True, "away_mode_reassign": True})
    assert (
        api.get("/admins/activity_logs", params={"created_at_after": 0, "created_at_before": 1}).json()[
            "activity_logs"
        ]
        == []
    )
    response = api.get("/admins/activity_logs", params={"created_at_after": "yesterday"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "created_at_after"


def test_activity_log_times_may_be_iso_8601(api: httpx.Client, app, workspace) -> None:
    """FIDELITY §11.5: the official Node and Java SDK tests send ISO strings and expect success."""
    store = app.state.store
    store.update_workspace(store.workspace(workspace[0].id), clock_frozen_at=1_700_000_000)  # 2023-11-14
    admin_id = api.get("/me").json()["id"]
    api.put(f"/admins/{admin_id}/away", json={"away_mode_enabled": True, "away_mode_reassign": True})

    def logged(**params) -> int:
        response = api.get("/admins/activity_logs", params=params)
        assert response.status_code == 200, response.text
        return len(response.json()["activity_logs"])

    assert logged(created_at_after="2023-11-01T00:00:00Z", created_at_before="2023-12-01T00:00:00Z") == 1
    assert logged(created_at_after="2023-11-14", created_at_before="2023-11-15T00:00:00+00:00") == 1
    assert logged(created_at_after="2023-11-15T00:00:00.000Z") == 0
    # 22:13:20 UTC: after 23:00 at UTC+2, before 23:00 UTC.
    assert logged(created_at_after="2023-11-14T23:00:00+02:00") == 1
    assert logged(created_at_after="2023-11-14T23:00:00") == 0


def test_activity_logs_need_created_at_after(api: httpx.Client) -> None:
    error = api.get("/admins/activity_logs").json()["errors"][0]
    assert error["code"] == "parameter_not_found" and error["field"] == "created_at_after"


def test_the_log_records_what_admins_do_through_the_api(api: httpx.Client) -> None:
    contact = api.post("/contacts", json={"email": "log@example.com"}).json()["id"]
    started = api.post("/conversations", json={"from": {"type": "user", "id": contact}, "body": "hi"}).json()
    conversation = api.get(f"/conversations/{started['conversation_id']}").json()
    admin_id = api.get("/me").json()["id"]
    replied = api.post(
        f"/conversations/{conversation['id']}/reply",
        json={"type": "admin", "message_type": "comment", "admin_id": admin_id, "body": "secret"},
    ).json()
    part = replied["conversation_parts"]["conversation_parts"][-1]["id"]
    redact = {
        "type": "conversation_part",
        "conversation_id": conversation["id"],
        "conversation_part_id": part,
    }
    assert api.post("/conversations/redact", json=redact).status_code == 200
    article = api.post("/articles", json={"title": "Refunds", "author_id": int(admin_id)}).json()
    api.put(f"/articles/{article['id']}", json={"state": "published"})
    logs = api.get("/admins/activity_logs", params={"created_at_after": 0}).json()["activity_logs"]
    assert [log["activity_type"] for log in logs] == ["message_state_change", "conversation_part_deletion"]
    assert all(log["performed_by"]["id"] == admin_id for log in logs)


def test_the_demo_workspace_has_an_activity_history(app) -> None:
    workspace, _ = new_workspace(app, seed="demo")
    rows = app.state.store.query(
        "SELECT created_at, data FROM activity_logs WHERE workspace_id = ? ORDER BY seq", [workspace.id]
    )
    assert len(rows) >= 40
    assert len({row["data"] for row in rows}) == len(rows)
    assert [row["created_at"] for row in rows] == sorted(row["created_at"] for row in rows)


def test_activity_log_event_types_216(api: httpx.Client) -> None:
    v216 = {"Intercom-Version": "2.16"}
    listed = api.get("/admins/activity_log_event_types", headers=v216).json()
    assert listed["type"] == "activity_log_event_type.list"
    assert {"admin_away_mode_change", "office_hours_change", "app_name_change"} <= set(listed["event_types"])
    assert api.get("/admins/activity_log_event_types").status_code == 400


def test_search_activity_logs_216(api: httpx.Client, app, workspace) -> None:
    v216 = {"Intercom-Version": "2.16"}
    store = app.state.store
    owner = workspace[0].owner_admin_id
    for index in range(3):
        store.update_workspace(store.workspace(workspace[0].id), clock_frozen_at=1_700_000_000 + index)
        api.put(
            f"/admins/{owner}/away", json={"away_mode_enabled": index % 2 == 0, "away_mode_reassign": False}
        )
    api.post(
        "/office_hours_schedules",
        json={"name": "S", "time_zone_name": "UTC", "time_intervals": []},
        headers=v216,
    )
    search = "/admins/activity_logs/search"
    everything = api.post(search, json={"created_at_after": 1_700_000_000}, headers=v216).json()
    assert everything["type"] == "activity_log.list"
    assert [log["activity_type"] for log in everything["activity_logs"]] == [
        "office_hours_change",
        "admin_away_mode_change",
        "admin_away_mode_change",
        "admin_away_mode_change",
    ]
    assert everything["pages"] == {"type": "pages", "next": None, "page": 1, "per_page": 20, "total_pages": 1}
    away = api.post(
        search,
        json={
            "created_at_after": 1_700_000_000,
            "created_at_before": 1_700_000_001,
            "event_types": ["admin_away_mode_change"],
        },
        headers=v216,
    ).json()["activity_logs"]
    assert [log["created_at"] for log in away] == [1_700_000_001, 1_700_000_000]
    first = api.post(search, json={"created_at_after": 0, "per_page": 3}, headers=v216).json()
    assert len(first["activity_logs"]) == 3 and first["pages"]["total_pages"] == 2
    cursor = first["pages"]["next"]["starting_after"]
    rest = api.post(
        search, json={"created_at_after": 0, "per_page": 3, "starting_after": cursor}, headers=v216
    ).json()
    assert [log["created_at"] for log in rest["activity_logs"]] == [1_700_000_000]
    assert rest["pages"]["page"] == 2 and rest["pages"]["next"] is None
    by_page = api.post(search, json={"created_at_after": 0, "per_page": 3, "page": 2}, headers=v216).json()
    assert by_page["activity_logs"] == rest["activity_logs"]
    bad_type = api.post(search, json={"created_at_after": 0, "event_types": ["nope"]}, headers=v216)
    assert bad_type.status_code == 400 and bad_type.json()["errors"][0]["code"] == "parameter_invalid"
    assert api.post(search, json={"created_at_after": 0, "per_page": 251}, headers=v216).status_code == 400
    assert api.post(search, json={}, headers=v216).json()["errors"][0]["code"] == "parameter_not_found"
    assert (
        api.post(search, json={"created_at_after": 0}).json()["errors"][0]["code"]
        == "intercom_version_invalid"
    )


def test_admin_avatar_is_an_object_everywhere(api: httpx.Client) -> None:
    """FIDELITY §11.1: `/me`, `/admins/{id}` and `/admins?display_avatar=true` give `{type, image_url}`."""
    me = api.get("/me").json()
    assert me["avatar"]["type"] == "avatar" and me["avatar"]["image_url"].startswith("https://")
    admin = api.get(f"/admins/{me['id']}").json()
    assert admin["avatar"] == me["avatar"]
    listed = api.get("/admins", params={"display_avatar": "true"}).json()["admins"]
    assert [item["avatar"] for item in listed if item["id"] == me["id"]] == [me["avatar"]]
    assert "avatar" not in api.get("/admins").json()["admins"][0]


def test_an_admin_without_a_job_title_has_no_job_title_key(app, workspace, api: httpx.Client) -> None:
    """FIDELITY §9.7: admin `job_title` is absent, not null, when the admin has none."""
    plain = create_admin(app.state.store, workspace[0], name="No Title", email="plain@example.com")
    assert "job_title" not in api.get(f"/admins/{plain['id']}").json()
    owner = api.get("/me").json()["id"]
    assert api.get(f"/admins/{owner}").json()["job_title"] == "Head of Support"
