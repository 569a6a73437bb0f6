"""Office hours schedules and their exceptions (Intercom-Version 2.16)."""

from typing import Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest


class TimeInterval(IntercomObject):
    start_minute: int
    end_minute: int
    day_of_week: int


class OfficeHoursSchedule(IntercomObject):
    type: Literal["office_hours_schedule"]
    id: str
    name: str
    time_zone_name: str
    time_intervals: list[TimeInterval]
    twenty_four_seven: bool
    created_at: int
    updated_at: int


class OfficeHoursScheduleList(IntercomObject):
    type: Literal["office_hours_schedule.list"]
    data: list[OfficeHoursSchedule]


class OfficeHoursException(IntercomObject):
    type: Literal["office_hours_exception"]
    id: str
    office_hours_schedule_id: str
    exception_date: str
    exception_type: Literal["closed", "custom_hours"]
    name: str | None = None
    time_intervals: list[TimeInterval] | None = None
    recurring_annually: bool
    created_at: int
    updated_at: int


class OfficeHoursExceptionList(IntercomObject):
    type: Literal["office_hours_exception.list"]
    data: list[OfficeHoursException]


class IntervalInput(IntercomRequest):
    start_minute: int = Field(description="Minute the interval starts (schedules: from Monday 00:00).")
    end_minute: int = Field(description="Minute the interval ends (schedules: from Monday 00:00).")


class CreateScheduleRequest(IntercomRequest):
    name: str = Field(description="The name of the office hours schedule.")
    time_zone_name: str = Field(description="The IANA time zone the schedule's hours are evaluated in.")
    time_intervals: list[IntervalInput] = Field(description="The open intervals, on 15-minute boundaries.")


class UpdateScheduleRequest(IntercomRequest):
    name: str | None = Field(default=None, description="The name of the office hours schedule.")
    time_zone_name: str | None = Field(default=None, description="The IANA time zone of the schedule.")
    time_intervals: list[IntervalInput] | None = Field(
        default=None, description="The open intervals; replaces the current ones."
    )


class CreateExceptionRequest(IntercomRequest):
    exception_date: str = Field(description="The date the exception applies to, YYYY-MM-DD.")
    exception_type: Literal["closed", "custom_hours"] = Field(description="closed or custom_hours.")
    name: str | None = Field(default=None, description="An optional name for the exception.")
    time_intervals: list[IntervalInput] | None = Field(
        default=None, description="Open intervals in minutes from midnight; required for custom_hours."
    )
    recurring_annually: bool = Field(default=False, description="Whether it repeats every year.")


class UpdateExceptionRequest(IntercomRequest):
    exception_date: str | None = Field(default=None, description="The date, YYYY-MM-DD.")
    exception_type: Literal["closed", "custom_hours"] | None = Field(default=None, description="The type.")
    name: str | None = Field(default=None, description="An optional name for the exception.")
    time_intervals: list[IntervalInput] | None = Field(
        default=None, description="Open intervals in minutes from midnight; required for custom_hours."
    )
    recurring_annually: bool | None = Field(default=None, description="Whether it repeats every year.")
