"""Admins: away mode and the activity log it writes."""

import httpx


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
