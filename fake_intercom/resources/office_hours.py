"""Office hours schedules and their exceptions (Intercom-Version 2.16).

A schedule's intervals are minutes from Monday 00:00 in its own time zone; an exception's are
minutes from midnight of its date. `day_of_week` is derived, never taken from the request. Every
change is recorded in the admin activity log as `office_hours_change`, as Intercom's audit log does.
"""

import datetime
import zoneinfo
from collections.abc import Sequence
from typing import Any

from fastapi import Depends

from contracts.models.common import DeletedObject
from contracts.models.office_hours import (
    CreateExceptionRequest,
    CreateScheduleRequest,
    IntervalInput,
    OfficeHoursException,
    OfficeHoursExceptionList,
    OfficeHoursSchedule,
    OfficeHoursScheduleList,
    UpdateExceptionRequest,
    UpdateScheduleRequest,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import OBJECT_NOT_FOUND, data_invalid, not_found, require
from fake_intercom.resources.admins import acting_admin, log_activity
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

SCHEDULES = table("office_hours_schedules", {"id": str, "created_at": int, "data": str})
EXCEPTIONS = table(
    "office_hours_exceptions",
    {"id": str, "schedule_id": str, "exception_date": str, "data": str},
    indexes=(("workspace_id", "schedule_id", "exception_date"),),
)

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
SEED_ORDER = 70

router = IntercomRouter(tags=["Office Hours"])


def _intervals(intervals: Sequence[IntervalInput], limit: int, day_of: Any) -> list[dict[str, int]]:
    """Sorted, validated intervals on 15-minute boundaries within [0, limit], none overlapping."""
    checked: list[dict[str, int]] = []
    for interval in sorted(intervals, key=lambda each: each.start_minute):
        start, end = interval.start_minute, interval.end_minute
        if not 0 <= start < end <= limit:
            raise data_invalid(
                f"Invalid time interval {start}-{end}: minutes must satisfy 0 <= start < end <= {limit}",
                field="time_intervals",
            )
        if start % 15 or end % 15:
            raise data_invalid(
                "start_minute and end_minute must be on a 15-minute boundary", field="time_intervals"
            )
        if checked and start < checked[-1]["end_minute"]:
            raise data_invalid("Time intervals must not overlap", field="time_intervals")
        checked.append({"start_minute": start, "end_minute": end, "day_of_week": day_of(start)})
    return checked


def _week_intervals(intervals: Sequence[IntervalInput]) -> list[dict[str, int]]:
    return _intervals(intervals, MINUTES_PER_WEEK, lambda start: start // MINUTES_PER_DAY)


def _all_week(intervals: list[dict[str, int]]) -> bool:
    covered = 0
    for interval in intervals:
        if interval["start_minute"] > covered:
            return False
        covered = max(covered, interval["end_minute"])
    return covered >= MINUTES_PER_WEEK


def _time_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise data_invalid(f"{name!r} is not a valid time zone", field="time_zone_name") from None
    return name


def _name(name: str) -> str:
    if not name.strip():
        raise data_invalid("Name can't be blank", field="name")
    return name


def create_schedule(
    store: Store, workspace: Workspace, *, name: str, time_zone_name: str, intervals: Sequence[IntervalInput]
) -> dict[str, Any]:
    now = store.now(workspace)
    time_intervals = _week_intervals(intervals)
    schedule = {
        "type": "office_hours_schedule",
        "id": store.numeric_id(workspace.id, "office_hours_schedule", base=120),
        "name": _name(name),
        "time_zone_name": _time_zone(time_zone_name),
        "time_intervals": time_intervals,
        "twenty_four_seven": _all_week(time_intervals),
        "created_at": now,
        "updated_at": now,
    }
    store.insert(
        "office_hours_schedules",
        {"workspace_id": workspace.id, "id": schedule["id"], "created_at": now, "data": dumps(schedule)},
    )
    return schedule


def _log(ctx: Ctx, description: str, before: Any, after: Any) -> None:
    admin = acting_admin(ctx)
    log_activity(
        ctx.store,
        ctx.workspace,
        admin,
        "office_hours_change",
        f"{admin['name']} {description}.",
        {"before": before, "after": after},
    )


@router.operation("listOfficeHoursSchedules", response_model=OfficeHoursScheduleList)
async def list_schedules(ctx: Ctx = Depends(context)) -> Any:
    rows = ctx.store.query(
        "SELECT data FROM office_hours_schedules WHERE workspace_id = ? ORDER BY CAST(id AS INTEGER)",
        (ctx.ws,),
    )
    return responses.json({"type": "office_hours_schedule.list", "data": [loads(r["data"]) for r in rows]})


@router.operation("createOfficeHoursSchedule", response_model=OfficeHoursSchedule, status_code=201)
async def create_schedule_route(body: CreateScheduleRequest, ctx: Ctx = Depends(context)) -> Any:
    schedule = create_schedule(
        ctx.store,
        ctx.workspace,
        name=body.name,
        time_zone_name=body.time_zone_name,
        intervals=body.time_intervals,
    )
    _log(ctx, f"created the office hours schedule {schedule['name']}", None, schedule["time_intervals"])
    return responses.json(schedule, status=201)


@router.operation("getOfficeHoursSchedule", response_model=OfficeHoursSchedule)
async def get_schedule(id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(
        require(ctx.store.data("office_hours_schedules", ctx.ws, id), not_found, OBJECT_NOT_FOUND)
    )


@router.operation("updateOfficeHoursSchedule", response_model=OfficeHoursSchedule)
async def update_schedule(id: str, body: UpdateScheduleRequest, ctx: Ctx = Depends(context)) -> Any:
    schedule = require(ctx.store.data("office_hours_schedules", ctx.ws, id), not_found, OBJECT_NOT_FOUND)
    before = schedule["time_intervals"]
    if body.name is not None:
        schedule["name"] = _name(body.name)
    if body.time_zone_name is not None:
        schedule["time_zone_name"] = _time_zone(body.time_zone_name)
    if body.time_intervals is not None:
        schedule["time_intervals"] = _week_intervals(body.time_intervals)
        schedule["twenty_four_seven"] = _all_week(schedule["time_intervals"])
    schedule["updated_at"] = ctx.now()
    ctx.store.update("office_hours_schedules", ctx.ws, id, {"data": dumps(schedule)})
    _log(ctx, f"changed the office hours schedule {schedule['name']}", before, schedule["time_intervals"])
    return responses.json(schedule)


@router.operation("deleteOfficeHoursSchedule", response_model=DeletedObject)
async def delete_schedule(id: str, ctx: Ctx = Depends(context)) -> Any:
    schedule = require(ctx.store.data("office_hours_schedules", ctx.ws, id), not_found, OBJECT_NOT_FOUND)
    ctx.store.execute(
        "DELETE FROM office_hours_exceptions WHERE workspace_id = ? AND schedule_id = ?", (ctx.ws, id)
    )
    ctx.store.delete("office_hours_schedules", ctx.ws, id)
    _log(ctx, f"deleted the office hours schedule {schedule['name']}", schedule["time_intervals"], None)
    return responses.deleted(id, "office_hours_schedule")


# -- exceptions -----------------------------------------------------------------------------


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise data_invalid(
            "exception_date must be a date formatted YYYY-MM-DD", field="exception_date"
        ) from None


def _apply_exception(
    store: Store,
    workspace_id: str,
    exception: dict[str, Any],
    fields: dict[str, Any],
    intervals: Sequence[IntervalInput] | None,
) -> None:
    """Write the request's fields onto `exception`, re-deriving intervals from its (new) date."""
    if "exception_date" in fields:
        exception["exception_date"] = _date(fields["exception_date"]).isoformat()
    for key in ("exception_type", "name", "recurring_annually"):
        if fields.get(key) is not None:
            exception[key] = fields[key]
    day = _date(exception["exception_date"]).weekday()
    if exception["exception_type"] == "closed":
        exception["time_intervals"] = None
    elif intervals is not None:
        exception["time_intervals"] = _intervals(intervals, MINUTES_PER_DAY, lambda _start: day)
    elif exception["time_intervals"]:
        exception["time_intervals"] = [{**each, "day_of_week": day} for each in exception["time_intervals"]]
    if exception["exception_type"] == "custom_hours" and not exception["time_intervals"]:
        raise data_invalid("time_intervals are required for custom_hours exceptions", field="time_intervals")
    clash = store.scalar(
        "SELECT id FROM office_hours_exceptions WHERE workspace_id = ? AND schedule_id = ? "
        "AND exception_date = ? AND id != ?",
        (workspace_id, exception["office_hours_schedule_id"], exception["exception_date"], exception["id"]),
    )
    if clash is not None:
        raise data_invalid("Invalid or duplicated record reference", field="exception_date")


def create_exception(
    store: Store, workspace: Workspace, schedule_id: str, body: CreateExceptionRequest
) -> dict[str, Any]:
    now = store.now(workspace)
    exception: dict[str, Any] = {
        "type": "office_hours_exception",
        "id": "",
        "office_hours_schedule_id": schedule_id,
        "exception_date": body.exception_date,
        "exception_type": body.exception_type,
        "name": body.name,
        "time_intervals": None,
        "recurring_annually": body.recurring_annually,
        "created_at": now,
        "updated_at": now,
    }
    _apply_exception(store, workspace.id, exception, {}, body.time_intervals)
    exception["id"] = store.numeric_id(workspace.id, "office_hours_exception", base=450)
    store.insert(
        "office_hours_exceptions",
        {
            "workspace_id": workspace.id,
            "id": exception["id"],
            "schedule_id": schedule_id,
            "exception_date": exception["exception_date"],
            "data": dumps(exception),
        },
    )
    return exception


def _find_exception(ctx: Ctx, schedule_id: str, exception_id: str) -> dict[str, Any] | None:
    require(ctx.store.data("office_hours_schedules", ctx.ws, schedule_id), not_found, OBJECT_NOT_FOUND)
    row = ctx.store.row("office_hours_exceptions", ctx.ws, exception_id)
    return loads(row["data"]) if row is not None and row["schedule_id"] == schedule_id else None


@router.operation("listOfficeHoursExceptions", response_model=OfficeHoursExceptionList)
async def list_exceptions(office_hours_schedule_id: str, ctx: Ctx = Depends(context)) -> Any:
    require(
        ctx.store.data("office_hours_schedules", ctx.ws, office_hours_schedule_id),
        not_found,
        OBJECT_NOT_FOUND,
    )
    rows = ctx.store.query(
        "SELECT data FROM office_hours_exceptions WHERE workspace_id = ? AND schedule_id = ? "
        "ORDER BY CAST(id AS INTEGER)",
        (ctx.ws, office_hours_schedule_id),
    )
    return responses.json({"type": "office_hours_exception.list", "data": [loads(r["data"]) for r in rows]})


@router.operation("createOfficeHoursException", response_model=OfficeHoursException, status_code=201)
async def create_exception_route(
    office_hours_schedule_id: str, body: CreateExceptionRequest, ctx: Ctx = Depends(context)
) -> Any:
    schedule = require(
        ctx.store.data("office_hours_schedules", ctx.ws, office_hours_schedule_id),
        not_found,
        OBJECT_NOT_FOUND,
    )
    exception = create_exception(ctx.store, ctx.workspace, schedule["id"], body)
    _log(ctx, f"added an office hours exception to {schedule['name']}", None, exception)
    return responses.json(exception, status=201)


@router.operation("getOfficeHoursException", response_model=OfficeHoursException)
async def get_exception(office_hours_schedule_id: str, id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(
        require(_find_exception(ctx, office_hours_schedule_id, id), not_found, OBJECT_NOT_FOUND)
    )


@router.operation("updateOfficeHoursException", response_model=OfficeHoursException)
async def update_exception(
    office_hours_schedule_id: str, id: str, body: UpdateExceptionRequest, ctx: Ctx = Depends(context)
) -> Any:
    exception = require(_find_exception(ctx, office_hours_schedule_id, id), not_found, OBJECT_NOT_FOUND)
    before = dict(exception)
    _apply_exception(ctx.store, ctx.ws, exception, body.model_dump(exclude_unset=True), body.time_intervals)
    exception["updated_at"] = ctx.now()
    ctx.store.update(
        "office_hours_exceptions",
        ctx.ws,
        id,
        {"exception_date": exception["exception_date"], "data": dumps(exception)},
    )
    _log(ctx, "changed an office hours exception", before, exception)
    return responses.json(exception)


@router.operation("deleteOfficeHoursException", response_model=DeletedObject)
async def delete_exception(office_hours_schedule_id: str, id: str, ctx: Ctx = Depends(context)) -> Any:
    exception = require(_find_exception(ctx, office_hours_schedule_id, id), not_found, OBJECT_NOT_FOUND)
    ctx.store.delete("office_hours_exceptions", ctx.ws, id)
    _log(ctx, "removed an office hours exception", exception, None)
    return responses.deleted(id, "office_hours_exception")


def seed_demo(seeder: Any) -> None:
    schedule = create_schedule(
        seeder.store,
        seeder.workspace,
        name="Standard Support Hours",
        time_zone_name="America/New_York",
        intervals=[
            IntervalInput(start_minute=day * MINUTES_PER_DAY + 540, end_minute=day * MINUTES_PER_DAY + 1020)
            for day in range(5)
        ],
    )
    create_schedule(
        seeder.store,
        seeder.workspace,
        name="Priority Support (24/7)",
        time_zone_name="UTC",
        intervals=[IntervalInput(start_minute=0, end_minute=MINUTES_PER_WEEK)],
    )
    year = datetime.datetime.fromtimestamp(seeder.now, datetime.UTC).year
    for request in (
        CreateExceptionRequest(
            exception_date=f"{year}-12-25",
            exception_type="closed",
            name="Christmas Day",
            recurring_annually=True,
        ),
        CreateExceptionRequest(
            exception_date=f"{year}-12-24",
            exception_type="custom_hours",
            name="Christmas Eve",
            time_intervals=[IntervalInput(start_minute=540, end_minute=780)],
            recurring_annually=True,
        ),
    ):
        create_exception(seeder.store, seeder.workspace, schedule["id"], request)
