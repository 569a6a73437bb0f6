import uuid

import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.common import DeletedObject
from contracts.models.office_hours import (
    OfficeHoursException,
    OfficeHoursExceptionList,
    OfficeHoursSchedule,
    OfficeHoursScheduleList,
)

V216 = {"Intercom-Version": "2.16"}


@check(writes=True)
def office_hours_schedules_and_exceptions_round_trip(api: httpx.Client) -> None:
    body = {
        "name": f"Contract hours {uuid.uuid4().hex[:8]}",
        "time_zone_name": "Europe/Dublin",
        "time_intervals": [{"start_minute": 540, "end_minute": 1020}],
    }
    schedule = parse(OfficeHoursSchedule, api.post("/office_hours_schedules", json=body, headers=V216), 201)
    base = f"/office_hours_schedules/{schedule.id}"
    try:
        assert schedule.time_intervals[0].day_of_week == 0 and not schedule.twenty_four_seven
        listed = parse(OfficeHoursScheduleList, api.get("/office_hours_schedules", headers=V216))
        assert schedule.id in [each.id for each in listed.data]
        exception = parse(
            OfficeHoursException,
            api.post(
                f"{base}/office_hours_exceptions",
                json={"exception_date": "2030-12-25", "exception_type": "closed", "name": "Christmas"},
                headers=V216,
            ),
            201,
        )
        assert exception.time_intervals is None and exception.office_hours_schedule_id == schedule.id
        exceptions = parse(OfficeHoursExceptionList, api.get(f"{base}/office_hours_exceptions", headers=V216))
        assert [each.id for each in exceptions.data] == [exception.id]
        gone = parse(
            DeletedObject, api.delete(f"{base}/office_hours_exceptions/{exception.id}", headers=V216)
        )
        assert gone.deleted
    finally:
        api.delete(base, headers=V216)
    expect_error(api.get(base, headers=V216), 404, "not_found")
