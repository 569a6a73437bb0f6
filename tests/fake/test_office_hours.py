"""Office hours schedules and exceptions (2.16)."""

import httpx

V216 = {"Intercom-Version": "2.16"}
WEEKDAYS_9_TO_5 = [{"start_minute": day * 1440 + 540, "end_minute": day * 1440 + 1020} for day in range(5)]


def error_of(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.json()["type"] == "error.list"
    return response.json()["errors"][0]


def new_schedule(api: httpx.Client, **fields) -> dict:
    body = {"name": "Support", "time_zone_name": "America/New_York", "time_intervals": WEEKDAYS_9_TO_5}
    response = api.post("/office_hours_schedules", json={**body, **fields}, headers=V216)
    assert response.status_code == 201, response.text
    return response.json()


def test_schedule_round_trip(api: httpx.Client) -> None:
    schedule = new_schedule(api)
    assert schedule["type"] == "office_hours_schedule" and schedule["id"].isdigit()
    assert schedule["time_intervals"][1] == {"start_minute": 1980, "end_minute": 2460, "day_of_week": 1}
    assert schedule["twenty_four_seven"] is False
    assert api.get(f"/office_hours_schedules/{schedule['id']}", headers=V216).json() == schedule
    listed = api.get("/office_hours_schedules", headers=V216).json()
    assert listed == {"type": "office_hours_schedule.list", "data": [schedule]}
    updated = api.put(
        f"/office_hours_schedules/{schedule['id']}",
        json={"name": "Always", "time_intervals": [{"start_minute": 0, "end_minute": 10080}]},
        headers=V216,
    ).json()
    assert updated["name"] == "Always" and updated["twenty_four_seven"] is True
    assert updated["time_zone_name"] == "America/New_York"
    removed = api.delete(f"/office_hours_schedules/{schedule['id']}", headers=V216)
    assert removed.json() == {"id": schedule["id"], "object": "office_hours_schedule", "deleted": True}
    missing = api.get(f"/office_hours_schedules/{schedule['id']}", headers=V216)
    assert error_of(missing, 404) == {"code": "not_found", "message": "Object not found"}


def test_schedule_validation_writes_nothing(api: httpx.Client) -> None:
    base = {"name": "S", "time_zone_name": "UTC"}
    for intervals in (
        [{"start_minute": 540, "end_minute": 500}],
        [{"start_minute": 541, "end_minute": 600}],
        [{"start_minute": 0, "end_minute": 10095}],
        [{"start_minute": 0, "end_minute": 600}, {"start_minute": 540, "end_minute": 900}],
    ):
        bad = api.post("/office_hours_schedules", json={**base, "time_intervals": intervals}, headers=V216)
        assert error_of(bad, 422)["code"] == "data_invalid"
    zone = api.post(
        "/office_hours_schedules",
        json={"name": "S", "time_zone_name": "Mars/Base", "time_intervals": []},
        headers=V216,
    )
    assert error_of(zone, 422)["code"] == "data_invalid"
    assert error_of(api.post("/office_hours_schedules", json={"name": "S"}, headers=V216), 400)
    assert api.get("/office_hours_schedules", headers=V216).json()["data"] == []


def test_exceptions(api: httpx.Client) -> None:
    schedule = new_schedule(api)
    base = f"/office_hours_schedules/{schedule['id']}/office_hours_exceptions"
    closed = api.post(
        base,
        json={
            "exception_date": "2026-12-25",
            "exception_type": "closed",
            "name": "Christmas",
            "recurring_annually": True,
        },
        headers=V216,
    )
    assert closed.status_code == 201, closed.text
    closed = closed.json()
    assert closed["time_intervals"] is None and closed["office_hours_schedule_id"] == schedule["id"]
    eve = api.post(
        base,
        json={
            "exception_date": "2026-12-24",
            "exception_type": "custom_hours",
            "time_intervals": [{"start_minute": 540, "end_minute": 780}],
        },
        headers=V216,
    ).json()
    # 2026-12-24 is a Thursday: day 3 counting from Monday.
    assert eve["time_intervals"] == [{"start_minute": 540, "end_minute": 780, "day_of_week": 3}]
    assert eve["recurring_annually"] is False and eve["name"] is None
    listed = api.get(base, headers=V216).json()
    assert listed["type"] == "office_hours_exception.list" and [e["id"] for e in listed["data"]] == [
        closed["id"],
        eve["id"],
    ]
    changed = api.put(
        f"{base}/{closed['id']}",
        json={"exception_type": "custom_hours", "time_intervals": [{"start_minute": 600, "end_minute": 720}]},
        headers=V216,
    ).json()
    assert changed["exception_type"] == "custom_hours" and changed["time_intervals"][0]["day_of_week"] == 4
    assert api.get(f"{base}/{closed['id']}", headers=V216).json() == changed
    duplicate = api.post(
        base, json={"exception_date": "2026-12-24", "exception_type": "closed"}, headers=V216
    )
    assert error_of(duplicate, 422)["message"] == "Invalid or duplicated record reference"
    no_hours = api.post(
        base, json={"exception_date": "2026-01-01", "exception_type": "custom_hours"}, headers=V216
    )
    assert error_of(no_hours, 422)["code"] == "data_invalid"
    bad_date = api.post(base, json={"exception_date": "2026-13-01", "exception_type": "closed"}, headers=V216)
    assert error_of(bad_date, 422)["field"] == "exception_date"
    removed = api.delete(f"{base}/{eve['id']}", headers=V216).json()
    assert removed == {"id": eve["id"], "object": "office_hours_exception", "deleted": True}
    assert error_of(api.get(f"{base}/{eve['id']}", headers=V216), 404)["code"] == "not_found"
    other = new_schedule(api, name="Other")
    wrong_parent = api.get(
        f"/office_hours_schedules/{other['id']}/office_hours_exceptions/{closed['id']}", headers=V216
    )
    assert error_of(wrong_parent, 404)["code"] == "not_found"
    api.delete(f"/office_hours_schedules/{schedule['id']}", headers=V216)
    assert error_of(api.get(base, headers=V216), 404)["code"] == "not_found"


def test_changes_are_in_the_activity_log(api: httpx.Client) -> None:
    new_schedule(api)
    logs = api.post(
        "/admins/activity_logs/search",
        json={"created_at_after": 0, "event_types": ["office_hours_change"]},
        headers=V216,
    ).json()["activity_logs"]
    assert [log["activity_type"] for log in logs] == ["office_hours_change"]


def test_only_in_216(api: httpx.Client) -> None:
    assert error_of(api.get("/office_hours_schedules"), 400)["code"] == "intercom_version_invalid"
